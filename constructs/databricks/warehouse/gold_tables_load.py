"""The core of the gold warehouse load: replaces each planned table of a JDBC database with a gold table.

For each table of the plan (lib/warehouse/warehouse-tables.ts, generated from the dbt gold contracts):

1. the target must be absent or have exactly the contract's columns (name, order, type, nullability,
   decimal precision and scale, read from ``information_schema.columns``); a drifted target is refused
   and left alone, because loading it would silently change what its readers get;
2. an absent target is created from the contract's DDL;
3. the gold table is read (only the contract's columns; a missing one is an error) and written over
   JDBC into a fresh staging table created from the same DDL, so the database checks the contract's
   NOT NULL and key constraints before anything visible changes;
4. one transaction deletes the target's rows, copies the staging rows in and drops the staging table.

Readers see the previous rows until the commit and the new ones after it, never a half-loaded table;
a failure at any step leaves the previous rows. Every table is tried; the failures are reported together.
Nothing here knows the cloud: the caller gives the JDBC URL and connection properties (an Entra ID
access token on Azure, a user locally).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

PLAN_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    contract_type: str
    sql_type: str
    catalog_type: str
    nullable: bool
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class TablePlan:
    name: str
    target: str
    staging: str
    columns: tuple[Column, ...]
    create_table: str
    create_staging: str
    drop_staging: str
    replace_from_staging: tuple[str, ...]


@dataclass(frozen=True)
class LoadPlan:
    dialect: str
    schema: str
    tables: tuple[TablePlan, ...]


@dataclass(frozen=True)
class JdbcTarget:
    """Where the tables go: a JDBC URL, the driver class and the connection properties (token or user)."""

    url: str
    driver: str
    properties: dict[str, str]


@dataclass(frozen=True)
class TableResult:
    table: str
    rows: int
    created: bool


class DriftError(Exception):
    """The target table exists with columns other than its contract's."""


def load_plan(text: str) -> LoadPlan:
    plan = json.loads(text)
    if plan.get("version") != PLAN_VERSION:
        raise ValueError(f"warehouse load plan version {plan.get('version')!r} is not {PLAN_VERSION}; deploy the job and its plan together")
    tables = tuple(
        TablePlan(
            name=table["name"],
            target=table["target"],
            staging=table["staging"],
            columns=tuple(
                Column(
                    name=column["name"],
                    contract_type=column["contractType"],
                    sql_type=column["sqlType"],
                    catalog_type=column["catalogType"],
                    nullable=column["nullable"],
                    precision=column.get("precision"),
                    scale=column.get("scale"),
                )
                for column in table["columns"]
            ),
            create_table=table["createTable"],
            create_staging=table["createStaging"],
            drop_staging=table["dropStaging"],
            replace_from_staging=tuple(table["replaceFromStaging"]),
        )
        for table in plan["tables"]
    )
    return LoadPlan(dialect=plan["dialect"], schema=plan["schema"], tables=tables)


def column_drift(table: TablePlan, existing: list[dict[str, Any]]) -> list[str]:
    """What differs between the contract and the target's ``information_schema.columns`` rows (in ordinal order)."""
    problems: list[str] = []
    wanted = [column.name for column in table.columns]
    found = [row["column_name"] for row in existing]
    if wanted != found:
        missing = [name for name in wanted if name not in found]
        extra = [name for name in found if name not in wanted]
        detail = "; ".join(part for part in (f"missing {missing}" if missing else "", f"not in the contract {extra}" if extra else "") if part)
        problems.append(f"columns are {found}, the contract has {wanted}" + (f" ({detail})" if detail else " (other order)"))
        return problems
    for column, row in zip(table.columns, existing):
        if str(row["data_type"]).lower() != column.catalog_type:
            problems.append(f"{column.name} is {row['data_type']}, the contract makes it {column.sql_type}")
        if (row["is_nullable"] == "YES") != column.nullable:
            problems.append(f"{column.name} is {'NULL' if row['is_nullable'] == 'YES' else 'NOT NULL'}, the contract makes it {'NULL' if column.nullable else 'NOT NULL'}")
        if column.precision is not None and (row["numeric_precision"], row["numeric_scale"]) != (column.precision, column.scale):
            problems.append(f"{column.name} has precision/scale {row['numeric_precision']},{row['numeric_scale']}, the contract {column.precision},{column.scale}")
    return problems


