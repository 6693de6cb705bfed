from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from lienhiep.advisory.models import Case, Review, Seat, Status
from lienhiep.advisory.queries import cases_closed_to, expert_ids_of, overdue_cases
from lienhiep.core.rules import is_editor, is_leader, is_union_staff, represented_agency_ids

WAITING_MANAGER = (Status.RECEIVED, Status.ACCEPTED, Status.COUNCIL_FORMED, Status.REPORT_SIGNED)
WAITING_LEADER = (Status.COUNCIL_PENDING, Status.REPORT_PENDING)


def section(request: HttpRequest) -> dict:
    """Staff: the cases whose stage is overdue and those waiting for their step. Experts: their seats and reviews.
    Agency representatives: their agency's requests (a fixed number of queries each)."""
    union, user = request.union, request.user
    today = timezone.localdate()
    if is_union_staff(user, union):
        late = overdue_cases(union, today)
        waiting = []
        if is_editor(user, union):
            waiting += WAITING_MANAGER
        if is_leader(user, union):
            waiting += WAITING_LEADER
        return {
            "staff": True,
            "overdue_count": late.count(),
            "overdue": list(late[:5]),
            "waiting": list(Case.objects.filter(union=union, status__in=waiting).order_by("stage_due_on", "pk")[:8]),
        }
    result: dict = {}
    experts = expert_ids_of(user, union)
    if experts:
        result["seats"] = list(
            Seat.objects.filter(union=union, expert__in=experts)
            .select_related("case")
            .prefetch_related(Prefetch("review", queryset=Review.objects.all()))
            .order_by("-case__received_on")[:10]
        )
        result["closed"] = cases_closed_to(user, union, [seat.case for seat in result["seats"]])
    agencies = represented_agency_ids(user, union)
    if agencies:
        result["rep"] = True
        result["requests"] = list(
            Case.objects.filter(union=union, requesting_agency__in=agencies).order_by("-received_on")[:10]
        )
    return result
