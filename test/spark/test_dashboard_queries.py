"""The committed dashboards' queries (constructs/databricks/dashboards/*.lvdash.json), resolved against the gold contracts.

scripts/dashboard-queries.ts binds every template to a catalog as the lakehouse stack does and prints it with
the dbt gold contracts; sqlglot parses each dataset's query in the Databricks dialect and qualifies it against
those contracts as the schema, which fails on a table or a column the contracts do not have. Each widget may
name only columns its dataset returns. No engine here: sqlglot is a parser, so this runs in a second.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.qualify import qualify

ROOT = Path(__file__).resolve().parents[2]
CATALOG = "platform_test"


@pytest.fixture(scope="module")
def bound() -> dict:
    result = subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "scripts/dashboard-queries.ts", CATALOG], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def schema_of(contracts: dict) -> dict:
    return {CATALOG: {"gold": contracts}}


def resolve(sql: str, contracts: dict) -> exp.Expression:
    """The query qualified against the contracts: every table and column resolved, or OptimizeError."""
    expression = sqlglot.parse_one(sql, read="databricks", error_level=sqlglot.ErrorLevel.RAISE)
    known = {(CATALOG, "gold", name) for name in contracts}
    for table in expression.find_all(exp.Table):
        if table.name in {cte.alias for cte in expression.find_all(exp.CTE)}:
            continue
        if (table.catalog, table.db, table.name) not in known:
            raise OptimizeError(f"table {table.sql(dialect='databricks')} is not a gold contract")
    return qualify(expression, schema=schema_of(contracts), dialect="databricks", validate_qualify_columns=True)


def test_there_is_a_dashboard_with_queries(bound: dict) -> None:
    assert [dashboard["file"] for dashboard in bound["dashboards"]] == ["executive_kpis.lvdash.json"]
    assert all(dashboard["datasets"] for dashboard in bound["dashboards"])


def test_every_query_reads_only_gold_tables_and_columns_of_the_contracts(bound: dict) -> None:
    for dashboard in bound["dashboards"]:
        for dataset in dashboard["datasets"]:
            try:
                resolve(dataset["query"], bound["contracts"])
            except (OptimizeError, sqlglot.errors.ParseError) as error:
                pytest.fail(f"{dashboard['file']} dataset {dataset['name']}: {error}")


def test_every_widget_names_only_columns_its_dataset_returns(bound: dict) -> None:
    for dashboard in bound["dashboards"]:
        columns = {dataset["name"]: set(resolve(dataset["query"], bound["contracts"]).named_selects) for dataset in dashboard["datasets"]}
        for widget in dashboard["widgets"]:
            assert widget["dataset"] in columns, f"{dashboard['file']} widget {widget['widget']} reads no dataset of the dashboard"
            for expression in widget["expressions"]:
                named = set(re.findall(r"`([^`]+)`", expression))
                assert named, f"{dashboard['file']} widget {widget['widget']}: field {expression!r} names no column"
                assert named <= columns[widget["dataset"]], f"{dashboard['file']} widget {widget['widget']}: {sorted(named - columns[widget['dataset']])} not returned by {widget['dataset']}"


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        (f"SELECT order_dat FROM {CATALOG}.gold.agg_daily_revenue", "order_dat"),
        (f"SELECT o.nope FROM {CATALOG}.gold.fct_orders AS o JOIN {CATALOG}.gold.dim_date AS d ON o.order_date = d.date_day", "nope"),
        (f"SELECT order_id FROM {CATALOG}.gold.fct_order", "fct_order"),
        (f"SELECT order_id FROM {CATALOG}.silver.orders", "silver"),
    ],
)
def test_the_check_fails_on_a_column_or_table_the_contracts_do_not_have(bound: dict, sql: str, problem: str) -> None:
    with pytest.raises(OptimizeError, match=problem):
        resolve(sql, bound["contracts"])
