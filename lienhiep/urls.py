from importlib import import_module

from django.urls import URLPattern, URLResolver, include, path

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
    path("i18n/", include("django.conf.urls.i18n")),
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
