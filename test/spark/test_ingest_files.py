"""Files sources through the ingestion core on local Spark: the five formats, schema drift, quarantine, bookmarks.

Each test lands files (written by Spark) under s3://<bronze>/_landing/… in a local folder, runs
`glue_ingest.ingest` with the local Platform, and reads what it wrote: bronze under
<bronze>/<domain>/<dataset>/ingestion_date=<date>/ and the quarantine under <bronze>/_quarantine/….
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from local_platform import LocalPlatform, arguments, bronze_path, exists, gi, local_options, read_bronze, read_quarantine, run_at

COLUMNS = [
    {"name": "product_id", "type": "string", "nullable": False},
    {"name": "product_name", "type": "string", "nullable": False},
    {"name": "list_price", "type": "decimal(18,2)", "nullable": True},
    {"name": "stock", "type": "int", "nullable": True},
    {"name": "updated_at", "type": "timestamp", "nullable": True},
]
EXTENSIONS = {"csv": "csv", "json": "json", "avro": "avro", "parquet": "parquet", "orc": "orc"}
# The source of the format tests: `stock` (declared, nullable) is missing, `coupon` is not declared,
# and P0007's price does not cast.
SOURCE_SCHEMA = "product_id string, product_name string, list_price string, updated_at timestamp, coupon string"
SOURCE_ROWS = [
    (f"P{i:04d}", f"Product {i} ✓", "n/a" if i == 7 else f"{i}.50", dt.datetime(2026, 12, 1, 10, 0, i), f"C{i}" if i % 2 else None) for i in range(1, 41)
]


def land(spark: Any, rows: list[tuple], schema: str, data_format: str, root: Path, folder: str, name: str, **write_options: str) -> Path:
    """Writes one landing file with Spark under <bronze>/_landing/<folder>/<name>.<ext>."""
    staging = root / "_staging" / name
    writer = spark.createDataFrame(rows, schema).coalesce(1).write.format(data_format).options(**write_options)
    writer.save(str(staging))
    part = next(path for path in staging.iterdir() if path.name.startswith("part-"))
    target = root / "acme-test-bronze" / "_landing" / folder / f"{name}.{EXTENSIONS[data_format]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(part), target)
    shutil.rmtree(staging)
    return target


def files_options(root: Path, dataset: str, data_format: str, columns: list[dict[str, Any]] = COLUMNS, header: str = "true", delimiter: str = ",") -> gi.Options:
    argv = arguments(
        dataset,
        "files",
        data_format,
        columns,
        ["product_id"],
        landing_pattern=f"_landing/incoming/{dataset}/*.{EXTENSIONS[data_format]}",
        csv_header=header,
        csv_delimiter=delimiter,
    )
    return local_options(root, argv)


@pytest.mark.parametrize("data_format", ["json", "csv", "avro", "parquet", "orc"])
def test_lands_each_format_with_metadata_drift_and_quarantine(spark, tmp_path: Path, data_format: str) -> None:
    dataset = f"products_{data_format}"
    options = files_options(tmp_path, dataset, data_format)
    landed_file = land(spark, SOURCE_ROWS, SOURCE_SCHEMA, data_format, tmp_path, f"incoming/{dataset}", "2026-12-04", **({"header": "true"} if data_format == "csv" else {}))
    platform = LocalPlatform(tmp_path / "state")

    result = gi.ingest(spark, options, platform, run_at("run-1"))

    # Nothing lost: 40 read = 39 in bronze + 1 quarantined.
    assert (result.read, result.landed, result.quarantined) == (40, 39, 1)
    assert bronze_path(options, "2026-12-04").endswith(f"/acme-test-bronze/sales/{dataset}/ingestion_date=2026-12-04/")
    assert exists(bronze_path(options, "2026-12-04"))
    assert platform.partitions == [f"{dataset}/ingestion_date=2026-12-04"]
    bronze = read_bronze(spark, options)
    assert bronze.count() == 39
    declared = ["product_id", "product_name", "list_price", "stock", "updated_at"]
    metadata = ["_source_file", "_source", "_batch_id", "_ingested_at"]
    if data_format in ("parquet", "orc", "json"):
        # Self-describing formats keep the undeclared column, after the declared and metadata ones.
        expected_columns = declared + metadata + ["coupon", "ingestion_date"]
    else:
        expected_columns = declared + metadata + ["ingestion_date"]
    if data_format == "json":
        # JSON readers list fields alphabetically, and Spark's JSON writer leaves null fields out (the
        # table's readers see them as null): the set of the other columns is the contract.
        assert sorted(bronze.columns) == sorted(set(expected_columns) - {"stock"})
    else:
        assert bronze.columns == expected_columns
    rows = {row["product_id"]: row for row in bronze.collect()}
    first = rows["P0001"]
    assert Decimal(str(first["list_price"])) == Decimal("1.50")
    assert first["product_name"] == "Product 1 ✓"
    assert (first["stock"] if "stock" in bronze.columns else None) is None  # declared, missing at the source: a typed null
    assert first["_batch_id"] == "run-1"
    assert first["_source"] == f"files:{dataset}"
    assert str(first["_ingested_at"]).startswith("2026-12-04 10:00:00")
    assert first["_source_file"].endswith(f"/_landing/incoming/{dataset}/2026-12-04.{data_format}")
    assert str(first["ingestion_date"]) == "2026-12-04"
    if "coupon" in bronze.columns:
        assert first["coupon"] == "C1"
    # The missing column is a typed null in the files themselves (checked where the format keeps types).
    if data_format in ("parquet", "orc", "avro"):
        raw = spark.read.format(data_format).load(bronze_path(options, "2026-12-04"))
        assert dict(raw.dtypes)["stock"] == "int"
        assert dict(raw.dtypes)["list_price"] == "decimal(18,2)"
    assert "P0007" not in rows

    assert options.quarantine_path.endswith(f"/acme-test-bronze/_quarantine/sales/{dataset}/")
    assert exists(f"{options.quarantine_path}ingestion_date=2026-12-04/")
    quarantine = read_quarantine(spark, options).collect()
    assert len(quarantine) == 1
    assert quarantine[0]["reason"] == "list_price: not a decimal(18,2)"
    assert '"product_id":"P0007"' in quarantine[0]["record"] and '"list_price":"n/a"' in quarantine[0]["record"]
    assert quarantine[0]["_batch_id"] == "run-1"
    assert landed_file.exists()


def test_reads_only_new_files_and_keeps_files_of_a_failed_run(spark, tmp_path: Path) -> None:
    options = files_options(tmp_path, "products", "parquet")
    platform = LocalPlatform(tmp_path / "state")
    land(spark, SOURCE_ROWS[:10], SOURCE_SCHEMA, "parquet", tmp_path, "incoming/products", "day-1")
    land(spark, SOURCE_ROWS[:3], SOURCE_SCHEMA, "parquet", tmp_path, "incoming/products/archive", "old")  # another folder: not the glob
    land(spark, SOURCE_ROWS[:3], SOURCE_SCHEMA, "json", tmp_path, "incoming/products", "notes")  # another extension

    first = gi.ingest(spark, options, platform, run_at("run-1"))
    assert (first.read, len(first.files)) == (10, 1)

    assert gi.ingest(spark, options, platform, run_at("run-2")).read == 0

    # A file whose key column is gone fails the run; the file is not marked read, so the fixed run reads it.
    land(spark, [(f"Product {i}", "1.00") for i in range(5)], "product_name string, list_price string", "parquet", tmp_path, "incoming/products", "day-2")
    with pytest.raises(gi.IngestionError, match=r"^dataset products: the source no longer delivers not-nullable column\(s\) product_id;") as failure:
        gi.ingest(spark, options, platform, run_at("run-3"))
    assert failure.value.__suppress_context__  # the user-facing error, not a chain of tracebacks
    platform.abandon()
    (tmp_path / "acme-test-bronze" / "_landing" / "incoming" / "products" / "day-2.parquet").unlink()
    land(spark, SOURCE_ROWS[10:15], SOURCE_SCHEMA, "parquet", tmp_path, "incoming/products", "day-2-fixed")
    third = gi.ingest(spark, options, platform, run_at("run-4"))
    assert third.read == 5
    batches = {row["_batch_id"]: row["n"] for row in read_bronze(spark, options).groupBy("_batch_id").count().withColumnRenamed("count", "n").collect()}
    assert batches == {"run-1": 9, "run-4": 5}  # P0007 of run-1 is in the quarantine


def test_a_missing_key_column_fails_the_run_naming_dataset_and_column(spark, tmp_path: Path) -> None:
    options = files_options(tmp_path, "products", "json")
    land(spark, [("Product 1", "1.00")], "product_name string, list_price string", "json", tmp_path, "incoming/products", "no-key")
    with pytest.raises(gi.IngestionError, match=r"^dataset products: the source no longer delivers not-nullable column\(s\) product_id; fix the source or the definition$"):
        gi.ingest(spark, options, LocalPlatform(tmp_path / "state"), run_at("run-1"))
    assert not exists(options.target_path)
    assert not exists(options.quarantine_path)


def test_quarantines_nulls_in_not_nullable_columns_and_lines_that_are_not_json(spark, tmp_path: Path) -> None:
    options = files_options(tmp_path, "products", "json")
    folder = tmp_path / "acme-test-bronze" / "_landing" / "incoming" / "products"
    folder.mkdir(parents=True)
    (folder / "mixed.json").write_text(
        '{"product_id": "P1", "product_name": "One", "list_price": 1.5, "stock": 3}\n'
        '{"product_id": "P2", "product_name": null, "list_price": 2}\n'
        "this is not json\n"
        '{"product_id": "P3", "product_name": "Three", "list_price": "x", "stock": "many"}\n'
        '{"product_id": "P4", "product_name": "Four", "stock": 99999999999}\n'
    )
    result = gi.ingest(spark, options, LocalPlatform(tmp_path / "state"), run_at("run-1"))
    assert (result.read, result.landed, result.quarantined) == (5, 1, 4)
    assert [row["product_id"] for row in read_bronze(spark, options).collect()] == ["P1"]
    reasons = {row["reason"]: row["record"] for row in read_quarantine(spark, options).collect()}
    assert reasons.keys() == {
        "product_name: null in a not-nullable column",
        "not a valid JSON record",
        "list_price: not a decimal(18,2); stock: not a int",
        "stock: not a int",
    }
    assert reasons["not a valid JSON record"] == "this is not json"


def test_headerless_csv_is_positional_with_the_definitions_delimiter(spark, tmp_path: Path) -> None:
    options = files_options(tmp_path, "products", "csv", header="false", delimiter=";")
    folder = tmp_path / "acme-test-bronze" / "_landing" / "incoming" / "products"
    folder.mkdir(parents=True)
    (folder / "export.csv").write_text('P1;"One; the first";1.50;4;2026-12-01 10:00:00\nP2;Two;2.00;;\n')
    result = gi.ingest(spark, options, LocalPlatform(tmp_path / "state"), run_at("run-1"))
    assert (result.read, result.landed) == (2, 2)
    rows = {row["product_id"]: row for row in read_bronze(spark, options).collect()}
    assert rows["P1"]["product_name"] == "One; the first"
    assert rows["P1"]["stock"] == "4"
    assert rows["P2"]["stock"] is None
