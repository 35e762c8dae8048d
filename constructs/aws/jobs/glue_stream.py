"""Streaming ingestion of one Kafka topic (MSK Serverless, IAM authentication) into the bronze layer.

AWS Glue 4.0 streaming job (Spark Structured Streaming). The Glue job of a stream dataset passes
everything dataset-specific as job arguments (lib/lake/stream-arguments.ts builds them):

  --dataset, --domain          the dataset and its domain
  --topic                      the Kafka topic; --partitions and --retention_hours size it when the job creates it
  --format                     json | avro: what a message is, and what bronze keeps (the bronze table's format)
  --message_schema             Avro only: the Avro schema messages are written with (plain Avro binary, no
                               framing): the stream's latest version in the schema registry
  --schema_registry/_name      the Glue Schema Registry registry and schema of the stream's message schema, and
  --schema_version             the version the job decodes with; the job refuses to start when the registry's
                               latest version is another one (a producer may be writing with it)
  --cluster_arn                the MSK Serverless cluster; its IAM bootstrap servers are looked up at start
  --columns                    JSON list of {name, type, nullable}: the declared schema of a message
  --keys                       the key columns: a CDC delete may carry only them (its other columns null)
  --metadata_columns           the ingestion metadata columns of the bronze table, in order
  --partition_column           bronze partition column (the UTC date the micro-batch landed)
  --source_description         what `_source` records
  --target_database/_table     the bronze Glue table (partitions are registered in it)
  --target_bucket/_prefix      where bronze data goes: s3://<bucket>/<domain>/<dataset>/
  --quarantine_prefix          where messages that break the declared schema go
  --checkpoint_prefix          Structured Streaming checkpoint (offsets, commits) under the bronze bucket
  --trigger_seconds            micro-batch interval
  --max_offsets_per_trigger    most messages one micro-batch reads (back-pressure after a pause)
  --starting_offsets           where a job without a checkpoint starts: earliest | latest

Layout: the core (below the "Core" line) takes a SparkSession, the parsed `Options` and a `Platform`:
the few things the runtime provides (the Kafka client properties: bootstrap servers and authentication;
registering a bronze partition). `GluePlatform` and `main` are the thin Glue entry point (GlueContext,
kafka:GetBootstrapBrokers and IAM authentication, the Data Catalog); test/streaming runs the same core
on local Spark against a local Kafka broker.

What the job does:
  1. Creates the topic with the definition's partitions and retention when it does not exist yet
     (MSK Serverless topics are not CloudFormation resources). An existing topic is left as it is; a
     partition count that differs from the definition is logged, never changed by the job.
  2. Reads the topic with Spark's Kafka source (on AWS over SASL_SSL / AWS_MSK_IAM); offsets live in
     the checkpoint, so a restarted job continues where the last committed micro-batch ended.
  3. Per micro-batch: parses each message as JSON, or decodes it with the message schema (Spark's
     Avro functions), casts it to the declared schema and adds the metadata columns
     (`_kafka_partition`, `_kafka_offset`, `_source`, `_batch_id` = <job run>-<micro-batch>,
     `_ingested_at`); lands the good records as one file
     s3://<bronze>/<domain>/<dataset>/<partition>=<YYYY-MM-DD>/part-<_batch_id>.<json|snappy.avro> (JSON lines,
     or an Avro file with the bronze table's schema) and registers the partition; messages that are not
     JSON or do not decode, whose non-null values do not cast, or that lack a not-nullable column go
     whole, with the reason, to one JSON file under the quarantine prefix (an Avro message as base64).
     Every message read lands once: in bronze or in the quarantine. Plain Avro carries no marker: bytes
     that happen to decode under the schema are taken for a message, and only the column checks catch them;
     a message that decodes to no field at all counts as one that does not decode.

Exactly once into bronze: before a micro-batch writes anything, the job records its `_batch_id`,
`_ingested_at` and partition in the checkpoint (landing/<micro-batch>.json). A micro-batch that Spark
runs again after a failure (its offsets are in the checkpoint, its commit is not) reads that record,
so it produces the same file names; a file is written to a staging folder under the checkpoint and
renamed into place only if it is not there yet. Readers see a micro-batch whole or not at all, and a
replay adds nothing. (`_kafka_partition`/`_kafka_offset` identify each message; duplicates the
producer sent are distinct messages, kept in bronze and removed by silver on the dataset's keys.)

Data loss: the Kafka source fails the query when offsets the checkpoint has not read are gone (the
topic's retention expired them, or they were deleted): `failOnDataLoss` is true. The job then stops
with an error naming the dataset, the topic and the lost offsets, and the Glue job run fails, every
time it is restarted, until someone decides: nothing is skipped silently. The error says how to go on.

Schema evolution: the declared columns are the contract; fields a message has beyond them are not kept
(bronze JSON holds the declared and metadata columns), declared fields a message lacks are typed nulls
(a quarantine when the column is not nullable). CDC streams carry `_op` and `_change_seq` as message
fields.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import reduce
from typing import Any, Callable, Iterator, Mapping, Protocol, Sequence

# The batch ingestion script ships with the job (--extra-py-files): one argument reader, one column
# contract, one bronze writer and one partition registration for batch and streaming.
from glue_ingest import Column, IngestionError, avro_schema_of, cdc_delete, parse_columns, raw_arguments, register_partition, split_list, typed_column, write_records

LOG = logging.getLogger("glue_stream")

ARGUMENTS = [
    "JOB_NAME",
    "dataset",
    "domain",
    "topic",
    "format",
    "partitions",
    "retention_hours",
    "cluster_arn",
    "columns",
    "keys",
    "metadata_columns",
    "partition_column",
    "source_description",
    "target_database",
    "target_table",
    "target_bucket",
    "target_prefix",
    "quarantine_prefix",
    "checkpoint_prefix",
    "trigger_seconds",
    "max_offsets_per_trigger",
    "starting_offsets",
]
# The registered schema the job decodes with (all three, or none).
REGISTRY_ARGUMENTS = ["schema_registry", "schema_name", "schema_version"]
OPTIONAL_ARGUMENTS = ["message_schema", *REGISTRY_ARGUMENTS]
TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
CORRUPT_RECORD = "_corrupt_record"
# The IAM login module and callback handler ship with Glue's Kafka connector (Glue 4.0 and later).
IAM_AUTH = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}
MESSAGE_FORMATS = ("json", "avro")
# How Spark's Kafka source words a failure for offsets that are gone (error class and message text).
DATA_LOSS_MARKERS = ("KAFKA_DATA_LOSS", "Some data may have been lost")


class StreamingError(Exception):
    """A problem the job cannot recover from; the message says what to fix."""


@dataclass(frozen=True)
class Options:
    job_name: str
    dataset: str
    domain: str
    topic: str
    format: str
    partitions: int
    retention_hours: int
    cluster_arn: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    metadata_columns: tuple[str, ...]
    partition_column: str
    source_description: str
    target_database: str
    target_table: str
    target_bucket: str
    target_prefix: str
    quarantine_prefix: str
    checkpoint_prefix: str
    trigger_seconds: int
    max_offsets_per_trigger: int
    starting_offsets: str
    # The Avro schema of the messages (Avro streams only).
    message_schema: str = ""
    # The registered schema the job decodes with: registry, schema name and version (absent: not checked).
    schema_registry: str = ""
    schema_name: str = ""
    schema_version: int = 0
    # Where buckets live: s3:// on AWS; a local folder URI (file:///…/) in tests.
    storage_root: str = "s3://"

    @property
    def target_path(self) -> str:
        return f"{self.storage_root}{self.target_bucket}/{self.target_prefix}"

    @property
    def quarantine_path(self) -> str:
        return f"{self.storage_root}{self.target_bucket}/{self.quarantine_prefix}"

    @property
    def checkpoint_path(self) -> str:
        return f"{self.storage_root}{self.target_bucket}/{self.checkpoint_prefix}"

    @property
    def landing_log_path(self) -> str:
        """Where each micro-batch's identity is recorded before it writes (see "Exactly once")."""
        return f"{self.checkpoint_path}landing/"

    @property
    def staging_path(self) -> str:
        """Where a micro-batch's files are written before they are renamed into bronze and the quarantine."""
        return f"{self.checkpoint_path}staging/"

    @property
    def consumer_group_prefix(self) -> str:
        """Prefix of the consumer groups Spark creates; the job role may use only groups with it."""
        return self.job_name


