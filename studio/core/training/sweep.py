"""Hyper-parameter sweeps on Optuna: each trial is an ordinary run of the project.

A sweep searches a few settings of a project (``--param training.optimizer.lr=1e-4:1e-1:log``)
with an Optuna study. Every trial writes a normal run folder into the project's runs folder
(resumable, listed by ``cnn-studio runs``, evaluable, exportable) and reports its validation
accuracy after each epoch, so that a pruner can stop hopeless trials early. The study lives in
an Optuna storage: by default an SQLite file in the project's runs folder (no server); any
Optuna RDB URL (``postgresql://...``) lets several machines work on one study.

Why Optuna rather than our own search: its samplers (TPE, random, grid), pruners and storages
are well tested and widely used, and its storage is the way out when one machine is not enough.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.base.errors import ProjectError, UserError
from studio.core.base.i18n import tr
from studio.core.project.project_file import Project, load_project
from studio.core.training.callbacks import Callback, Commands
from studio.core.training.engine import train

log = logging.getLogger(__name__)

SAMPLERS = ("tpe", "random", "grid")
PRUNERS = ("median", "none")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class ParamSpec:
    """One searched setting: a dotted project-file key and its range or choices."""

    key: str
    kind: str  # "float", "int" or "choice"
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: Any) -> Any:
        """The trial's value for this setting (Optuna's ``suggest_*``)."""
        if self.kind == "choice":
            return trial.suggest_categorical(self.key, list(self.choices))
        if self.kind == "int":
            return trial.suggest_int(self.key, int(self.low or 0), int(self.high or 0), log=self.log)
        return trial.suggest_float(self.key, float(self.low or 0), float(self.high or 0), log=self.log)


def _value(text: str) -> Any:
    """A choice as JSON where it parses (``64``, ``0.1``, ``true``, ``"SGD"``), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_param(text: str) -> ParamSpec:
    """``KEY=LOW:HIGH[:log|:int|:int-log]`` (a range) or ``KEY=A,B,C`` (choices)."""
    key, sep, spec = text.partition("=")
    key = key.strip()
    if not sep or not key or not spec.strip():
        raise UserError(
            tr(
                "--param {text!r}: write KEY=LOW:HIGH[:log|:int] or KEY=A,B,C, e.g. training.optimizer.lr=1e-4:1e-1:log or training.batch_size=64,128,256",
                text=text,
            )
        )
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[\d+\])*", key):
        raise UserError(
            tr(
                "--param {text!r}: {key!r} is not a project-file key such as training.optimizer.lr or model.layers[0].out_channels",
                text=text,
                key=key,
            )
        )
    parts = spec.split(":")
    if len(parts) >= 2 and all(re.fullmatch(_NUMBER, p.strip()) for p in parts[:2]):
        low, high = float(parts[0]), float(parts[1])
        flags = {p.strip() for p in parts[2:]}
        if not flags <= {"log", "int", "int-log"}:
            raise UserError(tr("--param {text!r}: after LOW:HIGH only :log, :int or :int-log", text=text))
        is_int = bool(flags & {"int", "int-log"})
        is_log = bool(flags & {"log", "int-log"})
        if not low < high:
            raise UserError(tr("--param {text!r}: LOW must be below HIGH", text=text))
        if is_log and low <= 0:
            raise UserError(tr("--param {text!r}: a :log range must be positive", text=text))
        if is_int and (low != int(low) or high != int(high)):
            raise UserError(tr("--param {text!r}: an :int range needs whole numbers", text=text))
        return ParamSpec(key, "int" if is_int else "float", low, high, is_log)
    choices = tuple(_value(c.strip()) for c in spec.split(","))
    if len(choices) < 2 and ":" not in spec:
        raise UserError(
            tr("--param {text!r}: give at least two choices (A,B) or a range LOW:HIGH", text=text)
        )
    if ":" in spec and "," not in spec:
        raise UserError(
            tr("--param {text!r}: a range is LOW:HIGH with numbers, e.g. 1e-4:1e-1:log", text=text)
        )
    return ParamSpec(key, "choice", choices=choices)


_STEP = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+)\]")


