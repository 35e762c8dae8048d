"""Throwaway servers the data-path tests read from, on 127.0.0.1 only: PostgreSQL and a paginated REST API.

PostgreSQL: `initdb` into a temporary folder, `pg_ctl start` on a free port (its unix socket in the same
folder, fsync off), one database; stopped and removed afterwards. As root (a CI container), the server
runs as the `postgres` user, which initdb requires. `.ci/run` installs Debian's postgresql when initdb is
missing.

REST: Python's http.server in a thread on a random port. `/v1/page` pages with `?page=N&page_size=M`
(an empty page ends it), `/v1/cursor` with `?cursor=C` (`next_cursor` null ends it); the first request
of each run gets a 429 with Retry-After and the next one a 503, which the ingestion must retry.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlparse

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# PostgreSQL


@dataclass
class PostgresServer:
    directory: Path
    port: int
    database: str = "erp"
    user: str = "postgres"

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://127.0.0.1:{self.port}/{self.database}"

    def sql(self, statements: str) -> str:
        """Runs SQL through psql over TCP; returns its unaligned output; fails with psql's message."""
        result = subprocess.run(
            ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-q", "-tA", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", self.database],
            input=statements,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()


def _as_server_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres() -> PostgresServer:
    for tool in ("initdb", "pg_ctl", "psql"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not on the PATH: install PostgreSQL (Debian: apt-get install postgresql; binaries in /usr/lib/postgresql/<v>/bin)")
    directory = Path(tempfile.mkdtemp(prefix="cps-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    data = directory / "data"
    subprocess.run(_as_server_user(["initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]), check=True, capture_output=True)
    port = free_port()
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC"
    subprocess.run(_as_server_user(["pg_ctl", "-D", str(data), "-w", "-t", "60", "-l", str(directory / "server.log"), "-o", options, "start"]), check=True, capture_output=True)
    server = PostgresServer(directory, port)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", server.database], check=True, capture_output=True)
    return server


def stop_postgres(server: PostgresServer) -> None:
    subprocess.run(_as_server_user(["pg_ctl", "-D", str(server.directory / "data"), "-m", "immediate", "-w", "stop"]), check=False, capture_output=True)
    shutil.rmtree(server.directory, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# REST API


@dataclass
class RestApi:
    """The records the API serves and what it has answered (each path's status codes, in order)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[tuple[int, str | None]] = field(default_factory=list)
    answered: list[tuple[str, int]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self, records: list[dict[str, Any]], failures: list[tuple[int, str | None]]) -> None:
        """Serves `records` from now on; the next requests get `failures` (status, Retry-After) first, once each."""
        self.records = records
        self.failures = list(failures)
        self.answered = []
        self.authorizations = []

    def respond(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        if self.failures:
            status, retry_after = self.failures.pop(0)
            return status, ({"Retry-After": retry_after} if retry_after is not None else {}), {"error": "try again"}
        if path == "/v1/page":
            page, size = int(query.get("page", ["1"])[0]), int(query.get("page_size", ["100"])[0])
            return 200, {}, {"data": self.records[(page - 1) * size : page * size]}
        if path == "/v1/cursor":
            start = int(query.get("cursor", ["0"])[0])
            end = start + CURSOR_PAGE_SIZE
            return 200, {}, {"items": self.records[start:end], "next_cursor": str(end) if end < len(self.records) else None}
        return 404, {}, {"error": f"no such path {path}"}


CURSOR_PAGE_SIZE = 250


def start_rest_api() -> tuple[RestApi, ThreadingHTTPServer]:
    api = RestApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            status, headers, body = api.respond(url.path, parse_qs(url.query))
            api.answered.append((self.path, status))
            api.authorizations.append(self.headers.get("Authorization"))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return api, server


# ---------------------------------------------------------------------------------------------
# Fixtures (registered by conftest.py)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test run, on 127.0.0.1; stopped and removed at the end."""
    server = start_postgres()
    try:
        yield server
    finally:
        stop_postgres(server)


@pytest.fixture(scope="session")
def rest_api() -> Iterator[RestApi]:
    """The local REST API for the whole test run; tests set what it serves with `serve`."""
    api, server = start_rest_api()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