# ---------------------------------------------------------------------------------------------
# Arguments


def whole_number(name: str, text: str, low: int, high: int, problems: list[str]) -> int:
    if not re.fullmatch(r"[0-9]+", text or "") or not low <= int(text) <= high:
        problems.append(f"--{name} {text!r} must be a whole number from {low} to {high}")
        return low
    return int(text)


def parse_options(argv: Sequence[str]) -> Options:
    """The job's options; one StreamingError listing every missing or bad argument."""
    raw = raw_arguments(argv, [*ARGUMENTS, *OPTIONAL_ARGUMENTS])
    problems = [f"--{name} is missing" for name in ARGUMENTS if name not in raw]
    if problems:
        raise StreamingError("; ".join(problems))
    columns: tuple[Column, ...] = ()
    try:
        columns = parse_columns(raw["columns"])
    except IngestionError as error:
        problems.append(str(error))
    keys = tuple(split_list(raw["keys"]))
    undeclared = [key for key in keys if columns and key not in {column.name for column in columns}]
    if not keys or undeclared:
        problems.append(f"--keys {raw['keys']!r} must name one or more declared columns ({', '.join(column.name for column in columns)})")
    if not TOPIC_NAME.match(raw["topic"]):
        problems.append(f"--topic {raw['topic']!r} is not a Kafka topic name (letters, digits, ._-, at most 249)")
    if not raw["cluster_arn"].startswith("arn:") or ":cluster/" not in raw["cluster_arn"]:
        problems.append(f"--cluster_arn {raw['cluster_arn']!r} is not an MSK cluster ARN")
    if raw["format"] not in MESSAGE_FORMATS:
        problems.append(f"--format {raw['format']!r} is not a message format the job reads; supported: {', '.join(MESSAGE_FORMATS)}")
    if raw["format"] == "avro":
        problems.extend(message_schema_problems(raw.get("message_schema"), columns))
    registry = [name for name in REGISTRY_ARGUMENTS if raw.get(name)]
    if registry and len(registry) < len(REGISTRY_ARGUMENTS):
        problems.append(f"--{', --'.join(REGISTRY_ARGUMENTS)} go together; given only --{', --'.join(registry)}")
    if raw["starting_offsets"] not in ("earliest", "latest"):
        problems.append(f"--starting_offsets {raw['starting_offsets']!r} must be earliest or latest")
    options = Options(
        job_name=raw["JOB_NAME"],
        dataset=raw["dataset"],
        domain=raw["domain"],
        topic=raw["topic"],
        format=raw["format"],
        partitions=whole_number("partitions", raw["partitions"], 1, 1024, problems),
        retention_hours=whole_number("retention_hours", raw["retention_hours"], 1, 87600, problems),
        cluster_arn=raw["cluster_arn"],
        columns=columns,
        keys=keys,
        metadata_columns=tuple(name for name in raw["metadata_columns"].split(",") if name),
        partition_column=raw["partition_column"],
        source_description=raw["source_description"],
        target_database=raw["target_database"],
        target_table=raw["target_table"],
        target_bucket=raw["target_bucket"],
        target_prefix=raw["target_prefix"],
        quarantine_prefix=raw["quarantine_prefix"],
        checkpoint_prefix=raw["checkpoint_prefix"],
        trigger_seconds=whole_number("trigger_seconds", raw["trigger_seconds"], 1, 3600, problems),
        max_offsets_per_trigger=whole_number("max_offsets_per_trigger", raw["max_offsets_per_trigger"], 1, 100_000_000, problems),
        starting_offsets=raw["starting_offsets"],
        message_schema=raw.get("message_schema", "") if raw["format"] == "avro" else "",
        schema_registry=raw.get("schema_registry", ""),
        schema_name=raw.get("schema_name", ""),
        schema_version=whole_number("schema_version", raw["schema_version"], 1, 1_000_000, problems) if raw.get("schema_version") else 0,
    )
    for prefix in ("target_prefix", "quarantine_prefix", "checkpoint_prefix"):
        if not raw[prefix].endswith("/") or raw[prefix].startswith("/"):
            problems.append(f"--{prefix} {raw[prefix]!r} must be a key prefix ending in / (and not starting with one)")
    if problems:
        raise StreamingError("; ".join(problems))
    return options


