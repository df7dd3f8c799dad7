"""Test helper (no tests here): compare a studio stack with a torchvision network as networks."""

from __future__ import annotations

import torch
import torch.nn as nn


def randomise_batchnorm(model: nn.Module, seed: int = 0) -> None:
    """Non-trivial BatchNorm statistics, so that a wrong wiring cannot hide behind identity BNs."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)


def load_by_position(ours: nn.Module, theirs: nn.Module) -> None:
    """Copy ``theirs``' state into ``ours``: the same tensors in the same order, shapes checked."""
    mine, other = ours.state_dict(), theirs.state_dict()
    assert len(mine) == len(other)
    mapped = {}
    for (name, tensor), (their_name, value) in zip(mine.items(), other.items(), strict=True):
        assert tensor.shape == value.shape, (name, their_name)
        assert name.rsplit(".", 1)[-1] == their_name.rsplit(".", 1)[-1], (name, their_name)
        mapped[name] = value
    ours.load_state_dict(mapped)
