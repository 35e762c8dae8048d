"""Bronze tables of the batch datasets: the files Data Factory lands in the bronze filesystem -> one Delta table each.

The first task of the environment's Databricks processing job (constructs/databricks/dbt-job.ts), before
``dbt build``: for every batch dataset of the plan (lib/pipelines/bronze-tables-plan.ts, written from the
platform definition as a workspace file), it loads the files that landed under
``<bronze>/<domain>/<dataset>/ingestion_date=<date>/`` since its last run into the Unity Catalog table
``<catalog>.bronze.<dataset>``, the table the dbt sources read on Databricks. The table has the AWS bronze
table's columns: the dataset's declared columns, the ingestion metadata columns of lib/lake/layout.ts,
and the ``ingestion_date`` partition.

* Each file is loaded exactly once: an incremental file stream (Auto Loader on Databricks, ``--reader
  autoloader``; Spark's file source locally, ``--reader files``) with a checkpoint per dataset under
  ``_state/<domain>/<dataset>/bronze_table/``, run with ``availableNow``: everything new, then stop.
  A failed run loads nothing twice; the next run takes over where the checkpoint stands.
* The files are read with the plan's schema and strict parsing (``FAILFAST``): Data Factory already set
  aside the records that break the declared schema (its quarantine), so a value that does not parse here
  means the landing and the definition disagree, and the dataset fails, naming itself, instead of loading
  nulls. Columns the landing writes as text (``landedType``) are cast strictly to their table type.
* The table is created with the planned columns when missing, so that dbt finds an (empty) source even
  before the first landing; a column the definition adds is added to the table; a planned column whose
  type differs from the table's fails the dataset, naming both types.
* Datasets are independent: one failing does not stop the others; the task fails at the end, naming
  every failed dataset (the job's failure alert goes out, and dbt does not run on a partial bronze).
* Binary datasets (``format: binary``, lib/lake/binary-manifest.ts): Data Factory copies the files as they
  are; the step reads the new ones with Auto Loader's ``binaryFile`` (Spark's locally) and merges one
  manifest row per file into the table, keyed by path (a replayed micro-batch adds nothing): size, SHA-256,
  content type by extension, the content up to ``maxContentBytes`` (above it null and ``content_omitted``),
  ``is_duplicate``/``duplicate_of`` against the hashes already in the table and in the batch (the earliest by
  ``_ingested_at``, ``modified_at``, ``path`` is the original), ``_source`` from the plan, ``_batch_id`` the job
  run (``--run-id``) and ``_ingested_at`` the micro-batch's time. Spark's file scans skip zero-length files,
  so an empty file is not listed here (the AWS ingestion lists it from its own listing).

Usage: bronze_tables.py --plan <plan.json> [--reader autoloader|files] [--datasets a,b] [--run-id <job run id>]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any, Optional, Sequence

PLAN_VERSION = 1
READERS = ("autoloader", "files")
TABLE_KEYS = ("dataset", "table", "source", "format", "columns", "partitionColumn", "checkpoint")
FORMATS = ("json", "csv", "avro", "parquet", "orc", "binary")
BINARY_KEYS = ("maxContentBytes", "contentTypes", "unknownContentType", "sourceDescription")
# The columns Spark's binaryFile source gives, before the partition column.
BINARY_FILE_SCHEMA = "path STRING, modificationTime TIMESTAMP, length BIGINT, content BINARY"
# The manifest columns that order the rows of one content hash: the earliest is the original.
MANIFEST_ORDER = ("_ingested_at", "modified_at", "path")
# The last `.` of the file name (not of a folder) starts the extension.
EXTENSION_PATTERN = r"\.([^./]+)$"


class PlanError(ValueError):
    """The plan file is not what lib/pipelines/bronze-tables-plan.ts writes."""


@dataclass(frozen=True)
class Outcome:
    dataset: str
    rows: int
    error: Optional[str] = None


def load_plan(path: str) -> list[dict]:
    """The tables of a plan file; a clear error naming the file and the key otherwise."""
    try:
        with open(path, encoding="utf-8") as handle:
            plan = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise PlanError(f"{path}: cannot read the bronze tables plan: {error}") from error
    if not isinstance(plan, dict) or plan.get("version") != PLAN_VERSION:
        found = plan.get("version") if isinstance(plan, dict) else type(plan).__name__
        raise PlanError(f"{path}: version is {found!r}; this step reads version {PLAN_VERSION} (redeploy the lakehouse stack)")
    tables = plan.get("tables")
    if not isinstance(tables, list):
        raise PlanError(f"{path}: tables must be a list")
    for index, table in enumerate(tables):
        missing = [key for key in TABLE_KEYS if key not in table]
        if missing:
            raise PlanError(f"{path}: tables[{index}] lacks {', '.join(missing)}")
        if table["format"] not in FORMATS:
            raise PlanError(f"{path}: tables[{index}] ({table['dataset']}): format {table['format']!r} is not one of {', '.join(FORMATS)}")
        if table["format"] == "binary":
            missing = [key for key in BINARY_KEYS if key not in (table.get("binary") or {})]
            if missing:
                raise PlanError(f"{path}: tables[{index}] ({table['dataset']}): binary lacks {', '.join(missing)}")
    return tables


def quote(name: str) -> str:
    """A column name as a Spark SQL identifier."""
    return "`" + name.replace("`", "``") + "`"


def read_schema(table: dict) -> str:
    """The DDL schema the landed files are read with: each column as landed, then the partition column."""
    columns = [f"{quote(column['name'])} {column.get('landedType', column['type'])}" for column in table["columns"]]
    return ", ".join([*columns, f"{quote(table['partitionColumn'])} STRING"])


def table_columns(table: dict) -> list[tuple[str, str]]:
    """The table's columns and Spark SQL types, in order, the partition column last."""
    return [(column["name"], column["type"]) for column in table["columns"]] + [(table["partitionColumn"], "string")]


