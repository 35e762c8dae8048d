"""Shared fixtures of the data-path tests: one local Spark session per test run (pytest session scope).

The session is the Spark the cloud runs (PySpark 4.1 from .venv) with the jars of scripts/spark/pom.xml
(Iceberg, spark-avro, the PostgreSQL driver) from the cache scripts/setup-spark.sh fills, two local cores,
two shuffle partitions (the default 200 costs minutes on 2 cores), UTC, no UI, and an Iceberg catalog
`lake` over a temporary warehouse: the local stand-in for the Glue Data Catalog. Nothing reaches a network.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from servers import postgres, rest_api  # noqa: F401 - session fixtures: a throwaway PostgreSQL and REST API

ROOT = Path(__file__).resolve().parents[2]


def spark_jars() -> list[str]:
    """The jar files of the local Spark, copied into the cache once by scripts/setup-spark.sh."""
    directory = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup-spark.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()
    jars = sorted(glob.glob(os.path.join(directory, "*.jar")))
    if not jars:
        raise RuntimeError(f"no jars in {directory}; remove it and run scripts/setup-spark.sh again")
    return jars


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The root of the local Iceberg catalog `lake` (silver, gold and the run logs live below it)."""
    return tmp_path_factory.mktemp("warehouse")


@pytest.fixture(scope="session")
def spark(warehouse: Path) -> Iterator["SparkSession"]:  # noqa: F821 - pyspark is imported lazily
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("cloud-platform-solutions-tests")
        .config("spark.jars", ",".join(spark_jars()))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.lake.type", "hadoop")
        .config("spark.sql.catalog.lake.warehouse", str(warehouse))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
