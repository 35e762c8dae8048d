"""Builds one domain's silver and gold tables from its bronze data.

Run as an EMR step (``platform run`` and the pipeline state machines submit it)::

    spark-submit --deploy-mode cluster s3://<artifacts>/spark/silver_gold.py \
        --environment prod --domain sales \
        --bronze s3://<bronze bucket>/ --silver s3://<silver bucket>/ --gold s3://<gold bucket>/

For every dataset of the domain, as the dataset manifest (``spark/manifest.json``, generated from the
platform definition and deployed next to this file) describes it:

1. reads the dataset's bronze data (``<bronze>/<domain>/<dataset>/``) in its landed format;
2. casts every column to its declared type and checks each row: key present, values that did not
   cast, non-nullable columns, the row-level quality rules (not_null, accepted_values, range) and, for
   CDC datasets, the change envelope (operation and sequence);
3. writes the rows that fail to ``<silver>/_quarantine/<domain>/<dataset>/`` with the first reason,
   as landed text, so that no row is ever dropped silently;
4. keeps the newest copy of each key (highest CDC sequence, else newest ``updated_at``, then ingestion
   time); CDC deletes stay in silver as tombstones (``is_deleted``), and rows that break a ``unique``
   rule on other columns are quarantined too;
5. checks the dataset-level rules (``row_count``) and stops the run before publishing if one fails;
6. overwrites silver (Parquet) and gold: the current state of each dataset (tombstones removed), a
   daily aggregate per dataset with a date or event time, and one summary row per dataset of the
   domain; every table is registered in the layer's Glue database (the cluster uses the Glue Data
   Catalog as its Hive metastore), new columns are added to it, and an incompatible change (a column
   removed or retyped) stops the run with what changed;
7. tags the gold tables it adds beyond those the catalog stack declares, for Lake Formation: each
   ``<dataset>_daily`` gets exactly the LF-tags of its dataset's gold table, and ``<domain>_summary``
   gets the domain tag plus only the access tags every dataset's gold table of the domain carries (the
   weakest value wins: a group sees the summary only if it may read every dataset in it). Tags are
   read with GetResourceLFTags, then stale ones removed and missing ones added, so reruns are
   idempotent; a tagging error stops the run, so a table is never left untagged silently.

A dataset without bronze data yet (just added to the definition) is skipped and reported with zero
rows. Silver and gold are rebuilt from the full bronze history on every run: bronze is the immutable record,
so a run is idempotent and rerunning after a failure rebuilds every table (a dataset that fails its
row_count rule stops the run before its own tables are written). Columns that bronze
lacks (schema drift) are read as null and caught by the rules; extra bronze columns are not published.

The helpers before the Spark section are pure Python (no Spark import) and unit-tested on their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import uuid
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

SUPPORTED_MANIFEST_VERSION = 2
SUPPORTED_FORMATS = ("parquet", "orc", "json", "csv", "avro")
CDC_OPERATIONS = ("insert", "update", "delete")
TYPE_PATTERN = re.compile(r"^(string|int|bigint|double|boolean|date|timestamp|decimal\((\d{1,2}),(\d{1,2})\))$")
NUMERIC_TYPE = re.compile(r"^(int|bigint|double|decimal\(\d{1,2},\d{1,2}\))$")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
MANIFEST_CONF = "spark.platform.manifest"
# Values of an access tag, weakest first (the catalog stack defines exactly these).
ACCESS_VALUES = ("read", "own")


class ManifestError(ValueError):
    """The manifest does not describe what this application can build."""


class TagError(RuntimeError):
    """The Lake Formation tags of a table cannot be derived or applied."""


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
    parser.add_argument("--manifest", help=f"s3:// URL of the dataset manifest (default: the Spark conf {MANIFEST_CONF})")
    parser.add_argument("--run-id", help="identifier recorded with quarantined rows (default: a new UUID)")
    args = parser.parse_args(list(argv))
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
    """Every row-level check of a dataset, in the order reasons are reported (the first failure wins)."""
    checks: list[Check] = []
    for key in dataset["keys"]:
        checks.append(Check(f"{quote(key)} is null", f"key {key} missing"))
    for column in dataset["columns"]:
        name = column["name"]
        if column["type"] != "string":
            checks.append(Check(f"{quote(name)} is null and {quote(raw_name(name))} is not null", f"{name} is not a valid {column['type']}"))
    for column in dataset["columns"]:
        if not column["nullable"] and column["name"] not in dataset["keys"]:
            checks.append(Check(f"{quote(column['name'])} is null", f"{column['name']} missing"))
    if dataset["cdc"]:
        operation, sequence = quote(metadata["operation"]), quote(metadata["sequence"])
        allowed = ", ".join(sql_literal(op) for op in CDC_OPERATIONS)
        checks.append(Check(f"{operation} is null or lower({operation}) not in ({allowed})", "unknown CDC operation"))
        checks.append(Check(f"{sequence} is null", "CDC sequence missing or not a number"))
    for rule in dataset.get("quality", []):
        check = rule_check(rule)
        if check:
            checks.append(check)
    return checks


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


def row_count_problem(dataset: dict[str, Any], count: int) -> str | None:
    """Why a dataset's accepted row count breaks its row_count rules, or None."""
    for rule in dataset.get("quality", []):
        if rule["rule"] != "row_count":
            continue
        if count < rule["min"]:
            return f"{dataset['domain']}.{dataset['name']}: {count} accepted rows, fewer than the row_count minimum {rule['min']}"
        if rule.get("max") is not None and count > rule["max"]:
            return f"{dataset['domain']}.{dataset['name']}: {count} accepted rows, more than the row_count maximum {rule['max']}"
    return None


