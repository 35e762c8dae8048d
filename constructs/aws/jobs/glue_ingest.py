"""Generic batch ingestion into the bronze layer (AWS Glue 5.0, PySpark).

One script serves every batch dataset of the platform definition; the Glue job of a dataset passes
everything dataset-specific as job arguments (lib/lake/ingestion-arguments.ts builds them):

  --dataset, --domain          the dataset and its domain
  --source_kind                database | api | files
  --format                     json | csv | avro | parquet | orc: what files arrive as and what bronze keeps;
                               binary: any file, listed in a manifest (see "Binary datasets" below)
  --columns                    JSON list of {name, type, nullable}: the declared schema
  --keys, --cdc                key columns; whether the source delivers change events (_op, _change_seq)
  --metadata_columns           the ingestion metadata columns of the bronze table, in order
  --partition_column           bronze partition column (the UTC date of the run)
  --source_description         what `_source` records
  --target_database/_table     the bronze Glue table (partitions are registered in it)
  --target_bucket/_prefix      where bronze data goes: s3://<bucket>/<domain>/<dataset>/
  --quarantine_prefix          where records that break the declared schema go
  database: --connection_name, --engine, --source_table, --load (incremental | snapshot) and, for
            incremental loads, --bookmark_keys (`_change_seq` for CDC, else the change-tracking column)
            captured (cdc: true, changes landed by AWS DMS): --change_capture dms, --landing_pattern (the
            replication's files under _landing/cdc/) and --change_sequence_column (see dms_change_events)
  api:      --base_url, --api_path, --pagination (none | page | cursor), optional --api_auth_name
  files:    --landing_pattern (a glob under the bronze bucket), --csv_header, --csv_delimiter; binary files
            instead of the CSV dialect: --max_content_bytes, --content_types (JSON: extension -> media
            type), --unknown_content_type

Layout: the core (`ingest`, below the "Core" line) takes a SparkSession, the parsed `Options` and a
`Platform`: the few things the runtime provides (read a database table from its bookmark, list the
landing files not read yet, fetch a secret, the bronze table's Avro schema, register a partition,
commit the bookmark). `GluePlatform` and `main` are the thin Glue entry point (GlueContext, Job, job
bookmarks, getResolvedOptions-style arguments, Glue connections, Secrets Manager, the Data Catalog);
the tests in test/spark run the same core on local Spark with a local Platform (PostgreSQL over
Spark's JDBC reader with a bookmark file, a processed-files log, a local HTTP server).

What a run does:
  1. Reads only what is new since the last successful run:
     * database, incremental: the rows whose bookmark column is greater than the highest value the
       last successful run read (Glue job bookmarks on `jobBookmarkKeys`). The bookmark column is
       `_change_seq` for CDC sources, else the dataset's `source.changeTrackingColumn`: a column the
       source sets on every insert and update to a value strictly greater than any committed before
       (a sequence, a row version, a commit timestamp), as Glue requires of bookmark keys. A changed
       row is read again because its change-tracking value grew; the definition refuses a database
       source without CDC that has neither a change-tracking column nor `load: snapshot`.
     * database, captured (`--change_capture dms`): the change files AWS DMS landed under
       `_landing/cdc/` that no successful run has read (job bookmarks on the S3 source, as for files),
       mapped to `_op`/`_change_seq` by `dms_change_events`; the database itself is not read.
     * database, snapshot: the whole table every run, without a bookmark; each run's `_batch_id`
       marks one complete snapshot, which downstream deduplicates (the latest snapshot wins).
     * files: the files under the landing prefix that match the glob and that no successful run has
       read (Glue job bookmarks on the S3 source), read with Spark's own readers: CSV as text (every
       column a string, header and delimiter from the definition; without a header, columns are
       matched by position), JSON one record per line, Parquet and ORC merging the files' schemas.
     * api: every record, in full each run (an API has no bookmark), following the pagination and
       retrying HTTP 429 and 5xx (honouring Retry-After) with backoff. Only https URLs are called
       (plain http only to a loopback address, for tests).
  2. Conforms the records to the declared schema (below), adds the ingestion metadata columns
     (`_op`/`_change_seq` from CDC sources, `_source_file` for files, `_source`, `_batch_id` = the
     Glue job run id, `_ingested_at` = the run's start in UTC) and the partition column.
  3. Appends them to s3://<bronze>/<domain>/<dataset>/<partition>=<YYYY-MM-DD>/ in the dataset's
     format (SSE-KMS through the bucket default and the job's security configuration), registers the
     partition in the bronze table, and commits the bookmark only after both succeeded. Every record
     read lands once: in bronze or in the quarantine (the run logs and returns both counts).

Schema evolution (the declared columns in platform.yaml are the contract):
  * New columns in the source are kept in the files for self-describing formats (Parquet, ORC, JSON)
    after the declared and metadata columns, and logged as a warning so that the definition can
    declare them; readers of the bronze table see only declared columns until it does (Spark readers
    can opt into them with mergeSchema). CSV is positional and Avro files are written with the bronze
    table's own Avro schema, so undeclared CSV and Avro columns are dropped, with the same warning.
  * Declared columns missing from the source are added as typed nulls; a missing column that is
    declared not nullable (keys always are) fails the run with the dataset and the column named: that
    is a breaking change at the source.
  * Type changes are not followed: every declared column is cast to its declared type, and a record
    whose non-null value does not cast (or whose not-nullable column is null, except the non-key
    columns of a CDC delete, which may carry only its key; or a JSON line that is
    not JSON) is quarantined, whole and as read, as JSON under
    s3://<bronze>/_quarantine/<domain>/<dataset>/<partition>=<date>/ with the reason. The run
    succeeds and logs how many records it set aside; the data-quality step then decides whether the
    load is good enough.
  * CDC sources must deliver `_op` and `_change_seq`; without them the run fails.

Binary datasets (--format binary; lib/lake/binary-manifest.ts is the contract): the files stay where
they landed (under _landing/ of the bronze bucket, under its Object Lock) and the run appends one
manifest row per new file to s3://<bronze>/<domain>/<dataset>/<partition>=<date>/ as Parquet: path,
size_bytes, modified_at, content_type (by extension), content_sha256, content (null above
--max_content_bytes, with content_omitted true), is_duplicate and duplicate_of (the earliest row of the
same hash, in the manifest or the run, wins), then _source, _batch_id, _ingested_at. The manifest is the
bookmark: a file whose path is already in it is not listed again (so a rerun of a failed run lists
nothing twice). Spark's binaryFile reads each file whole, so a file above 2 GiB - 1 fails the run,
naming the file (Spark's own limit).

A problem the run cannot get past raises IngestionError with the dataset and what to fix; the entry
point prints that message and exits 1, without a stack trace.
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
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

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
    "database": ["connection_name", "engine", "source_table", "load"],
    "api": ["base_url", "api_path", "pagination"],
    "files": ["landing_pattern"],
}
# What a files dataset needs beyond the landing pattern: the CSV dialect (records), or the manifest settings (binary).
FILES_FORMAT_ARGUMENTS = {"binary": ["max_content_bytes", "content_types", "unknown_content_type"]}
RECORD_FILES_ARGUMENTS = ["csv_header", "csv_delimiter"]
OPTIONAL_ARGUMENTS = {"api": ["api_auth_name"], "database": ["bookmark_keys", "change_capture", "landing_pattern", "change_sequence_column"]}
# How a captured database dataset's change files are shaped (lib/lake/change-capture.ts): only AWS DMS's S3 Parquet so far.
CHANGE_CAPTURE_FORMATS = ("dms",)
DATABASE_LOADS = ("incremental", "snapshot")
SUPPORTED_FORMATS = ("json", "csv", "avro", "parquet", "orc", "binary")
SELF_DESCRIBING_FORMATS = ("json", "parquet", "orc")
# Text formats write timestamps the way Hive SerDes read them (Spark's default has a "T" and a zone).
TEXT_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss.SSSSSS"
# Glue's JDBC connection types per definition engine.
JDBC_CONNECTION_TYPES = {"postgres": "postgresql", "mysql": "mysql", "sqlserver": "sqlserver", "oracle": "oracle"}
CDC_COLUMNS = ("_op", "_change_seq")
COLUMN_TYPE = re.compile(r"^(string|int|bigint|double|boolean|date|timestamp|binary|decimal\(\d{1,2},\d{1,2}\))$")
CORRUPT_RECORD = "_corrupt_record"
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
    # Where buckets live: s3:// on AWS; a local folder URI (file:///…/) in tests.
    storage_root: str = "s3://"

    @property
    def target_path(self) -> str:
        return f"{self.storage_root}{self.target_bucket}/{self.target_prefix}"

    @property
    def quarantine_path(self) -> str:
        return f"{self.storage_root}{self.target_bucket}/{self.quarantine_prefix}"

    def bucket_path(self, key: str) -> str:
        """The URI of a key in the bronze bucket (landing files live there too)."""
        return f"{self.storage_root}{self.target_bucket}/{key}"

    @property
    def bookmark_keys(self) -> list[str]:
        """The bookmark columns of an incremental database load; none for snapshots and other sources."""
        return split_list(self.extra.get("bookmark_keys", "")) if self.extra.get("load") == "incremental" else []


@dataclass(frozen=True)
class Run:
    """One ingestion run: its batch id, start time and the bronze partition it writes."""

    batch_id: str
    ingested_at: str
    partition_value: str

    @staticmethod
    def starting(batch_id: str | None, started: datetime) -> "Run":
        """The run that starts at `started` (UTC); `manual-<time>` when the runtime gives no run id."""
        return Run(batch_id or f"manual-{started:%Y%m%dT%H%M%SZ}", started.strftime("%Y-%m-%d %H:%M:%S.%f"), started.strftime("%Y-%m-%d"))


@dataclass(frozen=True)
class IngestResult:
    """What one run did: records read, landed in bronze and quarantined (read = landed + quarantined)."""

    read: int
    landed: int
    quarantined: int
    files: tuple[str, ...] = ()


class Platform(Protocol):
    """What the runtime provides the core: GluePlatform on AWS, a local implementation in the tests."""

    def read_database(self, spark: Any, options: Options) -> Any:
        """The rows of options.extra["source_table"] past the bookmark (every row for a snapshot load)."""

    def new_landing_files(self, spark: Any, options: Options) -> list[str]:
        """URIs of the files under the landing prefix that no successful run has read (any name: the core applies the glob)."""

    def secret(self, name: str) -> Mapping[str, Any]:
        """The JSON value of a secret, by name."""

    def avro_schema(self, options: Options) -> str:
        """The Avro schema the bronze table declares (Avro datasets only)."""

    def register_partition(self, options: Options, partition_value: str) -> None:
        """Makes the run's bronze partition visible to the table's readers."""

    def commit(self) -> None:
        """Records the bookmark and the files read: called once, after bronze and its partition are written."""


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
    if kind == "files":
        required = required + FILES_FORMAT_ARGUMENTS.get(common.get("format", ""), RECORD_FILES_ARGUMENTS)
    values = raw_arguments(argv, required + OPTIONAL_ARGUMENTS.get(kind, []))
    problems = [f"--{name} is missing" for name in required if name not in values]
    if kind not in KIND_ARGUMENTS:
        problems.append(f"--source_kind {kind!r} is not supported here; supported: {', '.join(KIND_ARGUMENTS)} (streams use the streaming job)")
    if values.get("format") not in SUPPORTED_FORMATS:
        problems.append(f"--format {values.get('format')!r} is not supported; supported: {', '.join(SUPPORTED_FORMATS)}")
    if kind == "database" and values.get("engine") not in JDBC_CONNECTION_TYPES:
        problems.append(f"--engine {values.get('engine')!r} is not supported; supported: {', '.join(JDBC_CONNECTION_TYPES)}")
    if kind == "database" and values.get("load") not in DATABASE_LOADS:
        problems.append(f"--load {values.get('load')!r} is not supported; supported: {', '.join(DATABASE_LOADS)}")
    if kind == "database" and values.get("load") == "incremental" and not split_list(values.get("bookmark_keys", "")):
        problems.append("--bookmark_keys is missing: an incremental database load needs its bookmark column")
    if kind == "database" and "change_capture" in values:
        if values["change_capture"] not in CHANGE_CAPTURE_FORMATS:
            problems.append(f"--change_capture {values['change_capture']!r} is not supported; supported: {', '.join(CHANGE_CAPTURE_FORMATS)}")
        problems += [f"--{name} is missing: captured changes are read from landed files" for name in ("landing_pattern", "change_sequence_column") if not values.get(name)]
        if values.get("cdc") != "true":
            problems.append("--change_capture needs --cdc true: captured files are change events")
    if values.get("format") == "binary":
        problems += binary_argument_problems(kind, values)
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
    extra = {name: values[name] for name in required + OPTIONAL_ARGUMENTS.get(kind, []) if name in values and name not in COMMON_ARGUMENTS}
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


def binary_argument_problems(kind: str, values: Mapping[str, str]) -> list[str]:
    """What is wrong with a binary dataset's arguments: a files source, a whole-number limit, a JSON map of content types."""
    problems = []
    if kind != "files":
        problems.append(f"--format binary needs --source_kind files, not {kind!r}")
    limit = values.get("max_content_bytes")
    if limit is not None and not re.fullmatch(r"[0-9]+", limit):
        problems.append(f"--max_content_bytes {limit!r} is not a whole number of bytes")
    types = values.get("content_types")
    if types is not None:
        try:
            parsed = json.loads(types)
        except json.JSONDecodeError as error:
            parsed = None
            problems.append(f"--content_types is not JSON: {error}")
        if parsed is not None and not (isinstance(parsed, dict) and all(isinstance(key, str) and isinstance(value, str) for key, value in parsed.items())):
            problems.append("--content_types must be a JSON object of file extension -> media type")
    return problems


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


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
RETRYABLE_STATUS = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER_SECONDS = 60


