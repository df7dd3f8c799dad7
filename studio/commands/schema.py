"""``cnn-studio schema [--out FILE]``: the project file's JSON Schema (draft 2020-12).

Editors validate project files with it (VS Code: ``"json.schemas"``; or a ``"$schema"`` key,
which the studio keeps like any unknown key). It is generated from the block registry and the
project dataclasses (:mod:`studio.core.project.schema`), the same source as
``docs/project-format.md``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from studio.core.base.errors import UserError
from studio.core.base.files import atomic_write_bytes
from studio.core.project.schema import schema_json


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of the project file",
        description="Print the JSON Schema (draft 2020-12) of the project file, for "
        "editors that validate JSON.",
    )
    p.add_argument("-o", "--out", metavar="FILE", help="write the schema to FILE instead of stdout")
    return p


def run(args: argparse.Namespace) -> int:
    """Print (or write) the schema."""
    text = schema_json()
    if args.out:
        try:
            atomic_write_bytes(args.out, text.encode("utf-8"))
        except OSError as exc:
            raise UserError(
                f"cannot write {args.out}: {exc.strerror or exc}; choose a writable path"
            ) from None
    else:
        sys.stdout.write(text)
    return 0
