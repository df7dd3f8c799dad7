"""The generated parts of the reference docs, and the check that the committed ones are current.

Why: a reference written by hand drifts from the code. ``docs/project-format.md`` (every key
of the project file, every layer type, the templates) and ``docs/cli.md`` (every command and
option) hold regions between ``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``
markers; the text around them is written by hand, the regions come from the code:
the block registry and project schema (:mod:`studio.core.project.schema`) and the CLI's own
parser (:func:`studio.cli.build_parser`). ``python tools/make_docs.py`` rewrites them;
``tests/core/test_reference_docs.py`` fails while a committed region is out of date.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from studio.cli import build_parser
from studio.core.base.files import atomic_write_bytes
from studio.core.project.schema import markdown_reference, templates_table

REPO = Path(__file__).resolve().parent.parent


def cli_reference() -> str:
    """Every registered command with its arguments, from the parser itself."""
    parser = build_parser()
    out = ["### Options before the command", "", "`cnn-studio [OPTIONS] COMMAND ...`", ""]
    out += _arguments(parser, skip_help=True)
    sub = _subparsers(parser)
    for choice in sub._choices_actions:
        name = choice.dest
        p = sub.choices[name]
        about = (p.description or choice.help or "").strip().replace("<", "&lt;")
        out += ["", f"### `{name}`", "", about, "", "```", _usage(name, p), "```", ""]
        out += _arguments(p, skip_help=True)
    return "\n".join(out).rstrip() + "\n"


def command_names() -> list[str]:
    """The names of the registered sub-commands, in parser order."""
    return list(_subparsers(build_parser()).choices)


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError("the CLI parser has no sub-commands")


def _label(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest.upper()}`"
    takes_value = action.nargs != 0
    metavar = action.metavar or (action.dest.upper() if takes_value else "")
    if action.choices is not None and not action.metavar:
        metavar = "{" + ",".join(map(str, action.choices)) + "}"
    if action.nargs in ("*", "+"):
        metavar += " ..."
    return ", ".join(f"`{o} {metavar}`" if metavar else f"`{o}`" for o in action.option_strings)


def _usage(name: str, p: argparse.ArgumentParser) -> str:
    parts = [f"cnn-studio {name}"]
    for a in p._actions:
        if _shared(a):
            continue
        labels = [x.strip("`") for x in _label(a).split("`, `")]
        label = next((x for x in labels if x.startswith("--")), labels[-1])
        if not a.option_strings:
            parts.append(label + (" ..." if a.nargs in ("*", "+") else ""))
        else:
            parts.append(label if a.required else f"[{label}]")
    return " ".join(parts)


def _shared(a: argparse.Action) -> bool:
    """``--help`` and the ``--verbose`` every command repeats: documented once, at the top."""
    return isinstance(a, argparse._HelpAction) or (a.dest == "verbose" and a.default is argparse.SUPPRESS)


def _arguments(p: argparse.ArgumentParser, skip_help: bool) -> list[str]:
    rows = ["| argument | meaning |", "| --- | --- |"]
    for a in p._actions:
        if skip_help and _shared(a):
            continue
        if isinstance(a, argparse._SubParsersAction):
            continue
        text = (a.help or "").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")
        if a.required and a.option_strings:
            text += " (required)"
        rows.append(f"| {_label(a)} | {text} |")
    if len(rows) == 2:
        return ["No arguments."]
    return rows


#: file (relative to the repository) -> region name -> the function that writes the region
REGIONS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/project-format.md": {"keys": markdown_reference, "templates": templates_table},
    "docs/cli.md": {"commands": cli_reference},
}


def render(text: str, regions: dict[str, Callable[[], str]], where: str = "") -> str:
    """``text`` with each marked region replaced by its generator's output."""
    for name, make in regions.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end generated: {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(
                f"{where}: no '<!-- generated: {name} -->' ... '<!-- end generated: {name} -->' "
                "markers; put them back around the generated part"
            )
        body = make()
        text = pattern.sub(lambda m, body=body: m.group(1) + "\n" + body + "\n" + m.group(2), text, count=1)
    return text


def stale_files(root: Path = REPO) -> list[str]:
    """The reference docs whose generated regions differ from what the code says now."""
    return [
        rel
        for rel, regions in REGIONS.items()
        if (root / rel).read_text(encoding="utf-8")
        != render((root / rel).read_text(encoding="utf-8"), regions, rel)
    ]


def write_all(root: Path = REPO) -> list[str]:
    """Regenerate every region in place; returns the files that changed."""
    changed = []
    for rel, regions in REGIONS.items():
        path = root / rel
        old = path.read_text(encoding="utf-8")
        new = render(old, regions, rel)
        if new != old:
            atomic_write_bytes(path, new.encode("utf-8"))
            changed.append(rel)
    return changed
