"""The generated Azure SQL statements of the gold warehouse (lib/warehouse), parsed as T-SQL by sqlglot.

Every statement of the tsql load plan must parse as T-SQL, and each CREATE TABLE must say what its gold
contract says: the columns in order, their mapped types and NOT NULL exactly where the contract has it.
No engine here: sqlglot is a parser, so this runs in a second.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

ROOT = Path(__file__).resolve().parents[2]


def generated(*args: str) -> str:
    result = subprocess.run([str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "scripts/warehouse-plan.ts", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def plan() -> dict:
    return json.loads(generated("plan", "tsql"))


def parse_tsql(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)


def test_every_statement_of_the_plan_parses_as_tsql(plan: dict) -> None:
    assert len(plan["tables"]) >= 10
    for table in plan["tables"]:
        for sql in [table["createTable"], table["createStaging"], table["dropStaging"], *table["replaceFromStaging"]]:
            assert not isinstance(parse_tsql(sql), exp.Command), f"sqlglot did not understand {sql!r}"


def test_each_table_definition_is_its_contract(plan: dict) -> None:
    for table in plan["tables"]:
        create = parse_tsql(table["createTable"])
        assert isinstance(create, exp.Create) and create.kind == "TABLE"
        target = create.this.this
        assert (target.db, target.name) == ("gold", table["name"])
        definitions = [column for column in create.this.expressions if isinstance(column, exp.ColumnDef)]
        assert [column.name for column in definitions] == [column["name"] for column in table["columns"]]
        for definition, column in zip(definitions, table["columns"]):
            assert definition.args["kind"] == exp.DataType.build(column["sqlType"], dialect="tsql"), (table["name"], column["name"])
            not_null = any(isinstance(constraint.kind, exp.NotNullColumnConstraint) and not constraint.kind.args.get("allow_null") for constraint in definition.constraints)
            assert not_null == (not column["nullable"]), (table["name"], column["name"])


def test_the_replace_reads_the_staging_table_and_writes_the_target(plan: dict) -> None:
    for table in plan["tables"]:
        delete, insert, drop = (parse_tsql(sql) for sql in table["replaceFromStaging"])
        assert isinstance(delete, exp.Delete) and delete.this.name == table["name"]
        assert isinstance(insert, exp.Insert) and insert.this.this.name == table["name"]
        assert [source.name for source in insert.expression.find_all(exp.Table)] == [table["name"] + "__load"]
        assert isinstance(drop, exp.Drop) and drop.find(exp.Table).name == table["name"] + "__load"


def test_the_grants_script_names_the_access_connector_and_the_gold_schema() -> None:
    script = generated("grants", "dev")
    statements = [line for line in script.splitlines() if line and not line.startswith("--")]
    assert "  CREATE USER [dbac-acme-dev] FROM EXTERNAL PROVIDER;" in statements
    grants = [parse_tsql(line.rstrip(";")) for line in statements if line.startswith("GRANT")]
    assert [grant.sql(dialect="tsql") for grant in grants] == [
        "GRANT CREATE TABLE TO [dbac-acme-dev]",
        "GRANT ALTER, SELECT, INSERT, DELETE, REFERENCES ON SCHEMA::[gold] TO [dbac-acme-dev]",
    ]
