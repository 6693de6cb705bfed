"""Permissions of the register of issued documents."""

from lienhiep.core.rules import EDITOR_ROLES, STAFF_ROLES, add_union_perm

add_union_perm("paperwork.view_register", *STAFF_ROLES)  # the register and every issued file of the Union
add_union_perm("paperwork.manage_register", *EDITOR_ROLES)  # queue a failed PDF conversion again
