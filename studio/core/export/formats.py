"""Writers and readers of the binary export formats, and the metadata every export carries.

Each format stores the same :class:`ExportMeta` (class names, input size, normalisation,
preprocessing, the project) where that format keeps metadata:

========================  =====================================================================
``torchscript`` (.pt)     ``_extra_files["cnn_studio.json"]`` inside the archive
``onnx`` (.onnx)          ``metadata_props["cnn_studio"]`` (plus ``classes``, ``input_shape``,
                          ``mean``, ``std`` as their own JSON-valued keys)
``state-dict`` (.pt)      a dict ``{"state_dict": ..., "meta": ..., "classes": ..., ...}`` that
                          loads with ``torch.load(..., weights_only=True)``
``safetensors``           the header's ``__metadata__`` (string -> string, as the format demands)
========================  =====================================================================

Readers return a *runner*: a function from a float32 batch ``(N, C, H, W)`` (numpy) to logits
``(N, K)`` (numpy), plus the metadata, so that the exporter's verification and ``predict``
treat every format alike.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.files import json_text
from studio.core.base.i18n import tr
from studio.core.model.builder import build_model
from studio.core.project.project_file import MAX_IMAGE_SIDE, Project

if TYPE_CHECKING:
    import torch.nn as nn

EXPORT_FORMAT = "cnn-studio-export/1"
META_KEY = "cnn_studio"
TORCHSCRIPT_META_FILE = "cnn_studio.json"
ONNX_OPSET = 18  # the torch.export-based exporter's native opset (>= 17; docs/export.md)
ONNX_LEGACY_OPSET = 17
INPUT_NAME = "input"
OUTPUT_NAME = "logits"

Runner = Callable[[np.ndarray], np.ndarray]
MAX_SIDE = MAX_IMAGE_SIDE  # no export of the studio's declares a larger input
MAX_CLASSES = 100_000


class ExportError(UserError):
    """An export that cannot be written, read back, or that disagrees with the model."""


@dataclass
class ExportMeta:
    """What a user of an exported model needs besides the weights.

    The model outputs raw class scores (logits); apply a softmax for probabilities. Inputs
    are ``(N, C, H, W)`` float32 images prepared as ``preprocess`` says: converted to
    ``channels`` channels, resized to ``image_size`` (bilinear), scaled to 0..1, then
    ``(x - mean) / std`` per channel.
    """

    name: str
    classes: list[str]
    input_shape: tuple[int, int, int]
    mean: list[float]
    std: list[float]
    project: dict[str, Any] = field(default_factory=dict)
    checkpoint: str = "best"
    epoch: int | None = None

    @classmethod
    def from_checkpoint(
        cls, state: dict[str, Any], which: str = "best", where: str = "the checkpoint"
    ) -> ExportMeta:
        """The metadata of a studio checkpoint (docs/contract.md); :class:`ExportError` naming
        ``where`` and the field when one is missing or out of range."""
        if not isinstance(state, dict):
            raise ExportError(tr("{where}: not a CNN Studio checkpoint (no dict of fields)", where=where))
        project = state.get("project") or {}
        if not isinstance(project, dict):
            raise ExportError(
                tr(
                    "{where}: field project must be an object, got {kind}",
                    where=where,
                    kind=type(project).__name__,
                )
            )
        try:
            shape = state.get("input_shape") or _project_shape(project)
        except (TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ExportError(
                tr("{where}: field project.data is malformed ({exc})", where=where, exc=exc)
            ) from None
        norm = state.get("norm") or {}
        if not isinstance(norm, dict):
            raise ExportError(tr("{where}: field norm must be an object with mean and std", where=where))
        c = _channels(shape, where)
        epoch = state.get("epoch")
        return cls.checked(
            where,
            name=project.get("name", "model"),
            classes=state.get("classes"),
            input_shape=shape,
            mean=norm.get("mean", [0.0] * c),
            std=norm.get("std", [1.0] * c),
            project=project,
            checkpoint=which,
            epoch=epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None,
        )

    @classmethod
    def from_json(cls, raw: Any, where: str) -> ExportMeta:
        """Parse :meth:`to_json`'s output; :class:`ExportError` naming ``where`` if malformed."""
        try:
            if isinstance(raw, (str, bytes)):
                raw = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise ExportError(
                tr("{where}: the CNN Studio metadata is not JSON ({exc})", where=where, exc=str(exc)[:120])
            ) from None
        if not isinstance(raw, dict):
            raise ExportError(tr("{where}: the CNN Studio metadata must be a JSON object", where=where))
        for key in ("classes", "input_shape", "mean", "std"):
            if key not in raw:
                raise ExportError(
                    tr("{where}: the CNN Studio metadata has no field {key}", where=where, key=key)
                )
        project = raw.get("project") or {}
        if not isinstance(project, dict):
            raise ExportError(tr("{where}: field project must be an object", where=where))
        epoch = raw.get("epoch")
        return cls.checked(
            where,
            name=raw.get("name", "model"),
            classes=raw["classes"],
            input_shape=raw["input_shape"],
            mean=raw["mean"],
            std=raw["std"],
            project=project,
            checkpoint=str(raw.get("checkpoint", "best")),
            epoch=epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None,
        )

    @classmethod
    def checked(
        cls,
        where: str,
        *,
        name: Any,
        classes: Any,
        input_shape: Any,
        mean: Any,
        std: Any,
        project: dict[str, Any],
        checkpoint: str,
        epoch: int | None,
    ) -> ExportMeta:
        """Build the metadata from untrusted values, each checked: class names (1 to
        :data:`MAX_CLASSES` strings), an input shape the studio could have trained (1, 3 or 4
        channels, sides up to :data:`MAX_SIDE` - a declared ``[3, 60000, 60000]`` would allocate
        without end), and one finite mean and positive std per channel."""
        if not isinstance(classes, (list, tuple)) or not all(isinstance(c, str) for c in classes):
            raise ExportError(
                tr(
                    "{where}: field classes must be a list of class names, got {kind}",
                    where=where,
                    kind=type(classes).__name__,
                )
            )
        if not 1 <= len(classes) <= MAX_CLASSES:
            raise ExportError(
                tr(
                    "{where}: field classes must hold 1 to {most} names, got {n_classes}",
                    where=where,
                    most=MAX_CLASSES,
                    n_classes=len(classes),
                )
            )
        c = _channels(input_shape, where)
        sides = []
        for i in (1, 2):
            v = input_shape[i]
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_SIDE:
                raise ExportError(
                    tr(
                        "{where}: field input_shape[{i}] must be a size from 1 to {most}, got {value!r}",
                        where=where,
                        i=i,
                        most=MAX_SIDE,
                        value=v,
                    )[:300]
                )
            sides.append(v)
        stats = []
        for field_name, values in (("mean", mean), ("std", std)):
            if (
                not isinstance(values, (list, tuple))
                or len(values) != c
                or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in values
                )
            ):
                raise ExportError(
                    tr(
                        "{where}: field {field_name} must be {c} finite numbers (one per channel)",
                        where=where,
                        field_name=field_name,
                        c=c,
                    )
                )
            if field_name == "std" and any(v <= 0 for v in values):
                raise ExportError(
                    tr(
                        "{where}: field std must be positive (it divides the pixels), got {values}",
                        where=where,
                        values=list(values),
                    )
                )
            stats.append([float(v) for v in values])
        return cls(
            str(name)[:500],
            list(classes),
            (c, sides[0], sides[1]),
            stats[0],
            stats[1],
            project,
            checkpoint,
            epoch,
        )

    @property
    def channels(self) -> int:
        """Input channels (1 grey, 3 RGB, 4 RGBA)."""
        return self.input_shape[0]

    @property
    def image_size(self) -> tuple[int, int]:
        """Input (height, width)."""
        return self.input_shape[1], self.input_shape[2]

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored in every export."""
        return {
            "format": EXPORT_FORMAT,
            "name": self.name,
            "classes": list(self.classes),
            "input_shape": list(self.input_shape),
            "mean": list(self.mean),
            "std": list(self.std),
            "output": "logits (apply softmax over the last axis for probabilities)",
            "preprocess": {
                "mode": {1: "L", 3: "RGB", 4: "RGBA"}.get(self.channels, "RGB"),
                "resize": [self.input_shape[1], self.input_shape[2]],
                "interpolation": "bilinear (Pillow, reducing_gap=3.0)",
                "scale": "1/255",
                "normalize": "(x - mean) / std per channel",
            },
            "checkpoint": self.checkpoint,
            "epoch": self.epoch,
            "project": self.project,
        }

    def text(self) -> str:
        """The metadata as compact JSON text."""
        return json_text(self.to_json(), separators=(",", ":"))


def _channels(shape: Any, where: str) -> int:
    """The channel count of a declared ``[C, H, W]`` (1, 3 or 4), else :class:`ExportError`."""
    if not isinstance(shape, (list, tuple)) or len(shape) != 3:
        raise ExportError(
            tr(
                "{where}: field input_shape must be [channels, height, width], got {kind}",
                where=where,
                kind=type(shape).__name__,
            )[:300]
        )
    c = shape[0]
    if isinstance(c, bool) or c not in (1, 3, 4):
        raise ExportError(
            tr(
                "{where}: field input_shape[0] (channels) must be 1, 3 or 4, got {value!r}",
                where=where,
                value=c,
            )[:300]
        )
    return int(c)


def _project_shape(project: dict[str, Any]) -> list[int]:
    data = project.get("data") or {}
    size = data.get("image_size") or [28, 28]
    return [int(data.get("channels", 1)), int(size[0]), int(size[1])]


def cpu_state_dict(model: nn.Module) -> dict[str, Any]:
    """The model's state dict as contiguous CPU tensors that share no storage."""
    return {k: v.detach().cpu().contiguous().clone() for k, v in model.state_dict().items()}


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence deprecation chatter and stray prints of the exporters (stdout stays clean)."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


