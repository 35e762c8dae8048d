"""Builds one domain's silver and gold tables, as Apache Iceberg tables, from the bronze batches not processed yet.

Run as an EMR step (``platform run`` and the pipeline state machines submit it)::

    spark-submit --deploy-mode cluster s3://<artifacts>/spark/silver_gold.py \
        --environment prod --domain sales --catalog lake \
        --bronze s3://<bronze bucket>/ --silver s3://<silver bucket>/ --gold s3://<gold bucket>/ [--rebuild]

``--catalog`` names the Spark catalog holding the tables: on AWS the Glue Data Catalog through Iceberg's
GlueCatalog (the cluster's ``spark-defaults`` configure ``spark.sql.catalog.<catalog>``), in tests a
local Hadoop catalog. The application owns its tables: it creates them (``CREATE TABLE IF NOT EXISTS
... USING iceberg``, at ``s3://<layer bucket>/<domain>/<table>/``), adds the columns the definition
declares later (``ALTER TABLE ... ADD COLUMN``) and stops the run naming the column when a declared
column was removed or retyped (dropping a governed table is a Lake Formation administrator's
decision). The catalog stacks own the databases, the buckets' Lake Formation registration and the tags.

Tables (``<silver db>``/``<gold db>`` are the environment's Glue databases, from the manifest):

* ``<silver db>.<dataset>``: the latest version of every key: the declared columns, ``_ingested_at``,
  for CDC datasets ``_change_seq``, ``_op`` and ``is_deleted`` (a delete stays as a tombstone, so that an
  older change arriving late can never bring the key back), and ``_batch_id`` (the load it came from).
* ``<gold db>.<dataset>``: the current records (tombstones removed), declared columns and
  ``last_ingested_at``; ``<gold db>.<dataset>_daily``: records and numeric totals per day of the
  dataset's activity date (when it has one); ``<gold db>.<domain>_summary``: one row per dataset.
* ``<silver db>._batches``, the processed-batch log and per-load audit, one row per bronze batch
  (``_batch_id``) and dataset, partitioned by dataset: ``domain``, ``dataset``, ``batch_id``,
  ``ingested_at`` (when the batch landed), ``bronze_rows``, ``accepted_rows``, ``quarantined_rows``
  (always ``bronze_rows = accepted_rows + quarantined_rows``; the run stops before committing otherwise),
  ``status`` (``accepted``; ``rejected`` when a load-level rule quarantined the whole load),
  ``quality`` (JSON: rejection reason -> rows, empty when clean), ``run_id``, ``silver_snapshot_id``
  (the Iceberg snapshot of ``<silver db>.<dataset>`` that published it) and ``processed_at``.
  ``platform status`` reads it. A batch in the log is never read again.
* ``<silver db>._quarantine``: every rejected bronze row, whole as landed (``record``, JSON text), with
  ``rejection_reason``, ``domain``, ``dataset``, ``batch_id``, ``ingested_at``, ``source_file``,
  ``run_id`` and ``quarantined_at``; partitioned by dataset. A row is quarantined by the one run that
  processes its batch, so never twice.

For every dataset of the domain (the manifest ``spark/manifest.json``, generated from the platform
definition and deployed next to this file, describes it):

1. reads the dataset's bronze rows (``<bronze>/<domain>/<dataset>/``, in its landed format) whose
   ``_batch_id`` is not in the batch log (``--rebuild``: all of them, and forgets the dataset's silver,
   quarantine and log first);
2. casts every column to its declared type and checks each row (the first failure is its reason): key
   present, values that did not cast, non-nullable columns, for CDC datasets the change envelope, and
   the row-level quality rules (not_null, accepted_values, range); a CDC delete is checked for its key
   and envelope only (it may carry nothing else);
3. applies the load-level rules per batch, never to the whole table: ``unique`` (beyond the key) among
   the batch's newest copy of each key, then ``row_count`` on the batch's accepted rows (a load that
   breaks it is quarantined whole, its status ``rejected``, and the run exits 2 after committing so the
   pipeline alerts; later loads are not blocked). The rules are the definition's, through the manifest:
   the state machine no longer runs Glue Data Quality on bronze;
4. keeps the newest accepted copy of each key across the pending batches, newest first by the dataset's
   ``orderBy`` (the CDC sequence, else the declared change-tracking column, else an ``updated_at`` timestamp,
   then the ingestion time), then the batch id, then
   a hash of the row (so equal copies resolve the same way in every run), and ``MERGE``s it into silver:
   an existing key is replaced only when the incoming copy is newer by that same order (the latest
   ``_change_seq`` wins and a change arriving late never does); deletes become tombstones;
5. rewrites the dataset's gold tables from silver.

Atomicity. Iceberg commits one table at a time, so a run writes silver and the gold tables on a branch
``run_<run id>`` of each table (write-audit-publish): nothing a reader sees changes while the run
works, and a run that fails while writing leaves the previous silver and gold (and the log and the
quarantine) unchanged; its branches are dropped. Publishing then takes one short step per table, in
this order: the batches' quarantined rows (replacing any a failed publish left), a fast-forward of
silver and of each gold table, and last the log rows, which are what marks the batches processed. If a
run dies in the middle of publishing, the next run processes the same batches again and converges to
the same tables: the MERGE only replaces a key with a strictly newer copy (a copy already applied is
not newer than itself), gold is derived from silver, and the quarantine of those batches is replaced,
not appended. So processing load by load gives exactly what ``--rebuild`` over the same bronze gives.
Branches a dead run left behind are dropped by the next run. Two runs of one domain must not overlap
(the pipeline waits for an earlier step); runs of different domains only share the log and the
quarantine, which they append to on their own partitions.

Lake Formation: the tables are tagged when the application creates them and on every run (idempotent:
stale tags removed, missing ones added): silver and gold tables with exactly the tags the catalog stack
gave them before (domain tag plus ``access_<group>`` = own/read from the definition, carried in the
manifest per layer; a gold table the gold API exposes also carries the API's tag, ``lakeFormation.apiTagKey``),
``<dataset>_daily`` like its gold table but never with the API's tag (the API reads exactly the tables it
exposes), ``<domain>_summary`` with the domain tag and only the access tags every gold table of the
domain carries at the weakest level. The log and the
quarantine are not tagged: only Lake Formation administrators and the processing role read them.

Upgrading from the Parquet tables the catalog stacks declared: CloudFormation retains the old table
definitions when it stops declaring them; the run stops naming such a table ("not an Iceberg table")
until an administrator drops it in the catalog (the files stay in S3), then ``--rebuild`` fills it again.

The step prints one JSON summary per dataset: batches, bronze, accepted and quarantined rows, current
and deleted keys, rejected loads, and ``seconds`` per phase (``read_and_judge``, ``silver_merge``,
``gold``, ``publish``; ``npm run bench:spark`` reports them). A dataset without bronze data yet is skipped
and reported with zero rows. Columns that bronze lacks
(schema drift) are read as null and caught by the rules; extra bronze columns are not published.

The helpers before the Spark section are pure Python (no Spark import) and unit-tested on their own; the
Spark section is tested on a local Spark with Iceberg (test/spark/test_silver_gold.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

SUPPORTED_MANIFEST_VERSION = 4
SUPPORTED_FORMATS = ("parquet", "orc", "json", "csv", "avro")
CDC_OPERATIONS = ("insert", "update", "delete")
TYPE_PATTERN = re.compile(r"^(string|int|bigint|double|boolean|date|timestamp|decimal\((\d{1,2}),(\d{1,2})\))$")
NUMERIC_TYPE = re.compile(r"^(int|bigint|double|decimal\(\d{1,2},\d{1,2}\))$")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
MANIFEST_CONF = "spark.platform.manifest"
# Values of an access tag, weakest first (the catalog stack defines exactly these).
ACCESS_VALUES = ("read", "own")
# The processed-batch log and the quarantine, in the silver database.
BATCH_LOG_TABLE = "_batches"
QUARANTINE_TABLE = "_quarantine"
# Branches a run writes on before publishing (write-audit-publish).
RUN_BRANCH_PREFIX = "run_"
# Reasons of the load-level rules start with this, so a rejected load is told from a row-level rejection.
LOAD_REASON_PREFIX = "load has "
METADATA_FIELDS = ("ingestedAt", "operation", "sequence", "batchId", "sourceFile")


class ManifestError(ValueError):
    """The manifest does not describe what this application can build."""


class TagError(RuntimeError):
    """The Lake Formation tags of a table cannot be derived or applied."""


class SchemaError(RuntimeError):
    """A table's columns cannot follow the definition in place (a column removed or retyped), or the table is not Iceberg."""


