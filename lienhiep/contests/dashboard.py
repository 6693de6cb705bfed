from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from lienhiep.contests import judging, queries
from lienhiep.contests.models import Assignment, Edition, Entry


def section(request: HttpRequest) -> dict:
    """Staff: editions under way and overdue judges. Judges: what they have to score. Entrants: their entries and
    the editions open for registration."""

    union, user = request.union, request.user
    result: dict = {}
    if user.has_perm("contests.oversee_contests", union):
        result["editions"] = list(
            Edition.objects.filter(union=union)
            .exclude(status=Edition.Status.PUBLISHED)
            .annotate(n=Count("entries", filter=~Q(entries__status=Entry.Status.DRAFT)))
            .order_by("-registration_opens_at")[:5]
        )
        result["overdue"] = judging.overdue_sheets(union)[:10]
    if user.has_perm("contests.judge", union):
        result["judging"] = list(
            Assignment.objects.filter(
                union=union, expert__person__user=request.user, status=Assignment.Status.CONFIRMED
            ).select_related("entry", "round")[:20]
        )
    if user.has_perm("contests.enter_contests", union):
        now = timezone.now()
        result["my_entries"] = list(queries.entries_for(request.user, union).order_by("-created_at")[:10])
        result["open_editions"] = [
            e for e in Edition.objects.filter(union=union, status=Edition.Status.OPEN) if e.registration_is_open(now)
        ]
    return result