# --------------------------------------------------------------------------- TorchScript


def write_torchscript(model: nn.Module, meta: ExportMeta, path: Path, example: Any) -> list[str]:
    """Script the model (tracing if scripting fails) and save it with the metadata inside."""
    import torch

    notes: list[str] = []
    with quiet():
        try:
            scripted = torch.jit.script(model)
            notes.append(tr("TorchScript by torch.jit.script"))
        except Exception as exc:  # e.g. a Python construct TorchScript cannot compile
            scripted = torch.jit.trace(model, example, check_trace=False)
            notes.append(
                tr("TorchScript by torch.jit.trace (scripting failed: {kind})", kind=type(exc).__name__)
            )
        buffer = io.BytesIO()
        torch.jit.save(scripted, buffer, _extra_files={TORCHSCRIPT_META_FILE: meta.text()})
    path.write_bytes(buffer.getvalue())
    return notes


def read_torchscript(path: str | os.PathLike[str]) -> tuple[Runner, ExportMeta]:
    """Load a TorchScript export (no studio code involved) and its metadata."""
    import torch

    extra = {TORCHSCRIPT_META_FILE: ""}
    try:
        with quiet():
            module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    except Exception as exc:
        raise ExportError(
            tr(
                "{path} is not a TorchScript file ({kind}: {exc}); export one with `cnn-studio export RUN --format torchscript`",
                path=path,
                kind=type(exc).__name__,
                exc=str(exc)[:120],
            )
        ) from None
    if not extra[TORCHSCRIPT_META_FILE]:
        raise ExportError(
            tr(
                "{path} is a TorchScript file without CNN Studio metadata (class names, input size); export it with `cnn-studio export`",
                path=path,
            )
        )
    meta = ExportMeta.from_json(extra[TORCHSCRIPT_META_FILE], str(path))
    return torch_runner(module.eval()), meta


