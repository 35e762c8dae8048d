"""Delta Live Tables pipeline of one stream domain: Kafka (Event Hubs) -> bronze -> silver -> gold.

Everything specific to a domain comes from the pipeline configuration that the lakehouse stack writes
from the platform definition (``platform.*`` keys), so adding a stream dataset to ``platform.yaml``
adds its tables here without touching this file:

* bronze ``<dataset>_raw``: every Kafka record as received (value, key, topic, partition, offset,
  broker timestamp) plus the ingestion time. Nothing is parsed or filtered, so bronze can always be
  replayed.
* bronze ``<dataset>``: the dataset's bronze table, which the dbt sources read on Databricks
  (``<catalog>.bronze.<dataset>``): each record of ``<dataset>_raw`` decoded with the dataset's columns
  (the decoding silver uses, JSON or Avro) followed by the bronze metadata columns of the AWS layout,
  exactly those the configuration lists (``metadataColumns``, from lib/lake/layout.ts
  ``bronzeMetadataColumns``), in that order and cast to those types: for a CDC stream ``_op`` (lower
  case) and ``_change_seq`` from the message, then ``_kafka_partition`` and ``_kafka_offset`` (the
  record's coordinates), ``_source`` (``kafka:<topic>``, ``source`` in the configuration), ``_batch_id``
  and ``_ingested_at`` (when the record landed in ``<dataset>_raw``). Quality rules do not filter it:
  bronze is raw, and dbt's silver quarantines what breaks them; a duplicate the producer sent is a
  record of its own, removed on the keys downstream.

  ``_batch_id`` is the id of the pipeline update that wrote the record (``spark.pipelines.updateId``,
  which the Databricks runtime sets for each update; the event log's ``origin.update_id``). A DLT
  streaming table has no per-micro-batch hook, so the update is the batch: a triggered update reads
  what arrived since the last one, a continuous update runs until it is stopped; with
  ``_kafka_partition`` and ``_kafka_offset`` it traces every record to the run that landed it. A pipeline
  whose runtime does not set the key fails when the graph is built, naming it, rather than land records
  with a made-up batch id.

  A message that does not decode (not JSON, not Avro of the stream's schema, or no declared field at
  all) is not in bronze, as on AWS, where the streaming job quarantines it instead of landing it: it
  stays in ``<dataset>_raw``, goes to ``<dataset>_quarantine`` (rule ``payload_decodes``) and is counted
  by that expectation in the event log, so ``_raw`` = bronze + messages that failed ``payload_decodes``.
  Unlike AWS, a decoded message with a null in a non-nullable column is kept in bronze (the AWS job
  quarantines it at ingestion); dbt's silver quarantines it with its reason.
* silver ``<dataset>``: records parsed with the dataset's columns that pass every quality rule of the
  definition, deduplicated on the dataset's keys. ``<dataset>_quarantine`` keeps every record that fails
  a rule, with the names of the rules it failed: invalid rows are set aside, never silently dropped, and
  the expectation metrics in the pipeline event log count them.
* a dataset whose messages are change events (``cdc`` in the configuration, from ``cdc: true`` in the
  definition) carries ``_op`` (insert, update, delete) and ``_change_seq`` (commit order in the source)
  in each message, as the bronze CDC layout names them. Its silver table is an AUTO CDC target: the
  latest change of each key by ``_change_seq`` wins whatever order changes arrive in, a change seen
  again is applied once, deletes remove the key; SCD type 1 keeps the current row of each key, type 2
  (``cdc.scdType``) every version with ``__START_AT``/``__END_AT``.
* gold ``<dataset>_daily``: records, distinct keys and quarantined records per day of event time (the
  current rows of an SCD type 2 table).

The table names come with each dataset (``tables``: raw, bronze, silver, quarantine, gold), so that the
platform plans their Unity Catalog grants from the same names; the table grants job applies them (a
pipeline cannot grant on its own tables).

Kafka credentials: the Event Hubs namespace accepts Entra ID (OAuth) only. The client id and secret of
the ingestion application are read from the Key Vault-backed secret scope named in the configuration;
they never appear in code, configuration or Terraform state.

What the definition says about a dataset becomes schemas, quality predicates and Kafka options in
stream_rules.py (pure Python, unit tested); this file wires them into Delta Live Tables. It runs
locally on Spark, Delta Lake and a Kafka broker through test/streaming/local_dlt.py.
"""

