"""data.augment: validation, presets, and the batched tensor augmentations."""

from __future__ import annotations

import pytest
import torch

from studio.core.base.errors import ProjectError
from studio.core.data.augment import PRESETS, AugmentConfig, validate_augment
from studio.core.data.augment_ops import augment_float, augment_normalize, augment_preview
from studio.core.project.project_file import Project


def batch(n: int = 8, c: int = 3, h: int = 12, w: int = 16, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (n, c, h, w), generator=g, dtype=torch.uint8)


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"preset": "wild"}, "data.augment.preset"),
        ({"random_crop": -1}, "data.augment.random_crop"),
        ({"random_crop": 2.5}, "data.augment.random_crop"),
        ({"hflip": "yes"}, "data.augment.hflip"),
        ({"rotate": 400}, "data.augment.rotate"),
        ({"translate": 0.9}, "data.augment.translate"),
        ({"scale": [1.2, 0.8]}, "data.augment.scale"),
        ({"scale": "big"}, "data.augment.scale"),
        ({"color_jitter": 2}, "data.augment.color_jitter"),
        ({"random_erasing": -0.1}, "data.augment.random_erasing"),
    ],
)
def test_validation_names_the_key(raw: dict, field: str) -> None:
    with pytest.raises(ProjectError) as info:
        validate_augment(raw, "data.augment")
    assert info.value.path.startswith(field)
    with pytest.raises(ProjectError) as info:
        Project.from_dict({"data": {"augment": raw}})
    assert info.value.path.startswith(field)


def test_presets_expand_and_explicit_keys_win() -> None:
    assert validate_augment({}) == AugmentConfig() and not AugmentConfig().active
    assert validate_augment({"preset": "none"}) == AugmentConfig()
    for name in ("light", "standard", "strong"):
        assert validate_augment({"preset": name}).active
    cfg = validate_augment({"preset": "strong", "hflip": False, "rotate": 3})
    assert (
        cfg.hflip is False and cfg.rotate == 3.0 and cfg.random_erasing == PRESETS["strong"]["random_erasing"]
    )
    assert validate_augment({"scale": 1.1}).scale == (1.1, 1.1)
    p = Project.from_dict({"data": {"augment": {"preset": "light", "unknown_key": 1}}})
    assert p.to_dict()["data"]["augment"] == {"preset": "light", "unknown_key": 1}  # kept as written


@pytest.mark.parametrize(
    "cfg",
    [
        {"random_crop": 3},
        {"hflip": True},
        {"rotate": 30},
        {"translate": 0.2},
        {"scale": [0.7, 0.8]},
        {"color_jitter": 0.5},
        {"random_erasing": 1.0},
        {"preset": "strong"},
    ],
)
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_each_op_changes_images_keeps_shape_and_dtype(cfg: dict, channels: int) -> None:
    x = batch(c=channels)
    c = validate_augment(cfg)
    out = augment_normalize(x, c, [0.5] * channels, [0.25] * channels, torch.Generator().manual_seed(1))
    plain = augment_normalize(x, AugmentConfig(), [0.5] * channels, [0.25] * channels, None)
    assert out.shape == x.shape and out.dtype == torch.float32
    assert torch.isfinite(out).all()
    assert not torch.allclose(out, plain)
    # deterministic for a generator state, different for another
    again = augment_normalize(x, c, [0.5] * channels, [0.25] * channels, torch.Generator().manual_seed(1))
    other = augment_normalize(x, c, [0.5] * channels, [0.25] * channels, torch.Generator().manual_seed(2))
    assert torch.equal(out, again)
    assert not torch.equal(out, other)


def test_hflip_mirrors_about_half_the_batch() -> None:
    x = batch(n=200).float() / 255
    out = augment_float(x, AugmentConfig(hflip=True), torch.Generator().manual_seed(0))
    flipped = [bool(torch.equal(o, i.flip(-1))) for o, i in zip(out, x, strict=True)]
    same = [bool(torch.equal(o, i)) for o, i in zip(out, x, strict=True)]
    assert all(f != s for f, s in zip(flipped, same, strict=True))
    assert 60 < sum(flipped) < 140


def test_random_crop_is_an_integer_shift_with_black_border() -> None:
    x = torch.ones(50, 1, 10, 10)
    out = augment_float(x, AugmentConfig(random_crop=2), torch.Generator().manual_seed(0))
    assert set(out.unique().tolist()) <= {0.0, 1.0}
    rows_black = (out == 0).all(dim=3).sum(dim=(1, 2))
    assert rows_black.max() <= 2 and (rows_black > 0).any()
    ones = out.sum(dim=(1, 2, 3))
    assert ones.min() >= 64  # at most 2 rows and 2 columns lost


def test_rotation_keeps_the_centre_and_respects_aspect() -> None:
    x = torch.zeros(4, 1, 21, 41)
    x[:, :, 10, 20] = 1.0
    out = augment_float(x, AugmentConfig(rotate=90), torch.Generator().manual_seed(0))
    assert torch.allclose(out[:, :, 10, 20], torch.ones(4, 1), atol=1e-5)
    same = augment_float(x, AugmentConfig(rotate=0.0, scale=(1.0, 1.0)), torch.Generator().manual_seed(0))
    assert torch.equal(same, x)


def test_color_jitter_leaves_alpha_and_stays_in_range() -> None:
    x = batch(c=4).float() / 255
    out = augment_float(x, AugmentConfig(color_jitter=1.0), torch.Generator().manual_seed(0))
    assert torch.equal(out[:, 3], x[:, 3])
    assert out.min() >= 0 and out.max() <= 1


def test_random_erasing_fills_with_mean_which_normalises_to_zero() -> None:
    x = torch.full((16, 3, 20, 20), 255, dtype=torch.uint8)
    mean, std = [0.2, 0.4, 0.6], [0.5, 0.5, 0.5]
    out = augment_normalize(x, AugmentConfig(random_erasing=1.0), mean, std, torch.Generator().manual_seed(0))
    zeros = (out.abs() < 1e-6).all(dim=1)  # erased pixels are 0 in every channel
    frac = zeros.float().mean(dim=(1, 2))
    assert (frac >= 0.01).all() and (frac <= 0.4).all()


def test_augment_preview_seeded_uint8() -> None:
    img = batch(n=1, c=3, h=24, w=24)[0]
    a = augment_preview(img, {"preset": "strong"}, 6, seed=4)
    b = augment_preview(img, {"preset": "strong"}, 6, seed=4)
    c = augment_preview(img, {"preset": "strong"}, 6, seed=5)
    assert a.dtype == torch.uint8 and a.shape == (6, 3, 24, 24)
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert not torch.equal(a[0], a[1])
    none = augment_preview(img, {}, 2, seed=0)
    assert torch.equal(none[0], img) and torch.equal(none[1], img)


def test_training_path_equals_preview_path() -> None:
    """Crop/flip run on uint8 in training; the result must equal the float path the preview uses."""
    x = batch(n=16, c=3, h=20, w=24)
    cfg = validate_augment({"preset": "strong"})
    a = augment_normalize(x, cfg, [0.5] * 3, [0.25] * 3, torch.Generator().manual_seed(3))
    b = (augment_float(x.float() / 255, cfg, torch.Generator().manual_seed(3), fill=[0.5] * 3) - 0.5) / 0.25
    assert torch.allclose(a, b, atol=1e-5)
