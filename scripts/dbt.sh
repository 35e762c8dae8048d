#!/usr/bin/env bash
# Runs dbt on the project in dbt/ with the repository's Python environment, offline and without usage
# statistics: `bash scripts/dbt.sh build`, `bash scripts/dbt.sh source freshness`, ...
# `bash scripts/dbt.sh sqlfluff lint models snapshots macros` runs sqlfluff the same way: from dbt/,
# where its .sqlfluff (dbt templater) must sit to take effect.
# DBT_VENV selects another virtualenv (e.g. one that also holds sqlfluff); the default is .venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${DBT_VENV:-$root/.venv}"
if [[ ! -x "$venv/bin/dbt" ]]; then
  echo "dbt is not installed in $venv: run scripts/setup-python.sh first." >&2
  exit 1
fi
export DBT_PROFILES_DIR="$root/dbt"
export DBT_PROJECT_DIR="$root/dbt"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DO_NOT_TRACK=1
cd "$root/dbt"
if [[ "${1:-}" == sqlfluff ]]; then
  shift
  exec "$venv/bin/sqlfluff" "$@"
fi
exec "$venv/bin/dbt" "$@"
