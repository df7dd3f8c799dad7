"""The core's own messages reach a Korean user in Korean, from every area: the project file, the
data (IDX files, folders, the health check, downloads), exports, sweeps, training failures and
the CLI. Field values (paths, numbers, names) stay exactly as they are; English is unchanged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest

from studio.core.base import i18n
from studio.core.base.errors import ProjectError, UserError
from studio.core.data.datasets import load_data
from studio.core.data.download import DownloadError, download_source
from studio.core.data.errors import DatasetError
from studio.core.data.health import scan_health
from studio.core.data.sources import read_idx
from studio.core.export.exporter import FORMATS, export_run
from studio.core.export.formats import ExportError
from studio.core.project.project_file import Project, load_project, save_project
from studio.core.runs.run_folder import RunError
from studio.core.training.failures import describe_failure
from studio.core.training.sweep import parse_param
from tests.helpers.datagen import write_class_folder, write_mnist

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def studio_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path_factory.mktemp("studio-home")))


def in_both(make_error) -> tuple[str, str]:
    """``str(error)`` of ``make_error()`` in English, then in Korean."""
    texts = []
    for lang in ("en", "ko"):
        i18n.set_language(lang)
        texts.append(str(make_error()))
    return texts[0], texts[1]


def raised(call, kind: type[BaseException] = UserError):
    def make():
        with pytest.raises(kind) as err:
            call()
        return err.value

    return make


def test_a_malformed_project_file_is_explained_in_korean(tmp_path: Path) -> None:
    bad = tmp_path / "나쁜 project.json"
    bad.write_text('{"name": "x",\n  "data": [1, 2,,]}', encoding="utf-8")
    en, ko = in_both(raised(lambda: load_project(bad), ProjectError))
    assert en.startswith(f"{bad} is not valid JSON (line 2, column")
    assert HANGUL.search(ko) and "올바른 JSON이 아닙니다" in ko
    assert str(bad) in ko and "2행" in ko  # the path and the line number, untouched

    missing = tmp_path / "nowhere.json"
    en, ko = in_both(raised(lambda: load_project(missing), ProjectError))
    assert en == f"{missing} does not exist"
    assert ko == f"{missing}가 없습니다"


def test_a_project_field_error_keeps_its_path_and_translates_its_fix(tmp_path: Path) -> None:
    raw = {"name": "p", "data": {"source": "mnist", "channels": 3}, "model": {"kind": "pretrained"}}
    raw["model"]["arch"] = "resnet9000"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    en, ko = in_both(raised(lambda: load_project(path), ProjectError))
    assert en.startswith("model.arch: must be one of ") and en.endswith('got "resnet9000"')
    assert ko.startswith("model.arch: ") and '"resnet9000"입니다' in ko and HANGUL.search(ko)


def test_a_corrupt_idx_file_and_a_missing_folder_are_korean_data_errors(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=40, n_test=10)
    images = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte"
    whole = images.stat().st_size
    images.write_bytes(images.read_bytes()[: whole - 100])
    project = Project.from_dict(
        {"name": "m", "data": {"source": "mnist", "root": str(tmp_path), "download": False}}
    )
    raw = tmp_path / "MNIST" / "raw"
    en, ko = in_both(raised(lambda: load_data(project), DatasetError))
    assert en.startswith(f"MNIST in {raw} cannot be read (")
    assert ko.startswith(f"{raw}의 MNIST을(를) 읽을 수 없습니다(") and "다시 내려받거나" in ko
    # the IDX reader itself: the byte counts stay as they are
    cut = images.read_bytes()
    en, ko = in_both(raised(lambda: read_idx(cut, str(images)), DatasetError))
    assert en == f"{images} is truncated or corrupt: {whole - 100} bytes, expected {whole}"
    assert ko == f"{images}이(가) 잘렸거나 손상되었습니다: {whole - 100}바이트인데 {whole}바이트여야 합니다"

    nowhere = tmp_path / "없는 폴더"
    folder = Project.from_dict({"name": "f", "data": {"source": "folder", "root": str(nowhere)}})
    en, ko = in_both(raised(lambda: load_data(folder), DatasetError))
    assert en.startswith(f"dataset folder {nowhere} does not exist; expected {nowhere}/<class name>/")
    assert ko.startswith(f"데이터셋 폴더 {nowhere}가 없습니다") and f"{nowhere}/<클래스 이름>/" in ko


def test_the_health_report_lines_are_korean_with_names_and_counts_kept(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    write_class_folder(root, {"고양이": 40, "dog": 200}, per_class=12)
    write_class_folder(root, {"rare": 120}, per_class=3)
    (root / "dog" / "broken.png").write_bytes(b"not a png at all")
    project = Project.from_dict(
        {"name": "h", "data": {"source": "folder", "root": str(root), "image_size": [16, 16]}}
    )
    report = scan_health(project)
    i18n.set_language("en")
    en = report.warnings()
    i18n.set_language("ko")
    ko = report.warnings()
    assert "1 unreadable file(s) will be skipped" in en
    assert "class 'rare' has only 3 training image(s) (fewer than 10)" in en
    assert "읽을 수 없는 파일 1개는 건너뜁니다" in ko
    assert "클래스 'rare'의 학습 이미지가 3장뿐입니다(10장 미만)" in ko
    assert len(ko) == len(en) and all(HANGUL.search(line) for line in ko)
    # the per-file reason is Korean too (scanned again in Korean)
    reasons = dict(scan_health(project).unreadable)
    assert HANGUL.search(reasons[str(root / "dog" / "broken.png")])


def test_a_download_without_network_is_explained_in_korean(tmp_path: Path) -> None:
    def offline(url: str, timeout: float):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    en, ko = in_both(raised(lambda: download_source("mnist", tmp_path, opener=offline), DownloadError))
    raw = tmp_path / "MNIST" / "raw"
    assert en.startswith("could not download mnist: no network access or the server did not answer.")
    assert "네트워크에 연결할 수 없거나 서버가 응답하지 않았습니다" in ko
    assert "mnist" in ko and str(raw) in ko and "train-images-idx3-ubyte.gz" in ko
    assert "다시 시도하세요." in ko


def test_export_errors_are_korean(tmp_path: Path) -> None:
    en, ko = in_both(raised(lambda: export_run(tmp_path, "keras", tmp_path / "x"), ExportError))
    assert en == f"unknown export format 'keras'; choose one of: {', '.join(FORMATS)}"
    assert ko == f"알 수 없는 내보내기 형식 'keras'입니다. 다음 중 하나를 고르세요: {', '.join(FORMATS)}"
    en, ko = in_both(raised(lambda: export_run(tmp_path, "onnx", tmp_path / "x.onnx"), RunError))
    assert en.startswith(f"{tmp_path} is not a trained run folder")
    assert ko.startswith(f"{tmp_path}은(는) 학습된 실행 폴더가 아닙니다") and "checkpoints/best.pt" in ko


@pytest.mark.parametrize(
    ("text", "korean"),
    [
        ("training.batch_size=64", "선택지를 두 개 이상"),
        ("training.batch_size=1.5:8:int", "정수가 필요합니다"),
        ("training.optimizer.lr=1e-1:1e-4", "LOW는 HIGH보다 작아야 합니다"),
    ],
)
def test_sweep_errors_are_korean_and_quote_the_parameter(text: str, korean: str) -> None:
    en, ko = in_both(raised(lambda: parse_param(text)))
    assert en.startswith(f"--param {text!r}: ") and ko.startswith(f"--param {text!r}: ")
    assert korean in ko and not HANGUL.search(en)


def test_a_training_failure_is_told_in_korean_with_its_numbers() -> None:
    project = Project.from_dict({"name": "t", "data": {"source": "mnist", "image_size": [28, 28]}})
    project.training.batch_size = 256
    oom = RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
    en, ko = in_both(lambda: describe_failure(oom, project)[0])
    assert en.startswith("training ran out of memory at batch size 256 with 28x28 images")
    assert "(try 128)" in en
    assert "배치 크기 256, 28x28 이미지" in ko and "예: 128" in ko and "training.batch_size" in ko


def test_every_new_korean_message_is_korean() -> None:
    """A catalogue entry copied over in English (no Hangul) would pass the coverage test."""
    catalogue = i18n.catalogue("ko")
    english_only = [
        en for en, ko in catalogue.items() if not HANGUL.search(ko) and re.search(r"[a-z]{4,} [a-z]{4,}", ko)
    ]
    assert english_only == []


def _cli(args: list[str], tmp_path: Path, lang: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    if lang:
        env["LANG"] = lang
    env["PYTHONPATH"] = str(ROOT)
    env["CNN_STUDIO_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_check_data_prints_a_korean_error_under_a_korean_locale(tmp_path: Path) -> None:
    nowhere = tmp_path / "사진들"
    bad = tmp_path / "bad.json"
    save_project(Project.from_dict({"name": "b", "data": {"source": "folder", "root": str(nowhere)}}), bad)
    ko = _cli(["check-data", str(bad)], tmp_path, "ko_KR.UTF-8")
    en = _cli(["check-data", str(bad)], tmp_path, None)
    assert ko.returncode == en.returncode == 2
    assert en.stderr.startswith(f"error: dataset folder {nowhere} does not exist")
    assert ko.stderr.startswith(f"error: 데이터셋 폴더 {nowhere}가 없습니다")
    assert len(ko.stderr.strip().splitlines()) == 1 and "Traceback" not in ko.stderr


def test_the_window_names_controls_in_korean_instead_of_field_paths(tmp_path: Path) -> None:
    from studio.core.base.wording import in_gui_words

    afile = tmp_path / "a file"
    afile.write_text("not a folder")
    i18n.set_language("ko")
    with pytest.raises(UserError) as err:
        download_source("mnist", afile)
    assert str(err.value).startswith("data.root: ")
    shown = in_gui_words(str(err.value))
    assert shown.startswith(str(afile)) and "만들 수 없습니다" in shown and "data.root" not in shown
    assert shown.endswith("쓰기 가능한 폴더를 고르세요.")
    message = "model.layers[3].kernel_size: must be a positive integer, got -1"
    assert in_gui_words(message).startswith("레이어 3 ")
    lowered = in_gui_words("data.root: cannot create /x (Permission denied); lower training.optimizer.lr")
    assert "학습률(학습 페이지)" in lowered and "/x" in lowered and "the " not in lowered
