"""Delta Live Tables pipeline of one stream domain: Kafka (Event Hubs) -> bronze -> silver -> gold.

Everything specific to a domain comes from the pipeline configuration that the lakehouse stack writes
from the platform definition (``platform.*`` keys), so adding a stream dataset to ``platform.yaml``
adds its tables here without touching this file:

* bronze ``<dataset>_raw``: every Kafka record as received (value, key, topic, partition, offset,
  broker timestamp) plus the ingestion time. Nothing is parsed or filtered, so bronze can always be
  replayed.
* silver ``<dataset>``: records parsed with the dataset's columns that pass every quality rule of the
  definition, deduplicated on the dataset's keys. ``<dataset>_quarantine`` keeps every record that fails
  a rule, with the names of the rules it failed: invalid rows are set aside, never silently dropped, and
  the expectation metrics in the pipeline event log count them.
* gold ``<dataset>_daily``: records, distinct keys and quarantined records per day of event time.

The table names come with each dataset (``tables``: bronze, silver, quarantine, gold), so that the
platform plans their Unity Catalog grants from the same names; the table grants job applies them (a
pipeline cannot grant on its own tables).

Kafka credentials: the Event Hubs namespace accepts Entra ID (OAuth) only. The client id and secret of
the ingestion application are read from the Key Vault-backed secret scope named in the configuration;
they never appear in code, configuration or Terraform state.

What the definition says about a dataset becomes schemas, quality predicates and Kafka options in
stream_rules.py (pure Python, unit tested); this file wires them into Delta Live Tables.
"""

import json

import dlt
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# The pipeline's root folder (where the platform deploys this file) is on sys.path.
from stream_rules import avro_schema, ddl_schema, event_time_column, kafka_source_options, quality_rules

CONF_PREFIX = "platform."


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
    """The Kafka value decoded into a struct of the dataset's columns (null when it cannot be decoded)."""
    if dataset["format"] == "avro":
        from pyspark.sql.avro.functions import from_avro

        return from_avro(F.col("value"), avro_schema(dataset), {"mode": "PERMISSIVE"})
    return F.from_json(F.col("value").cast("string"), ddl_schema(dataset["columns"]), {"mode": "PERMISSIVE"})


def failed_rules(rules: dict) -> Column:
    """The names of the rules a row fails (a null predicate counts as failed)."""
    checks = [F.when(~F.coalesce(F.expr(predicate), F.lit(False)), F.lit(name)) for name, predicate in rules.items()]
    return F.filter(F.array(*checks), lambda name: name.isNotNull())


def define_dataset(dataset: dict) -> None:
    """Declares the bronze, silver, quarantine and gold tables of one stream dataset."""
    name = dataset["name"]
    tables = dataset["tables"]
    rules = quality_rules(dataset)
    columns = [column["name"] for column in dataset["columns"]]
    event_time = event_time_column(dataset)
    bronze = table_name("bronze", tables["bronze"])
    silver = table_name("silver", tables["silver"])
    quarantine = table_name("silver", tables["quarantine"])

    @dlt.table(
        name=bronze,
        comment=f"{dataset['description']}: every Kafka record of topic {dataset['topic']} as received.",
        table_properties={"quality": "bronze", "delta.appendOnly": "true"},
    )
    def bronze_table() -> DataFrame:
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

    @dlt.view(name=f"{name}_checked", comment="Decoded records with the rules each one fails.")
    @dlt.expect_all(rules)
    def checked() -> DataFrame:
        decoded = spark.readStream.table(bronze).withColumn("_payload", parsed_payload(dataset))  # noqa: F821
        return decoded.select(
            *[F.col(f"_payload.`{column}`").alias(column) for column in columns],
            "_payload",
            "_kafka_timestamp",
            "_ingested_at",
            "topic",
            "partition",
            "offset",
            F.col("value").cast("string").alias("_raw_value"),
        ).withColumn("_failed_rules", failed_rules(rules))

    @dlt.table(
        name=silver,
        comment=f"{dataset['description']}: decoded, valid and deduplicated on {', '.join(dataset['keys'])}.",
        table_properties={"quality": "silver"},
    )
    def silver_table() -> DataFrame:
        valid = spark.readStream.table(f"{name}_checked").where(F.size("_failed_rules") == 0)  # noqa: F821
        return (
            valid.withColumn("_event_time", F.coalesce(F.col(event_time), F.col("_kafka_timestamp")))
            .withWatermark("_event_time", conf("deduplicationWindow"))
            .dropDuplicatesWithinWatermark(list(dataset["keys"]))
            .select(*columns, "_event_time", "_ingested_at")
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
        valid = (
            spark.read.table(silver)  # noqa: F821
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
