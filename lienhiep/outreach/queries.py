"""Reads the outreach pages share: who sees which sessions and action items, overdue lists, the calendar."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lienhiep.contests.queries import entries_by_locality
from lienhiep.core.models import AdminUnit, Agency, Person, Union
from lienhiep.core.onequery import OneQuery, Pending
from lienhiep.core.rules import is_union_staff, represented_agency_ids
from lienhiep.outreach.models import ActionItem, ContestPromotion, LocalProject, PlannedVisit, WorkSession


def sessions_for(user, union: Union) -> QuerySet[WorkSession]:
    """Staff see every session of their Union; a representative those their agency took part in."""
    queryset = WorkSession.objects.filter(union=union)
    if not is_union_staff(user, union):
        queryset = queryset.filter(
            pk__in=WorkSession.objects.filter(agencies__in=represented_agency_ids(user, union)).values("pk")
        )
    return queryset


def action_items_for(user, union: Union) -> QuerySet[ActionItem]:
    """Staff see every action item; a representative those owned by their agency (for one item, the permission
    `outreach.view_action_item` in rules.py says the same)."""
    queryset = ActionItem.objects.filter(union=union)
    if not is_union_staff(user, union):
        queryset = queryset.filter(owner_agency__in=represented_agency_ids(user, union))
    return queryset


def get_session_for(user, union: Union, pk) -> WorkSession:
    session = sessions_for(user, union).filter(pk=pk).select_related("admin_unit", "plan_visit__plan").first()
    if session is None:
        raise Http404
    return session


def get_action_item_for(user, union: Union, pk) -> ActionItem:
    item = (
        action_items_for(user, union)
        .filter(pk=pk)
        .select_related("owner_person", "owner_agency", "locality", "session", "agenda_item")
        .first()
    )
    if item is None:
        raise Http404
    return item


def with_owner(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related("owner_person", "owner_agency", "locality", "session")


def overdue(queryset: QuerySet[ActionItem], today: datetime.date | None = None) -> QuerySet[ActionItem]:
    return queryset.filter(status__in=ActionItem.ACTIVE, due_on__lt=today or datetime.date.today())


@dataclass
class Group:
    label: str
    count: int
    oldest: datetime.date
    query: str  # the action list's filter showing the whole group


def overdue_groups(queryset: QuerySet[ActionItem]) -> tuple[list[Group], list[Group]]:
    """Overdue items counted per owner and per locality, in the database (four queries whatever the rows)."""

    per_owner = list(
        queryset.values("owner_agency", "owner_person").annotate(n=Count("pk"), oldest=Min("due_on")).order_by()
    )
    agencies = Agency.objects.in_bulk([r["owner_agency"] for r in per_owner if r["owner_agency"]])
    people = Person.objects.in_bulk([r["owner_person"] for r in per_owner if r["owner_person"]])
    owners = []
    for r in per_owner:
        owner = agencies.get(r["owner_agency"]) if r["owner_agency"] else people.get(r["owner_person"])
        key = f"a{r['owner_agency']}" if r["owner_agency"] else f"p{r['owner_person']}"
        owners.append((owner.sort_key, Group(str(owner), r["n"], r["oldest"], f"owner={key}")))
    per_unit = list(queryset.values("locality").annotate(n=Count("pk"), oldest=Min("due_on")).order_by())
    units = AdminUnit.objects.select_related("parent__parent").in_bulk(
        [r["locality"] for r in per_unit if r["locality"]]
    )
    localities = []
    for r in per_unit:
        unit = units.get(r["locality"])
        label = unit.full_path() if unit else ""
        localities.append(
            (
                (unit is None, unit.sort_key if unit else ""),
                Group(label, r["n"], r["oldest"], f"locality={r['locality'] or ''}"),
            )
        )
    return [g for _k, g in sorted(owners, key=lambda x: x[0])], [g for _k, g in sorted(localities, key=lambda x: x[0])]


def visits_with_progress(queryset: QuerySet[PlannedVisit]) -> QuerySet[PlannedVisit]:
    return (
        queryset.select_related("admin_unit", "plan")
        .prefetch_related("agencies", "delegation")
        .annotate(held_count=Count("sessions"))
    )


def plan_progress(visits: list[PlannedVisit], today: datetime.date | None = None) -> dict[str, int]:
    counts = {p: 0 for p in PlannedVisit.Progress.values}
    for visit in visits:
        counts[visit.progress(today)] += 1
    return counts


@dataclass
class CalendarEntry:
    day: datetime.date
    title: str
    url: str
    kind: str  # "session" or "visit"
    progress: str = ""


def calendar_entries(union: Union, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """Sessions held and planned visits not yet held, between two dates (inclusive): two queries."""
    sessions = WorkSession.objects.filter(union=union, held_on__range=(start, end)).select_related("admin_unit")
    visits = visits_with_progress(PlannedVisit.objects.filter(union=union, planned_on__range=(start, end))).filter(
        held_count=0
    )
    return _entries(union, list(sessions), [(visit, visit.where()) for visit in visits])


def read_calendar(
    reads: OneQuery, union: Union, start: datetime.date, end: datetime.date
) -> Pending[list[CalendarEntry]]:
    """The same entries, read with a page's other figures (the dashboard's)."""
    sessions = reads.objects(
        WorkSession.objects.filter(union=union, held_on__range=(start, end)), ["id", "title", "held_on"]
    )
    not_held = PlannedVisit.objects.filter(union=union, planned_on__range=(start, end), sessions__isnull=True)
    visits = reads.objects(
        not_held, ["id", "plan_id", "planned_on"], related={"admin_unit": ["id", "kind", "short_name", "name"]}
    )
    agencies = reads.rows(
        PlannedVisit.agencies.through.objects.filter(plannedvisit__in=not_held.values("pk"))
        .order_by("agency__sort_key")
        .values("plannedvisit_id", "agency__name")
    )

    def build() -> list[CalendarEntry]:
        names: dict[int, list[str]] = {}
        for row in agencies.value:
            names.setdefault(row["plannedvisit_id"], []).append(row["agency__name"])
        for visit in visits.value:
            visit.held_count = 0  # not held: that is what was read
        return _entries(union, sessions.value, [(v, v.where(names.get(v.pk, []))) for v in visits.value])

    return Pending(build)


def _entries(union: Union, sessions: list[WorkSession], visits: list[tuple[PlannedVisit, str]]) -> list[CalendarEntry]:
    """The calendar's entries of these sessions and these visits not held (each with where it goes), by day."""
    entries = [
        CalendarEntry(
            session.held_on,
            session.title,
            reverse("outreach:session_detail", args=[union.slug, session.pk]),
            "session",
        )
        for session in sessions
    ]
    entries += [
        CalendarEntry(
            visit.planned_on,
            where,
            reverse("outreach:plan_detail", args=[union.slug, visit.plan_id]) + f"#visit-{visit.pk}",
            "visit",
            visit.progress(),
        )
        for visit, where in visits
    ]
    entries.sort(key=lambda e: (e.day, e.kind != "session", e.title))
    return entries


