#!/usr/bin/env python3
"""Runs one dbt command in this process with the network cut, and fails if anything tried to reach it.

    .venv/bin/python scripts/dbt-offline.py parse --target databricks --target-path target/databricks

Used by scripts/dbt-databricks-compile.ts to parse and compile the project for the Databricks target
without a workspace: dbt-databricks (its SQL connector and the databricks-sdk) opens a connection only
when a node runs SQL, and it probes the host's /.well-known/databricks-config when it does. Here every
socket connect and every name lookup raises at once, so an attempt can neither hang on the connector's
retries nor reach a host; the attempts are counted and any attempt fails the run (exit 3) with the
addresses, even when dbt itself succeeded. Runs from dbt/ with the project's profiles and no usage
statistics, like scripts/dbt.sh. Exit 0 on success, 1 when dbt failed, 3 when the network was tried.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

ATTEMPTS: list[str] = []


def _refused(what: str) -> OSError:
    ATTEMPTS.append(what)
    return ConnectionRefusedError(f"dbt-offline: the network is cut for this run ({what})")


def cut_network() -> None:
    """Every connect and name lookup of this process fails immediately and is recorded."""

    def connect(self: socket.socket, address: object) -> None:
        raise _refused(f"connect {address!r}")

    def connect_ex(self: socket.socket, address: object) -> int:
        _refused(f"connect {address!r}")
        return 111

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        ATTEMPTS.append(f"resolve {host!r}")
        raise socket.gaierror(f"dbt-offline: the network is cut for this run (resolve {host!r})")

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    project = Path(__file__).resolve().parent.parent / "dbt"
    os.environ.update(
        DBT_PROFILES_DIR=str(project),
        DBT_PROJECT_DIR=str(project),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        # dbt's version check and the SDK's own lookups stay off even before the cut would stop them.
        DBT_VERSION_CHECK="false",
        DATABRICKS_CONFIG_FILE=os.devnull,
    )
    os.chdir(project)
    cut_network()
    from dbt.cli.main import dbtRunner  # after the cut: nothing may open a connection while importing

    result = dbtRunner().invoke(argv)
    if ATTEMPTS:
        print(f"dbt-offline: dbt {' '.join(argv)} tried to reach the network {len(ATTEMPTS)} time(s):", file=sys.stderr)
        for attempt in sorted(set(ATTEMPTS)):
            print(f"  {attempt}", file=sys.stderr)
        return 3
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
