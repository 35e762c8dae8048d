"""Unit tests of the Spark application's pure helpers (no Spark needed): python3 -m unittest <this file>."""

import contextlib
import io
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


LAKE_FORMATION = {"catalogId": "111111111111", "region": "eu-west-1", "domainTagKey": "acme_prod_domain", "accessTagKeys": ["acme_prod_access_analysts", "acme_prod_access_sales"]}
DOMAIN, ANALYSTS, SALES = "acme_prod_domain", "acme_prod_access_analysts", "acme_prod_access_sales"


class ManifestTest(unittest.TestCase):
    def manifest(self, **changes):
        return {"version": 2, "environment": "prod", "lakeFormation": LAKE_FORMATION, "domains": {"sales": [ORDERS]}, **changes}

    def test_accepts_its_own_version_and_environment(self):
        app.validate_manifest(self.manifest(), "prod")
        self.assertEqual([d["name"] for d in app.datasets_of(self.manifest(), "sales")], ["orders"])

    def test_fails_when_the_manifest_is_of_another_environment(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest is for environment 'prod', not 'dev'"):
            app.validate_manifest(self.manifest(), "dev")

    def test_fails_when_the_version_is_unknown(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest version 1 is not supported; this application reads version 2"):
            app.validate_manifest(self.manifest(version=1), "prod")

    def test_fails_when_the_lake_formation_tags_are_not_named(self):
        with self.assertRaisesRegex(app.ManifestError, r"manifest lakeFormation.domainTagKey \(None\) must be a non-empty string"):
            app.validate_manifest(self.manifest(lakeFormation={**LAKE_FORMATION, "domainTagKey": None}), "prod")
        with self.assertRaisesRegex(app.ManifestError, "manifest has no lakeFormation section"):
            app.validate_manifest({"version": 2, "environment": "prod", "domains": {}}, "prod")

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


class TableTagsTest(unittest.TestCase):
    """The tags of the gold tables the application registers itself, from the declared gold tables' tags."""

    ORDERS_TAGS = {DOMAIN: ("sales",), SALES: ("own",), ANALYSTS: ("read",)}

    def test_reads_tags_as_lake_formation_returns_them(self):
        returned = [{"CatalogId": "1", "TagKey": SALES, "TagValues": ["own"]}, {"CatalogId": "1", "TagKey": DOMAIN, "TagValues": ["sales"]}]
        self.assertEqual(app.tag_set(returned), {SALES: ("own",), DOMAIN: ("sales",)})
        self.assertEqual(app.lf_tags({SALES: ("own",)}, "1"), [{"CatalogId": "1", "TagKey": SALES, "TagValues": ["own"]}])

    def test_a_daily_table_gets_exactly_the_tags_of_its_gold_table(self):
        self.assertEqual(app.daily_tags("acme_prod_gold.orders", self.ORDERS_TAGS, DOMAIN), self.ORDERS_TAGS)

    def test_fails_when_the_gold_table_is_not_tagged(self):
        with self.assertRaisesRegex(app.TagError, "acme_prod_gold.orders has no LF-tag acme_prod_domain; deploy the domain's catalog stack"):
            app.daily_tags("acme_prod_gold.orders", {}, DOMAIN)

    def test_a_summary_keeps_only_the_access_every_dataset_gives_at_its_weakest_level(self):
        gold = {
            "gold.orders": self.ORDERS_TAGS,
            "gold.customers": {DOMAIN: ("sales",), SALES: ("own",)},
            "gold.products": {DOMAIN: ("sales",), SALES: ("read",), ANALYSTS: ("read",), "acme_prod_other": ("x",)},
        }
        # analysts read orders and products but not customers: they must not see the summary.
        self.assertEqual(app.summary_tags("sales", gold, DOMAIN, [ANALYSTS, SALES]), {DOMAIN: ("sales",), SALES: ("read",)})

    def test_a_summary_of_datasets_a_group_owns_everywhere_stays_owned(self):
        gold = {"gold.orders": self.ORDERS_TAGS, "gold.customers": self.ORDERS_TAGS}
        self.assertEqual(app.summary_tags("sales", gold, DOMAIN, [ANALYSTS, SALES]), self.ORDERS_TAGS)

    def test_a_summary_nobody_may_read_wholly_carries_the_domain_tag_only(self):
        gold = {"gold.orders": {DOMAIN: ("sales",), SALES: ("own",)}, "gold.customers": {DOMAIN: ("sales",), ANALYSTS: ("read",)}}
        self.assertEqual(app.summary_tags("sales", gold, DOMAIN, [ANALYSTS, SALES]), {DOMAIN: ("sales",)})

    def test_fails_when_a_gold_table_of_the_domain_lacks_the_domain_tag(self):
        with self.assertRaisesRegex(app.TagError, r"gold.customers: LF-tag acme_prod_domain is missing, expected \['sales'\]"):
            app.summary_tags("sales", {"gold.orders": self.ORDERS_TAGS, "gold.customers": {SALES: ("own",)}}, DOMAIN, [SALES])

    def test_fails_when_an_access_tag_has_an_unknown_value(self):
        with self.assertRaisesRegex(app.TagError, r"gold.orders: access tag acme_prod_access_sales is \['admin'\]"):
            app.summary_tags("sales", {"gold.orders": {DOMAIN: ("sales",), SALES: ("admin",)}}, DOMAIN, [SALES])

    def test_fails_when_the_domain_has_no_gold_tables(self):
        with self.assertRaisesRegex(app.TagError, "domain 'sales' has no gold tables"):
            app.summary_tags("sales", {}, DOMAIN, [SALES])

    def test_changes_remove_stale_and_changed_tags_and_add_missing_ones(self):
        current = {DOMAIN: ("sales",), SALES: ("read",), ANALYSTS: ("read",)}
        wanted = {DOMAIN: ("sales",), SALES: ("own",)}
        self.assertEqual(app.tag_changes(current, wanted), ({SALES: ("read",), ANALYSTS: ("read",)}, {SALES: ("own",)}))

    def test_applying_the_same_tags_again_changes_nothing(self):
        self.assertEqual(app.tag_changes(self.ORDERS_TAGS, dict(self.ORDERS_TAGS)), ({}, {}))

    def test_reports_the_per_tag_failures_of_a_response(self):
        response = {"Failures": [{"LFTag": {"TagKey": SALES, "TagValues": ["own"]}, "Error": {"ErrorCode": "AccessDeniedException", "ErrorMessage": "no ASSOCIATE"}}]}
        self.assertEqual(app.tag_failures(response), [f"{SALES}=['own']: AccessDeniedException no ASSOCIATE"])
        self.assertEqual(app.tag_failures({"Failures": []}), [])


class FakeLakeFormation:
    """Records the Lake Formation calls of a TableTagger; tables hold assigned tags."""

    def __init__(self, tables, failures=None):
        self.tables = {name: dict(tags) for name, tags in tables.items()}
        self.failures = failures or {}
        self.calls = []

    def get_resource_lf_tags(self, CatalogId, Resource, ShowAssignedLFTags):
        assert ShowAssignedLFTags is True
        name = Resource["Table"]["Name"]
        if name not in self.tables:
            raise RuntimeError(f"EntityNotFoundException: table {name} not found")
        return {"LFTagsOnTable": [{"CatalogId": CatalogId, "TagKey": key, "TagValues": list(values)} for key, values in self.tables[name].items()]}

    def add_lf_tags_to_resource(self, CatalogId, Resource, LFTags):
        return self.change("add", Resource["Table"]["Name"], LFTags)

    def remove_lf_tags_from_resource(self, CatalogId, Resource, LFTags):
        return self.change("remove", Resource["Table"]["Name"], LFTags)

    def change(self, kind, name, lf_tags):
        self.calls.append((kind, name, {tag["TagKey"]: tuple(tag["TagValues"]) for tag in lf_tags}))
        if kind in self.failures:
            return {"Failures": [{"LFTag": lf_tags[0], "Error": {"ErrorCode": "AccessDeniedException", "ErrorMessage": self.failures[kind]}}]}
        for tag in lf_tags:
            if kind == "add":
                self.tables[name][tag["TagKey"]] = tuple(tag["TagValues"])
            else:
                self.tables[name].pop(tag["TagKey"])
        return {"Failures": []}


class TableTaggerTest(unittest.TestCase):
    MANIFEST = {"lakeFormation": LAKE_FORMATION, "databases": {"gold": "acme_prod_gold"}}
    ORDERS_TAGS = {DOMAIN: ("sales",), SALES: ("own",)}

    def setUp(self):
        self.output = io.StringIO()
        redirect = contextlib.redirect_stdout(self.output)
        redirect.__enter__()
        self.addCleanup(redirect.__exit__, None, None, None)

    def test_tags_a_new_daily_table_like_its_gold_table_and_a_rerun_changes_nothing(self):
        client = FakeLakeFormation({"orders": self.ORDERS_TAGS, "orders_daily": {}})
        tagger = app.TableTagger(client, self.MANIFEST)
        tagger.apply("orders_daily", tagger.daily_tags("orders"))
        tagger.apply("orders_daily", tagger.daily_tags("orders"))
        self.assertEqual(client.tables["orders_daily"], self.ORDERS_TAGS)
        self.assertEqual(client.calls, [("add", "orders_daily", self.ORDERS_TAGS)])
        self.assertIn('acme_prod_gold.orders_daily: Lake Formation tags {"acme_prod_access_sales": ["own"], "acme_prod_domain": ["sales"]}', self.output.getvalue())

    def test_removes_the_access_the_gold_table_no_longer_gives(self):
        client = FakeLakeFormation({"orders": self.ORDERS_TAGS, "orders_daily": {**self.ORDERS_TAGS, ANALYSTS: ("read",)}})
        tagger = app.TableTagger(client, self.MANIFEST)
        tagger.apply("orders_daily", tagger.daily_tags("orders"))
        self.assertEqual(client.tables["orders_daily"], self.ORDERS_TAGS)

    def test_fails_naming_the_table_when_lake_formation_refuses_a_tag(self):
        client = FakeLakeFormation({"orders": self.ORDERS_TAGS, "orders_daily": {}}, failures={"add": "no ASSOCIATE on the tag"})
        tagger = app.TableTagger(client, self.MANIFEST)
        with self.assertRaisesRegex(app.TagError, r"add_lf_tags_to_resource failed for .*no ASSOCIATE on the tag: acme_prod_gold.orders_daily is registered but its Lake Formation tags are not"):
            tagger.apply("orders_daily", tagger.daily_tags("orders"))

    def test_fails_naming_the_table_when_its_tags_cannot_be_read(self):
        tagger = app.TableTagger(FakeLakeFormation({}), self.MANIFEST)
        with self.assertRaisesRegex(app.TagError, r"acme_prod_gold.orders: could not read its Lake Formation tags \(EntityNotFoundException"):
            tagger.summary_tags("sales", ["orders"])


if __name__ == "__main__":
    unittest.main()
