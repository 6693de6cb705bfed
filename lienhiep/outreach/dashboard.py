import datetime

from django.http import HttpRequest
from django.utils import timezone

from lienhiep.core.onequery import OneQuery
from lienhiep.core.rules import is_union_staff, represented_agencies
from lienhiep.outreach.models import ActionItem
from lienhiep.outreach.queries import overdue, read_calendar

ITEM_FIELDS = ["id", "union_id", "title", "status", "due_on", "owner_person_id", "owner_agency_id"]
OWNERS = {"owner_person": ["id", "name", "academic_title", "degree"], "owner_agency": ["id", "name"]}


def section(request: HttpRequest, reads: OneQuery) -> dict:
    """What this module shows on the dashboard of request.union to its viewer, read with the dashboard's one query.
    Staff: the overdue action items and the sessions and visits of the next 30 days. Agency representatives: their
    agency's action items, open ones first."""
    union, user = request.union, request.user
    today = timezone.localdate()
    if is_union_staff(user, union):
        late = overdue(ActionItem.objects.filter(union=union), today).order_by("due_on", "pk")
        return {
            "manager": True,
            "overdue_count": reads.count(late),
            "overdue": reads.objects(late, ITEM_FIELDS, limit=5, related=OWNERS),
            "upcoming": read_calendar(reads, union, today, today + datetime.timedelta(days=30)).then(
                lambda entries: entries[:8]
            ),
        }
    if user.has_perm("core.represent_agency", union):
        items = ActionItem.objects.filter(union=union, owner_agency__in=represented_agencies(user, union))
        return {
            "rep": True,
            "items": reads.objects(items.order_by("status", "due_on", "pk"), ITEM_FIELDS, limit=10, related=OWNERS),
            "today": today,
        }
    return {}
