"""Scale-out on PyTorch's own distributed engine: ``torchrun ... -m studio train PROJECT``.

torchrun starts one process per GPU (or per CPU slot) and gives each ``RANK``, ``LOCAL_RANK``,
``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT``. The engine then, in every process:

1. :func:`setup` joins the process group (NCCL on CUDA, gloo on the CPU);
2. trains its shard of each epoch (``Split.batches(rank=, world_size=)``, the
   ``DistributedSampler`` order) with the model wrapped by :func:`wrap_ddp`, so gradients are
   averaged across processes every step;
3. sums loss/correct/count over processes (:func:`studio.core.training.devices.all_reduce_sums`), so
   every rank sees the same global epoch metrics and takes the same early-stop/NaN decisions
   (:func:`any_rank` for flags that one rank raises alone);
4. lets rank 0 alone create and write the run folder and checkpoints; the others learn the
   folder from rank 0 (:func:`broadcast_path`, sent as UTF-8 bytes, never pickled);
5. :func:`shutdown` destroys the process group, however the run ended.

Without torchrun (``WORLD_SIZE`` unset or 1) every function here is a cheap no-op, so the
engine calls them unconditionally. :func:`write_cluster_bundle` writes what "Run on a
cluster..." gives the user: the project, a ``torchrun`` command and a SLURM batch script.
"""

from __future__ import annotations

import datetime
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.base.errors import UserError
from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.model.zoo import model_info
from studio.core.project.project_file import Project
from studio.core.training.devices import process_info

if TYPE_CHECKING:
    import torch
    import torch.nn as nn

TIMEOUT_MINUTES = 30


class DistributedError(UserError):
    """A distributed launch that cannot work (missing torchrun variables, a bad backend)."""


def is_active() -> bool:
    """True inside a process group of more than one process."""
    import torch.distributed as dist

    return bool(dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1)


def backend_for(device: torch.device) -> str:
    """NCCL for CUDA devices, gloo for everything else."""
    return "nccl" if device.type == "cuda" else "gloo"


def setup(device: torch.device) -> bool:
    """Join torchrun's process group when ``WORLD_SIZE`` > 1; returns whether distributed.

    CUDA processes bind to their ``LOCAL_RANK``'s GPU first (``device`` should already be
    ``resolve_device(..., local_rank)``). Safe to call twice.
    """
    import torch
    import torch.distributed as dist

    info = process_info()
    if not info.distributed:
        return False
    if dist.is_initialized():
        return True
    missing = [k for k in ("MASTER_ADDR", "MASTER_PORT") if not os.environ.get(k)]
    if missing:
        raise DistributedError(
            tr(
                "WORLD_SIZE={world_size} is set but {missing} is not: start distributed training with `torchrun --nproc_per_node N -m studio train PROJECT`",
                world_size=info.world_size,
                missing=", ".join(missing),
            )
        )
    if not dist.is_available():
        raise DistributedError(tr("this PyTorch build has no torch.distributed; train in one process"))
    backend = backend_for(device)
    if backend == "nccl" and not dist.is_nccl_available():
        raise DistributedError(tr("CUDA training across processes needs NCCL, which this PyTorch lacks"))
    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group(backend=backend, timeout=datetime.timedelta(minutes=TIMEOUT_MINUTES))
    return True


