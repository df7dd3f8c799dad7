"""How many classes a project's dataset has, cheaply, without loading it (and without torch).

A pretrained model's head is sized for the dataset's classes. ``summary`` on the command line
and the designer both need that number long before (or without) a training run, so it is
worked out here from the project alone:

* the built-in sources have fixed class lists (:data:`KNOWN_CLASSES`);
* a ``folder`` dataset's classes are its class sub-folders, found exactly as
  :func:`studio.core.data.folder.scan_folder` finds them (``root/<class>/`` or
  ``root/train|val|test/<class>/``, hidden folders and ``_quarantine`` ignored), by listing
  at most four folders: no image is listed, opened or decoded.

This module imports neither torch nor numpy, so the designer may call it on the GUI thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.base.i18n import tr

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

# Classes of the built-in sources ("sample" is a slice of Fashion-MNIST).
KNOWN_CLASSES: dict[str, int] = {
    "mnist": 10,
    "fashion_mnist": 10,
    "cifar10": 10,
    "cifar100": 100,
    "sample": 10,
}
# What a pretrained head is sized for when the dataset's classes are unknown: ImageNet's.
IMAGENET_CLASSES = 1000

# The folder rules, shared with studio.core.data.folder (kept here: this module imports no torch).
SPLIT_NAMES: dict[str, str] = {
    "train": "train",
    "training": "train",
    "val": "val",
    "valid": "val",
    "validation": "val",
    "test": "test",
    "testing": "test",
}
QUARANTINE_DIR = "_quarantine"
#: folders never read as classes or images: where the studio quarantines files, macOS zip debris
IGNORED_DIRS = (QUARANTINE_DIR, "__MACOSX")


def _subdir_names(folder: str) -> list[tuple[str, str]]:
    """(name, path) of the visible sub-folders of ``folder``, sorted by name."""
    out = []
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith(".") or e.name in IGNORED_DIRS:
                continue
            try:
                if e.is_dir():
                    out.append((e.name, e.path))
            except OSError:
                continue
    return sorted(out)


def folder_class_names(root: str | os.PathLike[str]) -> list[str] | None:
    """The class names of an image folder in either layout; None when it cannot be listed.

    ``root/train/`` (or ``training/``) present means the split layout: the classes are the
    sub-folders of the train, val and test folders together. Otherwise the sub-folders of
    ``root`` are the classes. An empty list means the folder has no class sub-folders.
    """
    base = Path(os.path.expanduser(str(root))).absolute()
    try:
        top = _subdir_names(str(base))
    except OSError:
        return None
    splits = {SPLIT_NAMES[name.lower()]: path for name, path in top if name.lower() in SPLIT_NAMES}
    if "train" not in splits:
        return [name for name, _ in top]
    names: set[str] = set()
    for split in ("train", "val", "test"):
        if split in splits:
            try:
                names.update(name for name, _ in _subdir_names(splits[split]))
            except OSError:
                continue
    return sorted(names)


def class_count(project: Project) -> int | None:
    """How many classes the project's dataset has; None when that cannot be known yet.

    None for a folder that does not exist (or cannot be listed) or has no class sub-folders,
    and for a source this module does not know.
    """
    data = project.data
    if data.source in KNOWN_CLASSES:
        return KNOWN_CLASSES[data.source]
    if data.source != "folder" or not data.root:
        return None
    names = folder_class_names(data.root)
    return len(names) if names else None


def head_classes(project: Project) -> int:
    """The class count a pretrained head is sized for: the dataset's, else ImageNet's 1000."""
    return class_count(project) or IMAGENET_CLASSES


#: the dataset's own folder under data.root (a user who picks it instead of its parent is told)
DATASET_FOLDERS = {
    "mnist": "MNIST",
    "fashion_mnist": "FashionMNIST",
    "cifar10": "cifar-10-batches-py",
    "cifar100": "cifar-100-python",
}


def suggest_root(source: str, root: str | os.PathLike[str]) -> Path | None:
    """The folder ``data.root`` should be when ``root`` is the dataset's own folder, else None.

    ``…/MNIST`` or ``…/MNIST/raw`` for MNIST (``…/cifar-10-batches-py`` for CIFAR-10): the
    dataset is looked for *inside* ``root``, so its parent is meant.
    """
    name = DATASET_FOLDERS.get(source)
    if not name or not str(root):
        return None
    path = Path(os.path.expanduser(str(root))).absolute()
    if path.name.lower() == "raw" and path.parent.name.lower() == name.lower():
        return path.parent.parent
    if path.name.lower() == name.lower():
        return path.parent
    return None


def parent_hint(source: str, root: str | os.PathLike[str]) -> str:
    """'; did you mean the parent folder X?' when :func:`suggest_root` finds one, else ''."""
    parent = suggest_root(source, root)
    return tr("; did you mean the parent folder {parent}?", parent=parent) if parent is not None else ""


def folder_splits(root: str | os.PathLike[str]) -> set[str]:
    """The split folders of an image folder in the split layout (``{"train", "val", "test"}``
    or a part of it); empty for the one-folder-per-class layout or a folder that cannot be listed.

    With a ``val/`` folder the validation images are that folder's, whatever fraction
    ``data.val`` names (:func:`studio.core.data.datasets.load_data`); the Data page says so.
    """
    base = Path(os.path.expanduser(str(root))).absolute()
    try:
        top = _subdir_names(str(base))
    except OSError:
        return set()
    found = {SPLIT_NAMES[name.lower()] for name, _ in top if name.lower() in SPLIT_NAMES}
    return found if "train" in found else set()