def allowed_url(url: str) -> bool:
    """https anywhere; plain http only to a loopback address (the local test server)."""
    parsed = urllib.parse.urlparse(url)
    return parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS)


def retry_delay(attempt: int, retry_after: str | None) -> float:
    """Seconds to wait before the next attempt: the server's Retry-After (in seconds) when it sends one, else 1, 2, 4 … s; at most 60."""
    if retry_after is not None and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), MAX_RETRY_AFTER_SECONDS)
    return min(2 ** (attempt - 1), MAX_RETRY_AFTER_SECONDS)


def http_get_json(url: str, headers: Mapping[str, str], attempts: int = API_ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> Any:
    """GET a JSON document over HTTPS, retrying throttling and server errors (Retry-After, else exponential backoff)."""
    if not allowed_url(url):
        raise IngestionError(f"refusing to call {url}: API sources must use https")
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=API_TIMEOUT_SECONDS) as response:  # noqa: S310 (https, or http to loopback, checked above)
                body = response.read().decode("utf-8")
            try:
                return json.loads(body)
            except json.JSONDecodeError as error:
                raise IngestionError(f"GET {url} returned a body that is not JSON: {error}") from error
        except urllib.error.HTTPError as error:
            if error.code not in RETRYABLE_STATUS or attempt == attempts:
                raise IngestionError(f"GET {url} failed with HTTP {error.code}") from error
            delay = retry_delay(attempt, error.headers.get("Retry-After") if error.headers else None)
            LOG.warning("GET %s: HTTP %d, retrying in %.0f s (attempt %d of %d)", url, error.code, delay, attempt, attempts)
        except urllib.error.URLError as error:
            if attempt == attempts:
                raise IngestionError(f"GET {url} failed: {error.reason}") from error
            delay = retry_delay(attempt, None)
        sleep(delay)
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
# Core (Spark, no Glue): runs the same on Glue and on local Spark