class ReconciliationError(RuntimeError):
    """A batch's bronze rows are not all accounted for as accepted or quarantined."""


class InjectedFailure(RuntimeError):
    """Raised by the test hook between writing the branches and publishing them."""


TagSet = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Check:
    """A row-level check: a Spark SQL condition that flags a failing row, and the reason recorded for it."""

    condition: str
    reason: str


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build a domain's silver and gold tables from bronze.")
    parser.add_argument("--environment", required=True, help="environment name, e.g. prod")
    parser.add_argument("--domain", required=True, help="domain whose datasets are built")
    parser.add_argument("--bronze", required=True, help="s3:// URL of the bronze bucket")
    parser.add_argument("--silver", required=True, help="s3:// URL of the silver bucket")
    parser.add_argument("--gold", required=True, help="s3:// URL of the gold bucket")
    parser.add_argument("--catalog", required=True, help="Spark catalog of the Iceberg tables (spark.sql.catalog.<name>), e.g. lake")
    parser.add_argument("--rebuild", action="store_true", help="forget the processed batches and rebuild silver and gold from all of bronze")
    parser.add_argument("--manifest", help=f"s3:// URL of the dataset manifest (default: the Spark conf {MANIFEST_CONF})")
    parser.add_argument("--run-id", help="identifier recorded with quarantined rows (default: a new UUID)")
    args = parser.parse_args(list(argv))
    if not IDENTIFIER.match(args.catalog):
        raise ValueError(f"--catalog ({args.catalog!r}) must be a lowercase identifier")
    for layer in ("bronze", "silver", "gold"):
        setattr(args, layer, layer_root(getattr(args, layer), f"--{layer}"))
    return args


def layer_root(url: str, flag: str) -> str:
    """A bucket URL with exactly one trailing slash; anything but s3:// (or a local path in tests) is refused."""
    if not url or re.search(r"\s", url):
        raise ValueError(f"{flag} ({url!r}) must be an s3:// URL without spaces")
    if "://" in url and not url.startswith(("s3://", "s3a://", "file://")):
        raise ValueError(f"{flag} ({url!r}) must be an s3:// URL")
    return url.rstrip("/") + "/"


def validate_manifest(manifest: dict[str, Any], environment: str) -> None:
    """Fails with one clear message when the manifest is of another version or environment, or malformed."""
    version = manifest.get("version")
    if version != SUPPORTED_MANIFEST_VERSION:
        raise ManifestError(f"manifest version {version!r} is not supported; this application reads version {SUPPORTED_MANIFEST_VERSION}")
    if manifest.get("environment") != environment:
        raise ManifestError(f"manifest is for environment {manifest.get('environment')!r}, not {environment!r}; deploy the processing stack of {environment!r}")
    lake_formation = manifest.get("lakeFormation")
    if not isinstance(lake_formation, dict):
        raise ManifestError("manifest has no lakeFormation section (catalogId, region, domainTagKey, accessTagKeys)")
    for field in ("catalogId", "region", "domainTagKey"):
        if not isinstance(lake_formation.get(field), str) or not lake_formation[field]:
            raise ManifestError(f"manifest lakeFormation.{field} ({lake_formation.get(field)!r}) must be a non-empty string")
    if not isinstance(lake_formation.get("accessTagKeys"), list):
        raise ManifestError(f"manifest lakeFormation.accessTagKeys ({lake_formation.get('accessTagKeys')!r}) must be a list of tag keys")
    api_tag_key = lake_formation.get("apiTagKey")
    if api_tag_key is not None and (not isinstance(api_tag_key, str) or not api_tag_key):
        raise ManifestError(f"manifest lakeFormation.apiTagKey ({api_tag_key!r}) must be a tag key, or null where the environment deploys no gold API")
    metadata = manifest.get("metadataColumns", {})
    for field in METADATA_FIELDS:
        if not isinstance(metadata.get(field), str) or not metadata[field]:
            raise ManifestError(f"manifest metadataColumns.{field} ({metadata.get(field)!r}) must be a column name")
    for domain, datasets in manifest.get("domains", {}).items():
        for dataset in datasets:
            where = f"{domain}.{dataset.get('name')}"
            if dataset.get("format") not in SUPPORTED_FORMATS:
                raise ManifestError(f"{where}: format {dataset.get('format')!r} is not one of {', '.join(SUPPORTED_FORMATS)}")
            names = [column["name"] for column in dataset["columns"]]
            for column in dataset["columns"]:
                if not IDENTIFIER.match(column["name"]):
                    raise ManifestError(f"{where}: column name {column['name']!r} is not a lowercase identifier")
                if not TYPE_PATTERN.match(column["type"]):
                    raise ManifestError(f"{where}.{column['name']}: type {column['type']!r} is not supported")
            for key in dataset["keys"]:
                if key not in names:
                    raise ManifestError(f"{where}: key {key!r} is not a column; columns: {', '.join(names)}")
            tags = dataset.get("tags")
            if not isinstance(tags, dict) or not all(isinstance(tags.get(layer), dict) for layer in ("silver", "gold")):
                raise ManifestError(f"{where}: tags ({tags!r}) must give the silver and gold tables' Lake Formation tags")


def datasets_of(manifest: dict[str, Any], domain: str) -> list[dict[str, Any]]:
    domains = manifest.get("domains", {})
    if domain not in domains:
        known = ", ".join(sorted(domains)) or "(none)"
        raise ManifestError(f"domain {domain!r} has no datasets in the manifest; domains: {known}")
    return list(domains[domain])


