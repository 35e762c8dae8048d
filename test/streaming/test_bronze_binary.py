"""The Databricks bronze tables step (bronze_tables.py) for a binary dataset, on local Spark and Delta Lake.

The plan is the one the lakehouse stack deploys (scripts/bronze-tables-plan.ts) for the example definition
with the binary dataset of test/fixtures/binary-dataset.yaml appended (campaign_assets, maxContentBytes 1024),
over a local folder shaped like the ADLS bronze filesystem: the files as Data Factory's binary copy lands
them, byte for byte, under `<domain>/<dataset>/ingestion_date=<date>/`. The step runs with Spark's
binaryFile stream source (`--reader files`), the same incremental stream Auto Loader's binaryFile gives on
Databricks, and merges the manifest into a Delta table of the session catalog.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import bronze_tables

ROOT = Path(__file__).resolve().parents[2]
DATASET = "campaign_assets"
LIMIT = 1024


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xe0\x40\x10" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def plan_with_binary_dataset(folder: Path, bronze_url: str, bronze_work_url: str) -> dict:
    """The plan of the example definition plus the fixture's binary dataset (written beside the registered stream schemas)."""
    definition = folder / "platform.yaml"
    definition.write_text((ROOT / "platform.yaml").read_text() + "\n" + (ROOT / "test" / "fixtures" / "binary-dataset.yaml").read_text())
    shutil.copytree(ROOT / "schema" / "streams", folder / "schema" / "streams")
    output = subprocess.run(
        ["npx", "ts-node", "--swc", "scripts/bronze-tables-plan.ts", "--catalog", "spark_catalog", "--bronze-url", bronze_url, "--bronze-work-url", bronze_work_url, "--definition", str(definition)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


@pytest.fixture(scope="module")
def binary(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("adls-binary")
    bronze = root / "bronze"
    bronze.mkdir()
    bronze_work = root / "bronze-work"
    bronze_work.mkdir()
    plan = plan_with_binary_dataset(root, f"file:{bronze}/", f"file:{bronze_work}/")
    table = next(table for table in plan["tables"] if table["dataset"] == DATASET)
    plan_file = root / "bronze_tables.json"
    plan_file.write_text(json.dumps({**plan, "tables": [table]}))
    spark.sql("CREATE SCHEMA IF NOT EXISTS spark_catalog.bronze")
    return {"table": table, "plan_file": str(plan_file), "folder": Path(table["source"].removeprefix("file:"))}


def land(binary: dict, day: str, name: str, content: bytes) -> Path:
    target = binary["folder"] / f"ingestion_date={day}" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


def manifest(spark, binary: dict) -> dict[str, dict]:
    return {row["path"].rsplit("/", 1)[1]: row.asDict() for row in spark.read.table(binary["table"]["table"]).collect()}


def test_the_plan_lists_the_binary_dataset_with_the_manifest_columns_and_its_settings(binary):
    table = binary["table"]
    assert table["format"] == "binary"
    assert [column["name"] for column in table["columns"]] == [
        "path", "size_bytes", "modified_at", "content_type", "content_sha256", "content", "content_omitted", "is_duplicate", "duplicate_of",
        "_source", "_batch_id", "_ingested_at",
    ]  # fmt: skip
    assert all("landedType" not in column for column in table["columns"])  # the step writes the metadata itself
    settings = table["binary"]
    assert settings["maxContentBytes"] == LIMIT and settings["unknownContentType"] == "application/octet-stream"
    assert settings["contentTypes"]["png"] == "image/png" and settings["contentTypes"]["pdf"] == "application/pdf"
    assert settings["sourceDescription"] == "_landing/incoming/campaign-assets/*"


def test_lists_each_landed_file_once_with_hash_type_limit_and_duplicates(spark, binary, capsys):
    image = png(3, 2)
    text = "Brief ✓\n".encode()
    oversized = random.Random(5).randbytes(LIMIT + 1)
    land(binary, "2026-12-01", "logo.png", image)
    land(binary, "2026-12-01", "brief.pdf", PDF)
    land(binary, "2026-12-01", "notes.txt", text)
    land(binary, "2026-12-01", "video.mp4", oversized)
    land(binary, "2026-12-01", "empty.txt", b"")

    assert bronze_tables.main(["--plan", binary["plan_file"], "--reader", "files", "--run-id", "job-run-1"], spark=spark) == 0
    assert f"bronze_tables: {DATASET}: 5 rows loaded" in capsys.readouterr().out
    fields = [(field.name, bronze_tables.normalized_type(field.dataType.simpleString())) for field in spark.read.table(binary["table"]["table"]).schema.fields]
    assert fields == [(column["name"], column["type"]) for column in binary["table"]["columns"]] + [("ingestion_date", "string")]
    rows = manifest(spark, binary)
    expected = {
        "logo.png": (image, "image/png"),
        "brief.pdf": (PDF, "application/pdf"),
        "notes.txt": (text, "text/plain"),
        "video.mp4": (oversized, "video/mp4"),
        "empty.txt": (b"", "text/plain"),  # Spark's scan skips it; the step lists it
    }
    assert sorted(rows) == sorted(expected)
    for name, (content, content_type) in expected.items():
        row = rows[name]
        assert (row["size_bytes"], row["content_sha256"], row["content_type"]) == (len(content), hashlib.sha256(content).hexdigest(), content_type), name
        assert (row["_source"], row["_batch_id"], row["ingestion_date"], row["is_duplicate"]) == ("_landing/incoming/campaign-assets/*", "job-run-1", "2026-12-01", False)
    assert (rows["video.mp4"]["content"], rows["video.mp4"]["content_omitted"]) == (None, True)
    assert (bytes(rows["logo.png"]["content"]), rows["logo.png"]["content_omitted"]) == (image, False)
    assert (bytes(rows["empty.txt"]["content"]), rows["empty.txt"]["content_omitted"]) == (b"", False)

    # Nothing new: nothing listed again (the empty file neither). Then a copy of the logo under another name and a
    # second empty file: each listed once, flagged as duplicates.
    assert bronze_tables.main(["--plan", binary["plan_file"], "--reader", "files"], spark=spark) == 0
    assert len(manifest(spark, binary)) == 5
    land(binary, "2026-12-02", "logo-final.png", image)
    land(binary, "2026-12-02", "blank.pdf", b"")
    assert bronze_tables.main(["--plan", binary["plan_file"], "--reader", "files", "--run-id", "job-run-2"], spark=spark) == 0
    rows = manifest(spark, binary)
    assert len(rows) == 7
    assert (rows["logo-final.png"]["is_duplicate"], rows["logo-final.png"]["duplicate_of"]) == (True, rows["logo.png"]["path"])
    assert (rows["blank.pdf"]["is_duplicate"], rows["blank.pdf"]["duplicate_of"], rows["blank.pdf"]["size_bytes"]) == (True, rows["empty.txt"]["path"], 0)
    assert (rows["logo-final.png"]["_batch_id"], rows["logo-final.png"]["ingestion_date"]) == ("job-run-2", "2026-12-02")


def test_a_replayed_micro_batch_adds_no_row(spark, binary):
    table = binary["table"]
    before = spark.read.table(table["table"]).count()
    files = spark.read.format("binaryFile").load(str(binary["folder"])).select("path", "modificationTime", "length", "content", "ingestion_date")
    assert bronze_tables.merge_manifest(spark, table, files, "replay") == 0
    assert spark.read.table(table["table"]).count() == before


def test_auto_loader_reads_binary_files_with_its_binary_file_format():
    table = {"format": "binary", "partitionColumn": "ingestion_date"}
    source, options = bronze_tables.binary_reader(table, "autoloader")
    assert source == "cloudFiles" and options["cloudFiles.format"] == "binaryFile" and options["cloudFiles.partitionColumns"] == "ingestion_date"
    assert bronze_tables.binary_reader(table, "files") == ("binaryFile", {})


def test_a_binary_table_without_its_settings_is_refused(tmp_path, binary):
    plan = json.loads(Path(binary["plan_file"]).read_text())
    del plan["tables"][0]["binary"]["maxContentBytes"]
    broken = tmp_path / "plan.json"
    broken.write_text(json.dumps(plan))
    with pytest.raises(bronze_tables.PlanError, match=r"\(campaign_assets\): binary lacks maxContentBytes"):
        bronze_tables.load_plan(str(broken))
