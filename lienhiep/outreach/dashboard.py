import datetime

from django.http import HttpRequest
from django.utils import timezone

from lienhiep.core.rules import is_union_staff, represented_agency_ids
from lienhiep.outreach.models import ActionItem
from lienhiep.outreach.queries import calendar_entries, overdue, with_owner


def section(request: HttpRequest) -> dict:
    """What this module shows on the dashboard of request.union to its viewer (one query per figure)."""
    union, user = request.union, request.user
    today = timezone.localdate()
    if is_union_staff(user, union):
        late = overdue(ActionItem.objects.filter(union=union), today)
        return {
            "manager": True,
            "overdue_count": late.count(),
            "overdue": list(with_owner(late)[:5]),
            "upcoming": calendar_entries(union, today, today + datetime.timedelta(days=30))[:8],
        }
    agencies = represented_agency_ids(user, union)
    if agencies:
        items = with_owner(ActionItem.objects.filter(union=union, owner_agency__in=agencies)).order_by(
            "status", "due_on"
        )
        return {"rep": True, "items": list(items[:10]), "today": today}
    return {}
