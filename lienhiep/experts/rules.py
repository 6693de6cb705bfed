"""Permissions of the experts module (django-rules), named once and used by services, views and templates alike."""

from lienhiep.core.models import Role
from lienhiep.core.rules import EDITOR_ROLES, STAFF_ROLES, add_union_perm

# The registry of experts, their relations and conflicts, the selection batches.
add_union_perm("experts.view_registry", *STAFF_ROLES)
add_union_perm("experts.change_registry", *EDITOR_ROLES)
add_union_perm("experts.work_as_expert", Role.EXPERT)  # their own engagements