def format_options(table: dict) -> dict[str, str]:
    """How a format is parsed: strictly, and for CSV with the dialect the landing wrote."""
    options = {"mode": "FAILFAST"} if table["format"] in ("csv", "json") else {}
    if table["format"] == "csv":
        dialect = table.get("csv") or {}
        options.update(
            {
                "header": str(dialect.get("header", True)).lower(),
                "sep": dialect.get("delimiter", ","),
                "quote": dialect.get("quote", '"'),
                "escape": dialect.get("escape", "\\"),
            }
        )
    return options


def reader_options(table: dict, reader: str) -> tuple[str, dict[str, str]]:
    """The stream source and its options: Auto Loader (``cloudFiles``) on Databricks, Spark's file source otherwise."""
    options = format_options(table)
    if reader == "autoloader":
        return "cloudFiles", {
            "cloudFiles.format": table["format"],
            "cloudFiles.includeExistingFiles": "true",
            "cloudFiles.partitionColumns": table["partitionColumn"],
            # The schema is the plan's: new columns arrive through the definition, never by inference.
            "cloudFiles.schemaEvolutionMode": "none",
            **options,
        }
    return table["format"], options


def normalized_type(type_name: str) -> str:
    """A Spark SQL type for comparison: lower case, `int` and `integer` alike, no spaces."""
    name = type_name.lower().replace(" ", "")
    return {"integer": "int", "long": "bigint"}.get(name, name)


def ensure_table(spark: Any, table: dict) -> None:
    """Creates the table with the planned columns, or adds the planned columns it lacks; refuses a changed type."""
    name = table["table"]
    columns = table_columns(table)
    if not spark.catalog.tableExists(name):
        ddl = ", ".join(f"{quote(column)} {type_name}" for column, type_name in columns)
        spark.sql(
            f"CREATE TABLE IF NOT EXISTS {name} ({ddl}) USING DELTA PARTITIONED BY ({quote(table['partitionColumn'])}) "
            f"COMMENT 'Bronze records of {table['dataset']} as landed (bronze_tables.py)'"
        )
        return
    existing = {field.name: field.dataType.simpleString() for field in spark.table(name).schema.fields}
    changed = [
        f"{column} is {existing[column]} in the table but {type_name} in the definition"
        for column, type_name in columns
        if column in existing and normalized_type(existing[column]) != normalized_type(type_name)
    ]
    if changed:
        raise ValueError(f"{name}: " + "; ".join(changed) + " (a type change needs a new dataset or a migration)")
    added = [(column, type_name) for column, type_name in columns if column not in existing]
    if added:
        spark.sql(f"ALTER TABLE {name} ADD COLUMNS ({', '.join(f'{quote(column)} {type_name}' for column, type_name in added)})")


def path_exists(spark: Any, url: str) -> bool:
    """Whether a folder exists, through Hadoop's file system of the URL (abfss:// on Azure, file: locally)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(url)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path)


def binary_reader(table: dict, reader: str) -> tuple[str, dict[str, str]]:
    """The stream source of a binary dataset's files: Auto Loader's binaryFile on Databricks, Spark's locally."""
    if reader == "autoloader":
        return "cloudFiles", {
            "cloudFiles.format": "binaryFile",
            "cloudFiles.includeExistingFiles": "true",
            "cloudFiles.partitionColumns": table["partitionColumn"],
        }
    return "binaryFile", {}


