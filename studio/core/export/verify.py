"""The parity check behind every export: which inputs, and how two models' outputs compare.

:func:`verification_samples` picks up to 64 validation images, evenly spread (or seeded
random images when the dataset is unavailable, saying why); :func:`compare_outputs` reports the
largest absolute logit difference and the top-1 agreement, and decides whether they agree:
the difference within ``1e-3 x max(1, largest |logit|)`` and every top-1 class equal, except
near-ties (a flip between classes whose reference scores differ by less than the tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr
from studio.core.export.formats import ExportMeta, Runner
from studio.core.project.project_file import Project

if TYPE_CHECKING:
    pass

DEFAULT_SAMPLES = 64
RELATIVE_TOLERANCE = 1e-3  # of the largest logit magnitude (at least 1.0)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Samples:
    """Normalised inputs for the check, and where they came from."""

    inputs: np.ndarray  # float32 (N, C, H, W)
    source: str  # "validation images", "test images", "training images" or "synthetic inputs"
    note: str = ""  # why synthetic inputs were used


def _synthetic(meta: ExportMeta, n: int, note: str) -> Samples:
    import torch

    from studio.core.data.preprocess import normalize  # lazy: pulls in PIL

    g = torch.Generator().manual_seed(0)
    pixels = torch.randint(0, 256, (n, *meta.input_shape), generator=g, dtype=torch.uint8)
    return Samples(normalize(pixels, meta.mean, meta.std).numpy(), "synthetic inputs", note)


def verification_samples(meta: ExportMeta, data: Any = None, max_samples: int = DEFAULT_SAMPLES) -> Samples:
    """Up to ``max_samples`` validation images (evenly spread), else synthetic inputs.

    ``data`` is a loaded :class:`~studio.core.data.datasets.DataBundle` (the GUI has one); without
    it the run's dataset is loaded. Any failure to get images (dataset moved, not
    downloaded, other size) falls back to seeded random images, and ``note`` says why.
    """
    n = max(1, int(max_samples))
    loaded_here = data is None
    if loaded_here:
        try:
            from studio.core.data.datasets import load_data  # lazy: pulls in torch

            data = load_data(Project.from_dict(meta.project))
        except (UserError, OSError, ImportError, ValueError) as exc:
            return _synthetic(
                meta, min(n, 32), tr("the dataset could not be loaded ({reason})", reason=str(exc)[:160])
            )
    try:
        return _dataset_samples(meta, data, n)
    finally:
        if loaded_here and hasattr(data, "close"):
            data.close()


def _dataset_samples(meta: ExportMeta, data: Any, n: int) -> Samples:
    import torch

    from studio.core.data.preprocess import normalize  # lazy: pulls in PIL

    for attr, label in (("val", "validation images"), ("test", "test images"), ("train", "training images")):
        split = getattr(data, attr, None)
        if split is None or len(split) == 0:
            continue
        images = []
        for i in np.unique(np.linspace(0, len(split) - 1, min(n, len(split))).round().astype(int)):
            try:
                images.append(split.item(int(i))[0])
            except UserError:  # an unreadable file: the others still make the check
                continue
        if not images:
            continue
        batch = torch.stack(images)
        if tuple(batch.shape[1:]) != tuple(meta.input_shape):
            return _synthetic(
                meta,
                min(n, 32),
                tr(
                    "the dataset's images are {shape}, the model takes {input_shape}",
                    shape=tuple(batch.shape[1:]),
                    input_shape=meta.input_shape,
                ),
            )
        return Samples(normalize(batch, meta.mean, meta.std).numpy(), label)
    return _synthetic(meta, min(n, 32), tr("the dataset has no readable images"))


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Verification:
    """How the reloaded export compared with the PyTorch model."""

    samples: int
    source: str
    note: str
    max_abs_diff: float
    top1_agreement: float  # fraction 0..1, strict
    tolerance: float
    ties: int  # top-1 disagreements between classes whose reference scores are within tolerance
    disagreements: int = 0  # samples whose top-1 class differs (ties included)

    @property
    def ok(self) -> bool:
        """Within tolerance, and every top-1 disagreement is a near-tie (scores within tolerance)."""
        return (
            bool(np.isfinite(self.max_abs_diff))
            and self.max_abs_diff <= self.tolerance
            and self.disagreements <= self.ties
        )

    def text(self) -> str:
        """One line for the CLI and the export dialog."""
        figures = {
            "count": self.samples,
            "source": tr(self.source),  # an English name kept as data (VERIFY_SOURCES in the tests)
            "diff": self.max_abs_diff,
            "tolerance": self.tolerance,
            "percent": 100.0 * self.top1_agreement,
        }
        if self.ties == 1:
            line = tr(
                "verified on {count} {source}: largest |difference| {diff:.3g} (tolerance {tolerance:.3g}), "
                "top-1 agreement {percent:.1f}% (1 near-tie)",
                **figures,
            )
        elif self.ties:
            line = tr(
                "verified on {count} {source}: largest |difference| {diff:.3g} (tolerance {tolerance:.3g}), "
                "top-1 agreement {percent:.1f}% ({ties} near-ties)",
                ties=self.ties,
                **figures,
            )
        else:
            line = tr(
                "verified on {count} {source}: largest |difference| {diff:.3g} (tolerance {tolerance:.3g}), "
                "top-1 agreement {percent:.1f}%",
                **figures,
            )
        if self.note:
            line += f"; {self.note}"
        return line

    def to_json(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "samples": self.samples,
            "source": self.source,
            "note": self.note,
            "max_abs_diff": float(self.max_abs_diff),
            "top1_agreement": float(self.top1_agreement),
            "tolerance": float(self.tolerance),
            "ties": self.ties,
            "disagreements": self.disagreements,
            "ok": self.ok,
        }


def compare_outputs(
    reference: np.ndarray, candidate: np.ndarray, samples: Samples, tolerance: float | None = None
) -> Verification:
    """Compare two ``(N, K)`` logit arrays: largest difference, top-1 agreement, ties."""
    ref = np.asarray(reference, dtype=np.float64)
    cand = np.asarray(candidate, dtype=np.float64)
    if ref.shape != cand.shape:
        return Verification(
            len(ref),
            samples.source,
            tr("output shape {got} != {expected}", got=cand.shape, expected=ref.shape),
            float("inf"),
            0.0,
            tolerance or 0.0,
            0,
            len(ref),
        )
    tol = (
        tolerance
        if tolerance is not None
        else RELATIVE_TOLERANCE * max(1.0, float(np.abs(ref).max()) if ref.size else 1.0)
    )
    diff = float(np.abs(ref - cand).max()) if ref.size else 0.0
    if not np.isfinite(cand).all():
        diff = float("inf")
    top_ref, top_cand = ref.argmax(axis=1), cand.argmax(axis=1)
    agree = top_ref == top_cand
    rows = np.nonzero(~agree)[0]
    ties = int(sum(ref[i, top_ref[i]] - ref[i, top_cand[i]] <= tol for i in rows))
    return Verification(
        len(ref),
        samples.source,
        samples.note,
        diff,
        float(agree.mean()) if len(agree) else 1.0,
        tol,
        ties,
        len(rows),
    )


def run_batched(run: Runner, x: np.ndarray, batch: int = 32) -> np.ndarray:
    return np.concatenate([run(x[i : i + batch]) for i in range(0, len(x), batch)])
