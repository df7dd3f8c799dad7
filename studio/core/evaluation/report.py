"""One self-contained HTML report of a run: what a student hands in, what a practitioner attaches.

:func:`build_report` reads a run folder (``project.json``, ``metrics.jsonl``, ``classes.json``
and its checkpoint), evaluates the best checkpoint on the validation (or test) split where the
dataset can be loaded, and writes everything into one HTML page with no outside references:
the network table, the data, the settings, the curves (inline SVG), the confusion matrix, the
per-class metrics, a few of the most confident mistakes (inline PNGs) and the environment.

Every text that comes from the run (project and class names, paths, messages) is escaped:
a class folder named ``<script>`` is shown, never run.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio import __version__
from studio.core.base.errors import UserError
from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress
from studio.core.evaluation.evaluate import evaluate_run
from studio.core.model.shapes import analyze
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import read_metrics, require_run_dir

log = logging.getLogger(__name__)
REPORT_MARK = '<meta name="generator" content="cnn-studio report">'

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:980px;color:#1d2330;
line-height:1.45;padding:0 1rem}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d5dae3;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d5dae3;padding:.25rem .5rem;text-align:right}
th{background:#f1f3f7}td.l,th.l{text-align:left}.muted{color:#5b6475}
.cm td{min-width:2.2rem;text-align:center}.kv td:first-child{text-align:left;font-weight:600}
.mistakes{display:flex;flex-wrap:wrap;gap:.8rem}.mistakes figure{margin:0;text-align:center;font-size:.85rem}
.mistakes img{width:96px;height:96px;image-rendering:pixelated;border:1px solid #d5dae3}
svg text{font-size:11px;fill:#1d2330}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: Any, digits: int = 4) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return "–" if value is None else _e(value)


def _table(header: list[str], rows: list[list[Any]], cls: str = "", left: int = 1) -> str:
    head = "".join(
        f'<th class="l">{_e(h)}</th>' if i < left else f"<th>{_e(h)}</th>" for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="l">{_fmt(c)}</td>' if i < left else f"<td>{_fmt(c)}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f'<table class="{cls}"><tr>{head}</tr>{body}</table>'


def svg_curves(
    series: dict[str, list[tuple[int, float]]], title: str, width: int = 440, height: int = 220
) -> str:
    """A small line chart as inline SVG: one polyline per named series of ``(epoch, value)``."""
    points = [p for s in series.values() for p in s]
    if not points:
        return f'<p class="muted">{_e(title)}: no epochs recorded.</p>'
    colors = ["#2f6fdf", "#e07b1f", "#2a9d5c", "#b23a48"]
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    if y1 - y0 < 1e-12:
        y0, y1 = y0 - 0.5, y1 + 0.5
    left, right, top, bottom = 48, 12, 22, 28

    def sx(x: float) -> float:
        return left + (x - x0) / max(x1 - x0, 1) * (width - left - right)

    def sy(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(title)}">',
        f'<text x="{left}" y="14">{_e(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>',
        f'<text x="4" y="{sy(y1) + 4:.1f}">{y1:.3g}</text><text x="4" y="{sy(y0) + 4:.1f}">{y0:.3g}</text>',
        f'<text x="{left}" y="{height - 10}">epoch {x0}</text>',
        f'<text x="{width - right - 50}" y="{height - 10}">epoch {x1}</text>',
    ]
    for i, (name, pts) in enumerate(series.items()):
        if not pts:
            continue
        color = colors[i % len(colors)]
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(
            f'<polyline class="series" data-name="{_e(name)}" fill="none" stroke="{color}" '
            f'stroke-width="2" points="{coords}"/>'
        )
        parts.append(
            f'<text x="{width - right - 110}" y="{top + 12 + 14 * i}" fill="{color}">{_e(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _png_data_uri(image: Any) -> str:
    """A uint8 (C, H, W) tensor or array as a ``data:image/png`` URI."""
    import numpy as np
    from PIL import Image

    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[0] in (1, 3, 4):
        arr = np.transpose(arr, (1, 2, 0))
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    buf = io.BytesIO()
    Image.fromarray(arr.astype(np.uint8)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _network_section(project: Project) -> str:
    if project.model.kind == "stack":
        summary = analyze(project.model.layers, project.data.input_shape)
        rows = [
            [i.index, i.type, "x".join(map(str, i.output_shape)), i.params, i.macs] for i in summary.layers
        ]
        total = sum(i.params for i in summary.layers)
        table = _table(["#", "layer", "output shape", "parameters", "MACs"], rows, left=2)
        note = f"<p>{total:,} parameters; input {'x'.join(map(str, project.data.input_shape))}.</p>"
        if summary.error is not None:
            note += f'<p class="muted">{_e(summary.error)}</p>'
        return table + note
    m = project.model
    return _table(
        ["key", "value"],
        [["architecture", m.arch], ["weights", m.weights], ["freeze", m.freeze]],
        "kv",
        left=2,
    )


def _environment(state_seed: Any) -> list[list[Any]]:
    try:
        import torch

        torch_version = str(torch.__version__)
    except ImportError:  # pragma: no cover - torch is a dependency
        torch_version = "not installed"

    return [
        ["CNN Studio", __version__],
        ["Python", platform.python_version()],
        ["PyTorch", torch_version],
        ["platform", platform.platform()],
        ["processor", platform.machine()],
        ["CPU cores", os.cpu_count()],
        ["seed", state_seed],
        ["report written", time.strftime("%Y-%m-%d %H:%M:%S")],
    ]


def build_report(
    run_dir: str | os.PathLike[str],
    *,
    evaluate: bool = True,
    split: str = "val",
    data: Any = None,
    mistakes: int = 8,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> str:
    """The report of the run in ``run_dir`` as one HTML document (see the module docstring).

    ``evaluate=False`` (or a dataset that cannot be loaded) leaves out the evaluation's
    sections with a note saying why; ``data`` is an already loaded dataset.
    """
    run = require_run_dir(run_dir)
    try:
        raw = json.loads((run / "project.json").read_text(encoding="utf-8"))
        project = Project.from_dict(raw)
    except (OSError, ValueError) as exc:
        raise UserError(
            tr("{run}: cannot read project.json ({exc}); is this a run folder?", run=run, exc=exc)
        ) from None
    events = read_metrics(run)
    epochs = [e for e in events if e.get("event") == "epoch"]
    end: dict[str, Any] = next((e for e in reversed(events) if e.get("event") == "end"), {})
    try:
        classes = json.loads((run / "classes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        classes = []
    sections: list[str] = []
    status = end.get("status", "running or interrupted")
    facts = [
        ["project", project.name],
        ["run folder", str(run)],
        ["status", status],
        ["epochs", f"{len(epochs)} of {project.training.epochs}"],
        ["best epoch", end.get("best_epoch")],
        ["best validation accuracy", end.get("best_val_acc")],
        ["test accuracy", end.get("test_acc")],
    ]
    if end.get("message"):
        facts.append(["message", end["message"]])
    sections.append('<h2 id="summary">Summary</h2>' + _table(["", ""], facts, "kv", left=2))
    sections.append('<h2 id="network">Network</h2>' + _network_section(project))
    d = project.data
    data_rows: list[list[Any]] = [
        ["source", d.source],
        ["root", d.root or "–"],
        ["image size", "x".join(map(str, d.image_size))],
        ["channels", d.channels],
        ["validation", d.val],
        ["classes", len(classes)],
        ["augmentation", json.dumps(d.augment, ensure_ascii=False) if d.augment else "none"],
    ]
    sections.append(
        '<h2 id="data">Data</h2>'
        + _table(["", ""], data_rows, "kv", left=2)
        + (f'<p class="muted">Classes: {_e(", ".join(map(str, classes)))}</p>' if classes else "")
    )
    t = project.training
    settings: list[list[Any]] = [
        ["epochs", t.epochs],
        ["batch size", t.batch_size],
        ["optimizer", json.dumps(t.optimizer, ensure_ascii=False)],
        ["schedule", json.dumps(t.scheduler, ensure_ascii=False) if t.scheduler else "none"],
        ["label smoothing", t.label_smoothing],
        ["gradient clipping", t.grad_clip],
        ["early stopping", json.dumps(t.early_stopping) if t.early_stopping else "off"],
        ["device", t.device],
        ["seed", t.seed],
    ]
    sections.append('<h2 id="settings">Settings</h2>' + _table(["", ""], settings, "kv", left=2))

    def curve(key: str) -> list[tuple[int, float]]:
        return [(int(e["epoch"]), float(e[key])) for e in epochs if isinstance(e.get(key), (int, float))]

    sections.append(
        '<h2 id="curves">Curves</h2>'
        + svg_curves({"train loss": curve("train_loss"), "val loss": curve("val_loss")}, "loss")
        + svg_curves({"train acc": curve("train_acc"), "val acc": curve("val_acc")}, "accuracy")
    )
    sections.append(_evaluation_sections(run, evaluate, split, data, mistakes, progress, cancel))
    sections.append(
        '<h2 id="environment">Environment and seed</h2>'
        + _table(["", ""], _environment(t.seed), "kv", left=2)
    )
    title = f"{project.name} — run report"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        + REPORT_MARK
        + f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        + f'<h1>{_e(project.name)}</h1><p class="muted">Run report · {_e(run.name)}</p>'
        + "".join(sections)
        + "</body></html>\n"
    )


def _evaluation_sections(
    run: Path,
    evaluate: bool,
    split: str,
    data: Any,
    mistakes: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> str:
    head = '<h2 id="confusion">Confusion matrix</h2>'
    if not evaluate:
        return head + '<p class="muted">Not evaluated (the report was asked for without evaluation).</p>'

    try:
        ev = evaluate_run(run, split=split, data=data, progress=progress, cancel=cancel)
    except UserError as exc:
        return head + f'<p class="muted">Not evaluated: {_e(exc)}</p>'
    classes = [str(c) for c in ev.classes]
    cm = ev.confusion
    rows = []
    peak = max(int(cm.max()), 1)
    for i, name in enumerate(classes):
        cells = "".join(
            f'<td style="background:rgba(47,111,223,{0.08 + 0.8 * int(cm[i, j]) / peak:.2f})">{int(cm[i, j])}</td>'
            for j in range(len(classes))
        )
        rows.append(f'<tr><th class="l">{_e(name)}</th>{cells}</tr>')
    header = "".join(f"<th>{_e(c)}</th>" for c in classes)
    matrix = (
        f"<p>{_e(ev.split)} split, {len(ev)} images, accuracy {ev.accuracy:.4f} "
        f"({_e(ev.checkpoint)} checkpoint). Rows: true class; columns: predicted.</p>"
        f'<table class="cm"><tr><th class="l">true \\ predicted</th>{header}</tr>{"".join(rows)}</table>'
    )
    per_class = [[r["class"], r["precision"], r["recall"], r["f1"], r["support"]] for r in ev.report.rows()]
    metrics = '<h2 id="per-class">Per-class metrics</h2>' + _table(
        ["class", "precision", "recall", "F1", "images"], per_class
    )
    figures = []
    for s in ev.mistakes(mistakes):
        try:
            uri = _png_data_uri(ev.image(s.index))
        except (LookupError, OSError, ValueError) as exc:
            log.debug("report: no image for sample %s: %s", s.index, exc)
            continue
        figures.append(
            f'<figure><img alt="" src="{uri}"><figcaption>true {_e(classes[s.true])}<br>'
            f"predicted {_e(classes[s.predicted])} ({s.confidence:.0%})</figcaption></figure>"
        )
    wrong = '<h2 id="mistakes">Most confident mistakes</h2>' + (
        f'<div class="mistakes">{"".join(figures)}</div>' if figures else '<p class="muted">No mistakes.</p>'
    )
    return head + matrix + metrics + wrong


def write_report(
    run_dir: str | os.PathLike[str], out: str | os.PathLike[str], *, force: bool = False, **kwargs: Any
) -> Path:
    """Write :func:`build_report` to ``out`` atomically; an existing file that is not a report of
    ours is left alone unless ``force``."""
    target = Path(out)
    if target.is_dir():
        raise UserError(
            tr(
                "{target} is a folder; give the report's file name, e.g. {path}",
                target=target,
                path=target / "report.html",
            )
        )
    if target.exists() and not force:
        try:
            head = target.read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            head = ""
        if REPORT_MARK not in head:
            raise UserError(
                tr(
                    "{target} exists and is not a CNN Studio report; choose another name or pass --force to replace it",
                    target=target,
                )
            )
    text = build_report(run_dir, **kwargs)
    try:
        atomic_write_bytes(target, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            tr("cannot write {target}: {reason}", target=target, reason=exc.strerror or exc)
        ) from None
    return target