def read_landing_files(spark: Any, options: Options, paths: Sequence[str]) -> Any:
    """The records of the landing files with `_source_file`, read with Spark's reader for the dataset's format."""
    from pyspark.sql import functions as F  # noqa: N812 (Spark convention)

    reader = spark.read.format(options.format)
    if options.format == "csv":
        # Every column as text: the declared types are applied (and refused values quarantined) by conform.
        header = options.extra.get("csv_header", "true") == "true"
        reader = reader.options(header=str(header).lower(), sep=options.extra.get("csv_delimiter", ","), quote='"', escape="\\", mode="PERMISSIVE")
    elif options.format == "json":
        reader = reader.options(mode="PERMISSIVE", columnNameOfCorruptRecord=CORRUPT_RECORD)
    elif options.format in ("parquet", "orc"):
        reader = reader.option("mergeSchema", "true")
    frame = reader.load(list(paths))
    if options.format == "csv" and options.extra.get("csv_header", "true") != "true":
        # Headerless CSV is positional: _c0, _c1, … are the declared columns in order.
        names = [column.name for column in options.columns]
        frame = frame.select(*[F.col(name).alias(names[i]) if i < len(names) else F.col(name) for i, name in enumerate(frame.columns)])
    return frame.withColumn("_source_file", F.col("_metadata.file_path"))