def manifest_rows(files: Any, settings: dict) -> Any:
    """binaryFile rows as the manifest's file columns (lib/lake/binary-manifest.ts), before duplicates are judged."""
    from itertools import chain

    from pyspark.sql import functions as F

    extension = F.lower(F.regexp_extract(F.col("path"), EXTENSION_PATTERN, 1))
    types = F.create_map(*chain.from_iterable((F.lit(key.lower()), F.lit(value)) for key, value in sorted(settings["contentTypes"].items())))
    over_limit = F.col("length") > F.lit(int(settings["maxContentBytes"]))
    return files.select(
        F.col("path"),
        F.col("length").cast("bigint").alias("size_bytes"),
        F.col("modificationTime").cast("timestamp").alias("modified_at"),
        F.coalesce(F.try_element_at(types, extension), F.lit(settings["unknownContentType"])).alias("content_type"),
        F.sha2(F.col("content"), 256).alias("content_sha256"),
        F.when(over_limit, F.lit(None).cast("binary")).otherwise(F.col("content")).alias("content"),
        over_limit.alias("content_omitted"),
        F.col("_partition"),
    )


def flag_duplicates(new: Any, known: Any) -> Any:
    """The new rows with is_duplicate and duplicate_of: the earliest row of each hash among the table's and the new ones is the original."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keys = ["content_sha256", *MANIFEST_ORDER]
    earliest = Window.partitionBy("content_sha256").orderBy(*MANIFEST_ORDER)
    candidates = new.select(*keys).unionByName(known.select(*keys))
    originals = candidates.withColumn("_original", F.first("path").over(earliest)).select("path", "_original")
    duplicate = F.col("_original") != F.col("path")
    flagged = new.join(originals, on="path", how="left")
    return flagged.withColumn("is_duplicate", duplicate).withColumn("duplicate_of", F.when(duplicate, F.col("_original"))).drop("_original")


def merge_manifest(spark: Any, table: dict, files: Any, run_id: str) -> int:
    """Merges one micro-batch of binaryFile rows into the manifest table, by path: rerunning a batch adds nothing.
    The number of rows it added."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    name, partition = table["table"], table["partitionColumn"]
    settings = table["binary"]
    known = spark.table(name)
    rows = manifest_rows(files.withColumnRenamed(partition, "_partition"), settings).join(known.select("path"), on="path", how="left_anti")
    rows = rows.withColumn("_ingested_at", F.current_timestamp())
    metadata = {"_source": F.lit(settings["sourceDescription"]), "_batch_id": F.lit(run_id), "_ingested_at": F.col("_ingested_at")}
    manifest = flag_duplicates(rows, known).select(
        *[(metadata[column] if column in metadata else F.col(quote(column))).cast(type_name).alias(column) for column, type_name in table_columns(table)[:-1]],
        F.col("_partition").cast("string").alias(partition),
    )
    # Judged once: the rows merged are the rows counted.
    manifest = manifest.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        added = manifest.count()
        view = f"_manifest_{table['dataset']}"
        manifest.createOrReplaceTempView(view)
        manifest.sparkSession.sql(f"MERGE INTO {name} AS t USING {view} AS s ON t.path = s.path WHEN NOT MATCHED THEN INSERT *")
    finally:
        manifest.unpersist()
    return added


def empty_files(spark: Any, table: dict, since: Optional[str]) -> Optional[Any]:
    """binaryFile rows (and the partition) of the zero-length files in the partitions ``since`` on (all when None),
    or None when there are none,
    listed through Hadoop's file system: Spark's file scans never return them. Skips the names Spark skips (``_*``, ``.*``)."""
    from pyspark.sql import functions as F

    partition = table["partitionColumn"]
    jvm = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(table["source"])
    system = root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    found = []
    for folder in system.listStatus(root):
        name = folder.getPath().getName()
        if not (folder.isDirectory() and name.startswith(f"{partition}=")):
            continue
        value = name[len(partition) + 1 :]
        if since is not None and value < since:
            continue
        files = system.listFiles(folder.getPath(), True)
        while files.hasNext():
            status = files.next()
            if status.getLen() == 0 and not status.getPath().getName().startswith(("_", ".")):
                found.append((status.getPath().toString(), int(status.getModificationTime()), 0, bytearray(), value))
    if not found:
        return None
    rows = spark.createDataFrame(found, f"path STRING, millis BIGINT, length BIGINT, content BINARY, {quote(partition)} STRING")
    return rows.select("path", F.timestamp_millis(F.col("millis")).alias("modificationTime"), "length", "content", quote(partition))


