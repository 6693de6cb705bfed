"""Helpers for the tests that need a second, real database or a server in another process: an empty migrated
instance beside the test database (a copy of the SQLite test database in a file, or a PostgreSQL database made
from the test database as a template), and the environment a subprocess needs to use the test database."""

import contextlib
import copy
import http.client
import http.cookies
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend

from tests import dbstate

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def empty_instance(alias: str, folder: Path) -> Iterator[str]:
    """A second database alias holding the test database's schema and migrations and the rows `migrate` writes,
    but neither the cast nor this test's rows. Use it at the start of a transactional test (nothing written yet);
    it is dropped afterwards."""
    default = connections["default"]
    settings = copy.deepcopy(default.settings_dict)
    if default.vendor == "sqlite":
        target = folder / f"{alias}.sqlite3"
        default.ensure_connection()
        copy_to = sqlite3.connect(target)
        default.connection.backup(copy_to)
        copy_to.close()
        settings["NAME"] = str(target)
    else:
        source = default.settings_dict["NAME"]
        settings["NAME"] = f"{source}_{alias}"
        default.close()  # a template database must have no other session: close ours, end those left behind
        with default._nodb_cursor() as cursor:  # by earlier tests' threads and servers in the same run
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [source],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}" TEMPLATE "{source}"')
    # A wrapper set on the handler but kept out of its settings: Django's test case leaves such "dynamically
    # created" connections alone (it would refuse a configured alias the test did not declare).
    connections[alias] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias)
    dbstate.restore("migrated", using=alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        if default.vendor == "postgresql":
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')


@contextlib.contextmanager
def served_database(folder: Path) -> Iterator[str]:
    """The test database made reachable by other processes; yields its DATABASE_URL. Use it in a transactional
    test. On PostgreSQL that is the test database itself. An in-memory SQLite test database is copied into a file
    and the test's own connection is moved onto that file for the duration (the in-memory one is kept open,
    since closing its last connection would drop it)."""
    default = connections["default"]
    if default.vendor != "sqlite":
        s = default.settings_dict
        yield f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    target = folder / "live.sqlite3"
    default.ensure_connection()
    copy_to = sqlite3.connect(target)
    default.connection.backup(copy_to)
    copy_to.close()
    memory, name = default.connection, default.settings_dict["NAME"]
    default.connection = None
    default.settings_dict["NAME"] = str(target)
    try:
        yield f"sqlite:///{target}"
    finally:
        default.close()
        default.settings_dict["NAME"] = name
        default.connection = memory


def subprocess_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server or worker process working on the test database."""
    from django.conf import settings

    var_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIENHIEP_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",
        LIENHIEP_VAR_DIR=str(var_dir),
        SECRET_KEY=settings.SECRET_KEY,
        DJANGO_SETTINGS_MODULE="tests.live_settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


class Server:
    """gunicorn serving the application in another process, on a socket this process bound to a free port; by
    default as `lienhiep serve` runs it (2 sync workers)."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 1):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.socket.set_inheritable(True)
        self.port = self.socket.getsockname()[1]
        fd = self.socket.fileno()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lienhiep.wsgi:application", "--bind", f"fd://{fd}",
             "--workers", str(workers), "--worker-class", "gthread" if threads > 1 else "sync",
             "--threads", str(threads), "--preload",
             "--timeout", "120", "--graceful-timeout", "5"],
            cwd=ROOT, env=env, pass_fds=[fd], stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, path: str = "/static/css/lienhiep.css", timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.output()}")
            try:
                self.request("GET", path, timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.output()}")

    def request(
        self, method: str, path: str, *, body: dict | None = None, cookies: dict | None = None, timeout: float = 60
    ) -> tuple[int, dict[str, str], str]:
        """One request on a fresh connection: (status, headers, body text); redirects are not followed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            out_headers = {k.lower(): v for k, v in response.getheaders() if k.lower() != "set-cookie"}
            jar = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
            out_headers["set-cookie"] = "\n".join(jar)
            return response.status, out_headers, text
        finally:
            connection.close()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-5000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.socket.close()


def set_cookies(headers: dict[str, str]) -> dict[str, str]:
    """The cookies a response sets (name → value, unquoted; an expired one → empty)."""
    jar = http.cookies.SimpleCookie()
    for line in filter(None, headers.get("set-cookie", "").split("\n")):
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}
