import datetime

from django.http import HttpRequest
from django.utils import timezone

from lienhiep.core.onequery import OneQuery
from lienhiep.experts.models import Batch, Engagement, Expert


def section(request: HttpRequest, reads: OneQuery) -> dict:
    """Staff: the registry's size and batches waiting for confirmation. Experts: the work assigned to them through
    a batch (their councils and score sheets are in the advisory and contest sections, each once), read with the
    dashboard's one query."""
    union, user = request.union, request.user
    today = timezone.localdate()
    result: dict = {}
    if user.has_perm("experts.view_registry", union):
        result["experts"] = reads.count(Expert.objects.filter(union=union))
        open_batches = Batch.objects.filter(union=union).exclude(status=Batch.Status.CONFIRMED).order_by("-created_at")
        result["open_batches"] = reads.objects(open_batches, ["id", "title", "status"], limit=5)
    if user.has_perm("experts.work_as_expert", union):
        mine = Engagement.objects.filter(union=union, expert__person__user=user)
        result["expert"] = True
        result["engagements"] = reads.count(mine)
        result["my_work"] = reads.objects(
            mine.filter(batch_item__isnull=False).order_by("-assigned_on", "-pk"),
            ["id", "role", "title", "assigned_on", "due_on", "completed_on"],
            limit=10,
        ).then(lambda work: [flag_late(g, today) for g in work])
    return result


def flag_late(engagement: Engagement, today: datetime.date) -> Engagement:
    engagement.late = engagement.is_late(today)
    return engagement
