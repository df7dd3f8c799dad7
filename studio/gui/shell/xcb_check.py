"""Before the window opens on Linux/X11: are the system libraries Qt's ``xcb`` plugin needs there?

On a minimal Debian or Fedora the pip-installed PySide6 starts with only ``Could not load the
Qt platform plugin "xcb"`` and an abort: the plugin links against X11 helper libraries that
such systems do not install (``libxcb-cursor0``, ``libxcb-icccm4`` and friends). Qt gives no
way to recover from that inside the process, so :func:`missing_libraries` tries to load each
of them first (``dlopen``, as the plugin would) and :func:`advice` names the missing ones
with the command that installs them. No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from studio.core.base.i18n import tr as core_tr


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library the xcb plugin links against and the packages that provide it."""

    soname: str
    debian: str  #: Debian / Ubuntu package
    fedora: str  #: Fedora / RHEL package


#: what libqxcb.so and libQt6XcbQpa.so link against beyond libxcb itself (PySide6 6.x)
XCB_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb.so.1", "libxcb1", "libxcb"),
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    SystemLibrary("libEGL.so.1", "libegl1", "libglvnd-egl"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    SystemLibrary("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)


def needs_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt will use its xcb plugin: Linux, and X11 asked for or no Wayland session."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return not env.get("WAYLAND_DISPLAY")


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(loads: Callable[[str], bool] = _loads) -> list[SystemLibrary]:
    """The libraries of :data:`XCB_LIBRARIES` that cannot be loaded."""
    return [lib for lib in XCB_LIBRARIES if not loads(lib.soname)]


def advice(missing: list[SystemLibrary]) -> str:
    """What to tell the user: which libraries are missing and the commands that install them."""
    names = ", ".join(lib.soname for lib in missing)
    debian = " ".join(dict.fromkeys(lib.debian for lib in missing))
    fedora = " ".join(dict.fromkeys(lib.fedora for lib in missing))
    # the core's catalogue (Qt is not loaded yet): the language follows LANG/LC_MESSAGES
    return core_tr(
        "CNN Studio cannot open its window: Qt's X11 (xcb) platform plugin needs system "
        "libraries that are not installed: {names}.\n"
        "  Debian/Ubuntu:  sudo apt install {debian}\n"
        "  Fedora/RHEL:    sudo dnf install {fedora}\n"
        "Then start CNN Studio again. The command-line tools (cnn-studio --help) work without them.",
        names=names,
        debian=debian,
        fedora=fedora,
    )


def check(environ: Mapping[str, str] | None = None, loads: Callable[[str], bool] = _loads) -> str | None:
    """The advice when the window cannot open for want of libraries, else None."""
    if not needs_xcb(environ):
        return None
    missing = missing_libraries(loads)
    return advice(missing) if missing else None
