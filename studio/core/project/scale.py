"""Compound scaling of a whole project: its MBConv stack and its input size together.

The project-level twin of :func:`studio.core.model.scaling.scale_layers`, used by
``cnn-studio scale`` and the designer's *Scale network...* action (one undoable edit through
:meth:`studio.core.project.document.ProjectDocument.scale_network`).
"""

from __future__ import annotations

from studio.core.base.i18n import tr
from studio.core.model.scaling import ScaleError, ScaleResult, Scaling, scale_layers
from studio.core.project.project_file import Project

__all__ = ["ScaleError", "Scaling", "ScaleResult", "scale_project"]


def scale_project(project: Project, scaling: Scaling) -> tuple[Project, ScaleResult]:
    """A new project with the scaled network and image size (the original is untouched)."""
    if project.model.kind != "stack":
        raise ScaleError(
            tr(
                "compound scaling rewrites a stack of blocks; this project uses a pretrained "
                "{arch} (switch the model to a stack, e.g. the efficientnet-b0-blocks template)",
                arch=project.model.arch,
            )
        )
    result = scale_layers(project.model.layers, project.data.image_size, project.data.channels, scaling)
    raw = project.to_dict()
    raw["model"]["layers"] = result.layers
    raw["data"]["image_size"] = list(result.image_size)
    return Project.from_dict(raw), result
