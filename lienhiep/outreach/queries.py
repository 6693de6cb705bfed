"""Reads the outreach pages share: who sees which sessions and action items, overdue lists, the calendar."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lienhiep.core.access import STAFF_ROLES, roles_in
from lienhiep.core.models import Membership, Role, Union
from lienhiep.outreach.models import ActionItem, PlannedVisit, WorkSession


def is_manager(user, union: Union) -> bool:
    return bool(roles_in(user, union) & {str(r) for r in STAFF_ROLES})


def represented_agency_ids(user, union: Union) -> list[int]:
    """Agencies the user represents in the Union (agency representatives only), read once per request."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_outreach_agencies", {})
    if union.pk not in cache:
        cache[union.pk] = list(
            Membership.objects.active()
            .filter(user=user, union=union, role=Role.AGENCY_REP, agency__isnull=False)
            .values_list("agency_id", flat=True)
        )
    return cache[union.pk]


def sessions_for(user, union: Union) -> QuerySet[WorkSession]:
    """Staff see every session of their Union; a representative those their agency took part in."""
    queryset = WorkSession.objects.filter(union=union)
    if not is_manager(user, union):
        queryset = queryset.filter(
            pk__in=WorkSession.objects.filter(agencies__in=represented_agency_ids(user, union)).values("pk")
        )
    return queryset


def action_items_for(user, union: Union) -> QuerySet[ActionItem]:
    """Staff see every action item; a representative those owned by their agency."""
    queryset = ActionItem.objects.filter(union=union)
    if not is_manager(user, union):
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
    items: list


def group_overdue(items: list[ActionItem]) -> tuple[list[Group], list[Group]]:
    """The overdue list grouped by owner, and by locality (items read once)."""
    by_owner: dict[tuple, list] = defaultdict(list)
    by_locality: dict[str, list] = defaultdict(list)
    for item in items:
        owner = item.owner
        by_owner[(owner.sort_key, str(owner))].append(item)
        by_locality[item.locality.full_path() if item.locality else ""].append(item)
    owners = [Group(label, rows) for (_key, label), rows in sorted(by_owner.items())]
    localities = [
        Group(label, rows) for label, rows in sorted(by_locality.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    return owners, localities


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
    from django.urls import reverse

    entries = []
    sessions = WorkSession.objects.filter(union=union, held_on__range=(start, end)).select_related("admin_unit")
    for session in sessions:
        entries.append(
            CalendarEntry(
                session.held_on,
                session.title,
                reverse("outreach:session_detail", args=[union.slug, session.pk]),
                "session",
            )
        )
    visits = visits_with_progress(PlannedVisit.objects.filter(union=union, planned_on__range=(start, end))).filter(
        held_count=0
    )
    for visit in visits:
        entries.append(
            CalendarEntry(
                visit.planned_on,
                visit.where(),
                reverse("outreach:plan_detail", args=[union.slug, visit.plan_id]) + f"#visit-{visit.pk}",
                "visit",
                visit.progress(),
            )
        )
    entries.sort(key=lambda e: (e.day, e.kind != "session", e.title))
    return entries


def locality_overview(union: Union, today: datetime.date | None = None) -> list[dict]:
    """Per locality: sessions held, contests promoted, open and overdue action items, local projects."""
    from lienhiep.outreach.models import ContestPromotion, LocalProject

    today = today or datetime.date.today()
    rows: dict[int, dict] = {}

    def row(unit):
        return rows.setdefault(
            unit.pk,
            {"unit": unit, "sessions": 0, "promotions": set(), "open": 0, "overdue": 0, "projects": 0},
        )

    for session in WorkSession.objects.filter(union=union, admin_unit__isnull=False).select_related(
        "admin_unit__parent"
    ):
        row(session.admin_unit)["sessions"] += 1
    for promotion in ContestPromotion.objects.filter(union=union, session__admin_unit__isnull=False).select_related(
        "session__admin_unit__parent"
    ):
        row(promotion.session.admin_unit)["promotions"].add(str(promotion))
    counts = (
        ActionItem.objects.filter(union=union, locality__isnull=False, status__in=ActionItem.ACTIVE)
        .values("locality")
        .annotate(open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    )
    projects = (
        LocalProject.objects.filter(union=union, admin_unit__isnull=False).values("admin_unit").annotate(n=Count("pk"))
    )
    from lienhiep.core.models import AdminUnit

    needed = {c["locality"] for c in counts} | {p["admin_unit"] for p in projects}
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=needed - set(rows)).select_related("parent")}
    for c in counts:
        r = rows.get(c["locality"]) or row(units[c["locality"]])
        r["open"], r["overdue"] = c["open"], c["late"]
    for p in projects:
        r = rows.get(p["admin_unit"]) or row(units[p["admin_unit"]])
        r["projects"] = p["n"]
    result = sorted(rows.values(), key=lambda r: r["unit"].sort_key)
    for r in result:
        r["promotions"] = sorted(r["promotions"])
    return result
