from importlib import import_module

from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from lienhiep.core import views as core_views

WORKSPACE = "<slug:union_slug>/app/"  # a Union's workspace: every app's `urlpatterns` is mounted under it, here only


def app_urls(module: str) -> URLResolver:
    """An app's URLs in its namespace: its public pages at the root, its workspace under /<union>/app/."""
    urls = import_module(module)
    patterns: list[URLPattern | URLResolver] = [*getattr(urls, "public_urlpatterns", [])]
    patterns.append(path(WORKSPACE, include(urls.urlpatterns)))
    return path("", include((patterns, urls.app_name)))


urlpatterns = [
    path("accounts/signup/", core_views.entrant_signup, name="account_signup"),  # allauth's, with ?union=
    path("accounts/", include("allauth.urls")),
    # The language switch without a CSRF token, so that a visitor's public page carries none and a shared cache may
    # keep it: Django's set_language only sets the language cookie and redirects to a `next` of this site (it checks
    # it), so a forged request could do no more than switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    app_urls("lienhiep.core.urls"),  # first: its "places/", "platform/" are not Unions
    app_urls("lienhiep.national.urls"),  # "national/" is not a Union either
    app_urls("lienhiep.portal.urls"),
    app_urls("lienhiep.experts.urls"),
    app_urls("lienhiep.outreach.urls"),
    app_urls("lienhiep.advisory.urls"),
    app_urls("lienhiep.contests.urls"),
    app_urls("lienhiep.paperwork.urls"),
]

# A database that cannot be reached answers 503 with a plain page (no stack trace), any other error 500.
handler500 = "lienhiep.core.errors.server_error"
