"""Issue 20 item 6: undecodable folder names and odd project names round-trip through a run;
``predict`` copes with an ASCII stdout."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.base.files import json_text
from studio.core.project.project_file import load_project, save_project
from studio.core.runs.run_folder import load_checkpoint
from tests.helpers.runfactory import CLASSES, make_images, make_project, write_folder_dataset

BAD_NAME = os.fsdecode(b"caf\xe9")  # Latin-1 bytes on a UTF-8 system: a lone surrogate
PROJECT_NAME = '숫자 "quoted" \\ {name}'


def test_a_project_name_with_a_lone_surrogate_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "cnn-studio/1", "name": "digits \udc80"}))  # "\udc80" in the file
    for command in ("summary", "train"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: name: contains an invalid character") and "\n" not in err


def test_json_text_round_trips_lone_surrogates() -> None:
    value = {"name": "숫자 \udc80", "classes": [BAD_NAME, "고양이"]}
    text = json_text(value, indent=1)
    text.encode("utf-8")  # always writable
    assert json.loads(text) == value
    assert "고양이" in json_text({"k": "고양이"})  # readable when it can be


@pytest.mark.skipif(
    sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8",
    reason="undecodable file names need a bytes file system with UTF-8 names",
)
def test_a_run_with_an_undecodable_class_folder_and_odd_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    root = tmp_path / "data"
    paths = write_folder_dataset(root, *make_images(6))
    os.rename(root / CLASSES[0], os.fsencode(root) + b"/caf\xe9")
    classes = sorted([BAD_NAME, *CLASSES[1:]])
    project = make_project(root)
    project.name = PROJECT_NAME
    project_path = tmp_path / "p.json"
    save_project(project, project_path)
    assert load_project(project_path).name == PROJECT_NAME
    run = tmp_path / "run"
    assert main(["train", str(project_path), "--out", str(run), "--epochs", "1"]) == 0, (
        capsys.readouterr().err
    )
    capsys.readouterr()
    assert json.loads((run / "classes.json").read_text(encoding="utf-8")) == classes
    assert json.loads((run / "project.json").read_text(encoding="utf-8"))["name"] == PROJECT_NAME
    state = load_checkpoint(run / "checkpoints" / "last.pt")
    assert state["classes"] == classes

    # predict on an ASCII terminal: names escaped, no crash, exit 0
    image = str(paths[1])
    for extra in ([], ["--json"]):
        raw = io.BytesIO()
        ascii_out = io.TextIOWrapper(raw, encoding="ascii")
        monkeypatch.setattr(sys, "stdout", ascii_out)
        code = main(["predict", str(run), image, "--top-k", "3", *extra])
        ascii_out.flush()
        monkeypatch.undo()
        monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
        out = raw.getvalue().decode("ascii")
        assert code == 0 and image in out
        if extra:
            doc = json.loads(out)
            assert doc["classes"] == classes  # JSON's own escapes: the names come back exact
        else:
            assert "caf\\udce9" in out or "caf\\xe9" in out
