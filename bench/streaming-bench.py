"""`npm run bench:streaming`: messages per second through a local Kafka broker into bronze and silver, and the
end-to-end latency of a steady stream, on the code the cloud runs.

The broker is scripts/kafka/local_kafka.py's (Apache Kafka 4 in KRaft mode on 127.0.0.1); the streaming job
is the Glue streaming core (constructs/aws/jobs/glue_stream.py) with the local platform of the streaming
tests; silver is the Spark silver/gold application (constructs/aws/jobs/spark/silver_gold.py) with the
`dev` manifest of platform.yaml, on Iceberg in a local catalog. The dataset is `web_events` (JSON messages,
its columns from the definition) on a topic of --partitions partitions.

1. backlog: --messages messages produced first (Spark's Kafka sink; 1 in 200 with an unknown event type,
   which silver quarantines; 1 in 1,000 not JSON, which the streaming job quarantines), then read by one run
   of the job (`availableNow`): messages per second into bronze. Then silver and gold from that bronze:
   rows per second. Every message is counted: bronze + stream quarantine = produced, and bronze = silver
   accepted + silver quarantined.
2. steady stream: --rate messages per second for --seconds seconds while the job runs with a 1-second
   trigger. Each message carries its send time (`event_at`, the producing Spark job's timestamp); its
   latency is the time its bronze file was written (file modification time, just before the rename that
   makes it visible) minus that send time. Prints p50, p95, p99 and max, and the rate bronze kept up with.

Silver on AWS is a scheduled batch step, so its latency is the schedule's; the benchmark gives its
throughput. The machine is noisy: compare figures within one run. Options: --messages N (default 200,000),
--rate N (default 2,000), --seconds N (default 30), --partitions N (default 3), --cores N (default 2),
--keep (leave the work folder).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [
    str(ROOT / "scripts" / "spark"),
    str(ROOT / "scripts" / "kafka"),
    str(ROOT / "test" / "spark"),
    str(ROOT / "test" / "streaming"),
    str(ROOT / "constructs" / "aws" / "jobs"),
    str(ROOT / "constructs" / "aws" / "jobs" / "spark"),
]

import glue_stream as gs  # noqa: E402
import silver_gold as app  # noqa: E402
from engines import render_manifest  # noqa: E402
from local_kafka import launch_broker, stop_broker, wait_until_started  # noqa: E402
from local_platform import LocalLakeFormation  # noqa: E402
from local_spark import local_session  # noqa: E402
from local_stream import LocalStreamPlatform, arguments, local_options, read_bronze, read_quarantine, run_once  # noqa: E402

DATASET, DOMAIN = "web_events", "marketing"


def stream_dataset(manifest: dict) -> dict:
    """The web_events dataset of the manifest (the benchmark's columns and rules come from the definition)."""
    for dataset in manifest["domains"].get(DOMAIN, []):
        if dataset["name"] == DATASET:
            return dataset
    raise SystemExit(f"bench:streaming: platform.yaml's dev environment has no stream dataset {DOMAIN}.{DATASET}")


def produce(spark, servers: str, topic: str, first: int, count: int, partitions: int) -> None:
    """`count` web events numbered from `first`, spread over the partitions, their event_at the send time."""
    from pyspark.sql import functions as F

    n = F.col("id")
    event_type = F.when(n % 200 == 7, "unknown").otherwise(F.element_at(F.array(*[F.lit(t) for t in ("page_view", "add_to_cart", "search", "checkout")]), (n % 4 + 1).cast("int")))
    event = F.to_json(
        F.struct(
            F.format_string("e%09d", n).alias("event_id"),
            F.format_string("s%d", n % 997).alias("session_id"),
            (n % 5000 + 1000).alias("customer_id"),
            event_type.alias("event_type"),
            F.format_string("/products/%d", n % 300).alias("page_url"),
            F.lit("192.0.2.1").alias("ip_address"),
            F.date_format(F.current_timestamp(), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS").alias("event_at"),
        )
    )
    value = F.when(n % 1000 == 3, F.lit("{not json")).otherwise(event)
    frame = spark.range(first, first + count).select((n % partitions).cast("int").alias("partition"), value.alias("value"))
    frame.write.format("kafka").option("kafka.bootstrap.servers", servers).option("topic", topic).save()


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))]


