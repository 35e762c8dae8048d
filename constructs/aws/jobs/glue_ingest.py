"""Generic batch ingestion into the bronze layer (AWS Glue 5.0, PySpark).

One script serves every batch dataset of the platform definition; the Glue job of a dataset passes
everything dataset-specific as job arguments (lib/lake/ingestion-arguments.ts builds them):

  --dataset, --domain          the dataset and its domain
  --source_kind                database | api | files
  --format                     json | csv | avro | parquet | orc: what files arrive as and what bronze keeps
  --columns                    JSON list of {name, type, nullable}: the declared schema
  --keys, --cdc                key columns; whether the source delivers change events (_op, _change_seq)
  --metadata_columns           the ingestion metadata columns of the bronze table, in order
  --partition_column           bronze partition column (the UTC date of the run)
  --source_description         what `_source` records
  --target_database/_table     the bronze Glue table (partitions are registered in it)
  --target_bucket/_prefix      where bronze data goes: s3://<bucket>/<domain>/<dataset>/
  --quarantine_prefix          where records that break the declared schema go
  database: --connection_name, --engine, --source_table, --bookmark_keys
  api:      --base_url, --api_path, --pagination (none | page | cursor), optional --api_auth_name
  files:    --landing_pattern (a glob under the bronze bucket), --csv_header, --csv_delimiter

What a run does:
  1. Reads only what is new since the last successful run: job bookmarks track the JDBC bookmark keys
     (the change sequence for CDC sources, the key columns otherwise) and the files already read from
     the landing prefix. API sources are read in full each run (an API has no bookmark); the
     `_batch_id` of each run tells the runs apart downstream.
  2. Conforms the records to the declared schema (below), adds the ingestion metadata columns
     (`_op`/`_change_seq` from CDC sources, `_source_file` for files, `_source`, `_batch_id` = the
     Glue job run id, `_ingested_at` = the run's start in UTC) and the partition column.
  3. Appends them to s3://<bronze>/<domain>/<dataset>/<partition>=<YYYY-MM-DD>/ in the dataset's
     format (SSE-KMS through the bucket default and the job's security configuration), registers the
     partition in the bronze table, and commits the bookmark only after both succeeded.

Schema evolution (the declared columns in platform.yaml are the contract):
  * New columns in the source are kept in the files for self-describing formats (Parquet, ORC, JSON)
    after the declared and metadata columns, and logged as a warning so that the definition can
    declare them; readers of the bronze table see only declared columns until it does (Spark readers
    can opt into them with mergeSchema). CSV is positional and Avro files are written with the bronze
    table's own Avro schema, so undeclared CSV and Avro columns are dropped, with the same warning.
  * Declared columns missing from the source are added as typed nulls; a missing column that is
    declared not nullable (keys always are) fails the run: that is a breaking change at the source.
  * Type changes are not followed: every declared column is cast to its declared type, and a record
    whose non-null value does not cast (or whose not-nullable column is null) is quarantined, whole
    and as read, as JSON under s3://<bronze>/_quarantine/<domain>/<dataset>/<partition>=<date>/ with
    the reason. The run succeeds and logs how many records it set aside; the data-quality step then
    decides whether the load is good enough.
  * CDC sources must deliver `_op` and `_change_seq`; without them the run fails.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import logging
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Sequence

LOG = logging.getLogger("glue_ingest")

COMMON_ARGUMENTS = [
    "JOB_NAME",
    "dataset",
    "domain",
    "source_kind",
    "format",
    "cdc",
    "columns",
    "keys",
    "metadata_columns",
    "partition_column",
    "source_description",
    "target_database",
    "target_table",
    "target_bucket",
    "target_prefix",
    "quarantine_prefix",
]
KIND_ARGUMENTS = {
    "database": ["connection_name", "engine", "source_table", "bookmark_keys"],
    "api": ["base_url", "api_path", "pagination"],
    "files": ["landing_pattern", "csv_header", "csv_delimiter"],
}
OPTIONAL_ARGUMENTS = {"api": ["api_auth_name"]}
SUPPORTED_FORMATS = ("json", "csv", "avro", "parquet", "orc")
SELF_DESCRIBING_FORMATS = ("json", "parquet", "orc")
# Text formats write timestamps the way Hive SerDes read them (Spark's default has a "T" and a zone).
TEXT_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss.SSSSSS"
# Glue's JDBC connection types per definition engine.
JDBC_CONNECTION_TYPES = {"postgres": "postgresql", "mysql": "mysql", "sqlserver": "sqlserver", "oracle": "oracle"}
CDC_COLUMNS = ("_op", "_change_seq")
COLUMN_TYPE = re.compile(r"^(string|int|bigint|double|boolean|date|timestamp|decimal\(\d{1,2},\d{1,2}\))$")
MAX_API_PAGES = 10_000
API_TIMEOUT_SECONDS = 60
API_ATTEMPTS = 5


class IngestionError(Exception):
    """A problem the run cannot recover from; the message says what to fix."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool


