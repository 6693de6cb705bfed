"""Permissions of the portal module (django-rules), named once and used by services, views and templates alike."""

from lienhiep.core.rules import EDITOR_ROLES, STAFF_ROLES, add_union_perm

# The back office of the public site: staff, the administrator and the leader see it and publish (the leader
# approves what goes out); staff and the administrator write and correct.
add_union_perm("portal.manage_content", *STAFF_ROLES)
add_union_perm("portal.edit_content", *EDITOR_ROLES)
