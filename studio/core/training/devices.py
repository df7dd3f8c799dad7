"""Where training runs: device choice, threads, mixed precision, seeding, processes.

Small functions with one job each, so that DistributedDataParallel (``torchrun``) can be
added on top of the engine by replacing :func:`wrap_model` and :func:`process_info` and using
:func:`all_reduce_sums`, without touching the loop.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import ProjectError, UserError
from studio.core.base.i18n import tr

if TYPE_CHECKING:
    import torch
    import torch.nn as nn


class DeviceError(UserError):
    """A requested device that this machine does not have."""


@dataclass(frozen=True)
class ProcessInfo:
    """This process's place in a (possibly distributed) run: torchrun's RANK/WORLD_SIZE."""

    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def is_main(self) -> bool:
        """Only the main process writes files and prints."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        """More than one process trains this run."""
        return self.world_size > 1


def process_info() -> ProcessInfo:
    """Read torchrun's environment (RANK, LOCAL_RANK, WORLD_SIZE); one process if absent."""

    def env_int(name: str, default: int) -> int:
        try:
            return int(os.environ.get(name, default))
        except ValueError:
            return default

    return ProcessInfo(env_int("RANK", 0), env_int("LOCAL_RANK", 0), max(1, env_int("WORLD_SIZE", 1)))