@dataclass(frozen=True)
class Options:
    job_name: str
    dataset: str
    domain: str
    source_kind: str
    format: str
    cdc: bool
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    metadata_columns: tuple[str, ...]
    partition_column: str
    source_description: str
    target_database: str
    target_table: str
    target_bucket: str
    target_prefix: str
    quarantine_prefix: str
    extra: Mapping[str, str]

    @property
    def target_path(self) -> str:
        return f"s3://{self.target_bucket}/{self.target_prefix}"

    @property
    def quarantine_path(self) -> str:
        return f"s3://{self.target_bucket}/{self.quarantine_prefix}"


# ---------------------------------------------------------------------------------------------
# Arguments


def raw_arguments(argv: Sequence[str], names: Iterable[str]) -> dict[str, str]:
    """The `--name value` pairs of `names` in argv (the same rules as awsglue.utils.getResolvedOptions)."""
    wanted = set(names)
    found: dict[str, str] = {}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token.startswith("--"):
            key, has_value, value = token[2:].partition("=")
            if not has_value and index + 1 < len(argv):
                value = argv[index + 1]
                index += 1
            if key in wanted:
                found[key] = value
        index += 1
    return found


def parse_options(argv: Sequence[str]) -> Options:
    """The run's options from the job arguments; one IngestionError naming every missing or bad argument."""
    common = raw_arguments(argv, COMMON_ARGUMENTS)
    kind = common.get("source_kind", "")
    required = COMMON_ARGUMENTS + KIND_ARGUMENTS.get(kind, [])
    values = raw_arguments(argv, required + OPTIONAL_ARGUMENTS.get(kind, []))
    problems = [f"--{name} is missing" for name in required if name not in values]
    if kind not in KIND_ARGUMENTS:
        problems.append(f"--source_kind {kind!r} is not supported here; supported: {', '.join(KIND_ARGUMENTS)} (streams use the streaming job)")
    if values.get("format") not in SUPPORTED_FORMATS:
        problems.append(f"--format {values.get('format')!r} is not supported; supported: {', '.join(SUPPORTED_FORMATS)}")
    if kind == "database" and values.get("engine") not in JDBC_CONNECTION_TYPES:
        problems.append(f"--engine {values.get('engine')!r} is not supported; supported: {', '.join(JDBC_CONNECTION_TYPES)}")
    if kind == "api" and values.get("pagination") not in ("none", "page", "cursor"):
        problems.append(f"--pagination {values.get('pagination')!r} is not supported; supported: none, page, cursor")
    columns: tuple[Column, ...] = ()
    if "columns" in values:
        try:
            columns = parse_columns(values["columns"])
        except IngestionError as error:
            problems.append(str(error))
    if problems:
        raise IngestionError("; ".join(problems))
    extra = {name: values[name] for name in KIND_ARGUMENTS[kind] + OPTIONAL_ARGUMENTS.get(kind, []) if name in values}
    return Options(
        job_name=values["JOB_NAME"],
        dataset=values["dataset"],
        domain=values["domain"],
        source_kind=kind,
        format=values["format"],
        cdc=values["cdc"] == "true",
        columns=columns,
        keys=tuple(split_list(values["keys"])),
        metadata_columns=tuple(split_list(values["metadata_columns"])),
        partition_column=values["partition_column"],
        source_description=values["source_description"],
        target_database=values["target_database"],
        target_table=values["target_table"],
        target_bucket=values["target_bucket"],
        target_prefix=values["target_prefix"],
        quarantine_prefix=values["quarantine_prefix"],
        extra=extra,
    )


def split_list(value: str) -> list[str]:
    return [item for item in (part.strip() for part in value.split(",")) if item]


