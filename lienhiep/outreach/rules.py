"""Permissions of the outreach module (django-rules), named once and used by services, views and templates alike."""

import rules

from lienhiep.core.models import Role, Union
from lienhiep.core.rules import (
    STAFF_ROLES,
    add_union_perm,
    in_its_union,
    is_union_staff,
    represented_agency_ids,
    union_of,
)

add_union_perm("outreach.manage_outreach", *STAFF_ROLES)  # plans, sessions, minutes, action items, projects
add_union_perm("outreach.take_part", *STAFF_ROLES, Role.AGENCY_REP)  # an agency sees the sessions it took part in


@rules.predicate
def represents_item_owner(user, item) -> bool:
    return item is not None and item.owner_agency_id in represented_agency_ids(user, union_of(item))


# Staff, the leader and the administrator every action item of their Union; an agency's representative those its
# agency owns (the rule `queries.action_items_for` applies to lists, and `get_action_item_for` to the page).
follows_up_item = in_its_union(is_union_staff) | represents_item_owner
rules.add_perm("outreach.view_action_item", follows_up_item)
# The same people move an action item through its steps (start, complete, drop, reopen) and record its evidence.
rules.add_perm("outreach.change_action_status", follows_up_item)


@rules.predicate
def runs_the_session(user, minutes) -> bool:
    """Staff, the leader and the administrator of the session's Union write, circulate and approve its minutes."""
    return minutes is not None and is_union_staff.test(user, Union(pk=minutes.session.union_id))


rules.add_perm("outreach.manage_minutes", runs_the_session)
