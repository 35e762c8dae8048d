"""The local Kafka broker with Spark's Kafka sink and source: what the streaming tests stand on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from local_kafka import KafkaBroker, cluster_id, server_properties


def test_a_cluster_id_is_a_kafka_uuid() -> None:
    ids = {cluster_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(len(value) == 22 and "=" not in value for value in ids)


def test_the_broker_is_one_kraft_node_on_loopback() -> None:
    properties = dict(line.split("=", 1) for line in server_properties(Path("/tmp/x"), 9092, 9093, {"num.partitions": "3"}).splitlines())
    assert properties["process.roles"] == "broker,controller"
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:9093"
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"
    assert properties["num.partitions"] == "3"
    assert "zookeeper.connect" not in properties


def test_spark_writes_to_and_reads_from_the_broker(spark: Any, kafka: KafkaBroker) -> None:
    topic = "smoke.messages"
    rows = [(f"k{i % 3}", f"message {i} ✓", i % 2) for i in range(20)]
    frame = spark.createDataFrame(rows, "key string, value string, partition int")
    jvm = spark.sparkContext._jvm
    properties = jvm.java.util.Properties()
    properties.setProperty("bootstrap.servers", kafka.bootstrap_servers)
    admin = jvm.org.apache.kafka.clients.admin.AdminClient.create(properties)
    try:
        new_topic = jvm.org.apache.kafka.clients.admin.NewTopic(topic, 2, jvm.java.lang.Short.parseShort("1"))
        admin.createTopics(jvm.java.util.Collections.singletonList(new_topic)).all().get()
    finally:
        admin.close()
    frame.coalesce(1).write.format("kafka").option("kafka.bootstrap.servers", kafka.bootstrap_servers).option("topic", topic).save()

    read = spark.read.format("kafka").option("kafka.bootstrap.servers", kafka.bootstrap_servers).option("subscribe", topic).load()
    got = sorted((row.partition, row.offset, row.key.decode(), row.value.decode()) for row in read.collect())

    assert [value for _, _, _, value in got] == sorted((value for _, value, _ in rows), key=lambda v: (int(v.split()[1]) % 2, int(v.split()[1])))
    assert {(partition, offset) for partition, offset, _, _ in got} == {(p, o) for p in (0, 1) for o in range(10)}


def test_cluster_ids_never_start_with_a_dash(monkeypatch) -> None:
    """kafka-storage reads an id starting with "-" as an option (1 id in 64 would): such ids are drawn again."""
    import uuid

    dashed = uuid.UUID(bytes=bytes([0xF8]) + bytes(15))  # base64 "-A..."
    draws = iter([dashed, uuid.UUID(int=1)])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(draws))
    assert cluster_id() == "AAAAAAAAAAAAAAAAAAAAAQ"
