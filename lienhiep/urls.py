from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lienhiep.core.urls")),  # first: its "places/", "platform/" are not Unions
    path("", include("lienhiep.portal.urls")),
    path("", include("lienhiep.experts.urls")),
    path("", include("lienhiep.outreach.urls")),
    path("", include("lienhiep.advisory.urls")),
    path("", include("lienhiep.contests.urls")),
]

# A database that cannot be reached answers 503 with a plain page (no stack trace), any other error 500.
handler500 = "lienhiep.core.errors.server_error"