# --------------------------------------------------------------------------- ONNX


def write_onnx(model: nn.Module, meta: ExportMeta, path: Path, example: Any) -> list[str]:
    """Export to ONNX with a dynamic batch axis, then store the metadata in ``metadata_props``.

    The torch.export-based exporter (``dynamo=True``, opset 18) is tried first: it is
    PyTorch's maintained path (the TorchScript-based one warns that it will be removed). If
    it fails on a model, the TorchScript-based exporter (opset 17) is used instead; the
    verification that follows checks whichever wrote the file.
    """
    import onnx
    import torch

    notes: list[str] = []
    with quiet():
        try:
            torch.onnx.export(
                model,
                (example,),
                str(path),
                dynamo=True,
                opset_version=ONNX_OPSET,
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_shapes=({0: torch.export.Dim("batch")},),
                external_data=False,
                verbose=False,
            )
            notes.append(tr("ONNX by the torch.export-based exporter (opset {opset})", opset=ONNX_OPSET))
        except Exception as exc:
            torch.onnx.export(
                model,
                (example,),
                str(path),
                dynamo=False,
                opset_version=ONNX_LEGACY_OPSET,
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
            )
            notes.append(
                tr(
                    "ONNX by the TorchScript-based exporter (opset {opset}); the torch.export-based one "
                    "failed ({kind})",
                    opset=ONNX_LEGACY_OPSET,
                    kind=type(exc).__name__,
                )
            )
    proto = onnx.load(str(path))
    props = {
        META_KEY: meta.text(),
        "classes": json.dumps(meta.classes),
        "input_shape": json.dumps(list(meta.input_shape)),
        "mean": json.dumps(meta.mean),
        "std": json.dumps(meta.std),
    }
    del proto.metadata_props[:]
    for key, value in props.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.doc_string = (
        f"{meta.name}: CNN Studio export; input (N, {', '.join(map(str, meta.input_shape))}), "
        "output logits (N, classes)"
    )
    onnx.checker.check_model(proto)
    path.write_bytes(proto.SerializeToString())
    return notes