def registered_schema_problem(options: Options, latest_version: int, latest_definition: str) -> str | None:
    """Why the job must not decode with its schema: the registry's latest version is another one, or (Avro)
    the registered definition of its version is not the schema it was deployed with."""
    schema = f"{options.schema_registry}/{options.schema_name}"
    if latest_version != options.schema_version:
        return (
            f"the schema registry's latest version of {schema} is v{latest_version}, but this job decodes with "
            f"v{options.schema_version}: producers may write messages it cannot read; deploy the platform so that the job "
            "and the registry agree (schema/streams/ holds the versions)"
        )
    if options.format == "avro" and json.loads(latest_definition) != json.loads(options.message_schema):
        return f"v{latest_version} of {schema} in the registry is not the schema this job was deployed with; a registered version was changed outside the deployment"
    return None


def message_schema_problems(text: str | None, columns: Sequence[Column]) -> list[str]:
    """What is wrong with the Avro schema of an Avro stream's messages: it must be a record with every declared column."""
    if not text:
        return ["--message_schema is missing: an Avro stream needs the Avro schema its messages are written with"]
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        return [f"--message_schema is not JSON: {error}"]
    if not isinstance(schema, dict) or schema.get("type") != "record" or not isinstance(schema.get("fields"), list):
        return ["--message_schema must be an Avro record schema ({\"type\": \"record\", \"fields\": [...]})"]
    fields = {field.get("name") for field in schema["fields"] if isinstance(field, dict)}
    missing = [column.name for column in columns if column.name not in fields]
    return [f"--message_schema has no field for the declared column(s) {', '.join(missing)}"] if missing else []


