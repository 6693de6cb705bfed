"""Helpers for the tests that need a second, real database or a server in another process: an empty migrated
instance beside the test database (a copy of the SQLite test database in a file, or a PostgreSQL database made
from the test database as a template), and the environment a subprocess needs to use the test database."""

import contextlib
import copy
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend


@contextlib.contextmanager
def empty_instance(alias: str, folder: Path) -> Iterator[str]:
    """A second database alias holding the test database's schema and migrations but none of this test's rows.
    Use it at the start of a transactional test (nothing written yet); it is dropped afterwards."""
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
        default.close()  # a template database must have no other session
        with default._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}" TEMPLATE "{source}"')
    # A wrapper set on the handler but kept out of its settings: Django's test case leaves such "dynamically
    # created" connections alone (it would refuse a configured alias the test did not declare).
    connections[alias] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        if default.vendor == "postgresql":
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
