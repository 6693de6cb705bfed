"""Permissions of the portal module (django-rules), named once and used by services, views and templates alike."""

import rules

from lienhiep.core.rules import EDITOR_ROLES, STAFF_ROLES, add_union_perm, in_its_union, is_editor, is_union_staff

# The back office of the public site: staff, the administrator and the leader see it and publish (the leader
# approves what goes out); staff and the administrator write and correct.
add_union_perm("portal.manage_content", *STAFF_ROLES)
add_union_perm("portal.edit_content", *EDITOR_ROLES)

# An article's steps (its transitions name them).
rules.add_perm("portal.write_article", in_its_union(is_editor))
rules.add_perm("portal.publish_article", in_its_union(is_union_staff))
