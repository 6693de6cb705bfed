from django.http import HttpRequest

from lienhiep.core.access import STAFF_ROLES


def section(request: HttpRequest) -> dict:
    """The Union's staff see the articles awaiting review, the scheduled ones and the latest published."""
    if not request.roles & {str(r) for r in STAFF_ROLES}:
        return {}
    from lienhiep.portal.queries import dashboard_figures

    return dashboard_figures(request.union)
