"""The ingestion core (constructs/aws/jobs/glue_ingest.py) on local Spark: a local Platform and the job arguments.

`LocalPlatform` stands where `GluePlatform` stands on AWS:
  * database: Spark's JDBC reader with an explicit bookmark kept in a small JSON state file: rows whose
    bookmark column is greater than the value the last committed run read (Glue's rule for
    jobBookmarkKeys), or the whole table for a snapshot load;
  * files: every file under the landing folder minus those in a processed-files log;
  * secrets from a dict; the Avro schema built from the declared columns the way the catalog stack
    does (lib/lake/table-formats.ts); partitions recorded in a list (the local catalog has no Hive tables).
Nothing is recorded until `commit`, which the core calls only after bronze is written.

`arguments(...)` gives the job arguments lib/lake/ingestion-arguments.ts passes to the Glue job, so the
core parses them with its own `parse_options`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "constructs" / "aws" / "jobs"))

import glue_ingest as gi  # noqa: E402

AVRO_TYPES = {"string": "string", "int": "int", "bigint": "long", "double": "double", "boolean": "boolean"}


def avro_type(column_type: str) -> Any:
    if column_type in AVRO_TYPES:
        return AVRO_TYPES[column_type]
    if column_type == "date":
        return {"type": "int", "logicalType": "date"}
    if column_type == "timestamp":
        return {"type": "long", "logicalType": "timestamp-micros"}
    precision, scale = column_type[len("decimal(") : -1].split(",")
    return {"type": "bytes", "logicalType": "decimal", "precision": int(precision), "scale": int(scale)}


METADATA_TYPES = {"_op": "string", "_change_seq": "bigint", "_source_file": "string", "_source": "string", "_batch_id": "string", "_ingested_at": "timestamp"}


def sql_literal(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value:%Y-%m-%d %H:%M:%S.%f}'"
    if isinstance(value, dt.date):
        return f"DATE '{value:%Y-%m-%d}'"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


class LocalPlatform:
    def __init__(self, state: Path, jdbc_url: str = "", jdbc_user: str = "postgres", secrets: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.state = state
        self.state.mkdir(parents=True, exist_ok=True)
        self.jdbc_url = jdbc_url
        self.jdbc_user = jdbc_user
        self.secrets = dict(secrets or {})
        self.partitions: list[str] = []
        self.queries: list[str] = []
        self._pending: dict[str, Any] = {}

    # -- bookmark state
    def _bookmark_file(self, options: gi.Options) -> Path:
        return self.state / f"{options.dataset}.bookmark.json"

    def bookmark(self, options: gi.Options) -> Any:
        path = self._bookmark_file(options)
        return json.loads(path.read_text()) if path.exists() else None

    def _processed_log(self, options: gi.Options) -> Path:
        return self.state / f"{options.dataset}.processed-files.log"

    # -- Platform
    def read_database(self, spark: Any, options: gi.Options) -> Any:
        from pyspark.sql import functions as F  # noqa: N812

        query = f"SELECT * FROM {options.extra['source_table']}"
        keys = options.bookmark_keys
        if keys:
            if len(keys) != 1:
                raise gi.IngestionError(f"the local platform bookmarks one column; got {', '.join(keys)}")
            saved = self.bookmark(options)
            if saved is not None:
                query += f" WHERE {keys[0]} > {saved['literal']}"
        self.queries.append(query)
        frame = spark.read.format("jdbc").options(url=self.jdbc_url, query=query, user=self.jdbc_user, driver="org.postgresql.Driver").load()
        # One read: the bookmark is the highest value of exactly the rows this run lands.
        frame = frame.localCheckpoint(eager=True)
        if keys:
            highest = frame.agg(F.max(F.col(keys[0]))).first()[0]
            if highest is not None:
                self._pending["bookmark"] = (self._bookmark_file(options), {"column": keys[0], "literal": sql_literal(highest), "value": str(highest)})
        return frame

    def new_landing_files(self, spark: Any, options: gi.Options) -> list[str]:
        root = Path(options.bucket_path(gi.landing_root(options.extra["landing_pattern"]))[len("file://") :])
        log = self._processed_log(options)
        done = set(log.read_text().split("\n")) if log.exists() else set()
        found = sorted(path.as_uri() for path in root.rglob("*") if path.is_file() and not path.name.startswith((".", "_")))
        new = [uri for uri in found if uri not in done]
        self._pending["files"] = (log, new)
        return new

    def secret(self, name: str) -> Mapping[str, Any]:
        if name not in self.secrets:
            raise gi.IngestionError(f"no secret named {name}")
        return self.secrets[name]

    def avro_schema(self, options: gi.Options) -> str:
        columns = [(c.name, c.type) for c in options.columns] + [(name, METADATA_TYPES[name]) for name in options.metadata_columns]
        return json.dumps(
            {"type": "record", "name": options.dataset, "fields": [{"name": n, "type": ["null", avro_type(t)], "default": None} for n, t in columns]}
        )

    def register_partition(self, options: gi.Options, partition_value: str) -> None:
        self.partitions.append(f"{options.dataset}/{options.partition_column}={partition_value}")

    def commit(self) -> None:
        if "bookmark" in self._pending:
            path, value = self._pending["bookmark"]
            path.write_text(json.dumps(value))
        if "files" in self._pending:
            log, files = self._pending["files"]
            with log.open("a") as handle:
                handle.writelines(f"{uri}\n" for uri in files)
        self._pending = {}

    def abandon(self) -> None:
        """Forgets what the last (failed) run read, as Glue does when a job run fails before job.commit()."""
        self._pending = {}


class LocalLakeFormation:
    """Lake Formation's LF-tag calls for the benchmarks: a control plane, so tags are accepted and kept, nothing else."""

    def __init__(self) -> None:
        self.tags: dict = {}

    def get_resource_lf_tags(self, CatalogId, Resource, ShowAssignedLFTags):  # noqa: N803 - boto3's argument names
        table = self.tags.setdefault((Resource["Table"]["DatabaseName"], Resource["Table"]["Name"]), {})
        return {"LFTagsOnTable": [{"CatalogId": CatalogId, "TagKey": k, "TagValues": list(v)} for k, v in table.items()]}

    def add_lf_tags_to_resource(self, CatalogId, Resource, LFTags):  # noqa: N803
        self.tags[(Resource["Table"]["DatabaseName"], Resource["Table"]["Name"])].update({t["TagKey"]: tuple(t["TagValues"]) for t in LFTags})
        return {"Failures": []}

    def remove_lf_tags_from_resource(self, CatalogId, Resource, LFTags):  # noqa: N803
        for tag in LFTags:
            self.tags[(Resource["Table"]["DatabaseName"], Resource["Table"]["Name"])].pop(tag["TagKey"])
        return {"Failures": []}