def quote(identifier: str) -> str:
    """A Spark SQL identifier in backticks."""
    return "`" + identifier.replace("`", "``") + "`"


def sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def raw_name(column: str) -> str:
    """The column that keeps a value as landed (text), next to its typed column."""
    return f"{column}__raw"


def row_checks(dataset: dict[str, Any], metadata: dict[str, str]) -> list[Check]:
    """Every row-level check of a dataset, in the order reasons are reported (the first failure wins).

    A CDC delete is checked for its key and change envelope only: it may carry nothing but its key.
    """
    checks: list[Check] = []
    for key in dataset["keys"]:
        checks.append(Check(f"{quote(key)} is null", f"key {key} missing"))
    if dataset["cdc"]:
        operation, sequence = quote(metadata["operation"]), quote(metadata["sequence"])
        allowed = ", ".join(sql_literal(op) for op in CDC_OPERATIONS)
        checks.append(Check(f"{operation} is null or lower({operation}) not in ({allowed})", "unknown CDC operation"))
        checks.append(Check(f"{sequence} is null", "CDC sequence missing or not a number"))
    content: list[Check] = []
    for column in dataset["columns"]:
        name = column["name"]
        if column["type"] != "string":
            content.append(Check(f"{quote(name)} is null and {quote(raw_name(name))} is not null", f"{name} is not a valid {column['type']}"))
    for column in dataset["columns"]:
        if not column["nullable"] and column["name"] not in dataset["keys"]:
            content.append(Check(f"{quote(column['name'])} is null", f"{column['name']} missing"))
    for rule in dataset.get("quality", []):
        check = rule_check(rule)
        if check:
            content.append(check)
    if dataset["cdc"]:
        operation = quote(metadata["operation"])
        content = [Check(f"lower({operation}) <> 'delete' and ({check.condition})", check.reason) for check in content]
    return checks + content


def rule_check(rule: dict[str, Any]) -> Check | None:
    """The row-level check of a quality rule; None for rules that judge a whole table (unique, row_count)."""
    kind = rule["rule"]
    if kind == "not_null":
        return Check(f"{quote(rule['column'])} is null", f"{rule['column']} is null (not_null rule)")
    if kind == "accepted_values":
        values = ", ".join(sql_literal(value) for value in rule["values"])
        column = quote(rule["column"])
        return Check(f"{column} is not null and cast({column} as string) not in ({values})", f"{rule['column']} not an accepted value")
    if kind == "range":
        column = quote(rule["column"])
        bounds = []
        if rule.get("min") is not None:
            bounds.append(f"{column} < {sql_literal(rule['min'])}")
        if rule.get("max") is not None:
            bounds.append(f"{column} > {sql_literal(rule['max'])}")
        if not bounds:
            return None
        described = " to ".join(str(rule[b]) if rule.get(b) is not None else "any" for b in ("min", "max"))
        return Check(f"{column} is not null and ({' or '.join(bounds)})", f"{rule['column']} outside range {described}")
    if kind in ("unique", "row_count"):
        return None
    raise ManifestError(f"quality rule {kind!r} is not supported")


def try_cast(column: str, kind: str) -> str:
    """A SQL expression: the column's text as the type, null when it does not cast (the row checks then name it).

    ``try_cast``, not ``cast``: under ANSI mode (the default from Spark 4.0) a value that does not cast fails
    the whole query instead of giving null, so one bad value in bronze would stop the run.
    """
    return f"try_cast({quote(column)} as {kind})"


def rejection_expression(checks: Iterable[Check]) -> str:
    """A CASE expression giving the first failed check's reason, or null when the row passes them all."""
    branches = [f"when {check.condition} then {sql_literal(check.reason)}" for check in checks]
    if not branches:
        return "cast(null as string)"
    return "case " + " ".join(branches) + " end"


def unique_rules(dataset: dict[str, Any]) -> list[list[str]]:
    """Column sets of the unique rules that the key deduplication does not already guarantee."""
    keys = sorted(dataset["keys"])
    return [list(rule["columns"]) for rule in dataset.get("quality", []) if rule["rule"] == "unique" and sorted(rule["columns"]) != keys]


def load_checks(dataset: dict[str, Any], count_column: str) -> list[Check]:
    """The load-level checks of a dataset's row_count rules, on the column that holds a load's accepted rows.

    ``row_count`` is what one load may have: it is judged per batch, never on the table's running total.
    """
    checks = []
    for rule in dataset.get("quality", []):
        if rule["rule"] != "row_count":
            continue
        count = quote(count_column)
        checks.append(Check(f"{count} < {int(rule['min'])}", f"{LOAD_REASON_PREFIX}fewer accepted rows than the row_count minimum {rule['min']}"))
        if rule.get("max") is not None:
            checks.append(Check(f"{count} > {int(rule['max'])}", f"{LOAD_REASON_PREFIX}more accepted rows than the row_count maximum {rule['max']}"))
    return checks


def load_failures(dataset: dict[str, Any], accepted: int) -> list[str]:
    """The reasons of the load-level checks a load with ``accepted`` rows (before those checks) fails: the same rules as
    ``load_checks``, judged in Python for the batch log (a load with no accepted row has no row to carry the reason)."""
    failures = []
    for rule in dataset.get("quality", []):
        if rule["rule"] != "row_count":
            continue
        if accepted < rule["min"]:
            failures.append(f"{LOAD_REASON_PREFIX}fewer accepted rows than the row_count minimum {rule['min']}")
        if rule.get("max") is not None and accepted > rule["max"]:
            failures.append(f"{LOAD_REASON_PREFIX}more accepted rows than the row_count maximum {rule['max']}")
    return failures


FINGERPRINT = "_fingerprint"


def order_columns(dataset: dict[str, Any], metadata: dict[str, str]) -> list[str]:
    """The columns that rank copies of one key, each descending with nulls last (the newest first): the dataset's order
    (the CDC sequence is read as a bigint, so it compares as a number), then the batch id, then a hash of the row, so
    that ties resolve the same way in every run."""
    return [*dataset["orderBy"], metadata["batchId"], FINGERPRINT]


def newer_condition(dataset: dict[str, Any], metadata: dict[str, str], incoming: str, current: str) -> str:
    """A SQL condition: the incoming copy of a key ranks strictly before the current one by the dataset's order and
    the batch id (nulls are oldest). A copy is never newer than itself, so applying a batch twice changes nothing."""
    columns = list(dataset["orderBy"]) + [metadata["batchId"]]
    condition = "false"
    for column in reversed(columns):
        s, t = f"{incoming}.{quote(column)}", f"{current}.{quote(column)}"
        greater = f"({s} > {t} or ({s} is not null and {t} is null))"
        condition = f"({greater} or ({s} <=> {t} and {condition}))"
    return condition


