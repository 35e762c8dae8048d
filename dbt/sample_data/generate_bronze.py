#!/usr/bin/env python3
"""Generates the bronze landing data of the eight catalogue datasets as CSV files.

The same generator writes the small committed seeds (dbt/seeds/bronze, the default) and the large data
set of scripts/bench-dbt.sh (--orders 1000000 --out /tmp/...). Output is deterministic for a given
--seed and --orders, and carries the dirt a real bronze layer has, so that the silver layer's
validation, quarantine, deduplication and CDC logic have something to do:

* duplicate records (exact re-deliveries, and the same change delivered twice with a later _ingested_at)
* late and out-of-order CDC events (an older _change_seq ingested after newer ones), deletes
* nulls in required fields, values that do not cast ("12,5" in a decimal, "not-a-date")
* unknown codes (a status or channel outside the accepted list), out-of-range numbers
* values to standardise (upper-case codes, padded e-mail addresses, "yes"/"Y" booleans)
* codes the reference data does not know (a currency, a country, a category), quarantined by silver

It also writes the reference data the silver layer validates coded values against (seeds/reference/
ref_codes.csv: currencies, countries, order statuses, segments, categories, channels, event types), from
the same lists the generator draws from, so that every code it emits on purpose is known.
Every value is text: the landing tables are loaded as strings and typed by the bronze models.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
from datetime import date, datetime, timedelta
from pathlib import Path

CAPTURED_AT = datetime(2026, 11, 27, 6, 0, 0)  # = var sample_data_as_of in dbt_project.yml
HISTORY_START = datetime(2026, 9, 1)
TS = "%Y-%m-%d %H:%M:%S"

CDC_META = ["_op", "_change_seq", "_ingested_at"]


def ts(value: datetime) -> str:
    return value.strftime(TS)


def every(index: int, period: int, offset: int = 0) -> bool:
    """Deterministic dirt: true for one row in `period`, so every kind appears even in small data."""
    return period > 0 and index % period == offset


# `_source` of each dataset, as the ingestion jobs write it (lib/lake/layout.ts, sourceDescription).
SOURCES = {
    "customers": "sqlserver:dbo.customers",
    "orders": "postgres:public.orders",
    "order_items": "postgres:public.order_items",
    "products": "_landing/incoming/products/*.csv",
    "exchange_rates": "https://api.treasury-rates.example.com/v2/rates/daily",
    "web_events": "kafka:web.clickstream.v1",
    "campaigns": "https://api.marketing-suite.example.com/v1/campaigns",
    "newsletter_signups": "_landing/incoming/newsletter/*.avro",
}


def batch_id(dataset: str, row: dict) -> str:
    """`_batch_id` as the jobs write it: the Glue job run of the landing (`jr_<hex>`), and for a stream
    the job run of the day and the micro-batch (`jr_<hex>-<n>`, one a minute); reproducible from the
    landing time."""
    landed = datetime.strptime(row["_ingested_at"], TS)
    if "_kafka_offset" in row:
        run = "jr_" + hashlib.sha256(f"{dataset}/{landed:%Y-%m-%d}".encode()).hexdigest()[:32]
        return f"{run}-{landed.hour * 60 + landed.minute}"
    return "jr_" + hashlib.sha256(f"{dataset}/{landed:%Y-%m-%d %H:%M:%S}".encode()).hexdigest()[:32]


class Writer:
    """Writes one landing table as the ingestion jobs land it: the dataset's columns as text, then the
    metadata columns, `_source` and `_batch_id` added here for every row."""

    def __init__(self, out: Path, domain: str, dataset: str, columns: list[str]):
        path = out / domain / f"raw_{dataset}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("w", newline="", encoding="utf-8")
        self.csv = csv.writer(self.file, lineterminator="\n")
        self.dataset = dataset
        at = columns.index("_ingested_at")
        self.columns = [*columns[:at], "_source", "_batch_id", *columns[at:]]
        self.csv.writerow(self.columns)
        self.rows = 0

    def write(self, row: dict) -> None:
        row = {**row, "_source": SOURCES[self.dataset], "_batch_id": batch_id(self.dataset, row)}
        self.csv.writerow(["" if row.get(c) is None else row[c] for c in self.columns])
        self.rows += 1

    def close(self) -> int:
        self.file.close()
        return self.rows


class Cdc:
    """Turns change events into CDC rows: a log sequence number in commit order, ingestion times with
    the occasional late arrival, re-deliveries, and file order by ingestion time."""

    def __init__(self, rng: random.Random, late_every: int, duplicate_every: int):
        self.rng = rng
        self.events: list[tuple[datetime, str, dict]] = []
        self.late_every = late_every
        self.duplicate_every = duplicate_every

    def add(self, at: datetime, op: str, row: dict) -> None:
        if at <= CAPTURED_AT - timedelta(minutes=90):
            self.events.append((at, op, row))

    def rows(self) -> list[dict]:
        self.events.sort(key=lambda e: e[0])
        out: list[dict] = []
        for seq, (at, op, row) in enumerate(self.events, start=1):
            delay = timedelta(minutes=self.rng.randint(2, 55))
            if every(seq, self.late_every, 7):
                delay += timedelta(hours=self.rng.randint(20, 40))  # connector backlog: arrives late
            ingested = min(at + delay, CAPTURED_AT - timedelta(minutes=5))
            record = {**row, "_op": op, "_change_seq": str(1_000_000 + seq), "_ingested_at": ts(ingested)}
            out.append(record)
            if every(seq, self.duplicate_every, 3):
                out.append(dict(record))  # exact re-delivery
            elif every(seq, self.duplicate_every, 11):
                again = min(ingested + timedelta(hours=1), CAPTURED_AT - timedelta(minutes=1))
                out.append({**record, "_ingested_at": ts(again)})  # replayed after a connector restart
        out.sort(key=lambda r: (r["_ingested_at"], self.rng.random()))
        return out


FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jana", "Kofi", "Lena", "Mo", "Nora", "Omar", "Pia"]
LAST = ["Ng", "Okafor", "Schmidt", "Dubois", "Rossi", "Jansen", "Silva", "Kowalski", "Berg", "Moreau", "Novak", "Haddad"]
COUNTRIES = ["GB", "DE", "FR", "NL", "ES", "IT", "CH", "US"]
SEGMENTS = ["consumer"] * 6 + ["small_business"] * 3 + ["enterprise"]
CURRENCY_BY_COUNTRY = {"GB": "GBP", "US": "USD", "CH": "CHF"}
CATEGORIES = ["kitchen", "garden", "outdoor", "office", "toys"]
EVENT_TYPES = ["page_view"] * 6 + ["search", "add_to_cart", "add_to_cart", "checkout", "purchase"]
CHANNELS = ["email", "search", "social", "display", "affiliate"]
ORDER_STATUSES = ["placed", "paid", "shipped", "delivered", "cancelled", "returned"]

# The reference data: code set -> [(code, description)]. Silver accepts a coded value only when its code
# set has it; EUR is the reporting currency, the others need a published rate to convert.
REFERENCE_CODES = {
    "currency": [("EUR", "Euro (reporting currency)"), ("GBP", "Pound sterling"), ("USD", "US dollar"), ("CHF", "Swiss franc")],
    "country": [(c, n) for c, n in zip(COUNTRIES, ["United Kingdom", "Germany", "France", "Netherlands", "Spain", "Italy", "Switzerland", "United States"])],
    "order_status": [(s, s.replace("_", " ")) for s in ORDER_STATUSES],
    "customer_segment": [(s, s.replace("_", " ")) for s in dict.fromkeys(SEGMENTS)],
    "product_category": [(c, c) for c in CATEGORIES],
    "campaign_channel": [(c, c) for c in CHANNELS],
    "web_event_type": [(e, e.replace("_", " ")) for e in dict.fromkeys(EVENT_TYPES)],
}


def write_reference(out: Path) -> int:
    path = out / "ref_codes.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code_set", "code", "description"])
        rows = [(code_set, code, description) for code_set, codes in REFERENCE_CODES.items() for code, description in codes]
        writer.writerows(rows)
    return len(rows)


def generate(out: Path, orders: int, seed: int, events_per_order: float) -> dict[str, int]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    span = (CAPTURED_AT - timedelta(hours=2) - HISTORY_START).total_seconds()
    small = orders < 10_000  # the committed seeds: dirt at fixed, visible positions

    # ---- products: two nightly full exports; the second changes prices, breaks a few rows and no longer
    # has one product ----
    products = [
        {
            "product_id": f"P-{i:03d}",
            "product_name": f"{rng.choice(['Classic', 'Eco', 'Pro', 'Mini', 'Max'])} {rng.choice(['kettle', 'lamp', 'chair', 'hose', 'tent', 'puzzle', 'desk', 'mug'])} {i}",
            "category": CATEGORIES[i % len(CATEGORIES)],
            "list_price": f"{rng.uniform(4, 400):.2f}",
            "is_active": "true",
        }
        for i in range(1, 31)
    ]
    w = Writer(out, "sales", "products", ["product_id", "product_name", "category", "list_price", "is_active", "_source_file", "_ingested_at"])
    for day, export in ((date(2026, 11, 26), 1), (date(2026, 11, 27), 2)):
        meta = {"_source_file": f"incoming/products/products_{day:%Y%m%d}.csv", "_ingested_at": ts(datetime(day.year, day.month, day.day, 2, 41))}
        for i, product in enumerate(products, start=1):
            if export == 2 and i == 30:
                continue  # discontinued: missing from the second export, so the snapshot closes it
            row = dict(product)
            if export == 2:
                if i in (3, 8, 21):
                    row["list_price"] = f"{float(product['list_price']) * 1.1:.2f}"  # price rise: a new SCD2 version
                if i == 12:
                    row["is_active"] = "false"
                if i == 5:
                    row["is_active"] = "yes"  # spelling to standardise
                if i == 6:
                    row["is_active"] = "Y"
                if i == 9:
                    row["list_price"] = "12,5"  # decimal comma: does not cast, quarantined
                if i == 10:
                    row["list_price"] = "-3.00"  # out of range, quarantined
                if i == 14:
                    row["category"] = " Garden "  # padding and case to standardise
                if i == 15:
                    row["category"] = "gardening"  # not a reference category: quarantined, the previous version stays
            w.write({**row, **meta})
            if export == 2 and i == 2:
                w.write({**row, **meta})  # the export contained the row twice
        if export == 2:
            w.write({"product_id": "P-031", "product_name": None, "category": "toys", "list_price": "19.99", "is_active": "true", **meta})
            w.write({"product_id": "P-032", "product_name": "Eco bottle 32", "category": "outdoor", "list_price": "14.50", "is_active": "1", **meta})
    counts["products"] = w.close()
    product_ids = [p["product_id"] for p in products] + ["P-032"]
    prices = {p["product_id"]: float(p["list_price"]) for p in products} | {"P-032": 14.5}

    # ---- exchange rates: weekdays only, like a central bank feed ----
    w = Writer(out, "sales", "exchange_rates", ["rate_date", "currency_code", "rate_to_eur", "_ingested_at"])
    base = {"USD": 0.92, "GBP": 1.17, "CHF": 1.05}
    day, n = HISTORY_START.date() - timedelta(days=7), 0
    while day <= CAPTURED_AT.date():
        if day.weekday() < 5:
            for currency, rate in base.items():
                n += 1
                base[currency] = rate * (1 + rng.uniform(-0.004, 0.004))
                landed = datetime(day.year, day.month, day.day, 6, 3)
                if landed > CAPTURED_AT:
                    continue
                row = {"rate_date": day.isoformat(), "currency_code": currency, "rate_to_eur": f"{base[currency]:.8f}", "_ingested_at": ts(landed)}
                if every(n, 97, 5):
                    row["rate_to_eur"] = row["rate_to_eur"].replace(".", ",")
                elif every(n, 113, 9):
                    row["rate_to_eur"] = "-" + row["rate_to_eur"]
                elif every(n, 131, 17):
                    row["rate_date"] = "not-a-date"
                elif every(n, 151, 21):
                    row["currency_code"] = None
                w.write(row)
                if every(n, 71, 13):
                    w.write(dict(row))  # the API was polled twice that morning
        day += timedelta(days=1)
    counts["exchange_rates"] = w.close()

    # ---- customers (CDC from the CRM) ----
    customer_count = max(60, orders // 5)
    cdc = Cdc(rng, late_every=41, duplicate_every=23)
    customers = []
    for i in range(customer_count):
        cid = 1001 + i
        created = HISTORY_START - timedelta(days=30) + timedelta(seconds=rng.uniform(0, span * 0.8))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        row = {
            "customer_id": str(cid),
            "email": f"{first}.{last}{cid}@example.com".lower(),
            "full_name": f"{first} {last}",
            "country_code": rng.choice(COUNTRIES),
            "segment": rng.choice(SEGMENTS),
            "created_at": ts(created),
            "updated_at": ts(created),
        }
        customers.append((cid, created, row["country_code"], row["email"]))
        insert = dict(row)
        if every(i, 29, 4):
            insert["email"] = None  # required e-mail missing: quarantined; a later update repairs it
        elif every(i, 31, 6):
            insert["email"] = f"  {row['email'].upper()}  "
        elif every(i, 37, 8):
            insert["country_code"] = row["country_code"].lower()
        elif every(i, 43, 10):
            insert["segment"] = "vip"  # not an accepted segment
        elif every(i, 47, 12):
            insert["created_at"] = "not-a-date"
        elif every(i, 59, 14):
            insert["country_code"] = "UK"  # not an ISO country (GB): quarantined
        cdc.add(created, "insert", insert)
        last_change = created
        if every(i, 29, 4) or rng.random() < 0.3:
            changed = created + timedelta(days=rng.uniform(1, 60))
            update = {**row, "updated_at": ts(changed)}
            if rng.random() < 0.5:
                update["segment"] = rng.choice(SEGMENTS)
            else:
                update["email"] = f"{first}.{last}.{cid}@example.org".lower()
            cdc.add(changed, "update", update)
            last_change = changed
        if every(i, 53, 19) or every(i, 53, 40):
            gone = min(last_change + timedelta(days=rng.uniform(1, 20)), CAPTURED_AT - timedelta(hours=3))
            cdc.add(gone, "delete", {"customer_id": str(cid), "updated_at": ts(gone)})
    # a change in the last run before the capture, as on any working day (keeps the sample fresh)
    cid, created, _, _ = customers[0]
    cdc.add(CAPTURED_AT - timedelta(minutes=95), "update", {"customer_id": str(cid), "email": f"customer{cid}@example.net", "full_name": "Ada Ng", "country_code": "GB", "segment": "enterprise", "created_at": ts(created), "updated_at": ts(CAPTURED_AT - timedelta(minutes=95))})
    w = Writer(out, "sales", "customers", ["customer_id", "email", "full_name", "country_code", "segment", "created_at", "updated_at", *CDC_META])
    for row in cdc.rows():
        w.write(row)
    counts["customers"] = w.close()

    # ---- orders and order items (CDC from the ERP) ----
    order_cdc = Cdc(rng, late_every=37, duplicate_every=29)
    item_cdc = Cdc(rng, late_every=43, duplicate_every=31)
    for i in range(orders):
        oid = 500_001 + i
        cid, created, country, _ = customers[rng.randrange(len(customers))]
        placed = max(created + timedelta(hours=1), HISTORY_START) + timedelta(seconds=rng.uniform(0, span * 0.9))
        if placed > CAPTURED_AT - timedelta(hours=3):
            placed = CAPTURED_AT - timedelta(hours=rng.uniform(3, 200))
        currency = CURRENCY_BY_COUNTRY.get(country, "EUR")
        if small and i == 23:
            currency = "ZAR"  # a currency the business does not trade in (no reference, no rate): quarantined
        lines = []
        for line in range(1, rng.randint(1, 4) + 1):
            pid = rng.choice(product_ids)
            lines.append((line, pid, rng.randint(1, 5), prices[pid]))
        total = sum(q * p for _, _, q, p in lines)
        header = {
            "order_id": str(oid),
            "customer_id": str(cid),
            "order_status": "placed",
            "currency_code": currency,
            "order_total": f"{total:.2f}",
            "ordered_at": ts(placed),
            "updated_at": ts(placed),
        }
        first = dict(header)
        if small and i == 7:
            first["customer_id"] = "999999"  # a customer the CRM has not delivered yet
        if every(i, 61, 5):
            first["customer_id"] = None
        elif every(i, 67, 9):
            first["order_total"] = f"{total:.1f}".replace(".", ",")
        elif every(i, 89, 13):
            first["order_total"] = f"{-total:.2f}"
        order_cdc.add(placed, "insert", first)
        for line, pid, qty, price in lines:
            item = {"order_id": str(oid), "line_number": str(line), "product_id": pid, "quantity": str(qty), "unit_price": f"{price:.2f}", "updated_at": ts(placed)}
            k = i * 4 + line
            if every(k, 97, 3):
                item["quantity"] = "0"
            elif every(k, 101, 7):
                item["quantity"] = "three"
            elif every(k, 103, 11):
                item["unit_price"] = None
            elif small and i == 11 and line == 1:
                item["product_id"] = "P-999"  # not in the catalogue
            item_cdc.add(placed, "insert", item)
            last_item = item
            if every(k, 41, 17):
                later = placed + timedelta(minutes=rng.randint(5, 90))
                item_cdc.add(later, "update", {**item, "quantity": str(qty + 1), "updated_at": ts(later)})
            if line > 1 and every(k, 59, 23):
                later = placed + timedelta(minutes=rng.randint(5, 90))
                item_cdc.add(later, "delete", {"order_id": str(oid), "line_number": str(line), "updated_at": ts(later)})
        at = placed
        path = ["paid", "shipped", "delivered"]
        if rng.random() < 0.08:
            path = ["cancelled"]
        elif rng.random() < 0.05:
            path = ["paid", "shipped", "delivered", "returned"]
        for step, status in enumerate(path):
            at = at + timedelta(hours=rng.uniform(0.5, 30) if step == 0 else rng.uniform(12, 72))
            update = {**header, "order_status": status, "updated_at": ts(at)}
            if every(i, 19, 2) and status == "paid":
                update["order_status"] = "PAID"  # upper-case from an old client: standardised
            elif every(i, 73, 4) and status == "shipped":
                update["order_status"] = "lost"  # not an accepted status
            elif every(i, 79, 6) and status == "shipped":
                update["updated_at"] = "not-a-date"
            order_cdc.add(at, "update", update)
        if every(i, 211, 50):
            gone = at + timedelta(hours=2)
            order_cdc.add(gone, "delete", {"order_id": str(oid), "updated_at": ts(gone)})
    # a quantity correction in the last run before the capture (keeps the sample fresh)
    late = CAPTURED_AT - timedelta(minutes=100)
    item_cdc.add(late, "update", {**last_item, "quantity": str(int(last_item["quantity"]) + 1) if last_item["quantity"].isdigit() else "1", "updated_at": ts(late)})
    w = Writer(out, "sales", "orders", ["order_id", "customer_id", "order_status", "currency_code", "order_total", "ordered_at", "updated_at", *CDC_META])
    for row in order_cdc.rows():
        w.write(row)
    counts["orders"] = w.close()
    w = Writer(out, "sales", "order_items", ["order_id", "line_number", "product_id", "quantity", "unit_price", "updated_at", *CDC_META])
    for row in item_cdc.rows():
        w.write(row)
    counts["order_items"] = w.close()

    # ---- campaigns (API, daily full pull; cursor pages overlap) ----
    w = Writer(out, "marketing", "campaigns", ["campaign_id", "campaign_name", "channel", "budget", "starts_on", "ends_on", "_ingested_at"])
    pulled = ts(datetime(2026, 11, 27, 5, 2))
    for i in range(1, 13):
        start = date(2026, 9, 1) + timedelta(days=7 * (i - 1))
        row = {"campaign_id": f"C-{i:03d}", "campaign_name": f"{['Autumn', 'Winter', 'Black Friday', 'Loyalty'][i % 4]} push {i}", "channel": CHANNELS[i % 5], "budget": f"{rng.randint(5, 80) * 500}.00", "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=28)).isoformat(), "_ingested_at": pulled}
        if i == 4:
            row["channel"] = "tv"
        if i == 7:
            row["budget"] = "1.500,00"
        if i == 9:
            row["ends_on"] = (start - timedelta(days=3)).isoformat()  # ends before it starts
        if i == 11:
            row["channel"] = "Email"
        w.write(row)
        if i in (5, 6):
            w.write(dict(row))
    counts["campaigns"] = w.close()
    campaign_ids = [f"C-{i:03d}" for i in range(1, 13)]

    # ---- newsletter sign-ups (hourly Avro files) ----
    w = Writer(out, "marketing", "newsletter_signups", ["signup_id", "email", "campaign_id", "consented_at", "_source_file", "_ingested_at"])
    signups = max(80, customer_count)
    for i in range(signups):
        cid, created, _, known_email = customers[i % len(customers)]
        at = HISTORY_START + timedelta(seconds=rng.uniform(0, span)) if i < signups - 1 else CAPTURED_AT - timedelta(minutes=70)
        hour = at.replace(minute=0, second=0) + timedelta(hours=1)
        row = {"signup_id": f"S-{i + 1:06d}", "email": known_email if i % 2 == 0 else f"reader{cid}@example.com", "campaign_id": rng.choice(campaign_ids + [None]), "consented_at": ts(at), "_source_file": f"incoming/newsletter/{hour:%Y%m%d%H}.avro", "_ingested_at": ts(min(hour + timedelta(minutes=5), CAPTURED_AT))}
        if every(i, 41, 3):
            row["email"] = None
        elif every(i, 43, 5):
            row["email"] = f" Reader{cid}@Example.com"
        elif every(i, 53, 7):
            row["consented_at"] = "not-a-date"
        w.write(row)
        if every(i, 37, 11):
            w.write({**row, "_source_file": row["_source_file"].replace(".avro", "-retry.avro")})
    counts["newsletter_signups"] = w.close()

    # ---- web events (Kafka, at-least-once) ----
    w = Writer(out, "marketing", "web_events", ["event_id", "session_id", "customer_id", "event_type", "page_url", "ip_address", "event_at", "_kafka_partition", "_kafka_offset", "_ingested_at"])
    offsets = [0] * 12
    sessions = max(1, int(orders * events_per_order / 5))
    n = 0
    for s in range(sessions):
        cid = customers[rng.randrange(len(customers))][0] if rng.random() < 0.6 else None
        at = HISTORY_START + timedelta(seconds=rng.uniform(0, span)) if s < sessions - 1 else CAPTURED_AT - timedelta(minutes=20)
        session = hashlib.md5(f"{seed}-s{s}".encode()).hexdigest()[:16]
        ip = f"203.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        for _ in range(rng.randint(2, 8)):
            n += 1
            at += timedelta(seconds=rng.randint(5, 240))
            part = n % 12
            offsets[part] += 1
            row = {"event_id": hashlib.md5(f"{seed}-e{n}".encode()).hexdigest(), "session_id": session, "customer_id": None if cid is None else str(cid), "event_type": rng.choice(EVENT_TYPES), "page_url": f"https://shop.example.com/{rng.choice(['', 'p/', 'c/', 'cart', 'search'])}{rng.randint(1, 40)}", "ip_address": ip, "event_at": ts(at), "_kafka_partition": str(part), "_kafka_offset": str(offsets[part]), "_ingested_at": ts(min(at + timedelta(seconds=rng.randint(1, 20)), CAPTURED_AT))}
            if every(n, 83, 5):
                row["event_type"] = "scroll"
            elif every(n, 89, 9):
                row["session_id"] = None
            elif every(n, 97, 13):
                row["event_at"] = "not-a-date"
            w.write(row)
            if every(n, 31, 7):
                offsets[part] += 1
                w.write({**row, "_kafka_offset": str(offsets[part])})  # producer retry: same event, new offset
    counts["web_events"] = w.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "seeds" / "bronze")
    parser.add_argument("--orders", type=int, default=150)
    parser.add_argument("--events-per-order", type=float, default=2.5)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--reference-out", type=Path, default=Path(__file__).resolve().parent.parent / "seeds" / "reference")
    args = parser.parse_args()
    counts = generate(args.out, args.orders, args.seed, args.events_per_order)
    counts["reference codes"] = write_reference(args.reference_out)
    for name, rows in sorted(counts.items()):
        print(f"{name:20s} {rows:>10,d} rows")


if __name__ == "__main__":
    main()
