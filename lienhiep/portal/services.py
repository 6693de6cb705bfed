from django.db import transaction
from django.utils.translation import gettext as _

from lienhiep.core.access import STAFF_ROLES
from lienhiep.core.models import Union, User
from lienhiep.core.services import log_activity, require_role
from lienhiep.portal.models import LegalDocument


@transaction.atomic
def save_document(*, actor: User, union: Union, document: LegalDocument) -> LegalDocument:
    require_role(actor, union, [*STAFF_ROLES])
    created = document.pk is None
    document.union = union
    document.save()
    log_activity(
        union=union,
        actor=actor,
        verb=f"portal.document.{'created' if created else 'changed'}",
        message=(_("Document recorded: %s") if created else _("Document changed: %s")) % document,
        target=document,
    )
    return document