def order_expressions(dataset: dict[str, Any], metadata: dict[str, str]) -> list[str]:
    """How copies of one key are ranked, newest first (the CDC sequence is read as a bigint, so it compares as a number)."""
    expressions = []
    for column in dataset["orderBy"]:
        expressions.append(f"{quote(column)} desc nulls last")
    return expressions


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


def daily_tags(gold_table: str, gold_tags: TagSet, domain_tag_key: str) -> TagSet:
    """The tags of ``<dataset>_daily``: exactly those of the dataset's gold table, which the catalog stack always tags with its domain."""
    if domain_tag_key not in gold_tags:
        raise TagError(f"{gold_table} has no LF-tag {domain_tag_key}; deploy the domain's catalog stack before running Spark, so its tables are tagged")
    return dict(gold_tags)


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
    wanted = [c["name"] for c in dataset["columns"]] + [metadata["ingestedAt"]]
    if dataset["cdc"]:
        wanted += [metadata["operation"], metadata["sequence"]]
    selected = []
    for name in wanted:
        value = F.col(quote(name)) if name in present else F.lit(None)
        selected.append(value.cast("string").alias(raw_name(name)))
    text = landed.select(*selected)
    typed = [F.col(quote(raw_name(c["name"]))).cast(c["type"]).alias(c["name"]) for c in dataset["columns"]]
    bookkeeping = [F.col(quote(raw_name(metadata["ingestedAt"]))).cast("timestamp").alias(metadata["ingestedAt"])]
    if dataset["cdc"]:
        bookkeeping += [
            F.lower(F.col(quote(raw_name(metadata["operation"])))).alias(metadata["operation"]),
            F.col(quote(raw_name(metadata["sequence"]))).cast("bigint").alias(metadata["sequence"]),
        ]
    raw_columns = [F.col(quote(raw_name(c["name"]))) for c in dataset["columns"]]
    return text.select(*typed, *bookkeeping, *raw_columns)


def split_valid(rows: Any, dataset: dict[str, Any], metadata: dict[str, str]) -> tuple[Any, Any]:
    from pyspark.sql import functions as F

    checked = rows.withColumn("rejection_reason", F.expr(rejection_expression(row_checks(dataset, metadata))))
    return checked.where("rejection_reason is null").drop("rejection_reason"), checked.where("rejection_reason is not null")


