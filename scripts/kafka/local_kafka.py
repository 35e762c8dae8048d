"""A throwaway Apache Kafka 4 broker on 127.0.0.1 for the streaming tests and benchmarks (KRaft, no ZooKeeper).

`start_broker()` (or `launch_broker()`, then `wait_until_started()`, to start something else meanwhile) formats a storage folder in a new temporary directory with a random cluster id
(`kafka.tools.StorageTool format`, a static one-node quorum) and starts one process that is broker and
controller at once (`kafka.Kafka server.properties`) on two free loopback ports, from the jars
scripts/setup-kafka.sh copies into the cache once (offline from then on). It returns once the server
reports itself started; `stop_broker` shuts it down and removes the folder. The broker logs to
<directory>/server.log, whose tail a failure to start shows.

Sized for a test on a small machine: one partition per topic unless told, internal topics with one
partition and one replica, a 512 MB heap, and group rebalances without the initial delay.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

ROOT = Path(__file__).resolve().parents[2]
STARTED = "Kafka Server started"
LOG4J2 = """\
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{{HH:mm:ss.SSS}} %p %c{{1}}: %m%n
"""
JVM_OPTIONS = ["-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"]


@dataclass
class KafkaBroker:
    """A running broker: its folder (storage, settings, log), its client port and its process."""

    directory: Path
    port: int
    process: subprocess.Popen

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.directory / "server.log"

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def kafka_jars() -> Path:
    """The folder of the broker's jars, copied into the cache once by scripts/setup-kafka.sh."""
    directory = Path(subprocess.run(["bash", str(ROOT / "scripts" / "setup-kafka.sh")], check=True, capture_output=True, text=True).stdout.strip())
    if not any(directory.glob("kafka_2.13-*.jar")):
        raise RuntimeError(f"no Kafka jars in {directory}; remove it and run scripts/setup-kafka.sh again")
    return directory


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cluster_id() -> str:
    """A random KRaft cluster id: a UUID in Kafka's text form (URL-safe base64, no padding), never starting
    with "-" (kafka-storage would read it as an option; Kafka's own Uuid.randomUuid draws again too)."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def server_properties(data: Path, port: int, controller_port: int, settings: Mapping[str, str]) -> str:
    properties = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(data),
        "num.partitions": "1",
        "num.network.threads": "2",
        "num.io.threads": "2",
        "offsets.topic.num.partitions": "1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.num.partitions": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
        **settings,
    }
    return "".join(f"{key}={value}\n" for key, value in properties.items())


def _java(jars: Path, directory: Path, *arguments: str) -> list[str]:
    return ["java", *JVM_OPTIONS, f"-Dlog4j2.configurationFile={directory / 'log4j2.properties'}", "-cp", f"{jars}/*", *arguments]


def launch_broker(settings: Mapping[str, str] | None = None) -> KafkaBroker:
    """Formats a new storage folder and starts a one-node broker and controller, without waiting for it.

    `settings` adds or overrides server properties (e.g. `log.retention.check.interval.ms`)."""
    if shutil.which("java") is None:
        raise RuntimeError("java is not on the PATH: the local Kafka broker needs Java 17")
    jars = kafka_jars()
    directory = Path(tempfile.mkdtemp(prefix="cps-kafka-"))
    port, controller_port = free_port(), free_port()
    (directory / "server.properties").write_text(server_properties(directory / "data", port, controller_port, settings or {}))
    (directory / "log4j2.properties").write_text(LOG4J2.format(log=directory / "server.log"))
    formatted = subprocess.run(
        _java(jars, directory, "kafka.tools.StorageTool", "format", "--cluster-id", cluster_id(), "--config", str(directory / "server.properties")),
        capture_output=True,
        text=True,
        check=False,
    )
    if formatted.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"kafka-storage format failed: {formatted.stderr.strip() or formatted.stdout.strip()}")
    with (directory / "stdout.log").open("w") as output:
        process = subprocess.Popen(
            _java(jars, directory, "kafka.Kafka", str(directory / "server.properties")), stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    return KafkaBroker(directory, port, process)


def wait_until_started(broker: KafkaBroker, timeout_seconds: float = 90) -> KafkaBroker:
    """Returns once the broker reports itself started; stops it and raises with its log when it does not."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if broker.process.poll() is not None:
            tail = broker.log_tail() or (broker.directory / "stdout.log").read_text(errors="replace")[-3000:]
            stop_broker(broker)
            raise RuntimeError(f"the Kafka broker exited with code {broker.process.returncode} while starting:\n{tail}")
        if broker.log.exists() and STARTED in broker.log.read_text(errors="replace"):
            return broker
        time.sleep(0.2)
    tail = broker.log_tail()
    stop_broker(broker)
    raise RuntimeError(f"the Kafka broker did not start within {timeout_seconds:.0f} s:\n{tail}")


def start_broker(settings: Mapping[str, str] | None = None) -> KafkaBroker:
    """A started broker (launch_broker, then wait_until_started)."""
    return wait_until_started(launch_broker(settings))


def stop_broker(broker: KafkaBroker, timeout_seconds: float = 30) -> None:
    """Shuts the broker down (SIGTERM: a controlled shutdown, then SIGKILL) and removes its folder."""
    if broker.process.poll() is None:
        os.killpg(broker.process.pid, signal.SIGTERM)
        try:
            broker.process.wait(timeout_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(broker.process.pid, signal.SIGKILL)
            broker.process.wait()
    shutil.rmtree(broker.directory, ignore_errors=True)


@contextmanager
def running_broker(settings: Mapping[str, str] | None = None) -> Iterator[KafkaBroker]:
    """A broker for the duration of the `with` block."""
    broker = start_broker(settings)
    try:
        yield broker
    finally:
        stop_broker(broker)