def locality_overview(union: Union, today: datetime.date | None = None) -> list[dict]:
    """Per locality: sessions held, contests promoted, contest entries, open, overdue (of the open) and done action
    items, local projects (aggregated in the database: a fixed number of queries whatever the rows)."""

    today = today or datetime.date.today()
    rows: dict[int, dict] = {}

    def row(unit_id: int) -> dict:
        return rows.setdefault(
            unit_id,
            {
                "unit": None,
                "sessions": 0,
                "promotions": set(),
                "open": 0,
                "overdue": 0,
                "done": 0,
                "projects": 0,
                "entries": 0,
            },
        )

    for r in (
        WorkSession.objects.filter(union=union, admin_unit__isnull=False)
        .values("admin_unit")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(r["admin_unit"])["sessions"] = r["n"]
    promotions = (
        ContestPromotion.objects.filter(union=union, session__admin_unit__isnull=False)
        .values_list("session__admin_unit", "contest_name", "edition")
        .distinct()
    )
    for unit_id, name, edition in promotions:
        row(unit_id)["promotions"].add(f"{name} {edition}".strip())
    active = Q(status__in=ActionItem.ACTIVE)
    counts = (
        ActionItem.objects.filter(union=union, locality__isnull=False)
        .exclude(status=ActionItem.Status.DROPPED)
        .values("locality")
        .annotate(
            open=Count("pk", filter=active),
            late=Count("pk", filter=active & Q(due_on__lt=today)),
            done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        )
        .order_by()
    )
    for c in counts:
        r = row(c["locality"])
        r["open"], r["overdue"], r["done"] = c["open"], c["late"], c["done"]
    projects = (
        LocalProject.objects.filter(union=union, admin_unit__isnull=False)
        .values("admin_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for p in projects:
        row(p["admin_unit"])["projects"] = p["n"]
    # Contest entries received from each locality (the contests module), also counted in the district above a
    # commune when that district has a row.

    entries = entries_by_locality(union)
    for unit_id, n in entries.items():
        row(unit_id)["entries"] += n
    units = AdminUnit.objects.select_related("parent__parent").in_bulk(list(rows))
    for unit_id, n in entries.items():
        parent = units[unit_id].parent_id
        if parent in rows:
            rows[parent]["entries"] += n
    for unit_id, r in rows.items():
        r["unit"] = units[unit_id]
        r["promotions"] = sorted(r["promotions"])
    return sorted(rows.values(), key=lambda r: r["unit"].sort_key)


def missed_due_date(queryset: QuerySet[ActionItem], today: datetime.date) -> QuerySet[ActionItem]:
    """The items due before today that were not done by their due date: still open, or done after it (a dropped
    item was given up, neither: it is left out)."""
    return queryset.filter(due_on__lt=today).filter(
        Q(status__in=ActionItem.ACTIVE) | Q(status=ActionItem.Status.DONE, completed_on__gt=F("due_on"))
    )


def overdue_at_month_ends(union: Union, months: list[datetime.date], today: datetime.date) -> dict[datetime.date, int]:
    """How many action items were overdue at the end of each month (first days given; today for this month): due
    before that day and neither done nor dropped by then. The day an item was done is its `completed_on`; the day it
    was dropped is read from its history (the last change to «dropped»). An item counts from its due date, even if
    it was written down later (minutes typed in after the session). One query, whatever the months; an item done
    with no recorded day, or dropped with no history, cannot be placed and is left out."""
    ends = [min(_month_end(month), today) for month in months]
    dropped_at = Subquery(
        ActionItem.history.model.objects.filter(id=OuterRef("pk"), status=ActionItem.Status.DROPPED)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    rows = (
        ActionItem.objects.filter(union=union, due_on__lt=ends[-1])
        .exclude(status=ActionItem.Status.DONE, completed_on__lt=months[0])
        .annotate(dropped_at=dropped_at)
        .values_list("due_on", "status", "completed_on", "dropped_at")
        .order_by()
    )
    spans = []  # (due on, finished on)
    for due_on, status, completed_on, dropped_at in rows:
        if status == ActionItem.Status.DONE:
            finished = completed_on
        elif status == ActionItem.Status.DROPPED:
            finished = timezone.localdate(dropped_at) if dropped_at else None
        else:
            finished = today + datetime.timedelta(days=1)  # not finished yet
        if finished is not None:
            spans.append((due_on, finished))
    counts = [sum(1 for due, finished in spans if due < end < finished) for end in ends]
    return dict(zip(months, counts, strict=True))


def _month_end(first: datetime.date) -> datetime.date:
    following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)