def latest_per_key(rows: Any, dataset: dict[str, Any], metadata: dict[str, str]) -> tuple[Any, Any]:
    """The newest copy of each key, and the rows that break a unique rule beyond the key (quarantined)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keys = [F.col(quote(key)) for key in dataset["keys"]]
    newest_first = Window.partitionBy(*keys).orderBy(*[F.expr(e) for e in order_expressions(dataset, metadata)])
    latest = rows.withColumn("_rank", F.row_number().over(newest_first)).where("_rank = 1").drop("_rank")
    if dataset["cdc"]:
        latest = latest.withColumn("is_deleted", F.col(quote(metadata["operation"])) == F.lit("delete"))
    duplicates = None
    for columns in unique_rules(dataset):
        group = Window.partitionBy(*[F.col(quote(c)) for c in columns])
        flagged = latest.withColumn("_copies", F.count(F.lit(1)).over(group))
        reason = f"duplicate {', '.join(columns)} (unique rule)"
        clashing = flagged.where("_copies > 1").drop("_copies").withColumn("rejection_reason", F.lit(reason))
        latest = flagged.where("_copies = 1").drop("_copies")
        duplicates = clashing if duplicates is None else duplicates.unionByName(clashing)
    return latest, duplicates


def quarantine(rejected: Any, dataset: dict[str, Any], silver: str, run_id: str, started: dt.datetime) -> int:
    """Appends rejected rows (landed text, reason, run) to the dataset's quarantine; returns how many."""
    from pyspark.sql import functions as F

    raw = [F.col(quote(raw_name(c["name"]))).alias(c["name"]) for c in dataset["columns"]]
    extra = [F.col(quote(c)) for c in rejected.columns if c.startswith("_") and not c.endswith("__raw")]
    rows = rejected.select(*raw, *extra, "rejection_reason").withColumn("run_id", F.lit(run_id)).withColumn("quarantined_at", F.lit(started))
    rows = rows.withColumn("quarantine_date", F.lit(started.date().isoformat())).cache()
    count = rows.count()
    if count:
        rows.write.mode("append").partitionBy("quarantine_date").parquet(table_location(silver, "_quarantine", dataset["path"]))
    rows.unpersist()
    return count


def publish(spark: Any, frame: Any, database: str, table: str, location: str) -> None:
    """Overwrites the table's Parquet files and registers the table in the Glue Data Catalog, adding new columns.

    A column that disappears or changes type is not applied in place: the run fails with what changed,
    because dropping a governed table is a Lake Formation administrator's decision.
    """
    frame.write.mode("overwrite").parquet(location)
    qualified = f"{quote(database)}.{quote(table)}"
    written = [(field.name, field.dataType.simpleString()) for field in spark.read.parquet(location).schema.fields]
    if not spark.catalog.tableExists(table, database):
        spark.sql(f"CREATE TABLE {qualified} USING PARQUET LOCATION {sql_literal(location)}")
        return
    existing = [(field.name, field.dataType.simpleString()) for field in spark.table(qualified).schema.fields]
    added, incompatible = schema_changes(existing, written)
    if incompatible:
        raise RuntimeError(
            f"{database}.{table}: the data was rewritten but its columns changed incompatibly ({'; '.join(incompatible)}); "
            "a Lake Formation administrator must drop the table in the catalog, then rerun to register it again"
        )
    if added:
        spark.sql(f"ALTER TABLE {qualified} ADD COLUMNS ({', '.join(f'{quote(name)} {kind}' for name, kind in added)})")
    spark.sql(f"REFRESH TABLE {qualified}")


