"""Single images -> model input: the one place that decodes and converts an image.

The dataset loader (folder sources), ``predict``, the exporters and the GUI all turn image
files into tensors through these functions, so an image looks the same to the model
whichever door it came in by:

1. :func:`open_image` decodes a file completely (a truncated file fails here, not halfway
   through a training epoch) and applies its EXIF orientation;
2. :func:`to_uint8_tensor` converts any Pillow mode (1, L, LA, P, RGB, RGBA, CMYK, YCbCr,
   16-bit ``I;16``, 32-bit ``I``, float ``F``...) to 1, 3 or 4 channels and resizes it;
3. :func:`normalize` turns a uint8 batch into the float32 input the network expects.

Every failure a user can cause is an :class:`ImageReadError` naming the path and the reason.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from studio.core.base.errors import UserError
from studio.core.base.files import open_regular
from studio.core.base.i18n import tr

if TYPE_CHECKING:
    import torch

# Extensions the folder scanner treats as images (lower case, with the dot).
IMAGE_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".jfif",
        ".png",
        ".bmp",
        ".dib",
        ".gif",
        ".tif",
        ".tiff",
        ".webp",
        ".ppm",
        ".pgm",
        ".pbm",
        ".pnm",
        ".tga",
        ".ico",
    }
)

# Images larger than this many pixels are refused rather than exhausting memory (Pillow's own
# guard, which raises above twice Image.MAX_IMAGE_PIXELS, is caught too).
MAX_PIXELS = 180_000_000
#: the largest image file read (a 180-megapixel PNG is far smaller); bigger files are refused
MAX_IMAGE_BYTES = 512_000_000


class ImageReadError(UserError):
    """An image file that cannot be used: missing, empty, truncated, not an image, a folder...

    ``path`` and ``reason`` are kept separately so that the dataset loader can list skipped
    files as ``(path, reason)`` pairs.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(tr("cannot read image {path}: {reason}", path=self.path, reason=reason))


def is_image_name(name: str) -> bool:
    """True when ``name`` ends with one of :data:`IMAGE_EXTENSIONS` (case-insensitive)."""
    return os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS


def open_image(path: str | os.PathLike[str], size_hint: tuple[int, int] | None = None) -> Image.Image:
    """Decode ``path`` completely and apply its EXIF orientation.

    ``size_hint`` (height, width) lets the JPEG decoder skip detail that a resize to that
    size would throw away anyway (``Image.draft``), which makes big photos several times
    faster to load; the result is still at least that large on both sides.
    Raises :class:`ImageReadError` saying why a file is unusable.
    """
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise ImageReadError(p, tr("it is a folder, not an image file"))
        if st.st_size == 0 and stat.S_ISREG(st.st_mode):
            raise ImageReadError(p, tr("the file is empty (0 bytes)"))
        with open_regular(p, MAX_IMAGE_BYTES) as fh:  # a FIFO or /dev/zero named x.png: refused
            img = _decode(fh, p, size_hint)
    except ImageReadError:
        raise
    except FileNotFoundError:
        raise ImageReadError(p, tr("the file does not exist")) from None
    except PermissionError:
        raise ImageReadError(p, tr("permission denied")) from None
    except OSError as exc:
        raise ImageReadError(
            p, tr("the file cannot be read ({reason})", reason=exc.strerror or exc)
        ) from None
    return img


def decode_bytes(data: bytes, name: str = "<bytes>", size_hint: tuple[int, int] | None = None) -> Image.Image:
    """Like :func:`open_image` for bytes already in memory (``name`` is used in errors)."""
    if not data:
        raise ImageReadError(name, tr("the file is empty (0 bytes)"))
    return _decode(io.BytesIO(data), name, size_hint)


@contextmanager
def _pillow_errors(name: str | os.PathLike[str]) -> Iterator[None]:
    """Turn Pillow's failures inside the block into :class:`ImageReadError` saying what is wrong."""
    try:
        yield
    except ImageReadError:
        raise
    except UnidentifiedImageError:
        raise ImageReadError(name, tr("not an image, or a format Pillow cannot read")) from None
    except Image.DecompressionBombError:
        raise ImageReadError(name, tr("the image is too large (decompression bomb guard)")) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        text = str(exc)
        if "truncated" in text.lower() or isinstance(exc, EOFError):
            raise ImageReadError(name, tr("the file is truncated or corrupt")) from None
        raise ImageReadError(
            name, tr("the image data is corrupt ({reason})", reason=text or type(exc).__name__)
        ) from None


def _decode(fh, name: str | os.PathLike[str], size_hint: tuple[int, int] | None) -> Image.Image:
    with _pillow_errors(name):
        img = Image.open(fh)
        if img.width * img.height > MAX_PIXELS:
            raise ImageReadError(
                name,
                tr("the image is too large ({width}x{height} pixels)", width=img.width, height=img.height),
            )
        if size_hint is not None and img.format == "JPEG":
            side = max(size_hint)
            img.draft(img.mode, (side, side))
        img.load()
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # a broken EXIF block should not cost the image itself
        return img


