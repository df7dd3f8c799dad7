"""The HTML run report: every section filled from the run's files, names escaped, nothing overwritten."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.base.errors import UserError
from studio.core.evaluation.report import build_report, svg_curves, write_report
from studio.core.runs.run_folder import append_metric
from tests.helpers.runfactory import CLASSES, bundle_of, make_run


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            value = a.get(key)
            if value and not value.startswith("data:"):
                self.external.append(value)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    made = make_run(tmp_path_factory.mktemp("report"), steps=40)
    for epoch, (tl, vl, ta, va) in enumerate([(1.0, 0.9, 0.5, 0.6), (0.6, 0.7, 0.8, 0.85)], start=1):
        append_metric(
            made.path,
            {
                "event": "epoch",
                "epoch": epoch,
                "train_loss": tl,
                "val_loss": vl,
                "train_acc": ta,
                "val_acc": va,
            },
        )
    return made


def test_every_section_is_filled_from_the_run(run) -> None:  # type: ignore[no-untyped-def]
    text = build_report(run.path, data=bundle_of(run))
    parsed = _Collector()
    parsed.feed(text)
    assert parsed.ids == [
        "summary",
        "network",
        "data",
        "settings",
        "curves",
        "confusion",
        "per-class",
        "mistakes",
        "environment",
    ]
    assert parsed.scripts == 0 and parsed.external == []  # self-contained
    assert "Not evaluated" not in text
    for name in CLASSES:
        assert f"<th>{name}</th>" in text
    # the confusion matrix counts every validation image once
    cells = re.search(r'<table class="cm">(.*?)</table>', text, flags=re.S)
    assert cells is not None
    counts = [int(v) for v in re.findall(r"<td[^>]*>(\d+)</td>", cells.group(1))]
    assert sum(counts) == len(bundle_of(run).val)
    assert text.count('class="series"') == 4  # train/val loss and accuracy curves
    assert "Conv2d" in text  # the network table


def test_names_from_the_run_are_shown_not_run(tmp_path: Path) -> None:
    made = make_run(tmp_path, steps=5)
    project = json.loads((made.path / "project.json").read_text(encoding="utf-8"))
    project["name"] = '<script>alert("x")</script>'
    (made.path / "project.json").write_text(json.dumps(project), encoding="utf-8")
    text = build_report(made.path, evaluate=False)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "Not evaluated" in text


def test_an_existing_foreign_file_is_not_replaced(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    thesis = tmp_path / "thesis.html"
    thesis.write_text("<p>my thesis</p>", encoding="utf-8")
    with pytest.raises(UserError, match="not a CNN Studio report"):
        write_report(run.path, thesis, evaluate=False)
    assert thesis.read_text(encoding="utf-8") == "<p>my thesis</p>"
    out = write_report(run.path, tmp_path / "report.html", evaluate=False)
    again = write_report(run.path, out, evaluate=False)  # our own report may be refreshed
    assert again == out and "cnn-studio report" in out.read_text(encoding="utf-8")


def test_cli_writes_the_report(run, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    assert main(["report", str(run.path), "-o", str(out)]) == 0
    assert out.exists() and "wrote" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "nope"), "-o", str(out)]) == 2


def test_svg_curves_scale_to_their_data() -> None:
    svg = svg_curves({"a": [(1, 0.0), (2, 1.0)]}, "acc")
    assert svg.startswith("<svg") and 'data-name="a"' in svg
    assert "no epochs" in svg_curves({"a": []}, "acc")
