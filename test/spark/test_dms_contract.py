"""The CDC capture contract on AWS: files shaped as AWS DMS writes them -> ingestion -> bronze -> silver MERGE.

DMS cannot run here, so this test plays its part with a seeded generator and proves the contract between
the replication (lib/lake/change-capture.ts: S3 target in Parquet, IncludeOpForFullLoad, no date
folders, the ``_dms_change_seq`` column added from ``$AR_H_CHANGE_SEQ``) and the platform's own code:
the ingestion core (``glue_ingest.ingest`` with ``--change_capture dms``, which maps DMS's shape to the
bronze CDC layout in ``dms_change_events``) and the silver/gold Spark application, unchanged.

What DMS writes, under ``_landing/cdc/<source>/<schema>/<table>/``:

* full load: ``LOAD00000001.parquet``, ``LOAD00000002.parquet``, ...: ``Op`` = ``I`` first (with
  IncludeOpForFullLoad; one file is written without it, the other setting), the table's columns, and an
  empty ``_dms_change_seq`` (a full load has no change header);
* CDC: ``<yyyyMMdd-HHmmssSSS>.parquet`` per batch interval: ``Op`` (``I``/``U``/``D``), the columns (a
  delete carries its key, and the before-image only when the source logs it), and the 35-digit
  ``$AR_H_CHANGE_SEQ`` (``YYYYMMDDHHmmSShh`` + a 19-digit change number).

Named cases: an insert and updates of one key within one hundredth of a second (only the change number
orders them); the change number crossing a multiple of 2^24 (the part of it ``_change_seq`` keeps);
rows shuffled within a file; a CDC file that reaches the landing area after a newer one was ingested
(its older changes must not win); deletes with and without a before-image; a deleted key inserted again.
An oracle replays every change in commit order over the full load: silver and gold must equal it, no
row is lost (rows written by DMS = landed in bronze = accepted by silver) and nothing is quarantined.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

from local_platform import LocalPlatform, arguments, gi, local_options, read_bronze, run_at
from test_silver_gold import DOMAIN_TAG, SALES, Lakehouse

SEED = 13
SOURCE_PREFIX = "_landing/cdc/sales-crm-replica/dbo/accounts/"
SEQUENCE_COLUMN = "_dms_change_seq"
TAGS = {"silver": {DOMAIN_TAG: ["sales"], SALES: ["own"]}, "gold": {DOMAIN_TAG: ["sales"], SALES: ["own"]}}
COLUMNS = [
    {"name": "account_id", "type": "bigint", "nullable": False},
    {"name": "owner", "type": "string", "nullable": True},
    {"name": "tier", "type": "string", "nullable": True},
    {"name": "updated_at", "type": "timestamp", "nullable": False},
]
ACCOUNTS = {
    "name": "accounts", "domain": "sales", "format": "parquet", "readOptions": {}, "path": "sales/accounts/", "cdc": True, "keys": ["account_id"],
    "columns": [{**c, "pii": False} for c in COLUMNS], "orderBy": ["_change_seq", "_ingested_at"], "quality": [], "classification": "internal", "tags": TAGS,
}  # fmt: skip
DMS_SCHEMA = "Op string, account_id bigint, owner string, tier string, updated_at timestamp, _dms_change_seq string"
TIERS = ("free", "team", "enterprise")
COMMIT_START = dt.datetime(2026, 12, 5, 9, 0, 0)
# Close below a multiple of 2^24: the change numbers cross it during the test.
FIRST_CHANGE_NUMBER = 2**24 - 40


class DmsTask:
    """A seeded stand-in for one DMS replication task of one table: a full load, then batches of changes."""

    def __init__(self, landing: Path, rng: random.Random) -> None:
        self.landing = landing
        self.rng = rng
        self.rows: dict[int, dict[str, Any]] = {}
        self.changes: list[tuple[str, dict[str, Any]]] = []  # (change sequence, row with Op), in commit order
        self.change_number = FIRST_CHANGE_NUMBER
        self.commit_time = COMMIT_START
        self.written = 0

    def row(self, account_id: int) -> dict[str, Any]:
        return {"account_id": account_id, "owner": f"owner-{self.rng.randint(1, 50)}", "tier": self.rng.choice(TIERS), "updated_at": self.commit_time}

    def full_load(self, spark, keys: range) -> list[Path]:
        for account_id in keys:
            self.rows[account_id] = self.row(account_id)
        ordered = [self.rows[k] for k in keys]
        half = len(ordered) // 2
        return [
            self.write(spark, "LOAD00000001.parquet", [{"Op": "I", **r, SEQUENCE_COLUMN: ""} for r in ordered[:half]]),
            # The same full load written without IncludeOpForFullLoad: no Op column at all.
            self.write(spark, "LOAD00000002.parquet", [{**r, SEQUENCE_COLUMN: ""} for r in ordered[half:]], with_op=False),
        ]

    def sequence(self, same_instant: bool = False) -> str:
        """The next `$AR_H_CHANGE_SEQ`: commit time to the hundredth of a second, then the change number."""
        if not same_instant:
            self.commit_time += dt.timedelta(milliseconds=self.rng.choice((10, 20, 130, 1000)))
        self.change_number += 1
        return f"{self.commit_time:%Y%m%d%H%M%S}{self.commit_time.microsecond // 10000:02d}{self.change_number:019d}"

    def change(self, op: str, account_id: int, same_instant: bool = False, before_image: bool = True) -> dict[str, Any]:
        sequence = self.sequence(same_instant)
        if op == "D":
            old = self.rows.pop(account_id)
            values = dict(old) if before_image else {"account_id": account_id, "owner": None, "tier": None, "updated_at": None}
        else:
            values = self.row(account_id)
            self.rows[account_id] = values
        record = {"Op": op, **values, SEQUENCE_COLUMN: sequence}
        self.changes.append((sequence, record))
        return record

    def batch(self, size: int, next_key: list[int]) -> list[dict[str, Any]]:
        """A batch interval's changes: updates, deletes, inserts of new and of deleted keys."""
        records = []
        deleted: list[int] = []
        for _ in range(size):
            roll = self.rng.random()
            live = sorted(self.rows)
            if roll < 0.15:
                # A new key inserted and updated in the same transaction: only the change number orders them.
                key = next_key[0]
                next_key[0] += 1
                records.append(self.change("I", key))
                records.append(self.change("U", key, same_instant=True))
            elif roll < 0.3 and live:
                key = self.rng.choice(live)
                records.append(self.change("D", key, before_image=self.rng.random() < 0.5))
                deleted.append(key)
            elif roll < 0.35 and deleted:
                records.append(self.change("I", deleted.pop()))
            else:
                records.append(self.change("U", self.rng.choice(live)))
        return records

    def write(self, spark, name: str, records: list[dict[str, Any]], with_op: bool = True) -> Path:
        """One Parquet file named as DMS names it, written to a staging folder (landed later)."""
        staging = self.landing.parent / "_staging" / f"{name}.spark"
        frame = spark.createDataFrame([tuple(r.get(c.split()[0]) for c in DMS_SCHEMA.split(", ")) for r in records], DMS_SCHEMA)
        if not with_op:
            frame = frame.drop("Op")
        frame.coalesce(1).write.mode("overwrite").parquet(str(staging))
        (part,) = staging.glob("part-*.parquet")
        self.written += len(records)
        return part.rename(staging.parent / name)

    def cdc_file(self, spark, records: list[dict[str, Any]]) -> Path:
        shuffled = list(records)
        self.rng.shuffle(shuffled)  # out of order within the file
        written_at = self.commit_time + dt.timedelta(seconds=1)
        return self.write(spark, f"{written_at:%Y%m%d-%H%M%S}{written_at.microsecond // 1000:03d}.parquet", shuffled)

    def land(self, *files: Path) -> None:
        self.landing.mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.move(str(file), self.landing / file.name)


