#!/usr/bin/env bash
# Builds the packaged desktop app from this checkout:
#   packaging/dist/memex/            the one-folder bundle (run packaging/dist/memex/memex)
#   packaging/dist/memex-<version>-linux-<arch>.tar.gz   the bundle, the desktop entry,
#                                    the icons and install.sh (see packaging/README.md)
# Uses the project's virtual environment ($MEMEX_VENV, default .venv; made by
# packaging/install.sh when missing) and installs PyInstaller into it from PyPI.
# Options: --no-tarball (bundle only). Output folders: $MEMEX_DIST (default packaging/dist)
# and $MEMEX_WORK (default packaging/build), both ignored by git.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${MEMEX_VENV:-.venv}
DIST=${MEMEX_DIST:-$ROOT/packaging/dist}
WORK=${MEMEX_WORK:-$ROOT/packaging/build}
tarball=1
[ "${1:-}" = "--no-tarball" ] && tarball=0

[ -x "$VENV/bin/python" ] || packaging/install.sh
py="$VENV/bin/python"
"$py" -c 'import PyInstaller' 2>/dev/null \
  || "$py" -m pip install --disable-pip-version-check --quiet "pyinstaller>=6.11"

echo "Building the bundle into $DIST/memex (several minutes)..." >&2
# this checkout's code, not whatever an editable install points at
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$py" -m PyInstaller --noconfirm --clean \
  --log-level WARN --distpath "$DIST" --workpath "$WORK" packaging/memex.spec
bundle="$DIST/memex"
[ -x "$bundle/memex" ] || { echo "build.sh: no $bundle/memex was made" >&2; exit 1; }
for plugin in xcb wayland offscreen; do   # the platforms the bundle promises
  [ -f "$bundle/_internal/PySide6/Qt/plugins/platforms/libq$plugin.so" ] \
    || { echo "build.sh: the Qt $plugin plugin is missing from the bundle" >&2; exit 1; }
done
# a smoke start: the window opens offscreen on an empty library and closes
smoke=$(mktemp -d)
QT_QPA_PLATFORM=offscreen HOME="$smoke" "$bundle/memex" gui --library "$smoke/library" \
  --quit-after 200 2>"$smoke/err" | grep -q "^Memex — " \
  || { echo "build.sh: the bundled app did not open its window:" >&2; cat "$smoke/err" >&2; exit 1; }
rm -rf "$smoke"
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1)); check it with $bundle/memex --selftest" >&2

[ $tarball = 1 ] || exit 0
version=$("$py" -c 'import importlib.metadata as m; print(m.version("memex"))')
name="memex-$version-linux-$(uname -m)"
stage="$WORK/$name"
rm -rf "$stage" && mkdir -p "$stage"
cp -a "$bundle" "$stage/memex"
cp packaging/linux/memex.desktop packaging/linux/install.sh "$stage/"
cp resources/icons/memex.svg resources/icons/memex-*.png "$stage/"
tar -C "$WORK" -czf "$DIST/$name.tar.gz" "$name"
rm -rf "$stage"
echo "tarball: $DIST/$name.tar.gz ($(du -sh "$DIST/$name.tar.gz" | cut -f1))" >&2
