from django.urls import path

from lienhiep.portal import views

app_name = "portal"
urlpatterns = [
    path("<slug:union_slug>/documents/", views.document_list, name="document_list"),
    path("<slug:union_slug>/documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("<slug:union_slug>/app/documents/", views.document_manage_list, name="document_manage_list"),
    path("<slug:union_slug>/app/documents/new/", views.document_create, name="document_create"),
    path("<slug:union_slug>/app/documents/<int:pk>/", views.document_manage, name="document_manage"),
    path("<slug:union_slug>/app/documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
]
