"""Unit tests of the pure-Python parts of constructs/aws/jobs/glue_ingest.py (no Spark, no AWS)."""

import json
import os
import re
import sys
import unittest
import urllib.error

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "constructs", "aws", "jobs"))

import glue_ingest as gi  # noqa: E402

COLUMNS = json.dumps([
    {"name": "order_id", "type": "bigint", "nullable": False},
    {"name": "status", "type": "string", "nullable": True},
    {"name": "total", "type": "decimal(18,2)", "nullable": True},
])


def argv(kind="database", **overrides):
    args = {
        "JOB_NAME": "acme-dev-ingest-orders", "dataset": "orders", "domain": "sales", "source_kind": kind, "format": "parquet",
        "cdc": "true", "columns": COLUMNS, "keys": "order_id", "metadata_columns": "_op,_change_seq,_source,_batch_id,_ingested_at",
        "partition_column": "ingestion_date", "source_description": "postgres:public.orders", "target_database": "acme_dev_bronze",
        "target_table": "orders", "target_bucket": "acme-dev-bronze-111111111111-eu-west-1", "target_prefix": "sales/orders/",
        "quarantine_prefix": "_quarantine/sales/orders/",
        "connection_name": "acme-dev-jdbc-sales-erp-replica", "engine": "postgres", "source_table": "public.orders", "load": "incremental", "bookmark_keys": "_change_seq",
        "base_url": "https://api.example.com", "api_path": "/v1/items", "pagination": "cursor",
        "landing_pattern": "_landing/incoming/*.csv", "csv_header": "true", "csv_delimiter": ";",
    }
    args.update(overrides)
    result = ["glue_ingest.py"]
    for key, value in args.items():
        if value is not None:
            result += [f"--{key}", value]
    return result


class ParseOptionsTest(unittest.TestCase):
    def test_reads_every_argument_of_a_database_source(self):
        options = gi.parse_options(argv())
        self.assertEqual(options.dataset, "orders")
        self.assertTrue(options.cdc)
        self.assertEqual([c.name for c in options.columns], ["order_id", "status", "total"])
        self.assertFalse(options.columns[0].nullable)
        self.assertEqual(options.extra["engine"], "postgres")
        self.assertEqual(options.target_path, "s3://acme-dev-bronze-111111111111-eu-west-1/sales/orders/")
        self.assertEqual(options.quarantine_path, "s3://acme-dev-bronze-111111111111-eu-west-1/_quarantine/sales/orders/")

    def test_accepts_equals_form(self):
        args = argv(dataset=None) + ["--dataset=returns"]
        self.assertEqual(gi.parse_options(args).dataset, "returns")

    def test_fails_when_arguments_are_missing_or_unsupported(self):
        with self.assertRaisesRegex(gi.IngestionError, r"--source_table is missing.*--format 'xml' is not supported; supported: json, csv, avro, parquet, orc"):
            gi.parse_options(argv(source_table=None, format="xml"))

    def test_reads_the_load_and_its_bookmark(self):
        self.assertEqual(gi.parse_options(argv()).bookmark_keys, ["_change_seq"])
        self.assertEqual(gi.parse_options(argv(load="snapshot", bookmark_keys=None)).bookmark_keys, [])

    def test_fails_when_an_incremental_load_has_no_bookmark_or_the_load_is_unknown(self):
        with self.assertRaisesRegex(gi.IngestionError, "--bookmark_keys is missing: an incremental database load needs its bookmark column"):
            gi.parse_options(argv(bookmark_keys=None))
        with self.assertRaisesRegex(gi.IngestionError, "--load 'merge' is not supported; supported: incremental, snapshot"):
            gi.parse_options(argv(load="merge"))

    def test_fails_when_the_source_kind_is_a_stream(self):
        with self.assertRaisesRegex(gi.IngestionError, "--source_kind 'stream' is not supported here"):
            gi.parse_options(argv(kind="stream"))

    def test_fails_when_columns_are_not_valid(self):
        with self.assertRaisesRegex(gi.IngestionError, "invalid column"):
            gi.parse_options(argv(columns=json.dumps([{"name": "a", "type": "varchar"}])))


