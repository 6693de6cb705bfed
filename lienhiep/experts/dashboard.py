from django.http import HttpRequest

from lienhiep.experts.models import Batch, Engagement, Expert


def section(request: HttpRequest) -> dict:
    """Staff: the registry's size and batches waiting for confirmation. Experts: their open and past work."""
    union, user = request.union, request.user
    result: dict = {}
    if user.has_perm("experts.view_registry", union):
        result["experts"] = Expert.objects.filter(union=union).count()
        result["open_batches"] = list(
            Batch.objects.filter(union=union).exclude(status=Batch.Status.CONFIRMED).order_by("-created_at")[:5]
        )
    if user.has_perm("experts.work_as_expert", union):
        result["expert"] = True
        result["my_work"] = list(
            Engagement.objects.filter(union=union, expert__person__user=user).order_by("-assigned_on")[:10]
        )
    return result
