"""Unit tests of the Spark application's pure helpers (no Spark needed): python3 -m unittest <this file>."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..", "constructs", "aws", "jobs", "spark"))

import silver_gold as app  # noqa: E402

METADATA = {"ingestedAt": "_ingested_at", "operation": "_op", "sequence": "_change_seq"}
ORDERS = {
    "name": "orders",
    "domain": "sales",
    "format": "parquet",
    "path": "sales/orders/",
    "cdc": True,
    "keys": ["order_id"],
    "columns": [
        {"name": "order_id", "type": "bigint", "nullable": False},
        {"name": "customer_id", "type": "bigint", "nullable": False},
        {"name": "order_status", "type": "string", "nullable": False},
        {"name": "order_total", "type": "decimal(18,2)", "nullable": True},
        {"name": "ordered_at", "type": "timestamp", "nullable": False},
        {"name": "updated_at", "type": "timestamp", "nullable": False},
    ],
    "orderBy": ["_change_seq", "_ingested_at"],
    "quality": [
        {"rule": "accepted_values", "column": "order_status", "values": ["placed", "paid"]},
        {"rule": "range", "column": "order_total", "min": 0},
        {"rule": "row_count", "min": 1},
        {"rule": "unique", "columns": ["order_id"]},
    ],
}


class ArgumentsTest(unittest.TestCase):
    def test_parses_the_arguments_the_cli_passes(self):
        args = app.parse_args(["--environment", "prod", "--domain", "sales", "--bronze", "s3://b", "--silver", "s3://s/", "--gold", "s3://g//"])
        self.assertEqual((args.bronze, args.silver, args.gold), ("s3://b/", "s3://s/", "s3://g/"))
        self.assertIsNone(args.manifest)

    def test_fails_when_a_layer_is_not_an_s3_url(self):
        with self.assertRaisesRegex(ValueError, r"--silver \('https://x'\) must be an s3:// URL"):
            app.parse_args(["--environment", "prod", "--domain", "sales", "--bronze", "s3://b", "--silver", "https://x", "--gold", "s3://g"])


class ManifestTest(unittest.TestCase):
    def manifest(self, **changes):
        return {"version": 1, "environment": "prod", "domains": {"sales": [ORDERS]}, **changes}

    def test_accepts_its_own_version_and_environment(self):
        app.validate_manifest(self.manifest(), "prod")
        self.assertEqual([d["name"] for d in app.datasets_of(self.manifest(), "sales")], ["orders"])

    def test_fails_when_the_manifest_is_of_another_environment(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest is for environment 'prod', not 'dev'"):
            app.validate_manifest(self.manifest(), "dev")

    def test_fails_when_the_version_is_unknown(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest version 2 is not supported"):
            app.validate_manifest(self.manifest(version=2), "prod")

    def test_fails_when_the_domain_has_no_datasets(self):
        with self.assertRaisesRegex(app.ManifestError, "domain 'crm' has no datasets in the manifest; domains: sales"):
            app.datasets_of(self.manifest(), "crm")


class ChecksTest(unittest.TestCase):
    def test_orders_checks_keys_first_then_casts_then_required_columns_then_cdc_then_rules(self):
        reasons = [check.reason for check in app.row_checks(ORDERS, METADATA)]
        self.assertEqual(reasons[0], "key order_id missing")
        self.assertIn("order_total is not a valid decimal(18,2)", reasons)
        self.assertLess(reasons.index("order_total is not a valid decimal(18,2)"), reasons.index("customer_id missing"))
        self.assertIn("unknown CDC operation", reasons)
        self.assertEqual(reasons[-2:], ["order_status not an accepted value", "order_total outside range 0 to any"])

    def test_a_string_column_cannot_fail_its_cast(self):
        reasons = [check.reason for check in app.row_checks(ORDERS, METADATA)]
        self.assertNotIn("order_status is not a valid string", reasons)

    def test_the_rejection_expression_reports_the_first_failure(self):
        expression = app.rejection_expression([app.Check("`a` is null", "a missing"), app.Check("`b` < 0", "b negative")])
        self.assertEqual(expression, "case when `a` is null then 'a missing' when `b` < 0 then 'b negative' end")

    def test_literals_are_escaped(self):
        self.assertEqual(app.sql_literal("O'Brien"), "'O\\'Brien'")
        self.assertEqual(app.sql_literal(True), "true")

    def test_unique_on_the_key_is_left_to_deduplication(self):
        self.assertEqual(app.unique_rules(ORDERS), [])
        self.assertEqual(app.unique_rules({**ORDERS, "quality": [{"rule": "unique", "columns": ["customer_id", "ordered_at"]}]}), [["customer_id", "ordered_at"]])

    def test_row_count_rules_judge_the_accepted_rows(self):
        self.assertIsNone(app.row_count_problem(ORDERS, 5))
        self.assertEqual(app.row_count_problem(ORDERS, 0), "sales.orders: 0 accepted rows, fewer than the row_count minimum 1")


class OrderingAndAggregatesTest(unittest.TestCase):
    def test_cdc_copies_rank_by_sequence_as_a_number_then_ingestion_time(self):
        self.assertEqual(app.order_expressions(ORDERS, METADATA), ["`_change_seq` desc nulls last", "`_ingested_at` desc nulls last"])

    def test_the_daily_aggregate_uses_the_business_time_and_sums_measures(self):
        self.assertEqual(app.activity_column(ORDERS), "ordered_at")
        self.assertEqual(app.measure_columns(ORDERS), ["order_total"])
        self.assertIsNone(app.activity_column({**ORDERS, "columns": [{"name": "x", "type": "string", "nullable": True}]}))

    def test_table_locations_have_one_slash_between_parts(self):
        self.assertEqual(app.table_location("s3://gold/", "sales/", "orders_daily"), "s3://gold/sales/orders_daily/")


class EmptySummaryTest(unittest.TestCase):
    def test_a_dataset_without_bronze_data_is_reported_with_zero_rows(self):
        self.assertEqual(app.empty_summary(ORDERS), {"dataset": "orders", "bronze_rows": 0, "current_rows": 0, "deleted_keys": 0, "quarantined_rows": 0, "latest_ingested_at": None, "daily_table": None})


class SchemaChangesTest(unittest.TestCase):
    def test_new_columns_are_added_whatever_their_position(self):
        added, incompatible = app.schema_changes([("a", "bigint"), ("_ingested_at", "timestamp")], [("a", "bigint"), ("b", "string"), ("_ingested_at", "timestamp")])
        self.assertEqual((added, incompatible), ([("b", "string")], []))

    def test_a_removed_or_retyped_column_is_incompatible(self):
        added, incompatible = app.schema_changes([("a", "bigint"), ("b", "string")], [("a", "int")])
        self.assertEqual(added, [])
        self.assertEqual(incompatible, ["b removed", "a changed from bigint to int"])

    def test_names_match_without_case(self):
        self.assertEqual(app.schema_changes([("Order_ID", "bigint")], [("order_id", "bigint")]), ([], []))


if __name__ == "__main__":
    unittest.main()
