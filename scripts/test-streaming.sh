#!/usr/bin/env bash
# `npm run test:streaming`: the streaming tests on real engines (test/streaming, pytest): an Apache Kafka 4
# broker in KRaft mode (jars from Maven Central into the cache, scripts/setup-kafka.sh) that the tests
# start on 127.0.0.1, and local PySpark with Spark's Kafka source and Delta Lake (scripts/setup-spark.sh):
# the Glue streaming job's core and the Databricks pipeline code (test/streaming/local_dlt.py). Extra
# arguments go to pytest (e.g. -k restart, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-spark.sh >/dev/null
bash scripts/setup-kafka.sh >/dev/null
export PYSPARK_PYTHON=.venv/bin/python SPARK_LOCAL_IP=127.0.0.1 PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python -m pytest test/streaming -q -p no:cacheprovider "$@"
