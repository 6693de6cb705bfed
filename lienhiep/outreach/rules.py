"""Permissions of the outreach module (django-rules), named once and used by views and templates alike."""

import rules

from lienhiep.core.models import Union
from lienhiep.outreach.queries import is_manager, represented_agency_ids


@rules.predicate
def may_open_action_item(user, item) -> bool:
    """Staff, the leader and the administrator every action item of their Union; an agency's representative those
    its agency owns (the rule `queries.action_items_for` applies to lists, and `get_action_item_for` to the page)."""
    union = Union(pk=item.union_id)  # only its id is read: no query per row of a table of items
    return is_manager(user, union) or item.owner_agency_id in represented_agency_ids(user, union)


rules.add_perm("outreach.view_action_item", may_open_action_item)
