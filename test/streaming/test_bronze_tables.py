"""The Databricks bronze tables step (constructs/databricks/pipelines/bronze_tables.py) on local Spark and Delta Lake.

The plan is the one the lakehouse stack deploys (scripts/bronze-tables-plan.ts, from platform.yaml), pointed at
local folders shaped like the ADLS bronze filesystem and the filesystem of bronze's working data (``bronze-work``,
where the checkpoints go: bronze is immutable, the step only reads it): files of every batch dataset of the
example, written as Data Factory lands them (`<domain>/<dataset>/ingestion_date=<date>/`, the dataset's format, Parquet for captured
changes, the metadata columns Data Factory adds as text). The step runs with Spark's file source (`--reader
files`), the same incremental stream Auto Loader provides on Databricks, into Delta tables of the session catalog.
"""

from __future__ import annotations

import json
import random
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import bronze_tables

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261205
FIRST_DAY, SECOND_DAY = "2026-12-01", "2026-12-02"
# A dataset that has landed nothing yet: its table must exist, empty, so that dbt finds its source.
NOT_LANDED = "exchange_rates"


def plan_for(bronze_url: str, bronze_work_url: str) -> dict:
    output = subprocess.run(
        [
            "npx",
            "ts-node",
            "--swc",
            "scripts/bronze-tables-plan.ts",
            "--catalog",
            "spark_catalog",
            "--bronze-url",
            bronze_url,
            "--bronze-work-url",
            bronze_work_url,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def value_of(type_name: str, rng: random.Random, index: int):
    """A value of a Spark SQL type (as a Python value for a DataFrame of the landed schema)."""
    if type_name == "string":
        return f"v{index}-{rng.randrange(10**6)}"
    if type_name in ("int", "bigint"):
        return index + 1
    if type_name == "double":
        return rng.random() * 100
    if type_name == "boolean":
        return index % 2 == 0
    if type_name == "date":
        return date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    if type_name == "timestamp":
        return datetime(2026, 1, 1) + timedelta(seconds=rng.randrange(10**7))
    if type_name.startswith("decimal"):
        return Decimal(rng.randrange(10**6)) / 100
    raise AssertionError(f"no generator for {type_name}")


def landed_rows(table: dict, count: int, day: str, offset: int) -> list[tuple]:
    """Rows as Data Factory lands them: declared columns typed, the metadata it adds as text."""
    rng = random.Random(f"{SEED}-{table['dataset']}-{day}")
    rows = []
    for index in range(offset, offset + count):
        row = []
        for column in table["columns"]:
            name = column["name"]
            if name == "_ingested_at":
                row.append(f"{day} 06:00:{index % 60:02d}.123456")
            elif name == "_batch_id":
                row.append(f"run-{day}")
            elif name == "_source":
                row.append(f"source-of-{table['dataset']}")
            elif name == "_source_file":
                row.append(f"_landing/{table['dataset']}/{day}.file")
            elif name == "_op":
                row.append(["insert", "update", "delete"][index % 3])
            elif name == "_change_seq":
                row.append(10**12 + index)
            else:
                row.append(value_of(column.get("landedType", column["type"]), rng, index))
        rows.append(tuple(row))
    return rows


def land(spark, table: dict, rows: list[tuple], day: str) -> None:
    """Writes rows into the dataset's partition folder of the run date, in the plan's format."""
    schema = ", ".join(f"`{column['name']}` {column.get('landedType', column['type'])}" for column in table["columns"])
    frame = spark.createDataFrame(rows, schema).coalesce(1)
    writer = frame.write.mode("append").format(table["format"])
    if table["format"] == "csv":
        dialect = table["csv"]
        writer = writer.options(header=str(dialect["header"]).lower(), sep=dialect["delimiter"], quote=dialect["quote"], escape=dialect["escape"])
    writer.save(f"{table['source']}{table['partitionColumn']}={day}")


def count(spark, table: dict) -> int:
    return spark.read.table(table["table"]).count()


@pytest.fixture(scope="module")
def landed(spark, tmp_path_factory):
    """The plan over local bronze and bronze-work folders, with the first day landed for every dataset but one."""
    adls = tmp_path_factory.mktemp("adls")
    bronze, work = adls / "bronze", adls / "bronze-work"
    bronze.mkdir()
    work.mkdir()
    plan = plan_for(f"file:{bronze}/", f"file:{work}/")
    plan_file = bronze.parent / "bronze_tables.json"
    plan_file.write_text(json.dumps(plan))
    spark.sql("CREATE SCHEMA IF NOT EXISTS spark_catalog.bronze")
    tables = {table["dataset"]: table for table in plan["tables"]}
    counts = {}
    for name, table in tables.items():
        if name == NOT_LANDED:
            continue
        counts[name] = 40 + len(name)
        land(spark, table, landed_rows(table, counts[name], FIRST_DAY, 0), FIRST_DAY)
    landed_files = files_under(bronze)
    return {"plan": plan, "plan_file": str(plan_file), "tables": tables, "counts": counts, "bronze": bronze, "work": work, "files": landed_files}


def files_under(folder: Path) -> dict[str, int]:
    """Every file below a folder, by relative path, with its size."""
    return {str(path.relative_to(folder)): path.stat().st_size for path in folder.rglob("*") if path.is_file()}


def test_the_plan_has_every_batch_dataset_in_every_landed_format(landed):
    formats = {table["format"] for table in landed["tables"].values()}
    # Parquet (captured changes), CSV and Avro (files), JSON (API responses): every way the example lands.
    assert formats == {"parquet", "csv", "json", "avro"}
    assert "web_events" not in landed["tables"]  # streams have their own bronze table (the stream pipeline)


def test_first_run_loads_every_landed_file_into_a_table_with_the_bronze_columns(spark, landed, capsys):
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files"], spark=spark) == 0
    printed = capsys.readouterr().out
    for name, table in landed["tables"].items():
        expected_rows = landed["counts"].get(name, 0)
        assert count(spark, table) == expected_rows, name
        assert f"bronze_tables: {name}: {expected_rows} rows loaded" in printed
        fields = [(field.name, field.dataType.simpleString()) for field in spark.read.table(table["table"]).schema.fields]
        planned = [(column["name"], bronze_tables.normalized_type(column["type"])) for column in table["columns"]] + [(table["partitionColumn"], "string")]
        assert [(n, bronze_tables.normalized_type(t)) for n, t in fields] == planned, name
    # The metadata Data Factory writes as text is typed in the table; the partition comes from the folder.
    customers = landed["tables"]["customers"]
    row = spark.read.table(customers["table"]).orderBy("_change_seq").first()
    assert row["_ingested_at"] == datetime(2026, 12, 1, 6, 0, 0, 123456)
    assert row["ingestion_date"] == FIRST_DAY and row["_batch_id"] == f"run-{FIRST_DAY}" and row["_op"] == "insert"
    products = spark.read.table(landed["tables"]["products"]["table"])
    generated = landed_rows(landed["tables"]["products"], landed["counts"]["products"], FIRST_DAY, 0)
    assert sorted(tuple(r)[:5] for r in products.collect()) == sorted(g[:5] for g in generated)


def test_the_step_writes_nothing_in_bronze_and_keeps_its_checkpoints_in_bronze_work(spark, landed):
    """Bronze is immutable on Azure: the runs so far left its files exactly as landed; their state is in bronze-work."""
    for table in landed["tables"].values():
        assert table["checkpoint"] == f"file:{landed['work']}/_state/{table['domain']}/{table['dataset']}/bronze_table/"
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files"], spark=spark) == 0
    assert files_under(landed["bronze"]) == landed["files"]
    loaded = [name for name in landed["tables"] if name in landed["counts"]]
    for name in loaded:
        table = landed["tables"][name]
        assert any(Path(table["checkpoint"].removeprefix("file:")).rglob("*")), name


def test_a_second_run_without_new_files_loads_nothing_and_new_files_are_loaded_once(spark, landed, capsys):
    before = {name: count(spark, table) for name, table in landed["tables"].items()}
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files"], spark=spark) == 0
    assert {name: count(spark, table) for name, table in landed["tables"].items()} == before
    for name in ("customers", "products", NOT_LANDED):
        table = landed["tables"][name]
        land(spark, table, landed_rows(table, 7, SECOND_DAY, 1000), SECOND_DAY)
    capsys.readouterr()
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files", "--datasets", f"customers,products,{NOT_LANDED}"], spark=spark) == 0
    assert "bronze_tables: customers: 7 rows loaded" in capsys.readouterr().out
    for name, table in landed["tables"].items():
        added = 7 if name in ("customers", "products", NOT_LANDED) else 0
        assert count(spark, table) == before[name] + added, name
    days = {row[0] for row in spark.read.table(landed["tables"]["customers"]["table"]).select("ingestion_date").distinct().collect()}
    assert days == {FIRST_DAY, SECOND_DAY}


def test_a_file_that_breaks_the_declared_schema_fails_its_dataset_only_and_is_not_half_loaded(spark, landed, capsys):
    campaigns = landed["tables"]["campaigns"]
    folder = Path(campaigns["source"].removeprefix("file:")) / f"{campaigns['partitionColumn']}=2026-12-03"
    folder.mkdir(parents=True)
    good = {"campaign_id": "c-1", "campaign_name": "n", "channel": "email", "budget": "12.50", "starts_on": "2026-12-01", "ends_on": "2026-12-31"}
    meta = {"_source": "api", "_batch_id": "run-3", "_ingested_at": "2026-12-03 06:00:00.000000"}
    bad_file = folder / "part-bad.json"
    bad_file.write_text(json.dumps({**good, **meta}) + "\n" + json.dumps({**good, "budget": "twelve", **meta}) + "\n")
    orders = landed["tables"]["orders"]
    land(spark, orders, landed_rows(orders, 5, "2026-12-03", 2000), "2026-12-03")
    before = count(spark, campaigns)
    capsys.readouterr()
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files"], spark=spark) == 1
    captured = capsys.readouterr()
    assert f"bronze_tables: campaigns: FAILED: {campaigns['table']}:" in captured.out
    assert "1 of 7 datasets failed: campaigns" in captured.err
    assert count(spark, campaigns) == before  # nothing of the failed file, not even its good record
    assert count(spark, orders) == landed["counts"]["orders"] + 5  # the other datasets still load
    # Once the landing is fixed the file loads, exactly once.
    bad_file.write_text(json.dumps({**good, **meta}) + "\n")
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files", "--datasets", "campaigns"], spark=spark) == 0
    assert count(spark, campaigns) == before + 1


def test_a_column_type_that_differs_from_the_table_fails_naming_both_types(spark, landed):
    table = dict(landed["tables"]["orders"])
    changed = [dict(column, type="string") if column["name"] == "order_total" else column for column in table["columns"]]
    with pytest.raises(ValueError, match=r"order_total is decimal\(18,2\) in the table but string in the definition"):
        bronze_tables.ensure_table(spark, {**table, "columns": changed})


def test_a_column_the_definition_adds_is_added_to_the_table(spark, landed):
    table = landed["tables"]["order_items"]
    added = {**table, "columns": [*table["columns"], {"name": "discount", "type": "decimal(18,2)"}]}
    bronze_tables.ensure_table(spark, added)
    assert spark.read.table(table["table"]).schema["discount"].dataType.simpleString() == "decimal(18,2)"


def test_auto_loader_reads_the_same_files_with_the_plans_schema():
    table = {"format": "csv", "partitionColumn": "ingestion_date", "csv": {"delimiter": ";", "header": True, "quote": '"', "escape": "\\"}}
    source, options = bronze_tables.reader_options(table, "autoloader")
    assert source == "cloudFiles"
    assert options["cloudFiles.format"] == "csv" and options["cloudFiles.partitionColumns"] == "ingestion_date"
    assert options["cloudFiles.schemaEvolutionMode"] == "none" and options["mode"] == "FAILFAST" and options["sep"] == ";"
    assert bronze_tables.reader_options(table, "files") == ("csv", {k: v for k, v in options.items() if not k.startswith("cloudFiles.")})


def test_a_plan_of_another_version_or_an_unknown_dataset_is_refused(tmp_path, capsys, landed, spark):
    stale = tmp_path / "plan.json"
    stale.write_text(json.dumps({"version": 0, "tables": []}))
    assert bronze_tables.main(["--plan", str(stale)], spark=spark) == 2
    assert "version is 0; this step reads version 1" in capsys.readouterr().err
    assert bronze_tables.main(["--plan", landed["plan_file"], "--reader", "files", "--datasets", "nope"], spark=spark) == 2
    assert "--datasets: nope not in the plan" in capsys.readouterr().err
