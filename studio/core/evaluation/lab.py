"""The Convolution Lab's arithmetic: convolution and pooling written out number by number.

The lecture draws an image as a grid of pixel numbers (0-255), slides a small kernel over it
and writes down, at every position, the products of the window with the kernel and their sum.
This module computes exactly that with numpy — the same results as
``torch.nn.functional.conv2d`` / ``max_pool2d`` / ``avg_pool2d`` (cross-correlation, zero
padding, floor division in the output-size formula) — plus everything a teacher writes next
to it: the padded input, the window of one position, its products, the output-size formula
with the numbers filled in, the cell pooling chose in each window, kernel presets, and the
kernel typed as text (``"1,0,-1;2,0,-2;1,0,-1"``).

Images are float arrays ``(H, W)`` or ``(C, H, W)``; a kernel is ``(kH, kW)`` or
``(C, kH, kW)`` (a 2-D kernel is used for every channel, summed, as one output map). No Qt,
no torch: the GUI, the CLI and the tests share it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

Padding = int | str  # a number of zero rows/columns on every side, "same" or "valid"
MAX_KERNEL = 31
MAX_STRIDE = 64
MAX_DILATION = 16
MAX_PADDING = 64
MAX_PIXELS = 4096 * 4096


class LabError(UserError):
    """A value the Lab cannot use (a malformed kernel, a stride of 0, a kernel larger than the image)."""


# --------------------------------------------------------------------------- kernels

#: name -> (kernel rows, one-line description); the lecture's classic hand-made filters.
PRESETS: dict[str, tuple[list[list[float]], str]] = {
    "identity": ([[0, 0, 0], [0, 1, 0], [0, 0, 0]], "copies the image: only the centre counts"),
    "blur": (
        [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
        "a weighted mean of the neighbourhood: softens the image",
    ),
    "sharpen": ([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], "the centre minus its neighbours: crisper edges"),
    "edge horizontal": (
        [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
        "below minus above: large where brightness changes from top to bottom",
    ),
    "edge vertical": (
        [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
        "right minus left: large where brightness changes from left to right",
    ),
    "sobel x": ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], "Sobel: vertical edges, the middle row weighted twice"),
    "sobel y": (
        [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
        "Sobel: horizontal edges, the middle column weighted twice",
    ),
    "emboss": ([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], "a diagonal difference: the image looks raised"),
}


def preset(name: str) -> np.ndarray:
    """The preset kernel called ``name`` (see :data:`PRESETS`) as a float array."""
    try:
        rows, _ = PRESETS[name.lower()]
    except KeyError:
        raise LabError(
            tr(
                "unknown kernel preset {name}; choose one of {choices}",
                name=repr(name),
                choices=", ".join(PRESETS),
            )
        ) from None
    return np.asarray(rows, dtype=np.float64)


def _number(token: str, row: int) -> float:
    text = token.strip()
    try:
        if "/" in text:  # "1/9": the lecture writes blur kernels this way
            num, den = text.split("/", 1)
            value = float(num) / float(den)
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError):
        raise LabError(
            tr(
                "kernel row {row}: {text} is not a number (write rows as 1,0,-1;2,0,-2)",
                row=row,
                text=repr(text),
            )
        ) from None
    if not math.isfinite(value):
        raise LabError(tr("kernel row {row}: {text} is not a finite number", row=row, text=repr(text)))
    return value


def parse_kernel(text: str) -> np.ndarray:
    """Kernel text -> float array ``(kH, kW)``: rows separated by ``;`` (or new lines), numbers by ``,``.

    A malformed kernel raises :class:`LabError` with one line naming the row, so the CLI and
    the GUI's kernel box say exactly which row to fix.
    """
    raw_rows = [r for r in text.replace("\n", ";").split(";")]
    while raw_rows and not raw_rows[-1].strip():
        raw_rows.pop()  # a trailing ";" is harmless
    if not raw_rows or not any(r.strip() for r in raw_rows):
        raise LabError(tr("the kernel is empty; type rows of numbers such as 1,0,-1;2,0,-2;1,0,-1"))
    rows: list[list[float]] = []
    for i, raw in enumerate(raw_rows, start=1):
        tokens = [t for t in raw.replace(" ", ",").split(",") if t.strip()] if raw.strip() else []
        if not tokens:
            raise LabError(
                tr("kernel row {row} is empty; every row needs numbers separated by commas", row=i)
            )
        rows.append([_number(t, i) for t in tokens])
        if len(rows[-1]) != len(rows[0]):
            raise LabError(
                tr(
                    "kernel row {row} has {count} number(s) but row 1 has {first}; every row needs the "
                    "same count",
                    row=i,
                    count=len(rows[-1]),
                    first=len(rows[0]),
                )
            )
    if len(rows) > MAX_KERNEL or len(rows[0]) > MAX_KERNEL:
        raise LabError(
            tr(
                "the kernel is {kh}x{kw}; it must be between 1x1 and {limit}x{limit}",
                kh=len(rows),
                kw=len(rows[0]),
                limit=MAX_KERNEL,
            )
        )
    return np.asarray(rows, dtype=np.float64)


def format_number(value: float, digits: int = 3) -> str:
    """A short, readable number: ``3``, ``-0.5``, ``0.125`` (no trailing zeros, no ``-0``)."""
    v = float(value)
    if v == 0:
        return "0"
    if abs(v - round(v)) < 1e-9 and abs(v) < 1e9:
        return str(int(round(v)))
    return f"{v:.{digits}g}" if abs(v) < 1e-3 or abs(v) >= 1e5 else f"{v:.{digits}f}".rstrip("0").rstrip(".")


def _factor(value: float, digits: int) -> str:
    """A number inside a product: negatives in parentheses, ``3·(−1)``."""
    text = format_number(value, digits)
    return f"({text})" if text.startswith("-") else text


def format_kernel(kernel: np.ndarray) -> str:
    """The kernel as text :func:`parse_kernel` reads back (``"1,0,-1;2,0,-2;1,0,-1"``)."""
    k = np.asarray(kernel, dtype=np.float64)
    return ";".join(",".join(format_number(v, 6) for v in row) for row in k)


# --------------------------------------------------------------------------- geometry


def parse_padding(value: str | int) -> Padding:
    """``"2"`` -> 2, ``"same"``, ``"valid"``; anything else is a :class:`LabError`."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip().lower()
        if text in ("same", "valid"):
            return text
        try:
            number = int(text)
        except ValueError:
            raise LabError(
                tr("padding {value} is not a whole number, 'same' or 'valid'", value=repr(value))
            ) from None
    if not 0 <= number <= MAX_PADDING:
        raise LabError(tr("padding must be between 0 and {hi}, got {value}", hi=MAX_PADDING, value=number))
    return number


