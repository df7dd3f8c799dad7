"""The core's message catalogue: language choice, templates with fields, coverage, the CLI."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.base import i18n
from studio.core.base.errors import ProjectError
from studio.core.base.paths import resources_dir
from studio.core.base.validate import require_int
from studio.core.base.wording import FIELD_WORDS
from studio.core.model.blocks import GROUPS, REGISTRY
from studio.core.model.branch_rules import STAGE_NAMES
from studio.core.model.shapes import analyze
from studio.core.project.optim_settings import INTERNAL
from studio.core.project.templates import get_template
from studio.core.project.train_settings import SCHEDULER_PARAM
from tests.helpers.evaluation_texts import displayed_texts as evaluation_texts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ko_KR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),  # LC_ALL outranks LANG
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ko_KR"}, "ko"),
        ({"LANGUAGE": "fr:ko", "LANG": "en_US.UTF-8"}, "ko"),  # the first language we speak
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_language_follows_the_environment_like_gettext(env: dict[str, str], expected: str) -> None:
    assert i18n.language_from_env(env) == expected


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("xx")


def test_messages_follow_the_language_with_fields_untouched() -> None:
    with pytest.raises(ProjectError) as en:
        require_int(40, "model.layers[0].kernel_size", 1, 31)
    i18n.set_language("ko")
    with pytest.raises(ProjectError) as ko:
        require_int(40, "model.layers[0].kernel_size", 1, 31)
    assert str(en.value) == "model.layers[0].kernel_size: must be at most 31, got 40"
    assert str(ko.value) == "model.layers[0].kernel_size: 31 이하여야 하는데 40입니다"


def test_a_shape_error_reads_in_korean_with_the_lecture_terms() -> None:
    layers = get_template("mnist-cnn").project().model.layers
    i18n.set_language("ko")
    error = analyze(layers, (1, 4, 4)).error
    assert error is not None
    assert str(error).startswith("레이어 ")
    assert "풀링(pooling)" in str(error) or "커널(kernel)" in str(error)


def test_a_translation_that_breaks_its_fields_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._state["catalogues"], "ko", {"got {value}": "잘못된 {valeur}"})
    i18n.set_language("ko")
    assert i18n.tr("got {value}", value=3) == "got 3"


def _core_templates() -> set[str]:
    found: set[str] = set()
    # the core, and the GUI's one message written before Qt is loaded (xcb_check, as core_tr)
    for path in [
        *(ROOT / "studio" / "core").rglob("*.py"),
        ROOT / "studio" / "gui" / "shell" / "xcb_check.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("tr", "core_tr")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _template_texts() -> set[str]:
    """Texts the core keeps as data, shown through ``tr(text)``: the project templates' titles and descriptions."""
    from studio.core.project.templates import TEMPLATES

    return {t.title for t in TEMPLATES.values()} | {t.description for t in TEMPLATES.values()}


def test_every_template_title_and_description_has_a_korean_translation() -> None:
    catalogue = json.loads((resources_dir() / "i18n" / "core_ko.json").read_text(encoding="utf-8"))
    assert sorted(_template_texts() - set(catalogue)) == []
    i18n.set_language("ko")
    assert i18n.tr(get_template("resnet18-transfer").title) == "ResNet-18 전이 학습"


def test_every_core_message_template_has_a_korean_translation() -> None:
    templates = _core_templates()
    assert len(templates) >= 30  # the scan finds the validators' and shape rules' messages
    catalogue = json.loads((resources_dir() / "i18n" / "core_ko.json").read_text(encoding="utf-8"))
    missing = sorted(templates - set(catalogue))
    assert missing == []
    stale = sorted(
        set(catalogue)
        - templates
        - _template_texts()
        - _registry_texts()
        - set(evaluation_texts())
        - {"a boolean", "an integer", "a number", "a string", "a list", "an object"}
    )
    # the scheduler argument labels are data (train_settings.SCHEDULER_PARAM) shown through tr(label),
    # and so are the reasons why an optimizer argument cannot be set (optim_settings.INTERNAL) and
    # the controls that the window names instead of field paths (wording.FIELD_WORDS), and the
    # stage names of a block's branch table (branch_rules.STAGE_NAMES)
    data_texts = (
        {p[1] for p in SCHEDULER_PARAM.values() if p}
        | set(INTERNAL.values())
        | set(FIELD_WORDS.values())
        | set(STAGE_NAMES)
    )
    stale = [text for text in stale if text not in data_texts]
    assert stale == []  # entries whose English template no longer exists