class Platform(Protocol):
    """What the runtime provides the core: GluePlatform on AWS, a local implementation in the tests."""

    def kafka_properties(self, options: Options) -> dict[str, str]:
        """Kafka client properties: `bootstrap.servers` and how to authenticate."""

    def register_partition(self, options: Options, partition_value: str) -> None:
        """Makes a bronze partition visible to the table's readers (called again for a known one: ignore it)."""

    def bronze_avro_schema(self, options: Options) -> str:
        """The Avro schema the bronze table declares (Avro streams only): bronze Avro files are written with it."""


# ---------------------------------------------------------------------------------------------
# Kafka


def bootstrap_servers(response: Mapping[str, Any], cluster_arn: str) -> str:
    """The IAM bootstrap servers from a kafka:GetBootstrapBrokers response."""
    servers = response.get("BootstrapBrokerStringSaslIam")
    if not servers:
        raise StreamingError(f"cluster {cluster_arn} has no IAM bootstrap servers; its client authentication must be IAM")
    return servers


def iam_client_properties(servers: str) -> dict[str, str]:
    """Kafka client properties for MSK with IAM authentication."""
    return {"bootstrap.servers": servers, **IAM_AUTH}


def reader_options(options: Options, properties: Mapping[str, str]) -> dict[str, str]:
    """Options of Spark's Kafka source: the client properties, the topic, and the job's own consumer groups."""
    return {
        "subscribe": options.topic,
        "startingOffsets": options.starting_offsets,
        "maxOffsetsPerTrigger": str(options.max_offsets_per_trigger),
        # Offsets the checkpoint has not read that Kafka no longer holds stop the job (see "Data loss").
        "failOnDataLoss": "true",
        "groupIdPrefix": options.consumer_group_prefix,
        **{f"kafka.{key}": value for key, value in properties.items()},
    }


def topic_configs(retention_hours: int) -> dict[str, str]:
    """Topic-level configs the job sets when it creates the topic."""
    return {"retention.ms": str(retention_hours * 3600 * 1000)}


@contextmanager
def admin_client(spark: Any, properties: Mapping[str, str]) -> Iterator[Any]:
    """Kafka's AdminClient in Spark's JVM (the Kafka client Spark's Kafka source ships), closed after use."""
    jvm = spark.sparkContext._jvm
    client_properties = jvm.java.util.Properties()
    for key, value in properties.items():
        client_properties.setProperty(key, value)
    admin = jvm.org.apache.kafka.clients.admin.AdminClient.create(client_properties)
    try:
        yield admin
    finally:
        admin.close()


def ensure_topic(spark: Any, options: Options, properties: Mapping[str, str]) -> None:
    """Creates the topic with the definition's partitions and retention unless it exists."""
    jvm = spark.sparkContext._jvm
    with admin_client(spark, properties) as admin:
        existing = admin.listTopics().names().get()
        if existing.contains(options.topic):
            described = admin.describeTopics(jvm.java.util.Collections.singletonList(options.topic)).allTopicNames().get().get(options.topic)
            found = described.partitions().size()
            if found != options.partitions:
                LOG.warning("topic %s has %d partition(s), the definition says %d; the job does not change an existing topic", options.topic, found, options.partitions)
            return
        configs = jvm.java.util.HashMap()
        for key, value in topic_configs(options.retention_hours).items():
            configs.put(key, value)
        # Replication is the broker's (MSK Serverless replicates every partition three times).
        topic = jvm.org.apache.kafka.clients.admin.NewTopic(options.topic, jvm.java.util.Optional.of(options.partitions), jvm.java.util.Optional.empty()).configs(configs)
        try:
            admin.createTopics(jvm.java.util.Collections.singletonList(topic)).all().get()
            LOG.info("created topic %s (%d partitions, retention %d h)", options.topic, options.partitions, options.retention_hours)
        except Exception as error:  # py4j wraps the Java exception; another job may have created it meanwhile
            if "TopicExistsException" not in str(error):
                raise


