"""Diagnostics go through ``logging``: ``--verbose`` shows the debug lines, core never writes to
stderr itself, and the file log keeps records, warnings and uncaught exceptions."""

from __future__ import annotations

import ast
import json
import logging
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.base.logs import LOG_FILE, log_to_file, log_to_stderr, stop_logging
from studio.core.project.templates import TEMPLATES

CORE = Path(__file__).resolve().parents[2] / "studio" / "core"


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    hook = sys.excepthook
    yield
    stop_logging()
    sys.excepthook = hook


def _project(tmp_path: Path) -> str:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(TEMPLATES["sample-cnn"].make()), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("argv", [["--verbose", "summary"], ["summary", "-v"]], ids=["before", "after"])
def test_verbose_prints_debug_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    project = _project(tmp_path)
    args = argv + [project] if argv[0].startswith("-") else [argv[0], project, argv[1]]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"DEBUG studio.core.project.project_file: loaded {project}" in err


def test_without_verbose_stderr_stays_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", _project(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "total params" in captured.out and captured.err == ""


def test_calling_twice_keeps_one_handler() -> None:
    log_to_stderr(True)
    log_to_stderr(False)
    kinds = [getattr(h, "_studio_kind", None) for h in logging.getLogger("studio").handlers]
    assert kinds.count("stderr") == 1
    assert logging.getLogger("studio").level == logging.CRITICAL


def test_the_log_file_gets_records_warnings_and_uncaught_exceptions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous: list[type] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: previous.append(kind))
    path = log_to_file(tmp_path / "logs")
    assert path == tmp_path / "logs" / LOG_FILE
    logging.getLogger("studio.core.data.folder").info("scanned %d images", 7)
    logging.getLogger("studio.core.data.folder").debug("not at info level")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(True)
        warnings.warn("an odd thing", UserWarning, stacklevel=1)
    try:
        raise RuntimeError("a bug in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    for handler in logging.getLogger("studio").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "INFO studio.core.data.folder: scanned 7 images" in text
    assert "not at info level" not in text
    assert "UserWarning: an odd thing" in text
    assert "CRITICAL studio: uncaught exception" in text and "RuntimeError: a bug in a slot" in text
    assert previous == [RuntimeError]  # the hook before it still runs


def _writes_to_the_console(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
        return True
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("stderr", "stdout")
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def test_core_never_writes_to_stderr_or_stdout_directly() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        if path == CORE / "base" / "logs.py":  # the stderr handler of the log itself
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.relative_to(CORE)}:{n.lineno}" for n in ast.walk(tree) if _writes_to_the_console(n)
        ]
    assert offenders == [], "use log = logging.getLogger(__name__) instead"


def test_the_console_check_can_fail() -> None:
    tree = ast.parse("import sys\nsys.stderr.write('x')\nprint('y')\n")
    assert sum(_writes_to_the_console(n) for n in ast.walk(tree)) == 2
