#!/usr/bin/env bash
# The local Spark of the data-path tests: PySpark comes with .venv (requirements.txt); this copies the
# extra jars of scripts/spark/pom.xml from Maven Central into the cache outside the repository
# (PLATFORM_CACHE_DIR, default ~/.cache/cloud-platform-solutions/spark-jars/<pom hash>/) once, and
# prints that directory. Idempotent; offline once the jars are there. Needs Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${PLATFORM_CACHE_DIR:-$HOME/.cache/cloud-platform-solutions}
POM=scripts/spark/pom.xml
JARS=$CACHE/spark-jars/$(sha256sum "$POM" | cut -c1-16)

if [ ! -f "$JARS/.complete" ]; then
  for tool in java mvn; do
    if ! command -v "$tool" >/dev/null; then
      echo "setup-spark: $tool is not on the PATH; the local Spark needs Java 17 and Maven" >&2
      exit 1
    fi
  done
  echo "setup-spark: copying the Spark jars of $POM into $JARS (once)" >&2
  rm -rf "$JARS" && mkdir -p "$JARS"
  mvn --batch-mode --quiet --file "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$JARS" -DexcludeTransitive=true -DincludeScope=runtime >&2
  touch "$JARS/.complete"
fi
echo "$JARS"