def read_api(spark: Any, options: Options, platform: Platform, get: Callable[[str, Mapping[str, str]], Any] = http_get_json) -> Any:
    """Every record of the API as a DataFrame (JSON records, their types inferred; conform casts them)."""
    secret = platform.secret(options.extra["api_auth_name"]) if "api_auth_name" in options.extra else None
    records = fetch_all(options, auth_headers(secret), get)
    if not records:
        return spark.createDataFrame([], "_empty string")
    lines = spark.sparkContext.parallelize([json.dumps(record) for record in records])
    return spark.read.options(mode="PERMISSIVE", columnNameOfCorruptRecord=CORRUPT_RECORD).json(lines)


def read_source(spark: Any, options: Options, platform: Platform) -> tuple[Any, tuple[str, ...]]:
    """The new records of the source as a DataFrame, and the landing files they come from (files sources)."""
    if options.source_kind == "database" and "change_capture" not in options.extra:
        return platform.read_database(spark, options), ()
    if options.source_kind == "api":
        return read_api(spark, options, platform), ()
    matcher = re.compile(glob_to_regex(options.bucket_path(options.extra["landing_pattern"])))
    files = tuple(sorted(path for path in platform.new_landing_files(spark, options) if matcher.match(normalise_uri(path))))
    if not files:
        return None, ()
    if options.source_kind == "database":
        return dms_change_events(read_landing_files(spark, options, files), options.extra["change_sequence_column"]), files
    return read_landing_files(spark, options, files), files


# DMS's S3 operation codes and the bronze `_op` values they mean.
DMS_OPERATIONS = {"I": "insert", "U": "update", "D": "delete"}
DMS_OPERATION_COLUMN = "Op"
# `_change_seq` = centiseconds since 1970 × 2^24 + (change number mod 2^24): see dms_change_events.
DMS_CHANGE_NUMBER_BITS = 24
DMS_CHANGE_SEQUENCE_LENGTH = 35


