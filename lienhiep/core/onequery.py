"""Many small reads of one page, sent to the database as one query.

A dashboard shows a dozen small things: counts, the first rows of a few lists, a few grouped figures, each an
ordinary queryset. `OneQuery` collects them and reads them all with one SELECT: each queryset becomes a common table
expression; a count is a scalar subquery over it, a list the JSON array of its rows (SQLite `json_group_array`,
PostgreSQL `json_agg`), turned back into Python values by the types of its columns. Nothing is read until `run()`;
what each read returns is a `Pending` whose `value` is there after it.

    reads = OneQuery()
    late = reads.count(overdue_cases(union, today))
    first = reads.objects(overdue_cases(union, today), ["id", "kind", "year", "seq", "title"], limit=5)
    reads.run()
    late.value, first.value  # 12, [<Case>, ...]

Works on SQLite and PostgreSQL (the two databases the project runs on)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.sql.compiler import SQLCompiler

_UNSET: Any = object()


class Pending[T]:
    """A value a `OneQuery` gives once it has run."""

    def __init__(self, produce: Callable[[], T]) -> None:
        self._produce = produce
        self._value: T = _UNSET

    @property
    def value(self) -> T:
        if self._value is _UNSET:
            self._value = self._produce()
        return self._value

    def then[U](self, convert: Callable[[T], U]) -> Pending[U]:
        """The value passed through `convert` (read after the run, like the value itself)."""
        return Pending(lambda: convert(self.value))


def resolve(data: Any) -> Any:
    """`data` with every Pending in it (in dicts, lists and tuples, at any depth) replaced by its value."""
    if isinstance(data, Pending):
        return resolve(data.value)
    if isinstance(data, dict):
        return {key: resolve(value) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve(value) for value in data]
    if isinstance(data, tuple):
        return tuple(resolve(value) for value in data)
    return data


class OneQuery:
    """Counts and short lists of several querysets, read together in one query by `run()`."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.using = using
        self._parts: list[tuple[str, str, tuple, int]] = []  # (count | rows, SQL, params, columns)
        self._results: list | None = None

    # ------------------------------------------------------------------------------------------- what to read
    def count(self, queryset: models.QuerySet) -> Pending[int]:
        """How many rows the queryset has."""
        queryset = queryset.order_by()
        if queryset._fields is None:  # a model queryset: count its keys
            queryset = queryset.values("pk")
        index, _compiler = self._add("count", queryset)
        return Pending(lambda: 0 if index is None else int(self._result(index) or 0))

    def rows(self, queryset: models.QuerySet, limit: int | None = None) -> Pending[list[dict]]:
        """The rows of a `values()` queryset (its first `limit` rows in its order), as dicts."""
        if queryset._fields is None:
            raise TypeError("OneQuery.rows() reads a values() queryset")
        query = queryset.query
        names = (
            list(query.selected)
            if query.selected
            else [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
        )
        if limit is not None:
            queryset = queryset[:limit]
        index, compiler = self._add("rows", queryset)
        fields = [column[0].output_field for column in compiler.select[: compiler.col_count]]
        return Pending(lambda: self._dicts(index, names, fields))

    def objects(
        self,
        queryset: models.QuerySet,
        fields: Sequence[str],
        limit: int | None = None,
        related: dict[str, Sequence[str]] | None = None,
        **extra: Any,
    ) -> Pending[list[models.Model]]:
        """Model instances with only `fields` loaded (attribute names: `agency_id`, not `agency`; any other field
        is read with a query when asked for, as with `only()`); `related` objects loaded the same way, as
        `select_related()` would ({"owner_agency": ["id", "name"]}: a foreign key or a reverse one-to-one, one level);
        the `extra` values (expressions or lookups, `owner_name="owner_agency__name"`) set as attributes."""
        model = queryset.model
        related = related or {}
        expressions = {name: models.F(value) if isinstance(value, str) else value for name, value in extra.items()}
        columns = [_attname(model, name) for name in fields]
        joined = {}  # relation → (its model field, its model, its columns)
        for name, names in related.items():
            field = model._meta.get_field(name)
            joined[name] = (field, field.related_model, [_attname(field.related_model, n) for n in names])
            columns += [f"{name}__{attname}" for attname in joined[name][2]]
        pending = self.rows(queryset.values(*columns, **expressions), limit)

        def build(rows: list[dict]) -> list[models.Model]:
            result = []
            for row in rows:
                obj = _instance(self.using, model, {name: row[name] for name in columns if "__" not in name})
                for name, (field, rel_model, attnames) in joined.items():
                    values = {attname: row[f"{name}__{attname}"] for attname in attnames}
                    empty = values.get(rel_model._meta.pk.attname) is None
                    field.set_cached_value(obj, None if empty else _instance(self.using, rel_model, values))
                for name in expressions:
                    setattr(obj, name, row[name])
                result.append(obj)
            return result

        return pending.then(build)

    # ------------------------------------------------------------------------------------------- the reading
    def run(self) -> None:
        """Read everything asked for, in one query (none when nothing was asked)."""
        self._results = []
        if not self._parts:
            return
        connection = connections[self.using]
        postgres = connection.vendor == "postgresql"
        tables, selects, params = [], [], []
        for i, (kind, sql, part_params, columns) in enumerate(self._parts):
            names = ", ".join(f"c{n}" for n in range(columns))
            tables.append(f"q{i}({names}) AS ({sql})")
            params.extend(part_params)
            if kind == "count":
                selects.append(f"(SELECT COUNT(*) FROM q{i})")
            elif postgres:
                selects.append(f"(SELECT json_agg(json_build_array({names})) FROM q{i})")
            else:
                selects.append(f"(SELECT json_group_array(json_array({names})) FROM q{i})")
        sql = f"WITH {', '.join(tables)} SELECT {', '.join(selects)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            self._results = list(cursor.fetchone())

    def _add(self, kind: str, queryset: models.QuerySet) -> tuple[int | None, SQLCompiler]:
        compiler = queryset.query.get_compiler(using=self.using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`): nothing to read
            compiler.setup_query()
            return None, compiler
        if compiler.has_extra_select:
            raise ValueError("OneQuery cannot read a queryset ordered by a column it does not select")
        if self._results is not None:
            raise RuntimeError("this OneQuery has already run")
        self._parts.append((kind, sql, tuple(params), compiler.col_count))
        return len(self._parts) - 1, compiler

    def _result(self, index: int) -> Any:
        if self._results is None:
            raise RuntimeError("read a OneQuery's values after its run()")
        return self._results[index]

    def _dicts(self, index: int | None, names: list[str], fields: list[models.Field]) -> list[dict]:
        if index is None:
            return []
        rows = self._result(index)
        if rows is None:  # PostgreSQL's json_agg of no rows
            return []
        if isinstance(rows, str | bytes):
            rows = json.loads(rows)
        return [
            {name: from_json(field, value) for name, field, value in zip(names, fields, row, strict=False)}
            for row in rows
        ]


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.pk.attname if name == "pk" else name


def _instance(using: str, model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A model instance with these fields loaded (the others deferred), as the database would give it."""
    loaded = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(using, loaded, [values[name] for name in loaded])


def from_json(field: models.Field, value: Any) -> Any:
    """A column's value as JSON gave it (dates as ISO text, booleans as 0/1 on SQLite) → its Python value."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        moment = datetime.datetime.fromisoformat(value)
        if settings.USE_TZ and moment.tzinfo is None:  # SQLite keeps UTC without an offset
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment
    if kind == "DateField":
        return datetime.date.fromisoformat(value[:10])
    if kind == "BooleanField":
        return bool(value)
    if kind == "DecimalField":
        return decimal.Decimal(str(value))
    if kind == "UUIDField":
        return uuid.UUID(value)
    if kind.endswith(("IntegerField", "AutoField")):
        return int(value)
    return value
