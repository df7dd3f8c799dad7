"""Decoding workers never fork a GUI process (Qt state and other threads' locks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _method(prelude: str) -> str:
    code = (
        f"{prelude}\nfrom studio.core.data.folder import _worker_start_method\nprint(_worker_start_method())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_cli_process_keeps_the_default_start_method() -> None:
    assert _method("") == "None"


def test_gui_process_starts_workers_from_a_fork_server() -> None:
    assert _method("import PySide6.QtCore") == "forkserver"
