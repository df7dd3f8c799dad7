"""The project file: dataclasses <-> JSON, validation, migration and atomic saving.

A project is the studio's single source of truth (docs/project-format.md): a dataset, a network and
a training recipe. Everything that reads a project file goes through :func:`load_project` so
that every error a user can cause names the field's path and what is allowed, e.g.
``model.layers[3].kernel_size: must be a positive integer, got -1``.

Unknown keys are never dropped: each section keeps them in ``extra`` and writes them back, so
a file edited by a newer studio or by hand survives a round trip through an older one.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.files import atomic_write_bytes, json_text, read_regular
from studio.core.base.i18n import tr
from studio.core.base.validate import (
    describe_value,
    require_bool,
    require_choice,
    require_dict,
    require_float,
    require_int,
    require_str,
    type_name,
)
from studio.core.data.augment import validate_augment
from studio.core.model.blocks import validate_layer_at
from studio.core.model.zoo import ARCHITECTURES, STAGES, stage_names
from studio.core.project.optim_settings import check_optimizer, check_scheduler

log = logging.getLogger(__name__)

FORMAT = "cnn-studio/1"
FORMAT_VERSION = 1
SOURCES = ("mnist", "fashion_mnist", "cifar10", "cifar100", "folder", "sample")
OPTIMIZERS = ("SGD", "Adam", "AdamW")
SCHEDULERS = ("StepLR", "CosineAnnealingLR", "OneCycleLR", "ReduceLROnPlateau")
#: what early stopping and ReduceLROnPlateau may watch
MONITORS = ("val_loss", "val_acc", "train_loss", "train_acc")
DEVICES = ("auto", "cpu", "cuda", "mps")
FREEZE = ("backbone", "none")
UNFREEZE_MODES = ("stage", "all")
#: training.precision (optional, kept in ``TrainingSpec.extra``; the engine's
#: studio.core.training.devices.choose_precision reads it)
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
MAX_FILE_BYTES = 5_000_000
MAX_LAYERS = 500
MAX_IMAGE_SIDE = 2048
MAX_EPOCHS = 100_000
MAX_PER_CLASS = 10_000_000
#: the deepest nesting of lists and objects a project file may have (real ones need about 5)
MAX_DEPTH = 32


def _default_augment() -> dict[str, Any]:
    return {}


@dataclass
class DataSpec:
    """Where the images come from and how they are shaped for the model."""

    source: str = "sample"
    root: str = ""
    download: bool = False
    channels: int = 1
    image_size: tuple[int, int] = (28, 28)
    val: float | str = 0.1
    augment: dict[str, Any] = field(default_factory=_default_augment)
    #: use at most this many images of each class in each split (quick trials); None: all
    limit_per_class: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """The (C, H, W) tensor shape one image has when it reaches the model."""
        return (self.channels, self.image_size[0], self.image_size[1])


@dataclass
class ModelSpec:
    """The network: a stack of registry blocks, or a pretrained torchvision model."""

    kind: str = "stack"
    layers: list[dict[str, Any]] = field(default_factory=list)
    arch: str = "resnet18"
    weights: str | None = "DEFAULT"
    freeze: str = "backbone"
    # fine-tuning (studio.core.training.finetune; docs/transfer-learning.md): with freeze "backbone",
    # stages unfreeze_from..last train from the start; every unfreeze_after epochs one more stage
    # unfreezes (unfreeze_mode "stage") or all of them at once ("all"); the backbone's learning
    # rate is the head's times backbone_lr_mult.
    unfreeze_from: int | None = None
    unfreeze_after: int | None = None
    unfreeze_mode: str = "stage"
    backbone_lr_mult: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TrainingSpec:
    """The recipe: epochs, batch size, optimizer, schedule and the safety nets."""

    epochs: int = 3
    batch_size: int = 128
    optimizer: dict[str, Any] = field(
        default_factory=lambda: {"type": "AdamW", "lr": 0.003, "weight_decay": 0.0001}
    )
    scheduler: dict[str, Any] | None = None
    seed: int = 0
    device: str = "auto"
    label_smoothing: float = 0.0
    grad_clip: float | None = None
    early_stopping: dict[str, Any] | None = None
    deterministic: bool = False
    workers: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Project:
    """A whole project file. ``to_dict``/``from_dict`` round-trip it exactly."""

    name: str = "Untitled"
    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    training: TrainingSpec = field(default_factory=TrainingSpec)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of docs/project-format.md, unknown keys included."""
        d = self.data
        data: dict[str, Any] = {
            "source": d.source,
            "root": d.root,
            "download": d.download,
            "channels": d.channels,
            "image_size": list(d.image_size),
            "val": d.val,
            "augment": copy.deepcopy(d.augment),
        }
        if d.limit_per_class is not None:  # written only when set: a minimal file stays minimal
            data["limit_per_class"] = d.limit_per_class
        data.update(copy.deepcopy(d.extra))
        m = self.model
        model: dict[str, Any] = {"kind": m.kind}
        if m.kind == "stack":
            model["layers"] = copy.deepcopy(m.layers)
        else:
            model.update({"arch": m.arch, "weights": m.weights, "freeze": m.freeze})
            # fine-tuning keys are written only when set, so that a minimal file stays minimal
            if m.unfreeze_from is not None:
                model["unfreeze_from"] = m.unfreeze_from
            if m.unfreeze_after is not None:
                model["unfreeze_after"] = m.unfreeze_after
            if m.unfreeze_after is not None or m.unfreeze_mode != "stage":
                model["unfreeze_mode"] = m.unfreeze_mode
            if m.backbone_lr_mult != 1.0:
                model["backbone_lr_mult"] = m.backbone_lr_mult
        model.update(copy.deepcopy(m.extra))
        t = self.training
        training: dict[str, Any] = {
            "epochs": t.epochs,
            "batch_size": t.batch_size,
            "optimizer": copy.deepcopy(t.optimizer),
            "scheduler": copy.deepcopy(t.scheduler),
            "seed": t.seed,
            "device": t.device,
        }
        # optional recipe keys are written only when set, so that a minimal file stays minimal
        if t.label_smoothing:
            training["label_smoothing"] = t.label_smoothing
        if t.grad_clip is not None:
            training["grad_clip"] = t.grad_clip
        if t.early_stopping is not None:
            training["early_stopping"] = copy.deepcopy(t.early_stopping)
        if t.deterministic:
            training["deterministic"] = True
        if t.workers is not None:
            training["workers"] = t.workers
        training.update(copy.deepcopy(t.extra))
        out: dict[str, Any] = {
            "format": FORMAT,
            "name": self.name,
            "data": data,
            "model": model,
            "training": training,
        }
        out.update(copy.deepcopy(self.extra))
        return out

    def to_json(self) -> str:
        """Pretty, stable JSON text (what :func:`save_project` writes)."""
        return json_text(self.to_dict(), indent=2) + "\n"

    def copy(self) -> Project:
        """A deep, independent copy: the immutable snapshot handed to a training run."""
        return copy.deepcopy(self)

    @classmethod
    def from_dict(cls, raw: Any) -> Project:
        """Validate and convert parsed JSON; raises :class:`ProjectError` naming the field."""
        return _parse_project(raw)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """Shortcut for ``data.input_shape``."""
        return self.data.input_shape


