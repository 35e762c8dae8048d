#!/usr/bin/env bash
# Benchmarks `dbt build` on a large generated bronze data set (a benchmark, not a test).
#
#   bash scripts/bench-dbt.sh [ORDERS]   default 1000000 orders (~4 change events each, ~8.3 million landing rows)
#
# 1. Landing data (not timed as dbt): dbt/sample_data/generate_bronze.py writes the eight landing datasets as
#    CSV (seeded, so deterministic for a given ORDERS) with the same dirt as the committed seeds, and
#    dbt/sample_data/load_landing.py loads them into a DuckDB file as the landing tables of the `bench` target
#    (dataset columns as text, ingestion metadata typed, exactly like the seeds). Both are pure functions of
#    their inputs, so that landing-only file is cached under PLATFORM_CACHE_DIR (default
#    ~/.cache/cloud-platform-solutions)/dbt-bench/<key>, the key hashing both scripts, their arguments and the
#    DuckDB version: generating 1,000,000 orders is ~5 minutes of pure Python, paid once.
# 2. Cold build (the figure): a fresh database (a copy of the landing-only file: landing tables, no dbt schema)
#    and a fresh target dir (no manifest, so a full parse), then `dbt build --target bench` of everything except
#    the landing seeds (the reference seed loads as usual) and the after_build tests, timed from the start of
#    the dbt process to its end.
# 3. Incremental build: the same command again (incremental models take their incremental path).
#
# dbt runs through scripts/dbt-offline.py: no usage statistics, and any connect or name lookup fails the
# bench (the DuckDB profiles also forbid downloading extensions). The scratch directory (BENCH_DIR, default
# /tmp/dbt-bench) keeps the database, dbt's target/ and logs, and each build's log and run_results.json.
# DBT_BENCH_THREADS sets dbt's threads (default 2, profiles.yml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
orders="${1:-1000000}"
if ! [[ "$orders" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-dbt: ORDERS must be a positive whole number of orders, got \"$orders\" (e.g. 1000000)" >&2
  exit 2
fi
events_per_order=1
scratch="${BENCH_DIR:-/tmp/dbt-bench}"
python="$root/.venv/bin/python"
if [[ ! -x "$python" ]]; then
  echo "bench-dbt: $python is missing: run scripts/setup-python.sh first." >&2
  exit 1
fi
export DBT_BENCH_DUCKDB_PATH="$scratch/bench.duckdb"
# Keep dbt's artefacts apart from the project's own target/ so a bench never disturbs a local build.
export DBT_TARGET_PATH="$scratch/target" DBT_LOG_PATH="$scratch/logs"

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t_start=$(seconds)

# --- 1. landing data, cached by what produces it ---------------------------------------------------------
duckdb_version=$("$python" -c 'import duckdb; print(duckdb.__version__)')
key=$(
  {
    cat "$root/dbt/sample_data/generate_bronze.py" "$root/dbt/sample_data/load_landing.py"
    echo "orders=$orders events_per_order=$events_per_order duckdb=$duckdb_version"
  } | sha256sum | cut -c1-16
)
cache="${PLATFORM_CACHE_DIR:-$HOME/.cache/cloud-platform-solutions}/dbt-bench/$key"
landing_note="cached in $cache"
if [[ ! -f "$cache/landing.duckdb" ]]; then
  work="$cache.partial.$$"
  rm -rf "$work" && mkdir -p "$work"
  trap 'rm -rf "$work"' EXIT
  g0=$(seconds)
  python3 "$root/dbt/sample_data/generate_bronze.py" --orders "$orders" --events-per-order "$events_per_order" \
    --out "$work/csv" --reference-out "$work/reference" > "$work/generate.txt"
  g1=$(seconds)
  "$python" "$root/dbt/sample_data/load_landing.py" "$work/csv" "$work/landing.duckdb" > "$work/load.txt"
  g2=$(seconds)
  rm -rf "$work/csv" "$work/reference"
  echo "generated in $(elapsed "$g0" "$g1") s, loaded in $(elapsed "$g1" "$g2") s" > "$work/made.txt"
  mkdir -p "$(dirname "$cache")" && rm -rf "$cache" && mv "$work" "$cache"
  trap - EXIT
  landing_note="new, $(cat "$cache/made.txt"); cached in $cache"
fi

# --- 2. and 3. the builds ------------------------------------------------------------------------------
run_build() { # $1: cold | incremental; prints the wall time
  local start end
  start=$(seconds)
  "$python" "$root/scripts/dbt-offline.py" build --target bench --exclude path:seeds/bronze tag:after_build > "$scratch/$1.log" 2>&1 || {
    tail -40 "$scratch/$1.log" >&2
    echo "bench-dbt: the $1 build failed (exit above; the log is $scratch/$1.log)" >&2
    exit 1
  }
  end=$(seconds)
  cp "$DBT_TARGET_PATH/run_results.json" "$scratch/$1.run_results.json"
  elapsed "$start" "$end"
}
counts() { grep -E "Done\. PASS" "$scratch/$1.log" | sed 's/^.*Done\. //'; }

rm -rf "$scratch" && mkdir -p "$scratch"
cp "$cache/landing.duckdb" "$DBT_BENCH_DUCKDB_PATH"
cold=$(run_build cold)
incremental=$(run_build incremental)
t_end=$(seconds)

# --- report --------------------------------------------------------------------------------------------
"$python" - "$scratch" "$orders" "$cold" "$incremental" "$(counts cold)" "$(counts incremental)" \
  "$landing_note" "$(elapsed "$t_start" "$t_end")" "$(nproc)" <<'PY'
import json
import sys
from importlib.metadata import version

import duckdb

scratch, orders, cold, incremental, cold_counts, incremental_counts, landing_note, total, cores = sys.argv[1:]
con = duckdb.connect(f"{scratch}/bench.duckdb", read_only=True)
tables = [t for (t,) in con.execute("select table_name from information_schema.tables where table_schema = 'main_landing' order by 1").fetchall()]
rows = {t: con.execute(f"select count(*) from main_landing.{t}").fetchone()[0] for t in tables}
results = json.load(open(f"{scratch}/cold.run_results.json"))
threads = next(line.split("Concurrency: ")[1].split(" ")[0] for line in open(f"{scratch}/cold.log") if "Concurrency: " in line)
nodes = sorted(results["results"], key=lambda r: -r["execution_time"])

print(f"dbt bench: {int(orders):,d} orders, {sum(rows.values()):,d} landing rows in {len(rows)} tables; {cores} cores; "
      f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}, DuckDB {duckdb.__version__}, dbt threads {threads}")
print(f"  dbt build, cold:        {float(cold):6.1f} s   {cold_counts}")
print(f"  dbt build, incremental: {float(incremental):6.1f} s   {incremental_counts}")
print(f"  whole bench:            {float(total):6.1f} s   (landing data {landing_note})")
print("  cold = a fresh database holding only the landing tables and a fresh target dir (full parse included); network cut")
print("top 5 nodes of the cold build:")
for r in nodes[:5]:
    print(f"  {r['execution_time']:6.2f} s  {r['unique_id']}")
print("landing rows:")
for table, count in rows.items():
    print(f"  {table:24s} {count:>12,d}")
PY
