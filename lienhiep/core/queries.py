"""Reads that views share: tenant-scoped fetches, diacritic-insensitive search, timelines."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext

from lienhiep.core.models import ActivityLog, Agency, Person, Union
from lienhiep.core.rules import is_union_staff, represented_agency_ids
from lienhiep.core.text import fold


def get_for_union(model: type[models.Model], union: Union, pk, queryset: models.QuerySet | None = None):
    """Fetch one object of the Union; another Union's object is a 404, exactly like a missing one."""
    qs = queryset if queryset is not None else model.objects.all()
    obj = qs.filter(union=union, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def search(queryset: models.QuerySet, text: str, field: str = "name_folded") -> models.QuerySet:
    """Keep rows whose folded text contains every folded word typed (`dak to` finds `Đăk Tô`)."""
    for word in fold(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def agencies_under(union: Union, roots: list[int]) -> set[int]:
    """The agencies `roots` and every unit under them, at any depth (one query: a Union has hundreds at most)."""
    children: dict[int, list[int]] = {}
    for pk, parent in Agency.objects.filter(union=union, parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def people_to_choose(user, union: Union) -> models.QuerySet:
    """The people a user may choose from in a form (and search through the people picker, `core.pick_people`):
    staff the Union's whole registry; an agency's representative only the people working at the agencies it
    represents or at a unit under them (a UBND's drafting team sits in its offices), never the Union's experts
    and officials; anyone else nobody."""
    people = Person.objects.filter(union=union).select_related("agency")
    if is_union_staff(user, union):
        return people
    agencies = represented_agency_ids(user, union)
    if agencies:
        return people.filter(agency_id__in=agencies_under(union, agencies))
    return Person.objects.none()


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]]
    merged: bool = False


def timeline_for(obj: models.Model, limit: int = 50) -> list[TimelineEntry]:
    """History of a record: its field changes (simple-history) and its activity-log rows, newest first."""
    entries: list[TimelineEntry] = []
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    fields = {f.name: f for f in obj._meta.fields}
    kinds = {"+": gettext("Created"), "~": gettext("Changed"), "-": gettext("Deleted")}
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(entries) >= limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = fields.get(change.field)
                if field is None or not field.editable:
                    continue
                changes.append((str(field.verbose_name), _display(field, change.old), _display(field, change.new)))
        entries.append(
            TimelineEntry(
                when=newer.history_date,
                who=newer.history_user.get_full_name() if newer.history_user else "",
                what=kinds.get(newer.history_type, newer.history_type),
                changes=changes,
            )
        )
    logs = ActivityLog.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk
    ).select_related("actor")[:limit]
    for log in logs:
        who = log.actor.get_full_name() if log.actor else ""
        # A service writes the record and its activity row together: show them as one entry, the activity's words
        # with the record's field changes.
        twin = next(
            (
                e
                for e in entries
                if e.who == who and abs((e.when - log.created_at).total_seconds()) < 2 and not e.merged
            ),
            None,
        )
        if twin is not None:
            twin.what, twin.merged = log.message, True
        else:
            entries.append(TimelineEntry(when=log.created_at, who=who, what=log.message, changes=[], merged=True))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _display(field: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target else str(value)
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, (datetime, date)):  # as the reader writes dates, in the local time zone
        aware = isinstance(value, datetime) and timezone.is_aware(value)
        return formats.localize(timezone.localtime(value) if aware else value)
    return str(value)
