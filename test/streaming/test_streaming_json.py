"""The Glue streaming job's core on local Structured Streaming against a real Kafka broker: JSON messages.

Each test has a topic and a bronze bucket (a local folder) of its own, produces messages with Spark's
Kafka sink, runs `glue_stream.start` with the local platform, and reads what landed: bronze under
<bronze>/<domain>/<dataset>/ingestion_date=<date>/ and the quarantine under <bronze>/_quarantine/….
Every test counts: each message the topic holds is in bronze or in the quarantine, exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import Any

import glue_stream as gs
import pytest
from local_kafka import KafkaBroker
from local_stream import (
    LANDED_AT,
    LocalStreamPlatform,
    arguments,
    delete_records,
    files_under,
    local_options,
    local_path,
    produce,
    read_bronze,
    read_quarantine,
    run_once,
    topic_messages,
)

COLUMNS = [
    {"name": "event_id", "type": "string", "nullable": False},
    {"name": "session_id", "type": "string", "nullable": False},
    {"name": "customer_id", "type": "bigint", "nullable": True},
    {"name": "event_type", "type": "string", "nullable": False},
    {"name": "page_url", "type": "string", "nullable": True},
    {"name": "event_at", "type": "timestamp", "nullable": False},
]
BASE = dt.datetime(2026, 12, 4, 9, 0)


def event(number: int, at: dt.datetime | None = None, **fields: Any) -> str:
    value = {
        "event_id": f"e{number:05d}",
        "session_id": f"s{number % 7}",
        "customer_id": 1000 + number % 13,
        "event_type": "page_view",
        "page_url": f"/products/{number}?q=caf\u00e9 \u2713",
        "event_at": (at or BASE + dt.timedelta(seconds=number)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    value.update(fields)
    return json.dumps(value, ensure_ascii=False)


def landed_keys(frame: Any) -> list[tuple[int, int]]:
    return [(row["_kafka_partition"], row["_kafka_offset"]) for row in frame.select("_kafka_partition", "_kafka_offset").collect()]


def assert_each_message_landed_once(spark: Any, kafka: KafkaBroker, options: gs.Options) -> tuple[Any, Any]:
    """Bronze and the quarantine together hold every message of the topic exactly once; returns both."""
    bronze, quarantine = read_bronze(spark, options), read_quarantine(spark, options)
    landed = landed_keys(bronze) + landed_keys(quarantine)
    assert len(landed) == len(set(landed)), "a message landed twice"
    assert sorted(landed) == sorted(topic_messages(spark, kafka, options.topic)), "a message is missing"
    return bronze, quarantine


def test_lands_json_messages_with_duplicates_late_and_out_of_order_events(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    # GIVEN three partitions of events whose event times are shuffled, some a week late, one sent twice
    options = local_options(tmp_path, arguments("web_events", "web.clickstream.json", COLUMNS, partitions="3", max_offsets_per_trigger="25"))
    rng = random.Random(13)
    late = {5, 17, 42}
    events = [(number % 3, event(number, BASE - dt.timedelta(days=7) if number in late else None)) for number in range(60)]
    rng.shuffle(events)
    duplicate = next(message for message in events if '"e00008"' in message[1])
    messages = [*events, (2, duplicate[1])]
    platform = LocalStreamPlatform(kafka)

    # WHEN the job creates the topic and reads it, 25 messages per micro-batch
    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, messages)
    run_once(spark, options, platform, "jr_1")

    # THEN every message is in bronze once, typed, with where it came from; nothing is quarantined
    bronze, quarantine = assert_each_message_landed_once(spark, kafka, options)
    assert quarantine.count() == 0
    assert bronze.count() == 61
    rows = {row["event_id"]: row for row in bronze.where("event_id != 'e00008'").collect()}
    assert len(rows) == 59
    assert rows["e00005"]["event_at"] == BASE - dt.timedelta(days=7), "a late event keeps its event time"
    assert rows["e00059"]["page_url"] == "/products/59?q=caf\u00e9 \u2713"
    assert rows["e00059"]["customer_id"] == 1000 + 59 % 13
    assert {row["_source"] for row in rows.values()} == {"kafka:web.clickstream.json"}
    assert {row["ingestion_date"] for row in rows.values()} == {"2026-12-04"}
    assert {row["_ingested_at"] for row in rows.values()} == {LANDED_AT.replace(tzinfo=None)}
    # The duplicate the producer sent is a message of its own; silver removes it on the dataset's keys.
    twice = bronze.where("event_id = 'e00008'").collect()
    assert len(twice) == 2 and len({(row["_kafka_partition"], row["_kafka_offset"]) for row in twice}) == 2
    # Out-of-order event times land in the order of their offsets, all of them in the landing day's partition.
    batches = sorted({row["_batch_id"] for row in bronze.collect()}, key=lambda name: int(name.split("-")[1]))
    assert batches == ["jr_1-0", "jr_1-1", "jr_1-2"]
    assert files_under(options.target_path) == [f"ingestion_date=2026-12-04/part-{batch}.json" for batch in sorted(batches)]
    assert platform.partitions == ["2026-12-04"] * 3


def test_quarantines_poison_messages_with_the_reason(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    options = local_options(tmp_path, arguments("web_events", "web.clickstream.poison", COLUMNS))
    poison = {
        "not json {": "message is not a JSON object",
        "[1, 2]": "message is not a JSON object",
        "": "message is not a JSON object",
        event(901, customer_id="C-77"): "customer_id: not a bigint",
        event(902, event_at="yesterday"): "event_at: not a timestamp",
        json.dumps({"event_id": "e00903", "event_type": "page_view", "event_at": "2026-12-04T09:00:00"}): "session_id: null in a not-nullable column",
        event(904, customer_id="x", session_id=None): "session_id: null in a not-nullable column; customer_id: not a bigint",
    }
    good = [event(number) for number in range(10)]
    messages: list[tuple[int, bytes | str | None]] = [(0, value) for value in good[:5]]
    messages += [(0, value) for value in poison] + [(0, None), (0, b"\xff\xfe\x00 not utf-8")] + [(0, value) for value in good[5:]]
    platform = LocalStreamPlatform(kafka)

    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, messages)
    run_once(spark, options, platform, "jr_1")

    bronze, quarantine = assert_each_message_landed_once(spark, kafka, options)
    assert sorted(row["event_id"] for row in bronze.collect()) == [f"e{number:05d}" for number in range(10)]
    reasons = {row["record"]: row["reason"] for row in quarantine.collect() if row["record"] is not None and "not utf-8" not in row["record"]}
    assert reasons == {record: reason for record, reason in poison.items()}
    others = {row["_kafka_offset"]: (row["record"], row["reason"]) for row in quarantine.collect() if row["record"] is None or "not utf-8" in row["record"]}
    assert others[12] == (None, "message is not a JSON object"), "a message without a value"
    assert others[13][1] == "message is not a JSON object" and others[13][0].endswith("not utf-8")
    assert files_under(options.quarantine_path) == ["ingestion_date=2026-12-04/part-jr_1-0.json"]


def test_stops_and_restarts_from_the_checkpoint_without_losing_or_repeating_a_message(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    options = local_options(
        tmp_path, arguments("web_events", "web.clickstream.restart", COLUMNS, partitions="2", trigger_seconds="1", max_offsets_per_trigger="100")
    )
    platform = LocalStreamPlatform(kafka)
    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, [(number % 2, event(number)) for number in range(400)])

    # WHEN the running job is stopped mid-stream, after two micro-batches, while it is busy with more
    query = gs.start(spark, options, platform, "jr_1", clock=lambda: LANDED_AT)
    deadline = time.monotonic() + 120
    while (query.lastProgress is None or query.lastProgress["batchId"] < 1) and time.monotonic() < deadline:
        time.sleep(0.2)
    query.stop()
    first = read_bronze(spark, options).count()
    assert 200 <= first < 400, f"the stop came mid-stream ({first} of 400 landed)"

    # AND more messages arrive while it is down, and it runs again from its checkpoint
    produce(spark, kafka, options.topic, [(number % 2, event(number)) for number in range(400, 500)])
    run_once(spark, options, platform, "jr_2")

    # THEN every message is in bronze once
    bronze, _ = assert_each_message_landed_once(spark, kafka, options)
    assert bronze.count() == 500
    assert sorted(row["event_id"] for row in bronze.collect()) == [f"e{number:05d}" for number in range(500)]
    runs = {row["_batch_id"].split("-")[0] for row in bronze.collect()}
    assert runs == {"jr_1", "jr_2"}


def test_a_micro_batch_that_runs_again_after_landing_adds_nothing(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    options = local_options(tmp_path, arguments("web_events", "web.clickstream.replay", COLUMNS, max_offsets_per_trigger="30"))
    platform = LocalStreamPlatform(kafka)
    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, [(0, event(number)) for number in range(50)] + [(0, "poison")])
    run_once(spark, options, platform, "jr_1")
    files = files_under(options.target_path) + files_under(options.quarantine_path)

    # GIVEN the last micro-batch landed its files but the job died before Spark recorded its commit
    checkpoint = local_path(options.checkpoint_path)
    last = max(int(path.name) for path in (checkpoint / "commits").iterdir() if path.name.isdigit())
    for path in (checkpoint / "commits").glob(f"*{last}*"):
        path.unlink()

    # WHEN the job runs again: Spark runs that micro-batch again with the same offsets
    run_once(spark, options, platform, "jr_2")

    # THEN it lands under its first identity, finds its files in place, and adds nothing
    assert (checkpoint / "commits" / str(last)).exists()
    assert files_under(options.target_path) + files_under(options.quarantine_path) == files
    bronze, quarantine = assert_each_message_landed_once(spark, kafka, options)
    assert (bronze.count(), quarantine.count()) == (50, 1)
    assert {row["_batch_id"] for row in bronze.collect()} == {"jr_1-0", "jr_1-1"}


def test_messages_lost_to_retention_stop_the_job_naming_them(spark: Any, kafka: KafkaBroker, tmp_path: Path) -> None:
    options = local_options(tmp_path, arguments("web_events", "web.clickstream.loss", COLUMNS))
    platform = LocalStreamPlatform(kafka)
    gs.ensure_topic(spark, options, platform.kafka_properties(options))
    produce(spark, kafka, options.topic, [(0, event(number)) for number in range(30)])
    run_once(spark, options, platform, "jr_1")

    # GIVEN messages 30-59 arrive while the job is down, and 30-44 expire before it runs again
    produce(spark, kafka, options.topic, [(0, event(number)) for number in range(30, 60)])
    delete_records(spark, kafka, options.topic, 0, 45)

    # WHEN it runs, THEN it stops with an error naming the dataset, the topic and the lost offsets
    with pytest.raises(gs.StreamingError) as failure:
        run_once(spark, options, platform, "jr_2")
    message = str(failure.value)
    assert message.startswith(
        "dataset web_events: messages of topic web.clickstream.loss are gone before this job read them (partition 0: offsets 30 to 44 (15 message(s))): "
        "the topic's retention (168 h) expired them or they were deleted, and the job stops rather than skip them."
    )
    assert f"move the checkpoint {options.checkpoint_path} aside" in message
    assert "Spark said: Could not read records in offset [30, 60) for topic partition web.clickstream.loss-0" in message

    # AND bronze holds the messages before the gap and nothing after it, however often it is restarted
    with pytest.raises(gs.StreamingError):
        run_once(spark, options, platform, "jr_3")
    assert sorted(row["event_id"] for row in read_bronze(spark, options).collect()) == [f"e{number:05d}" for number in range(30)]
