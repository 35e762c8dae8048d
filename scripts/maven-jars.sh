#!/usr/bin/env bash
# Copies the jars of a Maven pom from Maven Central into the cache outside the repository once, and
# prints their directory: PLATFORM_CACHE_DIR (default ~/.cache/cloud-platform-solutions)/<name>/<pom hash>/.
# A changed pom gets a new directory; a complete one is never touched again (offline from then on).
#   scripts/maven-jars.sh NAME POM direct       the pom's own dependencies only (they sit beside jars that
#                                               bring the rest, e.g. PySpark's)
#   scripts/maven-jars.sh NAME POM transitive   with every runtime dependency (a program of its own)
# Needs Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 3 ] || { [ "$3" != direct ] && [ "$3" != transitive ]; }; then
  echo "usage: scripts/maven-jars.sh NAME POM direct|transitive" >&2
  exit 2
fi
NAME=$1 POM=$2 DEPENDENCIES=$3
CACHE=${PLATFORM_CACHE_DIR:-$HOME/.cache/cloud-platform-solutions}
JARS=$CACHE/$NAME/$(sha256sum "$POM" | cut -c1-16)

if [ ! -f "$JARS/.complete" ]; then
  for tool in java mvn; do
    if ! command -v "$tool" >/dev/null; then
      echo "maven-jars: $tool is not on the PATH; $NAME needs Java 17 and Maven" >&2
      exit 1
    fi
  done
  echo "maven-jars: copying the jars of $POM into $JARS (once)" >&2
  rm -rf "$JARS" && mkdir -p "$JARS"
  exclude_transitive=$([ "$DEPENDENCIES" = direct ] && echo true || echo false)
  mvn --batch-mode --quiet -Dstyle.color=never --file "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$JARS" -DexcludeTransitive="$exclude_transitive" -DincludeScope=runtime >&2
  touch "$JARS/.complete"
fi
echo "$JARS"
