"""Sign-in plumbing shared by allauth and django-axes."""

import time

from allauth.account import app_settings
from allauth.account import auth_backends as allauth_backends
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest

from lienhiep.core.clients import client_ip
from lienhiep.core.models import User


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is about, whichever name the person typed (user name or e-mail).

    allauth authenticates with `username=` or `email=`; axes must count both against the same account,
    or a lockout by user name could be dodged by typing the e-mail address.
    """
    credentials = credentials or {}
    typed = (
        credentials.get("username")
        or credentials.get("email")
        or credentials.get("login")
        or (request.POST.get("login") if request is not None and hasattr(request, "POST") else "")
        or ""
    )
    typed = typed.strip()
    user = User.objects.filter(Q(username__iexact=typed) | Q(emailaddress__email__iexact=typed)).first()
    return user.username.lower() if user else typed.lower()


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count per client like django-axes does: behind a trusted proxy, the address it
        forwarded (core.clients), never a header anyone else sent."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A user made to set up two-factor authentication right after signing in with their password is not
        asked for that password again; everything else keeps allauth's re-authentication rule."""
        if app == "allauth.mfa" and self._first_authenticator_after_password_sign_in():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _first_authenticator_after_password_sign_in(self) -> bool:

        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or Authenticator.objects.filter(user=user).exists():
            return False
        records = [r for r in get_authentication_records(request, user) if r.get("method") == "password"]
        return bool(records) and time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    """allauth's sign-in, without Django's model permissions. Every permission here is a rule (`core/rules.py`,
    answered by the rules backend); asking the database for a user's model and group permissions would cost two
    queries on every page that asks one."""

    def get_user(self, user_id):
        """The user of a signed-in request, read from the database for this request: what is cached of their access
        may be used for them, under the access key this read carries (core/rules.py `shared_key`)."""
        user = super().get_user(user_id)
        if user is not None:
            user._lienhiep_loaded_for_request = True
        return user

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False
