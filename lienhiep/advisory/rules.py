"""Permissions of the advisory module (django-rules), named once and used by views and templates alike."""

import rules

from lienhiep.advisory.queries import may_open_case
from lienhiep.core.access import roles_in
from lienhiep.core.models import Role

# Who records a request for consulting or critique: staff and the administrator, and an agency for itself.
INTAKE_ROLES = (Role.UNION_ADMIN, Role.STAFF, Role.AGENCY_REP)


@rules.predicate
def may_record_case(user, union) -> bool:
    return bool(roles_in(user, union) & {str(role) for role in INTAKE_ROLES})


rules.add_perm("advisory.add_case", may_record_case)
rules.add_perm("advisory.view_case", rules.predicate(may_open_case))
