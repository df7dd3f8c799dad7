"""Hold ``studio/gui`` to a mypy baseline that may only shrink.

``studio/core`` and ``studio/commands`` are type-checked with no errors (``mypy`` with the
settings in pyproject.toml). The GUI is not clean yet: its error count per file is recorded in
``tools/mypy-gui-baseline.txt``, and this check fails when a file gains errors (or a new file
has any). When a file has fewer, it says so: run with ``--update`` and commit the smaller file.

Usage: ``python tools/mypy_baseline.py [--update]`` from the repository root.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-gui-baseline.txt"
ERROR = re.compile(r"^(studio/[\w/]+\.py):\d+: error:")


def current_counts() -> dict[str, int]:
    """mypy's error count per file of studio/gui (errors it reports elsewhere count too)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "studio/gui"], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode not in (0, 1):  # 2: mypy itself failed (bad configuration, crash)
        sys.exit(f"mypy failed:\n{done.stdout}{done.stderr}")
    counts: collections.Counter[str] = collections.Counter()
    for line in done.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            counts[match.group(1)] += 1
    return dict(counts)


def read_baseline() -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, count = line.rsplit(maxsplit=1)
            counts[path] = int(count)
    return counts


def write_baseline(counts: dict[str, int]) -> None:
    lines = ["# mypy errors per file of studio/gui; may only shrink (python tools/mypy_baseline.py --update)"]
    lines += [f"{path} {counts[path]}" for path in sorted(counts)]
    BASELINE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline with today's counts")
    args = parser.parse_args()
    now = current_counts()
    if args.update:
        write_baseline(now)
        print(f"baseline: {sum(now.values())} errors in {len(now)} files")
        return 0
    before = read_baseline()
    worse = {p: (before.get(p, 0), n) for p, n in now.items() if n > before.get(p, 0)}
    better = {p: (n, now.get(p, 0)) for p, n in before.items() if now.get(p, 0) < n}
    for path, (old, new) in sorted(worse.items()):
        print(f"{path}: {new} mypy errors, the baseline allows {old}")
    if worse:
        print("mypy: new type errors in studio/gui (run `mypy studio/gui` to see them)")
        return 1
    if better:
        print(
            f"mypy: {len(better)} GUI files have fewer errors than the baseline; "
            "run `python tools/mypy_baseline.py --update` and commit tools/mypy-gui-baseline.txt"
        )
    print(f"mypy: studio/gui {sum(now.values())} errors (baseline {sum(before.values())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
