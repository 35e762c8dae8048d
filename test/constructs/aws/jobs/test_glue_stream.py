"""Unit tests of the pure-Python parts of constructs/aws/jobs/glue_stream.py (no Spark, no AWS)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "constructs", "aws", "jobs"))

import glue_stream as gs  # noqa: E402

COLUMNS = json.dumps([
    {"name": "event_id", "type": "string", "nullable": False},
    {"name": "customer_id", "type": "bigint", "nullable": True},
    {"name": "event_at", "type": "timestamp", "nullable": False},
])
CLUSTER = "arn:aws:kafka:eu-west-1:111111111111:cluster/acme-dev-streaming/0a1b2c3d-4e5f-6789-abcd-ef0123456789-s1"


def argv(**overrides):
    args = {
        "JOB_NAME": "acme-dev-stream-web_events", "dataset": "web_events", "domain": "marketing", "topic": "web.clickstream.v1", "format": "json",
        "partitions": "12", "retention_hours": "168", "cluster_arn": CLUSTER, "columns": COLUMNS,
        "keys": "event_id", "metadata_columns": "_kafka_partition,_kafka_offset,_source,_batch_id,_ingested_at", "partition_column": "ingestion_date",
        "source_description": "kafka:web.clickstream.v1", "target_database": "acme_dev_bronze", "target_table": "web_events",
        "target_bucket": "acme-dev-bronze-111111111111-eu-west-1", "target_prefix": "marketing/web_events/",
        "quarantine_prefix": "_quarantine/marketing/web_events/", "checkpoint_prefix": "_checkpoints/marketing/web_events/",
        "trigger_seconds": "60", "max_offsets_per_trigger": "1000000", "starting_offsets": "earliest",
    }
    args.update(overrides)
    result = ["glue_stream.py"]
    for key, value in args.items():
        if value is not None:
            result += [f"--{key}", value]
    return result


class ParseOptionsTest(unittest.TestCase):
    def test_reads_every_argument(self):
        options = gs.parse_options(argv())
        self.assertEqual(options.topic, "web.clickstream.v1")
        self.assertEqual(options.partitions, 12)
        self.assertEqual([c.name for c in options.columns], ["event_id", "customer_id", "event_at"])
        self.assertFalse(options.columns[0].nullable)
        self.assertEqual(options.target_path, "s3://acme-dev-bronze-111111111111-eu-west-1/marketing/web_events/")
        self.assertEqual(options.checkpoint_path, "s3://acme-dev-bronze-111111111111-eu-west-1/_checkpoints/marketing/web_events/")
        self.assertEqual(options.consumer_group_prefix, "acme-dev-stream-web_events")

    def test_reports_every_missing_argument_at_once(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--topic is missing; --cluster_arn is missing"):
            gs.parse_options(argv(topic=None, cluster_arn=None))

    def test_fails_on_bad_values_naming_each(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--topic 'bad topic' is not a Kafka topic name.*--starting_offsets 'now' must be earliest or latest.*--partitions '0' must be a whole number from 1 to 1024"):
            gs.parse_options(argv(topic="bad topic", starting_offsets="now", partitions="0"))

    def test_fails_on_a_bad_column_list(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--columns has an invalid column .* needs a name and a type"):
            gs.parse_options(argv(columns=json.dumps([{"name": "x", "type": "varchar"}])))

    def test_fails_on_keys_that_are_not_declared_columns(self):
        self.assertEqual(gs.parse_options(argv()).keys, ("event_id",))
        with self.assertRaisesRegex(gs.StreamingError, r"--keys 'event_id,session' must name one or more declared columns \(event_id, customer_id, event_at\)"):
            gs.parse_options(argv(keys="event_id,session"))

    def test_fails_on_a_prefix_without_its_slash(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--checkpoint_prefix '_checkpoints/x' must be a key prefix ending in /"):
            gs.parse_options(argv(checkpoint_prefix="_checkpoints/x"))

    def test_accepts_equals_form(self):
        self.assertEqual(gs.parse_options(argv(dataset=None) + ["--dataset=clicks"]).dataset, "clicks")

    def test_reads_the_message_schema_of_an_avro_stream(self):
        schema = json.dumps({"type": "record", "name": "web_events", "fields": [{"name": name, "type": ["null", "string"]} for name in ("event_id", "customer_id", "event_at")]})
        options = gs.parse_options(argv(format="avro") + ["--message_schema", schema])
        self.assertEqual((options.format, options.message_schema), ("avro", schema))
        self.assertEqual(gs.parse_options(argv() + ["--message_schema", schema]).message_schema, "", "a JSON stream has no message schema")

    def test_fails_on_a_format_or_message_schema_it_cannot_read(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--format 'csv' is not a message format the job reads; supported: json, avro"):
            gs.parse_options(argv(format="csv"))
        with self.assertRaisesRegex(gs.StreamingError, r"--message_schema is missing: an Avro stream needs the Avro schema"):
            gs.parse_options(argv(format="avro"))
        with self.assertRaisesRegex(gs.StreamingError, r"--message_schema is not JSON"):
            gs.parse_options(argv(format="avro") + ["--message_schema", "{"])
        with self.assertRaisesRegex(gs.StreamingError, r"--message_schema must be an Avro record schema"):
            gs.parse_options(argv(format="avro") + ["--message_schema", '"string"'])
        partial = json.dumps({"type": "record", "name": "x", "fields": [{"name": "event_id", "type": "string"}]})
        with self.assertRaisesRegex(gs.StreamingError, r"--message_schema has no field for the declared column\(s\) customer_id, event_at"):
            gs.parse_options(argv(format="avro") + ["--message_schema", partial])


class KafkaTest(unittest.TestCase):
    def test_reads_with_iam_authentication_and_its_own_consumer_groups(self):
        options = gs.parse_options(argv())
        reader = gs.reader_options(options, gs.iam_client_properties("boot-1.example:9098,boot-2.example:9098"))
        self.assertEqual(reader["kafka.bootstrap.servers"], "boot-1.example:9098,boot-2.example:9098")
        self.assertEqual(reader["kafka.security.protocol"], "SASL_SSL")
        self.assertEqual(reader["kafka.sasl.mechanism"], "AWS_MSK_IAM")
        self.assertEqual(reader["kafka.sasl.jaas.config"], "software.amazon.msk.auth.iam.IAMLoginModule required;")
        self.assertEqual(reader["subscribe"], "web.clickstream.v1")
        self.assertEqual(reader["groupIdPrefix"], "acme-dev-stream-web_events")
        self.assertEqual(reader["startingOffsets"], "earliest")
        self.assertEqual(reader["maxOffsetsPerTrigger"], "1000000")

    def test_lost_messages_fail_the_query(self):
        reader = gs.reader_options(gs.parse_options(argv()), {"bootstrap.servers": "b:9092"})
        self.assertEqual(reader["failOnDataLoss"], "true")

    def test_bootstrap_servers_come_from_the_iam_listener(self):
        self.assertEqual(gs.bootstrap_servers({"BootstrapBrokerStringSaslIam": "b:9098"}, CLUSTER), "b:9098")
        with self.assertRaisesRegex(gs.StreamingError, "has no IAM bootstrap servers"):
            gs.bootstrap_servers({"BootstrapBrokerStringTls": "b:9094"}, CLUSTER)

    def test_the_glue_platform_looks_up_the_cluster(self):
        class Kafka:
            def get_bootstrap_brokers(self, ClusterArn):  # noqa: N803 (boto3's name)
                return {"BootstrapBrokerStringSaslIam": f"{ClusterArn.split('/')[1]}.example:9098"}

        properties = gs.GluePlatform(lambda service: Kafka()).kafka_properties(gs.parse_options(argv()))
        self.assertEqual(properties["bootstrap.servers"], "acme-dev-streaming.example:9098")
        self.assertEqual(properties["sasl.mechanism"], "AWS_MSK_IAM")

    def test_topic_retention_in_milliseconds(self):
        self.assertEqual(gs.topic_configs(168), {"retention.ms": str(168 * 3600 * 1000)})

    def test_data_loss_names_the_dataset_the_topic_the_gap_and_what_to_do(self):
        options = gs.parse_options(argv())
        failure = "[STREAM_FAILED] Query terminated\nSome data may have been lost because they are not available in Kafka any more;\nReason: Could not read records in offset [5, 9) for topic partition t-0\nwith consumer group g"
        message = gs.data_loss_message(options, failure, [(0, 5, 7), (3, 100, 250)])
        self.assertIn("dataset web_events: messages of topic web.clickstream.v1 are gone before this job read them (partition 0: offsets 5 to 6 (2 message(s)); partition 3: offsets 100 to 249 (150 message(s)))", message)
        self.assertIn("retention (168 h)", message)
        self.assertIn("move the checkpoint s3://acme-dev-bronze-111111111111-eu-west-1/_checkpoints/marketing/web_events/ aside", message)
        self.assertTrue(message.endswith("Spark said: Could not read records in offset [5, 9) for topic partition t-0"))
        self.assertIn("are gone before this job read them: the topic's retention", gs.data_loss_message(options, failure))
        self.assertIsNone(gs.data_loss_message(options, "[STREAM_FAILED] java.lang.OutOfMemoryError"))

    def test_lost_offsets_are_those_between_the_checkpoint_and_the_earliest_kafka_holds(self):
        self.assertEqual(gs.lost_offsets({0: 30, 1: 12, 2: 0}, {0: 45, 1: 12, 2: 0, 3: 8}), [(0, 30, 45)])


class RecordsTest(unittest.TestCase):
    def test_parses_every_declared_column_as_text_with_the_corrupt_record_column(self):
        columns = gs.parse_options(argv()).columns
        self.assertEqual(gs.message_schema_ddl(columns), "`event_id` STRING, `customer_id` STRING, `event_at` STRING, `_corrupt_record` STRING")
        self.assertIn("`_op` STRING, `_change_seq` STRING", gs.message_schema_ddl(columns, cdc=True))

    def test_batch_id_names_the_run_and_the_micro_batch(self):
        self.assertEqual(gs.batch_identifier("jr_abc", 7), "jr_abc-7")

    def test_a_micro_batch_keeps_its_identity_when_it_runs_again(self):
        batch = gs.MicroBatch.starting("jr_abc", 7, gs.datetime(2026, 12, 4, 23, 59, 59, 5, tzinfo=gs.timezone.utc))
        self.assertEqual(batch, gs.MicroBatch(7, "jr_abc-7", "2026-12-04 23:59:59.000005", "2026-12-04"))
        self.assertEqual(gs.MicroBatch.from_json(7, batch.to_json()), batch)

    def test_register_partition_ignores_an_existing_partition_and_fails_on_other_errors(self):
        options = gs.parse_options(argv())

        class Glue:
            def __init__(self, errors):
                self.errors = errors

            def batch_create_partition(self, **kwargs):
                return {"Errors": self.errors}

        table = {"StorageDescriptor": {"Location": "x"}}
        gs.register_partition(Glue([{"ErrorDetail": {"ErrorCode": "AlreadyExistsException"}}]), options, table, "2026-11-28")
        with self.assertRaisesRegex(gs.IngestionError, "could not register partition 2026-11-28"):
            gs.register_partition(Glue([{"ErrorDetail": {"ErrorCode": "AccessDeniedException"}}]), options, table, "2026-11-28")


class RegisteredSchemaTest(unittest.TestCase):
    """The job decodes with a registered schema version and refuses to start when the registry has moved on."""

    AVRO = json.dumps({"type": "record", "name": "web_events", "fields": [{"name": "event_id", "type": ["null", "string"], "default": None}]})
    REGISTRY = {"schema_registry": "acme-dev-streams", "schema_name": "web.clickstream.v1", "schema_version": "2"}

    def avro_options(self):
        return gs.parse_options(argv(format="avro", columns=json.dumps([{"name": "event_id", "type": "string"}]), message_schema=self.AVRO, **self.REGISTRY))

    def test_reads_the_registry_arguments(self):
        options = self.avro_options()
        self.assertEqual((options.schema_registry, options.schema_name, options.schema_version), ("acme-dev-streams", "web.clickstream.v1", 2))

    def test_fails_when_the_registry_arguments_come_apart(self):
        with self.assertRaisesRegex(gs.StreamingError, r"--schema_registry, --schema_name, --schema_version go together; given only --schema_registry"):
            gs.parse_options(argv(schema_registry="acme-dev-streams"))

    def test_accepts_the_latest_version_when_it_is_the_jobs(self):
        self.assertIsNone(gs.registered_schema_problem(self.avro_options(), 2, self.AVRO))

    def test_refuses_a_newer_registered_version(self):
        problem = gs.registered_schema_problem(self.avro_options(), 3, self.AVRO)
        self.assertIn("latest version of acme-dev-streams/web.clickstream.v1 is v3, but this job decodes with v2", problem)

    def test_refuses_a_version_changed_outside_the_deployment(self):
        changed = json.dumps({"type": "record", "name": "web_events", "fields": [{"name": "event_id", "type": "string"}]})
        self.assertIn("not the schema this job was deployed with", gs.registered_schema_problem(self.avro_options(), 2, changed))

    def test_the_entry_point_asks_glue_for_the_latest_version(self):
        calls = []

        class Glue:
            def get_schema_version(self, **request):
                calls.append(request)
                return {"VersionNumber": 3, "SchemaDefinition": RegisteredSchemaTest.AVRO}

        with self.assertRaisesRegex(gs.StreamingError, r"is v3, but this job decodes with v2"):
            gs.GluePlatform(lambda service: Glue()).check_registered_schema(self.avro_options())
        self.assertEqual(calls, [{"SchemaId": {"RegistryName": "acme-dev-streams", "SchemaName": "web.clickstream.v1"}, "SchemaVersionNumber": {"LatestVersion": True}}])


if __name__ == "__main__":
    unittest.main()
