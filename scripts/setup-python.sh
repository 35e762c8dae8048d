#!/usr/bin/env bash
# Creates .venv from the frozen requirements (cfn-lint, checkov, dbt-core + dbt-duckdb) and keeps it in
# step with requirements.txt: it reinstalls only when the requirements change. Idempotent and quiet.
#   scripts/setup-python.sh            install or refresh .venv
#   scripts/setup-python.sh --upgrade  re-resolve requirements.in and rewrite requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.requirements.sha256

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "setup-python: $PYTHON must be Python 3.10 or newer (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if [ "${1:-}" = "--upgrade" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r requirements.in
  { echo "# Frozen from requirements.in by scripts/setup-python.sh --upgrade; do not edit by hand."; "$VENV/bin/pip" freeze; } > requirements.txt
  sha256sum requirements.txt | cut -d' ' -f1 > "$STAMP"
  echo "setup-python: requirements.txt re-resolved"
  exit 0
fi

wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
  exit 0
fi

if [ -x "$VENV/bin/python" ]; then
  # requirements.txt changed: bring the existing environment to the new pins (adds and upgrades;
  # a fresh clone, as in CI, always starts from an empty .venv).
  echo "setup-python: requirements.txt changed; updating $VENV"
else
  echo "setup-python: installing the Python tools into $VENV (first run takes a few minutes)"
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet -r requirements.txt
echo "$wanted" > "$STAMP"
echo "setup-python: ready"