def activity_column(dataset: dict[str, Any]) -> str | None:
    """The date or time a record is about (for the daily aggregate): the first date/timestamp column that is not a bookkeeping time."""
    bookkeeping = {"updated_at", "created_at"}
    candidates = [c["name"] for c in dataset["columns"] if c["type"] in ("date", "timestamp")]
    preferred = [name for name in candidates if name not in bookkeeping]
    if preferred:
        return preferred[0]
    return candidates[0] if candidates else None


def measure_columns(dataset: dict[str, Any]) -> list[str]:
    """Numeric columns summed in the daily aggregate: not keys and not identifiers."""
    return [
        c["name"]
        for c in dataset["columns"]
        if NUMERIC_TYPE.match(c["type"]) and c["name"] not in dataset["keys"] and not c["name"].endswith(("_id", "_number"))
    ]


def schema_changes(existing: Sequence[tuple[str, str]], written: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """How a table's registered columns differ from what was written: (columns to add, incompatible changes).

    Columns are matched by name (Parquet is read by name, so order does not matter). A new column can
    be added to the registered table; a removed column or a changed type cannot be applied in place.
    """
    registered = {name.lower(): kind for name, kind in existing}
    now = {name.lower(): kind for name, kind in written}
    added = [(name, kind) for name, kind in written if name.lower() not in registered]
    incompatible = [f"{name} removed" for name, _ in existing if name.lower() not in now]
    incompatible += [f"{name} changed from {kind} to {now[name.lower()]}" for name, kind in existing if name.lower() in now and now[name.lower()] != kind]
    return added, incompatible


def table_location(root: str, *parts: str) -> str:
    return root + "/".join(part.strip("/") for part in parts) + "/"


def tag_set(lf_tags: Iterable[dict[str, Any]]) -> TagSet:
    """LF-tags as Lake Formation returns them (``[{"TagKey", "TagValues"}]``) keyed by tag key, values sorted."""
    return {tag["TagKey"]: tuple(sorted(tag["TagValues"])) for tag in lf_tags}


def lf_tags(tags: TagSet, catalog_id: str) -> list[dict[str, Any]]:
    """A tag set as the LFTags argument of AddLFTagsToResource / RemoveLFTagsFromResource, by key."""
    return [{"CatalogId": catalog_id, "TagKey": key, "TagValues": list(values)} for key, values in sorted(tags.items())]


def daily_tags(gold_table: str, gold_tags: TagSet, domain_tag_key: str, api_tag_key: str | None = None) -> TagSet:
    """The tags of ``<dataset>_daily``: those of the dataset's gold table (always tagged with its domain), except the gold API's tag.

    The API exposes the gold tables the definition names and nothing derived from them, so its role must not read the daily table.
    """
    if domain_tag_key not in gold_tags:
        raise TagError(f"{gold_table} has no LF-tag {domain_tag_key}; deploy the domain's catalog stack before running Spark, so its tables are tagged")
    return {key: values for key, values in gold_tags.items() if key != api_tag_key}


def summary_tags(domain: str, gold_tags: dict[str, TagSet], domain_tag_key: str, access_tag_keys: Sequence[str]) -> TagSet:
    """The tags of ``<domain>_summary``: the domain tag, and each access tag that every gold table of the domain carries.

    ``gold_tags`` maps each gold table of the domain to its tags. A group keeps access to the summary
    only if it may use every dataset in it, at the weakest level it holds on them (``read`` if it only
    reads one of them); tags other than the domain and access tags are not carried over.
    """
    if not gold_tags:
        raise TagError(f"domain {domain!r} has no gold tables to take the summary's tags from")
    for table, tags in sorted(gold_tags.items()):
        if tags.get(domain_tag_key) != (domain,):
            found = tags.get(domain_tag_key)
            raise TagError(f"{table}: LF-tag {domain_tag_key} is {list(found) if found else 'missing'}, expected [{domain!r}]; deploy the domain's catalog stack before running Spark")
    result: TagSet = {domain_tag_key: (domain,)}
    for key in access_tag_keys:
        held = [tags.get(key) for tags in gold_tags.values()]
        if any(values is None for values in held):
            continue
        levels = set()
        for table, values in zip(gold_tags, held):
            if len(values) != 1 or values[0] not in ACCESS_VALUES:
                raise TagError(f"{table}: access tag {key} is {list(values)}, expected one of {', '.join(ACCESS_VALUES)}")
            levels.add(ACCESS_VALUES.index(values[0]))
        result[key] = (ACCESS_VALUES[min(levels)],)
    return result


def tag_changes(current: TagSet, wanted: TagSet) -> tuple[TagSet, TagSet]:
    """What to do to a table's assigned tags to make them exactly ``wanted``: (tags to remove, tags to add).

    A key whose value changes is removed first and added again, so the table never holds two values;
    an already right key is left alone, so applying the same tags twice changes nothing.
    """
    remove = {key: values for key, values in current.items() if wanted.get(key) != values}
    add = {key: values for key, values in wanted.items() if current.get(key) != values}
    return remove, add


def tag_failures(response: dict[str, Any]) -> list[str]:
    """The per-tag failures of an AddLFTagsToResource / RemoveLFTagsFromResource response (the call itself succeeds)."""
    return [
        f"{failure.get('LFTag', {}).get('TagKey')}={failure.get('LFTag', {}).get('TagValues')}: "
        f"{failure.get('Error', {}).get('ErrorCode')} {failure.get('Error', {}).get('ErrorMessage')}"
        for failure in response.get("Failures", [])
    ]




def branch_name(run_id: str) -> str:
    """The branch a run writes on: ``run_`` and the run id as an identifier."""
    return RUN_BRANCH_PREFIX + re.sub(r"[^a-z0-9_]", "_", run_id.lower())


def sum_type(column_type: str) -> str:
    """The Spark type of ``sum`` over a column of this type (the daily aggregate's totals)."""
    decimal = re.match(r"^decimal\((\d+),(\d+)\)$", column_type)
    if decimal:
        return f"decimal({min(38, int(decimal.group(1)) + 10)},{decimal.group(2)})"
    return "double" if column_type == "double" else "bigint"


def manifest_tags(dataset: dict[str, Any], layer: str) -> TagSet:
    """The Lake Formation tags of a dataset's table in a layer, as the manifest gives them from the definition."""
    return {key: tuple(sorted(values)) for key, values in dataset["tags"][layer].items()}


def silver_columns(dataset: dict[str, Any], metadata: dict[str, str]) -> list[tuple[str, str]]:
    """The columns of a dataset's silver table: its own, then the bookkeeping (lib/lake/layout.ts silverMetadataColumns)."""
    columns = [(c["name"], c["type"]) for c in dataset["columns"]] + [(metadata["ingestedAt"], "timestamp")]
    if dataset["cdc"]:
        columns += [(metadata["sequence"], "bigint"), (metadata["operation"], "string"), ("is_deleted", "boolean")]
    return columns + [(metadata["batchId"], "string")]


def gold_columns(dataset: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["name"], c["type"]) for c in dataset["columns"]] + [("last_ingested_at", "timestamp")]