def latencies(spark, options) -> list[float]:
    """Seconds from each landed message's send time to its bronze file's write, sorted."""
    from pyspark.sql import functions as F

    rows = read_bronze(spark, options).select(F.input_file_name().alias("file"), F.col("event_at").cast("double").alias("sent")).collect()
    written = {file: os.stat(file.removeprefix("file:")).st_mtime for file in {row.file for row in rows}}
    return sorted(written[row.file] - row.sent for row in rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--rate", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    settings = parser.parse_args(argv)
    for name in ("messages", "rate", "seconds", "partitions", "cores"):
        if getattr(settings, name) < 1:
            parser.error(f"--{name} ({getattr(settings, name)}) must be at least 1")

    manifest = render_manifest("dev")
    dataset = stream_dataset(manifest)
    manifest = {**manifest, "domains": {DOMAIN: [dataset]}}
    columns = [{key: column[key] for key in ("name", "type", "nullable")} for column in dataset["columns"]]
    work = Path(tempfile.mkdtemp(prefix="cps-streaming-bench-"))
    broker = launch_broker()
    spark = local_session(work / "warehouse", "cloud-platform-solutions-streaming-bench", cores=settings.cores, driver_memory="3g", shuffle_partitions=max(4, settings.cores * 2))
    results: list[tuple[str, int, float]] = []
    try:
        wait_until_started(broker)
        platform = LocalStreamPlatform(broker)

        # 1. Backlog into bronze, then silver and gold.
        backlog = local_options(work, arguments(DATASET, "bench-backlog", columns, domain=DOMAIN, partitions=str(settings.partitions), keys=",".join(dataset["keys"])))
        gs.ensure_topic(spark, backlog, platform.kafka_properties(backlog))
        started = time.monotonic()
        produce(spark, broker.bootstrap_servers, backlog.topic, 0, settings.messages, settings.partitions)
        results.append(("produce to Kafka", settings.messages, time.monotonic() - started))
        started = time.monotonic()
        run_once(spark, backlog, platform, "jr_backlog")
        results.append(("Kafka -> bronze (streaming job)", settings.messages, time.monotonic() - started))
        bronze_rows, stream_quarantined = read_bronze(spark, backlog).count(), read_quarantine(spark, backlog).count()
        if bronze_rows + stream_quarantined != settings.messages:
            raise SystemExit(f"bench:streaming: {settings.messages:,} produced but {bronze_rows:,} in bronze + {stream_quarantined:,} quarantined")
        lake = app.parse_args(
            ["--environment", "dev", "--domain", DOMAIN, "--catalog", "lake", "--bronze", str(work / "acme-test-bronze"), "--silver", str(work / "silver"), "--gold", str(work / "gold")]
        )
        started = time.monotonic()
        [summary] = app.run(spark, lake, manifest, app.TableTagger(LocalLakeFormation(), manifest))
        results.append(("bronze -> silver + gold", bronze_rows, time.monotonic() - started))
        if summary["accepted_rows"] + summary["quarantined_rows"] != bronze_rows:
            raise SystemExit(f"bench:streaming: {bronze_rows:,} in bronze but silver accepted {summary['accepted_rows']:,} + quarantined {summary['quarantined_rows']:,}")

        # 2. A steady stream with the job running.
        steady = local_options(work, arguments(DATASET, "bench-steady", columns, domain=DOMAIN, partitions=str(settings.partitions), keys=",".join(dataset["keys"]), target_prefix=f"steady/{DOMAIN}/{DATASET}/", quarantine_prefix=f"_quarantine/steady/{DATASET}/", checkpoint_prefix=f"_checkpoints/steady/{DATASET}/"))
        gs.ensure_topic(spark, steady, platform.kafka_properties(steady))
        query = gs.start(spark, steady, platform, "jr_steady", trigger={"processingTime": "1 second"})
        sent, stop = [0], threading.Event()

        def producer() -> None:
            began = time.monotonic()
            while not stop.is_set() and time.monotonic() - began < settings.seconds:
                due = int((time.monotonic() - began + 1) * settings.rate) - sent[0]
                if due > 0:
                    produce(spark, broker.bootstrap_servers, steady.topic, settings.messages + sent[0], due, settings.partitions)
                    sent[0] += due
                time.sleep(max(0.0, began + (sent[0] / settings.rate) - 1 - time.monotonic() + 0.05))

        started = time.monotonic()
        thread = threading.Thread(target=producer, name="bench-producer")
        thread.start()
        thread.join()
        send_seconds = time.monotonic() - started
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            landed = read_bronze(spark, steady).count() + read_quarantine(spark, steady).count() if (work / "acme-test-bronze" / "steady").exists() else 0
            if landed >= sent[0]:
                break
            time.sleep(1)
        caught_up = time.monotonic() - started
        query.stop()
        if landed != sent[0]:
            raise SystemExit(f"bench:streaming: the steady stream sent {sent[0]:,} messages but {landed:,} landed within 2 minutes")
        lags = latencies(spark, steady)
    finally:
        spark.stop()
        stop_broker(broker)
        if not settings.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nbench:streaming: {DOMAIN}.{DATASET} on a local Kafka broker, {settings.partitions} partitions, local[{settings.cores}] (work folder {'kept: ' + str(work) if settings.keep else 'removed'})\n")
    print(f"{'backlog step':<34}{'messages':>12}{'seconds':>10}{'msg/s':>12}")
    for label, count, seconds in results:
        print(f"{label:<34}{count:>12,}{seconds:>10.1f}{count / seconds:>12,.0f}")
    print(f"\nbacklog: produced {settings.messages:,} = bronze {bronze_rows:,} + stream quarantine {stream_quarantined:,}; "
          f"bronze = silver accepted {summary['accepted_rows']:,} + silver quarantined {summary['quarantined_rows']:,}")  # fmt: skip
    print(f"\nsteady stream: {sent[0]:,} messages sent in {send_seconds:.1f} s ({sent[0] / send_seconds:,.0f} msg/s asked {settings.rate:,}), "
          f"all landed {caught_up - send_seconds:.1f} s after the last send (1-second trigger)")  # fmt: skip
    print(f"{'latency send -> bronze (s)':<34}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    print(f"{'':<34}" + "".join(f"{percentile(lags, q):>8.2f}" for q in (0.5, 0.95, 0.99)) + f"{lags[-1]:>8.2f}")
    print(f"(at {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
