"""Streaming ingestion of one Kafka topic (MSK Serverless, IAM authentication) into the bronze layer.

AWS Glue 4.0 streaming job (Spark Structured Streaming). The Glue job of a stream dataset passes
everything dataset-specific as job arguments (lib/lake/stream-arguments.ts builds them):

  --dataset, --domain          the dataset and its domain
  --topic                      the Kafka topic; --partitions and --retention_hours size it when the job creates it
  --cluster_arn                the MSK Serverless cluster; its IAM bootstrap servers are looked up at start
  --columns                    JSON list of {name, type, nullable}: the declared schema of a message
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

What the job does:
  1. Looks up the cluster's IAM bootstrap servers (kafka:GetBootstrapBrokers, through the VPC endpoint)
     and creates the topic with the definition's partitions and retention when it does not exist yet
     (MSK Serverless topics are not CloudFormation resources). An existing topic is left as it is; a
     partition count that differs from the definition is logged, never changed by the job.
  2. Reads the topic with Spark's Kafka source over SASL_SSL / AWS_MSK_IAM; offsets live in the
     checkpoint, so a restarted job continues where the last committed micro-batch ended.
  3. Per micro-batch: parses each message as JSON, casts it to the declared schema and adds the
     metadata columns (`_kafka_partition`, `_kafka_offset`, `_source`, `_batch_id` = <job run>-<micro-
     batch>, `_ingested_at`); appends the good records as JSON lines to
     s3://<bronze>/<domain>/<dataset>/<partition>=<YYYY-MM-DD>/ and registers the partition; messages
     that are not JSON, whose non-null values do not cast, or that lack a not-nullable column go whole,
     with the reason, to the quarantine prefix.
  Delivery is at least once: a micro-batch that failed after writing is written again when the job
  resumes from its checkpoint (under the new run's `_batch_id`); `_kafka_partition`/`_kafka_offset`
  identify each message exactly, and silver deduplicates on the dataset's keys. Schema evolution: the declared
  columns are the contract; fields a message has beyond them are not kept (bronze JSON holds the
  declared and metadata columns), declared fields a message lacks are typed nulls (a quarantine when
  the column is not nullable). CDC streams carry `_op` and `_change_seq` as message fields.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

# The batch ingestion script ships with the job (--extra-py-files): one argument reader, one column
# contract and one partition registration for batch and streaming.
from glue_ingest import TEXT_TIMESTAMP_FORMAT, Column, IngestionError, parse_columns, raw_arguments, register_partition, typed_column

LOG = logging.getLogger("glue_stream")

ARGUMENTS = [
    "JOB_NAME",
    "dataset",
    "domain",
    "topic",
    "partitions",
    "retention_hours",
    "cluster_arn",
    "columns",
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
TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
CORRUPT_RECORD = "_corrupt_record"
# The IAM login module and callback handler ship with Glue's Kafka connector (Glue 4.0 and later).
IAM_AUTH = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}


class StreamingError(Exception):
    """A problem the job cannot recover from; the message says what to fix."""


@dataclass(frozen=True)
class Options:
    job_name: str
    dataset: str
    domain: str
    topic: str
    partitions: int
    retention_hours: int
    cluster_arn: str
    columns: tuple[Column, ...]
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

    @property
    def target_path(self) -> str:
        return f"s3://{self.target_bucket}/{self.target_prefix}"

    @property
    def quarantine_path(self) -> str:
        return f"s3://{self.target_bucket}/{self.quarantine_prefix}"

    @property
    def checkpoint_path(self) -> str:
        return f"s3://{self.target_bucket}/{self.checkpoint_prefix}"

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
    raw = raw_arguments(argv, ARGUMENTS)
    problems = [f"--{name} is missing" for name in ARGUMENTS if name not in raw]
    if problems:
        raise StreamingError("; ".join(problems))
    columns: tuple[Column, ...] = ()
    try:
        columns = parse_columns(raw["columns"])
    except IngestionError as error:
        problems.append(str(error))
    if not TOPIC_NAME.match(raw["topic"]):
        problems.append(f"--topic {raw['topic']!r} is not a Kafka topic name (letters, digits, ._-, at most 249)")
    if not raw["cluster_arn"].startswith("arn:") or ":cluster/" not in raw["cluster_arn"]:
        problems.append(f"--cluster_arn {raw['cluster_arn']!r} is not an MSK cluster ARN")
    if raw["starting_offsets"] not in ("earliest", "latest"):
        problems.append(f"--starting_offsets {raw['starting_offsets']!r} must be earliest or latest")
    options = Options(
        job_name=raw["JOB_NAME"],
        dataset=raw["dataset"],
        domain=raw["domain"],
        topic=raw["topic"],
        partitions=whole_number("partitions", raw["partitions"], 1, 1024, problems),
        retention_hours=whole_number("retention_hours", raw["retention_hours"], 1, 87600, problems),
        cluster_arn=raw["cluster_arn"],
        columns=columns,
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
    )
    for prefix in ("target_prefix", "quarantine_prefix", "checkpoint_prefix"):
        if not raw[prefix].endswith("/") or raw[prefix].startswith("/"):
            problems.append(f"--{prefix} {raw[prefix]!r} must be a key prefix ending in / (and not starting with one)")
    if problems:
        raise StreamingError("; ".join(problems))
    return options


# ---------------------------------------------------------------------------------------------
# Kafka


def bootstrap_servers(response: Mapping[str, Any], cluster_arn: str) -> str:
    """The IAM bootstrap servers from a kafka:GetBootstrapBrokers response."""
    servers = response.get("BootstrapBrokerStringSaslIam")
    if not servers:
        raise StreamingError(f"cluster {cluster_arn} has no IAM bootstrap servers; its client authentication must be IAM")
    return servers


def client_properties(servers: str) -> dict[str, str]:
    """Kafka client properties (admin client) for IAM authentication."""
    return {"bootstrap.servers": servers, **IAM_AUTH}


def reader_options(options: Options, servers: str) -> dict[str, str]:
    """Options of Spark's Kafka source: IAM authentication, the topic, and the job's own consumer groups."""
    return {
        "subscribe": options.topic,
        "startingOffsets": options.starting_offsets,
        "maxOffsetsPerTrigger": str(options.max_offsets_per_trigger),
        # Retention may delete offsets the checkpoint still points at; losing them is logged, not fatal.
        "failOnDataLoss": "false",
        "groupIdPrefix": options.consumer_group_prefix,
        **{f"kafka.{key}": value for key, value in client_properties(servers).items()},
    }


def topic_configs(retention_hours: int) -> dict[str, str]:
    """Topic-level configs the job sets when it creates the topic."""
    return {"retention.ms": str(retention_hours * 3600 * 1000)}


def ensure_topic(spark: Any, options: Options, servers: str) -> None:
    """Creates the topic with the definition's partitions and retention unless it exists (Kafka AdminClient via the JVM)."""
    jvm = spark.sparkContext._jvm
    properties = jvm.java.util.Properties()
    for key, value in client_properties(servers).items():
        properties.setProperty(key, value)
    admin = jvm.org.apache.kafka.clients.admin.AdminClient.create(properties)
    try:
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
    finally:
        admin.close()


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
    """`_batch_id` of a micro-batch: the job run and the micro-batch number (unique per write)."""
    return f"{job_run_id}-{micro_batch}"


