"""``cnn-studio check-data PROJECT [--json]``: scan a project's dataset for problems.

Per-class counts per split, unreadable files, the mix of image modes, the size range, tiny
images, exact duplicates and classes with too few images, as a table or as JSON
(:meth:`studio.core.data.health.HealthReport.to_json`). The scan itself is
:func:`studio.core.data.health.scan_health`, shared with the Data page. Exit 0 when the scan ran
(whatever it found), 2 when the project or dataset cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from studio.core.project.project_file import load_project

LIST_LIMIT = 20


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "check-data",
        help="scan the dataset: counts per class, unreadable files, mixed modes, tiny images, duplicates",
        description="Look at every image of the project's dataset and report counts per "
        "class and split, unreadable files, image modes, sizes, tiny images, exact "
        "duplicates and classes with too few images.",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--min-per-class",
        type=int,
        default=None,
        metavar="N",
        help="flag classes with fewer training images than this (default: 10)",
    )
    p.add_argument(
        "--tiny",
        type=int,
        default=None,
        metavar="PX",
        help="flag images whose shorter side is below PX pixels (default: 16)",
    )
    return p


def _limited(lines: list[str], limit: int = LIST_LIMIT) -> list[str]:
    if len(lines) <= limit:
        return lines
    return lines[:limit] + [f"  ... and {len(lines) - limit} more (see --json)"]


def format_report(report: Any, name: str = "") -> str:
    """The human-readable table of a :class:`~studio.core.data.health.HealthReport`."""
    out: list[str] = []
    title = f"{name}: " if name else ""
    out.append(
        f"{title}{report.source} dataset at {report.root}: {len(report.classes)} classes, "
        f"{report.total:,} images"
    )
    splits = list(report.counts)
    width = max([len("class")] + [len(c) for c in report.classes] + [len("total")])
    out.append("")
    out.append(f"{'class':<{width}}  " + "  ".join(f"{s:>8}" for s in splits))
    for k, cls in enumerate(report.classes):
        out.append(f"{cls:<{width}}  " + "  ".join(f"{report.counts[s][k]:>8,}" for s in splits))
    out.append(f"{'total':<{width}}  " + "  ".join(f"{sum(report.counts[s]):>8,}" for s in splits))
    out.append("")
    modes = ", ".join(f"{m} {n:,}" for m, n in report.modes.items()) or "-"
    out.append(f"modes: {modes}")
    rng = report.size_range
    if rng is not None:
        (w0, h0), (w1, h1) = rng
        out.append(f"sizes: {w0}x{h0} (smallest) to {w1}x{h1} (largest), {len(report.sizes)} distinct")
    out.append(f"unreadable files: {len(report.unreadable)}")
    out.extend(_limited([f"  {p}: {r}" for p, r in report.unreadable]))
    out.append(f"tiny images (< {report.tiny_side} px): {len(report.tiny)}")
    out.extend(_limited([f"  {p} ({w}x{h})" for p, w, h in report.tiny]))
    dup = f"exact duplicates: {len(report.duplicates)} group(s)"
    if report.cross_split_duplicates:
        dup += f", {report.cross_split_duplicates} across splits"
    out.append(dup)
    out.extend(_limited(["  " + " = ".join(g) for g in report.duplicates]))
    few = report.few
    out.append(f"classes with fewer than {report.min_per_class} training images: {len(few)}")
    out.extend(_limited([f"  {c}: {n}" for c, n in few]))
    if report.ignored:
        out.append(f"non-image files ignored: {report.ignored}")
    warnings = report.warnings()
    out.append("")
    out.append("looks healthy" if not warnings else "warnings:")
    out.extend(f"  - {w}" for w in warnings)
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Scan and print; a progress line goes to stderr on a terminal."""
    from studio.core.data.health import MIN_PER_CLASS, scan_health  # lazy: pulls in torch

    project = load_project(args.project)
    progress = None
    if sys.stderr.isatty() and not args.json:

        def progress(message: str, fraction: float | None) -> None:
            shown = f" ({fraction:.0%})" if fraction is not None else ""
            sys.stderr.write(f"\r{message}{shown}\x1b[K")
            sys.stderr.flush()

    report = scan_health(
        project,
        progress=progress,
        min_per_class=args.min_per_class if args.min_per_class is not None else MIN_PER_CLASS,
        tiny_side=args.tiny,
    )
    if progress is not None:
        sys.stderr.write("\r\x1b[K")
    cache = None
    if project.data.source == "folder":
        from studio.core.data.decode_cache import status_line  # lazy: pulls in torch

        cache = status_line(project.data.root, project.data.channels, project.data.image_size)
    if args.json:
        data = report.to_json()
        if cache is not None:
            data["cache"] = cache
        text = json.dumps(data, ensure_ascii=False, indent=1)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except UnicodeEncodeError:  # a terminal that cannot show a file name: escape it
            text = json.dumps(data, ensure_ascii=True, indent=1)
        print(text)
    else:
        _write(format_report(report, project.name) + (f"\n{cache}" if cache else ""))
    return 0


def _write(text: str) -> None:
    """Print ``text``; file names the terminal cannot encode are escaped, not a crash."""
    try:
        print(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        enc = sys.stdout.encoding or "utf-8"
        sys.stdout.buffer.write((text + "\n").encode(enc, "backslashreplace"))
        sys.stdout.flush()
