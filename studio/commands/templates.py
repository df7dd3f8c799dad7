"""``cnn-studio templates``: list the built-in templates."""

from __future__ import annotations

import argparse
from typing import Any

from studio.core.project.templates import TEMPLATES


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    return sub.add_parser(
        "templates",
        help="list the built-in templates",
        description="List the built-in templates: name and one-line description.",
    )


def run(args: argparse.Namespace) -> int:
    """Print one template a line."""
    width = max(len(n) for n in TEMPLATES)
    for name, t in TEMPLATES.items():
        print(f"{name.ljust(width)}  {t.description}")
    return 0
