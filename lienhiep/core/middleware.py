from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lienhiep.core.access import all_roles


class RequireMfaMiddleware:
    """Users holding a role listed in LIENHIEP_MFA_REQUIRED_ROLES must set up TOTP before anything else."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        required = set(settings.LIENHIEP_MFA_REQUIRED_ROLES)
        user = request.user
        if required and user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            from allauth.mfa.models import Authenticator

            if (
                all_roles(user) & required
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                messages.warning(
                    request,
                    _("Your role requires two-factor authentication: set up an authenticator app to continue."),
                    fail_silently=True,
                )
                return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)
