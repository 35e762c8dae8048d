"""The local engines the data-path tests run on work together: Iceberg MERGE and snapshots, Avro, JDBC."""

from __future__ import annotations

from pathlib import Path


def test_iceberg_merge_commits_atomically_and_keeps_the_previous_snapshot(spark) -> None:
    spark.sql("CREATE TABLE lake.engines.merge_check (id INT, value STRING) USING iceberg")
    spark.sql("INSERT INTO lake.engines.merge_check VALUES (1, 'a'), (2, 'b')")
    spark.sql(
        "MERGE INTO lake.engines.merge_check t USING (SELECT 1 AS id, 'z' AS value) s ON t.id = s.id "
        "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
    )
    assert [tuple(r) for r in spark.sql("SELECT * FROM lake.engines.merge_check ORDER BY id").collect()] == [(1, "z"), (2, "b")]
    snapshots = spark.sql("SELECT snapshot_id FROM lake.engines.merge_check.snapshots ORDER BY committed_at").collect()
    assert len(snapshots) == 2
    before = spark.sql(f"SELECT * FROM lake.engines.merge_check VERSION AS OF {snapshots[0].snapshot_id} ORDER BY id").collect()
    assert [tuple(r) for r in before] == [(1, "a"), (2, "b")]


def test_avro_round_trip(spark, tmp_path: Path) -> None:
    spark.createDataFrame([(1, "x")], "id INT, name STRING").write.format("avro").save(str(tmp_path / "avro"))
    assert [tuple(r) for r in spark.read.format("avro").load(str(tmp_path / "avro")).collect()] == [(1, "x")]


def test_the_postgresql_driver_is_loaded(spark) -> None:
    jvm = spark.sparkContext._jvm
    assert jvm.java.lang.Class.forName("org.postgresql.Driver", True, jvm.Thread.currentThread().getContextClassLoader()) is not None