def dms_change_events(df: Any, sequence_column: str) -> Any:
    """Files as AWS DMS writes them to S3 (Parquet) as change events in the bronze CDC layout.

    The one mapping from DMS's shape to the layout (lib/lake/change-capture.ts describes both ends):
    * ``Op`` (``I``, ``U``, ``D``) becomes ``_op`` (``insert``, ``update``, ``delete``); a file without
      ``Op`` (a full load written without IncludeOpForFullLoad), or a null ``Op``, holds inserts. Any other code leaves
      ``_op`` null, which silver quarantines as a broken change envelope.
    * ``sequence_column``, the ``$AR_H_CHANGE_SEQ`` header (``YYYYMMDDHHmmSShh`` in UTC then a 19-digit
      change number, monotonic per task), becomes the bigint ``_change_seq``: centiseconds since
      1970-01-01 × 2^24 + (change number mod 2^24). Commit time orders first, the change number within a
      hundredth of a second; it fits a bigint until the year 2144. Full-load rows carry no header value
      and get 0, so every captured change wins over them. A value that is not 35 digits gives null
      (quarantined in silver), never a wrong order.
    The two DMS columns and the file path are dropped; the rest are the table's columns.
    """
    from pyspark.sql import functions as F  # noqa: N812

    columns = {name.lower(): name for name in df.columns}
    if DMS_OPERATION_COLUMN.lower() in columns:
        code = F.upper(F.trim(F.col(f"`{columns[DMS_OPERATION_COLUMN.lower()]}`")))
        # Null where full-load files without Op were read together with files that have it.
        operation = F.when(code.isNull(), F.lit("insert"))
        for letter, name in DMS_OPERATIONS.items():
            operation = operation.when(code == letter, F.lit(name))
        operation = operation.otherwise(F.lit(None).cast("string"))
    else:
        operation = F.lit("insert")
    if sequence_column.lower() in columns:
        raw = F.trim(F.col(f"`{columns[sequence_column.lower()]}`").cast("string"))
    else:
        raw = F.lit(None).cast("string")
    def number(start: int, length: int, kind: str = "bigint") -> Any:
        digits = F.substring(raw, start, length)
        return digits.try_cast(kind) if hasattr(digits, "try_cast") else digits.cast(kind)

    day = F.datediff(F.make_date(number(1, 4, "int"), number(5, 2, "int"), number(7, 2, "int")), F.lit("1970-01-01").cast("date")).cast("bigint")
    centiseconds = (((day * 24 + number(9, 2)) * 60 + number(11, 2)) * 60 + number(13, 2)) * 100 + number(15, 2)
    change_number = number(17, 19, "decimal(20,0)") % F.lit(2**DMS_CHANGE_NUMBER_BITS)
    well_formed = raw.rlike(f"^[0-9]{{{DMS_CHANGE_SEQUENCE_LENGTH}}}$")
    sequence = (
        F.when(raw.isNull() | (raw == ""), F.lit(0).cast("bigint"))
        .when(well_formed, centiseconds * F.lit(2**DMS_CHANGE_NUMBER_BITS) + change_number.cast("bigint"))
        .otherwise(F.lit(None).cast("bigint"))
    )
    dropped = {DMS_OPERATION_COLUMN.lower(), sequence_column.lower(), "_source_file", "_op", "_change_seq"}
    kept = [F.col(f"`{name}`") for name in df.columns if name.lower() not in dropped]
    return df.select(*kept, operation.alias("_op"), sequence.alias("_change_seq"))


def normalise_uri(path: str) -> str:
    """`file:/x` and `file:///x` as the same URI (Hadoop writes the first, Python the second)."""
    return re.sub(r"^file:/+", "file:///", path)


def typed_column(F: Any, raw: Any, column: Column, null_allowed: Any = None) -> tuple[Any, list[Any]]:  # noqa: N803 (Spark's functions module)
    """The declared-type value of one raw column, and the reasons it rejects a row: a value that does not
    cast to the declared type, or a null in a not-nullable column (except where ``null_allowed``, a
    condition, holds: a CDC delete may carry only its key). Batch and streaming landing share it.
    try_cast where Spark has it (4.0+, where ANSI casts fail the query instead of giving null)."""
    cast = raw.try_cast(column.type) if hasattr(raw, "try_cast") else raw.cast(column.type)
    problems = [F.when(raw.isNotNull() & cast.isNull(), F.lit(f"{column.name}: not a {column.type}"))]
    if not column.nullable:
        missing = raw.isNull() if null_allowed is None else raw.isNull() & ~null_allowed
        problems.append(F.when(missing, F.lit(f"{column.name}: null in a not-nullable column")))
    return cast.alias(column.name), problems


def cdc_delete(F: Any, operation: Any) -> Any:  # noqa: N803 (Spark's functions module)
    """Whether a change event is a delete: it carries its key, and its other columns may be null (the silver
    step checks the same way). Batch and streaming landing share it."""
    return F.coalesce(F.lower(operation) == F.lit("delete"), F.lit(False))


