"""The local Spark of the data-path tests and benchmarks: PySpark from .venv with the jars of scripts/spark/pom.xml.

`local_session` gives the Spark the cloud runs, configured for this machine: the jars scripts/setup-spark.sh
copies into the cache once (Iceberg, Delta Lake, spark-avro, Spark's Kafka source, the PostgreSQL driver), `local[cores]`, few shuffle
partitions (the default 200 costs minutes on 2 cores), UTC, no UI, and an Iceberg catalog `lake` over a
local warehouse folder: the local stand-in for the Glue Data Catalog. Nothing reaches a network.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def spark_jars() -> list[str]:
    """The jar files of the local Spark, copied into the cache once by scripts/setup-spark.sh."""
    directory = subprocess.run(["bash", str(ROOT / "scripts" / "setup-spark.sh")], check=True, capture_output=True, text=True).stdout.strip()
    jars = sorted(glob.glob(os.path.join(directory, "*.jar")))
    if not jars:
        raise RuntimeError(f"no jars in {directory}; remove it and run scripts/setup-spark.sh again")
    return jars


ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"
DELTA_EXTENSIONS = "io.delta.sql.DeltaSparkSessionExtension"
DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog"


def local_session(
    warehouse: Path, app_name: str, cores: int = 2, driver_memory: str = "2g", shuffle_partitions: int = 2, delta: bool = False
) -> Any:
    """A local SparkSession with the Iceberg catalog `lake` (a Hadoop catalog) whose warehouse is ``warehouse``.

    With ``delta``, the session catalog (`spark_catalog`, tables named `spark_catalog.<schema>.<table>`) is
    also Delta Lake's, over ``warehouse``/delta: the local stand-in for Unity Catalog in the run of the
    Databricks stream pipeline (test/streaming/local_dlt.py). Off by default: a Spark process has one
    session configuration, and the Spark tests need no Delta.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.jars", ",".join(spark_jars()))
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.extensions", ",".join([ICEBERG_EXTENSIONS, *([DELTA_EXTENSIONS] if delta else [])]))
        .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.lake.type", "hadoop")
        .config("spark.sql.catalog.lake.warehouse", str(warehouse))
    )
    if delta:
        builder = (
            builder.config("spark.sql.catalog.spark_catalog", DELTA_CATALOG)
            .config("spark.sql.warehouse.dir", str(warehouse / "delta"))
            # Delta rebuilds a table's state from its log in 50 tasks by default: minutes on 2 cores for small tables.
            .config("spark.databricks.delta.snapshotPartitions", str(cores))
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
