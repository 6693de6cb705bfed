from django.urls import path

from lienhiep.portal import news_views, outputs_views, verify_views, views

app_name = "portal"
# Pages outside the workspace (public ones, the platform's), mounted at the root.
public_urlpatterns = [
    path("<slug:union_slug>/", views.union_home, name="union_home"),
    path("<slug:union_slug>/documents/", views.document_list, name="document_list"),
    path("<slug:union_slug>/documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("<slug:union_slug>/news/", news_views.article_list, name="article_list"),
    path("<slug:union_slug>/news/feed/", news_views.article_feed, name="article_feed"),
    path("<slug:union_slug>/news/images/<int:pk>/", news_views.article_image, name="article_image"),
    path("<slug:union_slug>/news/<slug:slug>/", news_views.article_detail, name="article_detail"),
    path("<slug:union_slug>/results/", outputs_views.publication_list, name="publication_list"),
    path("<slug:union_slug>/results/<int:pk>/", outputs_views.publication_detail, name="publication_detail"),
    path("<slug:union_slug>/certificates/", outputs_views.certificate_check, name="certificate_check"),
    path("<slug:union_slug>/verify/", verify_views.verify, name="verify"),
    path(
        "<slug:union_slug>/certificates/<str:code>/",
        outputs_views.certificate_check_code,
        name="certificate_check_code",
    ),
    path("<slug:union_slug>/search/", views.search, name="search"),
    path("<slug:union_slug>/sitemap.xml", views.sitemap, name="sitemap"),
]
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path("documents/", views.document_manage_list, name="document_manage_list"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/pick/", views.document_pick, name="document_pick"),
    path("documents/<int:pk>/", views.document_manage, name="document_manage"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("news/", news_views.article_manage_list, name="article_manage_list"),
    path("news/new/", news_views.article_create, name="article_create"),
    path("news/<int:pk>/", news_views.article_manage, name="article_manage"),
    path("news/<int:pk>/edit/", news_views.article_edit, name="article_edit"),
    path(
        "news/<int:pk>/state/<slug:step>/",
        news_views.article_transition,
        name="article_transition",
    ),
    path("news/<int:pk>/images/", news_views.article_image_upload, name="article_image_upload"),
    path(
        "news/images/<int:pk>/delete/",
        news_views.article_image_delete,
        name="article_image_delete",
    ),
    path("publications/", outputs_views.publication_manage_list, name="publication_manage_list"),
    path("publications/new/", outputs_views.publication_create, name="publication_create"),
    path("publications/<int:pk>/", outputs_views.publication_manage, name="publication_manage"),
    path("publications/<int:pk>/edit/", outputs_views.publication_edit, name="publication_edit"),
    path(
        "publications/<int:pk>/publish/",
        outputs_views.publication_publish,
        name="publication_publish",
    ),
    path(
        "publications/<int:pk>/withdraw/",
        outputs_views.publication_withdraw,
        name="publication_withdraw",
    ),
    path("certificates/", outputs_views.certificate_manage_list, name="certificate_manage_list"),
    path("certificates/<int:pk>/", outputs_views.certificate_manage, name="certificate_manage"),
    path(
        "certificates/<int:pk>/revoke/",
        outputs_views.certificate_revoke,
        name="certificate_revoke",
    ),
]
