"""The desktop packaging files: icons at every size, valid desktop entry and AppStream data."""

from __future__ import annotations

import ast
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icon_set_has_svg_and_every_png_size() -> None:
    assert (ICONS / "cnn-studio.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "cnn-studio.png"
        assert png.is_file(), f"missing {png}; run packaging/render_icons.py"
        assert _png_size(png) == (size, size)


def test_desktop_entry_points_at_the_console_script() -> None:
    text = (PACKAGING / "io.github.cnnstudio.CNNStudio.desktop").read_text()
    assert "Exec=cnn-studio" in text and "Icon=cnn-studio" in text
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'cnn-studio = "studio.cli:main"' in pyproject


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "io.github.cnnstudio.CNNStudio.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstream_metadata_validates() -> None:
    result = subprocess.run(
        [
            "appstreamcli",
            "validate",
            "--no-net",
            str(PACKAGING / "io.github.cnnstudio.CNNStudio.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyinstaller_spec_is_python_and_bundles_resources() -> None:
    source = (PACKAGING / "cnn-studio.spec").read_text()
    ast.parse(source)
    assert '"resources"' in source and "main.py" in source
