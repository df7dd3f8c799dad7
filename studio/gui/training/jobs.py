"""What the Train page asks the engine to do: new runs, resumes and forks, as worker jobs.

Each ``*_job`` function returns a callable ``job(callbacks, commands) -> end event`` that the
worker thread runs; the engine itself is imported only when a job runs (torch stays out of
the first paint), or ahead of it by :func:`warm_up`. The project handed in is already an
immutable snapshot. :func:`track` keeps started jobs alive until their thread has ended.
"""

from __future__ import annotations

import atexit
import copy
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core.project.project_file import Project
from studio.core.runs.project_runs import new_project_run, slug
from studio.core.runs.run_folder import RunError, checkpoint_path, read_run

Job = Callable[[list[Any], Any], dict[str, Any]]

#: started jobs, kept referenced until their thread ends (see :func:`track`)
_KEPT: list[Any] = []
_QUIT_HOOKED: list[bool] = []


_WARM = threading.Event()
_WARMING: list[threading.Thread] = []
#: what a run imports on its way to the first batch (torch._dynamo: the first optimizer step)
WARM_MODULES = (
    "torch",
    "torchvision",
    "torch._dynamo",
    "studio.core.data.datasets",
    "studio.core.training.engine",
    "studio.core.model.builder",
    "studio.core.model.zoo",
    "studio.core.training.finetune",
    "studio.core.data.sources",
    "studio.core.training.devices",
    "studio.core.training.optim",
    "studio.core.training.distributed",
)


def warm_up() -> threading.Event:
    """Import the engine, torch and torchvision in a background thread, once; returns its done event.

    Loading torch's shared libraries holds the GIL for up to a second, whichever thread does
    it, and a first run imports about a thousand modules. Doing that when the Train page is
    first shown, rather than when Train is clicked, keeps the one-time pause out of the run.
    """
    if not _WARMING:

        def load() -> None:
            import importlib

            try:
                for name in WARM_MODULES:
                    try:
                        importlib.import_module(name)
                    except ImportError:
                        continue
            finally:
                _WARM.set()

        thread = threading.Thread(target=load, name="cnn-studio-warm-up", daemon=True)
        _WARMING.append(thread)
        thread.start()
        # an import cannot be interrupted: let it finish before the interpreter tears down
        # (else torch registers atexit handlers after shutdown began, and says so)
        atexit.register(finish_warm_up)
    return _WARM


def finish_warm_up(timeout: float = 60.0) -> bool:
    """Wait for the background import of :func:`warm_up`, if one started; True once done."""
    for thread in _WARMING:
        thread.join(timeout)
    return not any(t.is_alive() for t in _WARMING)


def run_name(project: Project) -> str:
    """A folder-friendly run prefix from the project's name (``fashion-mnist-clothing``)."""
    return slug(project.name)


def new_run_folder(base: Path, project: Project) -> Path:
    """A fresh run folder under ``base`` with its run-info (the engine writes the rest)."""
    return new_project_run(base, project)


def train_job(project: Project, run_dir: Path) -> Job:
    """Train ``project`` into the new folder ``run_dir``."""

    def job(callbacks: list[Any], commands: Any) -> dict[str, Any]:
        # lazy: pulls in torch in the worker thread (warm_up preloads it)
        from studio.core.training.engine import train

        return train(project, run_dir, callbacks=callbacks, commands=commands, raise_errors=False)

    return job


def resume_info(run_dir: Path) -> tuple[Project, list[dict[str, Any]]]:
    """The project of a run to resume and the epochs it already has; :class:`RunError` if none."""
    info = read_run(run_dir)
    if info.project is None:
        raise RunError(
            QCoreApplication.translate(
                "TrainJobs", "{folder} has no readable project.json; it cannot be resumed"
            ).format(folder=run_dir)
        )
    if not checkpoint_path(run_dir, "last").is_file():
        raise RunError(
            QCoreApplication.translate(
                "TrainJobs", "{folder} has no checkpoint yet (checkpoints/last.pt); train it again instead"
            ).format(folder=run_dir)
        )
    return info.project, info.epochs


def resume_job(project: Project, run_dir: Path) -> Job:
    """Continue the run in ``run_dir`` from its last checkpoint."""

    def job(callbacks: list[Any], commands: Any) -> dict[str, Any]:
        # lazy: pulls in torch in the worker thread (warm_up preloads it)
        from studio.core.training.engine import train

        return train(None, run_dir, callbacks=callbacks, commands=commands, resume=True, raise_errors=False)

    return job


def prepare_fork(source: Path, epoch: int, training: dict[str, Any], base: Path) -> tuple[Project, Path]:
    """The forked run's project (the source run's, with ``training`` replaced) and new folder.

    Raises a :class:`~studio.core.project.project_file.ProjectError` for invalid settings before any
    folder is made.
    """
    info = read_run(source)
    if info.project is None:
        raise RunError(
            QCoreApplication.translate(
                "TrainJobs", "{folder} has no readable project.json; it cannot be forked"
            ).format(folder=source)
        )
    raw = info.project.to_dict()
    raw["training"] = copy.deepcopy(training)
    project = Project.from_dict(raw)
    return project, new_project_run(base, project)


def fork_job(project: Project, run_dir: Path, source: Path, epoch: int) -> Job:
    """Start a new run in ``run_dir`` from ``source``'s checkpoint of ``epoch``."""

    def job(callbacks: list[Any], commands: Any) -> dict[str, Any]:
        # lazy: pulls in torch in the worker thread (warm_up preloads it)
        from studio.core.training.engine import fork_run

        return fork_run(
            source, epoch, project, run_dir, callbacks=callbacks, commands=commands, raise_errors=False
        )

    return job


def track(job: Any) -> None:
    """Hold a started job until its thread has ended, whatever happens to the page.

    A QThread object destroyed while its thread runs aborts the process, so jobs are not
    owned by their page: this module keeps them until ``ended``, and when the application
    quits it stops and waits for any that are still running.
    """
    _KEPT.append(job)
    job.ended.connect(_forget)
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(stop_all)
        app.aboutToQuit.connect(finish_warm_up)
        _QUIT_HOOKED.append(True)


def _forget(job: Any) -> None:
    if job in _KEPT:
        _KEPT.remove(job)


def running_jobs() -> list[Any]:
    """Jobs whose thread has not ended yet."""
    return [job for job in _KEPT if job.is_running()]


def stop_all(timeout_ms: int | None = None) -> bool:
    """Stop every running job and wait for it (``None``: as long as it takes)."""
    ok = True
    for job in list(_KEPT):
        job.stop()
        ended = job.thread.wait() if timeout_ms is None else job.thread.wait(timeout_ms)
        ok = ok and ended
    return ok
