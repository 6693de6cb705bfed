"""What the advisory work waits for, from whom, and when it is late: the dashboard's to-dos (core.dashboard.ToDo).

- The requesting agency's representative: the answers to the recommendations of each report sent to the agency,
  due on the case's stage date (late after it).
- A council member: their review, while the council reviews or consolidates, due on the review's date (late after
  it, as `Review.is_late` says).

Each rule is a queryset of what waits (the dashboard reads it with its other figures) and the function that makes the
to-do of one row."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lienhiep.advisory.models import Case, Review, Seat, Status
from lienhiep.advisory.services_work import WORK_STAGES
from lienhiep.core.dashboard import ToDo
from lienhiep.core.models import Union
from lienhiep.core.rules import represented_agencies

# The report was sent; the agency has not answered every recommendation yet.
ANSWERS_AWAITED = (Status.SENT,)


def requests_of(user, union: Union) -> QuerySet[Case]:
    """The requests of the agencies the user represents."""
    return Case.objects.filter(union=union, requesting_agency__in=represented_agencies(user, union))


def answers_awaited(user, union: Union) -> QuerySet[Case]:
    """The cases whose report waits for the answers of an agency the user represents, the most urgent first."""
    return requests_of(user, union).filter(status__in=ANSWERS_AWAITED).order_by("stage_due_on", "pk")


def answers_todo(case: Case, union: Union, today: datetime.date) -> ToDo:
    return ToDo(
        what=_("Answers to the recommendations needed"),
        title=f"{case.code} {case.title}",
        url=reverse("advisory:answers", args=[union.slug, case.pk]),
        due_on=case.stage_due_on,
        late=case.is_overdue(today),
        action=_("Answer the recommendations"),
    )


def seats_of(user, union: Union) -> QuerySet[Seat]:
    """The council seats of the user's expert records in the Union, one per council."""
    return Seat.objects.filter(union=union, expert__person__user=user)


def review_todo(case: Case, review: Review | None, union: Union, today: datetime.date) -> ToDo | None:
    """The member's review, while it can still be written and is not submitted (None: nothing waits)."""
    if review is None or review.is_submitted or case.status not in WORK_STAGES:
        return None
    return ToDo(
        what=_("Your review is awaited"),
        title=f"{case.code} {case.title}",
        url=reverse("advisory:review_edit", args=[union.slug, case.pk]),
        due_on=review.due_on,
        late=review.is_late(today),
        action=_("Write the review"),
    )
