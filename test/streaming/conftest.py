"""Shared fixtures of the streaming tests: one local Kafka broker and one local Spark session per test run.

The broker is scripts/kafka/local_kafka.py's (Apache Kafka 4 in KRaft mode on 127.0.0.1, a temporary folder,
stopped and removed at the end); the session is scripts/spark/local_spark.py's (PySpark 4.1 from .venv with
the jars of scripts/spark/pom.xml, Spark's Kafka source among them, with Delta Lake's session catalog for the
Databricks pipeline's tables beside the Iceberg catalog `lake`). Nothing reaches a network.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "scripts" / "spark"), str(ROOT / "scripts" / "kafka"), str(ROOT / "constructs" / "aws" / "jobs"), str(ROOT / "constructs" / "databricks" / "pipelines")]

from local_kafka import KafkaBroker, launch_broker, stop_broker, wait_until_started  # noqa: E402
from local_spark import local_session  # noqa: E402


@pytest.fixture(scope="session")
def launched_broker() -> Iterator[KafkaBroker]:
    """A Kafka broker for the whole test run, maybe still starting; stopped and removed at the end."""
    broker = launch_broker()
    try:
        yield broker
    finally:
        stop_broker(broker)


@pytest.fixture(scope="session")
def kafka(launched_broker: KafkaBroker) -> KafkaBroker:
    """The started broker; each test uses topics of its own."""
    return wait_until_started(launched_broker)


@pytest.fixture(scope="session")
def spark(launched_broker: KafkaBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator["SparkSession"]:  # noqa: F821 - pyspark is imported lazily
    # Asks for the launched broker so that the broker starts while Spark does.
    # Delta Lake for the Databricks pipeline's tables (test/streaming/local_dlt.py) beside Iceberg.
    session = local_session(tmp_path_factory.mktemp("warehouse"), "cloud-platform-solutions-streaming-tests", delta=True)
    try:
        yield session
    finally:
        session.stop()