class TableTagger:
    """Gives the gold tables this application registers itself (not declared by the catalog stack) their Lake Formation tags.

    The role running Spark created those tables, so Lake Formation lets it tag them; it holds ASSOCIATE
    on the catalog's tags (granted by the processing and kubernetes stacks).
    """

    def __init__(self, client: Any, manifest: dict[str, Any]) -> None:
        lake_formation = manifest["lakeFormation"]
        self.client = client
        self.catalog_id: str = lake_formation["catalogId"]
        self.domain_tag_key: str = lake_formation["domainTagKey"]
        self.access_tag_keys: list[str] = list(lake_formation["accessTagKeys"])
        self.database: str = manifest["databases"]["gold"]
        self._gold: dict[str, TagSet] = {}

    def resource(self, table: str) -> dict[str, Any]:
        return {"Table": {"CatalogId": self.catalog_id, "DatabaseName": self.database, "Name": table}}

    def assigned_tags(self, table: str) -> TagSet:
        try:
            response = self.client.get_resource_lf_tags(CatalogId=self.catalog_id, Resource=self.resource(table), ShowAssignedLFTags=True)
        except Exception as error:  # botocore's ClientError/BotoCoreError: re-raised with the table it concerns
            raise TagError(f"{self.database}.{table}: could not read its Lake Formation tags ({error})") from error
        return tag_set(response.get("LFTagsOnTable", []))

    def gold_tags(self, dataset: str) -> TagSet:
        """The tags of a dataset's declared gold table (read once per run)."""
        if dataset not in self._gold:
            self._gold[dataset] = self.assigned_tags(dataset)
        return self._gold[dataset]

    def daily_tags(self, dataset: str) -> TagSet:
        return daily_tags(f"{self.database}.{dataset}", self.gold_tags(dataset), self.domain_tag_key)

    def summary_tags(self, domain: str, datasets: Sequence[str]) -> TagSet:
        return summary_tags(domain, {f"{self.database}.{name}": self.gold_tags(name) for name in datasets}, self.domain_tag_key, self.access_tag_keys)

    def apply(self, table: str, wanted: TagSet) -> None:
        """Makes the table's assigned tags exactly ``wanted``; any error stops the run naming the table."""
        remove, add = tag_changes(self.assigned_tags(table), wanted)
        for operation, tags in (("remove_lf_tags_from_resource", remove), ("add_lf_tags_to_resource", add)):
            if not tags:
                continue
            untagged = f"{self.database}.{table} is registered but its Lake Formation tags are not {lf_tags(wanted, self.catalog_id)}; readers cannot see it until a rerun tags it"
            try:
                response = getattr(self.client, operation)(CatalogId=self.catalog_id, Resource=self.resource(table), LFTags=lf_tags(tags, self.catalog_id))
            except Exception as error:  # botocore's ClientError/BotoCoreError: re-raised with what is left untagged
                raise TagError(f"{operation} failed ({error}): {untagged}") from error
            failures = tag_failures(response)
            if failures:
                raise TagError(f"{operation} failed for {'; '.join(failures)}: {untagged}")
        print(f"{self.database}.{table}: Lake Formation tags {json.dumps(wanted, sort_keys=True)}")


def lake_formation_client(manifest: dict[str, Any]) -> Any:
    import boto3

    return boto3.client("lakeformation", region_name=manifest["lakeFormation"]["region"])


