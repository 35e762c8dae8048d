"""The streaming job's core (constructs/aws/jobs/glue_stream.py) on local Spark against the local Kafka broker.

`LocalStreamPlatform` stands where `GluePlatform` stands on AWS: plain-text Kafka client properties for the
local broker instead of the MSK cluster's IAM ones, partitions recorded in a list instead of the Data
Catalog, and the bronze table's Avro schema built the way the catalog stack builds it. `arguments(...)` gives the job arguments lib/lake/stream-arguments.ts passes to the Glue job, so
the core parses them with its own `parse_options`; `local_options` puts the buckets under a local folder.

Messages are produced with Spark's Kafka sink (one task, so each partition's offsets follow the order
given), and read back, deleted or counted with Kafka's AdminClient in Spark's JVM.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import glue_stream as gs
from local_kafka import KafkaBroker

LANDED_AT = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)
# The metadata columns' types (lib/lake/layout.ts bronzeMetadataColumns) in Avro.
METADATA_AVRO_TYPES: dict[str, Any] = {
    "_op": "string",
    "_change_seq": "long",
    "_kafka_partition": "int",
    "_kafka_offset": "long",
    "_source": "string",
    "_batch_id": "string",
    "_ingested_at": {"type": "long", "logicalType": "timestamp-micros"},
}


@dataclass
class LocalStreamPlatform:
    broker: KafkaBroker
    partitions: list[str] = field(default_factory=list)

    def kafka_properties(self, options: gs.Options) -> dict[str, str]:
        return {"bootstrap.servers": self.broker.bootstrap_servers}

    def register_partition(self, options: gs.Options, partition_value: str) -> None:
        self.partitions.append(partition_value)

    def bronze_avro_schema(self, options: gs.Options) -> str:
        """As lib/lake/table-formats.ts writes it into the bronze table: the declared columns (typed as in the
        message schema, which the same function builds), then the metadata columns, every field nullable."""
        fields = {field["name"]: field for field in json.loads(options.message_schema)["fields"]}
        declared = [fields[column.name] for column in options.columns]
        metadata = [{"name": name, "type": ["null", METADATA_AVRO_TYPES[name]], "default": None} for name in options.metadata_columns]
        return json.dumps({"type": "record", "name": options.dataset, "fields": declared + metadata})


def arguments(
    dataset: str, topic: str, columns: list[dict[str, Any]], cdc: bool = False, domain: str = "marketing", data_format: str = "json", **overrides: str
) -> list[str]:
    """The Glue job arguments of a stream dataset, as lib/lake/stream-arguments.ts builds them (an Avro stream
    also needs `message_schema`); the first column is the key unless `keys=` says otherwise."""
    metadata = (["_op", "_change_seq"] if cdc else []) + ["_kafka_partition", "_kafka_offset", "_source", "_batch_id", "_ingested_at"]
    values = {
        "JOB_NAME": f"acme-test-stream-{dataset}",
        "dataset": dataset,
        "domain": domain,
        "topic": topic,
        "format": data_format,
        "partitions": "1",
        "retention_hours": "168",
        "cluster_arn": "arn:aws:kafka:eu-west-1:111111111111:cluster/acme-test-streaming/0a1b2c3d-4e5f-6789-abcd-ef0123456789-s1",
        "columns": json.dumps(columns),
        "keys": columns[0]["name"],
        "metadata_columns": ",".join(metadata),
        "partition_column": "ingestion_date",
        "source_description": f"kafka:{topic}",
        "target_database": "acme_test_bronze",
        "target_table": dataset,
        "target_bucket": "acme-test-bronze",
        "target_prefix": f"{domain}/{dataset}/",
        "quarantine_prefix": f"_quarantine/{domain}/{dataset}/",
        "checkpoint_prefix": f"_checkpoints/{domain}/{dataset}/",
        "trigger_seconds": "60",
        "max_offsets_per_trigger": "1000000",
        "starting_offsets": "earliest",
        **overrides,
    }
    argv = ["glue_stream.py"]
    for name, value in values.items():
        argv += [f"--{name}", value]
    return argv


def local_options(root: Path, argv: list[str]) -> gs.Options:
    """The options the core parses from argv, with the buckets under a local folder."""
    return replace(gs.parse_options(argv), storage_root=root.as_uri().rstrip("/") + "/")


def run_once(spark: Any, options: gs.Options, platform: LocalStreamPlatform, job_run_id: str) -> None:
    """One run of the job that reads everything the topic holds now, in micro-batches, and stops."""
    query = gs.start(spark, options, platform, job_run_id, trigger={"availableNow": True}, clock=lambda: LANDED_AT)
    gs.await_termination(spark, query, options, platform, timeout_seconds=120)


# ---------------------------------------------------------------------------------------------
# Kafka


def produce(spark: Any, broker: KafkaBroker, topic: str, messages: Sequence[tuple[int, bytes | str | None]]) -> None:
    """Sends (partition, value) messages in this order; a value of None is a message without a value."""
    rows = [(partition, value.encode() if isinstance(value, str) else value) for partition, value in messages]
    frame = spark.createDataFrame(rows, "partition int, value binary")
    frame.coalesce(1).write.format("kafka").option("kafka.bootstrap.servers", broker.bootstrap_servers).option("topic", topic).save()


def topic_messages(spark: Any, broker: KafkaBroker, topic: str) -> dict[tuple[int, int], bytes | None]:
    """Every message the topic holds, by (partition, offset)."""
    frame = spark.read.format("kafka").option("kafka.bootstrap.servers", broker.bootstrap_servers).option("subscribe", topic).load()
    return {(row.partition, row.offset): (bytes(row.value) if row.value is not None else None) for row in frame.collect()}


def delete_records(spark: Any, broker: KafkaBroker, topic: str, partition: int, before_offset: int) -> None:
    """Removes the partition's messages before `before_offset`, as retention does when it drops old segments."""
    jvm = spark.sparkContext._jvm
    # RecordsToDelete.beforeOffset is a static and an instance method at once, which py4j cannot tell
    # apart (it finds either, by chance): call the static one through reflection.
    gateway = spark.sparkContext._gateway
    parameter_types, arguments = gateway.new_array(jvm.java.lang.Class, 1), gateway.new_array(jvm.java.lang.Object, 1)
    parameter_types[0], arguments[0] = jvm.java.lang.Long.TYPE, jvm.java.lang.Long.valueOf(before_offset)
    with gs.admin_client(spark, {"bootstrap.servers": broker.bootstrap_servers}) as admin:
        records = jvm.java.lang.Class.forName("org.apache.kafka.clients.admin.RecordsToDelete", True, admin.getClass().getClassLoader())
        factory = records.getMethod("beforeOffset", parameter_types)
        admin.deleteRecords({jvm.org.apache.kafka.common.TopicPartition(topic, partition): factory.invoke(None, arguments)}).all().get()


