"""The dashboard's sections: each app registers its own from its AppConfig.ready(), with its place on the page,
and the core's dashboard view shows them in that order: the modules where work waits for people (cases, contests,
sessions' action items) before the registry and the public site. The core knows no app by name.

A section asks for what it shows through the page's `OneQuery` (core.onequery): counts and short lists that the
dashboard then reads with one query for every section at once (the page has a query budget). Its dict may hold
`Pending` values; the view replaces them by their values before the templates read them.

What waits for the viewer is a `ToDo`: each app decides in its own rules what is waiting for whom and when it is
late (`advisory.todo`, `contests.todo`), and every section shows its to-dos the same way
(templates/core/includes/todo.html)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.core.glance import read_year
from lienhiep.core.models import ActivityLog, AdminUnit, Agency, MemberAssociation, Membership, Person, Role
from lienhiep.core.onequery import OneQuery, resolve
from lienhiep.core.rules import role_labels


@dataclass(frozen=True)
class Section:
    place: int  # the smaller, the higher on the page
    name: str  # the key its template reads (`{{ experts.my_work }}`)
    template: str
    # what the viewer of request.union sees ({} shows nothing); its reads go through the OneQuery
    build: Callable[[HttpRequest, OneQuery], dict]


SECTIONS: list[Section] = []


def register_section(place: int, name: str, template: str, build: Callable[[HttpRequest, OneQuery], dict]) -> None:
    if not any(section.name == name for section in SECTIONS):
        SECTIONS.append(Section(place, name, template, build))
        SECTIONS.sort(key=lambda section: section.place)


@dataclass(frozen=True)
class ToDo:
    """One thing waiting for the viewer: what is asked, of what, where to do it and by when."""

    what: str  # what is asked («Cần trả lời kiến nghị»); the due date follows it
    title: str  # what it is about (a case's code and title)
    url: str  # where to do it: the title's link
    due_on: datetime.date | None = None
    late: bool = False  # past its due date: shown in red
    action: str = ""  # a button's text, to url (none when empty)


def dashboard_context(request: HttpRequest) -> dict:
    """Everything the dashboard of request.union shows its viewer: the core's figures and lists and each app's
    section, all read with one query (a OneQuery shared by every section)."""
    union, user = request.union, request.user
    reads = OneQuery()
    context: dict = {"union": union, "role_labels": role_labels(user, union), "sections": SECTIONS}
    activity = ActivityLog.objects.filter(union=union)
    if user.has_perm("core.view_overview", union):
        context["counts"] = {
            "agencies": reads.count(Agency.objects.filter(union=union)),
            "associations": reads.count(MemberAssociation.objects.filter(union=union)),
            "people": reads.count(Person.objects.filter(union=union)),
            "members": reads.count(Membership.objects.filter(union=union, is_active=True)),
        }
        context["activity"] = reads.objects(activity, ACTIVITY_FIELDS, limit=15, actor_name=ACTOR_NAME)
        context["glance"] = read_year(union, timezone.localdate(), reads)
    else:
        context["my_activity"] = reads.objects(activity.filter(actor=user), ACTIVITY_FIELDS, limit=10)
    if user.has_perm("core.administer_union", union):
        labels = dict(Role.choices)
        roles = Membership.objects.filter(union=union, is_active=True).values("role").annotate(n=Count("id"))
        context["role_counts"] = reads.rows(roles.order_by("role")).then(
            lambda rows: [(labels[row["role"]], row["n"]) for row in rows]
        )
    if user.has_perm("core.view_own_record", union):
        context["may_have_record"] = True
        context["my_people"] = reads.objects(
            Person.objects.filter(union=union, user=user),
            ["id", "name", "academic_title", "degree", "position"],
            agency_name="agency__name",
            association_name="association__name",
        )
    if user.has_perm("core.represent_agency", union):
        agencies = Agency.objects.filter(union=union, representatives__user=user, representatives__is_active=True)
        context["my_agencies"] = reads.objects(
            agencies.distinct(),
            ["id", "name", "kind", "sort_key"],
            parent_name="parent__name",
            **{f"{key}{level}": f"admin_unit{'__parent' * level}__{key}" for level in range(3) for key in PLACE},
        ).then(with_places)
    for section in SECTIONS:  # each app adds its own section (its template reads context[section.name])
        context[section.name] = section.build(request, reads)
    reads.run()
    context = resolve(context)
    if "counts" in context:
        counts = context["counts"]
        context["registry_cards"] = [
            (counts["agencies"], _("Agencies"), "core:agencies_list"),
            (counts["associations"], _("Member associations"), "core:associations_list"),
            (counts["people"], _("People"), "core:people_list"),
        ] + [card for section in SECTIONS for card in context[section.name].get("registry_cards", [])]
    return context


ACTIVITY_FIELDS = ["id", "message", "created_at"]
ACTOR_NAME = Coalesce(NullIf(F("actor__full_name"), Value("")), F("actor__username"))  # as User.get_full_name()
PLACE = ("kind", "short_name", "name")  # what an administrative unit's title is written from


def with_places(agencies: list[Agency]) -> list[Agency]:
    """Each agency with `place`: its administrative unit and those above it, as addresses are written."""
    for agency in agencies:
        units = [
            AdminUnit(**{key: getattr(agency, f"{key}{level}") for key in PLACE})
            for level in range(3)
            if getattr(agency, f"name{level}")
        ]
        agency.place = ", ".join(unit.title() for unit in units)
    return agencies
