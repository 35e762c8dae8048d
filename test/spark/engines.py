"""Runs one generated bronze sample through both engines: the Spark application and the dbt project (DuckDB).

test_engines_agree.py compares what they build; this module only builds it:

* `generate_sample`: dbt/sample_data/generate_bronze.py, seeded, into landing CSV files (every dataset column as
  landed text, the ingestion metadata in its own columns), the same files for both engines;
* `render_manifest`: the Spark manifest of an environment of platform.yaml (scripts/spark-manifest.ts);
* `land_bronze`: the CSV files as bronze for Spark, in the layout, format and metadata columns of the ingestion
  job (`<bronze>/<domain>/<dataset>/ingestion_date=<d>/`, glue_ingest.write_bronze's writer options);
* `run_spark`: constructs/aws/jobs/spark/silver_gold.py, one run per domain, into the session's `lake` catalog;
* `DbtBuild`: the landing tables in a scratch DuckDB file (dbt/sample_data/load_landing.py) and `dbt build` of the
  compared models and their parents, without tests, with dbt's artefacts in the scratch directory; a subprocess,
  so that it runs while Spark does.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "constructs" / "aws" / "jobs" / "spark"))
sys.path.insert(0, str(ROOT / "constructs" / "aws" / "jobs"))
sys.path.insert(0, str(ROOT / "dbt" / "sample_data"))

import generate_bronze  # noqa: E402
import glue_ingest  # noqa: E402
import load_landing  # noqa: E402
import silver_gold  # noqa: E402

# The bronze metadata columns and their Spark types (lib/lake/layout.ts bronzeMetadataColumns).
METADATA_TYPES = {
    "_op": "string",
    "_change_seq": "bigint",
    "_source_file": "string",
    "_kafka_partition": "int",
    "_kafka_offset": "bigint",
    "_source": "string",
    "_batch_id": "string",
    "_ingested_at": "timestamp",
}
PARTITION_COLUMN = "ingestion_date"


def generate_sample(out: Path, orders: int, seed: int) -> dict[str, Path]:
    """The landing CSV files of the eight datasets (`<out>/<domain>/raw_<dataset>.csv`), by dataset name."""
    generate_bronze.generate(out, orders, seed, events_per_order=2.5)
    return {path.stem.removeprefix("raw_"): path for path in sorted(out.glob("*/raw_*.csv"))}


def render_manifest(environment: str) -> dict[str, Any]:
    """What the processing stack deploys as spark/manifest.json for an environment of platform.yaml (offline)."""
    command = [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "scripts/spark-manifest.ts", environment]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def read_landing(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """A landing CSV file's columns and rows: empty fields are null, metadata typed, dataset columns as landed text."""
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        columns = list(reader.fieldnames or [])
        rows = [{column: typed_metadata(column, value) for column, value in row.items()} for row in reader]
    return columns, rows


def typed_metadata(column: str, value: str) -> Any:
    if value == "":
        return None
    kind = METADATA_TYPES.get(column, "string")
    if kind in ("bigint", "int"):
        return int(value)
    if kind == "timestamp":
        return dt.datetime.strptime(value, generate_bronze.TS)
    return value


def land_bronze(spark: Any, bronze: Path, dataset: dict[str, Any], landing: Path) -> int:
    """Writes a dataset's landing rows to bronze as the ingestion job lays them out; returns the rows written.

    The dataset's columns stay text as landed (so that both engines judge the same dirty values); the metadata
    columns are typed as the ingestion job writes them, and each row goes to the partition of its landing day.
    """
    from pyspark.sql import functions as F

    columns, rows = read_landing(landing)
    declared = {column["name"] for column in dataset["columns"]}
    unknown = [column for column in columns if column not in declared and column not in METADATA_TYPES]
    if unknown:
        raise ValueError(f"{dataset['domain']}.{dataset['name']}: landing file {landing} has columns {unknown} that are neither declared nor metadata")
    schema = ", ".join(f"`{column}` {METADATA_TYPES.get(column, 'string')}" for column in columns)
    frame = spark.createDataFrame([tuple(row[column] for column in columns) for row in rows], schema)
    # One file per landing day (an ingestion run writes a file or two into its day).
    frame = frame.withColumn(PARTITION_COLUMN, F.date_format(F.col("_ingested_at"), "yyyy-MM-dd")).coalesce(1)
    writer = frame.write.mode("overwrite").partitionBy(PARTITION_COLUMN).format(dataset["format"])
    if dataset["format"] == "csv":
        writer = writer.option("header", dataset["readOptions"].get("header", "true")).option("sep", dataset["readOptions"].get("sep", ","))
    if dataset["format"] in ("csv", "json"):
        writer = writer.option("timestampFormat", glue_ingest.TEXT_TIMESTAMP_FORMAT)
    writer.save(str(bronze / dataset["path"]))
    return len(rows)


def run_spark(spark: Any, root: Path, manifest: dict[str, Any], domain: str, tagger: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """One run of the Spark application for a domain, over everything in bronze."""
    argv = ["--environment", manifest["environment"], "--domain", domain, "--catalog", "lake"]
    argv += ["--bronze", str(root / "bronze"), "--silver", str(root / "silver"), "--gold", str(root / "gold")]
    args: argparse.Namespace = silver_gold.parse_args(argv)
    return silver_gold.run(spark, args, manifest, tagger, now=now)


class DbtBuild:
    """`dbt build` of some models and their parents (the reference seed included; landing seeds, tests and unit tests
    excluded) on DuckDB over the landing files, in a scratch directory: the database file and dbt's artefacts.

    It runs as a subprocess, so the caller can run Spark meanwhile; `wait` returns the database file.
    """

    def __init__(self, scratch: Path, landing: Path, models: list[str]) -> None:
        scratch.mkdir(parents=True, exist_ok=True)
        self.database = scratch / "lakehouse.duckdb"
        load_landing.load_landing(landing, str(self.database))
        env = {**os.environ, "DBT_TARGET": "local", "DBT_DUCKDB_PATH": str(self.database), "DBT_TARGET_PATH": str(scratch / "target"), "DBT_LOG_PATH": str(scratch / "logs")}
        select = [f"+{model}" for model in models]
        self.command = ["bash", str(ROOT / "scripts" / "dbt.sh"), "build", "--select", *select, "--exclude", "path:seeds/bronze", "resource_type:test", "resource_type:unit_test"]
        self.log = scratch / "dbt-build.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)

    def wait(self) -> Path:
        if self.process.wait() != 0:
            raise RuntimeError(f"dbt build failed ({self.process.returncode}): {' '.join(self.command)}\n{self.log.read_text()[-4000:]}")
        return self.database