def _check_int(name: str, value: int, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= int(value) <= hi:
        raise LabError(
            tr(
                "{name} must be a whole number between {lo} and {hi}, got {value}",
                name=name,
                lo=lo,
                hi=hi,
                value=repr(value),
            )
        )
    return int(value)


@dataclass(frozen=True)
class AxisGeometry:
    """One axis (rows or columns) of a convolution: what the output-size formula is made of."""

    size: int  # input size
    kernel: int
    pad_before: int
    pad_after: int
    stride: int
    dilation: int

    @property
    def span(self) -> int:
        """How many input cells one kernel window covers: ``dilation * (kernel - 1) + 1``."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def padded(self) -> int:
        """The padded input size."""
        return self.size + self.pad_before + self.pad_after

    @property
    def out(self) -> int:
        """``floor((size + pads - dilation*(kernel-1) - 1) / stride) + 1`` (0 when the kernel does not fit)."""
        free = self.padded - self.span
        return free // self.stride + 1 if free >= 0 else 0

    def formula(self) -> str:
        """The output-size formula with this axis's numbers, e.g. ``⌊(28 + 2·1 − 1·(3−1) − 1) / 1⌋ + 1 = 28``."""
        pads = (
            f"2·{self.pad_before}"
            if self.pad_before == self.pad_after
            else f"{self.pad_before} + {self.pad_after}"
        )
        return (
            f"⌊({self.size} + {pads} − {self.dilation}·({self.kernel}−1) − 1) / {self.stride}⌋ + 1"
            f" = {self.out}"
        )


@dataclass(frozen=True)
class ConvGeometry:
    """Where every window of a convolution lies: both axes, and positions in reading order."""

    rows: AxisGeometry
    cols: AxisGeometry

    @property
    def output_shape(self) -> tuple[int, int]:
        """``(out_h, out_w)``."""
        return self.rows.out, self.cols.out

    @property
    def positions(self) -> int:
        """How many positions the kernel visits (one per output cell)."""
        return self.rows.out * self.cols.out

    def position(self, index: int) -> tuple[int, int]:
        """Output cell ``(row, col)`` of step ``index`` (left to right, then top to bottom)."""
        if not 0 <= index < self.positions:
            raise IndexError(f"step {index} is outside 0..{self.positions - 1}")
        return divmod(index, self.cols.out)

    def window_cells(self, index: int) -> list[tuple[int, int]]:
        """The padded-input cells ``(row, col)`` the kernel covers at step ``index`` (kernel order)."""
        r, c = self.position(index)
        top, left = r * self.rows.stride, c * self.cols.stride
        return [
            (top + i * self.rows.dilation, left + j * self.cols.dilation)
            for i in range(self.rows.kernel)
            for j in range(self.cols.kernel)
        ]

    def formula(self) -> str:
        """Both axes' formulas, one line each (``H_out = ...`` and ``W_out = ...``)."""
        return f"H_out = {self.rows.formula()}\nW_out = {self.cols.formula()}"


def geometry(
    in_shape: Sequence[int],
    kernel_shape: Sequence[int],
    padding: Padding = 0,
    stride: int = 1,
    dilation: int = 1,
) -> ConvGeometry:
    """The geometry of a convolution (or pooling) of an ``(H, W)`` input with a ``(kH, kW)`` kernel.

    ``same`` pads ``dilation*(k-1)`` in total per axis, the extra one after (as PyTorch does)
    and needs stride 1 (as PyTorch requires). A kernel that does not fit the padded input is a
    :class:`LabError` saying by how much.
    """
    h, w = int(in_shape[-2]), int(in_shape[-1])
    kh, kw = int(kernel_shape[-2]), int(kernel_shape[-1])
    stride = _check_int("stride", stride, 1, MAX_STRIDE)
    dilation = _check_int("dilation", dilation, 1, MAX_DILATION)
    padding = parse_padding(padding)
    if h < 1 or w < 1:
        raise LabError(tr("the image is empty ({h}x{w})", h=h, w=w))
    if not (1 <= kh <= MAX_KERNEL and 1 <= kw <= MAX_KERNEL):
        raise LabError(
            tr(
                "the kernel is {kh}x{kw}; it must be between 1x1 and {limit}x{limit}",
                kh=kh,
                kw=kw,
                limit=MAX_KERNEL,
            )
        )
    pads: list[tuple[int, int]] = []
    for k in (kh, kw):
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "same":
            if stride != 1:
                raise LabError(
                    tr("padding 'same' needs stride 1 (as in PyTorch); use a number for padding instead")
                )
            total = dilation * (k - 1)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((int(padding), int(padding)))
    rows = AxisGeometry(h, kh, pads[0][0], pads[0][1], stride, dilation)
    cols = AxisGeometry(w, kw, pads[1][0], pads[1][1], stride, dilation)
    if rows.out < 1 or cols.out < 1:
        raise LabError(
            tr(
                "the kernel covers {sh}x{sw} cells (size {kh}x{kw}, dilation {dilation}) but the padded "
                "input is only {ph}x{pw}; use a smaller kernel or dilation, or more padding",
                sh=rows.span,
                sw=cols.span,
                kh=kh,
                kw=kw,
                dilation=dilation,
                ph=rows.padded,
                pw=cols.padded,
            )
        )
    return ConvGeometry(rows, cols)


def _as_chw(image: np.ndarray) -> np.ndarray:
    a = np.asarray(image, dtype=np.float64)
    if a.ndim == 2:
        return a[None]
    if a.ndim == 3:
        return a
    raise LabError(tr("an image must be (H, W) or (C, H, W), got shape {shape}", shape=a.shape))


def pad(image: np.ndarray, geo: ConvGeometry) -> np.ndarray:
    """The zero-padded input the kernel slides over, ``(C, Hp, Wp)`` (or ``(Hp, Wp)`` for 2-D input)."""
    x = _as_chw(image)
    out = np.pad(
        x, ((0, 0), (geo.rows.pad_before, geo.rows.pad_after), (geo.cols.pad_before, geo.cols.pad_after))
    )
    return out[0] if np.ndim(image) == 2 else out


def _windows(padded: np.ndarray, geo: ConvGeometry) -> np.ndarray:
    """``(C, out_h, out_w, kH, kW)``: every window's cells (a view, no copy)."""
    view = sliding_window_view(padded, (geo.rows.span, geo.cols.span), axis=(1, 2))
    return view[:, :: geo.rows.stride, :: geo.cols.stride, :: geo.rows.dilation, :: geo.cols.dilation][
        :, : geo.rows.out, : geo.cols.out
    ]


def _kernels(kernels: np.ndarray, channels: int) -> np.ndarray:
    """Kernels as ``(N, C, kH, kW)``: ``(kH, kW)`` -> one kernel for every channel, ``(C, kH, kW)`` -> one."""
    k = np.asarray(kernels, dtype=np.float64)
    if k.ndim == 2:
        k = np.broadcast_to(k, (channels, *k.shape))[None]
    elif k.ndim == 3:
        k = k[None]
    if k.ndim != 4 or k.shape[1] != channels:
        raise LabError(
            tr(
                "kernels of shape {shape} do not fit an image with {channels} channel(s)",
                shape=np.shape(kernels),
                channels=channels,
            )
        )
    if not np.isfinite(k).all():
        raise LabError(tr("the kernel holds a value that is not a finite number"))
    return k


def conv2d_many(
    image: np.ndarray,
    kernels: np.ndarray,
    padding: Padding = 0,
    stride: int = 1,
    dilation: int = 1,
    bias: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Several kernels over one image: ``(N, out_h, out_w)``, one feature map per kernel.

    ``kernels`` is ``(N, C, kH, kW)`` (or a single 2-D/3-D kernel); ``bias`` adds one number per
    map. Exactly ``torch.nn.functional.conv2d(image[None], kernels, bias, stride, padding,
    dilation)[0]``, in float64.
    """
    x = _as_chw(image)
    if x.shape[1] * x.shape[2] > MAX_PIXELS:
        raise LabError(
            tr(
                "the image is {w}x{h}; the Lab takes at most {limit} pixels",
                w=x.shape[2],
                h=x.shape[1],
                limit=MAX_PIXELS,
            )
        )
    k = _kernels(kernels, x.shape[0])
    geo = geometry(x.shape, k.shape, padding, stride, dilation)
    win = _windows(pad(x, geo), geo)
    out = np.einsum("cijkl,nckl->nij", win, k, optimize=True)
    if bias is not None:
        b = np.asarray(bias, dtype=np.float64).reshape(-1)
        if b.shape[0] != k.shape[0]:
            raise LabError(
                tr(
                    "{n_bias} bias value(s) for {n_kernels} kernel(s)",
                    n_bias=b.shape[0],
                    n_kernels=k.shape[0],
                )
            )
        out = out + b[:, None, None]
    return out


def conv2d(
    image: np.ndarray, kernel: np.ndarray, padding: Padding = 0, stride: int = 1, dilation: int = 1
) -> np.ndarray:
    """One kernel over one image: the output map ``(out_h, out_w)`` (see :func:`conv2d_many`)."""
    return conv2d_many(image, kernel, padding, stride, dilation)[0]


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)`` element-wise: the step after the bias."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


@dataclass(frozen=True)
class ConvStep:
    """One kernel position, written out: what the lecture's picture shows at this step."""

    index: int
    out_row: int
    out_col: int
    cells: list[tuple[int, int]]  # padded-input (row, col) per kernel cell, kernel order
    window: np.ndarray  # (C, kH, kW) input values under the kernel
    products: np.ndarray  # (C, kH, kW) window * kernel
    total: float  # sum of the products (+ bias when one was given)


class ConvLab:
    """A convolution set up once and stepped through: geometry, padded input, output, each step.

    The whole output is computed at construction (fast: one vectorised pass), so stepping is
    only indexing — the GUI's playback stays smooth on large images.
    """

    def __init__(
        self,
        image: np.ndarray,
        kernel: np.ndarray,
        padding: Padding = 0,
        stride: int = 1,
        dilation: int = 1,
        bias: float = 0.0,
    ) -> None:
        self.image = _as_chw(image)
        self.kernel = _kernels(kernel, self.image.shape[0])[0]  # (C, kH, kW)
        self.geometry = geometry(self.image.shape, self.kernel.shape, padding, stride, dilation)
        self.padding = parse_padding(padding)
        self.bias = float(bias)
        self.padded = pad(self.image, self.geometry)
        self._windows = _windows(self.padded, self.geometry)
        self.output = np.einsum("cijkl,ckl->ij", self._windows, self.kernel, optimize=True) + self.bias

    @property
    def positions(self) -> int:
        """How many steps the kernel takes."""
        return self.geometry.positions

    def step(self, index: int) -> ConvStep:
        """Step ``index``: the window, the products and their sum at that position."""
        r, c = self.geometry.position(index)
        window = np.array(self._windows[:, r, c])
        products = window * self.kernel
        return ConvStep(
            index,
            r,
            c,
            self.geometry.window_cells(index),
            window,
            products,
            float(products.sum() + self.bias),
        )

    def products_text(self, index: int, digits: int = 3, limit: int = 27) -> str:
        """The step's arithmetic as the lecture writes it: ``0·1 + 12·0 + ... (+ bias) = 37``."""
        s = self.step(index)
        terms = [
            f"{_factor(w, digits)}·{_factor(k, digits)}"
            for w, k in zip(s.window.ravel(), self.kernel.ravel(), strict=True)
        ]
        shown = terms if len(terms) <= limit else [*terms[: limit - 1], f"… ({len(terms) - limit + 1} more)"]
        bias = f" + {format_number(self.bias, digits)}" if self.bias else ""
        return " + ".join(shown) + bias + f" = {format_number(s.total, digits)}"


# --------------------------------------------------------------------------- pooling


@dataclass(frozen=True)
class PoolResult:
    """A pooling's output and, per window, the input cell it chose (max) or averaged (avg)."""

    kind: str
    output: np.ndarray  # (C, out_h, out_w) (or (out_h, out_w) for 2-D input)
    chosen: np.ndarray  # (C, out_h, out_w, 2): input (row, col) of each window's max (its top-left for avg)
    geometry: ConvGeometry

    @property
    def parameters(self) -> int:
        """Pooling learns nothing: always 0 (the lecture's point)."""
        return 0


def pool2d(
    image: np.ndarray, kind: str, kernel: int | Sequence[int], stride: int | None = None
) -> PoolResult:
    """Max or average pooling without padding, per channel (channels unchanged).

    ``stride`` defaults to the kernel size, as in PyTorch. Equals
    ``torch.nn.functional.max_pool2d`` / ``avg_pool2d`` with ``padding=0``.
    """
    if kind not in ("max", "avg"):
        raise LabError(tr("pooling kind must be 'max' or 'avg', got {value}", value=repr(kind)))
    ks = (kernel, kernel) if isinstance(kernel, (int, np.integer)) else tuple(kernel)
    kh = _check_int("pooling kernel", ks[0], 1, MAX_KERNEL)
    kw = _check_int("pooling kernel", ks[1], 1, MAX_KERNEL)
    if stride is None:
        stride_v = kh if kh == kw else None
        if stride_v is None:
            raise LabError(tr("give a stride for a non-square pooling kernel"))
    else:
        stride_v = stride
    two_d = np.ndim(image) == 2
    x = _as_chw(image)
    geo = geometry(x.shape, (kh, kw), 0, stride_v, 1)
    win = _windows(x, geo)  # (C, oh, ow, kh, kw)
    flat = win.reshape(*win.shape[:3], kh * kw)
    if kind == "max":
        out = flat.max(axis=-1)
        arg = flat.argmax(axis=-1)
    else:
        out = flat.mean(axis=-1)
        arg = np.zeros(out.shape, dtype=np.int64)
    oh, ow = geo.output_shape
    rows = np.arange(oh)[None, :, None] * geo.rows.stride + arg // kw
    cols = np.arange(ow)[None, None, :] * geo.cols.stride + arg % kw
    chosen = np.stack(np.broadcast_arrays(rows, cols), axis=-1)
    if two_d:
        return PoolResult(kind, out[0], chosen[0], geo)
    return PoolResult(kind, out, chosen, geo)


# --------------------------------------------------------------------------- images


def load_numbers(path: str | os.PathLike[str], channel: int | None = None) -> np.ndarray:
    """An image file as its pixel numbers 0-255, float64 ``(H, W)``.

    Greyscale through Pillow's ``L`` conversion (as the lecture draws a digit); ``channel``
    0, 1 or 2 picks R, G or B of the image converted to RGB instead. Not normalised.
    """
    if channel is not None and channel not in (0, 1, 2):
        raise LabError(tr("--channel must be 0 (red), 1 (green) or 2 (blue), got {value}", value=channel))

    def convert(img: Any) -> np.ndarray:
        if channel is None:
            return np.asarray(img.convert("L"), dtype=np.float64)
        return np.asarray(img.convert("RGB"), dtype=np.float64)[:, :, channel].copy()

    return _read_image(path, convert)


def load_channels(path: str | os.PathLike[str]) -> np.ndarray:
    """An image file as ``(C, H, W)`` float64 pixel numbers: 1 channel for greyscale files, else 3 (RGB)."""

    def convert(img: Any) -> np.ndarray:
        if img.mode in ("L", "LA", "1", "I", "I;16", "F"):
            return np.asarray(img.convert("L"), dtype=np.float64)[None].copy()
        return np.asarray(img.convert("RGB"), dtype=np.float64).transpose(2, 0, 1).copy()

    return _read_image(path, convert)


def _read_image(path: str | os.PathLike[str], convert: Callable[[Any], np.ndarray]) -> np.ndarray:
    """Open ``path`` as an image of at most :data:`MAX_PIXELS` and ``convert`` it; one message per failure."""
    from PIL import Image, UnidentifiedImageError  # lazy: the CLI parser starts without Pillow

    p = Path(path)
    if not p.is_file():
        raise LabError(tr("image {path} does not exist (check the path)", path=repr(str(p))))
    try:
        with Image.open(p) as img:
            if img.width * img.height > MAX_PIXELS:
                raise LabError(
                    tr(
                        "image {name} is {w}x{h}; the Lab takes at most {limit} pixels (resize it first)",
                        name=p.name,
                        w=img.width,
                        h=img.height,
                        limit=MAX_PIXELS,
                    )
                )
            return convert(img)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LabError(
            tr(
                "cannot read {name} as an image ({reason}); use a PNG, JPEG or BMP file",
                name=p.name,
                reason=exc,
            )
        ) from None


def sample_images(count: int = 16) -> tuple[np.ndarray, list[str]]:
    """The first ``count`` images of the embedded sample dataset: uint8 ``(N, 1, 28, 28)`` and class names.

    The Lab opens on these, so it works with no project and no dataset.
    """
    # sources imports torch at module level; the CLI's conv/pool never need it (start-up speed)
    from studio.core.data.sources import load_array_source

    src = load_array_source("sample", "", False)
    images = src.train_images[:count].numpy()
    labels = src.train_labels[:count].tolist()
    return images, [src.classes[int(i)] for i in labels]


def project_images(project: Project, count: int = 16) -> tuple[list[np.ndarray], list[str]]:
    """Up to ``count`` images of a project's dataset as ``(C, H, W)`` pixel numbers, and their class names.

    A ``folder`` dataset gives one image per class in turn (files as they are, any size); an
    in-memory source (MNIST, CIFAR, the sample) its first training images. Nothing is
    downloaded: a source not on disk yet is a :class:`~studio.core.base.errors.UserError`.
    """
    # both modules import torch at module level; only needed when the user asks (start-up speed)
    from studio.core.data.folder import scan_folder
    from studio.core.data.sources import load_array_source  # lazy: pulls in torch

    spec = project.data
    if spec.source == "folder":
        index = scan_folder(spec.root)
        by_class: dict[int, list[str]] = {}
        for path, label in zip(index.paths, index.labels.tolist(), strict=True):
            by_class.setdefault(int(label), []).append(path)
        picked: list[tuple[str, int]] = []
        depth = 0
        while len(picked) < count and any(depth < len(v) for v in by_class.values()):
            for label in sorted(by_class):
                if depth < len(by_class[label]) and len(picked) < count:
                    picked.append((by_class[label][depth], label))
            depth += 1
        images, names = [], []
        for path, label in picked:
            try:
                images.append(load_channels(path))
            except LabError:
                continue  # an unreadable file: the Data page's health check names it
            names.append(f"{index.classes[label]} ({Path(path).name})")
        if not images:
            raise LabError(tr("no readable images in the dataset folder {root}", root=spec.root))
        return images, names
    src = load_array_source(spec.source, spec.root, False)
    n = min(count, int(src.train_images.shape[0]))
    arrays = src.train_images[:n].numpy().astype(np.float64)
    return [arrays[i] for i in range(n)], [str(src.classes[int(v)]) for v in src.train_labels[:n].tolist()]
