from django.http import HttpRequest

from lienhiep.core.access import STAFF_ROLES
from lienhiep.core.models import Role
from lienhiep.experts.models import Batch, Engagement, Expert


def section(request: HttpRequest) -> dict:
    """Staff: the registry's size and batches waiting for confirmation. Experts: their open and past work."""
    union, roles = request.union, request.roles
    result: dict = {}
    if roles & set(STAFF_ROLES):
        result["experts"] = Expert.objects.filter(union=union).count()
        result["open_batches"] = list(
            Batch.objects.filter(union=union).exclude(status=Batch.Status.CONFIRMED).order_by("-created_at")[:5]
        )
    if Role.EXPERT in roles:
        result["my_work"] = list(
            Engagement.objects.filter(union=union, expert__person__user=request.user).order_by("-assigned_on")[:10]
        )
    return result
