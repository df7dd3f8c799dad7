"""Helpers shared by the training benchmarks (no figures here).

Each benchmark runs whole processes (``python -m studio train ...``) and times them from the
outside, so interpreter start-up, imports and data loading are part of every figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))


def template_project(name: str, **changes: Any) -> dict[str, Any]:
    """A template's project dict with ``data``/``training`` keys overridden (dotted-free)."""
    from studio.core.project.templates import get_template

    project = get_template(name).make()
    for section, values in changes.items():
        project[section].update(values)
    return project


def write_project(project: dict[str, Any], folder: Path, name: str = "project.json") -> Path:
    """Write ``project`` as JSON into ``folder``."""
    path = folder / name
    path.write_text(json.dumps(project, indent=2), encoding="utf-8")
    return path


def bench_env(threads: int | None) -> dict[str, str]:
    """The environment of a benchmarked process: the repo importable, threads fixed if asked."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if threads:
        env["CNN_STUDIO_THREADS"] = str(threads)
        env["OMP_NUM_THREADS"] = str(threads)
    return env


def timed_run(cmd: list[str], threads: int | None, quiet: bool = True) -> tuple[float, float, Any]:
    """Run ``cmd``; (wall seconds, CPU seconds of the child, the CompletedProcess)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=bench_env(threads), capture_output=quiet, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def run_train(
    project_path: Path, run_dir: Path, threads: int | None, extra: list[str] | None = None, quiet: bool = True
) -> tuple[float, list[dict[str, Any]]]:
    """Run ``python -m studio train`` as a process; (wall seconds, metrics.jsonl events)."""
    wall, _, proc = run_train_timed(project_path, run_dir, threads, extra, quiet)
    from studio.core.runs.run_folder import read_metrics

    return wall, read_metrics(run_dir)


def run_train_timed(
    project_path: Path, run_dir: Path, threads: int | None, extra: list[str] | None = None, quiet: bool = True
) -> tuple[float, float, Any]:
    """Like :func:`run_train` but (wall seconds, CPU seconds, process); exits on a failure."""
    cmd = [sys.executable, "-m", "studio", "train", str(project_path), "--out", str(run_dir), *(extra or [])]
    wall, cpu, proc = timed_run(cmd, threads, quiet)
    if proc.returncode != 0:
        sys.stderr.write((proc.stderr or "") + f"\ntrain exited with {proc.returncode}\n")
        raise SystemExit(1)
    return wall, cpu, proc


def temp_dir(prefix: str) -> Path:
    """A fresh temporary folder (kept until the process ends)."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def machine_note() -> str:
    """Cores and the load average: every figure should say how busy the machine was."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = float("nan")
    return f"{os.cpu_count()} CPU cores, load average {load:.1f} at the end"


def fashion_root(arg: str | None) -> Path:
    """Where Fashion-MNIST is (torchvision layout); exits with a message when it is not."""
    root = Path(arg) if arg else SHARED
    if not (root / "FashionMNIST" / "raw").is_dir():
        raise SystemExit(
            f"Fashion-MNIST not found under {root} (expected {root}/FashionMNIST/raw); pass --data ROOT"
        )
    return root
