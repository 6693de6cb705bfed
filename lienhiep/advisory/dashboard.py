"""The advisory section of the dashboard. Staff: the cases whose stage is overdue and those waiting for their step.
Council members: each council once, with the review awaited from them (late in red). Agency representatives: the
reports waiting for their agency's answers first, then its other requests. Everything is read with the dashboard's
one query (core.onequery), but the conflict check of a member's councils (a few queries, only when they sit on one)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest
from django.utils import timezone

from lienhiep.advisory import todo
from lienhiep.advisory.models import Case, Review, Seat, Status
from lienhiep.advisory.queries import closed_by_conflict, overdue_cases
from lienhiep.core.dashboard import ToDo
from lienhiep.core.models import Union
from lienhiep.core.onequery import OneQuery, Pending
from lienhiep.core.rules import is_editor, is_leader, is_union_staff, represented_agencies

WAITING_MANAGER = (Status.RECEIVED, Status.ACCEPTED, Status.COUNCIL_FORMED, Status.REPORT_SIGNED)
WAITING_LEADER = (Status.COUNCIL_PENDING, Status.REPORT_PENDING)
CASE_FIELDS = ["id", "kind", "year", "seq", "title", "status", "stage_due_on", "received_on"]
COUNCILS_SHOWN = 10


def section(request: HttpRequest, reads: OneQuery) -> dict:
    union, user = request.union, request.user
    today = timezone.localdate()
    if is_union_staff(user, union):
        late = overdue_cases(union, today)
        waiting = []
        if is_editor(user, union):
            waiting += WAITING_MANAGER
        if is_leader(user, union):
            waiting += WAITING_LEADER
        waiting_cases = Case.objects.filter(union=union, status__in=waiting).order_by("stage_due_on", "pk")
        return {
            "staff": True,
            "overdue_count": reads.count(late),
            "overdue": reads.objects(late, CASE_FIELDS, limit=5),
            "waiting": reads.objects(waiting_cases, CASE_FIELDS, limit=8),
        }
    result: dict = {"councils": councils(reads, request.user, union, today)}
    if user.has_perm("core.represent_agency", union):
        result["rep"] = True
        result["answers"] = reads.objects(todo.answers_awaited(user, union), CASE_FIELDS, limit=20).then(
            lambda cases: [todo.answers_todo(case, union, today) for case in cases]
        )
        others = todo.requests_of(user, union).exclude(status__in=todo.ANSWERS_AWAITED)
        result["requests"] = reads.objects(others.order_by("-received_on", "-pk"), CASE_FIELDS, limit=10)
    return result


@dataclass
class Council:
    """A council the viewer sits on: the case (only what the dashboard shows), their seat's role, their review, and
    whether a conflict of interest closed the case to them."""

    case: Case
    role: str
    review: Review | None
    closed: bool
    todo: ToDo | None


def councils(reads: OneQuery, user, union: Union, today: datetime.date) -> Pending[list[Council]]:
    """The viewer's latest councils, each once, with what waits for them; those a conflict closed say so and wait
    for nothing."""
    seats = todo.seats_of(user, union).order_by("-case__received_on", "-case_id")
    represented = Q(case__requesting_agency__in=represented_agencies(user, union))
    pending = reads.objects(
        seats,
        ["id", "case_id", "role"],
        limit=COUNCILS_SHOWN,
        related={
            "case": [*CASE_FIELDS, "union_id", "requesting_agency_id", "drafting_agency_id", "admin_unit_id"],
            "review": ["id", "state", "due_on", "submitted_at"],
        },
        person_id="expert__person_id",
        represented=ExpressionWrapper(represented, output_field=BooleanField()),
    )
    authors = reads.rows(
        Case.authors.through.objects.filter(case__in=seats.values("case_id")).values("case_id", "person_id")
    )

    def build(seats: list[Seat]) -> list[Council]:
        team: dict[int, list[int]] = {}
        for row in authors.value:
            team.setdefault(row["case_id"], []).append(row["person_id"])
        seated = [seat for seat in seats if not seat.represented]  # their agency's request is theirs to open anyway
        closed = closed_by_conflict(
            [seat.case.conflict_parties(authors=team.get(seat.case_id, ())) for seat in seated],
            {seat.case_id: seat.person_id for seat in seated},
        )
        result = []
        for seat in seats:
            try:
                review = seat.review  # read with the seat (None when the review has not started)
            except Review.DoesNotExist:
                review = None
            shut = seat.case_id in closed
            waiting = None if shut else todo.review_todo(seat.case, review, union, today)
            result.append(Council(seat.case, str(seat.get_role_display()), review, shut, waiting))
        return result

    return pending.then(build)
