""" "Run on a cluster...": reached from the File menu and the Train page; writes the bundle with
the core's write_cluster_bundle into tmp_path and shows the files, the torchrun command, the
SLURM script and the notes; refuses bad input in the dialog. The Train page's left column is
never clipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea

from studio.core.project.project_file import save_project
from studio.core.project.templates import get_template
from studio.gui.shell.cluster_dialog import ClusterDialog, default_folder

WAIT_MS = 60_000


def _open_mnist(main_window: Any, tmp_path: Path) -> Path:
    project = get_template("mnist-cnn").project()
    project.name = "digits run"
    path = tmp_path / "digits.json"
    save_project(project, path)
    assert main_window.files.open_path(path)
    main_window.show_page("Design")
    return path


def _written(qtbot: Any, dialog: ClusterDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT_MS)


def test_file_menu_dialog_writes_a_gpu_bundle(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    path = _open_mnist(main_window, tmp_path)
    file_menu = main_window.menuBar().actions()[0].menu()
    assert main_window.cluster_action in file_menu.actions()
    main_window.cluster_action.trigger()
    dialog = main_window.findChild(ClusterDialog, "clusterDialog")
    assert dialog is not None and dialog.isVisible()
    assert Path(dialog.folder.text()) == path.parent / "digits-run-cluster" == default_folder(main_window.ctx)
    # an unsaved edit is part of what is written: the dialog writes the document, not the file
    main_window.ctx.push(main_window.ctx.document.set_field("training", "epochs", 7))
    main_window.ctx.push(main_window.ctx.document.set_field("data", "download", False))  # gives a note
    out = tmp_path / "bundle"
    dialog.folder.setText(str(out))
    dialog.nodes.setValue(2)
    dialog.gpus.setValue(4)
    assert dialog.procs.value() == 4 and not dialog.procs.isEnabled()
    dialog.time_limit.setText("1-02:00:00")
    dialog.partition.setText("gpu")
    assert dialog.write_bundle()
    _written(qtbot, dialog)
    assert dialog.error.isHidden(), dialog.error.text()
    written = json.loads((out / "project.json").read_text(encoding="utf-8"))
    assert written["training"]["epochs"] == 7 and written["training"]["device"] == "auto"
    run_sh = (out / "run.sh").read_text(encoding="utf-8")
    assert (
        "torchrun --standalone --nnodes 1 --local-addr 127.0.0.1 --nproc_per_node 4 -m studio train project.json"
        in run_sh
    )
    slurm = (out / "job.slurm").read_text(encoding="utf-8")
    for line in (
        "#SBATCH --nodes=2",
        "#SBATCH --gpus-per-node=4",
        "#SBATCH --partition=gpu",
        "#SBATCH --time=1-02:00:00",
    ):
        assert line in slurm
    assert (out / "README.txt").is_file()
    report = dialog.report.toPlainText()
    assert f"Wrote {out}" in report
    assert (
        "torchrun --standalone --nnodes 1 --local-addr 127.0.0.1 --nproc_per_node 4" in report
    )  # the run.sh command
    assert "srun torchrun --nnodes 2" in report  # the SLURM script's line
    assert "Check on the cluster" in report and "must be under data.root" in report  # the notes
    assert dialog.bundle.notes and all(note in report for note in dialog.bundle.notes)
    assert dialog.open_button.isEnabled()
    dialog.close()


def test_train_page_button_opens_a_cpu_bundle_dialog(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    _open_mnist(main_window, tmp_path)
    page = main_window.show_page("Train")
    button = page.findChild(QPushButton, "clusterButton")
    assert button is not None and button.isVisible()
    button.click()
    dialog = page.findChild(ClusterDialog, "clusterDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.gpus.setValue(0)
    assert dialog.procs.isEnabled()
    dialog.procs.setValue(3)
    dialog.folder.setText(str(tmp_path / "cpu"))
    assert dialog.options()["procs_per_node"] == 3 and dialog.options()["partition"] is None
    assert dialog.write_bundle()
    _written(qtbot, dialog)
    slurm = (tmp_path / "cpu" / "job.slurm").read_text(encoding="utf-8")
    assert "--gpus-per-node" not in slurm and "--partition" not in slurm
    assert "--nproc_per_node 3" in (tmp_path / "cpu" / "run.sh").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "cpu" / "project.json").read_text())["training"]["device"] == "cpu"
    dialog.close()


def test_errors_are_shown_in_the_dialog(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    _open_mnist(main_window, tmp_path)
    dialog = main_window.run_on_cluster()
    dialog.folder.setText(str(tmp_path / "never"))
    dialog.time_limit.setText("tomorrow")
    assert dialog.write_bundle()
    _written(qtbot, dialog)
    assert (
        not dialog.error.isHidden()
        and "time limit" in dialog.error.text()
        and "tomorrow" in dialog.error.text()
    )
    assert not (tmp_path / "never" / "job.slurm").exists() and dialog.bundle is None
    # a folder that cannot be created: a file is in the way
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialog.time_limit.setText("02:00:00")
    dialog.folder.setText(str(blocker / "sub"))
    assert dialog.write_bundle()
    _written(qtbot, dialog)
    assert not dialog.error.isHidden() and str(blocker / "sub") in dialog.error.text()
    # a design that cannot train is refused before anything is written
    doc = main_window.ctx.document
    main_window.ctx.push(doc.insert_layers(0, [{"type": "Linear", "out_features": 5}]))
    dialog.folder.setText(str(tmp_path / "blocked"))
    assert not dialog.write_bundle()
    assert "cannot train" in dialog.error.text() and not (tmp_path / "blocked").exists()
    dialog.close()


def test_train_page_left_column_is_not_clipped(main_window: Any, qtbot: Any, tmp_path: Path) -> None:
    main_window.files.new_from_template("resnet18-transfer", ask=False)
    page = main_window.show_page("Train")
    scroll = page.findChild(QScrollArea)
    for template in (
        "mnist-cnn",
        "resnet18-transfer",
        "cifar10-cnn",
    ):  # rows appear and go as settings change
        main_window.files.new_from_template(template, ask=False)
        main_window.show_page("Train")
        for _ in range(5):
            QApplication.processEvents()
        viewport = scroll.viewport()
        right = page.stopButton.mapTo(viewport, page.stopButton.rect().topRight()).x()
        assert right < viewport.width(), template
        assert scroll.widget().width() <= viewport.width(), template
