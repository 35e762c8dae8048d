#!/usr/bin/env bash
# The Apache Kafka broker of the streaming tests: copies the jars of scripts/kafka/pom.xml with every
# runtime dependency from Maven Central into the cache outside the repository
# (~/.cache/cloud-platform-solutions/kafka-jars/<pom hash>/, scripts/maven-jars.sh) once, and prints that
# directory. Idempotent; offline once the jars are there. scripts/kafka/local_kafka.py starts the broker.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/maven-jars.sh kafka-jars scripts/kafka/pom.xml transitive
