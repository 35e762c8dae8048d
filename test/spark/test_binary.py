"""Binary datasets through the ingestion core on local Spark: real small files in, one manifest row each out.

The landing folder holds a real PNG, a PDF-like file, a text file, a byte-for-byte copy of the PNG under
another name, an empty file and one file over the content limit, plus a file in a subfolder that the
landing glob does not match. `glue_ingest.ingest` (Spark's binaryFile source) must list each matching
file once in the Parquet manifest under <bronze>/<domain>/<dataset>/ingestion_date=<date>/ with its
size, SHA-256, content type and content (none above the limit, flagged), flag the copy as a duplicate of
the original, keep the empty file, and on later runs list only new files, flagging a new copy of an
earlier run's file too. The manifest's columns are lib/lake/binary-manifest.ts's, then the bronze
metadata columns of lib/lake/layout.ts (no _source_file for binary datasets), then the partition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import struct
import zlib
from pathlib import Path

from local_platform import LocalPlatform, arguments, bronze_path, exists, gi, local_options, run_at

# lib/lake/binary-manifest.ts BINARY_MANIFEST_COLUMNS, as lib/lake/ingestion-arguments.ts passes them in --columns.
MANIFEST_COLUMNS = [
    {"name": "path", "type": "string", "nullable": False},
    {"name": "size_bytes", "type": "bigint", "nullable": False},
    {"name": "modified_at", "type": "timestamp", "nullable": False},
    {"name": "content_type", "type": "string", "nullable": False},
    {"name": "content_sha256", "type": "string", "nullable": False},
    {"name": "content", "type": "binary", "nullable": True},
    {"name": "content_omitted", "type": "boolean", "nullable": False},
    {"name": "is_duplicate", "type": "boolean", "nullable": False},
    {"name": "duplicate_of", "type": "string", "nullable": True},
]
CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf", "txt": "text/plain"}
LIMIT = 1024
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def png(width: int, height: int) -> bytes:
    """A real PNG (8-bit RGB, one colour), as any image library reads it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x1f\x6f\xb4" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def land(root: Path, name: str, content: bytes, minute: int) -> Path:
    """One landing file under <bronze>/_landing/incoming/docs/, modified at 2026-12-04 09:<minute> UTC."""
    target = root / "acme-test-bronze" / "_landing" / "incoming" / "docs" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    stamp = dt.datetime(2026, 12, 4, 9, minute, tzinfo=dt.timezone.utc).timestamp()
    os.utime(target, (stamp, stamp))
    return target


def binary_options(root: Path) -> gi.Options:
    argv = arguments(
        "documents",
        "files",
        "binary",
        MANIFEST_COLUMNS,
        ["path"],
        domain="marketing",
        source_description="_landing/incoming/docs/*",
        landing_pattern="_landing/incoming/docs/*",
        max_content_bytes=str(LIMIT),
        content_types=json.dumps(CONTENT_TYPES),
        unknown_content_type="application/octet-stream",
    )
    return local_options(root, argv)


def manifest(spark, options: gi.Options) -> dict[str, dict]:
    rows = spark.read.parquet(options.target_path).collect()
    return {row["path"].rsplit("/", 1)[1]: row.asDict() for row in rows}


