"""Permissions of the advisory module (django-rules), named once and used by services, views and templates alike."""

import rules

from lienhiep.advisory.queries import may_consolidate, may_open_case, represents
from lienhiep.core.models import Role
from lienhiep.core.rules import EDITOR_ROLES, STAFF_ROLES, add_union_perm, in_its_union, is_editor, is_leader

# Union-wide: which pages of the module a member may open at all; each case then answers for itself.
add_union_perm("advisory.view_cases", *STAFF_ROLES, Role.EXPERT, Role.AGENCY_REP)
# Who records a request for consulting or critique: staff and the administrator, and an agency for itself.
add_union_perm("advisory.add_case", *EDITOR_ROLES, Role.AGENCY_REP)
add_union_perm("advisory.manage_cases", *EDITOR_ROLES)  # run the cases: council, schedule, papers (not the leader)
add_union_perm("advisory.oversee_cases", *STAFF_ROLES)  # every case and the annual statistics, read
add_union_perm("advisory.work_on_cases", *STAFF_ROLES, Role.EXPERT)  # draft, reviews, meeting
add_union_perm("advisory.edit_recommendations", *EDITOR_ROLES, Role.EXPERT)  # the consolidating expert
add_union_perm("advisory.follow_up_cases", *STAFF_ROLES, Role.AGENCY_REP)  # the agency's answers
add_union_perm("advisory.review_cases", Role.EXPERT)  # comments and written reviews of a council member
add_union_perm("advisory.sign_annual_report", Role.LEADER)  # the year's report is issued when a leader signs it

rules.add_perm("advisory.view_case", rules.predicate(may_open_case))


@rules.predicate
def represents_requesting_agency(user, case) -> bool:
    return case is not None and represents(user, case)


@rules.predicate
def consolidates(user, case) -> bool:
    """Staff, or the council's secretary."""
    return case is not None and may_consolidate(user, case)


# The steps of a case (its transitions name them): staff and the administrator run it; the leader decides (approves
# the council, signs or returns the report); the requesting agency may withdraw its request and answers the report.
rules.add_perm("advisory.manage_case", in_its_union(is_editor))
rules.add_perm("advisory.decide_case", in_its_union(is_leader))
rules.add_perm("advisory.consolidate_case", consolidates)
rules.add_perm("advisory.withdraw_case", in_its_union(is_editor) | represents_requesting_agency)
rules.add_perm("advisory.follow_up_case", in_its_union(is_editor) | represents_requesting_agency)