def parse_columns(text: str) -> tuple[Column, ...]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestionError(f"--columns is not JSON: {error}") from error
    if not isinstance(parsed, list) or not parsed:
        raise IngestionError("--columns must be a non-empty JSON list of {name, type, nullable}")
    columns = []
    for item in parsed:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not COLUMN_TYPE.match(str(item.get("type", ""))):
            raise IngestionError(f"--columns has an invalid column {item!r}; each needs a name and a type such as string, bigint, decimal(18,2)")
        columns.append(Column(item["name"], item["type"], bool(item.get("nullable", True))))
    return tuple(columns)


# ---------------------------------------------------------------------------------------------
# Schema evolution (pure: decided on column names before Spark touches the data)


@dataclass(frozen=True)
class SchemaPlan:
    """How incoming columns map onto the declared schema."""

    present: tuple[str, ...]
    missing: tuple[str, ...]
    undeclared: tuple[str, ...]
    kept_undeclared: tuple[str, ...]


def plan_schema(declared: Sequence[Column], incoming: Sequence[str], data_format: str, reserved: Iterable[str] = ()) -> SchemaPlan:
    """Which declared columns arrived, which are missing, and which undeclared ones are kept.

    Raises IngestionError when a not-nullable declared column is missing (a breaking source change).
    Column names match case-insensitively, as Glue and Hive treat them.
    """
    by_lower = {name.lower(): name for name in incoming}
    reserved_lower = {name.lower() for name in reserved}
    declared_lower = {column.name.lower() for column in declared}
    present = tuple(column.name for column in declared if column.name.lower() in by_lower)
    missing = tuple(column.name for column in declared if column.name.lower() not in by_lower)
    breaking = [column.name for column in declared if column.name in missing and not column.nullable]
    if breaking:
        raise IngestionError(f"the source no longer delivers not-nullable column(s) {', '.join(breaking)}; fix the source or the definition")
    undeclared = tuple(name for name in incoming if name.lower() not in declared_lower and name.lower() not in reserved_lower)
    kept = undeclared if data_format in SELF_DESCRIBING_FORMATS else ()
    return SchemaPlan(present, missing, undeclared, kept)


def output_columns(options: Options, plan: SchemaPlan) -> list[str]:
    """Column order of the written files: declared, metadata, kept undeclared, then the partition column."""
    return [column.name for column in options.columns] + list(options.metadata_columns) + list(plan.kept_undeclared) + [options.partition_column]


# ---------------------------------------------------------------------------------------------
# Files


def glob_to_regex(pattern: str) -> str:
    """A regex matching object keys against a landing glob; `*` and `?` stay within one path segment."""
    regex = fnmatch.translate(pattern)
    # fnmatch lets * cross "/"; landing globs are per folder, as in a shell.
    return regex.replace(".*", "[^/]*")


def landing_root(pattern: str) -> str:
    """The fixed folder of a glob: `_landing/incoming/products/*.csv` -> `_landing/incoming/products/`."""
    wildcard = re.search(r"[*?\[{]", pattern)
    fixed = pattern if wildcard is None else pattern[: wildcard.start()]
    return fixed[: fixed.rfind("/") + 1]


def file_format_options(data_format: str, header: bool, delimiter: str) -> dict[str, Any]:
    """Glue DynamicFrame format options for reading landing files."""
    if data_format == "csv":
        return {"withHeader": header, "separator": delimiter, "quoteChar": '"', "escaper": "\\"}
    if data_format == "json":
        return {"multiline": False}
    return {}


# ---------------------------------------------------------------------------------------------
# REST APIs


@dataclass(frozen=True)
class Page:
    records: list[Any]
    next_cursor: str | None


RECORD_FIELDS = ("data", "items", "results", "records")
CURSOR_FIELDS = ("next_cursor", "nextCursor", "cursor", "next")


def extract_page(body: Any) -> Page:
    """Records and the next cursor of one API response: a JSON list, or an object holding one."""
    if isinstance(body, list):
        return Page(body, None)
    if isinstance(body, dict):
        records = next((body[field] for field in RECORD_FIELDS if isinstance(body.get(field), list)), None)
        if records is None:
            raise IngestionError(f"the API response has no list of records (looked for {', '.join(RECORD_FIELDS)}); keys: {', '.join(sorted(body))}")
        cursor = next((body[field] for field in CURSOR_FIELDS if isinstance(body.get(field), str) and body.get(field)), None)
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        cursor = cursor or next((meta[field] for field in CURSOR_FIELDS if isinstance(meta.get(field), str) and meta.get(field)), None)
        return Page(records, cursor)
    raise IngestionError(f"the API response is {type(body).__name__}, not a JSON list or object")