def arguments(
    dataset: str,
    kind: str,
    data_format: str,
    columns: list[dict[str, Any]],
    keys: list[str],
    cdc: bool = False,
    domain: str = "sales",
    **extra: str,
) -> list[str]:
    """The Glue job arguments of a dataset, as lib/lake/ingestion-arguments.ts builds them."""
    # A binary dataset's manifest has no _source_file: its path column is the file (lib/lake/layout.ts).
    source_file = ["_source_file"] if kind == "files" and data_format != "binary" else []
    metadata = (["_op", "_change_seq"] if cdc else []) + source_file + ["_source", "_batch_id", "_ingested_at"]
    values = {
        "JOB_NAME": f"acme-test-ingest-{dataset}",
        "dataset": dataset,
        "domain": domain,
        "source_kind": kind,
        "format": data_format,
        "cdc": str(cdc).lower(),
        "columns": json.dumps(columns),
        "keys": ",".join(keys),
        "metadata_columns": ",".join(metadata),
        "partition_column": "ingestion_date",
        "source_description": extra.pop("source_description", f"{kind}:{dataset}"),
        "target_database": "acme_test_bronze",
        "target_table": dataset,
        "target_bucket": "acme-test-bronze",
        "target_prefix": f"{domain}/{dataset}/",
        "quarantine_prefix": f"_quarantine/{domain}/{dataset}/",
        **extra,
    }
    argv = ["glue_ingest.py"]
    for name, value in values.items():
        argv += [f"--{name}", value]
    return argv


def local_options(root: Path, argv: list[str]) -> gi.Options:
    """The options the core parses from argv, with the buckets under a local folder."""
    return replace(gi.parse_options(argv), storage_root=root.as_uri().rstrip("/") + "/")


def run_at(batch: str, when: dt.datetime | None = None) -> gi.Run:
    return gi.Run.starting(batch, when or dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc))


def bronze_path(options: gi.Options, partition_value: str) -> str:
    """s3://<bronze>/<domain>/<dataset>/<partition>=<date>/ under the local root."""
    return f"{options.target_path}{options.partition_column}={partition_value}/"


def read_bronze(spark: Any, options: gi.Options) -> Any:
    """The dataset's bronze files as a table reader sees them (partition column included)."""
    reader = spark.read.format(options.format)
    if options.format == "csv":
        reader = reader.options(header="true", sep=options.extra.get("csv_delimiter", ","))
    elif options.format in ("parquet", "orc"):
        reader = reader.option("mergeSchema", "true")
    return reader.load(options.target_path)


def read_quarantine(spark: Any, options: gi.Options) -> Any:
    path = Path(options.quarantine_path[len("file://") :])
    if not path.exists():
        return None
    return spark.read.json(options.quarantine_path)


def exists(uri: str) -> bool:
    return os.path.exists(uri[len("file://") :])
