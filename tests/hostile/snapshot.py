"""'The database exactly as before': a row count and a checksum of every row of every model's table."""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings

# The login session changes on every request (it is the client's, not data); nothing else is left out.
IGNORED = {"sessions.session"}


def database_state() -> dict[str, tuple[int, str]]:
    """label → (row count, sha256 of the sorted rows) for every concrete model's table."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in IGNORED:
            continue
        columns = [f.attname for f in meta.concrete_fields]
        rows = sorted(repr(row) for row in model._base_manager.order_by().values_list(*columns))
        state[meta.label_lower] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


def stored_files() -> set[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
