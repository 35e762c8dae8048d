"""Shared fixtures of the data-path tests: one local Spark session per test run (pytest session scope).

The session is scripts/spark/local_spark.py's: PySpark 4.1 from .venv with the jars of scripts/spark/pom.xml
(Iceberg, spark-avro, the PostgreSQL driver), two local cores, UTC, no UI, and an Iceberg catalog `lake` over
a temporary warehouse: the local stand-in for the Glue Data Catalog. Nothing reaches a network.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest
from servers import postgres, rest_api  # noqa: F401 - session fixtures: a throwaway PostgreSQL and REST API

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "spark"))

from local_spark import local_session  # noqa: E402


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The root of the local Iceberg catalog `lake` (silver, gold and the run logs live below it)."""
    return tmp_path_factory.mktemp("warehouse")


@pytest.fixture(scope="session")
def spark(warehouse: Path) -> Iterator["SparkSession"]:  # noqa: F821 - pyspark is imported lazily
    session = local_session(warehouse, "cloud-platform-solutions-tests")
    try:
        yield session
    finally:
        session.stop()
