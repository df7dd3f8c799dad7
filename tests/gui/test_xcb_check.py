"""When Qt's xcb plugin cannot load, the app says which system libraries are missing and how to
install them (issue 14, item 9), instead of Qt's bare "could not load the Qt platform plugin"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studio.gui.shell import xcb_check

ROOT = Path(__file__).resolve().parents[2]


def test_needs_xcb_follows_the_platform_and_session() -> None:
    assert xcb_check.needs_xcb({}, "linux")
    assert xcb_check.needs_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not xcb_check.needs_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not xcb_check.needs_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not xcb_check.needs_xcb({}, "darwin") and not xcb_check.needs_xcb({}, "win32")


def test_the_advice_names_the_libraries_and_both_install_commands() -> None:
    gone = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    text = xcb_check.check({"QT_QPA_PLATFORM": "xcb"}, loads=lambda name: name not in gone)
    assert text is not None
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in text
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in text
    assert xcb_check.check({"QT_QPA_PLATFORM": "xcb"}, loads=lambda name: True) is None
    assert xcb_check.check({"QT_QPA_PLATFORM": "offscreen"}, loads=lambda name: False) is None


def test_the_start_command_prints_it_and_exits(tmp_path: Path) -> None:
    """On this machine: whatever the real loader finds missing is what the start command reports."""
    missing = xcb_check.missing_libraries()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DISPLAY", None)
    if not missing:  # every library is there: nothing to report (Qt then fails for want of a display)
        return
    done = subprocess.run(
        [sys.executable, "-m", "studio"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "cannot open its window" in done.stderr and "sudo apt install" in done.stderr
    for lib in missing:
        assert lib.soname in done.stderr and lib.debian in done.stderr
