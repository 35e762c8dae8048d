"""Schema evolution on a real broker: a stream's message schema gains an optional field (v2), the
compatibility gate passes it, and the field reaches bronze once the job decodes with v2.

The wire framing is plain Avro (no Glue or Confluent header), as lib/lake/stream-arguments.ts documents:
a message does not say which version wrote it, so the job decodes with the one registered version it was
deployed with (--message_schema, --schema_version). Bronze keeps each micro-batch's Avro files with their
own schema; the bronze table (the latest columns) reads the older files through Avro's schema resolution,
which fills the new field with its default. A message written with v1 after the job moved to v2 does not
decode and is quarantined with the reason, never lost.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import avro.schema
import glue_stream as gs
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
from local_kafka import KafkaBroker
from local_stream import LocalStreamPlatform, arguments, local_options, produce, read_quarantine, run_once

COLUMNS_V1 = [
    {"name": "event_id", "type": "string", "nullable": False},
    {"name": "page", "type": "string", "nullable": True},
    {"name": "event_at", "type": "timestamp", "nullable": False},
]
COLUMNS_V2 = [*COLUMNS_V1, {"name": "referrer", "type": "string", "nullable": True}]
AVRO_TYPES = {"string": "string", "timestamp": {"type": "long", "logicalType": "timestamp-micros"}}
BASE = dt.datetime(2026, 12, 4, 8, 0)


def message_schema(columns: list[dict[str, Any]]) -> dict[str, Any]:
    """streamMessageAvroSchema (lib/lake/stream-arguments.ts) of a stream that is not CDC: every field nullable, default null."""
    return {
        "type": "record",
        "name": "page_events",
        "fields": [{"name": column["name"], "type": ["null", AVRO_TYPES[column["type"]]], "default": None} for column in columns],
    }


V1, V2 = message_schema(COLUMNS_V1), message_schema(COLUMNS_V2)


def encode(spark: Any, schema: dict[str, Any], ddl: str, rows: list[tuple]) -> list[bytes]:
    """The rows as a producer's Avro serializer writes them with `schema`: plain Avro binary, one record each."""
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.avro.functions import to_avro

    frame = spark.createDataFrame(rows, ddl).select(to_avro(F.struct("*"), json.dumps(schema)).alias("value"))
    return [bytes(row.value) for row in frame.collect()]


def test_a_new_optional_field_passes_the_gate_and_reaches_bronze(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    # GIVEN v2 adds an optional field, which the gate's reference checker finds BACKWARD compatible
    compatibility = ReaderWriterCompatibilityChecker().get_compatibility(avro.schema.parse(json.dumps(V2)), avro.schema.parse(json.dumps(V1)))
    assert compatibility.compatibility is SchemaCompatibilityType.compatible
    registry = ["--schema_registry", "acme-test-streams", "--schema_name", "web.pages.v1"]
    deployed_v1 = local_options(tmp_path, arguments("page_events", "web.pages.v1", COLUMNS_V1, data_format="avro") + ["--message_schema", json.dumps(V1), *registry, "--schema_version", "1"])
    deployed_v2 = local_options(tmp_path, arguments("page_events", "web.pages.v1", COLUMNS_V2, data_format="avro") + ["--message_schema", json.dumps(V2), *registry, "--schema_version", "2"])
    platform = LocalStreamPlatform(kafka)
    gs.ensure_topic(spark, deployed_v1, platform.kafka_properties(deployed_v1))

    # WHEN producers write v1 and the job runs with v1
    v1_rows = [(f"E{number}", f"/p/{number}", BASE + dt.timedelta(minutes=number)) for number in range(3)]
    produce(spark, kafka, deployed_v1.topic, [(0, value) for value in encode(spark, V1, "event_id string, page string, event_at timestamp", v1_rows)])
    run_once(spark, deployed_v1, platform, "jr_1")
    # AND v2 is registered and deployed: the job, restarted from its checkpoint, decodes with v2, and producers write v2
    assert gs.registered_schema_problem(deployed_v2, 2, json.dumps(V2)) is None
    v2_rows = [(f"E{number}", f"/p/{number}", BASE + dt.timedelta(minutes=number), f"https://ref.example/{number}") for number in range(3, 6)]
    produce(spark, kafka, deployed_v2.topic, [(0, value) for value in encode(spark, V2, "event_id string, page string, event_at timestamp, referrer string", v2_rows)])
    run_once(spark, deployed_v2, platform, "jr_2")

    # THEN bronze, read as the bronze table reads it (the latest columns), holds every event once: the new field
    # from v2's messages, its default for the messages written with v1
    bronze = spark.read.format("avro").option("avroSchema", platform.bronze_avro_schema(deployed_v2)).load(deployed_v2.target_path)
    got = sorted((row["event_id"], row["page"], row["referrer"], row["_kafka_offset"]) for row in bronze.collect())
    assert got == [(f"E{n}", f"/p/{n}", None, n) for n in range(3)] + [(f"E{n}", f"/p/{n}", f"https://ref.example/{n}", n) for n in range(3, 6)]
    assert read_quarantine(spark, deployed_v2).count() == 0

    # AND a producer still on v1 after the switch is not read silently wrong: plain Avro does not say which
    # version wrote a message, so its message does not decode with v2 and is quarantined with the reason
    late = encode(spark, V1, "event_id string, page string, event_at timestamp", [("E9", "/p/9", BASE)])
    produce(spark, kafka, deployed_v2.topic, [(0, late[0])])
    run_once(spark, deployed_v2, platform, "jr_3")
    assert [(row["_kafka_offset"], row["reason"]) for row in read_quarantine(spark, deployed_v2).collect()] == [(6, "message is not Avro of the dataset's message schema")]