import json

import dlt
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# The pipeline's root folder (where the platform deploys this file) is on sys.path.
from stream_rules import (
    CHANGE_OPERATION,
    CHANGE_SEQUENCE,
    DELETE,
    avro_schema,
    change_columns,
    change_data,
    ddl_schema,
    event_time_column,
    kafka_source_options,
    message_columns,
    quality_rules,
)

CONF_PREFIX = "platform."
# Set by the Databricks runtime to the id of the running pipeline update: what bronze `_batch_id` records.
UPDATE_ID_KEY = "spark.pipelines.updateId"
# Spark's name for the text of a JSON message that does not parse (kept out of the decoded record).
CORRUPT_RECORD = "_corrupt_record"


def conf(key: str) -> str:
    """A pipeline configuration value; fails with the key's name when the pipeline lacks it."""
    value = spark.conf.get(CONF_PREFIX + key, None)  # noqa: F821 - provided by the DLT runtime
    if value is None:
        raise KeyError(f"pipeline configuration {CONF_PREFIX}{key} is not set; the lakehouse stack writes it")
    return value


CATALOG = conf("catalog")
SCHEMAS = {layer: conf(f"schema.{layer}") for layer in ("bronze", "silver", "gold")}
DATASETS = json.loads(conf("datasets"))


def table_name(layer: str, table: str) -> str:
    """Fully qualified Unity Catalog name of a table of a layer."""
    return f"{CATALOG}.{SCHEMAS[layer]}.{table}"


def kafka_options(topic: str) -> dict:
    """Spark Kafka source options for one topic, with the credentials read from the secret scope."""
    scope = conf("kafka.secretScope")
    return kafka_source_options(
        topic=topic,
        namespace_host=conf("kafka.namespaceHost"),
        token_endpoint=conf("kafka.tokenEndpoint"),
        client_id=dbutils.secrets.get(scope, conf("kafka.clientIdSecret")),  # noqa: F821 - DLT runtime
        client_secret=dbutils.secrets.get(scope, conf("kafka.clientSecretSecret")),  # noqa: F821
        consumer_group=conf("kafka.consumerGroup"),
        max_offsets_per_trigger=conf("kafka.maxOffsetsPerTrigger"),
    )


def parsed_payload(dataset: dict) -> Column:
    """The Kafka value decoded into a struct of the message's fields; null when it does not decode.

    A value that is not JSON (or not Avro of the dataset's schema), or that decodes to no field at all,
    does not decode: Spark's PERMISSIVE parsers give a record of nulls for it rather than a null.
    """
    fields = [column["name"] for column in message_columns(dataset)]
    if dataset["format"] == "avro":
        from pyspark.sql.avro.functions import from_avro

        decoded = from_avro(F.col("value"), avro_schema(dataset), {"mode": "PERMISSIVE"})
        readable = decoded.isNotNull()
    else:
        schema = ddl_schema([*message_columns(dataset), {"name": CORRUPT_RECORD, "type": "string"}])
        parsed = F.from_json(F.col("value").cast("string"), schema, {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_RECORD})
        readable = parsed.isNotNull() & parsed[CORRUPT_RECORD].isNull()
        decoded = parsed.dropFields(CORRUPT_RECORD)
    any_field = F.greatest(*[decoded[field].isNotNull() for field in fields]) if len(fields) > 1 else decoded[fields[0]].isNotNull()
    return F.when(readable & any_field, decoded)


def failed_rules(rules: dict) -> Column:
    """The names of the rules a row fails (a null predicate counts as failed)."""
    checks = [F.when(~F.coalesce(F.expr(predicate), F.lit(False)), F.lit(name)) for name, predicate in rules.items()]
    return F.filter(F.array(*checks), lambda name: name.isNotNull())