class Connection:
    """A JDBC connection of the driver JVM (py4j), so the replace runs as one database transaction."""

    def __init__(self, spark: Any, target: JdbcTarget) -> None:
        jvm = spark.sparkContext._jvm
        # The driver is on Spark's class loader (spark.jars, or the runtime's own), which DriverManager does not search.
        loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
        driver = jvm.java.lang.Class.forName(target.driver, True, loader).newInstance()
        properties = jvm.java.util.Properties()
        for key, value in target.properties.items():
            properties.setProperty(key, value)
        self._connection = driver.connect(target.url, properties)
        if self._connection is None:
            raise ValueError(f"driver {target.driver} does not accept the URL {target.url.split(';')[0]}")

    def query(self, sql: str, *parameters: str) -> list[dict[str, Any]]:
        statement = self._connection.prepareStatement(sql)
        try:
            for index, value in enumerate(parameters, start=1):
                statement.setString(index, value)
            result = statement.executeQuery()
            meta = result.getMetaData()
            names = [meta.getColumnLabel(i).lower() for i in range(1, meta.getColumnCount() + 1)]
            rows = []
            while result.next():
                rows.append({name: result.getObject(i) for i, name in enumerate(names, start=1)})
            return rows
        finally:
            statement.close()

    def execute(self, sql: str) -> None:
        statement = self._connection.createStatement()
        try:
            statement.execute(sql)
        finally:
            statement.close()

    def transaction(self, statements: tuple[str, ...]) -> None:
        """Runs the statements in one transaction: all of them, or (on any error) none."""
        self._connection.setAutoCommit(False)
        try:
            for sql in statements:
                self.execute(sql)
            self._connection.commit()
        except Exception:
            self._connection.rollback()
            raise
        finally:
            self._connection.setAutoCommit(True)

    def close(self) -> None:
        self._connection.close()


COLUMNS_QUERY = (
    "SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale FROM information_schema.columns "
    "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position"
)


def existing_columns(connection: Connection, schema: str, table: str) -> list[dict[str, Any]]:
    rows = connection.query(COLUMNS_QUERY, schema, table)
    # Drivers return precision/scale as Java integers or BigDecimals; compare as Python ints.
    return [{**row, "numeric_precision": _int(row["numeric_precision"]), "numeric_scale": _int(row["numeric_scale"])} for row in rows]


def _int(value: Any) -> int | None:
    return None if value is None else int(str(value))


def load_table(spark: Any, connection: Connection, target: JdbcTarget, plan: LoadPlan, table: TablePlan, source: str) -> TableResult:
    """Replaces ``table`` in the database with the rows of the Spark table ``source``; see the module docstring."""
    existing = existing_columns(connection, plan.schema, table.name)
    if existing:
        problems = column_drift(table, existing)
        if problems:
            raise DriftError(f"{table.target} differs from its gold contract: {'; '.join(problems)}. Fix or drop the table; the load leaves it as it is")
    else:
        connection.execute(table.create_table)

    frame = spark.table(source)
    available = set(frame.columns)
    missing = [column.name for column in table.columns if column.name not in available]
    if missing:
        raise ValueError(f"{source} lacks the contract's columns {missing}; has dbt built the model with its current contract?")
    frame = frame.select(*[column.name for column in table.columns])

    connection.execute(table.drop_staging)
    connection.execute(table.create_staging)
    writer = frame.write.format("jdbc").option("url", target.url).option("driver", target.driver).option("dbtable", table.staging)
    for key, value in target.properties.items():
        writer = writer.option(key, value)
    writer.mode("append").save()
    rows = frame.count()
    connection.transaction(table.replace_from_staging)
    return TableResult(table=table.name, rows=rows, created=not existing)


def load_all(
    spark: Any, target: JdbcTarget, plan: LoadPlan, source_of: Callable[[TablePlan], str], report: Callable[[str], None] = print
) -> tuple[list[TableResult], list[str]]:
    """Loads every table of the plan; returns what was loaded and the failures (each table is tried)."""
    connection = Connection(spark, target)
    loaded: list[TableResult] = []
    failures: list[str] = []
    try:
        for table in plan.tables:
            try:
                result = load_table(spark, connection, target, plan, table, source_of(table))
                loaded.append(result)
                report(f"{table.target}: {result.rows} rows{' (table created)' if result.created else ''}")
            except Exception as error:  # noqa: BLE001 - report every table, then fail the run
                failures.append(f"{table.target}: {error}")
    finally:
        connection.close()
    return loaded, failures
