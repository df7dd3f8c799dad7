"""Scale-out: the process-group helpers in two real gloo processes, the cluster bundle, and a
2-process ``torchrun`` training run on the CPU."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.base.errors import UserError
from studio.core.project.project_file import Project, load_project
from studio.core.training import distributed

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(rank: int, world: int, port: int, out_dir: str) -> None:
    """One process of the helper test: joins via the torchrun variables, records what it saw."""
    import torch

    os.environ.update(
        {
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(world),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port),
        }
    )
    torch.set_num_threads(1)
    try:
        joined = distributed.setup(torch.device("cpu"))
        path = distributed.broadcast_path(f"/runs/ü-run-{rank}" if rank == 0 else None)
        flags = [distributed.any_rank(rank == 1), distributed.any_rank(False)]
        model = torch.nn.Linear(3, 2)
        torch.manual_seed(rank)  # different on each rank: DDP must broadcast rank 0's weights
        with torch.no_grad():
            model.weight.normal_()
        ddp = distributed.wrap_ddp(model, torch.device("cpu"))
        ddp(torch.ones(4, 3) * (rank + 1)).sum().backward()
        record = {
            "joined": joined,
            "active": distributed.is_active(),
            "path": str(path),
            "flags": flags,
            "wrapped": type(ddp).__name__,
            "weight": model.weight.detach().tolist(),
            "grad": model.weight.grad.tolist(),
        }
    finally:
        distributed.shutdown()
    record["after_shutdown"] = distributed.is_active()
    Path(out_dir, f"rank{rank}.json").write_text(json.dumps(record))


def test_process_group_helpers_in_two_gloo_processes(tmp_path: Path) -> None:
    import torch.multiprocessing as mp

    # fork: the children reuse this process's imports (spawn would re-import torch twice)
    mp.start_processes(
        _worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True, start_method="fork"
    )
    r0, r1 = (json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1))
    for r in (r0, r1):
        assert r["joined"] and r["active"] and not r["after_shutdown"]
        assert r["path"] == "/runs/ü-run-0"  # rank 0's folder reaches every rank
        assert r["flags"] == [True, False]  # one rank's flag is everyone's
        assert r["wrapped"] == "DistributedDataParallel"
    assert r0["weight"] == r1["weight"]  # DDP started both from rank 0's weights
    assert r0["grad"] == r1["grad"]  # and averaged the gradients of different inputs
    assert r0["grad"][0][0] == pytest.approx((4 * 1 + 4 * 2) / 2)  # 4 rows of 1s and of 2s, averaged


def test_without_torchrun_everything_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    for key in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(key, raising=False)
    model = torch.nn.Linear(2, 2)
    assert distributed.setup(torch.device("cpu")) is False
    assert distributed.wrap_ddp(model, torch.device("cpu")) is model
    assert distributed.broadcast_path("/x/run") == Path("/x/run")
    assert distributed.any_rank(True) is True and distributed.any_rank(False) is False
    distributed.barrier()
    distributed.shutdown()


def test_world_size_without_rendezvous_says_how_to_launch(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    with pytest.raises(distributed.DistributedError, match="torchrun --nproc_per_node"):
        distributed.setup(torch.device("cpu"))


@pytest.mark.parametrize(("n", "world"), [(10, 3), (9, 3), (1, 2), (7, 4), (5, 1)])
def test_eval_shards_count_every_sample_once(n: int, world: int) -> None:
    from studio.core.data.splits import epoch_order

    seen: list[int] = []
    for rank in range(world):
        order = epoch_order(n, shuffle=False, rank=rank, world_size=world).tolist()
        seen += order[: distributed.eval_shard_size(n, rank, world)]
    assert sorted(seen) == list(range(n))


# --------------------------------------------------------------------------- cluster bundle


def _folder_project(root: str = "/data/flowers") -> Project:
    return Project.from_dict(
        {
            "name": "Flowers / v2",
            "data": {"source": "folder", "root": root, "channels": 3, "image_size": [224, 224]},
            "model": {"kind": "pretrained", "arch": "efficientnet_b0"},
            "training": {"epochs": 7, "device": "cpu"},
        }
    )


def test_cluster_bundle_for_gpu_nodes(tmp_path: Path) -> None:
    bundle = distributed.write_cluster_bundle(
        _folder_project(),
        tmp_path / "bundle",
        nodes=2,
        gpus_per_node=4,
        partition="gpu",
        time_limit="1-00:00:00",
        epochs=20,
    )
    saved = load_project(bundle.project)
    assert (
        saved.training.device == "auto" and saved.training.epochs == 20 and saved.data.root == "/data/flowers"
    )
    assert os.access(bundle.launcher, os.X_OK)
    run_sh = bundle.launcher.read_text()
    assert (
        "torchrun --standalone --nnodes 1 --local-addr 127.0.0.1 --nproc_per_node 4 -m studio train project.json"
        in run_sh
    )
    slurm = bundle.slurm.read_text()
    for line in (
        "#SBATCH --nodes=2",
        "#SBATCH --gpus-per-node=4",
        "#SBATCH --partition=gpu",
        "#SBATCH --time=1-00:00:00",
        "#SBATCH --job-name=Flowers---v2",
    ):
        assert line in slurm
    assert 'srun torchrun --nnodes 2 --rdzv_backend c10d --rdzv_endpoint "$MASTER_ADDR:29500"' in slurm
    assert bundle.command[:3] == ["torchrun", "--nnodes", "2"]
    for script in (bundle.launcher, bundle.slurm):  # both parse as bash
        subprocess.run(["bash", "-n", str(script)], check=True)
    notes = " ".join(bundle.notes)
    assert "/data/flowers" in notes and "efficientnet_b0" in notes
    assert all(n in bundle.readme.read_text() for n in bundle.notes)


def test_cluster_bundle_for_cpu_nodes(tmp_path: Path) -> None:
    project = Project.from_dict({"data": {"source": "sample"}, "model": {"kind": "stack", "layers": []}})
    bundle = distributed.write_cluster_bundle(project, tmp_path, nodes=1, gpus_per_node=0, procs_per_node=3)
    assert load_project(bundle.project).training.device == "cpu"
    assert "--nproc_per_node 3" in bundle.launcher.read_text()
    assert "--gpus-per-node" not in bundle.slurm.read_text()
    assert bundle.notes == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nodes": 0}, "nodes"),
        ({"gpus_per_node": -1}, "gpus per node"),
        ({"gpus_per_node": 0, "procs_per_node": 0}, "processes per node"),
        ({"time_limit": "soon"}, "time limit"),
    ],
)
def test_cluster_bundle_refuses_bad_settings(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(UserError, match=message):
        distributed.write_cluster_bundle(_folder_project(), tmp_path / "b", **kwargs)
    assert not (tmp_path / "b").exists()


# --------------------------------------------------------------------------- torchrun, end to end


def _tiny_folder_project(tmp_path: Path, batch_size: int, epochs: int = 2) -> Path:
    """A generated 3-class folder and a small BatchNorm-free CNN project beside it."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for c in range(3):
        folder = tmp_path / "data" / f"c{c}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(24):
            pixels = rng.integers(0, 90, (16, 16, 3), dtype=np.uint8)
            pixels[..., c] += 140
            Image.fromarray(pixels).save(folder / f"{i}.png")
    layers = [
        {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
        {"type": "ReLU"},
        {"type": "AdaptiveAvgPool2d", "output_size": 2},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 3},
    ]
    project = Project.from_dict(
        {
            "name": "ddp",
            "data": {
                "source": "folder",
                "root": str(tmp_path / "data"),
                "channels": 3,
                "image_size": [16, 16],
                "val": 0.25,
            },
            "model": {"kind": "stack", "layers": layers},
            "training": {
                "epochs": epochs,
                "batch_size": batch_size,
                "seed": 0,
                "device": "cpu",
                "workers": 0,
                "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
            },
        }
    )
    path = tmp_path / "ddp.json"
    path.write_text(project.to_json(), encoding="utf-8")
    return path


