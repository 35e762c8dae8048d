"""Database sources through the ingestion core on local Spark and a throwaway PostgreSQL.

Full snapshots, incremental loads on a change-tracking column (a row updated between two runs is read
again: issue #12, point 3) and CDC tables with `_op`/`_change_seq`; each asserted on bronze, the
quarantine and the bookmark.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from local_platform import LocalPlatform, arguments, bronze_path, exists, gi, local_options, read_bronze, read_quarantine, run_at

COLUMNS = [
    {"name": "order_id", "type": "bigint", "nullable": False},
    {"name": "customer_id", "type": "bigint", "nullable": False},
    {"name": "order_status", "type": "string", "nullable": False},
    {"name": "order_total", "type": "decimal(18,2)", "nullable": True},
    {"name": "updated_at", "type": "timestamp", "nullable": False},
]
ROWS = 300


def database_options(root: Path, dataset: str, table: str, load: str, bookmark: str | None = None, cdc: bool = False) -> gi.Options:
    extra = {"connection_name": "acme-test-jdbc-sales-erp", "engine": "postgres", "source_table": table, "load": load}
    if bookmark:
        extra["bookmark_keys"] = bookmark
    return local_options(root, arguments(dataset, "database", "parquet", COLUMNS, ["order_id"], cdc=cdc, source_description=f"postgres:{table}", **extra))


def create_orders(postgres, table: str, cdc: bool = False) -> None:
    envelope = ", _op text, _change_seq bigint" if cdc else ""
    postgres.sql(
        f"DROP TABLE IF EXISTS {table};"
        f"CREATE TABLE {table} (order_id bigint{'' if cdc else ' PRIMARY KEY'}, customer_id bigint, order_status text{'' if cdc else ' NOT NULL'},"
        f" order_total numeric(18,2), updated_at timestamp{'' if cdc else ' NOT NULL'}{envelope});"
        f"INSERT INTO {table} SELECT i, 1000 + i % 37, 'placed', (i * 1.25)::numeric(18,2), TIMESTAMP '2026-12-01 00:00:00' + i * INTERVAL '1 second'"
        f"{', ' + chr(39) + 'insert' + chr(39) + ', i' if cdc else ''} FROM generate_series(1, {ROWS}) AS i;"
    )


def by_batch(spark, options: gi.Options) -> dict[str, int]:
    return {row["_batch_id"]: row["count"] for row in read_bronze(spark, options).groupBy("_batch_id").count().collect()}


def test_snapshot_reads_the_whole_table_every_run(spark, postgres, tmp_path: Path) -> None:
    create_orders(postgres, "public.orders_snapshot")
    options = database_options(tmp_path, "orders_snapshot", "public.orders_snapshot", "snapshot")
    platform = LocalPlatform(tmp_path / "state", postgres.jdbc_url)

    first = gi.ingest(spark, options, platform, run_at("run-1"))
    postgres.sql("UPDATE public.orders_snapshot SET order_status = 'paid' WHERE order_id = 5")
    second = gi.ingest(spark, options, platform, run_at("run-2"))

    assert (first.read, first.landed, second.read, second.landed) == (ROWS, ROWS, ROWS, ROWS)
    assert platform.queries == ["SELECT * FROM public.orders_snapshot"] * 2
    assert platform.bookmark(options) is None
    # Each batch is one complete snapshot; the latest one holds the change.
    bronze = read_bronze(spark, options)
    assert by_batch(spark, options) == {"run-1": ROWS, "run-2": ROWS}
    assert {(r["_batch_id"], r["order_status"]) for r in bronze.where("order_id = 5").collect()} == {("run-1", "placed"), ("run-2", "paid")}
    row = bronze.where("order_id = 1 AND _batch_id = 'run-1'").first()
    assert row["_source"] == "postgres:public.orders_snapshot"
    assert row["order_total"] == Decimal("1.25")
    assert str(row["updated_at"]) == "2026-12-01 00:00:01"
    assert exists(bronze_path(options, "2026-12-04"))


def test_incremental_load_reads_new_and_updated_rows_by_the_change_tracking_column(spark, postgres, tmp_path: Path) -> None:
    create_orders(postgres, "public.orders_incremental")
    options = database_options(tmp_path, "orders_incremental", "public.orders_incremental", "incremental", bookmark="updated_at")
    platform = LocalPlatform(tmp_path / "state", postgres.jdbc_url)

    first = gi.ingest(spark, options, platform, run_at("run-1"))
    assert (first.read, first.landed, first.quarantined) == (ROWS, ROWS, 0)
    assert platform.bookmark(options)["value"] == "2026-12-01 00:05:00"  # the 300th second

    # Between the runs: an existing key changes (same key, later updated_at), two rows are added, one
    # of them without its not-nullable customer_id, and an untouched row stays as it was.
    postgres.sql(
        "UPDATE public.orders_incremental SET order_status = 'shipped', order_total = 99.99, updated_at = TIMESTAMP '2026-12-02 08:00:00' WHERE order_id = 42;"
        "INSERT INTO public.orders_incremental VALUES (301, 1301, 'placed', 10.00, TIMESTAMP '2026-12-02 08:00:01'),"
        " (302, NULL, 'placed', 11.00, TIMESTAMP '2026-12-02 08:00:02');"
    )
    second = gi.ingest(spark, options, platform, run_at("run-2"))

    assert platform.queries[-1] == "SELECT * FROM public.orders_incremental WHERE updated_at > TIMESTAMP '2026-12-01 00:05:00.000000'"
    assert (second.read, second.landed, second.quarantined) == (3, 2, 1)
    bronze = read_bronze(spark, options)
    versions = sorted((r["_batch_id"], r["order_status"], r["order_total"], str(r["updated_at"])) for r in bronze.where("order_id = 42").collect())
    assert versions == [("run-1", "placed", Decimal("52.50"), "2026-12-01 00:00:42"), ("run-2", "shipped", Decimal("99.99"), "2026-12-02 08:00:00")]
    assert sorted(r["order_id"] for r in bronze.where("_batch_id = 'run-2'").collect()) == [42, 301]
    quarantine = read_quarantine(spark, options).collect()
    assert [(q["reason"], q["_batch_id"]) for q in quarantine] == [("customer_id: null in a not-nullable column", "run-2")]
    assert '"order_id":302' in quarantine[0]["record"]
    # Nothing lost over both runs: every row read is in bronze or the quarantine.
    assert bronze.count() + len(quarantine) == first.read + second.read
    assert platform.bookmark(options)["value"] == "2026-12-02 08:00:02"

    third = gi.ingest(spark, options, platform, run_at("run-3"))
    assert third.read == 0


def test_a_failed_run_does_not_move_the_bookmark(spark, postgres, tmp_path: Path) -> None:
    create_orders(postgres, "public.orders_retry")
    options = database_options(tmp_path, "orders_retry", "public.orders_retry", "incremental", bookmark="updated_at")
    platform = LocalPlatform(tmp_path / "state", postgres.jdbc_url)
    gi.ingest(spark, options, platform, run_at("run-1"))
    postgres.sql("ALTER TABLE public.orders_retry RENAME COLUMN customer_id TO client_id;")
    postgres.sql("UPDATE public.orders_retry SET updated_at = TIMESTAMP '2026-12-03 00:00:00' WHERE order_id = 7;")
    with pytest.raises(gi.IngestionError, match=r"^dataset orders_retry: the source no longer delivers not-nullable column\(s\) customer_id"):
        gi.ingest(spark, options, platform, run_at("run-2"))
    platform.abandon()
    assert platform.bookmark(options)["value"] == "2026-12-01 00:05:00"
    postgres.sql("ALTER TABLE public.orders_retry RENAME COLUMN client_id TO customer_id;")
    assert gi.ingest(spark, options, platform, run_at("run-3")).read == 1


def test_cdc_reads_change_events_past_the_last_change_sequence(spark, postgres, tmp_path: Path) -> None:
    create_orders(postgres, "public.orders_cdc", cdc=True)
    options = database_options(tmp_path, "orders_cdc", "public.orders_cdc", "incremental", bookmark="_change_seq", cdc=True)
    platform = LocalPlatform(tmp_path / "state", postgres.jdbc_url)

    first = gi.ingest(spark, options, platform, run_at("run-1"))
    postgres.sql(
        "INSERT INTO public.orders_cdc VALUES"
        " (42, 1042, 'paid', 52.50, TIMESTAMP '2026-12-02 09:00:00', 'UPDATE', 301),"
        " (43, 1043, 'placed', 53.75, TIMESTAMP '2026-12-02 09:00:01', 'DELETE', 302),"
        " (401, 1401, 'placed', 1.00, TIMESTAMP '2026-12-02 09:00:02', 'insert', 303),"
        # A delete that carries only its key lands (its other columns are not required); an update without them does not.
        " (44, NULL, NULL, NULL, NULL, 'delete', 304),"
        " (45, NULL, NULL, NULL, NULL, 'update', 305);"
    )
    second = gi.ingest(spark, options, platform, run_at("run-2"))

    assert (first.read, second.read, second.landed, second.quarantined) == (ROWS, 5, 4, 1)
    assert platform.queries[-1] == "SELECT * FROM public.orders_cdc WHERE _change_seq > 300"
    assert read_quarantine(spark, options).first()["reason"].startswith("customer_id: null in a not-nullable column")
    bronze = read_bronze(spark, options)
    assert bronze.columns == ["order_id", "customer_id", "order_status", "order_total", "updated_at", "_op", "_change_seq", "_source", "_batch_id", "_ingested_at", "ingestion_date"]
    events = sorted((r["order_id"], r["_op"], r["_change_seq"]) for r in bronze.where("_batch_id = 'run-2'").collect())
    assert events == [(42, "update", 301), (43, "delete", 302), (44, "delete", 304), (401, "insert", 303)]
    assert dict(bronze.dtypes)["_change_seq"] == "bigint"


def test_a_cdc_table_without_the_change_envelope_fails_naming_the_dataset(spark, postgres, tmp_path: Path) -> None:
    create_orders(postgres, "public.orders_not_cdc")
    options = database_options(tmp_path, "orders_not_cdc", "public.orders_not_cdc", "incremental", bookmark="updated_at", cdc=True)
    with pytest.raises(gi.IngestionError, match=r"^dataset orders_not_cdc: the source has no _op, _change_seq, which a CDC dataset needs$"):
        gi.ingest(spark, options, LocalPlatform(tmp_path / "state", postgres.jdbc_url), run_at("run-1"))
