"""Regenerate the guide's screenshots (docs/images/*.png) from the real studio window, offscreen.

Run from the repository root::

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--lang ko] [--out DIR]

Everything happens in a temporary folder (HOME, settings, runs, the PyTorch cache), so the
script touches none of your files and needs no network: it draws its own small datasets
(handwritten-looking digits in MNIST's file layout, and a folder of "fruit photos" with one
sub-folder per class), then drives the window at 1280x800 the way the guide describes:
templates, the designer, the Data page, a two-epoch training run, the Evaluate page, the
export dialog and the Explain tab. It takes about a minute on a laptop's CPU.

``--lang ko`` takes the same screenshots from the Korean window into ``docs/images/ko/`` (same
file names), for the Korean guide in ``docs/ko/``. Hangul needs a Korean font on the machine
(Debian/Ubuntu: ``fonts-noto-cjk``); look at the PNGs: boxes instead of Hangul mean no font.

The PNGs are quantised to a 128-colour palette (64 to 160 where images show; Pillow), which keeps
a 1280x800 screenshot of the interface near 50 kB without visible loss.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FRUITS = ("apples", "bananas", "grapes")


# --------------------------------------------------------------------------- data


def digit(value: int, rng: np.random.Generator) -> np.ndarray:
    """A 28x28 white-on-black handwritten-looking digit: a font, sized, shifted, rotated,
    sheared, blurred and noisy, so that a few of them are honestly hard to read."""
    img = Image.new("L", (56, 56), 0)
    font = ImageFont.load_default(size=int(rng.integers(26, 44)))
    draw = ImageDraw.Draw(img)
    x, y = 28 + rng.integers(-6, 7), 28 + rng.integers(-6, 7)
    draw.text(
        (int(x), int(y)),
        str(value),
        fill=255,
        font=font,
        anchor="mm",
        stroke_width=int(rng.integers(0, 4)),
        stroke_fill=255,
    )
    shear = float(rng.uniform(-0.35, 0.35))
    img = img.transform(
        (56, 56), Image.Transform.AFFINE, (1, shear, -shear * 28, 0, 1, 0), resample=Image.Resampling.BILINEAR
    )
    img = img.rotate(float(rng.uniform(-25, 25)), resample=Image.Resampling.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.2)))).resize(
        (28, 28), Image.Resampling.LANCZOS
    )
    noisy = np.asarray(img, dtype=np.float64) + rng.normal(0, 12, (28, 28))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def write_digits(root: Path, n_train: int = 6000, n_test: int = 1000) -> None:
    """A small MNIST look-alike in torchvision's raw layout (root/MNIST/raw)."""
    from studio.core.data.sources import idx_bytes  # the studio is on sys.path once main() ran

    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = (np.arange(n) % 10).astype(np.uint8)
        rng.shuffle(labels)
        images = np.stack([digit(int(v), rng) for v in labels])
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes(images))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(labels))


