"""Who may do what with the national roll-up.

The national body (VUSTA, `Role.NATIONAL`, a membership naming no Union) sees every Union's aggregate figures,
the annual reports the Unions submitted to it, and the entries they nominated to the national contests with their
dossiers. It never opens a Union's workspace, a case, a draft, a review, a contest dossier that was not nominated,
or a person's record: no Union-wide permission admits its role (`core.models.UNION_ROLES`).

A Union's staff, leader and administrator submit the Union's signed annual report and follow its answer.
"""

import rules

from lienhiep.core.rules import STAFF_ROLES, add_union_perm, is_national_body

# The national body's pages (figures of every Union, the reports' register, the nominations' inbox).
rules.add_perm("national.view_figures", is_national_body)
# Return a submitted report with a comment, or accept it; set the year's due date.
rules.add_perm("national.review_reports", is_national_body)
# Download the dossiers of the entries a Union nominated to a national contest (never any other entry's).
rules.add_perm("national.receive_nominations", is_national_body)

# A Union's side: see what it sent to the national body and the answers, and send its signed annual report.
add_union_perm("national.submit_annual_report", *STAFF_ROLES)
