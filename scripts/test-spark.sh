#!/usr/bin/env bash
# `npm run test:spark`: the data-path tests on real engines (test/spark, pytest): local PySpark with
# Iceberg, Avro and JDBC jars from the cache (scripts/setup-spark.sh), and the servers the tests start
# themselves on 127.0.0.1. Two pytest workers (pytest-xdist, one test file per worker at a time, each with
# its own Spark session, PostgreSQL and REST server): the tests are mostly driver-side work on small data,
# so two of them share the 2 cores better than one. Extra arguments go to pytest (e.g. -k ingest, -x;
# -n 0 runs in one process).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-spark.sh >/dev/null
export PYSPARK_PYTHON=.venv/bin/python SPARK_LOCAL_IP=127.0.0.1 PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python -m pytest test/spark -q -p no:cacheprovider -n "${SPARK_TEST_WORKERS:-2}" --dist loadfile "$@"
