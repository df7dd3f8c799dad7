"""Print the English texts left in the Korean studio, page by page: ``python tools/untranslated.py``.

Opens the main window in Korean (offscreen), visits every page, and lists each visible text
that still holds an English word outside the allow-list (``studio/gui/common/i18n_audit.py``). What it
prints is what ``tests/gui/test_i18n_coverage.py`` counts.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from studio.core.model.blocks import REGISTRY
    from studio.core.project.templates import TEMPLATES
    from studio.gui.common.i18n import install_language
    from studio.gui.common.i18n_audit import untranslated
    from studio.gui.shell.pages import PAGES

    app = QApplication.instance() or QApplication([])
    install_language("ko")
    from studio.app import create_main_window

    window = create_main_window()
    window.resize(1280, 800)
    window.show()
    allowed = list(REGISTRY) + list(TEMPLATES)
    window.files.new_from_template("sample-cnn", ask=False)
    report: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for spec in PAGES:
        page = window.show_page(spec.title)
        app.processEvents()
        report[spec.title] = untranslated(page, allowed)
    report["menus"] = [(w, t) for w, t in untranslated(window.menuBar(), allowed)]
    total = 0
    for page, rows in report.items():
        print(f"== {page}: {len(rows)}")
        for where, text in rows:
            print(f"   {where}: {text!r}")
        total += len(rows)
    print(f"total: {total}")
    window.ctx.document.reset(window.ctx.document.project)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
