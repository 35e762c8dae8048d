"""Unit tests of the Spark application's pure helpers (no Spark needed): python3 <this file>. The Spark part runs on a
local Spark with Iceberg in test/spark/test_silver_gold.py."""

import contextlib
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..", "constructs", "aws", "jobs", "spark"))

import silver_gold as app  # noqa: E402

METADATA = {"ingestedAt": "_ingested_at", "operation": "_op", "sequence": "_change_seq", "batchId": "_batch_id", "sourceFile": "_source_file"}
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
    "tags": {"silver": {"acme_prod_domain": ["sales"]}, "gold": {"acme_prod_domain": ["sales"], "acme_prod_access_analysts": ["read"]}},
}


class ArgumentsTest(unittest.TestCase):
    def test_parses_the_arguments_the_cli_passes(self):
        args = app.parse_args(["--environment", "prod", "--domain", "sales", "--catalog", "lake", "--bronze", "s3://b", "--silver", "s3://s/", "--gold", "s3://g//"])
        self.assertEqual((args.bronze, args.silver, args.gold, args.catalog, args.rebuild), ("s3://b/", "s3://s/", "s3://g/", "lake", False))
        self.assertIsNone(args.manifest)

    def test_fails_when_the_catalog_is_not_an_identifier(self):
        with self.assertRaisesRegex(ValueError, r"--catalog \('my-catalog'\) must be a lowercase identifier"):
            app.parse_args(["--environment", "prod", "--domain", "sales", "--catalog", "my-catalog", "--bronze", "s3://b", "--silver", "s3://s", "--gold", "s3://g"])

    def test_fails_when_a_layer_is_not_an_s3_url(self):
        with self.assertRaisesRegex(ValueError, r"--silver \('https://x'\) must be an s3:// URL"):
            app.parse_args(["--environment", "prod", "--domain", "sales", "--catalog", "lake", "--bronze", "s3://b", "--silver", "https://x", "--gold", "s3://g"])


LAKE_FORMATION = {"catalogId": "111111111111", "region": "eu-west-1", "domainTagKey": "acme_prod_domain", "accessTagKeys": ["acme_prod_access_analysts", "acme_prod_access_sales"]}
DOMAIN, ANALYSTS, SALES = "acme_prod_domain", "acme_prod_access_analysts", "acme_prod_access_sales"


