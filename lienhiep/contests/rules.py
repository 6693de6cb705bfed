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
# Search the Union's schools and workplaces in an entry's form (names of public bodies, never of people): whoever
# writes entries (queries.workplaces_to_choose).
add_union_perm("contests.pick_workplaces", *EDITOR_ROLES, Role.ENTRANT)


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


@rules.predicate
def dossier_is_open(user, entry) -> bool:
    """Files may go into or out of the entry's dossier (`Entry.dossier_is_open`): until its edition starts judging,
    then only while staff have reopened this one entry's dossier with a reason."""
    return entry is not None and entry.dossier_is_open


@rules.predicate
def entry_is_editable(user, entry) -> bool:
    return entry is not None and entry.is_editable


# Add or remove a dossier file or link: staff and the administrator while the dossier is open, the entrant while it
# is open and the entry is theirs to change (a draft, or returned for completion). Services check it condition by
# condition to say why not (`add_entry_file`); the entry page offers the form to those who hold it.
rules.add_perm(
    "contests.change_dossier",
    dossier_is_open & (in_its_union(is_editor) | (in_its_union(is_entrant) & registered_entry & entry_is_editable)),
)


@rules.predicate
def dossier_reopenable(user, entry) -> bool:
    """Its edition is judging or under review (`Edition.dossiers_reopenable`): before, the dossier is open anyway;
    once the awards are approved, it is a record."""
    return entry is not None and entry.edition.dossiers_reopenable


# Reopen (with a reason) or close again one entry's dossier after judging started: staff and the administrator.
rules.add_perm("contests.reopen_dossier", in_its_union(is_editor) & dossier_reopenable)


@rules.predicate
def judges_the_entry(user, entry_file) -> bool:
    """A judge seated on the file's entry and not withdrawn (confirmed, or with the sheet submitted)."""
    if entry_file is None or not user.is_authenticated:
        return False
    Assignment = entry_file.entry.assignments.model  # judging.py defines it and imports the models
    return entry_file.entry.assignments.filter(
        expert__person__user=user, status__in=[Assignment.Status.CONFIRMED, Assignment.Status.SUBMITTED]
    ).exists()


@rules.predicate
def shown_to_judges(user, entry_file) -> bool:
    """The file belongs to a dossier item the edition shows to its judges (`DossierItem.shown_to_judges`)."""
    return entry_file is not None and entry_file.item.shown_to_judges


# A judge's copy of a dossier file (neutral name, no metadata): only of the items shown to judges, of an entry they
# judge. Every other file is, to a judge, a file that does not exist.
rules.add_perm("contests.read_blind_copy", judges_the_entry & shown_to_judges)


@rules.predicate
def own_sheet(user, assignment) -> bool:
    """The judge whose score sheet it is (the page reads the assignment with its expert's person)."""
    return assignment is not None and user.is_authenticated and assignment.expert.person.user_id == user.pk


# Fill in, submit or withdraw from a score sheet: only its own judge (the recusal transition names it).
rules.add_perm("contests.score_sheet", own_sheet)