def read_onnx(path: str | os.PathLike[str]) -> tuple[Runner, ExportMeta]:
    """Open an ONNX export with onnxruntime (CPU) and read its metadata."""
    import onnxruntime as ort

    try:
        options = ort.SessionOptions()
        options.log_severity_level = 3
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ExportError(
            tr(
                "{path} cannot be opened by onnxruntime ({kind}: {exc})",
                path=path,
                kind=type(exc).__name__,
                exc=str(exc)[:160],
            )
        ) from None
    props = session.get_modelmeta().custom_metadata_map
    if META_KEY not in props:
        raise ExportError(
            tr(
                "{path} is an ONNX model without CNN Studio metadata (class names, input size); export it with `cnn-studio export`",
                path=path,
            )
        )
    meta = ExportMeta.from_json(props[META_KEY], str(path))
    return OnnxRunner(session), meta


class OnnxRunner:
    """An onnxruntime session as a :data:`Runner` that another thread can :meth:`stop`
    (onnxruntime's ``RunOptions.terminate``): how ``predict`` ends a model that never finishes."""

    def __init__(self, session: Any) -> None:
        import onnxruntime as ort

        self.session = session
        self.input_name = session.get_inputs()[0].name
        self.options = ort.RunOptions()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.options.terminate = False
        return self.session.run(
            None, {self.input_name: np.ascontiguousarray(x, dtype=np.float32)}, self.options
        )[0]

    def stop(self) -> None:
        """Ask a running :meth:`__call__` to give up (it raises soon after)."""
        self.options.terminate = True


# --------------------------------------------------------------------------- state dict / safetensors


def write_state_dict(model: nn.Module, meta: ExportMeta, path: Path, example: Any) -> list[str]:
    """A ``weights_only``-loadable dict: the state dict beside the metadata keys."""
    import torch

    blob = {
        "format": EXPORT_FORMAT,
        "state_dict": cpu_state_dict(model),
        "meta": meta.to_json(),
        "classes": list(meta.classes),
        "input_shape": list(meta.input_shape),
        "norm": {"mean": list(meta.mean), "std": list(meta.std)},
        "project": meta.project,
    }
    buffer = io.BytesIO()
    torch.save(blob, buffer)
    path.write_bytes(buffer.getvalue())
    return [tr('load with torch.load(path, weights_only=True)["state_dict"]')]


