"""``cnn-studio new TEMPLATE -o PROJECT``: write a project file from a template."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.core.base.errors import UserError
from studio.core.project.checks import fit_head_to_data
from studio.core.project.project_file import save_project
from studio.core.project.templates import get_template


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "new",
        help="write a project file from a template",
        description="Write a new project file from a built-in template.",
    )
    p.add_argument("template", help="template name (see `cnn-studio templates`)")
    p.add_argument("-o", "--out", required=True, help="project file to write (.json)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--root",
        metavar="FOLDER",
        help="the dataset folder (data.root); a stack's last out_features follows its class count",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Write the template's project."""
    try:
        template = get_template(args.template)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists; choose another name or pass --force")
    project = template.project()
    fitted = None
    if args.root:
        project.data.root = str(args.root)
        fitted = fit_head_to_data(project)
    try:
        save_project(project, out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    note = f", out_features {fitted} for the folder's classes" if fitted is not None else ""
    print(f"wrote {out} ({template.title}{note})")
    return 0
