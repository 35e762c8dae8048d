"""The whole AWS batch path on real engines: sources -> ingestion -> bronze -> silver -> gold, twice, with failures.

Four datasets of one domain, about 10,000 dirty source rows on the first run, each through the source kind
the platform reads it with:

* ``customers``: a PostgreSQL table without CDC, loaded incrementally on its change-tracking column
  ``updated_at`` (Parquet bronze); dirt: missing e-mails, unknown segments, two keys sharing an e-mail;
* ``orders``: a PostgreSQL change table (``_op``/``_change_seq``, some operations upper case), inserts,
  updates and deletes (Parquet bronze); dirt: unknown statuses, negative totals;
* ``products``: JSON files landed under ``_landing/`` (JSON bronze); dirt: prices that do not cast,
  negative prices, re-delivered rows;
* ``campaigns``: a REST API with cursor pagination that answers 429 then 503 first, read in full every
  run (Avro bronze); dirt: budgets that do not cast.

Run 1 loads everything. Between runs 1 and 2 rows change at the sources; the customer updates must reach
silver and gold through the change-tracking bookmark. Run 2 has the failure cases: the only new products
file lacks the key column, so its ingestion fails naming the dataset and the column and reads nothing (the
corrected file is read by the next ingestion run); the Spark application fails after writing its branches,
so silver, gold, the log and the quarantine stay exactly as run 1 left them; then it runs again and
converges.

After each successful run silver and gold are compared with an oracle computed in plain Python from the
generated source rows (the newest accepted version of each key, the daily totals), and at the end the books
balance: per dataset, rows read = landed in bronze + quarantined by the ingestion; per batch, bronze =
accepted + quarantined by silver; every silver quarantine row once. A failing step names its dataset and
step ("customers: gold after run 2: ...").
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from local_platform import LocalPlatform, arguments, gi, local_options, read_bronze, read_quarantine, run_at
from test_silver_gold import ANALYSTS, DOMAIN_TAG, SALES, Lakehouse, app

SEED = 12
T0 = dt.datetime(2026, 12, 1, 0, 0, 0)
RUN_TIMES = [dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.timezone.utc) + dt.timedelta(days=day) for day in range(3)]
TAGS = {"silver": {DOMAIN_TAG: ["sales"], SALES: ["own"]}, "gold": {DOMAIN_TAG: ["sales"], SALES: ["own"], ANALYSTS: ["read"]}}
SEGMENTS = ("retail", "business")
STATUSES = ("placed", "paid", "shipped", "cancelled")


def column(name: str, kind: str, nullable: bool = True) -> dict[str, Any]:
    return {"name": name, "type": kind, "nullable": nullable, "pii": name == "email"}


def dataset(name: str, data_format: str, columns: list[dict[str, Any]], key: str, order_by: list[str], quality: list[dict[str, Any]], cdc: bool = False) -> dict[str, Any]:
    """A dataset as the Spark manifest describes it (lib/pipelines/spark-manifest.ts)."""
    return {
        "name": name, "domain": "sales", "format": data_format, "readOptions": {}, "path": f"sales/{name}/", "cdc": cdc, "keys": [key],
        "columns": columns, "orderBy": order_by, "quality": quality, "classification": "internal", "tags": TAGS,
    }  # fmt: skip


CUSTOMERS = dataset(
    "customers",
    "parquet",
    [column("customer_id", "bigint", False), column("email", "string", False), column("segment", "string"), column("updated_at", "timestamp", False)],
    "customer_id",
    ["updated_at", "_ingested_at"],
    [{"rule": "unique", "columns": ["email"]}, {"rule": "accepted_values", "column": "segment", "values": list(SEGMENTS)}],
)
ORDERS = dataset(
    "orders",
    "parquet",
    [column("order_id", "bigint", False), column("customer_id", "bigint", False), column("order_status", "string", False), column("order_total", "decimal(18,2)"), column("ordered_at", "timestamp", False)],
    "order_id",
    ["_change_seq", "_ingested_at"],
    [{"rule": "accepted_values", "column": "order_status", "values": list(STATUSES)}, {"rule": "range", "column": "order_total", "min": 0}, {"rule": "row_count", "min": 1}],
    cdc=True,
)
PRODUCTS = dataset(
    "products",
    "json",
    [column("product_id", "string", False), column("product_name", "string", False), column("list_price", "decimal(18,2)"), column("stock", "int"), column("updated_at", "timestamp", False)],
    "product_id",
    ["updated_at", "_ingested_at"],
    [{"rule": "range", "column": "list_price", "min": 0}],
)
CAMPAIGNS = dataset(
    "campaigns",
    "avro",
    [column("campaign_id", "bigint", False), column("name", "string"), column("budget", "decimal(18,2)"), column("starts_on", "date")],
    "campaign_id",
    ["_ingested_at"],
    [{"rule": "range", "column": "budget", "min": 0}],
)
DATASETS = [CUSTOMERS, ORDERS, PRODUCTS, CAMPAIGNS]


@contextmanager
def step(dataset_name: str, name: str) -> Iterator[None]:
    """Names the dataset and the step in any failure inside."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - re-raised with the dataset and step named
        raise AssertionError(f"{dataset_name}: {name}: {type(error).__name__}: {error}") from error


def ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def sql_value(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{ts(value)}'"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert(postgres, table: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 1000):
        values = ",".join("(" + ",".join(sql_value(row[c]) for c in columns) + ")" for row in rows[start : start + 1000])
        postgres.sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values};")


# ---------------------------------------------------------------------------------------------
# The sources and what each run changes at them


class Sources:
    """The four sources, and every row each one delivered per run (the oracle's input)."""

    CUSTOMER_COLUMNS = ["customer_id", "email", "segment", "updated_at"]
    ORDER_COLUMNS = ["order_id", "customer_id", "order_status", "order_total", "ordered_at", "_op", "_change_seq"]

    def __init__(self, postgres, rest_api, landing: Path) -> None:
        self.postgres = postgres
        self.rest_api = rest_api
        self.landing = landing
        self.rng = random.Random(SEED)
        self.customers: dict[int, dict[str, Any]] = {}
        self.sequence = 0
        self.orders_alive: set[int] = set()
        self.campaigns: list[dict[str, Any]] = []
        self.files = 0
        self.broken: Path | None = None
        # Per dataset, per run: the rows the source delivers in that run (None marks an ingestion that fails).
        self.delivered: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
        postgres.sql(
            "DROP TABLE IF EXISTS public.customers, public.orders;"
            "CREATE TABLE public.customers (customer_id bigint PRIMARY KEY, email text, segment text, updated_at timestamp NOT NULL);"
            "CREATE TABLE public.orders (order_id bigint, customer_id bigint, order_status text, order_total numeric(18,2), ordered_at timestamp, _op text, _change_seq bigint);"
        )

    # -- customers: a table the application updates in place, updated_at its change-tracking column
    def upsert_customers(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.customers[row["customer_id"]] = row
        ids = ",".join(str(row["customer_id"]) for row in rows)
        self.postgres.sql(f"DELETE FROM public.customers WHERE customer_id IN ({ids});")
        insert(self.postgres, "public.customers", self.CUSTOMER_COLUMNS, rows)

    # -- orders: a change table, one row per change event
    def order_events(self, events: list[tuple[str, int, str, str | None]]) -> list[dict[str, Any]]:
        rows = []
        for op, order_id, status, total in events:
            self.sequence += 1
            rows.append(
                {
                    "order_id": order_id, "customer_id": 1 + order_id % 1500, "order_status": status,
                    "order_total": Decimal(total) if total is not None else None, "ordered_at": T0 + dt.timedelta(days=order_id % 5, seconds=order_id),
                    "_op": op.upper() if self.sequence % 7 == 0 else op, "_change_seq": self.sequence,
                }  # fmt: skip
            )
            if op == "delete":
                self.orders_alive.discard(order_id)
            else:
                self.orders_alive.add(order_id)
        insert(self.postgres, "public.orders", self.ORDER_COLUMNS, rows)
        return rows

    # -- products: JSON landing files
    def land_products(self, rows: list[dict[str, Any]], name: str | None = None) -> Path:
        self.files += 1
        path = self.landing / f"{name or f'products-{self.files:03d}'}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        return path

    def run1(self) -> None:
        rng = self.rng
        customers = []
        for i in range(1, 2001):
            email = None if i % 97 == 0 else f"c{i}@example.com"
            segment = "vip" if i % 50 == 0 else rng.choice(SEGMENTS)
            customers.append({"customer_id": i, "email": email, "segment": segment, "updated_at": T0 + dt.timedelta(seconds=i)})
        customers[1998]["email"], customers[1999]["email"] = "c1@example.com", "c2@example.com"  # 1999 and 2000 clash with 1 and 2
        self.upsert_customers(customers)
        self.delivered["customers"].append(customers)

        events: list[tuple[str, int, str, str | None]] = []
        for i in range(1, 3001):
            events.append(("insert", i, "placed", "-5.00" if i % 173 == 0 else f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}"))
        for n in range(1500):
            events.append(("update", rng.randint(1, 3000), "lost" if n % 101 == 0 else rng.choice(STATUSES[1:]), f"{rng.randint(1, 500)}.00"))
        for _ in range(150):
            events.append(("delete", rng.randint(1, 3000), "cancelled", None))
        self.delivered["orders"].append(self.order_events(events))

        products = []
        for i in range(1, 1201):
            price = "n/a" if i in (611, 733, 845, 901, 1111) else ("-1.00" if i in (17, 18, 19) else f"{rng.randint(1, 90)}.{rng.randint(0, 99):02d}")
            products.append({"product_id": f"P{i:04d}", "product_name": f"Product {i}", "list_price": price, "stock": rng.randint(0, 50), "updated_at": ts(T0 + dt.timedelta(minutes=i))})
        later = [{**row, "list_price": f"{rng.randint(1, 90)}.00", "updated_at": ts(T0 + dt.timedelta(days=1, minutes=i))} for i, row in enumerate(products[:250])]
        added = [{"product_id": f"P{i:04d}", "product_name": f"Product {i}", "list_price": "5.00", "stock": 1, "updated_at": ts(T0 + dt.timedelta(days=1))} for i in range(1201, 1251)]
        self.land_products(products[:600])
        self.land_products(products[600:])
        self.land_products(later + added)
        self.delivered["products"].append(products + later + added)

        self.campaigns = [
            {"campaign_id": i, "name": f"Campaign {i}", "budget": "a lot" if i % 499 == 0 else f"{rng.randint(100, 9000)}.25", "starts_on": f"2026-12-{1 + i % 28:02d}"}
            for i in range(1, 1501)
        ]
        self.serve_campaigns()

    def run2(self) -> None:
        rng = self.rng
        changed = rng.sample([i for i in range(3, 1990) if i % 97 and i % 50 and i != 7], 100)
        updates = [{**self.customers[i], "segment": "business" if self.customers[i]["segment"] == "retail" else "retail"} for i in changed]
        updates += [
            {**self.customers[1], "email": "c1-new@example.com"},  # clashed in run 1; now its own e-mail
            {**self.customers[50], "segment": "retail"},  # was an unknown segment
            {**self.customers[7], "segment": "vip"},  # a bad update: silver keeps the previous version
        ]
        updates += [{"customer_id": i, "email": f"c{i}@example.com", "segment": "retail", "updated_at": T0} for i in range(2001, 2051)]
        updates = [{**row, "updated_at": T0 + dt.timedelta(days=2, seconds=n)} for n, row in enumerate(updates)]
        self.upsert_customers(updates)
        self.delivered["customers"].append(updates)

        alive = sorted(self.orders_alive)
        events: list[tuple[str, int, str, str | None]] = [("update", rng.choice(alive), rng.choice(STATUSES[1:]), f"{rng.randint(1, 500)}.50") for _ in range(300)]
        events += [("delete", order_id, "cancelled", None) for order_id in rng.sample(alive, 50)]
        events += [("insert", i, "placed", "12.00") for i in range(3001, 3201)]
        self.delivered["orders"].append(self.order_events(events))

        # The only new products file lacks the key column: its ingestion run fails, so run 2 reads no products.
        self.broken = self.land_products([{"product_name": "Nameless", "list_price": "1.00", "stock": 1, "updated_at": ts(T0 + dt.timedelta(days=3))}], "products-broken")

        self.campaigns = [{**row, "name": f"Campaign {row['campaign_id']} (renamed)"} if row["campaign_id"] <= 20 else row for row in self.campaigns]
        self.campaigns += [{"campaign_id": i, "name": f"Campaign {i}", "budget": "100.00", "starts_on": "2026-12-20"} for i in range(1501, 1601)]
        self.serve_campaigns()

    def fix_products(self) -> None:
        """Replaces the broken file with its corrected version (the failed run read nothing), and lands the next file:
        updates of 100 products and a re-delivery of 20 rows of the first file."""
        self.broken.unlink()
        fixed = [{"product_id": "P2000", "product_name": "Named", "list_price": "1.00", "stock": 1, "updated_at": ts(T0 + dt.timedelta(days=3))}]
        self.land_products(fixed, "products-fixed")
        updates = [{"product_id": f"P{i:04d}", "product_name": f"Product {i} v2", "list_price": "7.77", "stock": 3, "updated_at": ts(T0 + dt.timedelta(days=2, minutes=i))} for i in range(300, 400)]
        redelivered = [json.loads(line) for line in (self.landing / "products-001.json").read_text().splitlines()[499:519]]
        self.land_products(updates + redelivered)
        self.delivered["products"].append(fixed + updates + redelivered)

    def serve_campaigns(self) -> None:
        """The API serves every campaign each run; the first run's first requests get a 429, then a 503."""
        failures = [] if self.delivered["campaigns"] else [(429, "0"), (503, None)]
        self.rest_api.serve([dict(row) for row in self.campaigns], failures=failures)
        self.delivered["campaigns"].append([dict(row) for row in self.campaigns])


# ---------------------------------------------------------------------------------------------
# The oracle: what silver and gold hold after the runs, computed in plain Python from the delivered rows


def decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        return None


def landed_by_ingestion(name: str, row: dict[str, Any]) -> bool:
    """The ingestion's own quarantine: not-nullable columns missing and values that do not cast."""
    if name == "customers":
        return row["email"] is not None
    if name == "products":
        return decimal(row["list_price"]) is not None
    if name == "campaigns":
        return decimal(row["budget"]) is not None
    return True


def accepted_by_silver(name: str, row: dict[str, Any]) -> bool:
    """The row-level rules of the Spark application."""
    if name == "customers":
        return row["segment"] in SEGMENTS
    if name == "orders":
        if row["_op"].lower() == "delete":
            return True
        return row["order_status"] in STATUSES and (row["order_total"] is None or row["order_total"] >= 0)
    if name == "products":
        return decimal(row["list_price"]) >= 0
    return decimal(row["budget"]) >= 0


ORDER_KEYS: dict[str, Callable[[dict[str, Any], int], tuple]] = {
    "customers": lambda row, run: (row["updated_at"], run),
    "orders": lambda row, run: (row["_change_seq"], run),
    "products": lambda row, run: (row["updated_at"], run),
    "campaigns": lambda row, run: (run,),
}


def expected(sources: Sources, runs: int) -> dict[str, Any]:
    """Per dataset: the current rows of gold by key, and the rows silver accepted and quarantined per run."""
    result: dict[str, Any] = {}
    for spec in DATASETS:
        name, key = spec["name"], spec["keys"][0]
        newest: dict[Any, tuple[tuple, dict[str, Any]]] = {}
        accepted_total = quarantined_total = 0
        for run, rows in enumerate(sources.delivered[name][:runs]):
            landed = [row for row in rows if landed_by_ingestion(name, row)]
            passing = [row for row in landed if accepted_by_silver(name, row)]
            if name == "customers":  # the unique rule: an e-mail that two keys' accepted rows of one load share
                holders: dict[str, set[int]] = defaultdict(set)
                for row in passing:
                    holders[row["email"]].add(row["customer_id"])
                passing = [row for row in passing if len(holders[row["email"]]) == 1]
            accepted_total += len(passing)
            quarantined_total += len(landed) - len(passing)
            for row in passing:
                rank = ORDER_KEYS[name](row, run)
                if row[key] not in newest or rank >= newest[row[key]][0]:
                    newest[row[key]] = (rank, row)
        current = {k: row for k, (_, row) in newest.items() if not (name == "orders" and row["_op"].lower() == "delete")}
        result[name] = {"current": current, "accepted": accepted_total, "quarantined": quarantined_total}
    return result


def gold_projection(name: str, row: dict[str, Any]) -> tuple:
    if name == "customers":
        return (row["customer_id"], row["email"], row["segment"])
    if name == "orders":
        return (row["order_id"], row["order_status"], decimal(row["order_total"]))
    if name == "products":
        return (row["product_id"], row["product_name"], decimal(row["list_price"]))
    return (row["campaign_id"], row["name"], decimal(row["budget"]))


GOLD_COLUMNS = {"customers": "customer_id, email, segment", "orders": "order_id, order_status, order_total", "products": "product_id, product_name, list_price", "campaigns": "campaign_id, name, budget"}


# ---------------------------------------------------------------------------------------------
# The path


class BatchPath:
    """The ingestion of the four datasets (glue_ingest's core with the local platform) and the domain's Spark run."""

    def __init__(self, spark, postgres, rest_api, root: Path) -> None:
        self.spark = spark
        self.root = root
        self.platform = LocalPlatform(root / "state", postgres.jdbc_url, secrets={"marketing/automation-api": {"token": "local-test-token"}})
        database = {"connection_name": "acme-test-jdbc-sales-erp", "engine": "postgres", "load": "incremental"}
        files = {"landing_pattern": "_landing/incoming/products/*.json", "csv_header": "true", "csv_delimiter": ","}
        api = {"base_url": rest_api.base_url, "api_path": "/v1/cursor", "pagination": "cursor", "api_auth_name": "marketing/automation-api"}
        self.options = {
            "customers": self.job(CUSTOMERS, "database", source_table="public.customers", bookmark_keys="updated_at", **database),
            "orders": self.job(ORDERS, "database", source_table="public.orders", bookmark_keys="_change_seq", **database),
            "products": self.job(PRODUCTS, "files", **files),
            "campaigns": self.job(CAMPAIGNS, "api", **api),
        }
        self.lake = Lakehouse(spark, root, DATASETS, name="batchpath", bronze=root / "acme-test-bronze")
        self.results: dict[str, list[gi.IngestResult]] = defaultdict(list)

    def job(self, spec: dict[str, Any], kind: str, **extra: str) -> gi.Options:
        columns = [{k: c[k] for k in ("name", "type", "nullable")} for c in spec["columns"]]
        return local_options(self.root, arguments(spec["name"], kind, spec["format"], columns, spec["keys"], cdc=spec["cdc"], **extra))

    def ingest(self, name: str, run: int) -> gi.IngestResult:
        """One ingestion run, as the Glue job does it: commit the bookmark only when the run succeeded."""
        try:
            result = gi.ingest(self.spark, self.options[name], self.platform, run_at(f"jr_{name}_{run}", RUN_TIMES[run]))
        except gi.IngestionError:
            self.platform.abandon()
            raise
        self.platform.commit()
        self.results[name].append(result)
        return result

    def ingest_all(self, run: int, skip: tuple[str, ...] = ()) -> None:
        for name in self.options:
            if name not in skip:
                with step(name, f"ingestion run {run + 1}"):
                    self.ingest(name, run)

    def process(self, run: int, **options: Any) -> list[dict[str, Any]]:
        with step("sales", f"silver/gold run {run + 1}"):
            return self.lake.run(**options)

    def check_against(self, oracle: dict[str, Any], run: int) -> None:
        for name, wanted in oracle.items():
            with step(name, f"gold after run {run + 1}"):
                key = DATASETS[[d["name"] for d in DATASETS].index(name)]["keys"][0]
                gold = self.lake.rows("gold", name, key, GOLD_COLUMNS[name])
                assert gold == sorted(gold_projection(name, row) for row in wanted["current"].values())
            with step(name, f"silver after run {run + 1}"):
                live = "NOT is_deleted" if name == "orders" else "true"
                keys = [r[0] for r in self.spark.sql(f"SELECT {key} FROM {self.lake.table('silver', name)} WHERE {live} ORDER BY {key}").collect()]
                assert keys == sorted(wanted["current"])
            with step(name, f"silver quarantine after run {run + 1}"):
                log = self.spark.sql(f"SELECT sum(accepted_rows), sum(quarantined_rows) FROM {self.lake.table('silver', '_batches')} WHERE dataset = '{name}'").first()
                assert (log[0], log[1]) == (wanted["accepted"], wanted["quarantined"])
        with step("orders", f"gold daily after run {run + 1}"):
            days: dict[dt.date, list[Decimal]] = defaultdict(list)
            for row in oracle["orders"]["current"].values():
                days[row["ordered_at"].date()].append(decimal(row["order_total"]) or Decimal("0"))
            daily = self.lake.rows("gold", "orders_daily", "activity_date", "activity_date, records, total_order_total")
            assert daily == [(day, len(totals), sum(totals)) for day, totals in sorted(days.items())]

    def reconcile(self) -> dict[str, dict[str, int]]:
        """The books of every dataset over all runs; asserts they balance and returns the figures."""
        figures = {}
        for name, options in self.options.items():
            with step(name, "reconciliation"):
                read = sum(r.read for r in self.results[name])
                landed = sum(r.landed for r in self.results[name])
                quarantined = sum(r.quarantined for r in self.results[name])
                bronze = read_bronze(self.spark, options).count()
                ingestion_quarantine = read_quarantine(self.spark, options)
                held = ingestion_quarantine.count() if ingestion_quarantine is not None else 0
                assert read == landed + quarantined and bronze == landed and held == quarantined, (read, landed, quarantined, bronze, held)
                batches = self.spark.sql(
                    f"SELECT batch_id, bronze_rows, accepted_rows, quarantined_rows FROM {self.lake.table('silver', '_batches')} WHERE dataset = '{name}'"
                ).collect()
                assert all(b.bronze_rows == b.accepted_rows + b.quarantined_rows for b in batches)
                assert sum(b.bronze_rows for b in batches) == bronze
                silver_quarantine = self.spark.sql(f"SELECT count(*), count(DISTINCT batch_id, record) FROM {self.lake.table('silver', '_quarantine')} WHERE dataset = '{name}'").first()
                assert silver_quarantine[0] == silver_quarantine[1] == sum(b.quarantined_rows for b in batches)
                figures[name] = {
                    "read": read, "ingestion_quarantined": quarantined, "bronze": bronze, "batches": len(batches),
                    "silver_accepted": sum(b.accepted_rows for b in batches), "silver_quarantined": silver_quarantine[0],
                }  # fmt: skip
        return figures


def test_sources_to_gold_twice_with_an_update_and_failures(spark, postgres, rest_api, tmp_path: Path) -> None:
    path = BatchPath(spark, postgres, rest_api, tmp_path)
    sources = Sources(postgres, rest_api, tmp_path / "acme-test-bronze" / "_landing" / "incoming" / "products")

    # Run 1: everything new.
    sources.run1()
    assert sum(len(rows) for rows in (sources.delivered[d][0] for d in sources.delivered)) >= 9500
    path.ingest_all(0)
    path.process(0)
    path.check_against(expected(sources, 1), 0)
    with step("customers", "run 1 dirt"):
        assert path.results["customers"][0].quarantined == len([i for i in range(1, 2001) if i % 97 == 0])
        assert 1 not in expected(sources, 1)["customers"]["current"]  # clashed e-mail

    # Run 2: the sources changed; a products file lacks its key column; the Spark application fails after writing.
    sources.run2()
    with pytest.raises(AssertionError, match=r"^products: ingestion run 2: IngestionError: dataset products: .*product_id"):
        path.ingest_all(1)
    path.ingest_all(1, skip=("customers", "orders", "products"))  # the datasets after the failed one
    with step("customers", "incremental read"):
        assert path.results["customers"][1].read == len(sources.delivered["customers"][1])
        assert "SELECT * FROM public.customers WHERE updated_at > TIMESTAMP '2026-12-01 00:33:20.000000'" in path.platform.queries
    tables = [(layer, d["name"]) for d in DATASETS for layer in ("silver", "gold")] + [("gold", "orders_daily"), ("silver", "_batches"), ("silver", "_quarantine")]
    before = {table: path.lake.snapshot(*table) for table in tables}
    with pytest.raises(AssertionError, match="sales: silver/gold run 2: InjectedFailure: sales.customers: failure injected after writing the branches"):
        path.process(1, fail_after_write="customers")
    with step("sales", "tables after the failed run"):
        assert {table: path.lake.snapshot(*table) for table in tables} == before
        path.check_against(expected(sources, 1), 0)
    # The next runs: the corrected file is read, the Spark application converges and the customer updates reach gold.
    sources.fix_products()
    with step("products", "ingestion run 3 after the fix"):
        assert path.ingest("products", 2).read == len(sources.delivered["products"][1]) == 121
    path.process(1)
    path.check_against(expected(sources, 2), 1)
    with step("customers", "updates in gold"):
        gold = {row[0]: row[1:] for row in path.lake.rows("gold", "customers", "customer_id", GOLD_COLUMNS["customers"])}
        assert gold[1] == ("c1-new@example.com", sources.customers[1]["segment"])
        assert gold[50] == ("c50@example.com", "retail")
        assert gold[7][1] != "vip"  # the bad update was quarantined; the previous version stays
        assert sum(1 for i in range(2001, 2051) if i in gold) == 50

    figures = path.reconcile()
    print("\nreconciliation of the batch-path test:", json.dumps(figures, indent=1))
    assert sum(f["read"] for f in figures.values()) == sum(len(rows) for runs in sources.delivered.values() for rows in runs)