def resolve_device(name: str | None, local_rank: int = 0) -> torch.device:
    """``auto`` -> CUDA, else Apple MPS, else CPU; an explicit device must exist."""
    import torch

    name = (name or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", local_rank % max(1, torch.cuda.device_count()))
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise DeviceError(
                tr(
                    'training.device: {name!r} was asked for but this machine has no usable CUDA GPU; use "auto" or "cpu"',
                    name=name,
                )
            )
        dev = torch.device(name)
        index = dev.index if dev.index is not None else local_rank % torch.cuda.device_count()
        if index >= torch.cuda.device_count():
            raise DeviceError(
                tr(
                    "training.device: {name!r} does not exist; this machine has {device_count} CUDA device(s) (cuda:0 ...)",
                    name=name,
                    device_count=torch.cuda.device_count(),
                )
            )
        return torch.device("cuda", index)
    if name == "mps":
        if not _mps_available():
            raise DeviceError(tr('training.device: "mps" needs an Apple-silicon Mac; use "auto" or "cpu"'))
        return torch.device("mps")
    raise DeviceError(
        tr(
            'training.device: unknown device {name!r}; use "auto", "cpu", "cuda", "cuda:N" or "mps"',
            name=name,
        )
    )


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask: honest inside containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def choose_threads(device: torch.device, *, fixed: bool = False) -> int:
    """How many threads CPU math should use for this run.

    ``CNN_STUDIO_THREADS`` (or ``OMP_NUM_THREADS``) decides when set. Otherwise every usable
    core, split between the processes of a distributed run, except on a busy machine: there
    intra-op threads that wait for each other at every operator on cores other programs hold
    run many times slower (10x measured on 2 shared cores), so the cores other programs keep
    busy (the 1-minute load average) are left to them. ``fixed`` (deterministic runs) skips
    that adaptation, since float sums depend on the thread count.
    """
    for name in ("CNN_STUDIO_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    cores = usable_cores() // max(1, process_info().world_size)
    if device.type != "cpu":
        return max(1, min(cores, 4))  # CPU work is data preparation only
    if fixed:
        return max(1, cores)
    free = cores - busy_cores()
    return max(1, min(cores, int(free + 0.5)))


def busy_cores(window: float = 0.1) -> float:
    """How many cores other programs keep busy right now (sampled over ``window`` seconds).

    Read from ``/proc/stat`` while the calling thread sleeps, less what this process's other
    threads used meanwhile (the studio's own GUI thread painting a plot is not a reason to
    train on fewer threads); elsewhere the 1-minute load average.
    """

    def sample() -> tuple[int, int] | None:
        j = _cpu_jiffies()
        return None if j is None else (j[1] - j[0] + _own_jiffies(), j[1])  # (idle + own, total)

    first = sample()
    if first is None:
        try:
            return float(os.getloadavg()[0])
        except (AttributeError, OSError):
            return 0.0
    time.sleep(window)
    second = sample()
    if second is None or second[1] <= first[1]:
        return 0.0
    idle = (second[0] - first[0]) / (second[1] - first[1])
    return max(0.0, (1.0 - idle) * (os.cpu_count() or 1))


def _own_jiffies() -> int:
    """CPU jiffies (user + system) this process has used, all threads (0 where unknown)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine from ``/proc/stat`` (None elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


_SERIAL_THREADS: set[int] = set()


def keep_calling_thread_serial() -> None:
    """Run this thread's torch math on this thread alone, leaving other threads' count as it was.

    For a GUI's main thread: with GNU OpenMP every thread that runs a parallel torch op keeps
    a team of worker threads for its whole life, and once more OpenMP threads are alive than
    there are cores, all of them sleep instead of spinning between parallel regions
    (training ran 1.4x slower on 2 cores, ``benchmarks/omp_teams.py``). The main thread lives
    as long as the app, so it must never own a team. ``torch.set_num_threads`` also sets the
    default that threads started later pick up at their first op, so another short-lived
    thread puts that default back. Once per thread; a no-op when torch is not loaded yet
    (nothing could have run) or this thread already did it.
    """
    if "torch" not in sys.modules or threading.get_ident() in _SERIAL_THREADS:
        return
    import torch

    threads = torch.get_num_threads()  # settles this thread's own count first (torch sets it lazily)
    _SERIAL_THREADS.add(threading.get_ident())
    if threads == 1:
        return
    torch.set_num_threads(1)
    restore = threading.Thread(target=torch.set_num_threads, args=(threads,), name="torch-threads")
    restore.start()
    restore.join()


def configure_threads(threads: int) -> int:
    """Set torch's intra-op thread count (if it differs) and return it."""
    import torch

    threads = max(1, int(threads))
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def seed_everything(seed: int, deterministic: bool, device: torch.device) -> None:
    """Seed python, numpy and torch; with ``deterministic`` ask for deterministic kernels."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = not deterministic
        if deterministic:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(deterministic, warn_only=True)


PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def choose_precision(device: torch.device, requested: str = "auto") -> tuple[str, str | None]:
    """``(precision, note)``: what autocast runs in, and why when it is not what was asked.

    ``training.precision`` (an optional project key): ``auto`` = float16 with a GradScaler on
    CUDA, float32 elsewhere; ``bf16`` = bfloat16 autocast (CUDA, or a CPU with native
    bfloat16 instructions such as AVX512-BF16/AMX: about 1.4x faster convolutions there);
    ``fp16`` = float16 on CUDA; ``fp32`` = no autocast. Master weights stay float32.
    """
    import torch

    if requested not in PRECISIONS:
        raise ProjectError(
            "training.precision",
            tr(
                "must be one of {allowed}, got {value}",
                allowed=", ".join(PRECISIONS),
                value=repr(requested),
            ),
        )
    if requested == "fp32":
        return "fp32", None
    if device.type == "cuda":
        if requested == "bf16" and not torch.cuda.is_bf16_supported():
            return "fp16", tr("this GPU has no bfloat16: float16 mixed precision instead")
        return ("bf16" if requested == "bf16" else "fp16"), None
    if requested == "auto":
        return "fp32", None
    if device.type == "cpu" and requested == "bf16":
        if cpu_has_native_bf16():
            return "bf16", None
        return "fp32", tr("this CPU has no native bfloat16 instructions: float32 instead")
    return "fp32", tr(
        "{requested} is not used on {device}: float32 instead", requested=requested, device=device.type
    )


def cpu_has_native_bf16() -> bool:
    """True when this CPU has bfloat16 instructions (AVX512-BF16 or AMX).

    oneDNN's own ``_is_mkldnn_bf16_supported`` is also true on a plain AVX-512 CPU, where it
    emulates bfloat16: there mnist-cnn trained at 4,800 img/s in bf16 against 9,100 in
    float32 (2 cores, Xeon without AVX512-BF16). torch's CPU feature checks are private, so
    without them the answer is "no": float32 is never the slow choice.
    """
    import torch

    checks = [
        getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    ]
    try:
        return any(bool(check()) for check in checks if callable(check))
    except RuntimeError:
        return False


def autocast_dtype(precision: str) -> torch.dtype | None:
    """The autocast dtype for a precision (None: float32, no autocast)."""
    import torch

    return {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)


def autocast(device: torch.device, dtype: torch.dtype | None) -> contextlib.AbstractContextManager[Any]:
    """The autocast context for a forward pass (a no-op for float32)."""
    if dtype is None:
        return contextlib.nullcontext()
    import torch

    return torch.autocast(device_type=device.type, dtype=dtype)


def make_scaler(device: torch.device, precision: str) -> Any:
    """A GradScaler for float16 training (bfloat16 and float32 need none), or None."""
    if precision != "fp16":
        return None
    import torch

    return torch.amp.GradScaler(device.type)


def wrap_model(model: nn.Module, device: torch.device) -> nn.Module:
    """Move the model to ``device`` (channels-last for convolutions on CPU/CUDA).

    The distributed engine wraps the result in DistributedDataParallel here.
    """
    import torch

    model = model.to(device)
    if uses_channels_last(model, device):
        model = model.to(memory_format=torch.channels_last)
    return model


def uses_channels_last(model: nn.Module, device: torch.device) -> bool:
    """Convolutional models run channels-last on CPU and CUDA (faster oneDNN/cuDNN kernels)."""
    return device.type in ("cpu", "cuda") and _has_conv(model)


def unwrap_model(model: nn.Module) -> nn.Module:
    """The plain module under a DDP/compile wrapper (what checkpoints store)."""
    inner = getattr(model, "module", None)
    return inner if inner is not None and hasattr(inner, "state_dict") else model


def _has_conv(model: nn.Module) -> bool:
    import torch.nn as nn

    return any(isinstance(m, nn.Conv2d) for m in model.modules())


def to_device_batch(
    x: torch.Tensor, y: torch.Tensor, device: torch.device, channels_last: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Move a batch to the device (asynchronously from pinned memory on CUDA)."""
    import torch

    if device.type != "cpu":
        x = x.to(device, non_blocking=True)
        y = y.to(device, non_blocking=True)
    if channels_last and x.dim() == 4:
        x = x.contiguous(memory_format=torch.channels_last)
    return x, y


def all_reduce_sums(values: list[float], device: torch.device) -> list[float]:
    """Sum ``values`` over all processes of a distributed run (identity in one process)."""
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return values
    import torch

    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()
