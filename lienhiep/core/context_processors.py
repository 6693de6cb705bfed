from django.http import HttpRequest

from lienhiep.core.access import STAFF_ROLES, roles_in


def navigation(request: HttpRequest) -> dict:
    """The current Union and the signed-in user's roles in it, for the menu."""
    union = getattr(request, "union", None)
    roles = set(getattr(request, "roles", None) or (roles_in(request.user, union) if union else set()))
    return {
        "current_union": union,
        "current_roles": roles,
        "is_union_staff": bool(roles & set(STAFF_ROLES)),
        "is_union_admin": "union_admin" in roles,
    }