# --------------------------------------------------------------------------- section parsers


def _split(raw: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in raw.items() if k not in known}


def _parse_data(raw: Any) -> DataSpec:
    raw = require_dict(raw, "data")
    known = ("source", "root", "download", "channels", "image_size", "val", "augment", "limit_per_class")
    d = DataSpec()
    d.source = require_choice(raw.get("source", d.source), "data.source", SOURCES)
    d.root = require_str(raw.get("root", d.root), "data.root")
    d.download = require_bool(raw.get("download", d.download), "data.download")
    channels = require_int(raw.get("channels", d.channels), "data.channels", 1, 4)
    if channels == 2:
        raise ProjectError("data.channels", tr("must be 1 (greyscale), 3 (RGB) or 4 (RGBA), got 2"))
    d.channels = channels
    size = raw.get("image_size", list(d.image_size))
    if isinstance(size, int) and not isinstance(size, bool):
        size = [size, size]
    if not isinstance(size, list) or len(size) != 2:
        raise ProjectError(
            "data.image_size", tr("must be [height, width], got {size}", size=describe_value(size))
        )
    h = require_int(size[0], "data.image_size[0]", 1, MAX_IMAGE_SIDE)
    w = require_int(size[1], "data.image_size[1]", 1, MAX_IMAGE_SIDE)
    d.image_size = (h, w)
    val = raw.get("val", d.val)
    if isinstance(val, str):
        if val != "test":
            raise ProjectError(
                "data.val", tr('must be a fraction in [0, 0.9] or "test", got {val}', val=describe_value(val))
            )
        d.val = val
    else:
        d.val = require_float(val, "data.val", 0.0, 0.9)
    if raw.get("limit_per_class") is not None:
        d.limit_per_class = require_int(raw["limit_per_class"], "data.limit_per_class", 1, MAX_PER_CLASS)
    d.augment = copy.deepcopy(require_dict(raw.get("augment", {}), "data.augment"))
    validate_augment(d.augment, "data.augment")
    if d.source == "folder" and not d.root:
        raise ProjectError(
            "data.root", tr("a folder source needs the folder that holds one sub-folder per class")
        )
    d.extra = _split(raw, known)
    return d


