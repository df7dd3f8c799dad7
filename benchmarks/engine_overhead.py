"""The engine against a plain hand-written PyTorch loop: whole process against whole process.

    .venv/bin/python benchmarks/engine_overhead.py [--data ROOT] [--epochs 1] [--repeats 2] [--threads N]

Both processes train the ``fashion-mnist-cnn`` template's network on Fashion-MNIST
(``../shared/data``) with the same batch size, optimizer and one-cycle schedule, seed,
precision (bfloat16 autocast where the template asks for it), memory format and thread
count, and evaluate the test split after every epoch:

* ``plain``: this file with ``--plain``: torchvision's ``FashionMNIST`` decoded into one
  normalised float tensor, ``randperm`` batches, forward/backward/step, ``.item()`` at the end.
* ``engine``: ``python -m studio train`` (events, per-batch loss read-back, NaN checks,
  checkpoints every epoch, metrics.jsonl, the progress printer).

Runs alternate (plain, engine, plain, engine...) and the fastest of each is compared, which
filters out other jobs on a shared machine. Prints ``ratio = plain wall / engine wall``: at
least 0.95 means the engine is at least 0.95x as fast as the plain loop. The CPU times and a
last comparison of the two loops inside one process (no start-up at all) are printed too:
on a shared machine they are much steadier than whole-process wall times.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from _train_bench import (
    fashion_root,
    machine_note,
    run_train_timed,
    temp_dir,
    template_project,
    timed_run,
    write_project,
)


def _plain_setup(project: Any, channels_last: bool) -> dict[str, Any]:
    """Decode Fashion-MNIST into normalised float tensors, as a hand-written script does."""
    import torch
    from torchvision.datasets import FashionMNIST

    root = project.data.root
    train_set, test_set = FashionMNIST(root, train=True), FashionMNIST(root, train=False)
    x_train = train_set.data.unsqueeze(1).float().div_(255)
    mean, std = x_train.mean().item(), x_train.std().item()
    x_train = x_train.sub_(mean).div_(std)
    x_test = test_set.data.unsqueeze(1).float().div_(255).sub_(mean).div_(std)
    if channels_last:
        x_train = x_train.contiguous(memory_format=torch.channels_last)
        x_test = x_test.contiguous(memory_format=torch.channels_last)
    return {"x_train": x_train, "y_train": train_set.targets, "x_test": x_test, "y_test": test_set.targets}


def _plain_train(project: Any, data: dict[str, Any], channels_last: bool, report: bool) -> dict[str, float]:
    """The hand-written loop: randperm batches, forward/backward/step, test after each epoch."""
    import torch
    import torch.nn.functional as F

    from studio.core.model.builder import build_model
    from studio.core.training.devices import cpu_has_native_bf16

    t = project.training
    x_train, y_train, x_test, y_test = data["x_train"], data["y_train"], data["x_test"], data["y_test"]
    torch.manual_seed(t.seed)
    model = build_model(project)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = dict(t.optimizer)
    kind = opt.pop("type")
    optimizer = getattr(torch.optim, kind)(model.parameters(), **opt)
    n, bs = len(y_train), t.batch_size
    steps = (n + bs - 1) // bs
    sched = t.scheduler or {}
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=sched.get("max_lr", opt["lr"]), epochs=t.epochs, steps_per_epoch=steps
    )
    bf16 = t.extra.get("precision") == "bf16" and cpu_has_native_bf16()
    train_seconds = 0.0
    acc = 0.0
    for epoch in range(t.epochs):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total_loss = torch.zeros(())
        for i in range(0, n, bs):
            idx = perm[i : i + bs]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = model(x_train[idx])
                loss = F.cross_entropy(out, y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total_loss += loss.detach() * len(idx)
        train_seconds += time.perf_counter() - t0
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(y_test), 2 * bs):
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    out = model(x_test[i : i + 2 * bs])
                correct += int((out.argmax(1) == y_test[i : i + 2 * bs]).sum())
        acc = correct / len(y_test)
        if report:
            print(
                json.dumps({"epoch": epoch + 1, "train_loss": total_loss.item() / n, "test_acc": acc}),
                flush=True,
            )
    return {"test_acc": acc, "images_per_second": n * t.epochs / train_seconds}


def plain_loop(project_path: Path) -> None:
    """The hand-written baseline as a whole process (``--plain``)."""
    t_start = time.perf_counter()
    from studio.core.project.project_file import load_project

    project = load_project(project_path)
    channels_last = "--channels-last" in sys.argv
    result = _plain_train(project, _plain_setup(project, channels_last), channels_last, report=True)
    print(json.dumps({"result": True, **result, "inside_seconds": time.perf_counter() - t_start}))


def loops_in_one_process(project_path: Path, repeats: int) -> None:
    """``--loops``: the plain loop and the engine alternately in this process on the same data.

    No interpreter start-up, imports or page-cache effects: what is left is the loop itself.
    Prints the fastest CPU and wall time of each as JSON.
    """
    import os
    import tempfile

    from studio.commands.train import ProgressPrinter
    from studio.core.data.datasets import load_data
    from studio.core.project.project_file import load_project
    from studio.core.training.engine import train

    project = load_project(project_path)
    channels_last = "--channels-last" in sys.argv
    data = _plain_setup(project, channels_last)
    bundle = load_data(project)
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "engine": []}
    for _ in range(repeats):
        for name in ("plain", "engine"):
            cpu, wall = time.process_time(), time.perf_counter()
            if name == "plain":
                _plain_train(project, data, channels_last, report=False)
            else:
                with open(os.devnull, "w") as sink:
                    train(
                        project,
                        Path(tempfile.mkdtemp()) / "run",
                        data=bundle,
                        callbacks=[ProgressPrinter(sink)],
                    )
            times[name].append((time.process_time() - cpu, time.perf_counter() - wall))
    print(
        json.dumps(
            {name: {"cpu": min(c for c, _ in v), "wall": min(w for _, w in v)} for name, v in times.items()}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding FashionMNIST/raw (default: ../shared/data)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads for both (default: every core)")
    parser.add_argument("--plain", metavar="PROJECT", help=argparse.SUPPRESS)
    parser.add_argument("--loops", metavar="PROJECT", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.plain:
        plain_loop(Path(args.plain))
        return
    if args.loops:
        loops_in_one_process(Path(args.loops), args.repeats)
        return
    import os

    threads = args.threads or os.cpu_count() or 1
    root = fashion_root(args.data)
    work = temp_dir("engine-overhead-")
    project = template_project(
        "fashion-mnist-cnn",
        data={"root": str(root), "download": False},
        training={"epochs": args.epochs, "device": "cpu"},
    )
    path = write_project(project, work)
    import torch

    from studio.core.model.builder import build_model
    from studio.core.project.project_file import Project
    from studio.core.runs.run_folder import read_metrics

    model = build_model(Project.from_dict(project))
    channels_last = any(isinstance(m, torch.nn.Conv2d) for m in model.modules())
    plain_cmd = [sys.executable, str(Path(__file__).resolve()), "--plain", str(path)]
    if channels_last:
        plain_cmd.append("--channels-last")  # the engine's memory format for convolutions
    plain_walls, engine_walls, plain_ips, engine_ips, plain_cpu, engine_cpu = [], [], [], [], [], []
    print(
        f"fashion-mnist-cnn, {args.epochs} epoch(s), batch {project['training']['batch_size']}, "
        f"{threads} thread(s) each, {args.repeats} alternating repeats"
    )
    for r in range(args.repeats):
        wall, cpu, proc = timed_run(plain_cmd, threads)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        plain_walls.append(wall)
        plain_cpu.append(cpu)
        plain_ips.append(result["images_per_second"])
        print(
            f"  plain  #{r + 1}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {result['images_per_second']:7.0f} img/s training, "
            f"test acc {result['test_acc']:.4f}"
        )
        wall, cpu, _ = run_train_timed(path, work / f"run-{r}", threads)
        events = read_metrics(work / f"run-{r}")
        epochs = [e for e in events if e["event"] == "epoch"]
        ips = sum(e["images_per_second"] for e in epochs) / len(epochs)
        engine_walls.append(wall)
        engine_cpu.append(cpu)
        engine_ips.append(ips)
        print(
            f"  engine #{r + 1}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {ips:7.0f} img/s training, "
            f"test acc {events[-1].get('test_acc'):.4f}"
        )
    ratio = min(plain_walls) / min(engine_walls)
    print(
        f"whole process: plain {min(plain_walls):.2f} s, engine {min(engine_walls):.2f} s -> "
        f"ratio {ratio:.3f}x (target >= 0.95)"
    )
    print(
        f"CPU time: plain {min(plain_cpu):.2f} s, engine {min(engine_cpu):.2f} s -> "
        f"ratio {min(plain_cpu) / min(engine_cpu):.3f}x (less sensitive to other jobs than wall time)"
    )
    print(
        f"training phase: plain {max(plain_ips):.0f} img/s, engine {max(engine_ips):.0f} img/s -> "
        f"ratio {max(engine_ips) / max(plain_ips):.3f}x"
    )
    loops_cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--loops",
        str(path),
        "--repeats",
        str(args.repeats),
    ] + plain_cmd[4:]
    wall, _, proc = timed_run(loops_cmd, threads)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    loops = json.loads(proc.stdout.strip().splitlines()[-1])
    p, e = loops["plain"], loops["engine"]
    print(
        f"the loops alone, in one process ({args.repeats} alternating repeats, fastest): plain {p['wall']:.2f} s / "
        f"{p['cpu']:.2f} s CPU, engine {e['wall']:.2f} s / {e['cpu']:.2f} s CPU -> ratio "
        f"{p['wall'] / e['wall']:.3f}x wall, {p['cpu'] / e['cpu']:.3f}x CPU"
    )
    print(machine_note())


if __name__ == "__main__":
    main()
