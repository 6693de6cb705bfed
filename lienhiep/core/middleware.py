import unicodedata

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lienhiep.core.rules import all_roles


class RequireMfaMiddleware:
    """Users holding a role listed in LIENHIEP_MFA_REQUIRED_ROLES must set up TOTP before anything else."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        required = set(settings.LIENHIEP_MFA_REQUIRED_ROLES)
        user = request.user
        if required and user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
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


class NormalizeUnicodeMiddleware:
    """Every text a browser sends (query string and form fields) is turned into Unicode NFC before any view or
    form sees it.

    The same Vietnamese name arrives precomposed (NFC, most keyboards) or decomposed (NFD: macOS, some input
    methods, text pasted from PDFs), and the two compare unequal byte for byte: unique names, duplicate checks and
    exact lookups would treat "Nguyễn" and "Nguyễn" as two people. A middleware is the one place that covers
    every form, every search box, every htmx parameter and every `request.POST.get()` a view reads by hand,
    including those later modules add; the importers normalise their cells themselves (core.text.normalize).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _nfc_query_dict(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _nfc_query_dict(request.POST)
        return self.get_response(request)


def _nfc_query_dict(data: QueryDict) -> QueryDict:
    if all(
        unicodedata.is_normalized("NFC", key) and all(unicodedata.is_normalized("NFC", v) for v in data.getlist(key))
        for key in data
    ):
        return data
    normalized = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        normalized.setlist(
            unicodedata.normalize("NFC", key), [unicodedata.normalize("NFC", v) for v in data.getlist(key)]
        )
    normalized._mutable = False
    return normalized