def _parse_model(raw: Any) -> ModelSpec:
    raw = require_dict(raw, "model")
    m = ModelSpec()
    m.kind = require_choice(raw.get("kind", "stack"), "model.kind", ("stack", "pretrained"))
    if m.kind == "stack":
        known: tuple[str, ...] = ("kind", "layers")
        layers = raw.get("layers", [])
        if not isinstance(layers, list):
            raise ProjectError(
                "model.layers", tr("must be a list of layers, got {layers}", layers=type_name(layers))
            )
        if len(layers) > MAX_LAYERS:
            raise ProjectError(
                "model.layers",
                tr(
                    "has {n_layers} layers; at most {most} are supported",
                    n_layers=len(layers),
                    most=MAX_LAYERS,
                ),
            )
        m.layers.extend(validate_layer_at(layer, i) for i, layer in enumerate(layers))
    else:
        known = (
            "kind",
            "arch",
            "weights",
            "freeze",
            "unfreeze_from",
            "unfreeze_after",
            "unfreeze_mode",
            "backbone_lr_mult",
        )
        m.arch = require_str(raw.get("arch", m.arch), "model.arch")
        if m.arch not in ARCHITECTURES:
            raise ProjectError(
                "model.arch",
                tr(
                    "must be one of {allowed}, got {value}",
                    allowed=", ".join(ARCHITECTURES),
                    value=describe_value(m.arch),
                ),
            )
        weights = raw.get("weights", m.weights)
        if weights is not None:
            weights = require_str(weights, "model.weights")
            if not weights:
                raise ProjectError("model.weights", tr('must be "DEFAULT", null or a path to a .pth file'))
        m.weights = weights
        m.freeze = require_choice(raw.get("freeze", m.freeze), "model.freeze", FREEZE)
        _parse_finetune(raw, m)
    m.extra = _split(raw, known)
    return m


def _parse_finetune(raw: dict[str, Any], m: ModelSpec) -> None:
    """The fine-tuning keys of a pretrained model section (see :class:`ModelSpec`)."""
    if raw.get("unfreeze_from") is not None:
        count = len(STAGES[m.arch])
        stage = require_int(raw["unfreeze_from"], "model.unfreeze_from", 0)
        if stage > count:
            listed = ", ".join(f"{i} {n}" for i, n in enumerate(stage_names(m.arch)[:-1]))
            raise ProjectError(
                "model.unfreeze_from",
                tr(
                    "{arch} has stages 0..{count} ({listed}), got {stage}; pick one of them or null (head only)",
                    arch=m.arch,
                    count=count,
                    listed=listed,
                    stage=stage,
                ),
            )
        m.unfreeze_from = stage
    if raw.get("unfreeze_after") is not None:
        m.unfreeze_after = require_int(raw["unfreeze_after"], "model.unfreeze_after", 1, MAX_EPOCHS)
    m.unfreeze_mode = require_choice(
        raw.get("unfreeze_mode", m.unfreeze_mode), "model.unfreeze_mode", UNFREEZE_MODES
    )
    if "backbone_lr_mult" in raw:
        m.backbone_lr_mult = require_float(
            raw["backbone_lr_mult"], "model.backbone_lr_mult", 0.0, 1.0, lo_open=True
        )


