from django.urls import path

from lienhiep.core import views

app_name = "core"

# Pages outside the workspace (public ones, the platform's), mounted at the root.
public_urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("places/", views.places, name="places"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("platform/places/import/", views.places_import, name="places_import"),
    path("platform/unions/", views.platform_unions, name="platform_unions"),
    path("<slug:union_slug>/files/<int:pk>/", views.download_attachment, name="attachment_download"),
]
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/toggle/", views.membership_toggle, name="membership_toggle"),
    path("settings/", views.union_settings, name="union_settings"),
    path("files/upload/<str:model>/<int:pk>/", views.upload_attachment, name="attachment_upload"),
    path("files/<int:pk>/delete/", views.delete_attachment, name="attachment_delete"),
    path("people/pick/", views.people_pick, name="people_pick"),
    path("agencies/pick/", views.agencies_pick, name="agencies_pick"),
]
for key in views.REGISTRIES:
    list_view, detail_view, create_view, edit_view = (
        getattr(views, f"{key}_list"),
        getattr(views, f"{key}_detail"),
        getattr(views, f"{key}_create"),
        getattr(views, f"{key}_edit"),
    )
    urlpatterns += [
        path(f"{key}/", list_view, name=f"{key}_list"),
        path(f"{key}/new/", create_view, name=f"{key}_create"),
        path(f"{key}/<int:pk>/", detail_view, name=f"{key}_detail"),
        path(f"{key}/<int:pk>/edit/", edit_view, name=f"{key}_edit"),
    ]