def shutdown() -> None:
    """Leave the process group (a no-op when there is none)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def wrap_ddp(model: nn.Module, device: torch.device) -> nn.Module:
    """``model`` (already on ``device``) in DistributedDataParallel, or itself outside torchrun.

    DDP synchronises only the parameters that require grad when it is built: after gradual
    unfreezing changes them, call :func:`rewrap`.
    """
    if not is_active():
        return model
    from torch.nn.parallel import DistributedDataParallel

    ids = [device.index] if device.type == "cuda" and device.index is not None else None
    return DistributedDataParallel(model, device_ids=ids)


def rewrap(model: nn.Module, device: torch.device) -> nn.Module:
    """A fresh DDP wrapper around the network inside ``model`` (after ``requires_grad`` changed)."""
    from torch.nn.parallel import DistributedDataParallel

    if isinstance(model, DistributedDataParallel):
        return wrap_ddp(model.module, device)
    return model


def _comm_device() -> torch.device:
    import torch
    import torch.distributed as dist

    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def broadcast_text(text: str | None, src: int = 0) -> str:
    """``text`` from rank ``src`` on every rank (UTF-8 bytes in a tensor: nothing is pickled)."""
    import torch
    import torch.distributed as dist

    if not is_active():
        return text or ""
    device = _comm_device()
    data = (text or "").encode("utf-8") if dist.get_rank() == src else b""
    size = torch.tensor([len(data)], dtype=torch.int64, device=device)
    dist.broadcast(size, src)
    buf = torch.zeros(int(size.item()), dtype=torch.uint8, device=device)
    if dist.get_rank() == src and data:
        buf.copy_(torch.frombuffer(bytearray(data), dtype=torch.uint8))
    if buf.numel():
        dist.broadcast(buf, src)
    return bytes(buf.cpu().tolist()).decode("utf-8")


def broadcast_path(path: str | os.PathLike[str] | None) -> Path:
    """The run folder rank 0 created, on every rank (rank 0 passes it, the others None)."""
    return Path(broadcast_text(None if path is None else str(path)))


def any_rank(flag: bool) -> bool:
    """True on every rank when ``flag`` is true on any (stop requests, a NaN loss on one rank)."""
    import torch
    import torch.distributed as dist

    if not is_active():
        return flag
    t = torch.tensor([1 if flag else 0], dtype=torch.int32, device=_comm_device())
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def barrier() -> None:
    """Wait for every rank (a no-op in one process)."""
    import torch.distributed as dist

    if is_active():
        dist.barrier()


def eval_shard_size(n: int, rank: int, world_size: int) -> int:
    """How many distinct samples rank ``rank`` holds of an unshuffled ``n``-sample split.

    The sharded order pads by wrapping round (like ``DistributedSampler``); the padding sits at
    the end of the shards of the ranks at or above ``n % world_size``. An evaluation loop that
    stops after this many samples counts every image exactly once across ranks.
    """
    if world_size <= 1:
        return n
    return len(range(rank, n, world_size))


# --------------------------------------------------------------------------- "Run on a cluster..."


@dataclass
class ClusterBundle:
    """The files :func:`write_cluster_bundle` wrote, and what the user must check."""

    folder: Path
    project: Path
    launcher: Path
    slurm: Path
    readme: Path
    command: list[str]
    notes: list[str] = field(default_factory=list)


def torchrun_command(
    project_file: str,
    *,
    nodes: int = 1,
    procs_per_node: int = 1,
    rdzv_endpoint: str = "$MASTER_ADDR:29500",
    rdzv_id: str = "$SLURM_JOB_ID",
    extra: list[str] | None = None,
) -> list[str]:
    """The ``torchrun`` command line (a list of arguments) that trains ``project_file``.

    One node: a standalone rendezvous on this machine, reached at 127.0.0.1 (``--local-addr``):
    torchrun would otherwise hand the workers this machine's host name, which a sandbox or a
    laptop without a network may not resolve, and they would wait for each other forever.
    Several: a c10d rendezvous at
    ``rdzv_endpoint``, which the SLURM script fills in from the job's first node. The run
    folder is ``train``'s default, ``NAME.runs/<project>-<time>`` beside the project file ``NAME.json``.
    """
    cmd = ["torchrun"]
    if nodes == 1:
        cmd += ["--standalone", "--nnodes", "1", "--local-addr", "127.0.0.1"]
    else:
        cmd += [
            "--nnodes",
            str(nodes),
            "--rdzv_backend",
            "c10d",
            "--rdzv_endpoint",
            rdzv_endpoint,
            "--rdzv_id",
            rdzv_id,
        ]
    cmd += ["--nproc_per_node", str(procs_per_node), "-m", "studio", "train", project_file]
    return cmd + list(extra or [])


def _shell(cmd: list[str]) -> str:
    """Quote for bash, leaving ``$VARS`` to expand."""
    return " ".join(f'"{c}"' if "$" in c else shlex.quote(c) for c in cmd)


def _slug(name: str) -> str:
    out = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip()).strip("-")
    return (out or "cnn-studio")[:40]


def _validate_bundle(nodes: int, gpus_per_node: int, procs_per_node: int | None, time_limit: str) -> int:
    for name, value, lo in (("nodes", nodes, 1), ("gpus per node", gpus_per_node, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < lo or value > 4096:
            if name == "nodes":
                message = tr(
                    "cluster nodes: must be an integer from {lo} to 4096, got {value!r}", lo=lo, value=value
                )
            else:
                message = tr(
                    "cluster gpus per node: must be an integer from {lo} to 4096, got {value!r}",
                    lo=lo,
                    value=value,
                )
            raise UserError(message)
    procs = gpus_per_node if gpus_per_node > 0 else (1 if procs_per_node is None else procs_per_node)
    if isinstance(procs, bool) or not isinstance(procs, int) or not 1 <= procs <= 1024:
        raise UserError(
            tr("cluster processes per node: must be an integer from 1 to 1024, got {procs!r}", procs=procs)
        )
    parts = time_limit.replace("-", ":").split(":")
    if not time_limit or not all(p.isdigit() for p in parts):
        raise UserError(
            tr(
                "cluster time limit: must look like HH:MM:SS or D-HH:MM:SS, got {time_limit!r}",
                time_limit=time_limit,
            )
        )
    return procs


def write_cluster_bundle(
    project: Project,
    out_dir: str | os.PathLike[str],
    nodes: int = 1,
    gpus_per_node: int = 1,
    *,
    procs_per_node: int | None = None,
    time_limit: str = "04:00:00",
    partition: str | None = None,
    cpus_per_task: int = 8,
    job_name: str | None = None,
    epochs: int | None = None,
) -> ClusterBundle:
    """Write a folder to copy to a cluster: ``project.json``, ``run.sh``, ``job.slurm``, ``README.txt``.

    ``gpus_per_node`` 0 means CPU nodes running ``procs_per_node`` processes each (gloo).
    The project is written as it is (``training.device`` set to ``"auto"``, so each process
    takes its own GPU; ``epochs`` overrides the count). Returns the paths, the command, and
    notes on what must also exist on the cluster (the dataset folder, the weights file).
    """
    procs = _validate_bundle(nodes, gpus_per_node, procs_per_node, time_limit)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = project.copy()
    snapshot.training.device = "auto" if gpus_per_node > 0 else "cpu"
    if epochs is not None:
        snapshot.training.epochs = int(epochs)
    project_path = folder / "project.json"
    atomic_write_bytes(project_path, snapshot.to_json().encode("utf-8"))

    notes: list[str] = []
    data = snapshot.data
    if data.source == "folder":
        notes.append(
            tr(
                "data.root {root} must exist at that path on every node (edit project.json if the "
                "cluster keeps the data elsewhere)",
                root=data.root,
            )
        )
    elif data.source != "sample" and not data.download:
        notes.append(
            tr(
                "the {source} files must be under data.root {root} on every node, or set data.download "
                "to true where the nodes have network access",
                source=data.source,
                root=data.root or "(default)",
            )
        )
    if snapshot.model.kind == "pretrained" and snapshot.model.weights == "DEFAULT":
        info = model_info(snapshot.model.arch)
        notes.append(
            tr(
                "the {arch} weights download on first use; on nodes without network, put {file} (from "
                "{url}) in $TORCH_HOME/hub/checkpoints/ on every node",
                arch=snapshot.model.arch,
                file=info.weights_file,
                url=info.url,
            )
        )
    elif snapshot.model.kind == "pretrained" and snapshot.model.weights:
        notes.append(
            tr(
                "model.weights {weights} must exist at that path on every node",
                weights=snapshot.model.weights,
            )
        )

    single = _shell(torchrun_command("project.json", nodes=1, procs_per_node=procs))
    multi = torchrun_command("project.json", nodes=nodes, procs_per_node=procs)
    launcher = folder / "run.sh"
    launcher_text = (
        "#!/usr/bin/env bash\n"
        "# Train this project on the machine you run it on, one process per GPU (CPU: per slot).\n"
        "# Needs CNN Studio installed in the active Python environment (pip install cnn-studio).\n"
        "set -euo pipefail\n"
        'cd "$(dirname "$0")"\n'
        f"{single}\n"
    )
    atomic_write_bytes(launcher, launcher_text.encode("utf-8"))
    launcher.chmod(0o755)

    name = _slug(job_name or snapshot.name)
    lines = [
        "#!/usr/bin/env bash",
        f"#SBATCH --job-name={name}",
        f"#SBATCH --nodes={nodes}",
        "#SBATCH --ntasks-per-node=1",
        f"#SBATCH --cpus-per-task={int(cpus_per_task)}",
    ]
    if gpus_per_node > 0:
        lines.append(f"#SBATCH --gpus-per-node={gpus_per_node}")
    if partition:
        lines.append(f"#SBATCH --partition={partition}")
    lines += [
        f"#SBATCH --time={time_limit}",
        "#SBATCH --output=%x-%j.out",
        "",
        "# Submit from this folder: sbatch job.slurm. Activate the environment that has CNN",
        "# Studio first (e.g. source ~/venvs/cnn-studio/bin/activate) or add that line here.",
        "set -euo pipefail",
        'cd "${SLURM_SUBMIT_DIR:-$(pwd)}"',
        'MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
        "export MASTER_ADDR",
        f"export OMP_NUM_THREADS=${{OMP_NUM_THREADS:-{max(1, int(cpus_per_task) // procs)}}}",
        f"srun {_shell(multi)}",
        "",
    ]
    slurm = folder / "job.slurm"
    atomic_write_bytes(slurm, "\n".join(lines).encode("utf-8"))

    readme = folder / "README.txt"
    readme_text = "\n".join(
        [
            f"CNN Studio cluster bundle for {snapshot.name!r}: {nodes} node(s) x {procs} "
            f"{'GPU' if gpus_per_node > 0 else 'CPU'} process(es).",
            "",
            "One machine:   ./run.sh",
            "SLURM:         sbatch job.slurm",
            "By hand:       " + single,
            "",
            "Rank 0 writes the run folder under project.runs/ (metrics.jsonl, checkpoints/). To continue",
            "a stopped run, add --resume project.runs/<run folder> to the torchrun line.",
            "",
            *(f"Check: {n}" for n in notes),
            "",
        ]
    )
    atomic_write_bytes(readme, readme_text.encode("utf-8"))
    return ClusterBundle(folder, project_path, launcher, slurm, readme, multi, notes)


def average_losses_and_stop(
    losses: list[torch.Tensor], stop: bool, device: torch.device
) -> tuple[list[torch.Tensor], bool]:
    """One all-reduce per sync point of the training loop: every loss averaged over the ranks,
    and whether any rank asked to stop.

    Called at the same batches on every rank, so a NaN on one rank, or a Ctrl-C that reached one
    rank first, ends the epoch on all ranks at the same batch instead of leaving the others
    waiting in DDP's next gradient all-reduce. Identity outside a process group.
    """
    import torch
    import torch.distributed as dist

    if not is_active():
        return losses, stop
    flag = torch.tensor(1.0 if stop else 0.0, dtype=torch.float32, device=device)
    t = torch.stack([loss.detach().float().reshape(()).to(device) for loss in losses] + [flag])
    dist.all_reduce(t)
    world = dist.get_world_size()
    return list((t[:-1] / world).unbind()), bool(t[-1].item() > 0)