def daily_columns(dataset: dict[str, Any]) -> list[tuple[str, str]]:
    types = {c["name"]: c["type"] for c in dataset["columns"]}
    return [("activity_date", "date"), ("records", "bigint")] + [(f"total_{m}", sum_type(types[m])) for m in measure_columns(dataset)]


BATCH_LOG_COLUMNS = [
    ("domain", "string"),
    ("dataset", "string"),
    ("batch_id", "string"),
    ("ingested_at", "timestamp"),
    ("bronze_rows", "bigint"),
    ("accepted_rows", "bigint"),
    ("quarantined_rows", "bigint"),
    ("status", "string"),
    ("quality", "string"),
    ("run_id", "string"),
    ("silver_snapshot_id", "bigint"),
    ("processed_at", "timestamp"),
]
QUARANTINE_COLUMNS = [
    ("domain", "string"),
    ("dataset", "string"),
    ("batch_id", "string"),
    ("ingested_at", "timestamp"),
    ("source_file", "string"),
    ("record", "string"),
    ("rejection_reason", "string"),
    ("run_id", "string"),
    ("quarantined_at", "timestamp"),
]
SUMMARY_COLUMNS = [
    ("dataset", "string"),
    ("batches", "bigint"),
    ("bronze_rows", "bigint"),
    ("accepted_rows", "bigint"),
    ("quarantined_rows", "bigint"),
    ("current_rows", "bigint"),
    ("deleted_keys", "bigint"),
    ("latest_ingested_at", "timestamp"),
    ("daily_table", "string"),
    ("run_id", "string"),
    ("built_at", "timestamp"),
]


def batch_audit(dataset: dict[str, Any], counts: Iterable[tuple[str, Any, str | None, int]]) -> dict[str, dict[str, Any]]:
    """Per batch, its reconciliation from (batch id, ingested at, rejection reason or None, rows) groups.

    Fails when a batch's rows are not all accepted or quarantined: no row may be lost silently.
    """
    batches: dict[str, dict[str, Any]] = {}
    for batch_id, ingested_at, reason, rows in counts:
        batch = batches.setdefault(batch_id, {"batch_id": batch_id, "ingested_at": None, "bronze_rows": 0, "accepted_rows": 0, "quarantined_rows": 0, "quality": {}})
        if ingested_at is not None and (batch["ingested_at"] is None or ingested_at > batch["ingested_at"]):
            batch["ingested_at"] = ingested_at
        batch["bronze_rows"] += rows
        if reason is None:
            batch["accepted_rows"] += rows
        else:
            batch["quarantined_rows"] += rows
            batch["quality"][reason] = batch["quality"].get(reason, 0) + rows
    for batch in batches.values():
        if batch["bronze_rows"] != batch["accepted_rows"] + batch["quarantined_rows"]:
            raise ReconciliationError(f"{dataset['domain']}.{dataset['name']} batch {batch['batch_id']}: {batch['bronze_rows']} bronze rows, {batch['accepted_rows']} accepted + {batch['quarantined_rows']} quarantined")
        by_load_rules = sum(rows for reason, rows in batch["quality"].items() if reason.startswith(LOAD_REASON_PREFIX))
        failures = load_failures(dataset, batch["accepted_rows"] + by_load_rules)
        for reason in failures:
            batch["quality"].setdefault(reason, 0)
        batch["status"] = "rejected" if failures else "accepted"
        batch["load_failures"] = failures
    return batches


# ---------------------------------------------------------------------------------------------
# Spark


def read_manifest(spark: Any, location: str) -> dict[str, Any]:
    text = "\n".join(row.value for row in spark.read.text(location, wholetext=True).collect())
    return json.loads(text)


def read_bronze(spark: Any, bronze: str, dataset: dict[str, Any], metadata: dict[str, str]) -> Any:
    """The dataset's bronze rows with every declared column (absent ones as null) kept as landed text next to its typed value."""
    from pyspark.sql import functions as F

    reader = spark.read.format(dataset["format"]).option("recursiveFileLookup", "true")
    for option, value in dataset.get("readOptions", {}).items():
        reader = reader.option(option, value)
    landed = reader.load(table_location(bronze, dataset["path"]))
    present = set(landed.columns)
    if metadata["batchId"] not in present:
        raise ManifestError(f"{dataset['domain']}.{dataset['name']}: bronze at {table_location(bronze, dataset['path'])} has no {metadata['batchId']} column; the ingestion job writes it")
    wanted = [c["name"] for c in dataset["columns"]] + [metadata["ingestedAt"]]
    if dataset["cdc"]:
        wanted += [metadata["operation"], metadata["sequence"]]
    selected = []
    for name in wanted:
        value = F.col(quote(name)) if name in present else F.lit(None)
        selected.append(value.cast("string").alias(raw_name(name)))
    source_file = F.col(quote(metadata["sourceFile"])) if metadata["sourceFile"] in present else F.lit(None)
    text = landed.select(*selected, F.col(quote(metadata["batchId"])).cast("string").alias(metadata["batchId"]), source_file.cast("string").alias(metadata["sourceFile"]))
    typed = [F.expr(try_cast(raw_name(c["name"]), c["type"])).alias(c["name"]) for c in dataset["columns"]]
    bookkeeping = [F.expr(try_cast(raw_name(metadata["ingestedAt"]), "timestamp")).alias(metadata["ingestedAt"])]
    if dataset["cdc"]:
        bookkeeping += [
            F.lower(F.col(quote(raw_name(metadata["operation"])))).alias(metadata["operation"]),
            F.expr(try_cast(raw_name(metadata["sequence"]), "bigint")).alias(metadata["sequence"]),
        ]
    raws = [F.col(quote(raw_name(name))) for name in wanted]
    fingerprint = F.sha2(F.to_json(F.struct(*raws)), 256).alias(FINGERPRINT)
    return text.select(*typed, *bookkeeping, F.col(quote(metadata["batchId"])), F.col(quote(metadata["sourceFile"])), *raws, fingerprint)