def _parse_optimizer(raw: Any) -> dict[str, Any]:
    raw = copy.deepcopy(require_dict(raw, "training.optimizer"))
    require_choice(raw.get("type"), "training.optimizer.type", OPTIMIZERS)
    if "lr" not in raw:
        raise ProjectError("training.optimizer.lr", tr("is required (a learning rate such as 0.001)"))
    check_optimizer(raw)  # every argument against its signature and range (optim_settings)
    return raw


def _parse_scheduler(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    raw = copy.deepcopy(require_dict(raw, "training.scheduler"))
    if raw.get("type") in (None, "none", "None"):
        return None
    require_choice(raw.get("type"), "training.scheduler.type", SCHEDULERS)
    check_scheduler(raw)
    return raw


def _parse_training(raw: Any) -> TrainingSpec:
    raw = require_dict(raw, "training")
    known = (
        "epochs",
        "batch_size",
        "optimizer",
        "scheduler",
        "seed",
        "device",
        "label_smoothing",
        "grad_clip",
        "early_stopping",
        "deterministic",
        "workers",
    )
    t = TrainingSpec()
    t.epochs = require_int(raw.get("epochs", t.epochs), "training.epochs", 1, MAX_EPOCHS)
    t.batch_size = require_int(raw.get("batch_size", t.batch_size), "training.batch_size", 1, 65536)
    t.optimizer = _parse_optimizer(raw.get("optimizer", t.optimizer))
    t.scheduler = _parse_scheduler(raw.get("scheduler", None))
    t.seed = require_int(raw.get("seed", t.seed), "training.seed", 0, 2**32 - 1)
    t.device = require_str(raw.get("device", t.device), "training.device")
    base = t.device.split(":")[0]
    if base not in DEVICES:
        raise ProjectError(
            "training.device",
            tr(
                'must be "auto", "cpu", "cuda", "cuda:N" or "mps", got {device}',
                device=describe_value(t.device),
            ),
        )
    if "label_smoothing" in raw:
        t.label_smoothing = require_float(raw["label_smoothing"], "training.label_smoothing", 0.0, 0.9)
    if raw.get("grad_clip") is not None:
        t.grad_clip = require_float(raw["grad_clip"], "training.grad_clip", 0.0, lo_open=True)
    if "deterministic" in raw:
        t.deterministic = require_bool(raw["deterministic"], "training.deterministic")
    if raw.get("workers") is not None:
        t.workers = require_int(raw["workers"], "training.workers", 0, 64)
    if "precision" in raw:
        require_choice(raw["precision"], "training.precision", PRECISIONS)
    if "tta" in raw:  # test-time flip averaging, kept in extra like precision (the engine reads it)
        require_bool(raw["tta"], "training.tta")
    es = raw.get("early_stopping")
    if es is not None:
        es = copy.deepcopy(require_dict(es, "training.early_stopping"))
        if "patience" in es:
            require_int(es["patience"], "training.early_stopping.patience", 1)
        if "min_delta" in es:
            require_float(es["min_delta"], "training.early_stopping.min_delta", 0.0)
        if "monitor" in es:
            require_choice(es["monitor"], "training.early_stopping.monitor", MONITORS)
        t.early_stopping = es
    t.extra = _split(raw, known)
    return t


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older project dict up to :data:`FORMAT`; refuse a newer one.

    Version 0 was the unversioned draft format (no ``format`` key, ``dataset`` instead of
    ``data``): it is renamed in place. There is no older real format yet; this is where the
    next migration goes.
    """
    fmt = raw.get("format")
    version = 0
    if fmt is not None:
        if not isinstance(fmt, str) or not re.fullmatch(r"cnn-studio/[0-9]{1,6}", fmt):
            raise ProjectError(
                "format", tr('must be "{expected}", got {fmt}', expected=FORMAT, fmt=describe_value(fmt))
            )
        version = int(fmt.split("/", 1)[1])
    if version > FORMAT_VERSION:
        raise ProjectError(
            "format",
            tr(
                "{fmt} was written by a newer CNN Studio; this one reads {expected} and older. Update CNN Studio to open it.",
                fmt=fmt,
                expected=FORMAT,
            ),
        )
    if version == 0:
        raw = dict(raw)
        if "dataset" in raw and "data" not in raw:
            raw["data"] = raw.pop("dataset")
        raw["format"] = FORMAT
    return raw


def _parse_project(raw: Any) -> Project:
    if not isinstance(raw, dict):
        raise ProjectError("", tr("a project file holds one JSON object, got {raw}", raw=type_name(raw)))
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:  # deep values would crash later copies and writers with RecursionError
        raise ProjectError(
            "",
            tr(
                "nested too deeply: lists and objects nest {depth} levels deep; a project file needs at most {most}",
                depth=depth,
                most=MAX_DEPTH,
            ),
        )
    raw = migrate(raw)
    known = ("format", "name", "data", "model", "training")
    p = Project()
    p.name = require_str(raw.get("name", p.name), "name")
    try:
        p.name.encode("utf-8")
    except UnicodeEncodeError:  # a "\udc80" escape: no file, title or terminal can show it
        raise ProjectError(
            "name",
            tr(
                "contains an invalid character (a lone surrogate such as \\udc80); write the name in plain text"
            ),
        ) from None
    p.data = _parse_data(raw.get("data", {}))
    p.model = _parse_model(raw.get("model", {}))
    p.training = _parse_training(raw.get("training", {}))
    if p.model.kind == "pretrained" and p.data.channels != 3:
        raise ProjectError(
            "data.channels",
            tr(
                "pretrained {arch} expects 3-channel (RGB) images, got {channels}: set data.channels to 3",
                arch=p.model.arch,
                channels=p.data.channels,
            ),
        )
    p.extra = _split(raw, known)
    return p


# --------------------------------------------------------------------------- files


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (a scalar: 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def parse_project_text(text: str, where: str = "project") -> Project:
    """Parse project JSON text (a UTF-8 BOM tolerated) into a validated :class:`Project`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        raw = json.loads(text)
    except RecursionError:
        raise ProjectError("", tr("{where} is nested too deeply to be a project file", where=where)) from None
    except json.JSONDecodeError as exc:
        raise ProjectError(
            "",
            tr(
                "{where} is not valid JSON (line {lineno}, column {colno}: {msg})",
                where=where,
                lineno=exc.lineno,
                colno=exc.colno,
                msg=exc.msg,
            ),
        ) from None
    except ValueError as exc:  # e.g. an integer literal with thousands of digits
        raise ProjectError(
            "", tr("{where} is not a usable project file: {exc}", where=where, exc=exc)
        ) from None
    try:
        return Project.from_dict(raw)
    except RecursionError:
        raise ProjectError("", tr("{where} is nested too deeply to be a project file", where=where)) from None
    except ProjectError as exc:
        if exc.path:
            raise
        raise ProjectError("", f"{where}: {exc.message}") from None


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a project file; every failure is a :class:`ProjectError`."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ProjectError("", tr("{p} is a folder, not a project file", p=p))
        if size > MAX_FILE_BYTES:
            raise ProjectError(
                "",
                tr(
                    "{p} is {mb:.1f} MB; a project file is at most {most_mb:.0f} MB. Is this the right file?",
                    p=p,
                    mb=size / 1e6,
                    most_mb=MAX_FILE_BYTES / 1e6,
                ),
            )
        data = read_regular(p, MAX_FILE_BYTES)  # a FIFO or /dev/zero would block or never end
    except FileNotFoundError:
        raise ProjectError("", tr("{p} does not exist", p=p)) from None
    except OSError as exc:
        raise ProjectError("", tr("cannot read {p}: {reason}", p=p, reason=exc.strerror or exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError("", tr("{p} is not UTF-8 text; a project file is JSON", p=p)) from None
    project = parse_project_text(text, str(p))
    log.debug(
        "loaded %s: %s data, %s model (%d layers)",
        p,
        project.data.source,
        project.model.kind,
        len(project.model.layers),
    )
    return project


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write the project as JSON atomically."""
    atomic_write_bytes(path, project.to_json().encode("utf-8"))
