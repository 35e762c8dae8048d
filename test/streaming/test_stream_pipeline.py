"""The Databricks stream pipeline (constructs/databricks/pipelines/stream_medallion.py) on local Spark, Delta
Lake and the local Kafka broker, through test/streaming/local_dlt.py.

Each test has topics, schemas and a pipeline storage folder of its own, produces messages with Spark's Kafka
sink, runs the pipeline the module declares and reads the Delta tables it wrote. Every test counts: each
message is in bronze once, and each is in silver or the quarantine (or was a duplicate of a silver row).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Sequence

import pytest
from local_dlt import PIPELINE_FOLDER, LocalPipeline, LocalPipelineError, local_kafka_options
from local_kafka import KafkaBroker
from local_stream import produce

SECRET_SCOPE = "acme-test-ingestion"
SECRETS = {(SECRET_SCOPE, "client-id"): "local-client", (SECRET_SCOPE, "client-secret"): "local-secret"}
BASE = dt.datetime(2026, 12, 4, 9, 0)

ORDERS_COLUMNS = [
    {"name": "order_id", "type": "string", "nullable": False},
    {"name": "customer_id", "type": "bigint", "nullable": True},
    {"name": "status", "type": "string", "nullable": False},
    {"name": "amount", "type": "decimal(10,2)", "nullable": True},
    {"name": "ordered_at", "type": "timestamp", "nullable": False},
]
ORDERS_QUALITY = [
    {"rule": "accepted_values", "column": "status", "values": ["placed", "shipped", "cancelled"]},
    {"rule": "range", "column": "amount", "min": 0},
]


def dataset(name: str, topic: str, data_format: str, cdc: dict | None = None) -> dict:
    """A `platform.datasets` entry as constructs/databricks/stream-pipeline.ts writes it."""
    return {
        "name": name,
        "description": f"Orders ({name})",
        "topic": topic,
        "format": data_format,
        "columns": ORDERS_COLUMNS,
        "keys": ["order_id"],
        "quality": ORDERS_QUALITY,
        "cdc": cdc,
        "tables": {"bronze": f"{name}_raw", "silver": name, "quarantine": f"{name}_quarantine", "gold": f"{name}_daily"},
    }


def configuration(prefix: str, datasets: Sequence[dict], max_offsets_per_trigger: int) -> dict[str, str]:
    """The pipeline configuration the lakehouse stack writes, with the local catalog."""
    return {
        "platform.catalog": "spark_catalog",
        "platform.schema.bronze": f"{prefix}_bronze",
        "platform.schema.silver": f"{prefix}_silver",
        "platform.schema.gold": f"{prefix}_gold",
        "platform.datasets": json.dumps(list(datasets)),
        "platform.kafka.namespaceHost": "acme-test-streams.servicebus.windows.net",
        "platform.kafka.tokenEndpoint": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
        "platform.kafka.secretScope": SECRET_SCOPE,
        "platform.kafka.clientIdSecret": "client-id",
        "platform.kafka.clientSecretSecret": "client-secret",
        "platform.kafka.consumerGroup": f"{prefix}-pipeline",
        "platform.kafka.maxOffsetsPerTrigger": str(max_offsets_per_trigger),
        "platform.deduplicationWindow": "1 hour",
    }


def pipeline(spark: Any, kafka: KafkaBroker, storage: Path, prefix: str, datasets: Sequence[dict], max_offsets_per_trigger: int = 1000) -> LocalPipeline:
    local = LocalPipeline(spark, storage)
    local.load(PIPELINE_FOLDER / "stream_medallion.py", configuration(prefix, datasets, max_offsets_per_trigger), SECRETS, local_kafka_options(spark, kafka.bootstrap_servers))
    return local


def create_topic(spark: Any, kafka: KafkaBroker, topic: str, partitions: int = 2) -> None:
    import glue_stream

    jvm = spark.sparkContext._jvm
    with glue_stream.admin_client(spark, {"bootstrap.servers": kafka.bootstrap_servers}) as admin:
        new_topic = jvm.org.apache.kafka.clients.admin.NewTopic(topic, partitions, jvm.java.lang.Short.parseShort("1"))
        admin.createTopics(jvm.java.util.Collections.singletonList(new_topic)).all().get()


def order(number: int, **fields: Any) -> dict:
    value = {
        "order_id": f"o{number:03d}",
        "customer_id": 100 + number % 3,
        "status": "placed",
        "amount": number + 0.5,
        "ordered_at": (BASE + dt.timedelta(hours=number)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    value.update(fields)
    return value


def avro_messages(spark: Any, spec: dict, records: Sequence[dict]) -> list[bytes]:
    """The records as Avro with the pipeline's schema for the dataset (Spark's own writer)."""
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.avro.functions import to_avro
    from stream_rules import avro_schema, ddl_schema, message_columns

    rows = [json.dumps(record) for record in records]
    frame = spark.createDataFrame([(row,) for row in rows], "json string").select(F.from_json("json", ddl_schema(message_columns(spec))).alias("r"))
    encoded = frame.select(to_avro(F.col("r"), avro_schema(spec)).alias("value")).collect()
    return [bytes(row.value) for row in encoded]


def rows(spark: Any, table: str, *columns: str) -> list[tuple]:
    return sorted(tuple(row) for row in spark.read.table(table).select(*columns).collect())


def test_json_and_avro_streams_run_bronze_to_gold(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    json_topic, avro_topic = "dlt.orders.json", "dlt.orders.avro"
    web, app = dataset("web_orders", json_topic, "json"), dataset("app_orders", avro_topic, "avro")
    for topic in (json_topic, avro_topic):
        create_topic(spark, kafka, topic)
    # JSON: 5 good orders, a duplicate of o002, and 4 bad messages.
    json_messages = [json.dumps(order(n)) for n in range(1, 6)] + [
        json.dumps(order(2)),
        "{not json",
        json.dumps(order(7, status="lost")),
        json.dumps(order(8, ordered_at=None, amount=-1.0)),
        json.dumps({"unrelated": True}),
    ]
    produce(spark, kafka, json_topic, [(n % 2, message) for n, message in enumerate(json_messages)])
    # Avro: 3 good orders, one with a status the definition does not accept, and bytes that are not Avro.
    avro = avro_messages(spark, app, [order(11), order(12), order(13, status="shipped"), order(14, status="lost")])
    produce(spark, kafka, avro_topic, [(n % 2, message) for n, message in enumerate([*avro, b"\x00\xff garbage"])])

    local = pipeline(spark, kafka, tmp_path, "dlt_media", [web, app])
    order_run = local.run()

    bronze, silver, quarantine, gold = "spark_catalog.dlt_media_bronze", "spark_catalog.dlt_media_silver", "spark_catalog.dlt_media_silver", "spark_catalog.dlt_media_gold"
    # Each table after what it reads, whatever the declaration order.
    for name in ("web_orders", "app_orders"):
        steps = [f"{bronze}.{name}_raw", f"{silver}.{name}", f"{quarantine}.{name}_quarantine", f"{gold}.{name}_daily"]
        assert [step for step in order_run if step in steps] == steps
    assert set(local.expectations["web_orders_checked"]) >= {"payload_decodes", "key_order_id_present", "status_accepted_values", "amount_in_range"}
    assert spark.sql(f"SHOW TBLPROPERTIES {bronze}.web_orders_raw").where("key = 'delta.appendOnly'").first().value == "true"

    # Bronze: every message once.
    assert spark.read.table(f"{bronze}.web_orders_raw").count() == len(json_messages)
    assert spark.read.table(f"{bronze}.app_orders_raw").count() == 5
    # Silver: the good orders, o002 once.
    assert rows(spark, f"{silver}.web_orders", "order_id", "status", "amount") == [(f"o00{n}", "placed", dt_decimal(f"{n}.50")) for n in range(1, 6)]
    assert rows(spark, f"{silver}.app_orders", "order_id", "status") == [("o011", "placed"), ("o012", "placed"), ("o013", "shipped")]
    # Quarantine: each bad message with the names of the rules it fails.
    web_rejected = {row._raw_value: sorted(row._failed_rules) for row in spark.read.table(f"{quarantine}.web_orders_quarantine").collect()}
    assert web_rejected == {
        "{not json": key_and_content_rules(),
        json.dumps(order(7, status="lost")): ["status_accepted_values"],
        json.dumps(order(8, ordered_at=None, amount=-1.0)): ["amount_in_range", "ordered_at_not_null"],
        json.dumps({"unrelated": True}): key_and_content_rules(),
    }
    app_rejected = sorted(sorted(row._failed_rules) for row in spark.read.table(f"{quarantine}.app_orders_quarantine").collect())
    assert app_rejected == sorted([key_and_content_rules(), ["status_accepted_values"]])
    # Gold: per day of order time, over silver and the quarantine.
    web_gold = rows(spark, f"{gold}.web_orders_daily", "records", "distinct_keys", "quarantined_records")
    assert sum(records for records, _, _ in web_gold) == 5 and sum(quarantined for _, _, quarantined in web_gold) == 4
    app_gold = rows(spark, f"{gold}.app_orders_daily", "records", "distinct_keys", "quarantined_records")
    assert sum(records for records, _, _ in app_gold) == 3 and sum(keys for _, keys, _ in app_gold) == 3 and sum(q for _, _, q in app_gold) == 2

    # A second update with nothing new changes nothing.
    local.run()
    assert spark.read.table(f"{bronze}.web_orders_raw").count() == len(json_messages)
    assert spark.read.table(f"{silver}.web_orders").count() == 5


def dt_decimal(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def key_and_content_rules() -> list[str]:
    """The rules a message that does not decode fails (sorted): it has no field."""
    return ["key_order_id_present", "ordered_at_not_null", "payload_decodes", "status_not_null"]


def change(number: int, operation: str, sequence: int, **fields: Any) -> dict:
    record = order(number, **fields) if operation != "delete" else {"order_id": f"o{number:03d}"}
    return {**record, "_op": operation, "_change_seq": sequence}


def test_change_events_are_applied_with_auto_cdc(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    """SCD type 1 and 2 targets of the same change events (JSON for one, Avro for the other): out of order,
    duplicated, deleted and inserted again, over two updates (the second brings changes older than ones the
    first applied), then the last micro-batch of each flow run again."""
    json_topic, avro_topic = "dlt.orders.changes.json", "dlt.orders.changes.avro"
    for topic in (json_topic, avro_topic):
        create_topic(spark, kafka, topic, partitions=1)
    current, history = dataset("orders_current", json_topic, "json", {"scdType": 1}), dataset("orders_history", avro_topic, "avro", {"scdType": 2})
    local = pipeline(spark, kafka, tmp_path, "dlt_cdc", [current, history], max_offsets_per_trigger=4)
    first = [
        change(1, "insert", 10),
        change(1, "update", 30, status="shipped"),
        change(2, "insert", 11),
        change(3, "insert", 12),
        change(3, "delete", 20),
        change(1, "update", 30, status="shipped"),  # a duplicate
        change(5, "INSERT", 13),  # operations compare in lower case
        change(2, "delete", 25),
    ]
    second = [
        change(1, "update", 20, status="cancelled"),  # older than the update already applied: loses
        change(3, "insert", 40, status="placed"),  # inserted again after its delete
        change(2, "update", 15, status="shipped"),  # older than the delete already applied: the key stays deleted
        change(5, "upsert", 50),  # unknown operation
        {**order(6), "_op": "insert"},  # no sequence
    ]
    for events in (first, second):
        produce(spark, kafka, json_topic, [(0, json.dumps(event)) for event in events])
        produce(spark, kafka, avro_topic, [(0, message) for message in avro_messages(spark, history, events)])
        local.run()
    events = first + second

    silver = "spark_catalog.dlt_cdc_silver"
    for name in ("orders_current", "orders_history"):
        assert spark.read.table(f"spark_catalog.dlt_cdc_bronze.{name}_raw").count() == len(events)
    assert rows(spark, f"{silver}.orders_current", "order_id", "status", "_change_seq") == [("o001", "shipped", 30), ("o003", "placed", 40), ("o005", "placed", 13)]
    assert "_op" not in spark.read.table(f"{silver}.orders_current").columns
    assert rows(spark, f"{silver}.orders_history", "order_id", "status", "__START_AT", "__END_AT") == [
        ("o001", "cancelled", 20, 30),
        ("o001", "placed", 10, 20),
        ("o001", "shipped", 30, None),
        ("o002", "placed", 11, 15),
        ("o002", "shipped", 15, 25),
        ("o003", "placed", 12, 20),
        ("o003", "placed", 40, None),
        ("o005", "placed", 13, None),
    ]
    for name in ("orders_current", "orders_history"):
        rejected = sorted(sorted(row._failed_rules) for row in spark.read.table(f"{silver}.{name}_quarantine").collect())
        assert rejected == [["change_operation_known"], ["change_sequence_present"]]
    # Gold counts the current rows of either table.
    for name in ("orders_current", "orders_history"):
        daily = rows(spark, f"spark_catalog.dlt_cdc_gold.{name}_daily", "records", "distinct_keys", "quarantined_records")
        assert sum(records for records, _, _ in daily) == 3 and sum(quarantined for _, _, quarantined in daily) == 2

    # The last micro-batch of each AUTO CDC flow again (its commit removed, as after a failure): nothing changes.
    applied = {name: rows(spark, f"{silver}.{name}", "*") for name in ("orders_current", "orders_history")}
    replayed = []
    for name in applied:
        commits = tmp_path / "checkpoints" / f"{silver}.{name}" / "commits"
        last = max(int(path.name) for path in commits.iterdir() if path.name.isdigit())
        for path in commits.glob(f"*{last}*"):
            path.unlink()
        replayed.append(commits / str(last))
    local.run()
    assert all(commit.exists() for commit in replayed)
    assert {name: rows(spark, f"{silver}.{name}", "*") for name in applied} == applied


def test_a_topic_missing_from_the_broker_is_a_named_error(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    local = pipeline(spark, kafka, tmp_path, "dlt_missing", [dataset("lost_orders", "dlt.no.such.topic", "json")])
    with pytest.raises(LocalPipelineError, match=r'topic "dlt\.no\.such\.topic" does not exist on the Kafka broker'):
        local.run()