class ManifestTest(unittest.TestCase):
    def manifest(self, **changes):
        return {"version": 4, "environment": "prod", "lakeFormation": LAKE_FORMATION, "metadataColumns": METADATA, "domains": {"sales": [ORDERS]}, **changes}

    def test_accepts_its_own_version_and_environment(self):
        app.validate_manifest(self.manifest(), "prod")
        self.assertEqual([d["name"] for d in app.datasets_of(self.manifest(), "sales")], ["orders"])

    def test_fails_when_the_manifest_is_of_another_environment(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest is for environment 'prod', not 'dev'"):
            app.validate_manifest(self.manifest(), "dev")

    def test_fails_when_the_version_is_unknown(self):
        with self.assertRaisesRegex(app.ManifestError, "manifest version 2 is not supported; this application reads version 4"):
            app.validate_manifest(self.manifest(version=2), "prod")

    def test_fails_when_the_batch_column_is_not_named(self):
        with self.assertRaisesRegex(app.ManifestError, r"manifest metadataColumns.batchId \(None\) must be a column name"):
            app.validate_manifest(self.manifest(metadataColumns={**METADATA, "batchId": None}), "prod")

    def test_fails_when_a_dataset_has_no_tags_for_its_tables(self):
        with self.assertRaisesRegex(app.ManifestError, r"sales.orders: tags \(None\) must give the silver and gold tables' Lake Formation tags"):
            app.validate_manifest(self.manifest(domains={"sales": [{**ORDERS, "tags": None}]}), "prod")

    def test_fails_when_the_lake_formation_tags_are_not_named(self):
        with self.assertRaisesRegex(app.ManifestError, r"manifest lakeFormation.domainTagKey \(None\) must be a non-empty string"):
            app.validate_manifest(self.manifest(lakeFormation={**LAKE_FORMATION, "domainTagKey": None}), "prod")
        with self.assertRaisesRegex(app.ManifestError, "manifest has no lakeFormation section"):
            app.validate_manifest({"version": 4, "environment": "prod", "domains": {}}, "prod")

    def test_accepts_a_gold_api_tag_or_none_and_fails_when_it_is_not_a_key(self):
        app.validate_manifest(self.manifest(lakeFormation={**LAKE_FORMATION, "apiTagKey": "acme_prod_consumer_api"}), "prod")
        app.validate_manifest(self.manifest(lakeFormation={**LAKE_FORMATION, "apiTagKey": None}), "prod")
        with self.assertRaisesRegex(app.ManifestError, r"manifest lakeFormation.apiTagKey \(''\) must be a tag key, or null where the environment deploys no gold API"):
            app.validate_manifest(self.manifest(lakeFormation={**LAKE_FORMATION, "apiTagKey": ""}), "prod")

    def test_fails_when_the_domain_has_no_datasets(self):
        with self.assertRaisesRegex(app.ManifestError, "domain 'crm' has no datasets in the manifest; domains: sales"):
            app.datasets_of(self.manifest(), "crm")


class ChecksTest(unittest.TestCase):
    def test_orders_checks_keys_first_then_cdc_then_casts_then_required_columns_then_rules(self):
        reasons = [check.reason for check in app.row_checks(ORDERS, METADATA)]
        self.assertEqual(reasons[:3], ["key order_id missing", "unknown CDC operation", "CDC sequence missing or not a number"])
        self.assertIn("order_total is not a valid decimal(18,2)", reasons)
        self.assertLess(reasons.index("order_total is not a valid decimal(18,2)"), reasons.index("customer_id missing"))
        self.assertEqual(reasons[-2:], ["order_status not an accepted value", "order_total outside range 0 to any"])

    def test_a_cdc_delete_is_checked_for_its_key_and_envelope_only(self):
        checks = {check.reason: check.condition for check in app.row_checks(ORDERS, METADATA)}
        self.assertEqual(checks["key order_id missing"], "`order_id` is null")
        self.assertEqual(checks["customer_id missing"], "lower(`_op`) <> 'delete' and (`customer_id` is null)")
        non_cdc = {check.reason: check.condition for check in app.row_checks({**ORDERS, "cdc": False}, METADATA)}
        self.assertEqual(non_cdc["customer_id missing"], "`customer_id` is null")
        self.assertNotIn("unknown CDC operation", non_cdc)

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

    def test_row_count_rules_judge_one_load(self):
        dataset = {**ORDERS, "quality": [{"rule": "row_count", "min": 1, "max": 10}]}
        self.assertEqual(
            [(c.condition, c.reason) for c in app.load_checks(dataset, "_load_accepted")],
            [
                ("`_load_accepted` < 1", "load has fewer accepted rows than the row_count minimum 1"),
                ("`_load_accepted` > 10", "load has more accepted rows than the row_count maximum 10"),
            ],
        )
        self.assertEqual(app.load_failures(dataset, 5), [])
        self.assertEqual(app.load_failures(dataset, 0), ["load has fewer accepted rows than the row_count minimum 1"])
        self.assertEqual(app.load_failures(dataset, 11), ["load has more accepted rows than the row_count maximum 10"])


class OrderingAndAggregatesTest(unittest.TestCase):
    def test_cdc_copies_rank_by_sequence_then_ingestion_time_then_batch_then_content(self):
        self.assertEqual(app.order_columns(ORDERS, METADATA), ["_change_seq", "_ingested_at", "_batch_id", "_fingerprint"])

    def test_an_incoming_copy_replaces_the_current_one_only_when_strictly_newer(self):
        condition = app.newer_condition({**ORDERS, "orderBy": ["_change_seq"]}, METADATA, "s", "t")
        self.assertEqual(
            condition,
            "((s.`_change_seq` > t.`_change_seq` or (s.`_change_seq` is not null and t.`_change_seq` is null)) or (s.`_change_seq` <=> t.`_change_seq` and "
            "((s.`_batch_id` > t.`_batch_id` or (s.`_batch_id` is not null and t.`_batch_id` is null)) or (s.`_batch_id` <=> t.`_batch_id` and false))))",
        )

    def test_daily_totals_are_typed_like_spark_sums(self):
        self.assertEqual([app.sum_type(t) for t in ("int", "bigint", "double", "decimal(18,2)", "decimal(30,4)")], ["bigint", "bigint", "double", "decimal(28,2)", "decimal(38,4)"])
        self.assertEqual(app.daily_columns(ORDERS), [("activity_date", "date"), ("records", "bigint"), ("total_order_total", "decimal(28,2)")])

    def test_silver_keeps_the_change_envelope_and_the_batch(self):
        self.assertEqual([name for name, _ in app.silver_columns(ORDERS, METADATA)][-5:], ["_ingested_at", "_change_seq", "_op", "is_deleted", "_batch_id"])
        self.assertEqual(app.branch_name("3F2a-9c"), "run_3f2a_9c")

    def test_the_daily_aggregate_uses_the_business_time_and_sums_measures(self):
        self.assertEqual(app.activity_column(ORDERS), "ordered_at")
        self.assertEqual(app.measure_columns(ORDERS), ["order_total"])
        self.assertIsNone(app.activity_column({**ORDERS, "columns": [{"name": "x", "type": "string", "nullable": True}]}))

    def test_table_locations_have_one_slash_between_parts(self):
        self.assertEqual(app.table_location("s3://gold/", "sales/", "orders_daily"), "s3://gold/sales/orders_daily/")


class BatchAuditTest(unittest.TestCase):
    def test_every_bronze_row_of_a_batch_is_accepted_or_quarantined_with_its_reason(self):
        audit = app.batch_audit(ORDERS, [("b1", 1, None, 3), ("b1", 2, "key order_id missing", 1), ("b2", 5, None, 2)])
        self.assertEqual(
            audit["b1"],
            {"batch_id": "b1", "ingested_at": 2, "bronze_rows": 4, "accepted_rows": 3, "quarantined_rows": 1, "quality": {"key order_id missing": 1}, "status": "accepted", "load_failures": []},
        )
        self.assertEqual(audit["b2"]["status"], "accepted")

    def test_a_load_with_no_accepted_row_is_rejected_by_its_row_count_rule(self):
        audit = app.batch_audit(ORDERS, [("b1", 1, "order_status not an accepted value", 2)])
        self.assertEqual(audit["b1"]["status"], "rejected")
        self.assertEqual(audit["b1"]["quality"], {"order_status not an accepted value": 2, "load has fewer accepted rows than the row_count minimum 1": 0})


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

    def test_a_daily_table_never_gets_the_gold_api_tag_of_its_gold_table(self):
        exposed = {**self.ORDERS_TAGS, "acme_prod_consumer_api": ("read",)}
        self.assertEqual(app.daily_tags("acme_prod_gold.orders", exposed, DOMAIN, "acme_prod_consumer_api"), self.ORDERS_TAGS)

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

    def test_tags_a_new_table_and_a_rerun_changes_nothing(self):
        client = FakeLakeFormation({"orders_daily": {}})
        tagger = app.TableTagger(client, self.MANIFEST)
        tagger.apply("acme_prod_gold", "orders_daily", self.ORDERS_TAGS)
        tagger.apply("acme_prod_gold", "orders_daily", self.ORDERS_TAGS)
        self.assertEqual(client.tables["orders_daily"], self.ORDERS_TAGS)
        self.assertEqual(client.calls, [("add", "orders_daily", self.ORDERS_TAGS)])
        self.assertIn('acme_prod_gold.orders_daily: Lake Formation tags {"acme_prod_access_sales": ["own"], "acme_prod_domain": ["sales"]}', self.output.getvalue())

    def test_removes_the_access_the_definition_no_longer_gives(self):
        client = FakeLakeFormation({"orders_daily": {**self.ORDERS_TAGS, ANALYSTS: ("read",)}})
        tagger = app.TableTagger(client, self.MANIFEST)
        tagger.apply("acme_prod_gold", "orders_daily", self.ORDERS_TAGS)
        self.assertEqual(client.tables["orders_daily"], self.ORDERS_TAGS)

    def test_the_tables_tags_come_from_the_manifest_per_layer(self):
        self.assertEqual(app.manifest_tags(ORDERS, "gold"), {DOMAIN: ("sales",), ANALYSTS: ("read",)})
        self.assertEqual(app.manifest_tags(ORDERS, "silver"), {DOMAIN: ("sales",)})
        tagger = app.TableTagger(FakeLakeFormation({}), self.MANIFEST)
        customers = {**ORDERS, "name": "customers", "tags": {"silver": {}, "gold": {DOMAIN: ["sales"]}}}
        self.assertEqual(tagger.summary_tags("sales", "acme_prod_gold", [ORDERS]), {DOMAIN: ("sales",), ANALYSTS: ("read",)})
        self.assertEqual(tagger.summary_tags("sales", "acme_prod_gold", [ORDERS, customers]), {DOMAIN: ("sales",)})

    def test_fails_naming_the_table_when_lake_formation_refuses_a_tag(self):
        client = FakeLakeFormation({"orders_daily": {}}, failures={"add": "no ASSOCIATE on the tag"})
        tagger = app.TableTagger(client, self.MANIFEST)
        with self.assertRaisesRegex(app.TagError, r"add_lf_tags_to_resource failed for .*no ASSOCIATE on the tag: acme_prod_gold.orders_daily is registered but its Lake Formation tags are not"):
            tagger.apply("acme_prod_gold", "orders_daily", self.ORDERS_TAGS)

    def test_fails_naming_the_table_when_its_tags_cannot_be_read(self):
        tagger = app.TableTagger(FakeLakeFormation({}), self.MANIFEST)
        with self.assertRaisesRegex(app.TagError, r"acme_prod_gold.orders: could not read its Lake Formation tags \(EntityNotFoundException"):
            tagger.apply("acme_prod_gold", "orders", self.ORDERS_TAGS)


if __name__ == "__main__":
    unittest.main()
