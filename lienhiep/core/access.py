"""Who may open which page. Every URL pattern is classified here or by a decorator on its view:

- `public`: anyone, signed in or not;
- `authenticated`: any signed-in user (their own account pages);
- `union_permission(name)`: members of the Union named in the URL who hold that Union-wide permission;
- `platform_admin_only`: platform administrators;
- `national_body_only`: the national body's staff (VUSTA), on the national pages.

`tests/test_url_access.py` walks every URL pattern and fails on one that is not classified.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from lienhiep.core.models import Role, Union
from lienhiep.core.rules import UNION_PERMISSIONS, is_national_body, is_platform_admin, member_union

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ROLE_RESTRICTED = "role-restricted"
OBJECT_CHECKED = "object-checked"  # open to whoever the object's own rule admits (e.g. a public file)


@dataclass(frozen=True)
class Access:
    level: str
    roles: frozenset[str] = field(default_factory=frozenset)
    union_scoped: bool = False
    permission: str = ""


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
    permission = getattr(view, "permission", None)
    if permission is not None:  # read when asked: the apps' rules are all loaded by then
        return Access(ROLE_RESTRICTED, UNION_PERMISSIONS[permission], union_scoped=True, permission=permission)
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


def union_permission(permission: str) -> Callable[[Callable], Callable]:
    """Open a view taking `union_slug` to the members of that Union who hold `permission` on it.

    `permission` is a Union-wide permission (`core.rules.add_union_perm`). The view receives `request.union`.
    Anonymous users go to the login page; a user without the permission gets 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, union_slug: str, *args, **kwargs) -> HttpResponse:
            union = member_union(request.user, union_slug) or get_object_or_404(Union, slug=union_slug, is_active=True)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission, union):
                raise PermissionDenied
            request.union = union
            return view(request, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def _platform_role_only(role: str, predicate) -> Callable[[Callable], Callable]:
    """Open a view outside any Union to the holders of one platform role (a membership naming no Union)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate.test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access = Access(ROLE_RESTRICTED, frozenset({role}))
        return wrapper

    return decorator


platform_admin_only = _platform_role_only(Role.PLATFORM_ADMIN, is_platform_admin)
national_body_only = _platform_role_only(Role.NATIONAL, is_national_body)
