#!/usr/bin/env bash
# Second command: install (when needed) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash packaging/install.sh
exec .venv/bin/python -m pytest -q "$@"
