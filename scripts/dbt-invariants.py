#!/usr/bin/env python3
"""Invariant of the incremental models: building load by load gives the tables one full refresh gives.

For a set of generated load sequences (empty loads, single rows, duplicates, late and out-of-order
changes, deletes and re-inserts, a source that disappears and comes back, plus seeded random ones) this
script appends each load to the landing tables of a scratch DuckDB file and runs every incremental
model of the project (`config.materialized:incremental`) with its parents, incrementally. After each
load the stored table of every incremental model is compared with what the model's full-refresh SQL
returns over the data landed so far; after the last load a real `dbt run --full-refresh` of the
incremental models is compared with the incremental tables as well. The same loads carry nightly
product exports (products missing from one and back in a later one): after each load the open versions
of snap_products and the rows of dim_products must be what the latest export says (computed here, in
Python). Any difference fails the run with the model, the sequence, the load and the differing rows.

    .venv/bin/python scripts/dbt-invariants.py [--random N] [--seed S] [--only NAME] [--keep]

Offline and deterministic (seeded); dbt runs in this one process through dbtRunner (parsed once), on
its own DuckDB file, target and log paths in a temporary directory, so the project's dbt/target is not
touched. The last line reads `dbt invariants: N passed, M failed` (one check = one model in one
sequence). Standard library, dbt-core, dbt-duckdb and duckdb only.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = ROOT / "dbt"
SEEDS = DBT_DIR / "seeds" / "bronze"
TS = "%Y-%m-%d %H:%M:%S"
START = datetime(2026, 10, 1)
sys.path.insert(0, str(DBT_DIR / "sample_data"))
from load_landing import METADATA_TYPES as TYPED  # noqa: E402 - the landing tables' typed metadata columns, in one place

STATUSES = ["placed", "paid", "shipped", "delivered", "cancelled", "returned"]
CURRENCIES = ["EUR", "GBP", "USD", "CHF"]
COUNTRIES = ["GB", "DE", "FR", "NL", "CH", "US"]
SEGMENTS = ["consumer", "small_business", "enterprise"]


def ts(value: datetime) -> str:
    return value.strftime(TS)


# ---------------------------------------------------------------------------------------------------
# Change events of the three CDC datasets
# ---------------------------------------------------------------------------------------------------


def order_row(rng: random.Random, key: int, at: datetime) -> dict:
    return {
        "order_id": str(500_000 + key),
        "customer_id": str(1000 + rng.randrange(6)),
        "order_status": rng.choice(STATUSES),
        "currency_code": rng.choice(CURRENCIES),
        "order_total": f"{rng.uniform(1, 500):.2f}",
        "ordered_at": ts(START + timedelta(hours=key)),
        "updated_at": ts(at),
    }


def order_item_row(rng: random.Random, key: int, at: datetime) -> dict:
    return {
        "order_id": str(500_000 + key // 3),
        "line_number": str(1 + key % 3),
        "product_id": f"P-{1 + rng.randrange(30):03d}",
        "quantity": str(rng.randint(1, 9)),
        "unit_price": f"{rng.uniform(1, 90):.2f}",
        "updated_at": ts(at),
    }


def customer_row(rng: random.Random, key: int, at: datetime) -> dict:
    return {
        "customer_id": str(1000 + key),
        "email": f"c{key}.{rng.randrange(1000)}@example.com",
        "full_name": f"Customer {key}",
        "country_code": rng.choice(COUNTRIES),
        "segment": rng.choice(SEGMENTS),
        "created_at": ts(START - timedelta(days=key)),
        "updated_at": ts(at),
    }


# dataset -> (key columns of a delete, row maker, corruptions that a silver rule rejects)
DATASETS = {
    "raw_orders": (["order_id"], order_row, [("order_status", "lost"), ("order_total", "12,5"), ("updated_at", "not-a-date")]),
    "raw_order_items": (["order_id", "line_number"], order_item_row, [("quantity", "0"), ("unit_price", ""), ("_op", "upsert")]),
    "raw_customers": (["customer_id"], customer_row, [("email", ""), ("segment", "vip"), ("created_at", "not-a-date")]),
}


# the snapshot of the product export and the gold dimension built from the same export
SNAPSHOT, DIMENSION = "snap_products", "dim_products"
GENERATED = [*DATASETS, "raw_products"]


@dataclass
class Scenario:
    name: str
    loads: int
    changes: object  # (rng, dataset, load) -> number of changes committed in that load
    keys: int = 8
    p_late: float = 0.0  # a change is delivered 1-2 loads after it was committed
    p_duplicate: float = 0.0  # a change is delivered again (same load, or later with a later _ingested_at)
    p_delete: float = 0.1
    p_invalid: float = 0.05  # a delivered row breaks a silver rule (quarantined)
    p_overlap: float = 0.0  # a row's _ingested_at lies before the previous load's latest (within the lookback)
    gaps_hours: list = field(default_factory=lambda: [1, 3, 12, 24])
    absent: dict = field(default_factory=dict)  # dataset -> loads in which it delivers nothing
    seed: int = 0
    products: int = 5  # products in the nightly export (0: no export at all)
    p_product_missing: float = 0.2  # a product is missing from an export (deleted; it may come back)


def plan(scenario: Scenario) -> tuple[list[dict[str, list[dict]]], list[datetime]]:
    """The rows each load lands, per dataset: [{dataset: [row, ...]}, ...], and the load instants."""
    rng = random.Random(f"{scenario.name}/{scenario.seed}")
    bases = [START]
    for _ in range(scenario.loads - 1):
        bases.append(bases[-1] + timedelta(hours=rng.choice(scenario.gaps_hours)))
    loads: list[dict[str, list[dict]]] = [{name: [] for name in DATASETS} for _ in range(scenario.loads)]
    for dataset, (key_columns, make, corruptions) in DATASETS.items():
        absent = scenario.absent.get(dataset, set())
        present = [load for load in range(scenario.loads) if load not in absent]
        exists: dict[int, bool] = {}
        seq = 1_000_000

        def deliver(load: int, row: dict) -> None:
            later = [p for p in present if p >= load]
            if not later:
                return  # the source never comes back: the change is never delivered
            target = later[0]
            at = bases[target] + timedelta(minutes=rng.randint(0, 50))
            if target > 0 and rng.random() < scenario.p_overlap:
                at = bases[target] - timedelta(minutes=rng.randint(30, 240))
            loads[target][dataset].append({**row, "_ingested_at": ts(at)})

        for load in range(scenario.loads):
            for _ in range(scenario.changes(rng, dataset, load)):
                key = rng.randrange(scenario.keys)
                committed = bases[load] - timedelta(minutes=rng.randint(1, 90))
                seq += 1
                if exists.get(key) and rng.random() < scenario.p_delete:
                    op, exists[key] = "delete", False
                    probe = make(rng, key, committed)
                    row = {c: probe[c] for c in key_columns} | {"updated_at": ts(committed)}
                else:
                    op, exists[key] = ("update" if exists.get(key) else "insert"), True
                    row = make(rng, key, committed)
                row |= {"_op": op, "_change_seq": seq}
                if rng.random() < scenario.p_invalid:
                    column, bad = rng.choice(corruptions)
                    row[column] = bad or None
                when = load + (rng.randint(1, 2) if rng.random() < scenario.p_late else 0)
                deliver(min(when, scenario.loads - 1), row)
                if rng.random() < scenario.p_duplicate:
                    deliver(min(when + rng.randint(0, 2), scenario.loads - 1), row)
    for load, export in enumerate(product_exports(scenario, rng, bases)):
        loads[load]["raw_products"] = export
    for load in loads:
        for rows in load.values():
            rng.shuffle(rows)  # landing order says nothing
    return loads, bases


def product_exports(scenario: Scenario, rng: random.Random, bases: list[datetime]) -> list[list[dict]]:
    """One full export per load (or none): products go missing and come back, change, break a rule
    (flagged `_invalid`, quarantined by silver) or are repeated within the export."""
    attributes = {
        key: {"product_id": f"P-{key:03d}", "product_name": f"Product {key}", "category": "garden", "list_price": "10.00", "is_active": "true"}
        for key in range(1, scenario.products + 1)
    }
    exports: list[list[dict]] = []
    for load in range(scenario.loads):
        export: list[dict] = []
        if scenario.products and load not in scenario.absent.get("raw_products", set()):
            meta = {"_source_file": f"incoming/products/products_{load:03d}.csv", "_ingested_at": ts(bases[load] + timedelta(minutes=41))}
            for key, product in attributes.items():
                if rng.random() < 0.3:
                    product["list_price"] = f"{rng.uniform(1, 99):.2f}"
                    product["is_active"] = rng.choice(["true", "false"])
                    product["category"] = rng.choice(["garden", "toys"])
                if rng.random() < scenario.p_product_missing:
                    continue
                row = {**product, **meta}
                if rng.random() < scenario.p_invalid:
                    row |= {"list_price": "12,5", "_invalid": True}
                export.append(row)
                if rng.random() < scenario.p_duplicate:
                    export.append(dict(row))
        exports.append(export)
    return exports


def expected_catalogue(loads: list[dict[str, list[dict]]], upto: int) -> tuple[set, set]:
    """What the latest export up to load `upto` says: the open versions of the product snapshot
    (product, name, category, price, active; a product whose row in it was rejected keeps its last
    valid version) and the rows of dim_products (product, active, deleted)."""
    exports = [load["raw_products"] for load in loads[: upto + 1] if load["raw_products"]]
    if not exports:
        return set(), set()
    latest = {row["product_id"] for row in exports[-1]}
    valid: dict[str, tuple] = {}
    for export in exports:
        for row in export:
            if not row.get("_invalid"):
                valid[row["product_id"]] = (row["product_id"], row["product_name"], row["category"], Decimal(row["list_price"]), row["is_active"] == "true")
    snapshot = {version for product, version in valid.items() if product in latest}
    dim = {(v[0], v[4], False) for v in snapshot} | {(product, False, True) for product in valid if product not in latest}
    return snapshot, dim


def scenarios(random_count: int, seed: int) -> list[Scenario]:
    def constant(n: int):
        return lambda rng, dataset, load: n

    def some(low: int, high: int):
        return lambda rng, dataset, load: rng.randint(low, high)

    def empty_first(rng, dataset, load):
        return 0 if load == 0 else rng.randint(2, 6)

    fixed = [
        Scenario("all-loads-empty", 3, constant(0), products=0),
        Scenario("empty-first-load", 4, empty_first, p_late=0.2, p_duplicate=0.2),
        Scenario("single-rows", 5, constant(1), keys=2, p_invalid=0.0),
        Scenario("duplicates", 4, some(1, 5), p_duplicate=0.7, p_late=0.2),
        Scenario("late-and-out-of-order", 5, some(1, 6), p_late=0.6, p_overlap=0.4, gaps_hours=[1, 2, 6]),
        Scenario("deletes-and-reinserts", 5, some(2, 6), keys=4, p_delete=0.6, p_late=0.3),
        Scenario(
            "source-gone-and-back",
            6,
            some(1, 5),
            p_late=0.2,
            gaps_hours=[30, 50],  # five loads over more than the 72 h lookback
            absent={"raw_orders": {1, 2, 3}, "raw_order_items": {0, 1}, "raw_customers": {4, 5}},
        ),
        Scenario(
            "products-gone-and-back",
            6,
            some(0, 2),
            products=6,
            p_product_missing=0.5,
            p_invalid=0.2,
            p_duplicate=0.2,
            absent={"raw_products": {0, 3}},
        ),
    ]
    rng = random.Random(seed)
    generated = []
    for i in range(random_count):
        generated.append(
            Scenario(
                f"random-{i + 1}",
                rng.randint(3, 5),
                some(0, rng.randint(1, 8)),
                keys=rng.randint(2, 10),
                p_late=rng.choice([0.0, 0.2, 0.5]),
                p_duplicate=rng.choice([0.0, 0.2, 0.5]),
                p_delete=rng.choice([0.1, 0.3]),
                p_invalid=rng.choice([0.0, 0.1]),
                p_overlap=rng.choice([0.0, 0.3]),
                gaps_hours=rng.choice([[1, 6], [12, 24], [24, 80]]),
                absent={name: {load for load in range(5) if rng.random() < 0.2} for name in [*DATASETS, "raw_products"]},
                seed=rng.randrange(1 << 30),
                products=rng.randint(1, 6),
                p_product_missing=rng.choice([0.1, 0.3]),
            )
        )
    return fixed + generated


# ---------------------------------------------------------------------------------------------------
# dbt and DuckDB
# ---------------------------------------------------------------------------------------------------


class Harness:
    def __init__(self, scratch: Path):
        self.database = scratch / "invariants.duckdb"
        os.environ.update(
            DBT_PROFILES_DIR=str(DBT_DIR),
            DBT_PROJECT_DIR=str(DBT_DIR),
            DBT_TARGET="local",
            DBT_DUCKDB_PATH=str(self.database),
            DBT_TARGET_PATH=str(scratch / "target"),
            DBT_LOG_PATH=str(scratch / "logs"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DO_NOT_TRACK="1",
        )
        os.chdir(DBT_DIR)
        from dbt.cli.main import dbtRunner  # noqa: PLC0415 (after the environment is set)

        parsed = dbtRunner().invoke(["--quiet", "parse"])
        if not parsed.success:
            raise SystemExit(f"dbt invariants: dbt parse failed: {parsed.exception}")
        self.manifest = parsed.result
        self.dbt = dbtRunner(manifest=self.manifest)
        self.models = sorted(
            node.name
            for node in self.manifest.nodes.values()
            if node.resource_type == "model" and node.config.materialized == "incremental"
        )
        self.sources = self._upstream_sources()
        self.selection = ["+config.materialized:incremental", f"+{SNAPSHOT}", f"+{DIMENSION}"]
        self.calls = 0

    def _upstream_sources(self) -> list:
        seen, sources = set(), []
        stack = [uid for uid, n in self.manifest.nodes.items() if n.name in [*self.models, SNAPSHOT, DIMENSION]]
        while stack:
            uid = stack.pop()
            if uid in seen:
                continue
            seen.add(uid)
            if uid in self.manifest.sources:
                sources.append(self.manifest.sources[uid])
            elif uid in self.manifest.nodes:
                stack.extend(getattr(self.manifest.nodes[uid].depends_on, "nodes", []))
        return sorted(sources, key=lambda s: s.identifier)

    def invoke(self, *args: str):
        self.calls += 1
        result = self.dbt.invoke(["--quiet", *args])
        if not result.success:
            messages = []
            for r in getattr(result.result, "results", None) or []:
                if r.status not in ("success", "pass"):
                    messages.append(f"  {r.node.name}: {r.status}: {r.message}")
            detail = "\n".join(messages) or f"  {result.exception}"
            raise RuntimeError(f"dbt {' '.join(args)} failed:\n{detail}")
        return result

    def connect(self):
        import duckdb  # noqa: PLC0415

        return duckdb.connect(str(self.database))

    def reset(self) -> None:
        """An empty warehouse: landing tables of the upstream sources (the CDC ones empty, the others
        loaded once from the committed samples) and the seeds the models read."""
        con = self.connect()  # dbt keeps the file open in this process: empty it rather than delete it
        schemas = con.execute(
            "select schema_name from information_schema.schemata where catalog_name = current_database() "
            "and schema_name not in ('main', 'information_schema', 'pg_catalog')"
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f"drop schema {schema} cascade")
        for source in self.sources:
            sample = next(SEEDS.glob(f"*/{source.identifier}.csv"))
            with sample.open(newline="", encoding="utf-8") as f:
                columns = next(csv.reader(f))
            con.execute(f"create schema if not exists {source.schema}")
            ddl = ", ".join(f"{c} {TYPED.get(c, 'varchar')}" for c in columns)
            con.execute(f"create table {source.schema}.{source.identifier} ({ddl})")
            if source.identifier not in GENERATED:
                select = ", ".join(f"cast({c} as {TYPED.get(c, 'varchar')})" for c in columns)
                con.execute(
                    f"insert into {source.schema}.{source.identifier} select {select} "
                    f"from read_csv('{sample}', header = true, all_varchar = true)"
                )
        con.close()
        self.invoke("seed", "--select", *self.selection)  # the reference data the models read

    def land(self, rows_by_dataset: dict[str, list[dict]]) -> None:
        con = self.connect()
        for source in self.sources:
            rows = rows_by_dataset.get(source.identifier) or []
            if not rows:
                continue
            columns = [c[0] for c in con.execute(f"select * from {source.schema}.{source.identifier} limit 0").description]
            marks = ", ".join("?" for _ in columns)
            con.executemany(
                f"insert into {source.schema}.{source.identifier} values ({marks})",
                [[row.get(c) for c in columns] for row in rows],
            )
        con.close()

    def relation(self, model: str) -> str:
        node = next(n for n in self.manifest.nodes.values() if n.resource_type in ("model", "snapshot") and n.name == model)
        return f"{node.schema}.{node.alias or node.name}"

    def full_refresh_sql(self) -> dict[str, str]:
        result = self.invoke("compile", "--full-refresh", "--select", "config.materialized:incremental")
        return {r.node.name: r.node.compiled_code for r in result.result.results}

    def rows(self, query: str) -> set:
        con = self.connect()
        try:
            return set(con.execute(query).fetchall())
        finally:
            con.close()

    def differences(self, model: str, left: str, right: str, limit: int = 10) -> tuple[int, list[str], list]:
        """Rows in one and not the other (as multisets): count, column names and up to `limit` rows."""
        con = self.connect()
        try:
            columns = [c[0] for c in con.execute(f"select * from {left} limit 0").description]
            cols = ", ".join(columns)
            query = f"""
                with incremental as (select {cols} from {left}),
                full_refresh as (select {cols} from ({right}) as fr),
                diff as (
                    select 'incremental only' as found_in, * from (select * from incremental except all select * from full_refresh)
                    union all
                    select 'full refresh only' as found_in, * from (select * from full_refresh except all select * from incremental)
                )
                select * from diff order by {', '.join(str(i + 2) for i in range(min(3, len(columns))))}, 1
            """
            rows = con.execute(query).fetchall()
        finally:
            con.close()
        return len(rows), ["found_in", *columns], rows[:limit]


def describe(loads: list[dict[str, list[dict]]]) -> str:
    return " ".join("[" + ",".join(str(len(load[d])) for d in GENERATED) + "]" for load in loads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=5, help="seeded random sequences besides the deliberate ones")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--only", help="run only the sequence with this name")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="dbt-invariants-"))
    runs = [s for s in scenarios(args.random, args.seed) if not args.only or s.name == args.only]
    passed = failed = total_loads = 0
    expected_sql: dict[str, str] = {}
    try:
        harness = Harness(scratch)
        print(
            f"dbt invariants: {len(runs)} sequences x {len(harness.models)} incremental models "
            f"({', '.join(harness.models)}) + {SNAPSHOT}, {DIMENSION}; sources {', '.join(s.identifier for s in harness.sources)}"
        )
        for scenario in runs:
            loads, _ = plan(scenario)
            total_loads += len(loads)
            harness.reset()
            expected_sql = expected_sql or harness.full_refresh_sql()  # the same SQL for every sequence
            broken: dict[str, str] = {}
            t0 = time.monotonic()
            for number, load in enumerate(loads, start=1):
                harness.land(load)
                harness.invoke("build", "--resource-type", "model", "--resource-type", "snapshot", "--select", *harness.selection)
                for model in harness.models:
                    if model in broken:
                        continue
                    count, columns, rows = harness.differences(model, harness.relation(model), expected_sql[model])
                    if count:
                        broken[model] = report(model, scenario, f"after load {number}/{len(loads)}", count, columns, rows, loads)
                # the snapshot and the dimension follow the latest product export
                snapshot, dim = expected_catalogue(loads, number - 1)
                checks = [
                    (SNAPSHOT, snapshot, f"select product_id, product_name, category, list_price, is_active from {harness.relation(SNAPSHOT)} where dbt_valid_to is null", "open versions", ["product_id", "product_name", "category", "list_price", "is_active"]),
                    (DIMENSION, dim, f"select product_id, is_active, is_deleted from {harness.relation(DIMENSION)} where not is_unknown", "rows", ["product_id", "is_active", "is_deleted"]),
                ]
                for name, expected, query, what, columns in checks:
                    if name in broken:
                        continue
                    try:
                        actual = harness.rows(query)
                    except Exception as error:  # noqa: BLE001 (a missing column is a finding too)
                        broken[name] = f"FAIL {name}: sequence '{scenario.name}' after load {number}/{len(loads)}: {query}: {error}"
                        continue
                    if actual != expected:
                        diff = sorted([("built only", *r) for r in actual - expected] + [("expected only", *r) for r in expected - actual], key=lambda r: (str(r[1]), r[0]))
                        broken[name] = report(name, scenario, f"after load {number}/{len(loads)}", len(diff), ["found_in", *columns], diff[:10], loads, f"{what} differ from the latest product export")
            # the same data, one real full refresh of the incremental models
            con = harness.connect()
            con.execute("create schema if not exists invariants_incremental")
            for model in harness.models:
                con.execute(f"create or replace table invariants_incremental.{model} as select * from {harness.relation(model)}")
            con.close()
            harness.invoke("run", "--full-refresh", "--select", "config.materialized:incremental")
            for model in harness.models:
                if model in broken:
                    continue
                count, columns, rows = harness.differences(model, f"invariants_incremental.{model}", f"select * from {harness.relation(model)}")
                if count:
                    broken[model] = report(model, scenario, "against dbt run --full-refresh", count, columns, rows, loads)
            for model in [*harness.models, SNAPSHOT, DIMENSION]:
                if model in broken:
                    failed += 1
                    print(broken[model], file=sys.stderr)
                else:
                    passed += 1
            status = "FAIL" if broken else "ok"
            print(f"  {status:4s} {scenario.name:24s} {len(loads)} loads, rows per load {describe(loads)} ({time.monotonic() - t0:.1f}s)")
    except RuntimeError as error:
        print(f"dbt invariants: {error}", file=sys.stderr)
        print(f"{passed} passed, {failed + 1} failed")
        return 1
    finally:
        if args.keep:
            print(f"scratch kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"dbt invariants: {len(runs)} sequences, {total_loads} loads, {len(harness.models) + 2} models, "
        f"{harness.calls} dbt invocations, {time.monotonic() - started:.0f}s"
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def report(model: str, scenario: Scenario, when: str, count: int, columns: list[str], rows: list, loads, what: str = "") -> str:
    what = what or "incremental build differs from a full refresh over the same data"
    lines = [
        f"FAIL {model}: sequence '{scenario.name}' {when}: {what} "
        f"({count} differing rows; rows landed per load [orders,items,customers,products] {describe(loads)})",
        "  " + " | ".join(columns),
    ]
    lines += ["  " + " | ".join("null" if v is None else str(v) for v in row) for row in rows]
    if count > len(rows):
        lines.append(f"  ... {count - len(rows)} more")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