def update_id() -> str:
    """The id of the running pipeline update (bronze ``_batch_id``); fails naming the key when the runtime lacks it."""
    value = spark.conf.get(UPDATE_ID_KEY, None)  # noqa: F821 - DLT runtime
    if not value:
        raise KeyError(f"{UPDATE_ID_KEY} is not set: the pipeline runtime sets it to the running update's id, which bronze records as _batch_id")
    return value


def bronze_columns(dataset: dict, batch_id: str) -> list:
    """The columns of the dataset's bronze table over decoded raw records (``_payload``): the dataset's columns
    as declared, then the metadata columns the configuration lists, in its order and types."""
    metadata = {
        "_kafka_partition": F.col("partition"),
        "_kafka_offset": F.col("offset"),
        "_source": F.lit(dataset["source"]),
        "_batch_id": F.lit(batch_id),
        "_ingested_at": F.col("_ingested_at"),
    }
    if change_data(dataset) is not None:
        # Operations in lower case, as silver compares them and the AWS streaming job lands them.
        metadata[CHANGE_OPERATION] = F.lower(F.col(f"_payload.`{CHANGE_OPERATION}`"))
        metadata[CHANGE_SEQUENCE] = F.col(f"_payload.`{CHANGE_SEQUENCE}`")
    declared = dataset["metadataColumns"]
    unknown = [column["name"] for column in declared if column["name"] not in metadata]
    if unknown:
        raise ValueError(
            f"dataset {dataset['name']}: metadataColumns names {', '.join(unknown)}, which the stream pipeline does not deliver for it; "
            f"it delivers: {', '.join(sorted(metadata))}"
        )
    return [
        *[F.col(f"_payload.`{column['name']}`").cast(column["type"]).alias(column["name"]) for column in dataset["columns"]],
        *[metadata[column["name"]].cast(column["type"]).alias(column["name"]) for column in declared],
    ]


