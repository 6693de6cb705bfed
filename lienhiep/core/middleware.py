import unicodedata

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_max_age, patch_cache_control
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

from lienhiep.core.models import User
from lienhiep.core.rules import all_roles, read_shared


class RequireMfaMiddleware:
    """Users holding a role listed in LIENHIEP_MFA_REQUIRED_ROLES must set up TOTP before anything else."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        required = set(settings.LIENHIEP_MFA_REQUIRED_ROLES)
        user = request.user
        if required and user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            if all_roles(user) & required and not has_totp(user):
                messages.warning(
                    request,
                    _("Your role requires two-factor authentication: set up an authenticator app to continue."),
                    fail_silently=True,
                )
                return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


def has_totp(user) -> bool:
    """The user has set up an authenticator app (kept across requests under their access key, which a change of
    their authenticators renews: core/signals.py)."""
    return read_shared(
        user, "totp", lambda: Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def read_access_at_sign_in(user_id: int) -> None:
    """What a signed-in user's every page needs (memberships, the Unions they are in, whether they have set up an
    authenticator), read when they sign in rather than by their first page, so that every page costs the same.

    The user is read again here, so that the access key and what is kept under it come from the same moment."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    user._lienhiep_loaded_for_request = True
    if all_roles(user) & set(settings.LIENHIEP_MFA_REQUIRED_ROLES):
        has_totp(user)


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


class SharedCacheMiddleware:
    """Which cache may keep a response, decided as it leaves, after every other middleware (second in MIDDLEWARE,
    after `PublicPageCache`, which keeps what this one makes public).

    A visitor's public page that its view marked `shareable` (portal's `public_page`) becomes `public` if nothing
    personal was added to it on the way: no cookie set (a CSRF token because the page has a form, a session, a
    message shown and consumed). Any other response that says nothing of caching but belongs to someone (the
    request carries a session, or the response sets a cookie) is marked `private`: never kept by a shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "shareable", False):
            if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.cookies:
                patch_cache_control(response, public=True)
        elif not response.has_header("Cache-Control") and (
            response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            patch_cache_control(response, private=True)
        return response


class PublicPageCache:
    """An anonymous visitor's public page, once made, is kept by this process for as long as any cache may keep it
    (its `max-age`, at most LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS; 0 keeps nothing) and served again without running
    the view, the database or the other middleware (first in MIDDLEWARE).

    Kept: a GET answered 200 that `SharedCacheMiddleware` made `public` (nothing personal in it) and whose view did
    not opt out (`public_page(kept_by_server=False)`: a page that counts its visits). Served from here: a GET from a
    visitor whose only cookies are the language and CSRF ones, under the same host, path, query and language. A
    visitor holding a session, a message or any other cookie always gets the page made for them."""

    ANONYMOUS_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["local"]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or not self.ANONYMOUS_COOKIES.issuperset(request.COOKIES):
            return self.get_response(request)
        key = self.key(request)
        response = self.cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if (
            getattr(response, "shareable", False)
            and getattr(response, "kept_by_server", True)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "public" in response.get("Cache-Control", "")
        ):
            self.cache.set(key, response, min(seconds, get_max_age(response) or 0))
        return response

    @staticmethod
    def key(request: HttpRequest) -> str:
        language = get_language_from_request(request)
        return f"public-page:{language}:{request.get_host()}:{request.get_full_path()}"
