from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The current Union, for the menu (each menu entry asks `{% has_perm %}` for itself)."""
    return {"current_union": getattr(request, "union", None)}
