"""Which parameters of a pretrained zoo model train after a given number of epochs.

The rules of the project's ``model`` section (``freeze``, ``unfreeze_from``, ``unfreeze_after``,
``unfreeze_mode``; see :mod:`studio.core.training.finetune`) over the stages of
:data:`studio.core.model.zoo.STAGES`. They live beside the zoo, below training, because both
the builder (a freshly built model is in its first epoch's state) and the engine's unfreezing
callback (later epochs) apply them, and :func:`apply_freeze` is the only code that sets
``requires_grad`` on a pretrained model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.core.model.zoo import STAGES, stage_of

if TYPE_CHECKING:
    import torch.nn as nn

    from studio.core.project.project_file import ModelSpec


def first_trainable_stage(arch: str, spec: ModelSpec, epoch: int = 0) -> int:
    """The lowest stage that trains after ``epoch`` completed epochs.

    0 means everything trains (stem included); ``len(STAGES[arch]) + 1`` means the head alone.
    """
    count = len(STAGES[arch])
    if spec.freeze == "none":
        return 0
    start = count + 1 if spec.unfreeze_from is None else spec.unfreeze_from
    every = spec.unfreeze_after
    if every is None or epoch < every:
        return start
    if spec.unfreeze_mode == "all":
        return 0
    return max(0, start - epoch // every)


def apply_freeze(model: nn.Module, arch: str, spec: ModelSpec, epoch: int = 0) -> bool:
    """Set ``requires_grad`` for the state after ``epoch`` completed epochs.

    ``model`` is the plain module (not a DistributedDataParallel wrapper, whose parameter
    names carry a ``module.`` prefix). Returns True when any parameter changed (a DDP wrapper
    must then be rebuilt: it only synchronises what required grad when it was made).
    """
    lowest = first_trainable_stage(arch, spec, epoch)
    changed = False
    for name, p in model.named_parameters():
        want = stage_of(name, arch) >= lowest
        if p.requires_grad != want:
            p.requires_grad_(want)
            changed = True
    return changed