def conform(df: Any, options: Options, run: Run) -> tuple[Any, Any, SchemaPlan]:
    """(records for bronze, quarantined records, plan): cast to the declared schema, add metadata and partition."""
    from pyspark.sql import functions as F  # noqa: N812

    reserved = set(options.metadata_columns) | {options.partition_column, CORRUPT_RECORD}
    plan = plan_schema(options.columns, df.columns, options.format, reserved)
    if plan.undeclared:
        LOG.warning("%s: source delivers undeclared column(s) %s; %s", options.dataset, ", ".join(plan.undeclared), "kept in the files" if plan.kept_undeclared else f"dropped ({options.format} files follow the table's columns)")
    if options.cdc:
        lacking = [name for name in CDC_COLUMNS if name.lower() not in {c.lower() for c in df.columns}]
        if lacking:
            raise IngestionError(f"the source has no {', '.join(lacking)}, which a CDC dataset needs")
    actual = {name.lower(): name for name in df.columns}
    delete = cdc_delete(F, F.col(f"`{actual['_op']}`")) if options.cdc else None
    problems = []
    casts = []
    for column in options.columns:
        if column.name in plan.missing:
            casts.append(F.lit(None).cast(column.type).alias(column.name))
            continue
        exempt = delete if column.name not in options.keys else None
        typed, column_problems = typed_column(F, F.col(f"`{actual[column.name.lower()]}`"), column, exempt)
        casts.append(typed)
        problems.extend(column_problems)
    metadata = {
        "_op": F.lower(F.col(f"`{actual['_op']}`")) if "_op" in actual else None,
        "_change_seq": F.col(f"`{actual['_change_seq']}`").cast("bigint") if "_change_seq" in actual else None,
        "_source_file": F.col("_source_file") if "_source_file" in actual else None,
        "_source": F.lit(options.source_description),
        "_batch_id": F.lit(run.batch_id),
        "_ingested_at": F.lit(run.ingested_at).cast("timestamp"),
    }
    extras = [F.col(f"`{actual[name.lower()]}`").alias(name) for name in plan.kept_undeclared]
    reason = F.concat_ws("; ", *problems) if problems else F.lit("")
    if CORRUPT_RECORD in df.columns:
        # A line that is not JSON has no columns to check: that is its only reason.
        reason = F.when(F.col(CORRUPT_RECORD).isNotNull(), F.lit("not a valid JSON record")).otherwise(reason)
    with_reason = df.withColumn("_rejected_because", reason)
    conformed = with_reason.select(
        *casts,
        *[(metadata.get(name) if metadata.get(name) is not None else F.lit(None).cast("string")).alias(name) for name in options.metadata_columns],
        *extras,
        F.lit(run.partition_value).alias(options.partition_column),
        F.col("_rejected_because"),
    )
    good = conformed.where(F.col("_rejected_because") == "").drop("_rejected_because").select(*output_columns(options, plan))
    raw_columns = [name for name in df.columns if name != CORRUPT_RECORD]
    # A line that is not JSON is kept as read; any other record as the JSON of its columns as read.
    record = F.to_json(F.struct(*[F.col(f"`{name}`") for name in raw_columns]))
    if CORRUPT_RECORD in df.columns:
        record = F.coalesce(F.col(CORRUPT_RECORD), record)
    bad = with_reason.where(F.col("_rejected_because") != "").select(
        record.alias("record"),
        F.col("_rejected_because").alias("reason"),
        F.lit(run.batch_id).alias("_batch_id"),
        F.lit(run.ingested_at).cast("timestamp").alias("_ingested_at"),
        F.lit(run.partition_value).alias(options.partition_column),
    )
    return good, bad, plan


def avro_schema_of(table: Mapping[str, Any]) -> str:
    """The Avro schema a bronze Avro table declares (the catalog stack writes it from the definition)."""
    descriptor = table.get("StorageDescriptor", {})
    schema = descriptor.get("SerdeInfo", {}).get("Parameters", {}).get("avro.schema.literal") or table.get("Parameters", {}).get("avro.schema.literal")
    if not schema:
        raise IngestionError(f"table {table.get('DatabaseName')}.{table.get('Name')} has no avro.schema.literal; redeploy its catalog stack")
    return schema


def write_bronze(df: Any, options: Options, avro_schema: str | None = None) -> None:
    """Appends the records to the dataset's bronze prefix, one folder per partition value."""
    writer = df.write.mode("append").partitionBy(options.partition_column)
    write_records(writer, options.format, options.target_path, avro_schema, options.extra.get("csv_delimiter", ","))


def write_records(writer: Any, data_format: str, path: str, avro_schema: str | None = None, csv_delimiter: str = ",") -> None:
    """Writes bronze records in the dataset's format, the way the bronze table reads them (batch and streaming)."""
    if data_format == "csv":
        writer.option("header", "true").option("sep", csv_delimiter).option("timestampFormat", TEXT_TIMESTAMP_FORMAT).csv(path)
    elif data_format == "json":
        writer.option("timestampFormat", TEXT_TIMESTAMP_FORMAT).json(path)
    elif data_format == "avro":
        # The table's schema, so the files' decimal and timestamp encodings are the ones readers expect.
        writer.format("avro").option("avroSchema", avro_schema).save(path)
    elif data_format == "orc":
        writer.option("compression", "snappy").orc(path)
    else:
        writer.option("compression", "snappy").parquet(path)


def ingest(spark: Any, options: Options, platform: Platform, run: Run) -> IngestResult:
    """One run: read what is new, conform it, land it in bronze and the quarantine, then commit the bookmark.

    Raises IngestionError (the message names the dataset) for what the run cannot get past; nothing is
    committed then, so the next run reads the same records again."""
    try:
        return _ingest(spark, options, platform, run)
    except IngestionError as error:
        message = str(error)
        raise IngestionError(message if message.startswith(f"dataset {options.dataset}:") else f"dataset {options.dataset}: {message}") from None


def _ingest(spark: Any, options: Options, platform: Platform, run: Run) -> IngestResult:
    from pyspark import StorageLevel

    if options.format == "binary":
        return ingest_binary(spark, options, platform, run)

    source, files = read_source(spark, options, platform)
    if source is None or source.rdd.isEmpty():
        LOG.info("%s: nothing new since the last run", options.dataset)
        platform.commit()
        return IngestResult(0, 0, 0, files)
    # Read the source once: bronze, the quarantine and the counts all come from the same records.
    source = source.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        read = source.count()
        good, bad, _plan = conform(source, options, run)
        good = good.persist(StorageLevel.MEMORY_AND_DISK)
        landed = good.count()
        rejected = read - landed
        if landed:
            write_bronze(good, options, platform.avro_schema(options) if options.format == "avro" else None)
            platform.register_partition(options, run.partition_value)
        if rejected:
            bad.write.mode("append").partitionBy(options.partition_column).json(options.quarantine_path)
            LOG.warning("%s: quarantined %d record(s) under %s", options.dataset, rejected, options.quarantine_path)
        good.unpersist()
    finally:
        source.unpersist()
    LOG.info("%s: read %d, landed %d record(s) in %s, quarantined %d (batch %s)", options.dataset, read, landed, options.target_path, rejected, run.batch_id)
    platform.commit()
    return IngestResult(read, landed, rejected, files)