class SchemaPlanTest(unittest.TestCase):
    declared = gi.parse_columns(COLUMNS)

    def test_keeps_new_columns_in_self_describing_formats(self):
        plan = gi.plan_schema(self.declared, ["ORDER_ID", "status", "total", "coupon"], "parquet")
        self.assertEqual(plan.present, ("order_id", "status", "total"))
        self.assertEqual(plan.kept_undeclared, ("coupon",))

    def test_drops_new_columns_in_csv_and_avro(self):
        for data_format in ("csv", "avro"):
            plan = gi.plan_schema(self.declared, ["order_id", "status", "total", "coupon"], data_format)
            self.assertEqual(plan.undeclared, ("coupon",))
            self.assertEqual(plan.kept_undeclared, ())

    def test_fills_missing_nullable_columns(self):
        plan = gi.plan_schema(self.declared, ["order_id"], "json")
        self.assertEqual(plan.missing, ("status", "total"))

    def test_fails_when_a_not_nullable_column_disappears(self):
        with self.assertRaisesRegex(gi.IngestionError, "not-nullable column\\(s\\) order_id"):
            gi.plan_schema(self.declared, ["status", "total"], "json")

    def test_ingestion_columns_are_not_undeclared(self):
        plan = gi.plan_schema(self.declared, ["order_id", "_op", "_change_seq"], "parquet", reserved=["_op", "_change_seq"])
        self.assertEqual(plan.undeclared, ())

    def test_output_order_is_declared_metadata_extras_partition(self):
        options = gi.parse_options(argv())
        plan = gi.plan_schema(options.columns, ["order_id", "coupon"], "parquet")
        self.assertEqual(gi.output_columns(options, plan), ["order_id", "status", "total", "_op", "_change_seq", "_source", "_batch_id", "_ingested_at", "coupon", "ingestion_date"])


class FilesTest(unittest.TestCase):
    def test_glob_matches_one_folder_only(self):
        regex = gi.glob_to_regex("s3://b/_landing/incoming/products/*.csv")
        self.assertTrue(re.match(regex, "s3://b/_landing/incoming/products/2024-01-01.csv"))
        self.assertFalse(re.match(regex, "s3://b/_landing/incoming/products/old/2024-01-01.csv"))
        self.assertFalse(re.match(regex, "s3://b/_landing/incoming/products/2024-01-01.csv.tmp"))

    def test_landing_root_is_the_fixed_folder(self):
        self.assertEqual(gi.landing_root("_landing/incoming/products/*.csv"), "_landing/incoming/products/")
        self.assertEqual(gi.landing_root("_landing/a/b.avro"), "_landing/a/")

    def test_csv_options_follow_the_definition(self):
        self.assertEqual(gi.file_format_options("csv", True, ";")["separator"], ";")
        self.assertEqual(gi.file_format_options("parquet", True, ","), {})


