from django.urls import path

from lienhiep.portal import news_views, outputs_views, views

app_name = "portal"
urlpatterns = [
    path("<slug:union_slug>/", views.union_home, name="union_home"),
    # Public pages of a Union
    path("<slug:union_slug>/documents/", views.document_list, name="document_list"),
    path("<slug:union_slug>/documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("<slug:union_slug>/news/", news_views.article_list, name="article_list"),
    path("<slug:union_slug>/news/feed/", news_views.article_feed, name="article_feed"),
    path("<slug:union_slug>/news/images/<int:pk>/", news_views.article_image, name="article_image"),
    path("<slug:union_slug>/news/<slug:slug>/", news_views.article_detail, name="article_detail"),
    path("<slug:union_slug>/results/", outputs_views.publication_list, name="publication_list"),
    path("<slug:union_slug>/results/<int:pk>/", outputs_views.publication_detail, name="publication_detail"),
    path("<slug:union_slug>/certificates/", outputs_views.certificate_check, name="certificate_check"),
    path(
        "<slug:union_slug>/certificates/<str:code>/",
        outputs_views.certificate_check_code,
        name="certificate_check_code",
    ),
    path("<slug:union_slug>/search/", views.search, name="search"),
    path("<slug:union_slug>/sitemap.xml", views.sitemap, name="sitemap"),
    # Staff pages
    path("<slug:union_slug>/app/documents/", views.document_manage_list, name="document_manage_list"),
    path("<slug:union_slug>/app/documents/new/", views.document_create, name="document_create"),
    path("<slug:union_slug>/app/documents/<int:pk>/", views.document_manage, name="document_manage"),
    path("<slug:union_slug>/app/documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<slug:union_slug>/app/news/", news_views.article_manage_list, name="article_manage_list"),
    path("<slug:union_slug>/app/news/new/", news_views.article_create, name="article_create"),
    path("<slug:union_slug>/app/news/<int:pk>/", news_views.article_manage, name="article_manage"),
    path("<slug:union_slug>/app/news/<int:pk>/edit/", news_views.article_edit, name="article_edit"),
    path(
        "<slug:union_slug>/app/news/<int:pk>/state/<slug:transition>/",
        news_views.article_transition,
        name="article_transition",
    ),
    path("<slug:union_slug>/app/news/<int:pk>/images/", news_views.article_image_upload, name="article_image_upload"),
    path(
        "<slug:union_slug>/app/news/images/<int:pk>/delete/",
        news_views.article_image_delete,
        name="article_image_delete",
    ),
    path("<slug:union_slug>/app/publications/", outputs_views.publication_manage_list, name="publication_manage_list"),
    path("<slug:union_slug>/app/publications/new/", outputs_views.publication_create, name="publication_create"),
    path("<slug:union_slug>/app/publications/<int:pk>/", outputs_views.publication_manage, name="publication_manage"),
    path("<slug:union_slug>/app/publications/<int:pk>/edit/", outputs_views.publication_edit, name="publication_edit"),
    path(
        "<slug:union_slug>/app/publications/<int:pk>/publish/",
        outputs_views.publication_publish,
        name="publication_publish",
    ),
    path(
        "<slug:union_slug>/app/publications/<int:pk>/withdraw/",
        outputs_views.publication_withdraw,
        name="publication_withdraw",
    ),
    path("<slug:union_slug>/app/certificates/", outputs_views.certificate_manage_list, name="certificate_manage_list"),
    path("<slug:union_slug>/app/certificates/<int:pk>/", outputs_views.certificate_manage, name="certificate_manage"),
    path(
        "<slug:union_slug>/app/certificates/<int:pk>/revoke/",
        outputs_views.certificate_revoke,
        name="certificate_revoke",
    ),
]
