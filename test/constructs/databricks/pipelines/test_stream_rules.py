"""Unit tests of constructs/databricks/pipelines/stream_rules.py (no Spark).

Run: .venv/bin/python -m unittest discover -s test/constructs/databricks/pipelines
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "constructs", "databricks", "pipelines"))

import stream_rules as rules  # noqa: E402

WEB_EVENTS = {
    "name": "web_events",
    "topic": "web.clickstream.v1",
    "format": "json",
    "columns": [
        {"name": "event_id", "type": "string", "nullable": False},
        {"name": "session_id", "type": "string", "nullable": False},
        {"name": "customer_id", "type": "bigint", "nullable": True},
        {"name": "amount", "type": "decimal(18,2)", "nullable": True},
        {"name": "event_at", "type": "timestamp", "nullable": False},
    ],
    "keys": ["event_id"],
    "quality": [
        {"rule": "accepted_values", "column": "session_id", "values": ["a", "o'b"]},
        {"rule": "range", "column": "amount", "min": 0},
        {"rule": "not_null", "column": "customer_id"},
        {"rule": "unique", "columns": ["event_id"]},
        {"rule": "row_count", "min": 1},
    ],
}


class QualityRulesTest(unittest.TestCase):
    def test_turns_the_definition_into_named_predicates(self):
        self.assertEqual(
            rules.quality_rules(WEB_EVENTS),
            {
                "payload_decodes": "_payload IS NOT NULL",
                "key_event_id_present": "`event_id` IS NOT NULL",
                "session_id_not_null": "`session_id` IS NOT NULL",
                "event_at_not_null": "`event_at` IS NOT NULL",
                "session_id_accepted_values": "`session_id` IS NULL OR `session_id` IN ('a', 'o''b')",
                "amount_in_range": "`amount` IS NULL OR (`amount` >= 0)",
                "customer_id_not_null": "`customer_id` IS NOT NULL",
            },
        )

    def test_range_with_both_bounds(self):
        dataset = dict(WEB_EVENTS, quality=[{"rule": "range", "column": "amount", "min": 1, "max": 10000}])
        self.assertEqual(rules.quality_rules(dataset)["amount_in_range"], "`amount` IS NULL OR (`amount` >= 1 AND `amount` <= 10000)")


class ChangeDataTest(unittest.TestCase):
    ORDERS = {
        "name": "orders",
        "columns": [
            {"name": "order_id", "type": "string", "nullable": False},
            {"name": "status", "type": "string", "nullable": False},
        ],
        "keys": ["order_id"],
        "quality": [{"rule": "accepted_values", "column": "status", "values": ["placed"]}],
        "cdc": {"scdType": 2},
    }

    def test_a_change_event_names_a_known_operation_and_a_delete_needs_only_its_key(self):
        self.assertEqual(
            rules.quality_rules(self.ORDERS),
            {
                "payload_decodes": "_payload IS NOT NULL",
                "key_order_id_present": "`order_id` IS NOT NULL",
                "change_operation_known": "`_op` IN ('insert', 'update', 'delete')",
                "change_sequence_present": "`_change_seq` IS NOT NULL",
                "status_not_null": "`_op` = 'delete' OR (`status` IS NOT NULL)",
                "status_accepted_values": "`_op` = 'delete' OR (`status` IS NULL OR `status` IN ('placed'))",
            },
        )

    def test_messages_carry_the_change_fields_after_the_columns(self):
        self.assertEqual([column["name"] for column in rules.message_columns(self.ORDERS)], ["order_id", "status", "_op", "_change_seq"])
        fields = json.loads(rules.avro_schema(self.ORDERS))["fields"]
        # A delete carries its key alone: every field of a change event may be missing.
        self.assertEqual(
            fields,
            [
                {"name": "order_id", "type": ["null", "string"]},
                {"name": "status", "type": ["null", "string"]},
                {"name": "_op", "type": ["null", "string"]},
                {"name": "_change_seq", "type": ["null", "long"]},
            ],
        )
        self.assertEqual(rules.message_columns(dict(self.ORDERS, cdc=None)), self.ORDERS["columns"])

    def test_refuses_an_scd_type_it_cannot_keep(self):
        with self.assertRaisesRegex(ValueError, r"dataset orders: cdc.scdType is 3; allowed: 1, 2"):
            rules.change_data(dict(self.ORDERS, cdc={"scdType": 3}))


class SchemasTest(unittest.TestCase):
    def test_ddl_schema_quotes_every_column(self):
        self.assertEqual(
            rules.ddl_schema(WEB_EVENTS["columns"][:2]),
            "`event_id` string, `session_id` string",
        )

    def test_avro_schema_maps_types_and_nullability(self):
        schema = json.loads(rules.avro_schema(WEB_EVENTS))
        fields = {field["name"]: field["type"] for field in schema["fields"]}
        self.assertEqual(fields["event_id"], "string")
        self.assertEqual(fields["customer_id"], ["null", "long"])
        self.assertEqual(fields["amount"], ["null", {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}])
        self.assertEqual(fields["event_at"], {"type": "long", "logicalType": "timestamp-micros"})

    def test_avro_schema_is_the_registered_version_when_the_configuration_carries_one(self):
        registered = json.dumps({"type": "record", "name": "web_events", "fields": [{"name": "event_id", "type": ["null", "string"], "default": None}]})
        self.assertEqual(rules.avro_schema(dict(WEB_EVENTS, messageSchema=registered)), registered)

    def test_event_time_is_the_first_timestamp_or_the_broker_time(self):
        self.assertEqual(rules.event_time_column(WEB_EVENTS), "event_at")
        self.assertEqual(rules.event_time_column(dict(WEB_EVENTS, columns=WEB_EVENTS["columns"][:2])), "_kafka_timestamp")


class KafkaOptionsTest(unittest.TestCase):
    def test_uses_oauth_on_the_event_hubs_kafka_endpoint(self):
        options = rules.kafka_source_options(
            topic="web.clickstream.v1",
            namespace_host="evhns-acme-dev-1234.servicebus.windows.net",
            token_endpoint="https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
            client_id="app-id",
            client_secret="s3cret",
            consumer_group="databricks-bronze",
            max_offsets_per_trigger="100000",
        )
        self.assertEqual(options["kafka.bootstrap.servers"], "evhns-acme-dev-1234.servicebus.windows.net:9093")
        self.assertEqual(options["kafka.security.protocol"], "SASL_SSL")
        self.assertEqual(options["kafka.sasl.mechanism"], "OAUTHBEARER")
        self.assertIn('scope="https://evhns-acme-dev-1234.servicebus.windows.net/.default"', options["kafka.sasl.jaas.config"])
        self.assertEqual(options["failOnDataLoss"], "true")
        self.assertEqual(options["subscribe"], "web.clickstream.v1")


if __name__ == "__main__":
    unittest.main()