def conform(messages: Any, options: Options, batch: Mapping[str, str]) -> tuple[Any, Any]:
    """(records for bronze, quarantined messages) of one micro-batch of raw Kafka rows."""
    from pyspark.sql import functions as F  # noqa: N812 (Spark convention)

    cdc = all(name in options.metadata_columns for name in CDC_FIELDS)
    parsed = messages.select(
        F.col("value").cast("string").alias("_raw"),
        F.col("partition").alias("_kafka_partition"),
        F.col("offset").alias("_kafka_offset"),
        F.from_json(F.col("value").cast("string"), message_schema_ddl(options.columns, cdc), {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_RECORD}).alias("m"),
    )
    problems = [F.when(F.col(f"m.`{CORRUPT_RECORD}`").isNotNull() | F.col("m").isNull(), F.lit("message is not a JSON object"))]
    if cdc:
        problems += [F.when(F.col(f"m.`{name}`").isNull(), F.lit(f"{name}: missing in a change event")) for name in CDC_FIELDS]
    casts = []
    for column in options.columns:
        typed, column_problems = typed_column(F, F.col(f"m.`{column.name}`"), column)
        casts.append(typed)
        problems.extend(column_problems)
    metadata = {
        "_op": F.lower(F.col("m.`_op`")),
        "_change_seq": F.col("m.`_change_seq`").cast("bigint"),
        "_kafka_partition": F.col("_kafka_partition").cast("int"),
        "_kafka_offset": F.col("_kafka_offset").cast("bigint"),
        "_source": F.lit(options.source_description),
        "_batch_id": F.lit(batch["batch_id"]),
        "_ingested_at": F.lit(batch["ingested_at"]).cast("timestamp"),
    }
    unknown = [name for name in options.metadata_columns if name not in metadata]
    if unknown:
        raise StreamingError(f"--metadata_columns names {', '.join(unknown)}, which a stream does not deliver; stream metadata: {', '.join(metadata)}")
    checked = parsed.withColumn("_rejected_because", F.concat_ws("; ", *problems))
    good = checked.where(F.col("_rejected_because") == "").select(
        *casts, *[metadata[name].alias(name) for name in options.metadata_columns], F.lit(batch["partition_value"]).alias(options.partition_column)
    )
    bad = checked.where(F.col("_rejected_because") != "").select(
        F.col("_raw").alias("record"),
        F.col("_rejected_because").alias("reason"),
        F.col("_kafka_partition"),
        F.col("_kafka_offset"),
        F.lit(batch["batch_id"]).alias("_batch_id"),
        F.lit(batch["partition_value"]).alias(options.partition_column),
    )
    return good, bad


