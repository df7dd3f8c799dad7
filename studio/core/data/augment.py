"""Data augmentation as batched tensor operations (``data.augment`` in a project).

Augmentation runs on whole batches, never per image through PIL: one random crop, one flip,
one ``affine_grid``/``grid_sample`` and a few arithmetic passes per batch, with per-sample
random parameters drawn from the run's ``torch.Generator``. That keeps the CPU on the model
and makes every augmented batch reproducible (and resumable) from the generator's state.

Keys of ``data.augment`` (all optional; unknown keys are kept and ignored):

==================  ======================================================================
``preset``          ``"none"``, ``"light"``, ``"standard"`` or ``"strong"``: expands to the
                    values in :data:`PRESETS`; explicit keys override the preset's values
``random_crop``     padding in pixels (int, 0 = off): pad with black, crop back at random
``hflip``           true: mirror left-right with probability 1/2
``rotate``          maximal rotation in degrees (uniform in [-r, r])
``translate``       maximal shift as a fraction of the width/height (uniform in [-t, t])
``scale``           ``[min, max]`` zoom factor (uniform)
``color_jitter``    strength 0..1: brightness, contrast and saturation factors in [1-s, 1+s]
``random_erasing``  probability of blanking a random rectangle (2-33% of the area) with the
                    dataset mean (which is 0 after normalisation, as in torchvision)
==================  ======================================================================

The order is crop, flip, affine, colour, erasing, all on floats in 0..1 before
normalisation. This module (settings and validation) stays free of torch so that project
validation is instant; the tensor operations live in :mod:`studio.core.data.augment_ops`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.base.validate import require_bool, require_choice, require_float, require_int

PRESET_NAMES: tuple[str, ...] = ("none", "light", "standard", "strong")
PRESETS: dict[str, dict[str, Any]] = {
    "none": {},
    "light": {"random_crop": 2, "hflip": True},
    "standard": {"random_crop": 4, "hflip": True, "rotate": 10.0, "color_jitter": 0.2},
    "strong": {
        "random_crop": 4,
        "hflip": True,
        "rotate": 15.0,
        "translate": 0.1,
        "scale": [0.9, 1.1],
        "color_jitter": 0.4,
        "random_erasing": 0.25,
    },
}
AUGMENT_KEYS: tuple[str, ...] = (
    "preset",
    "random_crop",
    "hflip",
    "rotate",
    "translate",
    "scale",
    "color_jitter",
    "random_erasing",
)
MAX_CROP_PADDING = 256


@dataclass(frozen=True)
class AugmentConfig:
    """The resolved augmentation settings (a preset expanded, explicit keys applied)."""

    random_crop: int = 0
    hflip: bool = False
    rotate: float = 0.0
    translate: float = 0.0
    scale: tuple[float, float] = (1.0, 1.0)
    color_jitter: float = 0.0
    random_erasing: float = 0.0

    @property
    def affine(self) -> bool:
        """True when rotation, translation or scaling is on (one ``grid_sample`` pass)."""
        return self.rotate > 0 or self.translate > 0 or self.scale != (1.0, 1.0)

    @property
    def active(self) -> bool:
        """True when any augmentation is on."""
        return bool(self.random_crop or self.hflip or self.affine or self.color_jitter or self.random_erasing)


def validate_augment(raw: Any, path: str = "data.augment") -> AugmentConfig:
    """Check ``data.augment``; raise :class:`ProjectError` at ``data.augment.<key>``.

    Returns the resolved :class:`AugmentConfig`; the project keeps the raw dict as written.
    """
    if not isinstance(raw, dict):
        raise ProjectError(path, tr('must be an object such as {"preset": "light"}'))
    values: dict[str, Any] = {}
    if "preset" in raw:
        values.update(PRESETS[require_choice(raw["preset"], f"{path}.preset", PRESET_NAMES)])
    for key in AUGMENT_KEYS[1:]:
        if key in raw:
            values[key] = raw[key]
    kw: dict[str, Any] = {}
    where = {k: f"{path}.{k}" for k in AUGMENT_KEYS}
    if "random_crop" in values:
        kw["random_crop"] = require_int(values["random_crop"], where["random_crop"], 0, MAX_CROP_PADDING)
    if "hflip" in values:
        kw["hflip"] = require_bool(values["hflip"], where["hflip"])
    if "rotate" in values:
        kw["rotate"] = require_float(values["rotate"], where["rotate"], 0.0, 180.0)
    if "translate" in values:
        kw["translate"] = require_float(values["translate"], where["translate"], 0.0, 0.5)
    if "scale" in values:
        s = values["scale"]
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            s = [s, s]
        if not isinstance(s, (list, tuple)) or len(s) != 2:
            raise ProjectError(
                where["scale"], tr("must be [min, max] zoom factors such as [0.9, 1.1], got {s!r}", s=s)
            )
        lo = require_float(s[0], where["scale"] + "[0]", 0.1, 4.0)
        hi = require_float(s[1], where["scale"] + "[1]", 0.1, 4.0)
        if lo > hi:
            raise ProjectError(where["scale"], tr("min {lo:g} is larger than max {hi:g}", lo=lo, hi=hi))
        kw["scale"] = (lo, hi)
    if "color_jitter" in values:
        kw["color_jitter"] = require_float(values["color_jitter"], where["color_jitter"], 0.0, 1.0)
    if "random_erasing" in values:
        kw["random_erasing"] = require_float(values["random_erasing"], where["random_erasing"], 0.0, 1.0)
    return AugmentConfig(**kw)


def resolve_augment(augment: dict[str, Any] | AugmentConfig | None) -> AugmentConfig:
    """An :class:`AugmentConfig` from a project's ``data.augment`` dict (or one already resolved)."""
    if augment is None:
        return AugmentConfig()
    if isinstance(augment, AugmentConfig):
        return augment
    return validate_augment(augment)
