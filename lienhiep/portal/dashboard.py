from django.http import HttpRequest
from django.utils.translation import gettext as _

from lienhiep.core.onequery import OneQuery
from lienhiep.portal.models import LegalDocument
from lienhiep.portal.queries import dashboard_figures


def section(request: HttpRequest, reads: OneQuery) -> dict:
    """The Union's staff see the articles awaiting review, the scheduled ones and the latest published; whoever sees
    the Union's figures sees how many documents it keeps (read with the dashboard's one query)."""
    union, user = request.union, request.user
    result: dict = {}
    if user.has_perm("core.view_overview", union):
        count = reads.count(LegalDocument.objects.filter(union=union))
        result["registry_cards"] = [(count, _("Documents"), "portal:document_manage_list")]
    if user.has_perm("portal.manage_content", union):
        result["figures"] = dashboard_figures(union, reads)
    return result