def test_every_data_kept_reason_has_a_korean_translation() -> None:
    catalogue = i18n.catalogue("ko")
    kept = [*INTERNAL.values(), *FIELD_WORDS.values(), *STAGE_NAMES]
    assert sorted(t for t in kept if not catalogue.get(t)) == []


def _registry_texts() -> set[str]:
    """The block registry's visible texts: group names, block help, argument names and help (shown by
    the designer through ``tr(text)``, so the literal-``tr`` scan above does not see them)."""
    texts = set(GROUPS)
    for block in REGISTRY.values():
        texts.add(block.help)
        texts.update(arg.help for arg in block.args)
        texts.update(arg.name for arg in block.args)
    return texts


def test_every_block_registry_text_has_a_korean_translation() -> None:
    texts = _registry_texts()
    assert len(texts) >= 100  # groups, every block's help, its arguments' names and help
    catalogue = i18n.catalogue("ko")
    assert sorted(t for t in texts if not catalogue.get(t)) == []
    i18n.set_language("ko")
    assert i18n.tr(REGISTRY["MaxPool2d"].help).startswith("최대 풀링")
    assert i18n.tr(REGISTRY["Conv2d"].group) == "컨볼루션"
    assert i18n.tr(REGISTRY["Conv2d"].arg("stride").name) == "스트라이드"


def test_korean_templates_keep_every_field() -> None:
    catalogue = json.loads((resources_dir() / "i18n" / "core_ko.json").read_text(encoding="utf-8"))
    import string

    for english, korean in catalogue.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert {f for _, f, _, _ in string.Formatter().parse(korean) if f} == fields, english


def _cli(args: list[str], env_lang: str | None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang:
        env["LANG"] = env_lang
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_cli_explains_a_bad_project_in_korean_from_lang_or_flag(tmp_path: Path) -> None:
    project = get_template("mnist-cnn").make()
    project["model"]["layers"][0]["kernel_size"] = 40
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(project), encoding="utf-8")
    by_env = _cli(["summary", str(bad)], "ko_KR.UTF-8", tmp_path)
    by_flag = _cli(["--lang", "ko", "summary", str(bad)], None, tmp_path)
    english = _cli(["summary", str(bad)], None, tmp_path)
    assert by_env.returncode == by_flag.returncode == english.returncode == 2
    assert by_env.stderr == by_flag.stderr
    assert "레이어 0 (Conv2d): kernel_size: 31 이하여야 하는데 40입니다" in by_env.stderr
    assert "layer 0 (Conv2d): kernel_size: must be at most 31, got 40" in english.stderr


def test_a_block_branch_table_reads_in_korean_with_its_numbers() -> None:
    """The designer's explanation of an Inception module and an MBConv (the lecture's landmark
    blocks) in Korean: the same numbers as in English, the texts translated."""
    from studio.core.model.blocks import REGISTRY
    from studio.core.model.branch_rules import branch_table

    inception = REGISTRY["Inception"].resolve(
        {
            "type": "Inception",
            "ch1x1": 64,
            "ch3x3red": 96,
            "ch3x3": 128,
            "ch5x5red": 16,
            "ch5x5": 32,
            "pool_proj": 32,
        }
    )
    mbconv = REGISTRY["MBConv"].resolve(
        {"type": "MBConv", "out_channels": 24, "expand_ratio": 6, "stride": 2}
    )
    english = [
        branch_table("Inception", (192, 28, 28), inception),
        branch_table("MBConv", (16, 56, 56), mbconv),
    ]
    i18n.set_language("ko")
    korean = [
        branch_table("Inception", (192, 28, 28), inception),
        branch_table("MBConv", (16, 56, 56), mbconv),
    ]
    for en, ko in zip(english, korean, strict=True):
        numbers = r"\d+(?:,\d{3})*(?:\.\d+)?"
        assert re.findall(numbers, en) == re.findall(numbers, ko)  # every number kept, in order
        assert "컨볼루션" in ko and "conv " not in ko and "params" not in ko
    assert "축소로" in korean[0] and "스킵 연결 없음" in korean[1]