def load_binary_table(spark: Any, table: dict, reader: str, run_id: str) -> int:
    """Lists a binary dataset's new files in its manifest table, empty ones included; the number of files listed."""
    from pyspark.sql import functions as F

    # The partitions where empty files may be new: from the latest one listed before this run on.
    since = spark.table(table["table"]).agg(F.max(F.col(quote(table["partitionColumn"])))).first()[0]
    source, options = binary_reader(table, reader)
    schema = f"{BINARY_FILE_SCHEMA}, {quote(table['partitionColumn'])} STRING"
    stream = spark.readStream.format(source).options(**options).schema(schema).load(table["source"])
    added: list[int] = []
    query = (
        stream.writeStream.foreachBatch(lambda batch, _epoch: added.append(merge_manifest(spark, table, batch, run_id)))
        .queryName(f"bronze_{table['dataset']}")
        .option("checkpointLocation", table["checkpoint"])
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    empty = empty_files(spark, table, since)
    return sum(added) + (merge_manifest(spark, table, empty, run_id) if empty is not None else 0)


def load_table(spark: Any, table: dict, reader: str, run_id: str = "local") -> int:
    """Loads a dataset's new files into its table; the number of rows loaded."""
    from pyspark.sql import functions as F

    ensure_table(spark, table)
    if not path_exists(spark, table["source"]):
        return 0
    if table["format"] == "binary":
        return load_binary_table(spark, table, reader, run_id)
    source, options = reader_options(table, reader)
    stream = spark.readStream.format(source).options(**options).schema(read_schema(table)).load(table["source"])
    columns = [F.col(quote(column)).cast(type_name).alias(column) for column, type_name in table_columns(table)]
    query = (
        stream.select(*columns)
        .writeStream.format("delta")
        .queryName(f"bronze_{table['dataset']}")
        .option("checkpointLocation", table["checkpoint"])
        .outputMode("append")
        .trigger(availableNow=True)
        .toTable(table["table"])
    )
    query.awaitTermination()
    return sum(int(progress.get("numInputRows", 0)) for progress in query.recentProgress)


def run(spark: Any, tables: Sequence[dict], reader: str, only: Optional[Sequence[str]] = None, run_id: str = "local") -> list[Outcome]:
    """Loads every planned table (or those named in ``only``), each on its own; the outcome of each."""
    if only:
        unknown = sorted(set(only) - {table["dataset"] for table in tables})
        if unknown:
            raise PlanError(f"--datasets: {', '.join(unknown)} not in the plan; datasets: {', '.join(table['dataset'] for table in tables)}")
    outcomes = []
    for table in tables:
        if only and table["dataset"] not in only:
            continue
        try:
            outcomes.append(Outcome(table["dataset"], load_table(spark, table, reader, run_id)))
        except Exception as error:  # noqa: BLE001 - one dataset's failure is reported, the others still load
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            outcomes.append(Outcome(table["dataset"], 0, f"{table['table']}: {message}"))
    return outcomes


def main(argv: Optional[Sequence[str]] = None, spark: Any = None) -> int:
    parser = argparse.ArgumentParser(description="Loads the landed files of the batch datasets into their bronze tables.")
    parser.add_argument("--plan", required=True, help="the plan file (lib/pipelines/bronze-tables-plan.ts)")
    parser.add_argument("--reader", choices=READERS, default="autoloader", help="Auto Loader on Databricks, Spark's file source locally")
    parser.add_argument("--datasets", help="comma-separated datasets to load (default: all)")
    parser.add_argument("--run-id", default="local", help="the job run, recorded as _batch_id of binary manifests (the job passes {{job.run_id}})")
    args = parser.parse_args(argv)
    try:
        tables = load_plan(args.plan)
        if spark is None:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()
        outcomes = run(spark, tables, args.reader, [name for name in (args.datasets or "").split(",") if name], args.run_id)
    except PlanError as error:
        print(f"bronze_tables: {error}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        print(f"bronze_tables: {outcome.dataset}: " + (f"FAILED: {outcome.error}" if outcome.error else f"{outcome.rows} rows loaded"))
    failed = [outcome.dataset for outcome in outcomes if outcome.error]
    if failed:
        print(f"bronze_tables: {len(failed)} of {len(outcomes)} datasets failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