def test_lists_every_landed_file_once_with_hash_type_limit_and_duplicates(spark, tmp_path: Path) -> None:
    image = png(4, 3)
    text = "Campaign brief — spring ✓\n".encode()
    oversized = random.Random(18).randbytes(LIMIT * 4)
    files = {
        "logo.png": land(tmp_path, "logo.png", image, 1),
        "brief.pdf": land(tmp_path, "brief.pdf", PDF, 2),
        "notes.txt": land(tmp_path, "notes.txt", text, 3),
        "logo-copy.png": land(tmp_path, "logo-copy.png", image, 4),
        "empty.txt": land(tmp_path, "empty.txt", b"", 5),
        "video.bin": land(tmp_path, "video.bin", oversized, 6),
    }
    land(tmp_path, "archive/old.png", image, 0)  # below the glob's folder: `*` does not cross `/`
    options = binary_options(tmp_path)
    platform = LocalPlatform(tmp_path / "state")

    result = gi.ingest(spark, options, platform, run_at("run-1"))

    assert (result.read, result.landed, result.quarantined) == (6, 6, 0)
    assert exists(bronze_path(options, "2026-12-04"))
    assert platform.partitions == ["documents/ingestion_date=2026-12-04"]
    table = spark.read.parquet(options.target_path)
    assert [(field.name, field.dataType.simpleString()) for field in table.schema.fields] == [
        *[(column["name"], column["type"]) for column in MANIFEST_COLUMNS],
        ("_source", "string"),
        ("_batch_id", "string"),
        ("_ingested_at", "timestamp"),
        ("ingestion_date", "date"),
    ]
    rows = manifest(spark, options)
    assert sorted(rows) == sorted(files)
    contents = {"logo.png": image, "brief.pdf": PDF, "notes.txt": text, "logo-copy.png": image, "empty.txt": b"", "video.bin": oversized}
    types = {"logo.png": "image/png", "brief.pdf": "application/pdf", "notes.txt": "text/plain", "logo-copy.png": "image/png", "empty.txt": "text/plain"}
    for name, content in contents.items():
        row = rows[name]
        assert gi.normalise_uri(row["path"]) == files[name].as_uri(), name
        assert row["size_bytes"] == len(content), name
        assert row["content_sha256"] == hashlib.sha256(content).hexdigest(), name
        assert row["content_type"] == types.get(name, "application/octet-stream"), name
        assert row["modified_at"] == dt.datetime(2026, 12, 4, 9, list(files).index(name) + 1), name
        assert (row["_source"], row["_batch_id"], row["_ingested_at"]) == ("_landing/incoming/docs/*", "run-1", dt.datetime(2026, 12, 4, 10, 0)), name
    # Over the limit: listed, hashed, flagged, no content. At or under it: the bytes themselves.
    assert (rows["video.bin"]["content"], rows["video.bin"]["content_omitted"]) == (None, True)
    for name in ("logo.png", "brief.pdf", "notes.txt", "logo-copy.png", "empty.txt"):
        assert (bytes(rows[name]["content"]), rows[name]["content_omitted"]) == (contents[name], False), name
    # The empty file is a row of its own, with the hash of no bytes.
    assert (rows["empty.txt"]["size_bytes"], rows["empty.txt"]["content_sha256"]) == (0, EMPTY_SHA256)
    # The later copy of the PNG is the duplicate; the earlier file is the original.
    assert {name for name, row in rows.items() if row["is_duplicate"]} == {"logo-copy.png"}
    assert rows["logo-copy.png"]["duplicate_of"] == rows["logo.png"]["path"]
    assert all(row["duplicate_of"] is None for name, row in rows.items() if name != "logo-copy.png")


def test_later_runs_list_only_new_files_and_flag_copies_of_earlier_ones(spark, tmp_path: Path) -> None:
    land(tmp_path, "brief.pdf", PDF, 2)
    land(tmp_path, "notes.txt", b"first notes\n", 3)
    options = binary_options(tmp_path)
    platform = LocalPlatform(tmp_path / "state")
    assert gi.ingest(spark, options, platform, run_at("run-1")).landed == 2

    # Nothing new: nothing listed again, and the manifest is unchanged.
    again = gi.ingest(spark, options, platform, run_at("run-2", dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.timezone.utc)))
    assert (again.read, again.landed) == (0, 0)
    assert spark.read.parquet(options.target_path).count() == 2

    # A copy of run 1's PDF arrives, under another name, with an earlier modification time: run 1's file stays the original.
    land(tmp_path, "brief-final.pdf", PDF, 0)
    third = gi.ingest(spark, options, platform, run_at("run-3", dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone.utc)))
    assert (third.read, third.landed) == (1, 1)
    rows = manifest(spark, options)
    assert sorted(rows) == ["brief-final.pdf", "brief.pdf", "notes.txt"]
    assert (rows["brief-final.pdf"]["is_duplicate"], rows["brief-final.pdf"]["duplicate_of"]) == (True, rows["brief.pdf"]["path"])
    assert (rows["brief-final.pdf"]["_batch_id"], str(rows["brief-final.pdf"]["ingestion_date"])) == ("run-3", "2026-12-06")
    assert rows["brief.pdf"]["is_duplicate"] is False


def test_refuses_binary_arguments_that_make_no_sense() -> None:
    argv = arguments("documents", "api", "binary", MANIFEST_COLUMNS, ["path"], base_url="https://x", api_path="/y", pagination="none")
    problems = str(_parse_error(argv))
    assert "--format binary needs --source_kind files, not 'api'" in problems
    argv = arguments(
        "documents", "files", "binary", MANIFEST_COLUMNS, ["path"], landing_pattern="_landing/x/*", max_content_bytes="1 MB", content_types="[]", unknown_content_type="x"
    )
    problems = str(_parse_error(argv))
    assert "--max_content_bytes '1 MB' is not a whole number of bytes" in problems
    assert "--content_types must be a JSON object of file extension -> media type" in problems
    missing = str(_parse_error(arguments("documents", "files", "binary", MANIFEST_COLUMNS, ["path"], landing_pattern="_landing/x/*")))
    assert "--max_content_bytes is missing" in missing and "--content_types is missing" in missing


def _parse_error(argv: list[str]) -> gi.IngestionError:
    try:
        gi.parse_options(argv)
    except gi.IngestionError as error:
        return error
    raise AssertionError("parse_options accepted the arguments")