@dataclass(frozen=True)
class ImageInfo:
    """What :func:`probe_image` learns about a file: its stored mode, displayed size and format."""

    mode: str
    width: int
    height: int
    format: str


_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def probe_image(data: bytes, name: str = "<bytes>") -> ImageInfo:
    """Check that ``data`` decodes completely and return its mode and (EXIF-oriented) size.

    For the health scan: JPEGs are decoded at a reduced DCT scale (which still reads every
    byte, so a truncated file fails) to keep the scan of large photos fast.
    Raises :class:`ImageReadError`.
    """
    if not data:
        raise ImageReadError(name, tr("the file is empty (0 bytes)"))
    with _pillow_errors(name):
        img = Image.open(io.BytesIO(data))
        mode, (w, h), fmt = img.mode, img.size, img.format or ""
        if w * h > MAX_PIXELS:
            raise ImageReadError(
                name, tr("the image is too large ({width}x{height} pixels)", width=w, height=h)
            )
        try:
            orientation = img.getexif().get(0x0112)
        except Exception:
            orientation = None
        if fmt == "JPEG":
            img.draft(img.mode, (max(1, w // 8), max(1, h // 8)))
        img.load()
    if orientation in _ROTATED:
        w, h = h, w
    return ImageInfo(mode=mode, width=w, height=h, format=fmt)


def _to_8bit(img: Image.Image) -> Image.Image:
    """Scale a 16-bit, 32-bit integer or float image to an 8-bit ``L`` image."""
    arr = np.asarray(img)
    if arr.dtype.kind == "f":
        arr = np.nan_to_num(arr.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        hi = float(arr.max()) if arr.size else 0.0
        if hi <= 1.0:  # floats in 0..1
            arr = arr * 255.0
        elif hi > 255.0:  # floats holding 16-bit values
            arr = arr / 257.0
    else:
        arr = arr.astype(np.int64)
        hi = int(arr.max()) if arr.size else 0
        if hi > 255:  # 16-bit data (I;16, or PNG 16-bit read as I)
            arr = arr / 257.0
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))


def to_mode(img: Image.Image, channels: int) -> Image.Image:
    """``img`` as an ``L`` (1), ``RGB`` (3) or ``RGBA`` (4) image, whatever its mode."""
    if channels not in (1, 3, 4):
        raise ValueError(f"channels must be 1, 3 or 4, got {channels}")
    mode = img.mode
    if mode in ("I", "F") or mode.startswith("I;"):
        img = _to_8bit(img)
    elif mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    elif mode == "PA":
        img = img.convert("RGBA")
    target = {1: "L", 3: "RGB", 4: "RGBA"}[channels]
    if img.mode == target:
        return img
    if img.mode in ("CMYK", "YCbCr", "LAB", "HSV") and target != "RGB":
        img = img.convert("RGB")
    return img.convert(target)


def to_uint8_tensor(img: Image.Image, channels: int, size: tuple[int, int]) -> torch.Tensor:
    """A ``(C, H, W)`` uint8 tensor of ``img`` with ``channels`` channels, resized to ``size`` (H, W)."""
    import torch

    img = to_mode(img, channels)
    h, w = int(size[0]), int(size[1])
    if img.size != (w, h):
        img = img.resize((w, h), Image.Resampling.BILINEAR, reducing_gap=3.0)
    arr = np.array(img, dtype=np.uint8)  # a writable copy that the tensor may own
    if arr.ndim == 2:
        return torch.from_numpy(arr).unsqueeze(0)
    return torch.from_numpy(arr).permute(2, 0, 1).contiguous()


def norm_constants(mean: Sequence[float], std: Sequence[float], device=None):
    """``(scale, shift)`` of shape (C, 1, 1) so that ``x * scale - shift`` normalises uint8 ``x``."""
    import torch

    m = torch.tensor([float(v) for v in mean], dtype=torch.float32, device=device)
    s = torch.tensor([float(v) for v in std], dtype=torch.float32, device=device)
    if torch.any(s <= 0):
        raise ValueError(f"std must be positive, got {list(std)}")
    return (1.0 / (255.0 * s)).view(-1, 1, 1), (m / s).view(-1, 1, 1)


def normalize(batch: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """uint8 ``(N, C, H, W)`` (or ``(C, H, W)``) -> float32 ``(x / 255 - mean) / std`` per channel."""
    import torch

    scale, shift = norm_constants(mean, std, batch.device)
    out = batch.to(torch.float32)
    return out.mul_(scale).sub_(shift)


def prepare_images(
    images: Sequence[str | os.PathLike[str] | Image.Image],
    channels: int,
    size: tuple[int, int],
    mean: Sequence[float],
    std: Sequence[float],
) -> torch.Tensor:
    """Files or PIL images -> one float32 ``(N, C, H, W)`` batch, ready for the model."""
    import torch

    tensors = []
    for item in images:
        img = (
            item
            if isinstance(item, Image.Image)
            else open_image(item, size_hint=(int(size[0]), int(size[1])))
        )
        tensors.append(to_uint8_tensor(img, channels, size))
    if not tensors:
        return torch.empty((0, channels, int(size[0]), int(size[1])), dtype=torch.float32)
    return normalize(torch.stack(tensors), mean, std)
