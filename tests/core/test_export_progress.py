"""export_run reports its steps and can be cancelled between them, leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.base.errors import Cancelled, UserError
from studio.core.export.exporter import ExportCancelled, ExportError, export_run
from tests.helpers.runfactory import bundle_of, shared_run


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))


def test_progress_reports_every_step_in_order(tmp_path: Path) -> None:
    run = shared_run()
    seen: list[tuple[str, float]] = []
    result = export_run(
        run.path,
        "state-dict",
        tmp_path / "m.pt",
        data=bundle_of(run),
        progress=lambda m, f: seen.append((m, f)),
        cancel=lambda: False,
    )
    assert result.path == tmp_path / "m.pt" and result.path.is_file()
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and len(seen) >= 4
    assert 0 < fractions[0] < 0.5 < fractions[-1] < 1
    assert any("writing" in m for m, _ in seen) and any("reloading" in m for m, _ in seen)


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_cancel_at_any_step_writes_nothing_and_keeps_an_older_file(tmp_path: Path, step: int) -> None:
    run = shared_run()
    target = tmp_path / "m.pt"
    target.write_bytes(b"an older export")
    asked: list[int] = []
    seen: list[str] = []

    def cancel() -> bool:  # asked once before each step; says yes at the chosen one
        asked.append(1)
        return len(asked) >= step

    with pytest.raises(ExportCancelled) as info:
        export_run(
            run.path,
            "state-dict",
            target,
            data=bundle_of(run),
            progress=lambda m, f: seen.append(m),
            cancel=cancel,
            force=True,
        )
    # one cancellation type, caught by type (issue 15): not an error the user must fix
    assert isinstance(info.value, Cancelled) and not isinstance(info.value, (ExportError, UserError))
    assert len(seen) == step - 1  # stopped before reporting the cancelled step
    assert target.read_bytes() == b"an older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"]  # no temporary file left


def test_cancelled_before_start_touches_nothing(tmp_path: Path) -> None:
    run = shared_run()
    with pytest.raises(ExportCancelled):
        export_run(run.path, "onnx", tmp_path / "out" / "m.onnx", data=bundle_of(run), cancel=lambda: True)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