def define_dataset(dataset: dict) -> None:
    """Declares the raw and bronze, silver, quarantine and gold tables of one stream dataset."""
    name = dataset["name"]
    tables = dataset["tables"]
    rules = quality_rules(dataset)
    columns = [column["name"] for column in dataset["columns"]]
    changes = change_data(dataset)
    envelope = [column["name"] for column in change_columns(dataset)]
    event_time = event_time_column(dataset)
    raw = table_name("bronze", tables["raw"])
    bronze = table_name("bronze", tables["bronze"])
    silver = table_name("silver", tables["silver"])
    quarantine = table_name("silver", tables["quarantine"])

    @dlt.table(
        name=raw,
        comment=f"{dataset.get('description') or dataset['name']}: every Kafka record of topic {dataset['topic']} as received.",
        table_properties={"quality": "bronze", "delta.appendOnly": "true"},
    )
    def raw_table() -> DataFrame:
        return (
            spark.readStream.format("kafka")  # noqa: F821 - DLT runtime
            .options(**kafka_options(dataset["topic"]))
            .load()
            .select(
                "key",
                "value",
                "topic",
                "partition",
                "offset",
                F.col("timestamp").alias("_kafka_timestamp"),
                F.current_timestamp().alias("_ingested_at"),
            )
        )

    def decoded_records() -> DataFrame:
        return spark.readStream.table(raw).withColumn("_payload", parsed_payload(dataset))  # noqa: F821

    @dlt.table(
        name=bronze,
        comment=f"{dataset.get('description') or dataset['name']}: each decoded message of topic {dataset['topic']} with the bronze metadata columns (read by dbt).",
        table_properties={"quality": "bronze", "delta.appendOnly": "true"},
    )
    def bronze_table() -> DataFrame:
        # Messages that do not decode stay in the raw table and go to the quarantine (payload_decodes).
        return decoded_records().where(F.col("_payload").isNotNull()).select(*bronze_columns(dataset, update_id()))

    @dlt.view(name=f"{name}_checked", comment="Decoded records with the rules each one fails.")
    @dlt.expect_all(rules)
    def checked() -> DataFrame:
        return decoded_records().select(
            *[F.col(f"_payload.`{column}`").alias(column) for column in columns],
            # Operations compare in lower case, as the bronze CDC layout stores them.
            *[(F.lower if field == CHANGE_OPERATION else F.col)(f"_payload.`{field}`").alias(field) for field in envelope],
            "_payload",
            "_kafka_timestamp",
            "_ingested_at",
            "topic",
            "partition",
            "offset",
            F.col("value").cast("string").alias("_raw_value"),
        ).withColumn("_failed_rules", failed_rules(rules))

    def valid_records() -> DataFrame:
        valid = spark.readStream.table(f"{name}_checked").where(F.size("_failed_rules") == 0)  # noqa: F821
        return valid.withColumn("_event_time", F.coalesce(F.col(event_time), F.col("_kafka_timestamp")))

    silver_comment = f"{dataset.get('description') or dataset['name']}: decoded, valid and deduplicated on {', '.join(dataset['keys'])}."
    if changes is None:

        @dlt.table(name=silver, comment=silver_comment, table_properties={"quality": "silver"})
        def silver_table() -> DataFrame:
            return (
                valid_records()
                .withWatermark("_event_time", conf("deduplicationWindow"))
                .dropDuplicatesWithinWatermark(list(dataset["keys"]))
                .select(*columns, "_event_time", "_ingested_at")
            )

    else:

        @dlt.view(name=f"{name}_changes", comment="Valid change events, in the order they arrived.")
        def change_events() -> DataFrame:
            return valid_records().select(*columns, CHANGE_OPERATION, CHANGE_SEQUENCE, "_event_time", "_ingested_at")

        dlt.create_streaming_table(
            name=silver,
            comment=f"{dataset.get('description') or dataset['name']}: change events applied on {', '.join(dataset['keys'])} (SCD type {changes['scdType']}).",
            table_properties={"quality": "silver"},
        )
        dlt.create_auto_cdc_flow(
            target=silver,
            source=f"{name}_changes",
            keys=list(dataset["keys"]),
            sequence_by=F.col(CHANGE_SEQUENCE),
            apply_as_deletes=F.expr(f"{CHANGE_OPERATION} = '{DELETE}'"),
            except_column_list=[CHANGE_OPERATION],
            stored_as_scd_type=changes["scdType"],
        )

    @dlt.table(
        name=quarantine,
        comment=f"Records of {name} that failed a quality rule, with the rules they failed and the raw value.",
        table_properties={"quality": "quarantine"},
    )
    def quarantine_table() -> DataFrame:
        return (
            spark.readStream.table(f"{name}_checked")  # noqa: F821
            .where(F.size("_failed_rules") > 0)
            .select("_failed_rules", "_raw_value", "topic", "partition", "offset", "_kafka_timestamp", "_ingested_at")
        )

    @dlt.table(
        name=table_name("gold", tables["gold"]),
        comment=f"Daily volume of {name}: valid records, distinct keys and quarantined records per day of event time.",
        table_properties={"quality": "gold"},
    )
    def gold_table() -> DataFrame:
        keys = F.concat_ws("|", *[F.col(key).cast("string") for key in dataset["keys"]])
        current = spark.read.table(silver)  # noqa: F821
        if changes is not None and changes["scdType"] == 2:
            current = current.where(F.col("__END_AT").isNull())
        valid = (
            current
            .groupBy(F.to_date("_event_time").alias("event_date"))
            .agg(F.count(F.lit(1)).alias("records"), F.countDistinct(keys).alias("distinct_keys"))
        )
        rejected = (
            spark.read.table(quarantine)  # noqa: F821
            .groupBy(F.to_date("_kafka_timestamp").alias("event_date"))
            .agg(F.count(F.lit(1)).alias("quarantined_records"))
        )
        return valid.join(rejected, "event_date", "full_outer").na.fill(0, ["records", "distinct_keys", "quarantined_records"])


for spec in DATASETS:
    define_dataset(spec)
