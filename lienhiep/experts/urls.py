from django.urls import path

from lienhiep.experts import batch_views, views

app_name = "experts"
P = "experts/"
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path(P, views.expert_list, name="list"),
    path(f"{P}new/", views.expert_create, name="create"),
    path(f"{P}<int:pk>/", views.expert_detail, name="detail"),
    path(f"{P}<int:pk>/edit/", views.expert_edit, name="edit"),
    path(f"{P}pick/", views.expert_pick, name="pick"),
    path(f"{P}<int:pk>/relations/", views.relation_add, name="relation_add"),
    path(f"{P}relations/<int:pk>/remove/", views.relation_remove, name="relation_remove"),
    path(f"{P}fields/", views.field_list, name="fields"),
    path(f"{P}fields/<int:pk>/edit/", views.field_edit, name="field_edit"),
    path(f"{P}export.xlsx", views.export, name="export"),
    path(f"{P}template.xlsx", views.template, name="template"),
    path(f"{P}import/", views.import_upload, name="import"),
    path(f"{P}import/<int:pk>/", views.import_preview, name="import_preview"),
    path(f"{P}find/", views.find, name="find"),
    path(f"{P}batches/", batch_views.batch_list, name="batches"),
    path(f"{P}batches/new/", batch_views.batch_create, name="batch_create"),
    path(f"{P}batches/<int:pk>/", batch_views.batch_detail, name="batch"),
    path(f"{P}batches/<int:pk>/edit/", batch_views.batch_edit, name="batch_edit"),
    path(f"{P}batches/<int:pk>/items/new/", batch_views.item_create, name="item_create"),
    path(f"{P}batches/<int:pk>/propose/", batch_views.batch_propose, name="batch_propose"),
    path(f"{P}batches/<int:pk>/confirm/", batch_views.batch_confirm, name="batch_confirm"),
    path(f"{P}items/<int:pk>/edit/", batch_views.item_edit, name="item_edit"),
    path(f"{P}items/<int:pk>/remove/", batch_views.item_remove, name="item_remove"),
    path(f"{P}items/<int:pk>/place/", batch_views.item_place, name="item_place"),
    path(f"{P}items/<int:pk>/conflicts/", batch_views.item_conflicts, name="item_conflicts"),
    path(f"{P}items/<int:pk>/conflicts/declare/", batch_views.conflict_declare, name="conflict_declare"),
    path(f"{P}items/<int:pk>/conflicts/dismiss/", batch_views.conflict_dismiss, name="conflict_dismiss"),
    path(f"{P}dismissals/<int:pk>/withdraw/", batch_views.dismissal_withdraw, name="dismissal_withdraw"),
    path(f"{P}proposals/<int:pk>/remove/", batch_views.proposal_remove, name="proposal_remove"),
]
