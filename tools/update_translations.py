"""Refresh the GUI's translation sources and compile them: ``python tools/update_translations.py``.

1. ``pyside6-lupdate`` scans ``studio/gui`` for ``tr()`` / ``QCoreApplication.translate()`` /
   ``QT_TRANSLATE_NOOP`` and updates ``resources/i18n/studio_<lang>.ts`` (new texts come in
   marked unfinished; a translator fills them, e.g. with ``pyside6-linguist``).
2. ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` the studio loads.

The ``.qm`` files are committed (a wheel or a frozen app then needs no Qt tools to build);
``tests/gui/test_i18n.py`` fails when a ``.qm`` no longer matches its ``.ts`` or when the
source has a text the ``.ts`` lacks.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
LANGS = ("ko",)


def tool(name: str) -> str:
    """The PySide6 tool ``name`` next to this interpreter, or on PATH."""
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"error: {name} not found; install PySide6 (pip install PySide6-Essentials)")
    return found


def sources() -> list[str]:
    """Every GUI source file, relative to the repository (stable order, stable .ts locations)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "studio" / "gui").rglob("*.py"))


def lupdate(ts: Path) -> None:
    """Update ``ts`` from the GUI sources (obsolete texts dropped)."""
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm``."""
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-update", action="store_true", help="only compile the .ts files")
    args = parser.parse_args(argv)
    I18N.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        ts = I18N / f"studio_{lang}.ts"
        if not args.no_update:
            lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