def set_key(raw: dict[str, Any], key: str, value: Any) -> None:
    """Set the dotted ``key`` (``model.layers[2].out_channels``) in a project dict; it must exist
    up to its parent, so a typo is an error, not a silently ignored new key."""
    steps: list[str | int] = [
        m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _STEP.finditer(key)
    ]
    node: Any = raw
    for i, step in enumerate(steps[:-1]):
        where = key if i == len(steps) - 2 else str(step)
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise UserError(
                    tr("--param {key}: {where} does not exist in the project", key=key, where=where)
                )
        elif not isinstance(node, dict) or step not in node or node[step] is None:
            raise UserError(tr("--param {key}: the project has no {step!r} here", key=key, step=step))
        node = node[step]
    last = steps[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise UserError(tr("--param {key}: no item {last} in the project", key=key, last=last))
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise UserError(
            tr(
                "--param {key}: cannot set {last!r} on a {kind}",
                key=key,
                last=last,
                kind=type(node).__name__,
            )
        )


def trial_project(base: dict[str, Any], values: dict[str, Any]) -> Project:
    """The project of one trial: ``base`` with ``values`` set, validated like a project file."""
    raw = copy.deepcopy(base)
    for key, value in values.items():
        set_key(raw, key, value)
    try:
        return Project.from_dict(raw)
    except ProjectError as exc:
        raise UserError(tr("a sweep setting makes the project invalid: {exc}", exc=exc)) from None


def _slug(name: str) -> str:
    """A file-name-safe form of a project name (``My photos!`` -> ``my-photos``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40] or "project"


def default_storage(runs_dir: Path) -> str:
    """The SQLite file in the project's runs folder that holds its sweeps."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(runs_dir / 'sweeps.db').resolve()}"


@dataclass
class TrialRecord:
    """What a sweep says of one finished trial."""

    number: int
    state: str
    value: float | None
    params: dict[str, Any]
    run: str


@dataclass
class SweepResult:
    """A sweep's outcome: the study's name and storage, its trials and the best one."""

    study: str
    storage: str
    trials: list[TrialRecord] = field(default_factory=list)
    best: TrialRecord | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``sweep --json`` body."""

        def one(t: TrialRecord) -> dict[str, Any]:
            return {"number": t.number, "state": t.state, "value": t.value, "params": t.params, "run": t.run}

        return {
            "study": self.study,
            "storage": self.storage,
            "trials": [one(t) for t in self.trials],
            "best": one(self.best) if self.best else None,
        }


class _Reporter(Callback):
    """Reports each epoch's validation accuracy to the trial; stops the run when pruned."""

    def __init__(self, trial: Any, commands: Commands, stop: Callable[[], bool] | None) -> None:
        self.trial, self.commands, self.stop = trial, commands, stop
        self.pruned = False
        self.best: float | None = None

    def on_epoch_end(self, event: Any) -> None:
        value = event.get("val_acc")
        if value is None:
            value = event.get("train_acc")
        if value is None or not math.isfinite(float(value)):
            return
        self.best = float(value) if self.best is None else max(self.best, float(value))
        self.trial.report(float(value), int(event["epoch"]))
        if self.trial.should_prune():
            self.pruned = True
            self.commands.stop("pruned")
        elif self.stop is not None and self.stop():
            self.commands.stop("user")


def run_sweep(
    project_or_path: Project | str | Path,
    params: list[ParamSpec],
    *,
    trials: int = 10,
    sampler: str = "tpe",
    pruner: str = "median",
    storage: str | None = None,
    study: str | None = None,
    timeout: float | None = None,
    runs_dir: Path | None = None,
    device: str | None = None,
    epochs: int | None = None,
    on_trial: Callable[[TrialRecord], None] | None = None,
    stop: Callable[[], bool] | None = None,
    data: Any = None,
) -> SweepResult:
    """Run (or continue) a study over ``params``; each trial trains the project into its runs folder.

    ``project_or_path`` is a project file (its runs folder is found from it) or a
    :class:`Project` with an explicit ``runs_dir`` (the GUI's open project).

    Calling it again with the same ``study`` and ``storage`` continues that study: finished
    trials are kept and ``trials`` more are run. A trial that crashes is marked failed and the
    sweep goes on; ``stop()`` returning true ends the sweep after the current epoch. ``data``:
    an already loaded :class:`~studio.core.data.datasets.DataBundle` shared by every trial.
    """
    import optuna  # lazy: only sweeps need it

    if not params:
        raise UserError(tr("a sweep needs at least one --param"))
    if sampler not in SAMPLERS:
        raise UserError(
            tr(
                "--sampler must be one of {choices}, got {sampler!r}",
                choices=", ".join(SAMPLERS),
                sampler=sampler,
            )
        )
    if pruner not in PRUNERS:
        raise UserError(
            tr("--pruner must be one of {choices}, got {pruner!r}", choices=", ".join(PRUNERS), pruner=pruner)
        )
    if not 1 <= trials <= 10_000:
        raise UserError(tr("--trials must be between 1 and 10000, got {trials}", trials=trials))
    if isinstance(project_or_path, Project):
        if runs_dir is None:
            raise UserError(tr("a sweep of an unsaved project needs a runs folder"))
        project, stem = project_or_path, _slug(project_or_path.name)
    else:
        path = Path(project_or_path)
        project, stem = load_project(path), path.stem
        runs_dir = runs_dir or path.parent / f"{path.stem}.runs"
    base = project.to_dict()
    trial_project(base, {p.key: (p.choices[0] if p.kind == "choice" else p.low) for p in params})  # fail now
    runs = Path(runs_dir).resolve()
    url = storage or default_storage(runs)
    name = study or f"{stem}-sweep"
    if sampler == "grid":
        if any(p.kind != "choice" for p in params):
            raise UserError(tr("--sampler grid needs choices (KEY=A,B,C) for every --param, not ranges"))
        chosen: Any = optuna.samplers.GridSampler(
            {p.key: list(p.choices) for p in params}, seed=project.training.seed
        )
    elif sampler == "random":
        chosen = optuna.samplers.RandomSampler(seed=project.training.seed)
    else:
        chosen = optuna.samplers.TPESampler(seed=project.training.seed)
    prune = (
        optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)
        if pruner == "median"
        else optuna.pruners.NopPruner()
    )
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        the_study = optuna.create_study(
            study_name=name,
            storage=url,
            direction="maximize",
            sampler=chosen,
            pruner=prune,
            load_if_exists=True,
        )
    except Exception as exc:  # a bad URL, an unreachable server, a locked file
        raise UserError(tr("cannot open the sweep storage {url}: {exc}", url=url, exc=exc)) from None
    the_study.set_user_attr("project", project.name)

    def objective(trial: Any) -> float:
        values = {p.key: p.suggest(trial) for p in params}
        candidate = trial_project(base, values)
        candidate.name = f"{project.name} · trial {trial.number}"
        run_dir = runs / f"{name}-trial-{trial.number:03d}-{time.strftime('%Y%m%d-%H%M%S')}"
        trial.set_user_attr("run", str(run_dir))
        commands = Commands()
        reporter = _Reporter(trial, commands, stop)
        end = train(
            candidate,
            run_dir,
            callbacks=[reporter],
            commands=commands,
            device=device,
            epochs=epochs,
            data=data,
        )
        record = TrialRecord(trial.number, "RUNNING", reporter.best, values, str(run_dir))
        if reporter.pruned:
            record.state = "PRUNED"
            if on_trial:
                on_trial(record)
            raise optuna.TrialPruned()
        if end.get("status") == "failed":
            raise UserError(str(end.get("message") or tr("the trial's run failed")))
        value = end.get("best_val_acc")
        if value is None:
            value = reporter.best
        if value is None:
            raise UserError(tr("the trial produced no accuracy"))
        record.state, record.value = "COMPLETE", float(value)
        if on_trial:
            on_trial(record)
        if stop is not None and stop():
            the_study.stop()
        return float(value)

    def failed(study: Any, frozen: Any) -> None:
        if frozen.state == optuna.trial.TrialState.FAIL and on_trial:
            on_trial(
                TrialRecord(
                    frozen.number, "FAIL", None, dict(frozen.params), frozen.user_attrs.get("run", "")
                )
            )

    the_study.optimize(
        objective,
        n_trials=trials,
        timeout=timeout,
        catch=(Exception,),
        callbacks=[failed],
        # no gc.collect() after each trial: in the window a sweep runs on a pool thread, and a
        # collection there can destroy Qt objects off the GUI thread (a deadlock; the GUI
        # collects on its own thread, studio.gui.common.gc_guard); the CLI collects as usual
        gc_after_trial=False,
    )
    return summarize_study(the_study, url)


def summarize_study(study: Any, storage: str) -> SweepResult:
    """Every trial of ``study`` as :class:`TrialRecord` rows, and the best completed one."""
    result = SweepResult(study.study_name, storage)
    for t in study.trials:
        record = TrialRecord(t.number, t.state.name, t.value, dict(t.params), t.user_attrs.get("run", ""))
        result.trials.append(record)
    done = [t for t in result.trials if t.state == "COMPLETE" and t.value is not None]
    result.best = max(done, key=lambda t: t.value or 0.0) if done else None
    return result


def param_importances(study: Any) -> dict[str, float]:
    """Each setting's importance for the accuracy (Optuna's own estimate); empty when too few trials."""
    import optuna

    try:
        return dict(optuna.importance.get_param_importances(study))
    except (RuntimeError, ValueError, ZeroDivisionError):
        return {}