def main(argv: Sequence[str]) -> None:
    import boto3
    from awsglue.context import GlueContext
    from pyspark.context import SparkContext

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = parse_options(argv)
    job_run_id = raw_arguments(argv, ["JOB_RUN_ID"]).get("JOB_RUN_ID", f"manual-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}")
    spark = GlueContext(SparkContext.getOrCreate()).spark_session
    servers = bootstrap_servers(boto3.client("kafka").get_bootstrap_brokers(ClusterArn=options.cluster_arn), options.cluster_arn)
    ensure_topic(spark, options, servers)
    glue = boto3.client("glue")
    table = glue.get_table(DatabaseName=options.target_database, Name=options.target_table)["Table"]
    registered: set[str] = set()

    def land(messages: Any, micro_batch: int) -> None:
        started = datetime.now(timezone.utc)
        batch = {
            "batch_id": batch_identifier(job_run_id, micro_batch),
            "ingested_at": started.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "partition_value": started.strftime("%Y-%m-%d"),
        }
        good, bad = conform(messages, options, batch)
        good.cache()
        landed = good.count()
        if landed:
            # Timestamps as the bronze table (Hive JSON SerDe) reads them, the same as batch ingestion.
            good.write.mode("append").partitionBy(options.partition_column).option("timestampFormat", TEXT_TIMESTAMP_FORMAT).json(options.target_path)
            if batch["partition_value"] not in registered:
                register_partition(glue, options, table, batch["partition_value"])
                registered.add(batch["partition_value"])
        rejected = bad.count()
        if rejected:
            bad.write.mode("append").partitionBy(options.partition_column).json(options.quarantine_path)
            LOG.warning("%s: quarantined %d message(s) of micro-batch %s under %s", options.dataset, rejected, batch["batch_id"], options.quarantine_path)
        good.unpersist()
        LOG.info("%s: landed %d record(s) of micro-batch %s in %s", options.dataset, landed, batch["batch_id"], options.target_path)

    query = (
        spark.readStream.format("kafka")
        .options(**reader_options(options, servers))
        .load()
        .writeStream.foreachBatch(land)
        .option("checkpointLocation", options.checkpoint_path)
        .trigger(processingTime=f"{options.trigger_seconds} seconds")
        .queryName(options.job_name)
        .start()
    )
    query.awaitTermination()


if __name__ == "__main__":
    try:
        main(sys.argv)
    except StreamingError as failure:
        LOG.error("%s", failure)
        raise
