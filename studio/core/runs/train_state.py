"""What a training checkpoint holds beyond the weights: every RNG, and the per-epoch files.

Resuming a run must give exactly the numbers an uninterrupted run gives (on the CPU, same
seed), so a checkpoint carries the state of every random number generator the loop draws
from: torch's global one (dropout, initialisation), Python's ``random``, NumPy's, CUDA's,
and the data generator that shuffles and augments. They are stored as tensors, numbers and
lists only, so that the checkpoint loads with ``torch.load(..., weights_only=True)``.

Per-epoch files ``checkpoints/epoch-N.pt`` (weights and optimizer state, kept while the model
is small) are what "Fork from checkpoint" starts new runs from.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.base.i18n import tr
from studio.core.runs.run_folder import RunError, check_rng, load_checkpoint

if TYPE_CHECKING:
    import torch

#: keep checkpoints/epoch-N.pt for models up to this many parameters: with Adam's two moments
#: a file is about 12 bytes a parameter, so 2M parameters make 24 MB per epoch
EPOCH_CHECKPOINT_MAX_PARAMS = 2_000_000
_EPOCH_FILE = re.compile(r"^epoch-(\d+)\.pt$")


def capture_rng(generator: torch.Generator, device: torch.device | None = None) -> dict[str, Any]:
    """The state of every RNG the loop uses, as weights-only-loadable values."""
    import numpy as np
    import torch

    version, py_state, gauss = random.getstate()
    np_name, np_keys, np_pos, np_has_gauss, np_gauss = np.random.get_state()
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "data": generator.get_state(),
        "python": {
            "version": int(version),
            "state": torch.tensor(py_state, dtype=torch.int64),
            "gauss": gauss,
        },
        "numpy": {
            "name": str(np_name),
            "keys": torch.from_numpy(np.asarray(np_keys, dtype=np.int64)),
            "pos": int(np_pos),
            "has_gauss": int(np_has_gauss),
            "gauss": float(np_gauss),
        },
    }
    if device is not None and device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def restore_rng(
    state: dict[str, Any] | None, generator: torch.Generator, device: torch.device | None = None
) -> None:
    """Put every RNG back as :func:`capture_rng` found it."""
    import numpy as np
    import torch

    check_rng(state, "checkpoints/last.pt")  # a resume restores the run's last checkpoint
    assert state is not None  # check_rng refused anything else
    torch.set_rng_state(state["torch"])
    generator.set_state(state["data"])
    py = state["python"]
    random.setstate((py["version"], tuple(int(v) for v in py["state"].tolist()), py["gauss"]))
    npst = state["numpy"]
    np.random.set_state(
        (npst["name"], npst["keys"].numpy().astype(np.uint32), npst["pos"], npst["has_gauss"], npst["gauss"])
    )
    if device is not None and device.type == "cuda" and "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], device)


def epoch_checkpoint_path(run_dir: str | os.PathLike[str], epoch: int) -> Path:
    """``checkpoints/epoch-N.pt`` of a run."""
    return Path(run_dir) / "checkpoints" / f"epoch-{epoch}.pt"


def epoch_files(run_dir: str | os.PathLike[str]) -> dict[int, Path]:
    """The run's per-epoch checkpoint files (``checkpoints/epoch-N.pt``) by epoch."""
    folder = Path(run_dir) / "checkpoints"
    if not folder.is_dir():
        return {}
    return {
        int(m.group(1)): path
        for path in folder.iterdir()
        if (m := _EPOCH_FILE.match(path.name)) and path.is_file()
    }


def saved_epochs(run_dir: str | os.PathLike[str]) -> dict[int, Path]:
    """Every epoch of a run that can be forked from, with the file that holds it.

    The per-epoch files, plus ``last.pt`` and ``best.pt`` for the epochs they hold (always,
    even for models too big for per-epoch files).
    """
    folder = Path(run_dir) / "checkpoints"
    found = epoch_files(run_dir)
    for name in ("best.pt", "last.pt"):
        path = folder / name
        if path.is_file():
            epoch = _checkpoint_epoch(path)
            if epoch is not None and epoch not in found:
                found[epoch] = path
    return dict(sorted(found.items()))


def _checkpoint_epoch(path: Path) -> int | None:
    try:
        state = load_checkpoint(path)
    except RunError:
        return None
    epoch = state.get("epoch")
    return int(epoch) if isinstance(epoch, int) and epoch > 0 else None


def fork_source(run_dir: str | os.PathLike[str], epoch: int | None = None) -> dict[str, Any]:
    """The checkpoint to fork a new run from: epoch ``epoch`` of ``run_dir`` (None: the best).

    Returns the loaded checkpoint dict plus ``"source": {"run": str, "epoch": int}``.
    """
    run = Path(run_dir)
    if epoch is None:
        path = run / "checkpoints" / "best.pt"
        if not path.is_file():
            path = run / "checkpoints" / "last.pt"
    else:
        path = epoch_checkpoint_path(run, epoch)
        if not path.is_file():  # no per-epoch file (a big model): best.pt or last.pt may hold it
            epochs = saved_epochs(run)
            if epoch not in epochs:
                have = ", ".join(map(str, epochs)) or "none"
                raise RunError(
                    tr(
                        "{run} has no saved checkpoint for epoch {epoch} (saved epochs: {have}); pick one of those",
                        run=run,
                        epoch=epoch,
                        have=have,
                    )
                )
            path = epochs[epoch]
    state = load_checkpoint(path)
    state["source"] = {"run": str(run), "epoch": int(state.get("epoch") or 0), "file": path.name}
    return state


def load_optimizer_for_fork(
    optimizer: torch.optim.Optimizer, saved: dict[str, Any] | None, saved_type: str | None, new_type: str
) -> bool:
    """Carry a forked run's optimizer moments over, keeping the new settings' hyperparameters.

    Only when the optimizer type is unchanged and the state fits; returns whether it did.
    """
    if not saved or saved_type != new_type:
        return False
    fresh = [{k: v for k, v in group.items() if k != "params"} for group in optimizer.param_groups]
    try:
        optimizer.load_state_dict(saved)
    except (ValueError, KeyError, RuntimeError):
        return False
    for group, settings in zip(optimizer.param_groups, fresh, strict=False):
        group.update(settings)
    return True