def page_url(base_url: str, path: str, pagination: str, page: int, cursor: str | None, page_size: int = 500) -> str:
    """The URL of one page: `?page=N&page_size=M` (page), `?cursor=C` (cursor), or the plain URL."""
    url = base_url.rstrip("/") + path
    params: dict[str, str] = {}
    if pagination == "page":
        params = {"page": str(page), "page_size": str(page_size)}
    elif pagination == "cursor" and cursor:
        params = {"cursor": cursor}
    if not params:
        return url
    separator = "&" if urllib.parse.urlparse(url).query else "?"
    return url + separator + urllib.parse.urlencode(params)


def auth_headers(secret: Mapping[str, Any] | None) -> dict[str, str]:
    """HTTP headers from the API secret: {"token"} (bearer), {"header", "value"}, or {"username", "password"} (basic)."""
    if not secret:
        return {}
    if isinstance(secret.get("token"), str):
        return {"Authorization": f"Bearer {secret['token']}"}
    if isinstance(secret.get("header"), str) and isinstance(secret.get("value"), str):
        return {secret["header"]: secret["value"]}
    if isinstance(secret.get("username"), str) and isinstance(secret.get("password"), str):
        pair = f"{secret['username']}:{secret['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    raise IngestionError("the API secret must hold token, header and value, or username and password")


def fetch_all(options: Options, headers: Mapping[str, str], get: Callable[[str, Mapping[str, str]], Any]) -> list[Any]:
    """Every record of the API, following the definition's pagination."""
    pagination = options.extra["pagination"]
    records: list[Any] = []
    cursor: str | None = None
    for page in range(1, MAX_API_PAGES + 1):
        result = extract_page(get(page_url(options.extra["base_url"], options.extra["api_path"], pagination, page, cursor), headers))
        records.extend(result.records)
        if pagination == "none":
            return records
        if pagination == "page" and not result.records:
            return records
        if pagination == "cursor":
            if not result.next_cursor or result.next_cursor == cursor:
                return records
            cursor = result.next_cursor
    raise IngestionError(f"the API returned more than {MAX_API_PAGES} pages; raise MAX_API_PAGES or filter the API")


def http_get_json(url: str, headers: Mapping[str, str], attempts: int = API_ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> Any:
    """GET a JSON document over HTTPS, retrying throttling and server errors with exponential backoff."""
    if not url.startswith("https://"):
        raise IngestionError(f"refusing to call {url}: API sources must use https")
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=API_TIMEOUT_SECONDS) as response:  # noqa: S310 (https only, checked above)
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            if error.code not in (429, 500, 502, 503, 504) or attempt == attempts:
                raise IngestionError(f"GET {url} failed with HTTP {error.code}") from error
        except urllib.error.URLError as error:
            if attempt == attempts:
                raise IngestionError(f"GET {url} failed: {error.reason}") from error
        sleep(min(2 ** attempt, 60))
    raise IngestionError(f"GET {url} failed after {attempts} attempts")


# ---------------------------------------------------------------------------------------------
# Catalog partitions


def partition_input(table: Mapping[str, Any], partition_value: str, location: str) -> dict[str, Any]:
    """A Glue PartitionInput for one new partition: the table's storage descriptor at the partition's location."""
    descriptor = dict(table["StorageDescriptor"])
    descriptor["Location"] = location
    return {"Values": [partition_value], "StorageDescriptor": descriptor, "Parameters": dict(table.get("Parameters", {}))}


def register_partition(glue: Any, options: Options, table: Mapping[str, Any], partition_value: str) -> None:
    """Adds the run's partition to the bronze table unless it is already there."""
    location = f"{options.target_path}{options.partition_column}={partition_value}/"
    result = glue.batch_create_partition(
        DatabaseName=options.target_database,
        TableName=options.target_table,
        PartitionInputList=[partition_input(table, partition_value, location)],
    )
    errors = [error for error in result.get("Errors", []) if error.get("ErrorDetail", {}).get("ErrorCode") != "AlreadyExistsException"]
    if errors:
        raise IngestionError(f"could not register partition {partition_value} of {options.target_database}.{options.target_table}: {errors}")