def expected_current(task: DmsTask, full_load: dict[int, dict[str, Any]]) -> tuple[dict[int, tuple], set[int]]:
    """The oracle: the full load, then every change in commit order (the 35-digit sequence sorts as text)."""
    rows = {k: (v["owner"], v["tier"], v["updated_at"]) for k, v in full_load.items()}
    deleted: set[int] = set()
    for _, change in sorted(task.changes, key=lambda item: item[0]):
        key = change["account_id"]
        if change["Op"] == "D":
            rows.pop(key, None)
            deleted.add(key)
        else:
            rows[key] = (change["owner"], change["tier"], change["updated_at"])
            deleted.discard(key)
    return rows, deleted


def test_dms_full_load_and_changes_reach_silver_latest_change_wins_deletes_apply_nothing_lost(spark, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    bronze_root = tmp_path / "acme-test-bronze"
    task = DmsTask(bronze_root / SOURCE_PREFIX, rng)
    platform = LocalPlatform(tmp_path / "state")
    options = local_options(
        tmp_path,
        arguments(
            "accounts", "database", "parquet", COLUMNS, ["account_id"], cdc=True, source_description="sqlserver:dbo.accounts",
            connection_name="acme-test-jdbc-sales-crm", engine="sqlserver", source_table="dbo.accounts", load="incremental", bookmark_keys="_change_seq",
            change_capture="dms", landing_pattern=f"{SOURCE_PREFIX}*.parquet", change_sequence_column=SEQUENCE_COLUMN,
        ),
    )  # fmt: skip
    lake = Lakehouse(spark, tmp_path, [ACCOUNTS], name="dms", bronze=bronze_root)
    results: list[gi.IngestResult] = []

    def ingest(run: int) -> None:
        results.append(gi.ingest(spark, options, platform, run_at(f"jr_accounts_{run}", dt.datetime(2026, 12, 5, 10 + run, 0, tzinfo=dt.timezone.utc))))
        platform.commit()

    # Run 1: the full load and CDC files 1 and 3; file 2 is still on its way.
    next_key = [1001]
    loads = task.full_load(spark, range(1, 121))
    snapshot = {k: dict(v) for k, v in task.rows.items()}
    first, second, third = (task.cdc_file(spark, task.batch(40, next_key)) for _ in range(3))
    task.land(*loads, first, third)
    ingest(1)
    lake.run()
    # Run 2: the late file 2 (older than file 3, which silver already applied) and a newer file 4.
    fourth = task.cdc_file(spark, task.batch(40, next_key))
    task.land(second, fourth)
    ingest(2)
    summaries = lake.run()

    assert task.change_number > 2**24, "the change numbers crossed a multiple of 2^24"
    current, deleted = expected_current(task, snapshot)
    gold = lake.rows("gold", "accounts", "account_id", "account_id, owner, tier, updated_at")
    assert gold == [(k, *current[k]) for k in sorted(current)]
    tombstones = lake.rows("silver", "accounts", "account_id", "account_id, _op")
    assert sorted(k for k, op in tombstones if op == "delete") == sorted(deleted - set(current))
    assert {k for k, _ in tombstones} == set(current) | deleted
    # The highest change of every key is the one silver holds.
    latest = {}
    for _, change in sorted(task.changes, key=lambda item: item[0]):
        latest[change["account_id"]] = change["Op"]
    silver_ops = dict(tombstones)
    assert all(silver_ops[k] == {"I": "insert", "U": "update", "D": "delete"}[op] for k, op in latest.items())

    # Books: rows DMS wrote = read = landed in bronze = accepted by silver; nothing quarantined anywhere.
    assert sum(r.read for r in results) == sum(r.landed for r in results) == task.written == read_bronze(spark, options).count()
    assert sum(r.quarantined for r in results) == 0
    log = spark.sql(f"SELECT sum(bronze_rows), sum(accepted_rows), sum(quarantined_rows), count(*) FROM {lake.table('silver', '_batches')}").first()
    assert tuple(log) == (task.written, task.written, 0, 2)
    assert summaries[0]["current_rows"] == len(current) and summaries[0]["deleted_keys"] == len(deleted - set(current))
    # Full-load rows carry change sequence 0; captured changes are positive and ordered by commit time.
    bronze = read_bronze(spark, options)
    assert bronze.where("_change_seq = 0").count() == 120
    assert bronze.where("_change_seq IS NULL OR _op IS NULL").count() == 0


def test_dms_change_sequence_orders_by_commit_time_then_change_number(spark) -> None:
    rows = [
        ("I", "", 0),
        ("U", "2026120509000001" + "0000000000016777215", None),
        ("U", "2026120509000002" + "0000000000016777216", None),  # the change number wraps mod 2^24; time still orders
        ("D", "2026120509000002" + "0000000000016777217", None),
        ("U", "2026120509000002" + "00000000000000000x1", None),  # not 35 digits: null, quarantined in silver
    ]
    frame = spark.createDataFrame([(op, 1, seq) for op, seq, _ in rows], "Op string, account_id bigint, _dms_change_seq string")
    mapped = [(r._op, r._change_seq) for r in gi.dms_change_events(frame, SEQUENCE_COLUMN).collect()]
    centis = int((dt.datetime(2026, 12, 5, 9, 0, 0) - dt.datetime(1970, 1, 1)).total_seconds()) * 100
    assert mapped == [
        ("insert", 0),
        ("update", (centis + 1) * 2**24 + (2**24 - 1)),
        ("update", (centis + 2) * 2**24 + 0),
        ("delete", (centis + 2) * 2**24 + 1),
        ("update", None),
    ]
    assert [m[1] for m in mapped[:4]] == sorted(m[1] for m in mapped[:4])
