from django.http import HttpRequest

from lienhiep.core.access import STAFF_ROLES


def navigation(request: HttpRequest) -> dict:
    """The current Union and the signed-in user's roles in it, for the menu."""
    roles = set(getattr(request, "roles", set()))
    return {
        "current_union": getattr(request, "union", None),
        "current_roles": roles,
        "is_union_staff": bool(roles & set(STAFF_ROLES)),
        "is_union_admin": "union_admin" in roles,
    }