# ---------------------------------------------------------------------------------------------
# Binary datasets: the files stay as objects; the run appends their manifest rows (lib/lake/binary-manifest.ts)

# The manifest columns that order the rows of one content hash: the earliest is the original.
MANIFEST_ORDER = ("_ingested_at", "modified_at", "path")
# The last `.` of the file name (not of a folder) starts the extension.
EXTENSION_PATTERN = r"\.([^./]+)$"


def path_exists(spark: Any, uri: str) -> bool:
    """Whether a file or folder exists, through Hadoop's file system of the URI (s3:// on Glue, file: locally)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return bool(path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path))


def list_files(spark: Any, root: str) -> list[tuple[str, int, int]]:
    """(URI, size in bytes, modification time in ms) of every file below ``root``, through Hadoop's file system,
    skipping the names Spark's file sources skip (``_*``, ``.*``). Spark's own scans drop empty files; this does not."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(root)
    system = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not system.exists(path):
        return []
    found = []
    files = system.listFiles(path, True)
    while files.hasNext():
        status = files.next()
        name = status.getPath().getName()
        if not name.startswith(("_", ".")):
            found.append((status.getPath().toString(), int(status.getLen()), int(status.getModificationTime())))
    return found


def read_binary_files(spark: Any, files: Sequence[tuple[str, int, int]]) -> Any:
    """binaryFile rows (path, modificationTime, length, content) of the files, empty ones included: Spark's scan
    skips zero-length files, so those rows are made from the listing (their content is no bytes)."""
    from pyspark.sql import functions as F  # noqa: N812

    columns = ("path", "modificationTime", "length", "content")
    empty = [(uri, millis, 0, bytearray()) for uri, size, millis in files if size == 0]
    non_empty = [uri for uri, size, _ in files if size > 0]
    listed = spark.createDataFrame(empty, "path string, millis bigint, length bigint, content binary").select(
        "path", F.timestamp_millis(F.col("millis")).alias("modificationTime"), "length", "content"
    )
    return spark.read.format("binaryFile").load(non_empty).select(*columns).unionByName(listed) if non_empty else listed


def manifest_rows(files: Any, max_content_bytes: int, content_types: Mapping[str, str], unknown_content_type: str) -> Any:
    """Spark's binaryFile rows (path, modificationTime, length, content) as the manifest's file columns, before duplicates are judged."""
    from itertools import chain

    from pyspark.sql import functions as F  # noqa: N812

    extension = F.lower(F.regexp_extract(F.col("path"), EXTENSION_PATTERN, 1))
    types = F.create_map(*chain.from_iterable((F.lit(key.lower()), F.lit(value)) for key, value in sorted(content_types.items())))
    over_limit = F.col("length") > F.lit(max_content_bytes)
    return files.select(
        F.col("path"),
        F.col("length").cast("bigint").alias("size_bytes"),
        F.col("modificationTime").cast("timestamp").alias("modified_at"),
        F.coalesce(F.try_element_at(types, extension), F.lit(unknown_content_type)).alias("content_type"),
        F.sha2(F.col("content"), 256).alias("content_sha256"),
        F.when(over_limit, F.lit(None).cast("binary")).otherwise(F.col("content")).alias("content"),
        over_limit.alias("content_omitted"),
    )


