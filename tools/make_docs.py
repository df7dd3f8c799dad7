"""Regenerate the generated parts of docs/project-format.md and docs/cli.md from the code.

Run after changing the block registry, the project file's fields, a template or a command's
options: ``python tools/make_docs.py`` (``--check`` only reports stale files, exit 1).
See :mod:`studio.docs_reference`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone without installing

from studio.docs_reference import stale_files, write_all  # noqa: E402


def main() -> int:
    """Rewrite (or, with --check, only list) the stale reference docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args()
    if args.check:
        stale = stale_files()
        for rel in stale:
            print(f"{rel} is out of date: run python tools/make_docs.py")
        return 1 if stale else 0
    for rel in write_all():
        print(f"rewrote {rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