def _torchrun(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(key, None)
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--local-addr",
        "127.0.0.1",
        "--nproc_per_node",
        "2",
        "-m",
        "studio",
        "train",
        *args,
    ]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_torchrun_two_cpu_processes_train_one_run_like_one_process_with_twice_the_batch(
    tmp_path: Path,
) -> None:
    from studio.core.runs.run_folder import read_run
    from studio.core.training.engine import train

    project_file = _tiny_folder_project(tmp_path, batch_size=8)
    proc = _torchrun([str(project_file)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = sorted((tmp_path / f"{project_file.stem}.runs").iterdir())
    assert len(runs) == 1, runs  # rank 0 alone made the folder; rank 1 was told its path
    assert proc.stdout.strip().splitlines()[-1] == str(runs[0])  # only rank 0 printed
    run = read_run(runs[0])
    assert run.status == "completed" and len(run.epochs) == 2
    assert (runs[0] / "checkpoints" / "last.pt").is_file() and (runs[0] / "classes.json").is_file()
    assert sorted(p.name for p in runs[0].iterdir()) == [
        "checkpoints",
        "classes.json",
        "metrics.jsonl",
        "project.json",
        "run-info.json",
    ]

    # DDP averages the gradients of the two shards: the same as one process with both halves in
    # each batch (no BatchNorm, same seed and order). Metrics are global: every image counted once.
    single = load_project(project_file)
    single.training.batch_size = 16
    end = train(single, tmp_path / "single")
    assert end["status"] == "completed"
    one = read_run(tmp_path / "single").epochs
    for a, b in zip(run.epochs, one, strict=True):
        for key in ("train_loss", "val_loss"):
            assert a[key] == pytest.approx(b[key], rel=1e-3), key
        for key in ("train_acc", "val_acc"):
            assert a[key] == pytest.approx(b[key], abs=1e-9), key


@pytest.mark.slow
def test_torchrun_resume_continues_the_run_in_the_same_folder(tmp_path: Path) -> None:
    from studio.core.runs.run_folder import read_run

    project_file = _tiny_folder_project(tmp_path, batch_size=8, epochs=1)
    first = _torchrun([str(project_file), "--out", str(tmp_path / "run")], cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(read_run(tmp_path / "run").epochs) == 1
    second = _torchrun([str(project_file), "--resume", str(tmp_path / "run"), "--epochs", "2"], cwd=tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    run = read_run(tmp_path / "run")
    assert run.status == "completed" and [e["epoch"] for e in run.epochs] == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "ddp.json", "run"]
