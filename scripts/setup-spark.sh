#!/usr/bin/env bash
# The local Spark of the data-path tests: PySpark comes with .venv (requirements.txt); this copies the
# extra jars of scripts/spark/pom.xml (without their transitive dependencies: PySpark brings those) from
# Maven Central into the cache outside the repository (~/.cache/cloud-platform-solutions/spark-jars/<pom
# hash>/, scripts/maven-jars.sh) once, and prints that directory. Idempotent; offline once the jars are there.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/maven-jars.sh spark-jars scripts/spark/pom.xml direct
