"""The Databricks stream pipeline (constructs/databricks/pipelines/stream_medallion.py) on local Spark, Delta
Lake and the local Kafka broker, through test/streaming/local_dlt.py.

Each test has topics, schemas and a pipeline storage folder of its own, produces messages with Spark's Kafka
sink, runs the pipeline the module declares and reads the Delta tables it wrote. Every test counts: each
message is in the raw table once, and each is in silver or the quarantine (or was a duplicate of a silver
row); the bronze table holds every message that decodes, with the metadata columns of the bronze layout.

The `platform.datasets` entries are the ones constructs/databricks/stream-pipeline.ts writes
(`streamPipelineDatasetSpec`, run with ts-node): table names, `_source` and the bronze metadata columns
come from the TypeScript that deploys the pipeline, not from a copy here.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any, Sequence

import pytest
from local_dlt import PIPELINE_FOLDER, ROOT, UPDATE_ID_KEY, LocalPipeline, LocalPipelineError, local_kafka_options
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


# Prints the `platform.datasets` entries the construct writes for the StreamPipelineDataset list on stdin.
SPEC_SCRIPT = (
    "import { streamPipelineDatasetSpec } from './constructs/databricks/stream-pipeline';"
    "console.log(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8')).map(streamPipelineDatasetSpec)));"
)


def pipeline_specs(datasets: Sequence[dict]) -> list[dict]:
    """The `platform.datasets` entries constructs/databricks/stream-pipeline.ts writes for these datasets."""
    command = [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--swc", "-e", SPEC_SCRIPT]
    result = subprocess.run(command, cwd=ROOT, input=json.dumps(list(datasets)), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"streamPipelineDatasetSpec failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def dataset(name: str, topic: str, data_format: str, cdc: dict | None = None) -> dict:
    """A stream dataset of the pipeline construct (`StreamPipelineDataset`), as its `platform.datasets` entry."""
    construct_input = {
        "name": name,
        "description": f"Orders ({name})",
        "topic": topic,
        "format": data_format,
        "columns": ORDERS_COLUMNS,
        "keys": ["order_id"],
        "quality": ORDERS_QUALITY,
        **({"cdc": cdc} if cdc else {}),
    }
    return pipeline_specs([construct_input])[0]


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


def rows(spark: Any, table: str, *columns: Any) -> list[tuple]:
    return sorted(tuple(row) for row in spark.read.table(table).select(*columns).collect())


def column_types(spark: Any, table: str) -> list[tuple[str, str]]:
    return [(field.name, field.dataType.simpleString()) for field in spark.read.table(table).schema.fields]


def bronze_layout(spec: dict) -> list[tuple[str, str]]:
    """The bronze table's columns: the dataset's, then the metadata columns the construct passed."""
    return [(column["name"], column["type"]) for column in [*spec["columns"], *spec["metadataColumns"]]]


def ordered_at(column: str = "ordered_at") -> Any:
    """The order time as the messages write it (a timestamp read back in the session's time zone)."""
    from pyspark.sql import functions as F  # noqa: N812

    return F.date_format(column, "yyyy-MM-dd'T'HH:mm:ss").alias(column)


def amount(value: float | None) -> Any:
    return None if value is None else dt_decimal(f"{value:.2f}")


def decoded_payload_failures(spark: Any, quarantine: str) -> int:
    """Quarantined messages that did not decode: the raw messages the bronze table leaves out."""
    return spark.read.table(quarantine).where("array_contains(_failed_rules, 'payload_decodes')").count()


def ingested_like_raw(spark: Any, bronze: str, raw: str) -> bool:
    """Every bronze record has the `_ingested_at` of its raw record (same partition and offset)."""
    from pyspark.sql import functions as F  # noqa: N812

    records = spark.read.table(bronze)
    coordinates = (F.col("b._kafka_partition") == F.col("r.partition")) & (F.col("b._kafka_offset") == F.col("r.offset"))
    joined = records.alias("b").join(spark.read.table(raw).alias("r"), coordinates)
    return joined.count() == records.count() and joined.where("b._ingested_at IS NULL OR b._ingested_at != r._ingested_at").count() == 0


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
        assert order_run.index(f"{bronze}.{name}_raw") < order_run.index(f"{bronze}.{name}")
    assert set(local.expectations["web_orders_checked"]) >= {"payload_decodes", "key_order_id_present", "status_accepted_values", "amount_in_range"}
    for table in ("web_orders_raw", "web_orders"):
        assert spark.sql(f"SHOW TBLPROPERTIES {bronze}.{table}").where("key = 'delta.appendOnly'").first().value == "true"

    # Raw: every message once.
    assert spark.read.table(f"{bronze}.web_orders_raw").count() == len(json_messages)
    assert spark.read.table(f"{bronze}.app_orders_raw").count() == 5
    # Bronze: the dataset's columns, then the metadata columns the construct passed, in the bronze layout.
    for spec in (web, app):
        assert [name for name, _ in bronze_layout(spec)][len(ORDERS_COLUMNS) :] == ["_kafka_partition", "_kafka_offset", "_source", "_batch_id", "_ingested_at"]
        assert column_types(spark, f"{bronze}.{spec['name']}") == bronze_layout(spec)
    # Every message that decodes, quality rules or not, duplicates included, at its Kafka coordinates (message n
    # went to partition n % 2, so it is the (n // 2)-th there), with the id of the update that landed it.
    undecodable = {"{not json", json.dumps({"unrelated": True})}
    decoded = [(n, json.loads(message)) for n, message in enumerate(json_messages) if message not in undecodable]
    web_bronze = rows(spark, f"{bronze}.web_orders", "order_id", "status", "amount", ordered_at(), "_kafka_partition", "_kafka_offset", "_source", "_batch_id")
    assert web_bronze == sorted(
        (o["order_id"], o["status"], amount(o["amount"]), o["ordered_at"], n % 2, n // 2, f"kafka:{json_topic}", local.update_id) for n, o in decoded
    )
    assert rows(spark, f"{bronze}.app_orders", "order_id", "status", "_kafka_partition", "_kafka_offset", "_source", "_batch_id") == [
        ("o011", "placed", 0, 0, f"kafka:{avro_topic}", local.update_id),
        ("o012", "placed", 1, 0, f"kafka:{avro_topic}", local.update_id),
        ("o013", "shipped", 0, 1, f"kafka:{avro_topic}", local.update_id),
        ("o014", "lost", 1, 1, f"kafka:{avro_topic}", local.update_id),
    ]
    # What bronze leaves out is what did not decode, and the quarantine holds it: raw = bronze + undecodable.
    for name in ("web_orders", "app_orders"):
        assert spark.read.table(f"{bronze}.{name}_raw").count() == spark.read.table(f"{bronze}.{name}").count() + decoded_payload_failures(
            spark, f"{quarantine}.{name}_quarantine"
        )
        assert ingested_like_raw(spark, f"{bronze}.{name}", f"{bronze}.{name}_raw")
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
    first_update = local.update_id
    local.run()
    assert local.update_id != first_update
    assert spark.read.table(f"{bronze}.web_orders_raw").count() == len(json_messages)
    assert rows(spark, f"{bronze}.web_orders", "_batch_id") == [(first_update,)] * len(decoded)
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
    updates = []
    for events in (first, second):
        produce(spark, kafka, json_topic, [(0, json.dumps(event)) for event in events])
        produce(spark, kafka, avro_topic, [(0, message) for message in avro_messages(spark, history, events)])
        local.run()
        updates.append(local.update_id)
    events = first + second

    bronze, silver = "spark_catalog.dlt_cdc_bronze", "spark_catalog.dlt_cdc_silver"
    for name in ("orders_current", "orders_history"):
        assert spark.read.table(f"{bronze}.{name}_raw").count() == len(events)
    # Bronze: every change event as it arrived (unknown operations, missing sequences and deletes included), the
    # change fields first among the metadata columns, operations in lower case, each with the update that landed it.
    landed_by = [updates[0]] * len(first) + [updates[1]] * len(second)
    expected = [
        (offset, event["order_id"], event.get("status"), event["_op"].lower(), event.get("_change_seq"), batch)
        for offset, (event, batch) in enumerate(zip(events, landed_by))
    ]
    for spec in (current, history):
        table = f"{bronze}.{spec['name']}"
        metadata = [name for name, _ in bronze_layout(spec)][len(ORDERS_COLUMNS) :]
        assert metadata == ["_op", "_change_seq", "_kafka_partition", "_kafka_offset", "_source", "_batch_id", "_ingested_at"]
        assert column_types(spark, table) == bronze_layout(spec)
        assert rows(spark, table, "_kafka_offset", "order_id", "status", "_op", "_change_seq", "_batch_id") == expected
        assert set(rows(spark, table, "_kafka_partition", "_source")) == {(0, f"kafka:{spec['topic']}")}
        assert ingested_like_raw(spark, table, f"{table}_raw")
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
    for name in applied:
        assert rows(spark, f"{bronze}.{name}", "_kafka_offset", "order_id", "status", "_op", "_change_seq", "_batch_id") == expected


def test_a_topic_missing_from_the_broker_is_a_named_error(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    local = pipeline(spark, kafka, tmp_path, "dlt_missing", [dataset("lost_orders", "dlt.no.such.topic", "json")])
    with pytest.raises(LocalPipelineError, match=r'topic "dlt\.no\.such\.topic" does not exist on the Kafka broker'):
        local.run()


def test_bronze_metadata_columns_the_pipeline_cannot_deliver_are_a_named_error(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    # The change fields of a CDC dataset's layout, for a dataset whose messages are not change events.
    create_topic(spark, kafka, "dlt.orders.mismatch", partitions=1)
    mismatched = {**dataset("mismatched_orders", "dlt.orders.mismatch", "json", {"scdType": 1}), "cdc": None}
    local = pipeline(spark, kafka, tmp_path, "dlt_mismatch", [mismatched])
    with pytest.raises(
        LocalPipelineError, match=r"dataset mismatched_orders: metadataColumns names _op, _change_seq, which the stream pipeline does not deliver for it"
    ):
        local.run()


def test_bronze_batch_id_is_the_update_id_the_runtime_sets(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    local = LocalPipeline(spark, tmp_path)
    module = local.load(
        PIPELINE_FOLDER / "stream_medallion.py",
        configuration("dlt_update", [dataset("updated_orders", "dlt.orders.update", "json")], 10),
        SECRETS,
        local_kafka_options(spark, kafka.bootstrap_servers),
    )
    spark.conf.set(UPDATE_ID_KEY, "8e4f6c1a-update")
    assert module.update_id() == "8e4f6c1a-update"
    spark.conf.unset(UPDATE_ID_KEY)
    with pytest.raises(KeyError, match=r"spark\.pipelines\.updateId is not set: the pipeline runtime sets it to the running update's id"):
        module.update_id()