def judge(rows: Any, dataset: dict[str, Any], metadata: dict[str, str]) -> Any:
    """The rows with ``rejection_reason``: the row checks, then per batch the unique rules and the row_count rules."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    batch = F.col(quote(metadata["batchId"]))
    keys = [F.col(quote(key)) for key in dataset["keys"]]
    reason = F.col("rejection_reason")
    checked = rows.withColumn("rejection_reason", F.expr(rejection_expression(row_checks(dataset, metadata))))
    # The newest accepted copy of each key within its batch (rejected rows rank apart).
    newest_in_batch = Window.partitionBy(batch, reason.isNull(), *keys).orderBy(*[F.col(quote(c)).desc_nulls_last() for c in order_columns(dataset, metadata)])
    ranked = checked.withColumn("_batch_rank", F.row_number().over(newest_in_batch))
    for columns in unique_rules(dataset):
        # Among the batch's newest accepted copy of each key, a value of the unique columns (all present) held by two
        # keys quarantines every copy of both keys in the batch.
        present = F.lit(True)
        for column in columns:
            present = present & F.col(quote(column)).isNotNull()
        latest = reason.isNull() & (F.col("_batch_rank") == 1) & present
        holders = F.sum(F.when(latest, 1).otherwise(0)).over(Window.partitionBy(batch, *[F.col(quote(c)) for c in columns]))
        ranked = ranked.withColumn("_clash", F.when(latest & (holders > 1), 1).otherwise(0))
        ranked = ranked.withColumn("_key_clash", F.max("_clash").over(Window.partitionBy(batch, *keys)))
        ranked = ranked.withColumn("rejection_reason", F.when(reason.isNull() & (F.col("_key_clash") == 1), F.lit(f"duplicate {', '.join(columns)} (unique rule)")).otherwise(reason))
        ranked = ranked.drop("_clash", "_key_clash")
    checks = load_checks(dataset, "_load_accepted")
    if checks:
        accepted = F.sum(F.when(reason.isNull(), 1).otherwise(0)).over(Window.partitionBy(batch))
        ranked = ranked.withColumn("_load_accepted", accepted)
        ranked = ranked.withColumn("rejection_reason", F.when(reason.isNull(), F.expr(rejection_expression(checks))).otherwise(reason)).drop("_load_accepted")
    return ranked.drop("_batch_rank")


class Lake:
    """The Iceberg tables of one run: names, creation and evolution, branches, tags."""

    def __init__(self, spark: Any, args: argparse.Namespace, manifest: dict[str, Any], tagger: "TableTagger", run_id: str) -> None:
        self.spark = spark
        self.args = args
        self.catalog = args.catalog
        self.databases = manifest["databases"]
        self.tagger = tagger
        self.branch = branch_name(run_id)
        # A Hadoop catalog (tests) places tables under its warehouse; any other (Glue) gets the layer bucket's location.
        self.locations = spark.conf.get(f"spark.sql.catalog.{self.catalog}.type", "") != "hadoop"

    def name(self, layer: str, table: str) -> str:
        return ".".join(quote(part) for part in (self.catalog, self.databases[layer], table))

    def on_branch(self, layer: str, table: str) -> str:
        return ".".join(quote(part) for part in (self.catalog, self.databases[layer], table, f"branch_{self.branch}"))

    def ensure(self, layer: str, table: str, columns: Sequence[tuple[str, str]], location: str, partitioned_by: str | None = None) -> str:
        """Creates the table, or adds the declared columns it lacks; a removed or retyped column stops the run, named."""
        name = self.name(layer, table)
        described = f"{self.databases[layer]}.{table}"
        self.spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {quote(self.catalog)}.{quote(self.databases[layer])}")
        try:
            exists = self.spark.catalog.tableExists(f"{self.catalog}.{self.databases[layer]}.{table}")
            existing = [(f.name, f.dataType.simpleString()) for f in self.spark.table(name).schema.fields] if exists else None
        except Exception as error:  # a Glue table of another kind (the Parquet tables CloudFormation declared)
            raise SchemaError(f"{described} exists in the catalog but is not an Iceberg table ({str(error).splitlines()[0]}); a Lake Formation administrator must drop it (its files stay in S3), then run with --rebuild") from error
        if existing is None:
            definition = ", ".join(f"{quote(column)} {kind}" for column, kind in columns)
            partition = f" PARTITIONED BY ({quote(partitioned_by)})" if partitioned_by else ""
            place = f" LOCATION {sql_literal(location)}" if self.locations else ""
            self.spark.sql(f"CREATE TABLE IF NOT EXISTS {name} ({definition}) USING iceberg{partition}{place} TBLPROPERTIES ('format-version'='2')")
        else:
            added, incompatible = schema_changes(existing, columns)
            if incompatible:
                raise SchemaError(
                    f"{described}: the definition changed its columns incompatibly ({'; '.join(incompatible)}); a Lake Formation administrator must "
                    "drop the table in the catalog (or restore the column), then run with --rebuild"
                )
            for column, kind in added:
                self.spark.sql(f"ALTER TABLE {name} ADD COLUMN {quote(column)} {kind}")
        self.drop_stale_branches(layer, table)
        return name

    def drop_stale_branches(self, layer: str, table: str) -> None:
        """Branches of runs that died before publishing: what they wrote never reached readers."""
        refs = self.spark.sql(f"SELECT name FROM {self.name(layer, table)}.refs WHERE type = 'BRANCH'").collect()
        for ref in refs:
            if ref.name.startswith(RUN_BRANCH_PREFIX):
                self.spark.sql(f"ALTER TABLE {self.name(layer, table)} DROP BRANCH IF EXISTS {quote(ref.name)}")

    def start_branch(self, layer: str, table: str) -> str:
        self.spark.sql(f"ALTER TABLE {self.name(layer, table)} CREATE BRANCH {quote(self.branch)}")
        return self.on_branch(layer, table)

    def drop_branch(self, layer: str, table: str) -> None:
        self.spark.sql(f"ALTER TABLE {self.name(layer, table)} DROP BRANCH IF EXISTS {quote(self.branch)}")

    def publish(self, layer: str, table: str) -> int:
        """Moves the table's main branch to the run's branch (one atomic commit) and returns the published snapshot."""
        identifier = f"{self.databases[layer]}.{table}"
        result = self.spark.sql(f"CALL {quote(self.catalog)}.system.fast_forward({sql_literal(identifier)}, 'main', {sql_literal(self.branch)})").first()
        self.drop_branch(layer, table)
        return int(result.updated_ref)

    def tag(self, layer: str, table: str, tags: TagSet) -> None:
        self.tagger.apply(self.databases[layer], table, tags)


def schema_ddl(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{quote(name)} {kind}" for name, kind in columns)


def process_dataset(
    spark: Any, lake: Lake, args: argparse.Namespace, manifest: dict[str, Any], dataset: dict[str, Any], run_id: str, started: dt.datetime, fail_after_write: str | None
) -> dict[str, Any]:
    """Applies a dataset's unprocessed bronze batches to its silver and gold tables; returns its summary row."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    metadata = manifest["metadataColumns"]
    name, domain = dataset["name"], dataset["domain"]
    silver_table = lake.ensure("silver", name, silver_columns(dataset, metadata), table_location(args.silver, dataset["path"]))
    lake.tag("silver", name, manifest_tags(dataset, "silver"))
    gold_table = lake.ensure("gold", name, gold_columns(dataset), table_location(args.gold, dataset["path"]))
    lake.tag("gold", name, manifest_tags(dataset, "gold"))
    activity = activity_column(dataset)
    daily = f"{name}_daily" if activity else None
    if daily:
        lake.ensure("gold", daily, daily_columns(dataset), table_location(args.gold, domain, daily))
        lake_formation = manifest["lakeFormation"]
        gold_tags = manifest_tags(dataset, "gold")
        lake.tag("gold", daily, daily_tags(f"{manifest['databases']['gold']}.{name}", gold_tags, lake_formation["domainTagKey"], lake_formation.get("apiTagKey")))
    log = lake.name("silver", BATCH_LOG_TABLE)
    quarantine = lake.name("silver", QUARANTINE_TABLE)
    summary = {"dataset": name, "batches": 0, "bronze_rows": 0, "accepted_rows": 0, "quarantined_rows": 0, "daily_table": daily, "rejected": [], "seconds": {}}
    clock = Stopwatch(summary["seconds"])

    bronze_location = table_location(args.bronze, dataset["path"])
    if not path_exists(spark, bronze_location):
        print(f"{domain}.{name}: no bronze data yet at {bronze_location}; its silver and gold tables are left as they are")
        return {**summary, **current_counts(spark, silver_table, dataset, metadata)}
    bronze = read_bronze(spark, args.bronze, dataset, metadata)
    batch_id = metadata["batchId"]
    if not args.rebuild:
        # Collected into a local relation: a view over a Spark plan that reads an Iceberg table cannot be a MERGE source.
        processed = [(row.batch_id,) for row in spark.table(log).where(F.col("dataset") == name).select("batch_id").collect()]
        bronze = bronze.join(F.broadcast(spark.createDataFrame(processed, f"{quote(batch_id)} string")), on=batch_id, how="left_anti")
    judged = judge(bronze, dataset, metadata).cache()
    try:
        groups = judged.groupBy(batch_id, "rejection_reason").agg(F.max(quote(metadata["ingestedAt"])).alias("ingested_at"), F.count(F.lit(1)).alias("rows")).collect()
        batches = batch_audit(dataset, [(row[batch_id], row.ingested_at, row.rejection_reason, row["rows"]) for row in groups])
        clock.lap("read_and_judge")
        if not batches and not args.rebuild:
            print(f"{domain}.{name}: no new bronze batches")
            return {**summary, **current_counts(spark, silver_table, dataset, metadata)}

        # Write: silver and gold on the run's branch; readers still see main.
        accepted = judged.where("rejection_reason is null")
        newest = Window.partitionBy(*[F.col(quote(key)) for key in dataset["keys"]]).orderBy(*[F.col(quote(c)).desc_nulls_last() for c in order_columns(dataset, metadata)])
        changes = accepted.withColumn("_rank", F.row_number().over(newest)).where("_rank = 1")
        if dataset["cdc"]:
            changes = changes.withColumn("is_deleted", F.col(quote(metadata["operation"])) == F.lit("delete"))
        changes = changes.select(*[F.col(quote(column)).cast(kind).alias(column) for column, kind in silver_columns(dataset, metadata)])
        view = f"_changes_{name}"
        changes.createOrReplaceTempView(view)
        silver_branch = lake.start_branch("silver", name)
        branches = [("silver", name), ("gold", name)] + ([("gold", daily)] if daily else [])
        try:
            for layer, table in branches[1:]:
                lake.start_branch(layer, table)
            if args.rebuild:
                spark.sql(f"DELETE FROM {silver_branch}")
            on = " and ".join(f"t.{quote(key)} = s.{quote(key)}" for key in dataset["keys"])
            spark.sql(
                f"MERGE INTO {silver_branch} t USING {quote(view)} s ON {on} "
                f"WHEN MATCHED AND {newer_condition(dataset, metadata, 's', 't')} THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
            )
            clock.lap("silver_merge")
            silver_now = spark.table(silver_branch)
            current = silver_now.where("not is_deleted") if dataset["cdc"] else silver_now
            current = current.select(*[F.col(quote(c["name"])) for c in dataset["columns"]], F.col(quote(metadata["ingestedAt"])).alias("last_ingested_at"))
            current.writeTo(lake.on_branch("gold", name)).overwrite(F.lit(True))
            if daily:
                measures = measure_columns(dataset)
                totals = [F.count(F.lit(1)).alias("records")] + [F.sum(F.col(quote(m))).alias(f"total_{m}") for m in measures]
                frame = current.where(F.col(quote(activity)).isNotNull()).groupBy(F.to_date(F.col(quote(activity))).alias("activity_date")).agg(*totals)
                frame.select(*[F.col(quote(c)).cast(k) for c, k in daily_columns(dataset)]).writeTo(lake.on_branch("gold", daily)).overwrite(F.lit(True))
            clock.lap("gold")
            if fail_after_write in (name, "*"):
                raise InjectedFailure(f"{domain}.{name}: failure injected after writing the branches, before publishing")
        except BaseException:
            for layer, table in branches:
                lake.drop_branch(layer, table)
            raise

        # Publish: quarantine (replaced per batch), silver, gold, then the log that marks the batches processed.
        pending = sorted(batches)
        raws = [F.col(quote(raw_name(c["name"]))).alias(c["name"]) for c in dataset["columns"]]
        raws.append(F.col(quote(raw_name(metadata["ingestedAt"]))).alias(metadata["ingestedAt"]))
        if dataset["cdc"]:
            raws += [F.col(quote(raw_name(metadata["operation"]))).alias(metadata["operation"]), F.col(quote(raw_name(metadata["sequence"]))).alias(metadata["sequence"])]
        rejected = judged.where("rejection_reason is not null").select(
            F.lit(domain).alias("domain"),
            F.lit(name).alias("dataset"),
            F.col(batch_id).alias("batch_id"),
            F.col(quote(metadata["ingestedAt"])).alias("ingested_at"),
            F.col(quote(metadata["sourceFile"])).alias("source_file"),
            F.to_json(F.struct(*raws)).alias("record"),
            F.col("rejection_reason"),
            F.lit(run_id).alias("run_id"),
            F.lit(started).cast("timestamp").alias("quarantined_at"),
        )
        if args.rebuild:
            spark.sql(f"DELETE FROM {quarantine} WHERE dataset = {sql_literal(name)}")
        elif pending:
            spark.sql(f"DELETE FROM {quarantine} WHERE dataset = {sql_literal(name)} AND batch_id IN ({', '.join(sql_literal(b) for b in pending)})")
        rejected.writeTo(quarantine).append()
        snapshot = lake.publish("silver", name)
        for layer, table in branches[1:]:
            lake.publish(layer, table)
        rows = [
            (domain, name, b["batch_id"], b["ingested_at"], b["bronze_rows"], b["accepted_rows"], b["quarantined_rows"], b["status"], json.dumps(b["quality"], sort_keys=True), run_id, snapshot, started)
            for b in (batches[key] for key in pending)
        ]
        entries = spark.createDataFrame(rows, schema_ddl(BATCH_LOG_COLUMNS))
        if args.rebuild:
            entries.writeTo(log).overwrite(F.col("dataset") == F.lit(name))
        else:
            entries.writeTo(log).append()
        clock.lap("publish")
    finally:
        judged.unpersist()
    for key in pending:
        b = batches[key]
        summary["batches"] += 1
        for field in ("bronze_rows", "accepted_rows", "quarantined_rows"):
            summary[field] += b[field]
        if b["status"] == "rejected":
            summary["rejected"].append(f"{domain}.{name} batch {key}: {'; '.join(b['load_failures'])}")
    return {**summary, **current_counts(spark, silver_table, dataset, metadata)}