def fruit(kind: str, rng: np.random.Generator, size: int = 96) -> Image.Image:
    """A drawn "photo" of apples, bananas or grapes on a random table colour."""
    table = tuple(int(v) for v in rng.integers(120, 230, 3))
    img = Image.new("RGB", (size, size), table)
    draw = ImageDraw.Draw(img)
    cx, cy = (int(v) for v in rng.integers(size // 3, 2 * size // 3, 2))
    if kind == "apples":
        for _ in range(int(rng.integers(1, 4))):
            r = int(rng.integers(14, 24))
            x, y = cx + int(rng.integers(-15, 16)), cy + int(rng.integers(-15, 16))
            red = (int(rng.integers(150, 230)), int(rng.integers(10, 60)), int(rng.integers(10, 50)))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=red)
            draw.line((x, y - r, x + 3, y - r - 7), fill=(90, 60, 20), width=3)
    elif kind == "bananas":
        for k in range(int(rng.integers(1, 4))):
            box = (cx - 36, cy - 30 + 8 * k, cx + 36, cy + 26 + 8 * k)
            draw.arc(
                box, 20, 160, fill=(int(rng.integers(220, 256)), int(rng.integers(190, 230)), 40), width=10
            )
    else:
        purple = (int(rng.integers(80, 140)), int(rng.integers(20, 60)), int(rng.integers(100, 160)))
        for _ in range(int(rng.integers(12, 22))):
            x, y = cx + int(rng.normal(0, 10)), cy + int(abs(rng.normal(0, 14)))
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=purple, outline=(40, 10, 50))
    img = img.rotate(float(rng.uniform(-20, 20)), fillcolor=table)
    noisy = np.asarray(img, dtype=np.float64) + rng.normal(0, 6, (size, size, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def write_fruit_folder(root: Path, per_class: int = 40) -> Path:
    """root/<fruit>/<fruit>_NNN.jpg: a class-per-folder dataset like a user's own photos."""
    rng = np.random.default_rng(1)
    for kind in FRUITS:
        (root / kind).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            fruit(kind, rng).save(root / kind / f"{kind}_{i:03d}.jpg", quality=90)
    return root


def fake_resnet18_weights() -> None:
    """A stand-in for torchvision's ImageNet ResNet-18 file in the (temporary) weight cache."""
    import torch
    from torchvision.models import get_model

    from studio.core.model.builder import cached_weights_path

    target = cached_weights_path("resnet18")
    target.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.save(get_model("resnet18", weights=None).state_dict(), target)


# --------------------------------------------------------------------------- driving the window


class Shooter:
    """Saves screenshots of the window (or one widget) as palette PNGs."""

    def __init__(self, app: Any, out: Path) -> None:
        self.app = app
        self.out = out
        self.written: list[Path] = []

    def pump(self, ms: int = 150) -> None:
        """Let Qt run for ``ms`` milliseconds (layouts, repaints, queued signals)."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def wait(self, what: str, condition: Callable[[], bool], timeout: float = 600.0) -> None:
        """Run the event loop until ``condition()`` holds; fail loudly after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit(f"make_screenshots: timed out waiting for {what}")
            self.app.processEvents()
            time.sleep(0.01)

    def shot(self, widget: Any, name: str, colors: int = 128) -> None:
        """Grab ``widget`` and save it as ``name``.png (a ``colors`` palette, optimised).

        Transient status-bar messages (which name the temporary folder) are cleared first.
        """
        window = widget.window()
        if hasattr(window, "statusBar"):
            window.statusBar().clearMessage()
        self.pump(250)
        qimage = widget.grab().toImage()
        path = self.out / f"{name}.png"
        tmp = path.with_suffix(".raw.png")
        qimage.save(str(tmp))
        with Image.open(tmp) as img:
            img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(
                path, optimize=True
            )
        tmp.unlink()
        self.written.append(path)
        print(
            f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
            f"({path.stat().st_size // 1024} kB)",
            flush=True,
        )


def open_project(window: Any, template: str, folder: Path, **data: Any) -> None:
    """Write ``template`` (with ``data`` overrides) to folder/<template>.json and open it."""
    from studio.core.project.project_file import Project, save_project
    from studio.core.project.templates import get_template

    raw = get_template(template).project().to_dict()
    raw["data"].update(data)
    path = folder / f"{template}.json"
    save_project(Project.from_dict(raw), path)
    assert window.files.open_path(path, ask=False), f"could not open {path}"


def select_row(page: Any, row: int) -> None:
    """Select layer ``row`` in the designer's stack (as a click does)."""
    page.stack_view.select_rows([row])
    page.stack_view.scrollTo(page.model.index(row, 0))


def shoot_lab(s: Shooter, window: Any) -> None:
    """The Lab page: convolution step by step, pooling, and the open project's first filters."""
    lab = window.show_page("Lab")
    lab.ensure_loaded()
    lab.tabs.setCurrentWidget(lab.conv)
    lab.conv.padding.setCurrentText("1")
    lab.conv.go_to(7 * 28 + 12)
    s.shot(window, "lab-convolution", colors=160)
    lab.tabs.setCurrentWidget(lab.pool)
    s.shot(window, "lab-pooling", colors=160)
    lab.filters.refresh()
    if lab.filters.run_combo.count():
        lab.tabs.setCurrentWidget(lab.filters)
        lab.filters.load()
        s.wait(
            "the run's filters",
            lambda: lab.filters.filters is not None or lab.filters.load_button.isEnabled(),
        )
        s.shot(window, "lab-filters", colors=160)


def run(out: Path, work: Path, lang: str = "en") -> list[Path]:
    """Make every screenshot into ``out`` from the window in ``lang``; ``work`` is a scratch folder."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(work / "config"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "config"))
    from studio.app import create_main_window, make_application

    print("drawing the datasets…", flush=True)
    write_digits(work / "home" / ".cache" / "cnn-studio" / "datasets")
    fruits = write_fruit_folder(work / "fruit-photos")
    fake_resnet18_weights()
    projects = work / "projects"
    projects.mkdir()

    app = make_application(["make_screenshots"], language=lang)
    s = Shooter(app, out)
    window = create_main_window()
    window.resize(1280, 800)
    window.show()
    s.pump(500)
    print("screenshots:", flush=True)
    s.shot(window, "start-page")

    # --- MNIST: design, data, train, evaluate, export, explain ----------------------------
    open_project(window, "mnist-cnn", projects, download=False)
    design = window.show_page("Design")
    select_row(design, 4)  # the stride-2 convolution: 14 x 14 -> 7 x 7
    s.shot(window, "mnist-design")

    data = window.show_page("Data")
    s.wait("the digits to be listed", lambda: data.loads_finished > 0 and data.model.rowCount() > 0)
    data.grid.setCurrentIndex(data.model.index(7))
    s.pump(1200)  # thumbnails decode in the background
    s.shot(window, "mnist-data", colors=64)  # grey digits: few colours suffice

    train = window.show_page("Train")
    finished: list[str] = []
    window.trainingFinished.connect(finished.append)
    run_dir = train.start_training()
    assert run_dir is not None, "training was refused"
    s.wait("training", lambda: bool(finished))
    s.shot(window, "mnist-train")

    evaluate = window.show_page("Evaluate")
    evaluate.select_run(run_dir)
    evaluate.evaluate()
    s.wait("the evaluation", lambda: evaluate.result is not None and not evaluate.busy)
    ev = evaluate.result.evaluation
    mistakes = ev.confusion.copy()
    np.fill_diagonal(mistakes, -1)
    true, predicted = np.unravel_index(int(np.argmax(mistakes)), mistakes.shape)
    evaluate.show_cell(int(true), int(predicted))  # as a click on the biggest mistake does
    s.pump(1500)  # the gallery's thumbnails render in the background
    s.shot(window, "mnist-evaluate")

    dialog = evaluate.export_dialog()
    dialog.set_format("onnx")
    dialog.path_edit.setText(str(work / "exports" / "digits.onnx"))
    dialog.start()
    s.wait("the ONNX export", lambda: not dialog.busy)
    s.shot(dialog, "export-dialog")
    exported = dialog.result.path if dialog.result is not None else None
    dialog.close()

    digits = work / "digits"
    digits.mkdir()
    for i, v in enumerate((3, 8, 5)):
        Image.fromarray(digit(v, np.random.default_rng(100 + i))).save(digits / f"digit-{v}.png")
    evaluate.predict_panel.predict(sorted(str(p) for p in digits.glob("*.png")))
    evaluate.tabs.setCurrentWidget(evaluate.predict_panel)
    s.wait(
        "the predictions", lambda: not evaluate.predict_panel.busy and bool(evaluate.predict_panel.results)
    )
    s.shot(window, "mnist-predict")

    evaluate.explain_file(str(digits / "digit-8.png"))
    panel = evaluate.explain_panel
    s.wait("the explanation", lambda: not panel.busy and panel.result is not None)
    s.shot(window, "explain", colors=192)  # keep the Grad-CAM colour map

    # --- the Lab: a Sobel kernel over a sample image, pooling, this run's first filters ------
    shoot_lab(s, window)

    # --- CIFAR-10: the VGG-style template as a block diagram -------------------------------
    open_project(window, "cifar10-cnn", projects, download=False)
    design = window.show_page("Design")
    design.tabs.setCurrentWidget(design.diagram)
    select_row(design, 1)
    s.shot(window, "cifar10-diagram")
    design.tabs.setCurrentWidget(design.shape_table)

    # --- VGG-16 from blocks --------------------------------------------------------------
    open_project(window, "vgg16", projects, root=str(fruits))
    design = window.show_page("Design")
    select_row(design, 2)
    s.shot(window, "vgg16-design")

    # --- the output-size formula on ResNet-18's stem (a stride-2 7x7 convolution) ----------
    open_project(window, "resnet18-blocks", projects, root=str(fruits))
    design = window.show_page("Design")
    select_row(design, 0)
    s.shot(window, "resnet18-blocks-design")

    # --- ResNet-18 transfer learning ------------------------------------------------------
    open_project(window, "resnet18-transfer", projects, root=str(fruits))
    design = window.show_page("Design")
    source = design.pretrained.source  # not the status text: it is in the window's language
    s.wait("the pretrained summary", lambda: source.summary() is not None or bool(source.error()))
    s.shot(window, "resnet18-transfer")

    # --- your own photos: the folder on the Data page, with the augmentation preview -------
    open_project(window, "photos-cnn", projects, root=str(fruits))
    data = window.show_page("Data")
    s.wait("the photos to be listed", lambda: data.listing is not None and data.model.rowCount() == 3 * 40)
    data.grid.setCurrentIndex(data.model.index(2))
    data.tabs.setCurrentIndex(1)  # Augmentation
    s.pump(2500)
    s.shot(window, "photos-data", colors=160)

    window.ctx.document.reset(window.ctx.document.project, window.ctx.document.path)
    window.close()
    s.pump(200)
    if exported is None:
        raise SystemExit(f"make_screenshots: the ONNX export was refused; see {out / 'export-dialog.png'}")
    return s.written


LANGUAGES = ("en", "ko")


def output_folder(lang: str, out: Path | None = None) -> Path:
    """Where the PNGs of ``lang`` go: ``out`` if given, else docs/images (English) or
    docs/images/<lang> (the same file names, linked from docs/<lang>/)."""
    if out is not None:
        return out
    images = ROOT / "docs" / "images"
    return images if lang == "en" else images / lang


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """``--lang`` (en or ko) and ``--out`` (default: :func:`output_folder`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="the window's language (default: en)")
    parser.add_argument(
        "--out", type=Path, default=None, help="where the PNGs go (default: docs/images, or docs/images/ko)"
    )
    args = parser.parse_args(argv)
    args.out = output_folder(args.lang, args.out)
    return args


def main(argv: list[str] | None = None) -> int:
    """Parse the options and make the screenshots inside a throw-away HOME."""
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from studio.gui.common.pyside_compat import protect_none

    protect_none()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cnn-studio-shots-") as tmp:
        work = Path(tmp)
        for name, sub in (
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("CNN_STUDIO_HOME", "studio-home"),
            ("TORCH_HOME", "torch-home"),
        ):
            (work / sub).mkdir(exist_ok=True)
            os.environ[name] = str(work / sub)
        written = run(args.out.resolve(), work, args.lang)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total // 1024} kB, in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