class ApiTest(unittest.TestCase):
    def test_page_urls(self):
        self.assertEqual(gi.page_url("https://a.example.com/", "/v1/x", "none", 1, None), "https://a.example.com/v1/x")
        self.assertEqual(gi.page_url("https://a.example.com", "/v1/x?since=1", "page", 2, None), "https://a.example.com/v1/x?since=1&page=2&page_size=500")
        self.assertEqual(gi.page_url("https://a.example.com", "/v1/x", "cursor", 3, "c 1"), "https://a.example.com/v1/x?cursor=c+1")

    def test_extract_page_reads_lists_and_wrapped_records(self):
        self.assertEqual(gi.extract_page([{"a": 1}]).records, [{"a": 1}])
        page = gi.extract_page({"data": [{"a": 1}], "meta": {"next_cursor": "n2"}})
        self.assertEqual(page.next_cursor, "n2")
        with self.assertRaisesRegex(gi.IngestionError, "no list of records"):
            gi.extract_page({"rows": []})

    def test_follows_cursors_until_the_last_page(self):
        pages = {None: {"items": [1, 2], "next_cursor": "b"}, "b": {"items": [3], "next_cursor": None}}
        seen = []

        def get(url, _headers):
            seen.append(url)
            cursor = url.split("cursor=")[1] if "cursor=" in url else None
            return pages[cursor]

        options = gi.parse_options(argv(kind="api", pagination="cursor"))
        self.assertEqual(gi.fetch_all(options, {}, get), [1, 2, 3])
        self.assertEqual(len(seen), 2)

    def test_pages_until_an_empty_page(self):
        options = gi.parse_options(argv(kind="api", pagination="page"))
        data = {1: [1], 2: [2], 3: []}
        self.assertEqual(gi.fetch_all(options, {}, lambda url, _h: data[int(re.search(r"page=(\d+)", url).group(1))]), [1, 2])

    def test_auth_headers(self):
        self.assertEqual(gi.auth_headers({"token": "t"}), {"Authorization": "Bearer t"})
        self.assertEqual(gi.auth_headers({"header": "X-Api-Key", "value": "k"}), {"X-Api-Key": "k"})
        self.assertEqual(gi.auth_headers({"username": "u", "password": "p"}), {"Authorization": "Basic dTpw"})
        self.assertEqual(gi.auth_headers(None), {})
        with self.assertRaises(gi.IngestionError):
            gi.auth_headers({"apikey": "x"})

    def test_refuses_plain_http_except_to_loopback(self):
        with self.assertRaisesRegex(gi.IngestionError, "must use https"):
            gi.http_get_json("http://a.example.com", {})
        self.assertTrue(gi.allowed_url("http://127.0.0.1:8080/v1"))
        self.assertFalse(gi.allowed_url("http://127.0.0.1.example.com/v1"))

    def test_retry_delay_honours_retry_after_then_backs_off(self):
        self.assertEqual(gi.retry_delay(1, "7"), 7)
        self.assertEqual(gi.retry_delay(1, "3600"), 60)
        self.assertEqual([gi.retry_delay(n, None) for n in (1, 2, 3)], [1, 2, 4])
        self.assertEqual(gi.retry_delay(2, "Wed, 21 Oct 2026 07:28:00 GMT"), 2)

    def test_run_ids_and_partitions(self):
        from datetime import datetime, timezone

        run = gi.Run.starting(None, datetime(2026, 12, 4, 10, 5, tzinfo=timezone.utc))
        self.assertEqual((run.batch_id, run.ingested_at, run.partition_value), ("manual-20261204T100500Z", "2026-12-04 10:05:00.000000", "2026-12-04"))

    def test_retries_throttling_then_gives_up(self):
        calls = []

        def failing(request, timeout):
            calls.append(request.full_url)
            raise urllib.error.HTTPError(request.full_url, 429, "slow down", {}, None)

        original = gi.urllib.request.urlopen
        gi.urllib.request.urlopen = failing
        try:
            with self.assertRaisesRegex(gi.IngestionError, "HTTP 429"):
                gi.http_get_json("https://a.example.com/x", {}, attempts=3, sleep=lambda _s: None)
        finally:
            gi.urllib.request.urlopen = original
        self.assertEqual(len(calls), 3)


class PartitionTest(unittest.TestCase):
    def test_partition_input_copies_the_table_descriptor(self):
        table = {"StorageDescriptor": {"Location": "s3://b/sales/orders/", "Columns": [{"Name": "a", "Type": "int"}]}, "Parameters": {"classification": "parquet"}}
        partition = gi.partition_input(table, "2024-05-01", "s3://b/sales/orders/ingestion_date=2024-05-01/")
        self.assertEqual(partition["Values"], ["2024-05-01"])
        self.assertEqual(partition["StorageDescriptor"]["Location"], "s3://b/sales/orders/ingestion_date=2024-05-01/")
        self.assertEqual(table["StorageDescriptor"]["Location"], "s3://b/sales/orders/")

    def test_register_partition_ignores_existing_partitions_and_fails_on_others(self):
        class Glue:
            def __init__(self, errors):
                self.errors = errors
                self.calls = []

            def batch_create_partition(self, **kwargs):
                self.calls.append(kwargs)
                return {"Errors": self.errors}

        options = gi.parse_options(argv())
        table = {"StorageDescriptor": {"Location": "x"}}
        existing = Glue([{"ErrorDetail": {"ErrorCode": "AlreadyExistsException"}}])
        gi.register_partition(existing, options, table, "2024-05-01")
        self.assertEqual(existing.calls[0]["PartitionInputList"][0]["StorageDescriptor"]["Location"], "s3://acme-dev-bronze-111111111111-eu-west-1/sales/orders/ingestion_date=2024-05-01/")
        with self.assertRaisesRegex(gi.IngestionError, "could not register partition"):
            gi.register_partition(Glue([{"ErrorDetail": {"ErrorCode": "AccessDeniedException"}}]), options, table, "2024-05-01")

    def test_avro_files_are_written_with_the_table_schema(self):
        literal = '{"type": "record", "name": "orders", "fields": []}'
        self.assertEqual(gi.avro_schema_of({"StorageDescriptor": {"SerdeInfo": {"Parameters": {"avro.schema.literal": literal}}}}), literal)
        with self.assertRaisesRegex(gi.IngestionError, "has no avro.schema.literal"):
            gi.avro_schema_of({"DatabaseName": "d", "Name": "t", "StorageDescriptor": {}})