def earliest_offsets(spark: Any, options: Options, properties: Mapping[str, str]) -> dict[int, int]:
    """The first offset Kafka still holds in each partition of the topic."""
    jvm = spark.sparkContext._jvm
    with admin_client(spark, properties) as admin:
        described = admin.describeTopics(jvm.java.util.Collections.singletonList(options.topic)).allTopicNames().get().get(options.topic)
        wanted = jvm.java.util.HashMap()
        for info in described.partitions():
            wanted.put(jvm.org.apache.kafka.common.TopicPartition(options.topic, info.partition()), jvm.org.apache.kafka.clients.admin.OffsetSpec.earliest())
        found = admin.listOffsets(wanted).all().get()
        return {int(partition.partition()): int(found.get(partition).offset()) for partition in found.keySet()}


def lost_offsets(committed: Mapping[int, int], earliest: Mapping[int, int]) -> list[tuple[int, int, int]]:
    """(partition, first lost offset, first offset still held) where Kafka dropped offsets the job had not read."""
    return sorted((partition, committed[partition], first) for partition, first in earliest.items() if partition in committed and first > committed[partition])


def data_loss_message(options: Options, failure: str, lost: Sequence[tuple[int, int, int]] = ()) -> str | None:
    """The job's error for a query that failed because offsets it had not read are gone; None for other failures."""
    if not any(marker in failure for marker in DATA_LOSS_MARKERS):
        return None
    # Spark's reason follows its data-loss text ("Reason: Could not read records in offset [a, b) for …").
    loss = failure[min(failure.index(marker) for marker in DATA_LOSS_MARKERS if marker in failure) :]
    reason = re.search(r"Reason: ([^\n]*)", loss)
    detail = reason.group(1).strip() if reason else loss.splitlines()[0].strip()
    gaps = "; ".join(f"partition {partition}: offsets {first} to {kept - 1} ({kept - first} message(s))" for partition, first, kept in lost)
    return (
        f"dataset {options.dataset}: messages of topic {options.topic} are gone before this job read them"
        f"{f' ({gaps})' if gaps else ''}: the topic's retention ({options.retention_hours} h) expired them or they were deleted, "
        f"and the job stops rather than skip them. Bronze holds every message before the gap and nothing after it. To go on: "
        f"re-publish the lost messages if their producer can, then move the checkpoint {options.checkpoint_path} aside and start "
        f"the job: it reads the topic from the earliest offset Kafka still holds, and silver removes messages landed twice on "
        f"the dataset's keys (_kafka_partition and _kafka_offset identify them in bronze). Spark said: {detail}"
    )


# ---------------------------------------------------------------------------------------------
# Records


CDC_FIELDS = ("_op", "_change_seq")


def message_schema_ddl(columns: Sequence[Column], cdc: bool = False) -> str:
    """The schema messages are parsed with: every declared column (and the CDC fields of a CDC stream)
    as STRING, cast later so that a bad value quarantines its message instead of turning into null,
    plus the corrupt-record column."""
    names = [column.name for column in columns] + (list(CDC_FIELDS) if cdc else [])
    return ", ".join([*(f"`{name}` STRING" for name in names), f"`{CORRUPT_RECORD}` STRING"])


def batch_identifier(job_run_id: str, micro_batch: int) -> str:
    """`_batch_id` of a micro-batch: the job run that first ran it and the micro-batch number (unique per write)."""
    return f"{job_run_id}-{micro_batch}"


@dataclass(frozen=True)
class MicroBatch:
    """The identity of one micro-batch's output, fixed the first time it runs: its replays reuse it."""

    number: int
    batch_id: str
    ingested_at: str
    partition_value: str

    @staticmethod
    def starting(job_run_id: str, number: int, started: datetime) -> "MicroBatch":
        return MicroBatch(number, batch_identifier(job_run_id, number), started.strftime("%Y-%m-%d %H:%M:%S.%f"), started.strftime("%Y-%m-%d"))

    def to_json(self) -> str:
        return json.dumps({"batch_id": self.batch_id, "ingested_at": self.ingested_at, "partition_value": self.partition_value})

    @staticmethod
    def from_json(number: int, text: str) -> "MicroBatch":
        value = json.loads(text)
        return MicroBatch(number, value["batch_id"], value["ingested_at"], value["partition_value"])