# ---------------------------------------------------------------------------------------------
# The Spark part (runs only inside Glue)


def read_source(glue_context: Any, spark: Any, options: Options) -> Any:
    """The new records of the source as a Spark DataFrame."""
    from pyspark.sql import functions as F  # noqa: N812 (Spark convention)

    if options.source_kind == "database":
        frame = glue_context.create_dynamic_frame.from_options(
            connection_type=JDBC_CONNECTION_TYPES[options.extra["engine"]],
            connection_options={"useConnectionProperties": "true", "connectionName": options.extra["connection_name"], "dbtable": options.extra["source_table"]},
            additional_options={"jobBookmarkKeys": split_list(options.extra["bookmark_keys"]), "jobBookmarkKeysSortOrder": "asc"},
            transformation_ctx="source",
        )
        return frame.toDF()
    if options.source_kind == "files":
        pattern = options.extra["landing_pattern"]
        frame = glue_context.create_dynamic_frame.from_options(
            connection_type="s3",
            # attachFilename: Glue adds each record's file (input_file_name() is empty after toDF()).
            connection_options={"paths": [f"s3://{options.target_bucket}/{landing_root(pattern)}"], "recurse": True, "attachFilename": "_source_file"},
            format=options.format,
            format_options=file_format_options(options.format, options.extra["csv_header"] == "true", options.extra["csv_delimiter"]),
            transformation_ctx="source",
        )
        matcher = glob_to_regex(f"s3://{options.target_bucket}/{pattern}")
        return frame.toDF().where(F.col("_source_file").rlike(matcher))
    secret = None
    if "api_auth_name" in options.extra:
        import boto3

        secret = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=options.extra["api_auth_name"])["SecretString"])
    records = fetch_all(options, auth_headers(secret), http_get_json)
    lines = spark.sparkContext.parallelize([json.dumps(record) for record in records])
    return spark.read.json(lines) if records else spark.createDataFrame([], "_empty string")


def typed_column(F: Any, raw: Any, column: Column) -> tuple[Any, list[Any]]:  # noqa: N803 (Spark's functions module)
    """The declared-type value of one raw column, and the reasons it rejects a row: a value that does not
    cast to the declared type, or a null in a not-nullable column. Batch and streaming landing share it."""
    cast = raw.cast(column.type)
    problems = [F.when(raw.isNotNull() & cast.isNull(), F.lit(f"{column.name}: not a {column.type}"))]
    if not column.nullable:
        problems.append(F.when(raw.isNull(), F.lit(f"{column.name}: null in a not-nullable column")))
    return cast.alias(column.name), problems


def conform(df: Any, options: Options, run: Mapping[str, str]) -> tuple[Any, Any, SchemaPlan]:
    """(records for bronze, quarantined records, plan): cast to the declared schema, add metadata and partition."""
    from pyspark.sql import functions as F  # noqa: N812

    reserved = set(options.metadata_columns) | {options.partition_column}
    plan = plan_schema(options.columns, df.columns, options.format, reserved)
    if plan.undeclared:
        LOG.warning("%s: source delivers undeclared column(s) %s; %s", options.dataset, ", ".join(plan.undeclared), "kept in the files" if plan.kept_undeclared else f"dropped ({options.format} files follow the table's columns)")
    if options.cdc:
        lacking = [name for name in CDC_COLUMNS if name.lower() not in {c.lower() for c in df.columns}]
        if lacking:
            raise IngestionError(f"{options.dataset} is a CDC dataset but the source has no {', '.join(lacking)}")
    actual = {name.lower(): name for name in df.columns}
    problems = []
    casts = []
    for column in options.columns:
        if column.name in plan.missing:
            casts.append(F.lit(None).cast(column.type).alias(column.name))
            continue
        typed, column_problems = typed_column(F, F.col(f"`{actual[column.name.lower()]}`"), column)
        casts.append(typed)
        problems.extend(column_problems)
    metadata = {
        "_op": F.lower(F.col(f"`{actual['_op']}`")) if "_op" in actual else None,
        "_change_seq": F.col(f"`{actual['_change_seq']}`").cast("bigint") if "_change_seq" in actual else None,
        "_source_file": F.col("_source_file") if "_source_file" in actual else None,
        "_source": F.lit(options.source_description),
        "_batch_id": F.lit(run["batch_id"]),
        "_ingested_at": F.lit(run["ingested_at"]).cast("timestamp"),
    }
    extras = [F.col(f"`{actual[name.lower()]}`").alias(name) for name in plan.kept_undeclared]
    with_reason = df.withColumn("_rejected_because", F.concat_ws("; ", *problems) if problems else F.lit(""))
    conformed = with_reason.select(
        *casts,
        *[(metadata.get(name) if metadata.get(name) is not None else F.lit(None).cast("string")).alias(name) for name in options.metadata_columns],
        *extras,
        F.lit(run["partition_value"]).alias(options.partition_column),
        F.col("_rejected_because"),
    )
    good = conformed.where(F.col("_rejected_because") == "").drop("_rejected_because").select(*output_columns(options, plan))
    bad = with_reason.where(F.col("_rejected_because") != "").select(
        F.to_json(F.struct(*[F.col(f"`{name}`") for name in df.columns])).alias("record"),
        F.col("_rejected_because").alias("reason"),
        F.lit(run["batch_id"]).alias("_batch_id"),
        F.lit(run["partition_value"]).alias(options.partition_column),
    )
    return good, bad, plan