class Stopwatch:
    """Seconds per phase of a dataset's run, into ``laps`` (the summary's ``seconds``: operators and the benchmark read them)."""

    def __init__(self, laps: dict[str, float]) -> None:
        self.laps = laps
        self.started = time.monotonic()

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        self.laps[phase] = round(now - self.started, 3)
        self.started = now


def current_counts(spark: Any, silver_table: str, dataset: dict[str, Any], metadata: dict[str, str]) -> dict[str, Any]:
    """Current and deleted keys of a dataset's published silver table, and when its newest record landed."""
    from pyspark.sql import functions as F

    deleted = F.col("is_deleted") if dataset["cdc"] else F.lit(False)
    row = spark.table(silver_table).agg(
        F.sum(F.when(~deleted, 1).otherwise(0)).alias("current"), F.sum(F.when(deleted, 1).otherwise(0)).alias("deleted"), F.max(quote(metadata["ingestedAt"])).alias("latest")
    ).first()
    return {"current_rows": int(row.current or 0), "deleted_keys": int(row.deleted or 0), "latest_ingested_at": row.latest}


class TableTagger:
    """Gives the tables this application creates their Lake Formation tags.

    The role running Spark created those tables, so Lake Formation lets it tag them; it holds ASSOCIATE
    on the catalog's tags (granted by the processing and kubernetes stacks).
    """

    def __init__(self, client: Any, manifest: dict[str, Any]) -> None:
        lake_formation = manifest["lakeFormation"]
        self.client = client
        self.catalog_id: str = lake_formation["catalogId"]
        self.domain_tag_key: str = lake_formation["domainTagKey"]
        self.access_tag_keys: list[str] = list(lake_formation["accessTagKeys"])

    def resource(self, database: str, table: str) -> dict[str, Any]:
        return {"Table": {"CatalogId": self.catalog_id, "DatabaseName": database, "Name": table}}

    def assigned_tags(self, database: str, table: str) -> TagSet:
        try:
            response = self.client.get_resource_lf_tags(CatalogId=self.catalog_id, Resource=self.resource(database, table), ShowAssignedLFTags=True)
        except Exception as error:  # botocore's ClientError/BotoCoreError: re-raised with the table it concerns
            raise TagError(f"{database}.{table}: could not read its Lake Formation tags ({error})") from error
        return tag_set(response.get("LFTagsOnTable", []))

    def summary_tags(self, domain: str, database: str, datasets: Sequence[dict[str, Any]]) -> TagSet:
        return summary_tags(domain, {f"{database}.{d['name']}": manifest_tags(d, "gold") for d in datasets}, self.domain_tag_key, self.access_tag_keys)

    def apply(self, database: str, table: str, wanted: TagSet) -> None:
        """Makes the table's assigned tags exactly ``wanted``; any error stops the run naming the table."""
        remove, add = tag_changes(self.assigned_tags(database, table), wanted)
        for operation, tags in (("remove_lf_tags_from_resource", remove), ("add_lf_tags_to_resource", add)):
            if not tags:
                continue
            untagged = f"{database}.{table} is registered but its Lake Formation tags are not {lf_tags(wanted, self.catalog_id)}; readers cannot see it until a rerun tags it"
            try:
                response = getattr(self.client, operation)(CatalogId=self.catalog_id, Resource=self.resource(database, table), LFTags=lf_tags(tags, self.catalog_id))
            except Exception as error:  # botocore's ClientError/BotoCoreError: re-raised with what is left untagged
                raise TagError(f"{operation} failed ({error}): {untagged}") from error
            failures = tag_failures(response)
            if failures:
                raise TagError(f"{operation} failed for {'; '.join(failures)}: {untagged}")
        if add or remove:
            print(f"{database}.{table}: Lake Formation tags {json.dumps(wanted, sort_keys=True)}")