def conform(messages: Any, options: Options, batch: MicroBatch) -> tuple[Any, Any]:
    """(records for bronze, quarantined messages) of one micro-batch of raw Kafka rows."""
    from pyspark.sql import functions as F  # noqa: N812 (Spark convention)

    cdc = all(name in options.metadata_columns for name in CDC_FIELDS)
    if options.format == "avro":
        from pyspark.sql.avro.functions import from_avro

        parsed = messages.select(
            F.base64(F.col("value")).alias("_raw"),
            F.col("partition").alias("_kafka_partition"),
            F.col("offset").alias("_kafka_offset"),
            from_avro(F.col("value"), options.message_schema, {"mode": "PERMISSIVE"}).alias("m"),
        )
        # Spark's PERMISSIVE from_avro gives a record of nulls (or null) for bytes it cannot decode.
        fields = [F.col(f"m.`{name}`").isNull() for name in [column.name for column in options.columns] + (list(CDC_FIELDS) if cdc else [])]
        undecodable = F.col("m").isNull() | reduce(lambda left, right: left & right, fields)
        unreadable = "message is not Avro of the dataset's message schema"
    else:
        parsed = messages.select(
            F.col("value").cast("string").alias("_raw"),
            F.col("partition").alias("_kafka_partition"),
            F.col("offset").alias("_kafka_offset"),
            F.from_json(F.col("value").cast("string"), message_schema_ddl(options.columns, cdc), {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_RECORD}).alias("m"),
        )
        undecodable, unreadable = F.col(f"m.`{CORRUPT_RECORD}`").isNotNull() | F.col("m").isNull(), "message is not a JSON object"
    problems = [F.when(F.col(f"m.`{name}`").isNull(), F.lit(f"{name}: missing in a change event")) for name in CDC_FIELDS] if cdc else []
    delete = cdc_delete(F, F.col("m.`_op`")) if cdc else None
    casts = []
    for column in options.columns:
        typed, column_problems = typed_column(F, F.col(f"m.`{column.name}`"), column, delete if column.name not in options.keys else None)
        casts.append(typed)
        problems.extend(column_problems)
    metadata = {
        "_op": F.lower(F.col("m.`_op`")),
        "_change_seq": F.col("m.`_change_seq`").cast("bigint"),
        "_kafka_partition": F.col("_kafka_partition").cast("int"),
        "_kafka_offset": F.col("_kafka_offset").cast("bigint"),
        "_source": F.lit(options.source_description),
        "_batch_id": F.lit(batch.batch_id),
        "_ingested_at": F.lit(batch.ingested_at).cast("timestamp"),
    }
    unknown = [name for name in options.metadata_columns if name not in metadata]
    if unknown:
        raise StreamingError(f"--metadata_columns names {', '.join(unknown)}, which a stream does not deliver; stream metadata: {', '.join(metadata)}")
    # A message that does not parse has no fields to check: that is its only reason.
    reason = F.when(undecodable, F.lit(unreadable)).otherwise(F.concat_ws("; ", *problems))
    checked = parsed.withColumn("_rejected_because", reason)
    good = checked.where(F.col("_rejected_because") == "").select(
        *casts, *[metadata[name].alias(name) for name in options.metadata_columns], F.lit(batch.partition_value).alias(options.partition_column)
    )
    bad = checked.where(F.col("_rejected_because") != "").select(
        F.col("_raw").alias("record"),
        F.col("_rejected_because").alias("reason"),
        F.col("_kafka_partition"),
        F.col("_kafka_offset"),
        F.lit(batch.batch_id).alias("_batch_id"),
        F.lit(batch.partition_value).alias(options.partition_column),
    )
    return good, bad


# ---------------------------------------------------------------------------------------------
# Core (Spark, no Glue): runs the same on Glue and on local Spark