def path_exists(spark: Any, location: str) -> bool:
    """Whether anything exists at an s3:// (or local) location, through the cluster's Hadoop file system."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    return bool(path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path))


def empty_summary(dataset: dict[str, Any]) -> dict[str, Any]:
    """The summary of a dataset that has no bronze data yet (added to the definition, not ingested yet)."""
    return {"dataset": dataset["name"], "bronze_rows": 0, "current_rows": 0, "deleted_keys": 0, "quarantined_rows": 0, "latest_ingested_at": None, "daily_table": None}


def build_dataset(spark: Any, args: argparse.Namespace, manifest: dict[str, Any], dataset: dict[str, Any], tagger: TableTagger, run_id: str, started: dt.datetime) -> dict[str, Any]:
    from pyspark.sql import functions as F

    metadata = manifest["metadataColumns"]
    if not path_exists(spark, table_location(args.bronze, dataset["path"])):
        print(f"{dataset['domain']}.{dataset['name']}: no bronze data yet at {table_location(args.bronze, dataset['path'])}; its silver and gold tables are left as they are")
        return empty_summary(dataset)
    rows = read_bronze(spark, args.bronze, dataset, metadata).cache()
    bronze_rows = rows.count()
    valid, rejected = split_valid(rows, dataset, metadata)
    latest, duplicates = latest_per_key(valid, dataset, metadata)
    latest = latest.cache()
    if duplicates is not None:
        rejected = rejected.unionByName(duplicates, allowMissingColumns=True)
    quarantined = quarantine(rejected, dataset, args.silver, run_id, started)
    accepted = latest.count()
    problem = row_count_problem(dataset, accepted)
    if problem:
        raise RuntimeError(problem + "; silver and gold were not published")

    columns = [c["name"] for c in dataset["columns"]]
    bookkeeping = [metadata["ingestedAt"]] + ([metadata["sequence"], metadata["operation"], "is_deleted"] if dataset["cdc"] else [])
    silver = latest.select(*[F.col(quote(c)) for c in columns + bookkeeping])
    publish(spark, silver, manifest["databases"]["silver"], dataset["name"], table_location(args.silver, dataset["path"]))

    current = silver.where("not is_deleted") if dataset["cdc"] else silver
    current = current.select(*[F.col(quote(c)) for c in columns], F.col(quote(metadata["ingestedAt"])).alias("last_ingested_at"))
    publish(spark, current, manifest["databases"]["gold"], dataset["name"], table_location(args.gold, dataset["path"]))
    daily_table = build_daily(spark, args, manifest, dataset, current, tagger)
    deleted = latest.where("is_deleted").count() if dataset["cdc"] else 0
    latest_change = latest.agg(F.max(quote(metadata["ingestedAt"]))).first()[0]
    rows.unpersist()
    latest.unpersist()
    return {
        "dataset": dataset["name"],
        "bronze_rows": bronze_rows,
        "current_rows": accepted - deleted,
        "deleted_keys": deleted,
        "quarantined_rows": quarantined,
        "latest_ingested_at": latest_change,
        "daily_table": daily_table,
    }


def build_daily(spark: Any, args: argparse.Namespace, manifest: dict[str, Any], dataset: dict[str, Any], current: Any, tagger: TableTagger) -> str | None:
    """`<dataset>_daily` in gold: records and numeric totals per day of the dataset's activity date, tagged like the dataset's gold table."""
    from pyspark.sql import functions as F

    activity = activity_column(dataset)
    if activity is None:
        return None
    measures = measure_columns(dataset)
    aggregates = [F.count(F.lit(1)).alias("records")] + [F.sum(F.col(quote(m))).alias(f"total_{m}") for m in measures]
    daily = current.where(F.col(quote(activity)).isNotNull()).groupBy(F.to_date(F.col(quote(activity))).alias("activity_date")).agg(*aggregates)
    table = f"{dataset['name']}_daily"
    publish(spark, daily, manifest["databases"]["gold"], table, table_location(args.gold, dataset["domain"], table))
    tagger.apply(table, tagger.daily_tags(dataset["name"]))
    return table


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T

    spark = SparkSession.builder.appName(f"silver-gold-{args.environment}-{args.domain}").enableHiveSupport().getOrCreate()
    location = args.manifest or spark.conf.get(MANIFEST_CONF, None)
    if not location:
        raise ManifestError(f"no manifest: pass --manifest or set the Spark conf {MANIFEST_CONF}")
    manifest = read_manifest(spark, location)
    validate_manifest(manifest, args.environment)
    run_id = args.run_id or str(uuid.uuid4())
    started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    datasets = datasets_of(manifest, args.domain)
    tagger = TableTagger(lake_formation_client(manifest), manifest)
    # Read the declared gold tables' tags before publishing anything: a catalog stack not deployed yet stops the run here.
    summary_table_tags = tagger.summary_tags(args.domain, [dataset["name"] for dataset in datasets])
    summaries = [build_dataset(spark, args, manifest, dataset, tagger, run_id, started) for dataset in datasets]

    schema = T.StructType(
        [
            T.StructField("dataset", T.StringType(), False),
            T.StructField("bronze_rows", T.LongType(), False),
            T.StructField("current_rows", T.LongType(), False),
            T.StructField("deleted_keys", T.LongType(), False),
            T.StructField("quarantined_rows", T.LongType(), False),
            T.StructField("latest_ingested_at", T.TimestampType(), True),
            T.StructField("daily_table", T.StringType(), True),
            T.StructField("run_id", T.StringType(), False),
            T.StructField("built_at", T.TimestampType(), False),
        ]
    )
    rows = [{**summary, "run_id": run_id, "built_at": started} for summary in summaries]
    summary_table = f"{args.domain}_summary"
    publish(spark, spark.createDataFrame(rows, schema), manifest["databases"]["gold"], summary_table, table_location(args.gold, args.domain, summary_table))
    tagger.apply(summary_table, summary_table_tags)
    for summary in summaries:
        print(json.dumps({**summary, "latest_ingested_at": str(summary["latest_ingested_at"])}, sort_keys=True))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
