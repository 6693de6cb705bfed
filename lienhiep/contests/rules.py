"""Permissions of the contests module (django-rules), named once and used by services, views and templates alike."""

import rules

from lienhiep.core.models import Role, Union
from lienhiep.core.rules import (
    EDITOR_ROLES,
    STAFF_ROLES,
    add_union_perm,
    in_its_union,
    is_editor,
    is_entrant,
    is_leader,
)

add_union_perm("contests.oversee_contests", *STAFF_ROLES)  # every edition, entry, score and result, read
add_union_perm("contests.manage_contests", *EDITOR_ROLES)  # set up editions, screen entries, run judging and awards
add_union_perm("contests.approve_awards", Role.LEADER)
add_union_perm("contests.enter_contests", Role.ENTRANT)
add_union_perm("contests.view_entries", *STAFF_ROLES, Role.ENTRANT)  # each entrant their own (queries.entries_for)
add_union_perm("contests.write_entries", *EDITOR_ROLES, Role.ENTRANT)
add_union_perm("contests.view_certificates", *STAFF_ROLES, Role.ENTRANT)
add_union_perm("contests.judge", Role.EXPERT)  # each judge their own assignments


@rules.predicate
def registered_entry(user, entry) -> bool:
    """The entrant who registers the entry (a new one is theirs)."""
    return entry is not None and (entry.pk is None or entry.owner_id == user.pk)


@rules.predicate
def runs_the_round(user, round) -> bool:
    """Staff and the administrator of the round's Union (a round knows its Union through its edition)."""
    return round is not None and is_editor.test(user, Union(pk=round.edition.union_id))


rules.add_perm("contests.manage_round", runs_the_round)

# Screen an entry (accept, return for completion, reject) and reopen it: its transitions name this.
rules.add_perm("contests.screen_entry", in_its_union(is_editor))

# Open registration, start and finish the judging of an edition (its transitions name it).
rules.add_perm("contests.manage_edition", in_its_union(is_editor))  # ... and publish its results
rules.add_perm("contests.approve_edition", in_its_union(is_leader))  # approve the awards, or withdraw the approval

# Write an entry and its authors and files: staff and the administrator any entry of their Union, an entrant the
# entries they registered (whether the entry is still open to changes is the entry's own rule, `is_editable`).
rules.add_perm("contests.change_entry", in_its_union(is_editor) | (in_its_union(is_entrant) & registered_entry))