def lake_formation_client(manifest: dict[str, Any]) -> Any:
    import boto3

    return boto3.client("lakeformation", region_name=manifest["lakeFormation"]["region"])


def path_exists(spark: Any, location: str) -> bool:
    """Whether anything exists at an s3:// (or local) location, through the cluster's Hadoop file system."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    return bool(path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path))


def run(
    spark: Any, args: argparse.Namespace, manifest: dict[str, Any], tagger: TableTagger, *, run_id: str | None = None, now: dt.datetime | None = None, fail_after_write: str | None = None
) -> list[dict[str, Any]]:
    """Builds the domain's silver and gold on ``spark``; returns one summary per dataset (``rejected`` lists loads a load-level rule quarantined).

    ``fail_after_write`` is the test hook: the dataset name (or ``*``) whose run fails after writing its branches, before publishing.
    """
    from pyspark.sql import functions as F

    validate_manifest(manifest, args.environment)
    run_id = run_id or args.run_id or str(uuid.uuid4())
    started = (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None)
    datasets = datasets_of(manifest, args.domain)
    lake = Lake(spark, args, manifest, tagger, run_id)
    lake.ensure("silver", BATCH_LOG_TABLE, BATCH_LOG_COLUMNS, table_location(args.silver, BATCH_LOG_TABLE), partitioned_by="dataset")
    lake.ensure("silver", QUARANTINE_TABLE, QUARANTINE_COLUMNS, table_location(args.silver, QUARANTINE_TABLE), partitioned_by="dataset")
    summary_table = f"{args.domain}_summary"
    lake.ensure("gold", summary_table, SUMMARY_COLUMNS, table_location(args.gold, args.domain, summary_table))
    lake.tag("gold", summary_table, tagger.summary_tags(args.domain, manifest["databases"]["gold"], datasets))
    summaries = [process_dataset(spark, lake, args, manifest, dataset, run_id, started, fail_after_write) for dataset in datasets]
    rows = [tuple({**s, "run_id": run_id, "built_at": started}[column] for column, _ in SUMMARY_COLUMNS) for s in summaries]
    spark.createDataFrame(rows, schema_ddl(SUMMARY_COLUMNS)).writeTo(lake.name("gold", summary_table)).overwrite(F.lit(True))
    return summaries


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(f"silver-gold-{args.environment}-{args.domain}").config("spark.sql.session.timeZone", "UTC").getOrCreate()
    try:
        location = args.manifest or spark.conf.get(MANIFEST_CONF, None)
        if not location:
            raise ManifestError(f"no manifest: pass --manifest or set the Spark conf {MANIFEST_CONF}")
        manifest = read_manifest(spark, location)
        validate_manifest(manifest, args.environment)
        summaries = run(spark, args, manifest, TableTagger(lake_formation_client(manifest), manifest))
    except (ManifestError, SchemaError, TagError, ReconciliationError) as error:
        print(f"silver/gold of {args.domain} stopped: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    for summary in summaries:
        print(json.dumps({**summary, "latest_ingested_at": str(summary["latest_ingested_at"])}, sort_keys=True))
    rejected = [entry for summary in summaries for entry in summary["rejected"]]
    if rejected:
        print(f"silver/gold of {args.domain} committed, but load-level quality rules quarantined whole loads: {'; '.join(rejected)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
