#!/usr/bin/env bash
# `npm run lint:workflows`: actionlint and zizmor over every GitHub Actions workflow, offline.
#   actionlint (with shellcheck for the run: scripts) is built once from the Go module proxy into the cache
#   outside the repository (PLATFORM_CACHE_DIR, default ~/.cache/cloud-platform-solutions); zizmor and
#   shellcheck come from PyPI into .venv (requirements.txt). Fails on any finding of either.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION=1.7.12
CACHE=${PLATFORM_CACHE_DIR:-$HOME/.cache/cloud-platform-solutions}
ACTIONLINT=$CACHE/actionlint/$ACTIONLINT_VERSION/actionlint

bash scripts/setup-python.sh
if [ ! -x "$ACTIONLINT" ]; then
  if ! command -v go >/dev/null; then
    echo "lint-workflows: actionlint $ACTIONLINT_VERSION is not in $CACHE and there is no Go toolchain to build it; install Go >= 1.25" >&2
    exit 1
  fi
  echo "lint-workflows: building actionlint $ACTIONLINT_VERSION into $(dirname "$ACTIONLINT") (once)"
  GOTOOLCHAIN=local GOFLAGS=-mod=mod GOBIN=$(dirname "$ACTIONLINT") go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
fi

shopt -s nullglob
DIR=${WORKFLOW_DIR:-.github/workflows}
workflows=("$DIR"/*.yml "$DIR"/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "lint-workflows: no workflow in $DIR" >&2
  exit 1
fi
status=0
"$ACTIONLINT" -shellcheck .venv/bin/shellcheck -pyflakes= "${workflows[@]}" || status=1
# --offline: no GitHub API calls (online audits such as impostor commits need a token and the network).
env -u GH_TOKEN -u GITHUB_TOKEN -u ZIZMOR_GITHUB_TOKEN RUST_BACKTRACE=0 .venv/bin/zizmor --offline --no-progress --persona pedantic --format plain "${workflows[@]}" || status=1
if [ "$status" -ne 0 ]; then
  echo "lint-workflows: findings above (actionlint and/or zizmor)" >&2
  exit 1
fi
echo "lint-workflows: ${#workflows[@]} workflow(s) clean (actionlint $ACTIONLINT_VERSION, $(.venv/bin/zizmor --version))"
