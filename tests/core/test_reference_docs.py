"""The reference docs in the repository: generated parts current, every command documented, no
pointer to a contract outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studio.docs_reference import REGIONS, command_names, render, stale_files

ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_docs_are_current() -> None:
    assert stale_files(ROOT) == [], "run: python tools/make_docs.py"


def test_every_registered_command_and_option_is_in_cli_md() -> None:
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    names = command_names()
    assert {"templates", "new", "summary", "train", "schema"} <= set(names)
    for name in names:
        assert f"### `{name}`" in text
    for option in ("--resume RUN_DIR", "--top-k", "--min-per-class N", "--version"):
        assert option in text


def test_a_stale_region_is_noticed(tmp_path: Path) -> None:
    for rel in REGIONS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        text = (ROOT / rel).read_text(encoding="utf-8")
        (tmp_path / rel).write_text(text.replace("| `", "| `x", 1), encoding="utf-8")
    assert sorted(stale_files(tmp_path)) == sorted(REGIONS)


def test_missing_markers_are_an_error() -> None:
    with pytest.raises(ValueError, match="generated: keys"):
        render("no markers here", REGIONS["docs/project-format.md"], "x.md")


def test_the_readme_links_the_reference_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/project-format.md", "docs/cli.md", "docs/architecture.md", "docs/contract.md"):
        assert f"]({doc})" in readme
        assert (ROOT / doc).is_file()


def test_no_file_points_to_a_contract_outside_the_repository() -> None:
    pattern = re.compile(r"\bSPEC\b")
    hits = []
    for folder in ("studio", "tests", "docs", "tools", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md") and path.is_file():
                text = path.read_text(encoding="utf-8")
                hits += [
                    f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
                    for m in pattern.finditer(text)
                ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hits += ["README.md" for _ in pattern.finditer(readme)]
    assert hits == []


def test_every_documented_object_name_is_set_in_the_gui() -> None:
    contract = (ROOT / "docs/contract.md").read_text(encoding="utf-8")
    table = contract.split("| objectName | what |", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"^\| `(\w+)` \|", table, re.M)
    assert len(names) >= 15
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "studio/gui").rglob("*.py"))
    assert [n for n in names if f'"{n}"' not in sources] == []
