#!/usr/bin/env bash
# Benchmarks `dbt build` on a large generated bronze data set (not part of the tests).
#
#   bash scripts/bench-dbt.sh [ORDERS]        default 1000000 orders (~4 change events each)
#   BENCH_REUSE=1 bash scripts/bench-dbt.sh   reuse the landing tables of the previous run (drops the
#                                             dbt schemas so that the first build is cold again)
#
# 1. dbt/sample_data/generate_bronze.py writes the eight landing datasets as CSV into a scratch dir
#    (BENCH_DIR, default /tmp/dbt-bench), with the same dirt as the committed seeds;
# 2. DuckDB loads them as the landing tables of the `bench` target (dataset columns as text, ingestion
#    metadata typed, exactly like the seeds);
# 3. `dbt build --target bench` runs everything except the landing seeds (the reference seed is loaded
#    as usual), cold, then again (incremental models take their incremental path), and the script
#    prints the timings and the slowest nodes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
orders="${1:-1000000}"
scratch="${BENCH_DIR:-/tmp/dbt-bench}"
python="$root/.venv/bin/python"
export DBT_BENCH_DUCKDB_PATH="$scratch/bench.duckdb"
# Keep dbt's artefacts apart from the project's own target/ so a bench never disturbs a local build.
export DBT_TARGET_PATH="$scratch/target" DBT_LOG_PATH="$scratch/logs"

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

generate() {
  rm -rf "$scratch" && mkdir -p "$scratch/csv"
  python3 "$root/dbt/sample_data/generate_bronze.py" --orders "$orders" --events-per-order 1 --out "$scratch/csv" --reference-out "$scratch/reference" | tee "$scratch/rows.txt"
}

load() {
  "$python" "$root/dbt/sample_data/load_landing.py" "$scratch/csv" "$DBT_BENCH_DUCKDB_PATH"
}

drop_dbt_schemas() {
  "$python" - "$DBT_BENCH_DUCKDB_PATH" <<'PY'
import sys

import duckdb

con = duckdb.connect(sys.argv[1])
query = "select schema_name from information_schema.schemata where schema_name like 'main_%' and schema_name != 'main_landing'"
for (schema,) in con.execute(query).fetchall():
    con.execute(f"drop schema {schema} cascade")
con.close()
PY
}

run_build() {
  bash "$root/scripts/dbt.sh" build --target bench --exclude path:seeds/bronze tag:after_build > "$scratch/$1.log" 2>&1 || { tail -40 "$scratch/$1.log"; exit 1; }
  grep -E "Done\. PASS" "$scratch/$1.log" | sed 's/^.*Done/Done/'
  cp "$DBT_TARGET_PATH/run_results.json" "$scratch/$1.run_results.json"
}

t0=$(seconds)
if [[ "${BENCH_REUSE:-}" == 1 && -f "$DBT_BENCH_DUCKDB_PATH" ]]; then
  drop_dbt_schemas
  t1=$(seconds)
else
  generate
  t1=$(seconds)
  load
fi
t2=$(seconds)
run_build cold
t3=$(seconds)
run_build incremental
t4=$(seconds)

echo
echo "landing rows:"
"$python" -c "
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
for (table,) in con.execute(\"select table_name from information_schema.tables where table_schema = 'main_landing' order by 1\").fetchall():
    print(f'  {table:24s} {con.execute(f\"select count(*) from main_landing.{table}\").fetchone()[0]:>12,d}')
" "$DBT_BENCH_DUCKDB_PATH"
echo "generate CSV:            $(elapsed "$t0" "$t1") s"
echo "load into DuckDB:        $(elapsed "$t1" "$t2") s"
echo "dbt build (cold):        $(elapsed "$t2" "$t3") s"
echo "dbt build (incremental): $(elapsed "$t3" "$t4") s"
echo
echo "slowest nodes of the cold build:"
"$python" - "$scratch/cold.run_results.json" <<'PY'
import json
import sys

results = json.load(open(sys.argv[1]))["results"]
for r in sorted(results, key=lambda r: -r["execution_time"])[:10]:
    print(f"  {r['execution_time']:7.2f} s  {r['unique_id']}")
PY
