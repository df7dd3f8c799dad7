"""The summaries the Design page shows: the stack's (instant) or a pretrained model's (lazy).

A stack's shapes come from :meth:`ProjectDocument.summary` (pure Python, every key press).
For a pretrained model three things need torch/torchvision, so each runs in a worker thread,
once per input that changes it, and is cached; neither the first paint nor the event loop
waits for torch:

* :meth:`SummarySource.summary`: the per-child shape summary
  (:func:`studio.core.model.builder.pretrained_summary`), with the first epoch's frozen layers;
* :meth:`SummarySource.finetune`: which stages train when and how many parameters
  (:func:`studio.core.training.finetune.trainable_summary`);
* :meth:`SummarySource.facts`: torchvision's metadata for the architecture
  (:func:`studio.core.model.zoo.model_info`) and where its ImageNet weights are cached.

The head is sized for the dataset's classes (:func:`studio.core.data.classes.head_classes`,
a cheap listing of a folder's class sub-folders, re-read when the data settings change or the
page is shown again).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.data.classes import IMAGENET_CLASSES, class_count
from studio.core.model.builder import cached_weights_path, pretrained_summary
from studio.core.model.shapes import Summary
from studio.core.model.zoo import ModelInfo, model_info
from studio.core.training.finetune import trainable_summary, unfreeze_schedule
from studio.gui.common.context import StudioContext
from studio.gui.common.tasks import TaskRunner


@dataclass(frozen=True)
class ModelFacts:
    """torchvision's facts about an architecture plus where its DEFAULT weights are cached."""

    info: ModelInfo
    weights_path: Path


def _facts(arch: str) -> ModelFacts:
    return ModelFacts(model_info(arch), cached_weights_path(arch))


class SummarySource(QObject):
    """``changed`` fires whenever :meth:`summary`, :meth:`finetune` or :meth:`facts` may return
    something new."""

    changed = Signal()

    def __init__(self, context: StudioContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.doc = context.document
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._errors: dict[tuple[Any, ...], str] = {}
        self._running: set[tuple[Any, ...]] = set()
        self._classes: tuple[tuple[str, str], int | None] | None = None
        self.runner = TaskRunner(
            self, threads=1
        )  # torch work on a short-lived pool (see tasks.short_lived_pool)
        context.listen(self.doc.changed, self._on_changed, self)

    # ------------------------------------------------------------------ classes

    def class_count(self) -> int | None:
        """The dataset's class count (None when unknown: a missing or empty folder)."""
        data = self.doc.project.data
        where = (data.source, data.root)
        if self._classes is None or self._classes[0] != where:
            self._classes = (where, class_count(self.doc.project))
        return self._classes[1]

    def classes(self) -> int:
        """How many outputs the replaced head gets: the dataset's classes, else ImageNet's 1000."""
        count = self.class_count()
        return count if count is not None else IMAGENET_CLASSES

    def recount_classes(self) -> None:
        """Re-read the dataset's classes (the folder may have changed on disk)."""
        before = self._classes[1] if self._classes is not None else None
        self._classes = None
        if self.class_count() != before:  # a pretrained head or a stack's class-count check
            self.changed.emit()

    # ------------------------------------------------------------------ keys

    def _on_changed(self, section: str) -> None:
        if section in ("data", "all"):
            self._classes = None
        self.changed.emit()

    def _summary_key(self) -> tuple[Any, ...]:
        p = self.doc.project
        m = p.model
        return ("summary", m.arch, m.freeze, m.unfreeze_from, tuple(p.input_shape), self.classes())

    def _finetune_key(self) -> tuple[Any, ...]:
        p = self.doc.project
        m = p.model
        # what the first epoch's frozen/trainable split depends on; the unfreezing schedule
        # (epochs, unfreeze_after, unfreeze_mode) is pure Python and added in finetune()
        return ("finetune", m.arch, m.freeze, m.unfreeze_from, self.classes())

    def _facts_key(self) -> tuple[Any, ...]:
        return ("facts", self.doc.project.model.arch)

    def _get(self, key: tuple[Any, ...], make_work: Callable[[], Callable[[], Any]]) -> Any:
        """The cached result for ``key``, or None after starting ``make_work()`` in the worker."""
        if key in self._cache:
            return self._cache[key]
        if key not in self._running and key not in self._errors:
            self._running.add(key)
            work = make_work()

            def run(progress: Any, cancelled: Any) -> Any:
                return work()

            self.runner.start(
                run,
                name=f"summary {key[0]}",
                on_finished=partial(self._finished, key),
                on_failed=partial(self._failed, key),
            )
        return None

    # ------------------------------------------------------------------ results

    def is_pretrained(self) -> bool:
        """True when the project uses a pretrained torchvision model."""
        return self.doc.project.model.kind == "pretrained"

    def summary(self) -> Summary | None:
        """The current summary; None while a pretrained one is being computed (it then fires ``changed``)."""
        if not self.is_pretrained():
            return self.doc.summary()
        key = self._summary_key()

        def make() -> Callable[[], Summary]:
            project, classes = self.doc.project.copy(), key[-1]

            def work() -> Summary:
                return pretrained_summary(project, classes)

            return work

        return self._get(key, make)

    def finetune(self) -> Any:
        """The first epoch's :class:`~studio.core.training.finetune.TrainableSummary` (stages, trainable
        count, unfreezing schedule); None for a stack or while it is computed."""
        if not self.is_pretrained():
            return None
        key = self._finetune_key()

        def make() -> Callable[[], Any]:
            project, classes = self.doc.project.copy(), key[-1]

            def work() -> Any:
                return trainable_summary(project, epoch=0, num_classes=classes)

            return work

        summary = self._get(key, make)
        if summary is None:
            return None

        m = self.doc.project.model
        return dataclasses.replace(
            summary, schedule=unfreeze_schedule(m.arch, m, self.doc.project.training.epochs)
        )

    def facts(self) -> ModelFacts | None:
        """torchvision's metadata for the current architecture; None for a stack or while loading."""
        if not self.is_pretrained():
            return None
        key = self._facts_key()
        arch = key[1]
        return self._get(key, lambda: lambda: _facts(arch))

    def error(self) -> str | None:
        """Why the pretrained summary failed (None when it did not)."""
        return self._errors.get(self._summary_key()) if self.is_pretrained() else None

    def finetune_error(self) -> str | None:
        """Why the fine-tuning summary failed (None when it did not)."""
        return self._errors.get(self._finetune_key()) if self.is_pretrained() else None

    def facts_error(self) -> str | None:
        """Why the model's metadata could not be read (None when it could)."""
        return self._errors.get(self._facts_key()) if self.is_pretrained() else None

    def pending(self) -> bool:
        """True while the current pretrained summary is being computed."""
        return self.is_pretrained() and self._summary_key() in self._running

    def _finished(self, key: tuple[Any, ...], result: Any) -> None:
        self._done(key, result, None)

    def _failed(self, key: tuple[Any, ...], message: str) -> None:
        self._done(key, None, message)

    def _done(self, key: tuple[Any, ...], result: Any, error: str | None) -> None:
        self._running.discard(key)
        if error is None:
            self._cache[key] = result
        else:
            self._errors[key] = error
        self.changed.emit()

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until running summaries finish (tests, shutdown)."""
        return self.runner.wait(msecs)
