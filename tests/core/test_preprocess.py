"""Single-image decoding and conversion (studio.core.data.preprocess)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.base.errors import UserError
from studio.core.data.preprocess import (
    ImageReadError,
    decode_bytes,
    normalize,
    open_image,
    prepare_images,
    to_uint8_tensor,
)


def _gradient(w: int = 12, h: int = 8) -> np.ndarray:
    x = np.linspace(0, 255, w, dtype=np.float64)[None, :].repeat(h, 0)
    return x.astype(np.uint8)


def _modes() -> dict[str, Image.Image]:
    g = _gradient()
    rgb = np.stack([g, g // 2, np.full_like(g, 80)], -1)
    p = Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=16)
    p_t = p.copy()
    p_t.info["transparency"] = 0
    return {
        "1": Image.fromarray(g > 127),
        "L": Image.fromarray(g),
        "LA": Image.fromarray(np.stack([g, g], -1)),
        "RGB": Image.fromarray(rgb),
        "RGBA": Image.fromarray(np.dstack([rgb, np.full_like(g, 200)])),
        "P": p,
        "P+transparency": p_t,
        "CMYK": Image.fromarray(rgb).convert("CMYK"),
        "I;16": Image.fromarray(g.astype(np.uint16) * 257),
        "I": Image.fromarray(g.astype(np.int32) * 257),
        "F": Image.fromarray(g.astype(np.float32) / 255.0),
        "YCbCr": Image.fromarray(rgb).convert("YCbCr"),
    }


@pytest.mark.parametrize("mode", list(_modes()))
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_every_mode_converts_to_every_channel_count(mode: str, channels: int) -> None:
    img = _modes()[mode]
    t = to_uint8_tensor(img, channels, (6, 10))
    assert t.dtype == torch.uint8
    assert tuple(t.shape) == (channels, 6, 10)
    assert t.is_contiguous()
    if mode not in ("1",):
        # the gradient survives the conversion: left darker than right in the first channel
        # (except CMYK/YCbCr/P whose first RGB channel is the gradient too)
        assert int(t[0, :, 0].float().mean()) < int(t[0, :, -1].float().mean())


def test_sixteen_bit_scaled_not_clipped() -> None:
    g = _gradient()
    t16 = to_uint8_tensor(Image.fromarray(g.astype(np.uint16) * 257), 1, (8, 12))
    t8 = to_uint8_tensor(Image.fromarray(g), 1, (8, 12))
    assert torch.equal(t16, t8)


def test_open_image_applies_exif_orientation(tmp_path: Path) -> None:
    arr = np.zeros((10, 20, 3), np.uint8)  # wide image, left half white
    arr[:, :10] = 255
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    path = tmp_path / "rot.jpg"
    Image.fromarray(arr).save(path, exif=exif, quality=95)
    img = open_image(path)
    assert img.size == (10, 20)  # now tall
    t = to_uint8_tensor(img, 1, (20, 10))
    assert t[0, :10].float().mean() > 200 and t[0, 10:].float().mean() < 50


def test_broken_files_raise_image_read_error_naming_path(tmp_path: Path) -> None:
    good = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(good, "JPEG")
    (tmp_path / "trunc.jpg").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("hello, not a png")
    (tmp_path / "dir.jpg").mkdir()
    reasons = {}
    for name in ("trunc.jpg", "empty.png", "text.png", "dir.jpg", "missing.png"):
        with pytest.raises(ImageReadError) as info:
            open_image(tmp_path / name)
        assert isinstance(info.value, UserError)
        assert name in str(info.value)
        reasons[name] = info.value.reason
    assert "truncated" in reasons["trunc.jpg"]
    assert "empty" in reasons["empty.png"]
    assert "not an image" in reasons["text.png"]
    assert "folder" in reasons["dir.jpg"]
    assert "does not exist" in reasons["missing.png"]
    with pytest.raises(ImageReadError):
        decode_bytes(b"")


def test_korean_path(tmp_path: Path) -> None:
    folder = tmp_path / "고양이"
    folder.mkdir()
    path = folder / "사진 1.png"
    Image.fromarray(_gradient()).save(path)
    assert open_image(path).size == (12, 8)


def test_draft_hint_keeps_at_least_requested_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.fromarray(np.full((400, 600, 3), 128, np.uint8)).save(path)
    img = open_image(path, size_hint=(32, 32))
    assert min(img.size) >= 32 and img.size[0] < 600


def test_normalize_and_prepare_images(tmp_path: Path) -> None:
    batch = torch.tensor([[[[0, 255]]], [[[51, 102]]]], dtype=torch.uint8)  # (2,1,1,2)
    out = normalize(batch, [0.2], [0.5])
    assert out.dtype == torch.float32
    expected = (batch.float() / 255 - 0.2) / 0.5
    assert torch.allclose(out, expected, atol=1e-6)
    path = tmp_path / "a.png"
    Image.fromarray(_gradient()).save(path)
    x = prepare_images([path, Image.fromarray(_gradient())], 3, (4, 4), (0.5,) * 3, (0.25,) * 3)
    assert x.shape == (2, 3, 4, 4) and x.dtype == torch.float32
    assert torch.allclose(x[0], x[1])
    with pytest.raises(ValueError):
        normalize(batch, [0.2], [0.0])
