"""Named states of the test database, each built once per test session (per xdist worker) and put back in
milliseconds instead of being built again: "migrated" (what `migrate` leaves), "cast" (the fixed cast of
tests/conftest.py) and "demo" (what `lienhiep demo` loads).

Between two tests the database always holds the cast: a test in a transaction rolls back to it, and a
transactional test (one that commits: live server, other processes) puts it back when it ends, instead of
Django's flush (see `tests/conftest.py`).

- SQLite (the test database is in memory): the whole database is copied with SQLite's backup API, to a second
  in-memory database and back; the FTS5 search index and its triggers come along unchanged.
- PostgreSQL: each table is copied to a schema of its own (`state_<name>`) in the test database; putting a state
  back deletes every row and copies the rows back, in one transaction (the foreign keys are deferred). Sequences
  are left as they are: they only ever move forward, so a new row never takes the id of a restored one.
"""

import sqlite3

from django.db import connections, transaction

_sqlite_states: dict[str, sqlite3.Connection] = {}
_postgres_tables: list[str] = []


def _tables(connection) -> list[str]:
    return [t for t in connection.introspection.table_names(include_views=False) if t != "django_migrations"]


def save(name: str) -> None:
    """Keep what the test database holds now as the state `name` (replacing an earlier one of that name)."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _sqlite_states[name] = copy
        return
    schema = connection.ops.quote_name(f"state_{name}")
    _postgres_tables[:] = _tables(connection)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in _postgres_tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"CREATE UNLOGGED TABLE {schema}.{quoted} AS TABLE public.{quoted}")


def restore(name: str, using: str = "default") -> None:
    """Make the database hold the state `name` again, committed. Call it outside any transaction. `using` may
    name a copy of the test database (tests/live.py `empty_instance`): on PostgreSQL the copy has the states'
    schemas too."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        _sqlite_states[name].backup(connection.connection)
        return
    schema = connection.ops.quote_name(f"state_{name}")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in _postgres_tables:
            cursor.execute(f"DELETE FROM public.{connection.ops.quote_name(table)}")
        for table in _postgres_tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"INSERT INTO public.{quoted} SELECT * FROM {schema}.{quoted}")
