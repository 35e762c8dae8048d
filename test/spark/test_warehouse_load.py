"""The gold warehouse load (constructs/databricks/warehouse/gold_tables_load.py) on local Spark and PostgreSQL.

The plan is the one the platform generates from the dbt gold contracts (scripts/warehouse-plan.ts), in its
PostgreSQL rendering; the gold tables are Iceberg tables of the local catalog, typed as their contracts
say. Asserted: the first load creates each table from the contract's DDL; a second load replaces the
rows; a load that fails inside the replacing transaction, or before it, leaves the previous rows; a
table that has drifted from its contract is refused and left alone, while the other tables load.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "constructs" / "databricks" / "warehouse"))

from gold_tables_load import JdbcTarget, LoadPlan, TablePlan, load_all, load_plan  # noqa: E402

# Tables of the real contracts that between them have every contract type the project uses.
TABLES = ["dim_products", "fct_orders", "ml_customer_churn_features"]
SOURCE_SCHEMA = "lake.warehouse_load_gold"


@pytest.fixture(scope="module")
def plan() -> LoadPlan:
    command = [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "scripts/warehouse-plan.ts", "plan", "postgres"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    full = load_plan(result.stdout)
    assert {table.name for table in full.tables} >= set(TABLES)
    return LoadPlan(dialect=full.dialect, schema=full.schema, tables=tuple(table for table in full.tables if table.name in TABLES))


@pytest.fixture()
def target(postgres) -> JdbcTarget:
    # Stands in for the one-time grants script, which creates the schema on Azure SQL.
    postgres.sql("DROP SCHEMA IF EXISTS gold CASCADE; CREATE SCHEMA gold;")
    return JdbcTarget(url=postgres.jdbc_url, driver="org.postgresql.Driver", properties={"user": postgres.user})


def value_of(contract_type: str, rng: random.Random, index: int) -> Any:
    if contract_type in ("bigint", "int"):
        return index * 7 + rng.randint(0, 6)
    if contract_type == "string":
        return f"val-{index}-{rng.choice(['a', 'ü', '東'])}"
    if contract_type == "boolean":
        return rng.random() < 0.5
    if contract_type == "date":
        return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    if contract_type == "timestamp":
        return dt.datetime(2026, 1, 1) + dt.timedelta(seconds=rng.randint(0, 10**7), microseconds=rng.randint(0, 999999))
    if contract_type == "double":
        return rng.random() * 1000
    if contract_type.startswith("decimal"):
        scale = int(contract_type.split(",")[1].rstrip(")"))
        return Decimal(rng.randint(0, 10**8)).scaleb(-scale)
    raise AssertionError(f"no test value for {contract_type}")


def gold_rows(table: TablePlan, count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        # The first column of each of these tables is its key; nullable columns are null now and then.
        rows.append(
            tuple(
                None if column.nullable and position > 0 and rng.random() < 0.2 else value_of(column.contract_type, rng, index)
                for position, column in enumerate(table.columns)
            )
        )
    return rows


def write_gold(spark, table: TablePlan, rows: list[tuple]) -> None:
    columns = ", ".join(f"`{column.name}` {column.contract_type}" for column in table.columns)
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {SOURCE_SCHEMA}")
    spark.sql(f"DROP TABLE IF EXISTS {SOURCE_SCHEMA}.{table.name}")
    spark.sql(f"CREATE TABLE {SOURCE_SCHEMA}.{table.name} ({columns}) USING iceberg")
    spark.createDataFrame(rows, spark.table(f"{SOURCE_SCHEMA}.{table.name}").schema).writeTo(f"{SOURCE_SCHEMA}.{table.name}").append()


def source_of(table: TablePlan) -> str:
    return f"{SOURCE_SCHEMA}.{table.name}"


def warehouse_rows(spark, target: JdbcTarget, table: TablePlan) -> list[tuple]:
    frame = spark.read.format("jdbc").option("url", target.url).option("driver", target.driver).option("dbtable", table.target)
    for key, value in target.properties.items():
        frame = frame.option(key, value)
    return sorted(tuple(row) for row in frame.load().collect())


def expected(rows: list[tuple]) -> list[tuple]:
    return sorted(rows)


def test_first_load_creates_the_tables_from_the_contracts_and_a_second_load_replaces_the_rows(spark, postgres, plan: LoadPlan, target: JdbcTarget) -> None:
    first = {table.name: gold_rows(table, 40, seed=1) for table in plan.tables}
    for table in plan.tables:
        write_gold(spark, table, first[table.name])

    loaded, failures = load_all(spark, target, plan, source_of, report=lambda line: None)

    assert failures == []
    assert [(result.table, result.rows, result.created) for result in loaded] == [(table.name, 40, True) for table in plan.tables]
    for table in plan.tables:
        columns = postgres.sql(
            "SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns "
            f"WHERE table_schema = 'gold' AND table_name = '{table.name}' ORDER BY ordinal_position"
        ).splitlines()
        assert columns == [f"{c.name} {c.catalog_type} {'YES' if c.nullable else 'NO'}" for c in table.columns]
        assert warehouse_rows(spark, target, table) == expected(first[table.name])
    # The staging tables are gone.
    assert postgres.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'gold'") == str(len(plan.tables))

    second = {table.name: gold_rows(table, 25, seed=2) for table in plan.tables}
    for table in plan.tables:
        write_gold(spark, table, second[table.name])
    loaded, failures = load_all(spark, target, plan, source_of, report=lambda line: None)

    assert failures == []
    assert [(result.rows, result.created) for result in loaded] == [(25, False)] * len(plan.tables)
    for table in plan.tables:
        assert warehouse_rows(spark, target, table) == expected(second[table.name])


def test_a_failed_load_leaves_the_previous_rows(spark, postgres, plan: LoadPlan, target: JdbcTarget) -> None:
    products = next(table for table in plan.tables if table.name == "dim_products")
    orders = next(table for table in plan.tables if table.name == "fct_orders")
    before = {table.name: gold_rows(table, 30, seed=3) for table in (products, orders)}
    for table in (products, orders):
        write_gold(spark, table, before[table.name])
    single = LoadPlan(plan.dialect, plan.schema, (products, orders))
    assert load_all(spark, target, single, source_of, report=lambda line: None)[1] == []

    # dim_products: the transaction fails after its DELETE (a trigger refuses the INSERT); fct_orders: a
    # NOT NULL column of the contract holds a null, which the staging table refuses before the transaction.
    postgres.sql(
        "CREATE FUNCTION gold.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
        "CREATE TRIGGER refuse BEFORE INSERT ON gold.dim_products FOR EACH STATEMENT EXECUTE FUNCTION gold.refuse();"
    )
    write_gold(spark, products, gold_rows(products, 10, seed=4))
    not_null = next(position for position, column in enumerate(orders.columns) if not column.nullable and position > 0)
    broken = [tuple(None if position == not_null else value for position, value in enumerate(row)) for row in gold_rows(orders, 10, seed=5)]
    write_gold(spark, orders, broken)

    loaded, failures = load_all(spark, target, single, source_of, report=lambda line: None)

    assert loaded == []
    assert len(failures) == 2 and "refused by the test" in failures[0] and orders.columns[not_null].name in failures[1]
    for table in (products, orders):
        assert warehouse_rows(spark, target, table) == expected(before[table.name])


def test_a_drifted_table_is_refused_and_left_alone_while_the_others_load(spark, postgres, plan: LoadPlan, target: JdbcTarget) -> None:
    products = next(table for table in plan.tables if table.name == "dim_products")
    orders = next(table for table in plan.tables if table.name == "fct_orders")
    postgres.sql(products.create_table + "; ALTER TABLE gold.dim_products ALTER COLUMN list_price TYPE numeric(12,2);")
    postgres.sql(f"INSERT INTO gold.dim_products (product_id, product_name, is_active, is_deleted, is_unknown) VALUES ('kept', 'by hand', true, false, false)")
    for table in (products, orders):
        write_gold(spark, table, gold_rows(table, 12, seed=6))

    loaded, failures = load_all(spark, target, LoadPlan(plan.dialect, plan.schema, (products, orders)), source_of, report=lambda line: None)

    assert [result.table for result in loaded] == ["fct_orders"]
    assert len(failures) == 1
    assert failures[0].startswith('"gold"."dim_products": "gold"."dim_products" differs from its gold contract: list_price has precision/scale 12,2, the contract 18,2')
    assert postgres.sql("SELECT product_id FROM gold.dim_products") == "kept"


def test_a_plan_of_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="warehouse load plan version 2 is not 1"):
        load_plan(json.dumps({"version": 2, "dialect": "postgres", "schema": "gold", "tables": []}))