def avro_schema_of(table: Mapping[str, Any]) -> str:
    """The Avro schema a bronze Avro table declares (the catalog stack writes it from the definition)."""
    descriptor = table.get("StorageDescriptor", {})
    schema = descriptor.get("SerdeInfo", {}).get("Parameters", {}).get("avro.schema.literal") or table.get("Parameters", {}).get("avro.schema.literal")
    if not schema:
        raise IngestionError(f"table {table.get('DatabaseName')}.{table.get('Name')} has no avro.schema.literal; redeploy its catalog stack")
    return schema


def write_bronze(df: Any, options: Options, table: Mapping[str, Any]) -> None:
    """Appends the records to the dataset's bronze prefix, one folder per partition value."""
    writer = df.write.mode("append").partitionBy(options.partition_column)
    if options.format == "csv":
        writer.option("header", "true").option("sep", options.extra.get("csv_delimiter", ",")).option("timestampFormat", TEXT_TIMESTAMP_FORMAT).csv(options.target_path)
    elif options.format == "json":
        writer.option("timestampFormat", TEXT_TIMESTAMP_FORMAT).json(options.target_path)
    elif options.format == "avro":
        # The table's schema, so the files' decimal and timestamp encodings are the ones readers expect.
        writer.format("avro").option("avroSchema", avro_schema_of(table)).save(options.target_path)
    elif options.format == "orc":
        writer.option("compression", "snappy").orc(options.target_path)
    else:
        writer.option("compression", "snappy").parquet(options.target_path)


def main(argv: Sequence[str]) -> None:
    import boto3
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = parse_options(argv)
    raw = raw_arguments(argv, ["JOB_RUN_ID"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(options.job_name, {"JOB_NAME": options.job_name})
    started = datetime.now(timezone.utc)
    run = {
        "batch_id": raw.get("JOB_RUN_ID", f"manual-{started:%Y%m%dT%H%M%SZ}"),
        "ingested_at": started.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "partition_value": started.strftime("%Y-%m-%d"),
    }
    source = read_source(glue_context, spark, options)
    if source.rdd.isEmpty():
        LOG.info("%s: nothing new since the last run", options.dataset)
        job.commit()
        return
    good, bad, _plan = conform(source, options, run)
    good.cache()
    landed = good.count()
    rejected = bad.count()
    if landed:
        glue = boto3.client("glue")
        table = glue.get_table(DatabaseName=options.target_database, Name=options.target_table)["Table"]
        write_bronze(good, options, table)
        register_partition(glue, options, table, run["partition_value"])
    if rejected:
        bad.write.mode("append").partitionBy(options.partition_column).json(options.quarantine_path)
        LOG.warning("%s: quarantined %d record(s) under %s", options.dataset, rejected, options.quarantine_path)
    LOG.info("%s: landed %d record(s) in %s (batch %s)", options.dataset, landed, options.target_path, run["batch_id"])
    job.commit()


if __name__ == "__main__":
    try:
        main(sys.argv)
    except IngestionError as failure:
        LOG.error("%s", failure)
        raise
