"""Gradual unfreezing of a pretrained model's backbone, epoch by epoch.

The model is built in its first epoch's state (:func:`studio.core.model.builder.build_pretrained`);
at the start of each later epoch this callback moves it on with the same rule,
:func:`studio.core.model.freeze.apply_freeze`, so which stages train is decided in one place.
A resumed run gets the state of the epoch it resumes at. Under torchrun the DDP wrapper is
rebuilt when the set of trainable parameters changes (every rank alike: the rule depends on
the epoch only).
"""

from __future__ import annotations

from collections.abc import Callable

from studio.core.base.i18n import tr
from studio.core.model.freeze import apply_freeze
from studio.core.project.project_file import ModelSpec
from studio.core.training.callbacks import RunCallback
from studio.core.training.devices import unwrap_model
from studio.core.training.distributed import rewrap
from studio.core.training.loop import LoopContext


class GradualUnfreezing(RunCallback):
    """At each epoch start: the pretrained model's trainable stages for that epoch."""

    def __init__(self, ctx: LoopContext, spec: ModelSpec, log: Callable[[str], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.spec = spec
        self.log = log

    def on_epoch_start(self, epoch: int, epochs: int) -> None:
        """Apply the state after ``epoch - 1`` completed epochs; say when more trains."""
        if not apply_freeze(unwrap_model(self.ctx.model), self.spec.arch, self.spec, epoch - 1):
            return
        self.log(tr("epoch {epoch}: more of the backbone trains from now on", epoch=epoch))
        # DDP syncs only what required grad when it was built: wrap again
        self.ctx.model = rewrap(self.ctx.model, self.ctx.device)
