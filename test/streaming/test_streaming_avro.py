"""The Glue streaming job's core on local Structured Streaming against a real Kafka broker: Avro change events.

The messages are plain Avro binary (no framing) written with the dataset's message schema, the one
lib/lake/stream-arguments.ts `streamMessageAvroSchema` passes as --message_schema: the declared columns
and, for a CDC stream, `_op` and `_change_seq`, every field nullable. Bronze keeps Avro files written with
the bronze table's schema.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import glue_stream as gs
from local_kafka import KafkaBroker
from local_stream import LocalStreamPlatform, arguments, files_under, local_options, produce, read_bronze, read_quarantine, run_once, topic_messages

COLUMNS = [
    {"name": "order_id", "type": "string", "nullable": False},
    {"name": "customer_id", "type": "bigint", "nullable": True},
    {"name": "amount", "type": "decimal(18,2)", "nullable": True},
    {"name": "placed_at", "type": "timestamp", "nullable": False},
]
# streamMessageAvroSchema of a CDC dataset with COLUMNS (test/lake/stream-arguments.test.ts checks its shape).
MESSAGE_SCHEMA = {
    "type": "record",
    "name": "order_events",
    "fields": [
        {"name": "order_id", "type": ["null", "string"], "default": None},
        {"name": "customer_id", "type": ["null", "long"], "default": None},
        {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}], "default": None},
        {"name": "placed_at", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}], "default": None},
        {"name": "_op", "type": ["null", "string"], "default": None},
        {"name": "_change_seq", "type": ["null", "long"], "default": None},
    ],
}
MESSAGE_TYPE = "order_id string, customer_id bigint, amount decimal(18,2), placed_at timestamp, _op string, _change_seq bigint"
BASE = dt.datetime(2026, 12, 4, 8, 0)


def avro_messages(spark: Any, rows: list[tuple]) -> list[bytes]:
    """The rows as the producer's Avro serializer writes them: one plain Avro binary record each."""
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.avro.functions import to_avro

    frame = spark.createDataFrame(rows, MESSAGE_TYPE).select(to_avro(F.struct("*"), json.dumps(MESSAGE_SCHEMA)).alias("value"))
    return [bytes(row.value) for row in frame.collect()]


def test_lands_avro_change_events_and_quarantines_what_does_not_decode(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    # GIVEN change events of two partitions: out of order, a late one, one sent twice, and bad ones
    argv = arguments("order_events", "sales.orders.avro", COLUMNS, cdc=True, domain="sales", data_format="avro", partitions="2")
    options = local_options(tmp_path, argv + ["--message_schema", json.dumps(MESSAGE_SCHEMA)])
    good_rows = [
        (f"O{number:04d}", 500 + number % 7, Decimal(f"{number}.25"), BASE + dt.timedelta(minutes=number), "UPDATE" if number % 3 else "insert", 1000 - number)
        for number in range(40)
    ]
    good_rows.append(("O0001", 501, Decimal("1.25"), BASE - dt.timedelta(days=3), "delete", 5))  # a delete for a week-old order
    good_rows.append(("O0003", None, None, None, "Delete", 6))  # a delete that carries only its key: placed_at may be null
    encoded = avro_messages(spark, good_rows)
    bad_rows = {
        "placed_at: null in a not-nullable column": ("O9001", 1, Decimal("1.00"), None, "insert", 1),
        "_op: missing in a change event": ("O9002", 1, Decimal("1.00"), BASE, None, 2),
    }
    bad_encoded = dict(zip(bad_rows, avro_messages(spark, list(bad_rows.values()))))
    undecodable = [b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", json.dumps({"order_id": "O9003"}).encode()]
    messages: list[tuple[int, bytes | str | None]] = [(number % 2, value) for number, value in enumerate(encoded)]
    messages += [(0, encoded[7])]  # the producer sent O0007's event twice
    messages += [(1, value) for value in bad_encoded.values()] + [(0, value) for value in undecodable]
    platform = LocalStreamPlatform(kafka)

    # WHEN the job reads the topic
    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, messages)
    run_once(spark, options, platform, "jr_1")

    # THEN every message is in bronze or the quarantine once, typed as declared
    bronze, quarantine = read_bronze(spark, options), read_quarantine(spark, options)
    landed = [(row["_kafka_partition"], row["_kafka_offset"]) for row in bronze.collect() + quarantine.collect()]
    assert sorted(landed) == sorted(topic_messages(spark, kafka, options.topic)) and len(landed) == len(set(landed))
    assert (bronze.count(), quarantine.count()) == (43, 4)
    types = dict(bronze.dtypes)
    assert (types["amount"], types["placed_at"], types["_change_seq"], types["_kafka_offset"]) == ("decimal(18,2)", "timestamp", "bigint", "bigint")
    got = sorted(((row["order_id"], row["customer_id"], row["amount"], row["placed_at"], row["_op"], row["_change_seq"]) for row in bronze.collect()), key=repr)
    expected = sorted([(o, c, a, p, op.lower(), seq) for o, c, a, p, op, seq in good_rows] + [(lambda r: (r[0], r[1], r[2], r[3], r[4].lower(), r[5]))(good_rows[7])], key=repr)
    assert got == expected
    assert files_under(options.target_path) == ["ingestion_date=2026-12-04/part-jr_1-0.snappy.avro"]

    # AND the quarantine keeps each message as base64 of its bytes, with the reason
    quarantined = {base64.b64decode(row["record"]): row["reason"] for row in quarantine.collect()}
    assert quarantined == {
        **{value: reason for reason, value in bad_encoded.items()},
        **{value: "message is not Avro of the dataset's message schema" for value in undecodable},
    }
