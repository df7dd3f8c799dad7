"""Resource lookup: a checkout finds resources/ beside studio/, a wheel install under <prefix>/share."""

from __future__ import annotations

import sys
from pathlib import Path

from studio.core.base import paths


def test_checkout_resources_hold_the_sample() -> None:
    assert (paths.resources_dir() / "sample" / "train-images-idx3-ubyte.gz").is_file()


def test_wheel_install_falls_back_to_prefix_share(tmp_path: Path, monkeypatch) -> None:
    fake_pkg = tmp_path / "site" / "studio" / "core" / "paths.py"
    fake_pkg.parent.mkdir(parents=True)
    shared = tmp_path / "prefix" / "share" / "cnn-studio" / "resources"
    shared.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(fake_pkg))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert paths.resources_dir() == shared


def test_user_data_dir_honours_override(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))
    assert paths.user_data_dir() == tmp_path / "home"
