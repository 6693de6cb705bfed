"""`lienhiep backup` and `lienhiep restore`: the whole instance — every table and every private file — in one
.tar.gz that moves between SQLite and PostgreSQL.

The archive holds:
- `data/<app>.<model>.jsonl`: one table per file, its column names on the first line, then one JSON array per row
  in primary-key order (dates ISO 8601, decimals as text, so nothing depends on the database that wrote it);
- `files/<path>`: every file under the private storage folder (uploads, generated documents, certificates);
- `manifest.json`: format, time, database vendor, the applied migrations, rows and sha256 per table, size and
  sha256 per file.

Restore refuses a database that holds data (unless forced), migrates it, checks that the backup's migrations are
exactly the code's, empties every table, loads every row in one transaction (foreign keys are checked at commit),
resets the id sequences, writes the files, then verifies every table's row count and every file's checksum
against the manifest. The cache table is not backed up (it is a cache)."""

import base64
import datetime
import decimal
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

FORMAT = 1
BATCH = 500
# Rows `migrate` itself writes into an empty database: they do not make a database "hold data".
MIGRATE_MADE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(CommandError):
    """A backup or restore that cannot go on; the message says why, in the user's language."""


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages, many-to-many tables included, in a stable order."""
    return sorted(
        (m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.label_lower,
    )


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def storage_root() -> Path:
    return Path(storages["default"].location)


def applied_migrations(using: str) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections[using]).applied_migrations())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(path: Path, *, using: str = "default", files_root: Path | None = None) -> Summary:
    """Write the whole instance to `path` (.tar.gz); the tables are read in one transaction (one snapshot)."""
    files_root = files_root or storage_root()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": applied_migrations(using),
        "tables": {},
        "files": {},
    }
    partial = path.with_name(path.name + ".part")
    rows_total = 0
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with tarfile.open(partial, "w:gz") as archive, tempfile.TemporaryDirectory() as scratch:
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for model in backed_up_models():
                fields = model._meta.concrete_fields
                label = model._meta.label_lower
                scratch_file = Path(scratch) / f"{label}.jsonl"
                digest, count = hashlib.sha256(), 0
                with scratch_file.open("wb") as out:
                    header = json.dumps([f.name for f in fields]).encode() + b"\n"
                    out.write(header)
                    digest.update(header)
                    rows = model._base_manager.using(using).order_by("pk").values_list(*(f.attname for f in fields))
                    for row in rows.iterator(chunk_size=2000):
                        line = json.dumps(row, default=_encode, ensure_ascii=False).encode() + b"\n"
                        out.write(line)
                        digest.update(line)
                        count += 1
                archive.add(scratch_file, f"data/{label}.jsonl")
                scratch_file.unlink()
                manifest["tables"][label] = {"rows": count, "sha256": digest.hexdigest()}
                rows_total += count
        size_total = 0
        if files_root.exists():
            for file in sorted(p for p in files_root.rglob("*") if p.is_file()):
                relative = file.relative_to(files_root).as_posix()
                manifest["files"][relative] = {"size": file.stat().st_size, "sha256": _sha256_file(file)}
                size_total += file.stat().st_size
                archive.add(file, f"files/{relative}")
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    partial.replace(path)
    return Summary(len(manifest["tables"]), rows_total, len(manifest["files"]), size_total)


def holds_data(using: str = "default") -> bool:
    """Whether any table (other than those `migrate` fills) has a row; a database without tables holds none."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    for model in backed_up_models():
        if model._meta.label_lower in MIGRATE_MADE or model._meta.db_table not in existing:
            continue
        if model._base_manager.using(using).exists():
            return True
    return False


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile("manifest.json")
        manifest = json.load(member)
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError(_("This file is not a Lienhiep backup (no manifest).")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup's format (%s) is not one this version can read.") % manifest.get("format"))
    return manifest


def _load_table(archive: tarfile.TarFile, label: str, using: str) -> int:
    model = apps.get_model(label)
    connection = connections[using]
    handle = archive.extractfile(f"data/{label}.jsonl")
    names = json.loads(handle.readline())
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values as parameters
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )

    def prepared(raw: list) -> list:
        values = []
        for field, value in zip(fields, raw, strict=True):
            if value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
            values.append(field.get_db_prep_save(value, connection))
        return values

    count, batch = 0, []
    with connection.cursor() as cursor:
        for line in handle:
            batch.append(prepared(json.loads(line)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _safe_target(root: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        raise BackupError(_("The backup holds a file outside the storage folder: %s") % relative)
    return root.joinpath(*pure.parts)


def restore(path: Path, *, using: str = "default", files_root: Path | None = None, force: bool = False) -> Summary:
    """Restore a backup into an empty instance (or, with `force`, replace what the database holds)."""
    files_root = files_root or storage_root()
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("The backup file cannot be read: %s") % error) from error
    with archive:
        manifest = _read_manifest(archive)
        if not force and holds_data(using):
            raise BackupError(
                _("The database already holds data; restore only into an empty one, or add --force to replace it.")
            )
        call_command("migrate", database=using, interactive=False, verbosity=0)
        call_command("createcachetable", database=using, verbosity=0)
        if applied_migrations(using) != manifest["migrations"]:
            raise BackupError(
                _(
                    "This backup was made by another version of Lienhiep (its migrations differ); "
                    "restore it with the version that made it."
                )
            )
        labels = {m._meta.label_lower for m in backed_up_models()}
        if set(manifest["tables"]) != labels:
            raise BackupError(_("This backup's tables do not match this version of Lienhiep."))
        connection = connections[using]
        chosen = backed_up_models()
        rows_total = 0
        with transaction.atomic(using=using):
            tables = [m._meta.db_table for m in chosen]
            with connection.cursor() as cursor:
                for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=False):
                    cursor.execute(statement)
            for model in chosen:
                label = model._meta.label_lower
                loaded = _load_table(archive, label, using)
                if loaded != manifest["tables"][label]["rows"]:
                    raise BackupError(_("Table %s is incomplete in the backup.") % label)
                rows_total += loaded
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), chosen):
                    cursor.execute(statement)
        for label, expected in manifest["tables"].items():
            if apps.get_model(label)._base_manager.using(using).count() != expected["rows"]:
                raise BackupError(_("Table %s does not hold the backed-up rows after the restore.") % label)
        size_total = 0
        for relative, expected in manifest["files"].items():
            target = _safe_target(files_root, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(f"files/{relative}")
            with target.open("wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256_file(target) != expected["sha256"]:
                raise BackupError(_("File %s is damaged in the backup.") % relative)
            size_total += expected["size"]
    return Summary(len(manifest["tables"]), rows_total, len(manifest["files"]), size_total)