class Files:
    """The few file operations landing needs, through Hadoop's FileSystem: s3:// on Glue, file:// locally."""

    def __init__(self, spark: Any) -> None:
        self.jvm = spark.sparkContext._jvm
        self.configuration = spark.sparkContext._jsc.hadoopConfiguration()

    def _resolve(self, uri: str) -> tuple[Any, Any]:
        path = self.jvm.org.apache.hadoop.fs.Path(uri)
        return path, path.getFileSystem(self.configuration)

    def exists(self, uri: str) -> bool:
        path, fs = self._resolve(uri)
        return bool(fs.exists(path))

    def read_text(self, uri: str) -> str:
        path, fs = self._resolve(uri)
        stream = fs.open(path)
        try:
            return str(self.jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
        finally:
            stream.close()

    def write_text(self, uri: str, text: str) -> None:
        path, fs = self._resolve(uri)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def list(self, uri: str) -> list[str]:
        """The names in a folder (none when it does not exist)."""
        path, fs = self._resolve(uri)
        return [str(status.getPath().getName()) for status in fs.listStatus(path)] if fs.exists(path) else []

    def rename(self, source: str, destination: str) -> None:
        target, fs = self._resolve(destination)
        fs.mkdirs(target.getParent())
        if not fs.rename(self.jvm.org.apache.hadoop.fs.Path(source), target):
            raise StreamingError(f"could not move {source} to {destination}")

    def delete(self, uri: str) -> None:
        path, fs = self._resolve(uri)
        fs.delete(path, True)


def micro_batch(files: Files, options: Options, job_run_id: str, number: int, now: datetime) -> MicroBatch:
    """The identity of micro-batch `number`: the one recorded when it first ran, else a new one, recorded now."""
    record = f"{options.landing_log_path}{number}.json"
    if files.exists(record):
        batch = MicroBatch.from_json(number, files.read_text(record))
        LOG.warning("%s: micro-batch %d runs again (it did not commit); it lands as %s, the files it already placed stay", options.dataset, number, batch.batch_id)
        return batch
    batch = MicroBatch.starting(job_run_id, number, now)
    # Written aside and renamed: a stop while writing leaves no half record for the next run to trip on.
    files.write_text(f"{record}.tmp", batch.to_json())
    files.rename(f"{record}.tmp", record)
    return batch


def place(files: Files, staged: str, folder: str, batch_id: str) -> str:
    """Moves the one part file Spark wrote under `staged` to <folder>/part-<batch_id>.<extension>, unless an
    earlier run of the micro-batch placed it already; returns its URI."""
    parts = [name for name in files.list(staged) if name.startswith("part-")]
    if len(parts) != 1:
        raise StreamingError(f"expected one part file under {staged}, found {len(parts)}")
    destination = f"{folder}part-{batch_id}.{parts[0].partition('.')[2]}"
    if not files.exists(destination):
        files.rename(f"{staged}{parts[0]}", destination)
    return destination


def lander(spark: Any, options: Options, platform: Platform, job_run_id: str, clock: Callable[[], datetime]) -> Callable[[Any, int], None]:
    """The foreachBatch function: lands one micro-batch of Kafka rows in bronze and the quarantine, exactly once."""
    from pyspark import StorageLevel

    files = Files(spark)
    bronze_schema = platform.bronze_avro_schema(options) if options.format == "avro" else None

    def land(messages: Any, number: int) -> None:
        batch = micro_batch(files, options, job_run_id, number, clock())
        staging = f"{options.staging_path}{number}/"
        messages = messages.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            good, bad = conform(messages, options, batch)
            landed, rejected = good.count(), bad.count()
            if landed:
                # One file per micro-batch, renamed into place: readers see all of it or none of it.
                staged = f"{staging}bronze/"
                write_records(good.drop(options.partition_column).coalesce(1).write.mode("overwrite"), options.format, staged, bronze_schema)
                place(files, staged, f"{options.target_path}{options.partition_column}={batch.partition_value}/", batch.batch_id)
                platform.register_partition(options, batch.partition_value)
            if rejected:
                staged = f"{staging}quarantine/"
                bad.drop(options.partition_column).coalesce(1).write.mode("overwrite").json(staged)
                place(files, staged, f"{options.quarantine_path}{options.partition_column}={batch.partition_value}/", batch.batch_id)
                LOG.warning("%s: quarantined %d message(s) of micro-batch %s under %s", options.dataset, rejected, batch.batch_id, options.quarantine_path)
        finally:
            messages.unpersist()
        files.delete(staging)
        # Only the last micro-batch can run again; the records of earlier ones are done with.
        for name in files.list(options.landing_log_path):
            if re.fullmatch(r"[0-9]+\.json(\.tmp)?", name) and int(name.split(".")[0]) < number:
                files.delete(f"{options.landing_log_path}{name}")
        LOG.info("%s: landed %d record(s) of micro-batch %s in %s", options.dataset, landed, batch.batch_id, options.target_path)

    return land


def start(
    spark: Any,
    options: Options,
    platform: Platform,
    job_run_id: str,
    trigger: Mapping[str, Any] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> Any:
    """Creates the topic if needed and starts the streaming query; returns it (a StreamingQuery).

    `trigger` defaults to a micro-batch every --trigger_seconds; `clock` gives a micro-batch's landing time (UTC)."""
    properties = platform.kafka_properties(options)
    ensure_topic(spark, options, properties)
    writer = (
        spark.readStream.format("kafka")
        .options(**reader_options(options, properties))
        .load()
        .writeStream.foreachBatch(lander(spark, options, platform, job_run_id, clock))
        .option("checkpointLocation", options.checkpoint_path)
        .queryName(options.job_name)
    )
    return writer.trigger(**(trigger or {"processingTime": f"{options.trigger_seconds} seconds"})).start()


def committed_offsets(files: Files, options: Options) -> dict[int, int]:
    """Where the checkpoint's last committed micro-batch ended, per partition of the topic (empty before the first)."""
    commits = [int(name) for name in files.list(f"{options.checkpoint_path}commits") if name.isdigit()]
    if not commits:
        return {}
    # An offsets file is a version line, the batch's metadata, then one JSON line per source.
    source = json.loads(files.read_text(f"{options.checkpoint_path}offsets/{max(commits)}").strip().splitlines()[-1])
    return {int(partition): int(offset) for partition, offset in source.get(options.topic, {}).items()}


def await_termination(spark: Any, query: Any, options: Options, platform: Platform, timeout_seconds: float | None = None) -> None:
    """Waits for the query to end; a query that lost messages raises StreamingError naming the partitions and offsets."""
    from pyspark.errors import StreamingQueryException

    try:
        query.awaitTermination(timeout_seconds) if timeout_seconds is not None else query.awaitTermination()
    except StreamingQueryException as failure:
        if data_loss_message(options, str(failure)) is None:
            raise
        try:
            lost = lost_offsets(committed_offsets(Files(spark), options), earliest_offsets(spark, options, platform.kafka_properties(options)))
        except Exception as error:  # noqa: BLE001 - the gap's extent is a detail; the data loss is the error to report
            LOG.warning("%s: could not measure the lost offsets: %s", options.dataset, error)
            lost = []
        raise StreamingError(data_loss_message(options, str(failure), lost)) from None


# ---------------------------------------------------------------------------------------------
# Glue entry point (the only part that imports awsglue and boto3)


class GluePlatform:
    """The Platform on AWS Glue: the MSK cluster's IAM bootstrap servers and the Data Catalog."""

    def __init__(self, clients: Callable[[str], Any] | None = None) -> None:
        self._clients = clients
        self._table: Mapping[str, Any] | None = None

    def client(self, service: str) -> Any:
        if self._clients is None:
            import boto3

            self._clients = boto3.client
        return self._clients(service)

    def kafka_properties(self, options: Options) -> dict[str, str]:
        response = self.client("kafka").get_bootstrap_brokers(ClusterArn=options.cluster_arn)
        return iam_client_properties(bootstrap_servers(response, options.cluster_arn))

    def table(self, options: Options) -> Mapping[str, Any]:
        if self._table is None:
            self._table = self.client("glue").get_table(DatabaseName=options.target_database, Name=options.target_table)["Table"]
        return self._table

    def register_partition(self, options: Options, partition_value: str) -> None:
        register_partition(self.client("glue"), options, self.table(options), partition_value)

    def bronze_avro_schema(self, options: Options) -> str:
        return avro_schema_of(self.table(options))

    def check_registered_schema(self, options: Options) -> None:
        """Refuses to start when the registry's latest version of the stream's schema is not the job's."""
        if not options.schema_registry:
            return
        latest = self.client("glue").get_schema_version(
            SchemaId={"RegistryName": options.schema_registry, "SchemaName": options.schema_name},
            SchemaVersionNumber={"LatestVersion": True},
        )
        problem = registered_schema_problem(options, latest["VersionNumber"], latest["SchemaDefinition"])
        if problem:
            raise StreamingError(problem)


def main(argv: Sequence[str]) -> None:
    from awsglue.context import GlueContext
    from pyspark.context import SparkContext

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = parse_options(argv)
    job_run_id = raw_arguments(argv, ["JOB_RUN_ID"]).get("JOB_RUN_ID", f"manual-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}")
    spark = GlueContext(SparkContext.getOrCreate()).spark_session
    platform = GluePlatform()
    # The bronze table is read once at start: a missing table fails the job before it reads a message.
    platform.table(options)
    platform.check_registered_schema(options)
    await_termination(spark, start(spark, options, platform, job_run_id), options, platform)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except StreamingError as failure:
        LOG.error("%s", failure)
        # The message says what to fix; a stack trace would only hide it.
        raise SystemExit(f"streaming failed: {failure}") from None
