"""What the contests wait for, from whom, and when it is late: the dashboard's to-dos (core.dashboard.ToDo).

- A judge: each confirmed score sheet not yet submitted, due on its round's date while the round is open (late after
  it; the staff's list of overdue judges counts the same sheets).

Each rule is a queryset of what waits (the dashboard reads it with its other figures) and the function that makes the
to-do of one row."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lienhiep.contests.models import Assignment, Round
from lienhiep.core.dashboard import ToDo
from lienhiep.core.models import Union


def sheets_to_score(user, union: Union) -> QuerySet[Assignment]:
    """The user's confirmed score sheets (not submitted yet), the earliest due first."""
    return Assignment.objects.filter(
        union=union, expert__person__user=user, status=Assignment.Status.CONFIRMED
    ).order_by("round__due_on", "entry__number", "pk")


def late_sheets(union: Union, today: datetime.date) -> QuerySet[Assignment]:
    """Every confirmed score sheet of the Union past its open round's due date."""
    return Assignment.objects.filter(
        union=union, status=Assignment.Status.CONFIRMED, round__due_on__lt=today, round__status=Round.Status.OPEN
    )


def is_late(round: Round, today: datetime.date) -> bool:
    """A confirmed sheet is late once its round, still open, is past its due date."""
    return round.status == Round.Status.OPEN and round.due_on is not None and round.due_on < today


def sheet_todo(assignment: Assignment, union: Union, today: datetime.date) -> ToDo:
    entry, round = assignment.entry, assignment.round
    return ToDo(
        what=_("Score sheet to fill in: %(round)s") % {"round": round.name},
        title=f"{entry.number} {entry.title}",
        url=reverse("contests:sheet", args=[union.slug, assignment.pk]),
        due_on=round.due_on,
        late=is_late(round, today),
        action=_("Score the entry"),
    )