class GlueStandIns:
    """Records what GluePlatform asks of GlueContext and the job."""

    def __init__(self):
        self.calls = []
        self.committed = 0
        outer = self

        class Frame:
            def toDF(self):  # noqa: N802 (Glue's name)
                return "records"

        class DynamicFrames:
            def from_options(self, **kwargs):
                outer.calls.append(kwargs)
                return Frame()

        self.create_dynamic_frame = DynamicFrames()

    def commit(self):
        self.committed += 1


class GluePlatformTest(unittest.TestCase):
    def test_incremental_loads_use_glue_job_bookmarks_on_the_bookmark_column(self):
        glue = GlueStandIns()
        platform = gi.GluePlatform(glue, glue, clients=lambda _service: None)
        self.assertEqual(platform.read_database(None, gi.parse_options(argv(cdc="false", bookmark_keys="updated_at"))), "records")
        call = glue.calls[0]
        self.assertEqual(call["connection_type"], "postgresql")
        self.assertEqual(call["transformation_ctx"], "source")
        # from_options reads bookmark keys from connection_options (additional_options is for from_catalog).
        self.assertEqual(call["connection_options"]["jobBookmarkKeys"], ["updated_at"])
        self.assertEqual(call["connection_options"]["jobBookmarkKeysSortOrder"], "asc")
        self.assertEqual(call["connection_options"]["connectionName"], "acme-dev-jdbc-sales-erp-replica")

    def test_snapshot_loads_read_without_a_bookmark(self):
        glue = GlueStandIns()
        gi.GluePlatform(glue, glue, clients=lambda _service: None).read_database(None, gi.parse_options(argv(cdc="false", load="snapshot", bookmark_keys=None)))
        self.assertNotIn("transformation_ctx", glue.calls[0])
        self.assertNotIn("jobBookmarkKeys", glue.calls[0]["connection_options"])

    def test_secrets_come_from_secrets_manager_and_commit_commits_the_job(self):
        class Secrets:
            def get_secret_value(self, SecretId):  # noqa: N803 (boto3's name)
                return {"SecretString": json.dumps({"token": SecretId})}

        glue = GlueStandIns()
        platform = gi.GluePlatform(glue, glue, clients=lambda service: Secrets() if service == "secretsmanager" else None)
        self.assertEqual(platform.secret("marketing/automation-api"), {"token": "marketing/automation-api"})
        platform.commit()
        self.assertEqual(glue.committed, 1)


class Expr:
    """A stand-in for a Spark column expression that records what was built from it."""

    def __init__(self, text):
        self.text = text

    def cast(self, type_):
        return Expr(f"cast({self.text} as {type_})")

    def alias(self, name):
        return Expr(f"{self.text} as {name}")

    def isNotNull(self):  # noqa: N802 (Spark's name)
        return Expr(f"{self.text} is not null")

    def isNull(self):  # noqa: N802 (Spark's name)
        return Expr(f"{self.text} is null")

    def __and__(self, other):
        return Expr(f"{self.text} and {other.text}")


class FakeFunctions:
    @staticmethod
    def when(condition, value):
        return Expr(f"when {condition.text} then {value.text}")

    @staticmethod
    def lit(value):
        return Expr(repr(value))


class TypedColumnTest(unittest.TestCase):
    def test_a_nullable_column_rejects_only_values_that_do_not_cast(self):
        typed, problems = gi.typed_column(FakeFunctions, Expr("raw"), gi.Column("total", "decimal(18,2)", True))
        self.assertEqual(typed.text, "cast(raw as decimal(18,2)) as total")
        self.assertEqual([p.text for p in problems], ["when raw is not null and cast(raw as decimal(18,2)) is null then 'total: not a decimal(18,2)'"])

    def test_a_not_nullable_column_also_rejects_nulls(self):
        _, problems = gi.typed_column(FakeFunctions, Expr("raw"), gi.Column("order_id", "bigint", False))
        self.assertEqual([p.text for p in problems][1], "when raw is null then 'order_id: null in a not-nullable column'")


if __name__ == "__main__":
    unittest.main()
