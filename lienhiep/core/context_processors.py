from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import get_language

from lienhiep.core.rules import roles_key


def menu_key(request: HttpRequest) -> str:
    """What decides the menu of base.html (cached per process under it, `{% cache ... menu_key %}`): the language,
    the Union (its address and short name are in the links and the brand), signed in or not, and the roles the user
    holds there (platform roles included). Every menu entry asks `{% has_perm %}` of a permission that roles alone
    decide (tests/core/test_base_cost.py checks it), so the same key always renders the same menu."""
    user = getattr(request, "user", None) or AnonymousUser()  # an error page may come before the user is known
    union = getattr(request, "union", None)
    place = f"{union.pk}:{union.slug}:{union.short_name}" if union else "-"
    return "|".join([get_language() or "", place, str(user.is_authenticated), roles_key(user, union)])


def navigation(request: HttpRequest) -> dict:
    """The current Union, for the menu (each menu entry asks `{% has_perm %}` for itself), and the key the menu is
    cached under (a callable: computed only when the template asks)."""
    return {"current_union": getattr(request, "union", None), "menu_key": lambda: menu_key(request)}