def _rebuild(meta: ExportMeta, state: dict[str, Any], where: str) -> nn.Module:
    try:
        project = Project.from_dict(meta.project)
    except UserError as exc:
        raise ExportError(
            tr("{where}: the stored project is unreadable ({exc})", where=where, exc=exc)
        ) from None
    model = build_model(project, num_classes=len(meta.classes) or None, load_weights=False)
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise ExportError(
            tr("{where}: the weights do not fit the stored network ({exc})", where=where, exc=str(exc)[:200])
        ) from None
    return model.eval()


def check_outputs(model: nn.Module, meta: ExportMeta, where: str) -> None:
    """:class:`ExportError` naming ``where`` unless ``model`` gives one score per class of
    ``meta`` for an input of its shape (a checkpoint listing more or fewer classes than its
    network has outputs, or a network returning something else)."""
    import torch

    try:
        with torch.inference_mode():
            out = model.eval()(torch.zeros((1, *meta.input_shape)))
    except Exception as exc:
        raise ExportError(
            tr(
                "{where}: the network does not run on its field input_shape {input_shape} ({kind}: {exc})",
                where=where,
                input_shape=list(meta.input_shape),
                kind=type(exc).__name__,
                exc=str(exc)[:160],
            )
        ) from None
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (1, len(meta.classes)):
        got = tuple(out.shape[1:]) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ExportError(
            tr(
                "{where}: field classes names {n_classes} classes but the network gives {got} scores per image",
                where=where,
                n_classes=len(meta.classes),
                got=got,
            )
        )


def torch_runner(model: nn.Module) -> Runner:
    """``model`` (in eval mode) as a :data:`Runner`: float32 numpy batch in, CPU numpy logits out."""
    import torch

    def run(x: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).float().cpu().numpy()

    return run


def read_state_dict(path: str | os.PathLike[str]) -> tuple[Runner, ExportMeta]:
    """Load a state-dict export safely and rebuild its network with the studio's builder."""
    import torch

    try:
        blob = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ExportError(
            tr(
                "{path} cannot be loaded with weights_only=True ({kind})",
                path=path,
                kind=type(exc).__name__,
            )
        ) from None
    if not isinstance(blob, dict) or "state_dict" not in blob or "meta" not in blob:
        raise ExportError(tr("{path} is not a CNN Studio state-dict export", path=path))
    meta = ExportMeta.from_json(blob["meta"], str(path))
    return torch_runner(_rebuild(meta, blob["state_dict"], str(path))), meta


def write_safetensors(model: nn.Module, meta: ExportMeta, path: Path, example: Any) -> list[str]:
    """The weights as safetensors, the metadata (JSON strings) in its header."""
    from safetensors.torch import save

    metadata = {
        META_KEY: meta.text(),
        "format": EXPORT_FORMAT,
        "classes": json.dumps(meta.classes),
        "input_shape": json.dumps(list(meta.input_shape)),
        "mean": json.dumps(meta.mean),
        "std": json.dumps(meta.std),
    }
    path.write_bytes(save(cpu_state_dict(model), metadata=metadata))
    return []


def read_safetensors(path: str | os.PathLike[str]) -> tuple[Runner, ExportMeta]:
    """Load a safetensors export and rebuild its network with the studio's builder."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            metadata = fh.metadata() or {}
            state = {k: fh.get_tensor(k) for k in fh.keys()}
    except Exception as exc:
        raise ExportError(
            tr("{path} is not a readable safetensors file ({kind})", path=path, kind=type(exc).__name__)
        ) from None
    if META_KEY not in metadata:
        raise ExportError(tr("{path} has no CNN Studio metadata in its header", path=path))
    meta = ExportMeta.from_json(metadata[META_KEY], str(path))
    return torch_runner(_rebuild(meta, state, str(path))), meta


Writer = Callable[["nn.Module", ExportMeta, Path, Any], list[str]]
Reader = Callable[[Any], tuple[Runner, ExportMeta]]

FILE_FORMATS: dict[str, tuple[Writer, Reader, str]] = {
    "torchscript": (write_torchscript, read_torchscript, ".pt"),
    "onnx": (write_onnx, read_onnx, ".onnx"),
    "state-dict": (write_state_dict, read_state_dict, ".pt"),
    "safetensors": (write_safetensors, read_safetensors, ".safetensors"),
}
