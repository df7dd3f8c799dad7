#!/usr/bin/env bash
# Build the one-folder desktop bundle: dist/cnn-studio/ (run from anywhere).
# Needs the studio installed in the active Python environment, plus `pip install pyinstaller`.
# Validates the Linux desktop entry and AppStream metadata when the Debian tools are present
# (apt-get install desktop-file-utils appstream).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
cd "$root"
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icons.py >/dev/null
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate packaging/io.github.cnnstudio.CNNStudio.desktop
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net packaging/io.github.cnnstudio.CNNStudio.metainfo.xml
fi
"$python" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/cnn-studio.spec
echo "bundle: $root/dist/cnn-studio ($(du -sh dist/cnn-studio | cut -f1))"
