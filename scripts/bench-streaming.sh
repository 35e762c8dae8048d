#!/usr/bin/env bash
# `npm run bench:streaming`: messages per second through a local Kafka broker into bronze (the Glue streaming
# core) and silver (the Spark silver/gold application), and the send -> bronze latency of a steady stream
# (bench/streaming-bench.py). Extra arguments go to the benchmark (--messages N, --rate N, --seconds N,
# --partitions N, --cores N, --keep).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-spark.sh >/dev/null
bash scripts/setup-kafka.sh >/dev/null
export PYSPARK_PYTHON=.venv/bin/python SPARK_LOCAL_IP=127.0.0.1 PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python bench/streaming-bench.py "$@"
