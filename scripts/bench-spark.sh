#!/usr/bin/env bash
# `npm run bench:spark`: 1,000,000 rows through ingestion, silver and gold on local Spark with Iceberg
# (bench/spark-bench.py); prints rows per second per step. Extra arguments go to the benchmark
# (--rows N, --cores N, --keep).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-spark.sh >/dev/null
export PYSPARK_PYTHON=.venv/bin/python SPARK_LOCAL_IP=127.0.0.1 PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python bench/spark-bench.py "$@"
