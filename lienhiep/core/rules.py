"""Object-level permission predicates of the registry (django-rules)."""

import rules

from lienhiep.core.access import STAFF_ROLES, roles_in


@rules.predicate
def is_staff_of_union(user, union) -> bool:
    return bool(roles_in(user, union) & {str(r) for r in STAFF_ROLES})


# The Union's registry (agencies, member associations, people, documents): its staff, leader and administrator.
rules.add_perm("core.view_registry", is_staff_of_union)


@rules.predicate
def attachment_owner_is_public(user, attachment) -> bool:
    owner = attachment.owner
    return owner is not None and bool(getattr(owner, "is_visible_to_public", lambda: False)())


@rules.predicate
def attachment_owner_admits(user, attachment) -> bool:
    """Later modules let an owner admit more people (a council member, an entrant) via `admits_download`."""
    owner = attachment.owner
    return owner is not None and bool(getattr(owner, "admits_download", lambda u: False)(user))


@rules.predicate
def staff_of_attachment_union(user, attachment) -> bool:
    return is_staff_of_union(user, attachment.union)


can_download = attachment_owner_is_public | staff_of_attachment_union | attachment_owner_admits
rules.add_perm("core.download_attachment", can_download)


def can_download_attachment(user, attachment) -> bool:
    return can_download.test(user, attachment)
