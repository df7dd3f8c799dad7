"""What must be settled before a project trains, said twice: in the GUI's words and the CLI's.

The designer, the Train button and ``cnn-studio train`` all ask the same questions here, so
a combination refused in one place is refused in all three:

* :func:`frozen_random_backbone`: a pretrained model with no starting weights (``weights``
  null) whose backbone is frozen trains only the new head on random features, ends near
  chance and warns nobody. It is refused; the fix is to train every layer (``freeze``
  ``"none"``) or to choose a weights file.
* :func:`class_count_problem`: a stack whose output size is not the dataset's class count
  (found from the project alone with :func:`studio.core.data.classes.class_count`, before any
  image is loaded); the fix is one edit of the last ``out_features``.

A :class:`Problem` carries the project-file field and a CLI message (``str(problem)``:
``model.freeze: ...``, the CLI's convention) and a separate sentence for the GUI that names
controls, not field paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.data.classes import class_count
from studio.core.model.shapes import analyze
from studio.core.project.project_file import Project

#: Problem.fix values: the one-click fixes the designer offers
FIX_UNFREEZE = "unfreeze"
FIX_OUT_FEATURES = "out_features"


@dataclass(frozen=True)
class Problem:
    """One thing that stops a project from training well (or at all)."""

    field: str  #: the project-file path, e.g. ``model.freeze``
    cli: str  #: the CLI's message after the field path
    gui: str  #: a whole sentence (or two) for the GUI, in its words
    fix: str | None = None  #: :data:`FIX_UNFREEZE`, :data:`FIX_OUT_FEATURES` or None
    layer: int | None = None  #: the stack row the fix edits
    value: int | None = None  #: the value the fix sets

    def __str__(self) -> str:
        return f"{self.field}: {self.cli}"

    def error(self) -> ProjectError:
        """The :class:`ProjectError` the CLI and the engine raise for it."""
        return ProjectError(self.field, self.cli)


def frozen_random_backbone(project: Project) -> Problem | None:
    """Random starting weights with a frozen backbone: only the head would learn, on noise."""
    m = project.model
    if m.kind != "pretrained" or m.weights is not None or m.freeze != "backbone":
        return None
    return Problem(
        "model.freeze",
        tr(
            'with "weights": null the backbone starts from random numbers and must train: set '
            '"freeze" to "none", or set "weights" to "DEFAULT" or a .pth file'
        ),
        tr(
            "The backbone has no pretrained weights (No weights was chosen) but is frozen, so only "
            "the last layer would learn, on random features. Train every layer, or choose a weights "
            "file."
        ),
        fix=FIX_UNFREEZE,
    )


def class_count_problem(
    project: Project, num_classes: int | None = None, classes: list[str] | None = None
) -> Problem | None:
    """A stack whose last layer gives another number of outputs than the dataset has classes.

    ``num_classes`` defaults to the dataset's count from :func:`class_count` (None when it is
    unknown yet, e.g. an empty folder: then there is nothing to compare). An invalid stack
    is left to the shape errors.
    """
    if project.model.kind != "stack" or not project.model.layers:
        return None
    if num_classes is None:
        num_classes = class_count(project)
    if num_classes is None or num_classes < 1:
        return None
    summary = analyze(project.model.layers, project.input_shape)
    if summary.error is not None or len(summary.output_shape) != 1:
        return None
    out = summary.output_shape[0]
    if out == num_classes:
        return None
    layers = project.model.layers
    sized = [i for i, layer in enumerate(layers) if "out_features" in layer]
    if not sized:
        return None
    index = sized[-1]
    names = ""
    if classes:
        names = " (" + ", ".join(classes[:4]) + (", …" if len(classes) > 4 else "") + ")"
    return Problem(
        f"model.layers[{index}].out_features",
        tr(
            "the network outputs {out} values but the dataset has {num_classes} classes{names}: set it "
            "to {num_classes}",
            out=out,
            num_classes=num_classes,
            names=names,
        ),
        tr(
            "The last layer ({type}, layer {index}) gives {out} outputs, but the dataset has "
            "{num_classes} classes{names}. Set its out_features to {num_classes}.",
            type=layers[index]["type"],
            index=index,
            out=out,
            num_classes=num_classes,
            names=names,
        ),
        fix=FIX_OUT_FEATURES,
        layer=index,
        value=num_classes,
    )


def training_problems(project: Project, num_classes: int | None = None) -> list[Problem]:
    """Everything :func:`check_trainable` would refuse, first problem first."""
    found = [frozen_random_backbone(project), class_count_problem(project, num_classes)]
    return [p for p in found if p is not None]


def check_trainable(project: Project, num_classes: int | None = None) -> None:
    """Raise the first :class:`Problem` as a :class:`ProjectError` (the engine and the CLI)."""
    problems = training_problems(project, num_classes)
    if problems:
        raise problems[0].error()


def fit_head_to_data(project: Project) -> int | None:
    """Give a stack's last ``out_features`` the dataset's class count, in place.

    A template created for a folder (``cnn-studio new photos-cnn --root FOLDER``) follows the
    folder's classes, as a pretrained head does. Returns the new value, or None when nothing
    changed (already right, or the count is unknown).
    """
    problem = class_count_problem(project)
    if problem is None or problem.fix != FIX_OUT_FEATURES or problem.layer is None or problem.value is None:
        return None
    project.model.layers[problem.layer]["out_features"] = problem.value
    return problem.value