# ---------------------------------------------------------------------------------------------
# What the job wrote


def local_path(uri: str) -> Path:
    return Path(uri[len("file://") :])


def bronze_schema(options: gs.Options) -> str:
    types = {"_op": "string", "_change_seq": "bigint", "_kafka_partition": "int", "_kafka_offset": "bigint", "_source": "string", "_batch_id": "string"}
    columns = [f"`{c.name}` {c.type}" for c in options.columns] + [f"`{name}` {types.get(name, 'timestamp')}" for name in options.metadata_columns]
    return ", ".join([*columns, f"`{options.partition_column}` string"])


def read_bronze(spark: Any, options: gs.Options) -> Any:
    """The dataset's bronze files as the bronze table reads them (declared and metadata columns, the partition)."""
    if options.format == "avro":
        return spark.read.format("avro").load(options.target_path)
    return spark.read.schema(bronze_schema(options)).option("timestampFormat", "yyyy-MM-dd HH:mm:ss[.SSSSSS]").json(options.target_path)


def read_quarantine(spark: Any, options: gs.Options) -> Any:
    schema = f"record string, reason string, _kafka_partition int, _kafka_offset bigint, _batch_id string, `{options.partition_column}` string"
    if not local_path(options.quarantine_path).exists():
        return spark.createDataFrame([], schema)
    return spark.read.schema(schema).json(options.quarantine_path)


def files_under(uri: str) -> list[str]:
    """Relative paths of the visible files under a folder (Hadoop's checksum files left out)."""
    root = local_path(uri)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and not path.name.startswith("."))
