"""Find English left in the Korean studio: what ``tools/untranslated.py`` prints and the
untranslated-text test counts.

A text counts as untranslated when it holds an English word (three letters or more) that is
not on the allow-list: PyTorch's layer names (``Conv2d`` stays ``Conv2d``), dataset, model,
optimizer and format names, units, and anything that looks like a file name, a project-file
key or a number with a unit. Class names come from the data, not from us, and are skipped by
the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from studio.gui.common.i18n import visible_texts

#: words that stay as they are in Korean (case-insensitive)
ALLOWED_WORDS = {
    # names of things
    "cnn",
    "studio",
    "pytorch",
    "torchvision",
    "onnx",
    "onnxruntime",
    "torchscript",
    "safetensors",
    "python",
    "mnist",
    "fashion",
    "cifar",
    "imagenet",
    "resnet",
    "vgg",
    "vggnet",
    "googlenet",
    "efficientnet",
    "lenet",
    "mobilenet",
    "inception",
    "grad",
    "cam",
    "sgd",
    "adam",
    "adamw",
    "steplr",
    "cosineannealinglr",
    "onecyclelr",
    "reducelronplateau",
    "optuna",
    "airbench",  # the fast CIFAR-10 recipe cifar10-fast learns from (a project name)
    "tpe",
    "slurm",
    "torchrun",
    "nccl",
    "gloo",
    "cuda",
    "mps",
    "gpu",
    "cpu",
    "json",
    "html",
    "png",
    "svg",
    "jpeg",
    "jpg",
    "bmp",
    "gif",
    "webp",
    "tiff",
    "rgb",
    "rgba",
    "macs",
    "mac",
    "flops",
    "gflops",
    "relu",
    "silu",
    "gelu",
    "softmax",
    "dropout",
    "sobel",
    "tensorboard",
    "qt",
    "pyside",
    "linux",
    "windows",
    "macos",
    "debian",
    "ubuntu",
    "fedora",
    "xcb",
    "idx",
    "ubyte",
    "zip",
    "gz",
    "ctrl",
    "shift",
    "alt",
    "esc",
    "enter",
    "del",
    "tab",
    "img",
    "val",
    "lr",
    "max",
    "avg",
    "min",
    "std",
    "top",
    "ddp",
    "amp",
    "bf16",
    "fp16",
    "fp32",
    "nan",
    "inf",
    "dpi",
    "url",
    "http",
    "https",
    "sqlite",
    "postgresql",
    "api",
    "cli",
    "utf",
    "ascii",
    "tpu",
    # PyTorch's own argument values, shown as the user types them into a project
    "same",
    "valid",
    # maths notation in the output-size formula
    "floor",
    "ceil",
    "batchnorm",
    "tanh",
    "lecun",
    "distributeddataparallel",
    "sbatch",
}


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words in ``text`` that are not allowed to stay English."""
    extra = {a.lower() for a in allowed}
    words = []
    # drop what is not prose: code spans, command-line options, paths, dotted keys, identifiers
    # with digits/underscores, URLs, tags and entities
    # the lecture's way: a Korean term followed by its English original, 특징 맵(feature map)
    text = re.sub(r"(?<=[\uac00-\ud7a3])\([^)]*\)", " ", text)
    cleaned = re.sub(
        r"<code>.*?</code>|(?<!\S)--?[A-Za-z][\w-]*|\S*[/\\]\S*|\S+\.\S+|\S*_\S*|\S*\d\S*"
        r"|<[^>]+>|&\w+;",
        " ",
        text,
        flags=re.S,
    )
    for word in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", cleaned):
        core = word.strip("'-").lower()
        if len(core) < 3 or core in ALLOWED_WORDS or core in extra:
            continue
        parts = core.split("-")
        if any(part in ALLOWED_WORDS or part in extra for part in parts) or all(
            len(part) < 3 for part in parts
        ):
            continue  # "ResNet-style", "D-HH" (a time format): the English-looking parts are short or allowed
        words.append(word)
    return words


def untranslated(root: QWidget, allowed: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(where, text)`` of every visible text under ``root`` that still holds English."""
    allowed = list(allowed)
    return [(where, text) for where, text in visible_texts(root) if english_words(text, allowed)]
