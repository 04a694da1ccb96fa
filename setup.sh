#!/usr/bin/env bash
# First command on a fresh machine: install everything, read the sample book, ask it.
set -euo pipefail
cd "$(dirname "$0")"
bash packaging/install.sh
export PATH="$PWD/.venv/bin:$PATH"
memex ingest resources/samples/alice.pdf
echo >&2
question=$(sed -n 's/^SAMPLE_QUESTION: //p' resources/samples/README.md | head -n 1)
echo "Q: $question" >&2
memex ask "$question"
