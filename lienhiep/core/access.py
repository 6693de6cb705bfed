"""Who may open which page. Every URL pattern is classified here or by a decorator on its view:

- `public`: anyone, signed in or not;
- `authenticated`: any signed-in user (their own account pages);
- `union_roles(...)`: members of the Union named in the URL holding one of the roles;
- `platform_admin_only`: platform administrators.

`tests/test_url_access.py` walks every URL pattern and fails on one that is not classified.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from lienhiep.core.models import Membership, Role, Union

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ROLE_RESTRICTED = "role-restricted"
OBJECT_CHECKED = "object-checked"  # open to whoever the object's own rule admits (e.g. a public file)

STAFF_ROLES = (Role.UNION_ADMIN, Role.STAFF, Role.LEADER)
ALL_UNION_ROLES = tuple(r for r in Role if r != Role.PLATFORM_ADMIN)


@dataclass(frozen=True)
class Access:
    level: str
    roles: frozenset[str] = field(default_factory=frozenset)
    union_scoped: bool = False


# Views we do not write ourselves, by URL name (allauth, i18n).
THIRD_PARTY_ACCESS: dict[str, Access] = {
    name: Access(PUBLIC)
    for name in [
        "account_login",
        "account_signup",
        "account_logout",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_inactive",
        "account_login_code_confirm",
        "account_confirm_login_code",
        "account_reset_password_code",
        "account_confirm_password_reset_code",
        "account_request_login_code",
        "mfa_authenticate",
        "set_language",
        "account_verify_email_code",
    ]
} | {
    name: Access(AUTHENTICATED)
    for name in [
        "account_email",
        "account_change_password",
        "account_set_password",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_change_phone",
        "account_verify_phone",
        "account_email_verification_sent",
    ]
}


def access_of(view: Callable) -> Access | None:
    return getattr(view, "access", None)


def public(view: Callable) -> Callable:
    view.access = Access(PUBLIC)
    return view


def authenticated(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = Access(AUTHENTICATED)
    return wrapper


def _role_map(user) -> dict:
    """{union_id (None for platform roles): {role, ...}} of a user's active memberships, read once per request."""
    cache = getattr(user, "_lienhiep_roles", None)
    if cache is None:
        cache = {}
        for union_id, role in Membership.objects.active().filter(user=user).values_list("union_id", "role"):
            cache.setdefault(union_id, set()).add(role)
        user._lienhiep_roles = cache
    return cache


def roles_in(user, union: Union | None) -> set[str]:
    """The active roles a user holds in a Union (platform administrators hold theirs everywhere)."""
    if not user.is_authenticated:
        return set()
    roles = _role_map(user)
    return set(roles.get(union.pk if union else None, set())) | set(roles.get(None, set()))


def all_roles(user) -> set[str]:
    """Every active role a user holds, in any Union."""
    if not user.is_authenticated:
        return set()
    return {role for roles in _role_map(user).values() for role in roles}


def union_roles(*roles: str) -> Callable[[Callable], Callable]:
    """Restrict a view taking `union_slug` to members of that Union with one of `roles`.

    The view receives `request.union` and `request.roles`. Anonymous users go to the login page; a user
    without the role gets 403. Platform administrators pass only where `platform_admin` is listed.
    """
    allowed = frozenset(str(r) for r in roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, union_slug: str, *args, **kwargs) -> HttpResponse:
            union = get_object_or_404(Union, slug=union_slug, is_active=True)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = roles_in(request.user, union)
            if not held & allowed:
                raise PermissionDenied
            request.union = union
            request.roles = held
            return view(request, *args, **kwargs)

        wrapper.access = Access(ROLE_RESTRICTED, allowed, union_scoped=True)
        return wrapper

    return decorator


def platform_admin_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if Role.PLATFORM_ADMIN not in roles_in(request.user, None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access = Access(ROLE_RESTRICTED, frozenset({Role.PLATFORM_ADMIN}))
    return wrapper
