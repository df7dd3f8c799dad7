"""Fine-tuning a pretrained zoo model: which parameters train when, and at what learning rate.

The project's ``model`` section (kind ``pretrained``) holds the controls (docs/project-format.md,
``docs/transfer-learning.md``):

* ``freeze``: ``"backbone"`` (only the head, plus any stages unfrozen below, trains) or
  ``"none"`` (everything trains from the first epoch).
* ``unfreeze_from``: stage N (:data:`studio.core.model.zoo.STAGES`; 0 is the stem): stages N..last
  train from the first epoch along with the head. ``null``: the head alone.
* ``unfreeze_after`` K and ``unfreeze_mode``: gradual unfreezing. After every K completed
  epochs the next frozen stage below (``"stage"``, the deepest first, down to the stem)
  unfreezes; with ``"all"`` the whole backbone unfreezes once K epochs are done.
* ``backbone_lr_mult``: the backbone's learning rate is the head's times this (0 < m <= 1).
* BatchNorm layers whose parameters are frozen stay in eval mode (:func:`set_frozen_bn_eval`),
  so their ImageNet running statistics are not overwritten by a small dataset.

Which stages train when is decided by :mod:`studio.core.model.freeze` (the builder applies the
first epoch's state; the engine's :class:`~studio.core.training.unfreezing.GradualUnfreezing`
callback the later ones). The engine calls :func:`param_groups` once to build the optimizer
(every parameter is in it from the start, so unfreezing needs no new optimizer: frozen
parameters get no gradient and the optimizers skip them) and, after each ``model.train()``,
:func:`set_frozen_bn_eval`. The designer calls :func:`trainable_summary` to grey frozen layers
and show the trainable count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studio.core.model.builder import build_pretrained
from studio.core.model.freeze import apply_freeze, first_trainable_stage
from studio.core.model.zoo import STAGES, stage_names, stage_of
from studio.core.project.project_file import ModelSpec, Project
from studio.core.training.devices import unwrap_model

if TYPE_CHECKING:
    import torch.nn as nn


def set_frozen_bn_eval(model: nn.Module) -> int:
    """Put every BatchNorm layer whose parameters are all frozen into eval mode.

    Call it after each ``model.train()``. Frozen BN layers then normalise with their
    pretrained running statistics and do not update them. Returns how many layers it set.
    """
    from torch.nn.modules.batchnorm import _BatchNorm

    count = 0
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            params = list(module.parameters(recurse=False))
            if params and not any(p.requires_grad for p in params):
                module.eval()
                count += 1
    return count


def param_groups(model: nn.Module, arch: str, base_lr: float, spec: ModelSpec) -> list[dict[str, Any]]:
    """Optimizer parameter groups: the head at ``base_lr``, the backbone at ``base_lr * mult``.

    Every parameter is included, frozen or not. The head group comes first (so
    ``optimizer.param_groups[0]["lr"]`` is the head's rate); each group carries ``name`` and
    ``lr_mult`` (scale a scheduler's ``max_lr`` per group with it, e.g. for OneCycleLR).
    """
    head_stage = len(STAGES[arch]) + 1
    head: list[Any] = []
    backbone: list[Any] = []
    for name, p in unwrap_model(model).named_parameters():
        (head if stage_of(name, arch) == head_stage else backbone).append(p)
    mult = float(spec.backbone_lr_mult)
    groups = [
        {"params": head, "lr": base_lr, "lr_mult": 1.0, "name": "head"},
        {"params": backbone, "lr": base_lr * mult, "lr_mult": mult, "name": "backbone"},
    ]
    return [g for g in groups if g["params"]]


def unfreeze_schedule(arch: str, spec: ModelSpec, epochs: int) -> list[tuple[int, list[str]]]:
    """When each part starts training: ``[(epoch number, [stage names]), ...]`` (1-based epochs).

    The first entry is epoch 1 (what trains from the start); later entries list the stages
    that unfreeze at the start of that epoch. For the designer and the CLI.
    """
    names = stage_names(arch)
    out: list[tuple[int, list[str]]] = []
    previous = len(names)  # nothing trains yet
    for done in range(max(epochs, 1)):
        lowest = first_trainable_stage(arch, spec, done)
        if lowest < previous:
            out.append((done + 1, names[lowest:previous]))
            previous = lowest
    return out


@dataclass
class StageState:
    """One stage of a pretrained model as the designer shows it."""

    index: int
    name: str
    params: int
    trainable: bool


@dataclass
class TrainableSummary:
    """Which parts of a pretrained model train at a given epoch, and how many parameters.

    ``frozen_layers`` are the model's top-level children (the rows ``summary`` lists for a
    pretrained model) with no trainable parameter: the designer greys them.
    """

    arch: str
    epoch: int
    stages: list[StageState]
    frozen_layers: list[str]
    trainable_params: int
    total_params: int
    schedule: list[tuple[int, list[str]]] = field(default_factory=list)


def summarize_model(model: nn.Module, arch: str, epoch: int = 0) -> TrainableSummary:
    """A :class:`TrainableSummary` of a built model as its ``requires_grad`` flags stand."""
    net = unwrap_model(model)
    names = stage_names(arch)
    counts = [0] * len(names)
    trainable = [False] * len(names)
    total = train_count = 0
    for name, p in net.named_parameters():
        stage = stage_of(name, arch)
        counts[stage] += p.numel()
        trainable[stage] = trainable[stage] or p.requires_grad
        total += p.numel()
        train_count += p.numel() if p.requires_grad else 0
    frozen_layers = [
        child_name
        for child_name, child in net.named_children()
        if any(True for _ in child.parameters()) and not any(p.requires_grad for p in child.parameters())
    ]
    stages = [StageState(i, n, counts[i], trainable[i]) for i, n in enumerate(names)]
    return TrainableSummary(arch, epoch, stages, frozen_layers, train_count, total)


def trainable_summary(project: Project, epoch: int = 0, num_classes: int = 1000) -> TrainableSummary:
    """What trains after ``epoch`` completed epochs, for the designer (no weights are read).

    Built on PyTorch's ``meta`` device, so even VGG-16 costs no memory. Includes the unfreezing
    schedule over ``training.epochs``.
    """
    import torch

    spec = project.model
    if spec.kind != "pretrained":
        raise ValueError("trainable_summary needs a pretrained model")
    with torch.device("meta"):
        model = build_pretrained(spec, num_classes, load_weights=False)
    apply_freeze(model, spec.arch, spec, epoch)  # built in the first epoch's state: move it on
    summary = summarize_model(model, spec.arch, epoch)
    summary.schedule = unfreeze_schedule(spec.arch, spec, project.training.epochs)
    return summary