def flag_duplicates(new: Any, known: Any | None) -> Any:
    """The new rows with is_duplicate and duplicate_of: the earliest row of each content hash (by MANIFEST_ORDER,
    among the rows already in the manifest and the new ones) is the original; every later one is its duplicate."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    keys = ["content_sha256", *MANIFEST_ORDER]
    candidates = new.select(*keys)
    if known is not None:
        candidates = candidates.unionByName(known.select(*keys))
    earliest = Window.partitionBy("content_sha256").orderBy(*MANIFEST_ORDER)
    originals = candidates.withColumn("_original", F.first("path").over(earliest)).select("path", "_original")
    flagged = new.join(originals, on="path", how="left")
    duplicate = F.col("_original") != F.col("path")
    return flagged.withColumn("is_duplicate", duplicate).withColumn("duplicate_of", F.when(duplicate, F.col("_original"))).drop("_original")


def ingest_binary(spark: Any, options: Options, platform: Platform, run: Run) -> IngestResult:
    """One run of a binary dataset: list the landed files not in the manifest yet, append their manifest rows, commit."""
    from pyspark.sql import functions as F  # noqa: N812

    root = options.bucket_path(landing_root(options.extra["landing_pattern"]))
    matcher = re.compile(glob_to_regex(options.bucket_path(options.extra["landing_pattern"])))
    known = spark.read.parquet(options.target_path) if path_exists(spark, options.target_path) else None
    already = {row["path"] for row in known.select("path").collect()} if known is not None else set()
    new = sorted(entry for entry in list_files(spark, root) if matcher.match(normalise_uri(entry[0])) and entry[0] not in already)
    files = tuple(uri for uri, _, _ in new)
    if not files:
        LOG.info("%s: no new files since the last run", options.dataset)
        platform.commit()
        return IngestResult(0, 0, 0, ())
    rows = manifest_rows(
        read_binary_files(spark, new),
        int(options.extra["max_content_bytes"]),
        json.loads(options.extra["content_types"]),
        options.extra["unknown_content_type"],
    ).withColumn("_ingested_at", F.lit(run.ingested_at).cast("timestamp"))
    manifest = flag_duplicates(rows, known)
    metadata = {"_source": F.lit(options.source_description), "_batch_id": F.lit(run.batch_id), "_ingested_at": F.col("_ingested_at")}
    unknown = [name for name in options.metadata_columns if name not in metadata]
    if unknown:
        raise IngestionError(f"--metadata_columns {', '.join(unknown)} are not written for binary datasets; expected {', '.join(metadata)}")
    manifest = manifest.select(
        *[F.col(column.name).cast(column.type).alias(column.name) for column in options.columns],
        *[metadata[name].alias(name) for name in options.metadata_columns],
        F.lit(run.partition_value).alias(options.partition_column),
    )
    manifest.write.mode("append").partitionBy(options.partition_column).option("compression", "snappy").parquet(options.target_path)
    platform.register_partition(options, run.partition_value)
    LOG.info("%s: listed %d new file(s) in the manifest %s (batch %s)", options.dataset, len(files), options.target_path, run.batch_id)
    platform.commit()
    return IngestResult(len(files), len(files), 0, files)


# ---------------------------------------------------------------------------------------------
# Glue entry point (the only part that imports awsglue and boto3)


class GluePlatform:
    """The Platform on AWS Glue: job bookmarks, Glue connections, Secrets Manager and the Data Catalog."""

    def __init__(self, glue_context: Any, job: Any, clients: Callable[[str], Any] | None = None) -> None:
        self.glue_context = glue_context
        self.job = job
        self._clients = clients
        self._table: Mapping[str, Any] | None = None

    def client(self, service: str) -> Any:
        if self._clients is None:
            import boto3

            self._clients = boto3.client
        return self._clients(service)

    def read_database(self, spark: Any, options: Options) -> Any:
        connection_options = {"useConnectionProperties": "true", "connectionName": options.extra["connection_name"], "dbtable": options.extra["source_table"]}
        if not options.bookmark_keys:
            # A snapshot: no transformation_ctx, so no bookmark state; the whole table every run.
            frame = self.glue_context.create_dynamic_frame.from_options(connection_type=JDBC_CONNECTION_TYPES[options.extra["engine"]], connection_options=connection_options)
            return frame.toDF()
        # from_options takes the bookmark keys in connection_options (from_catalog in additional_options).
        connection_options.update({"jobBookmarkKeys": options.bookmark_keys, "jobBookmarkKeysSortOrder": "asc"})
        frame = self.glue_context.create_dynamic_frame.from_options(
            connection_type=JDBC_CONNECTION_TYPES[options.extra["engine"]], connection_options=connection_options, transformation_ctx="source"
        )
        return frame.toDF()

    def new_landing_files(self, spark: Any, options: Options) -> list[str]:
        from pyspark.sql import functions as F  # noqa: N812

        # The S3 job bookmark knows which files earlier runs read; the core reads the new ones with Spark's reader.
        frame = self.glue_context.create_dynamic_frame.from_options(
            connection_type="s3",
            connection_options={"paths": [options.bucket_path(landing_root(options.extra["landing_pattern"]))], "recurse": True, "attachFilename": "_source_file"},
            format=options.format,
            format_options=file_format_options(options.format, options.extra.get("csv_header", "true") == "true", options.extra.get("csv_delimiter", ",")),
            transformation_ctx="source",
        )
        return [row["_source_file"] for row in frame.toDF().select(F.col("_source_file")).distinct().collect()]

    def secret(self, name: str) -> Mapping[str, Any]:
        return json.loads(self.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])

    def table(self, options: Options) -> Mapping[str, Any]:
        if self._table is None:
            self._table = self.client("glue").get_table(DatabaseName=options.target_database, Name=options.target_table)["Table"]
        return self._table

    def avro_schema(self, options: Options) -> str:
        return avro_schema_of(self.table(options))

    def register_partition(self, options: Options, partition_value: str) -> None:
        register_partition(self.client("glue"), options, self.table(options), partition_value)

    def commit(self) -> None:
        self.job.commit()


def main(argv: Sequence[str]) -> IngestResult:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = parse_options(argv)
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(options.job_name, {"JOB_NAME": options.job_name})
    run = Run.starting(raw_arguments(argv, ["JOB_RUN_ID"]).get("JOB_RUN_ID"), datetime.now(timezone.utc))
    return ingest(glue_context.spark_session, options, GluePlatform(glue_context, job), run)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except IngestionError as failure:
        LOG.error("%s", failure)
        # The message says what to fix; a stack trace would only hide it.
        raise SystemExit(f"ingestion failed: {failure}") from None
