from django.urls import path

from lienhiep.outreach import views, views_followup

app_name = "outreach"
P = "outreach/"
# Pages outside the workspace (public ones, the platform's), mounted at the root.
public_urlpatterns = [
    path("<slug:union_slug>/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path(f"{P}plans/", views.plan_list, name="plan_list"),
    path(f"{P}plans/new/", views.plan_create, name="plan_create"),
    path(f"{P}plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path(f"{P}plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path(f"{P}plans/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path(f"{P}visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path(f"{P}calendar/", views.calendar_view, name="calendar"),
    path(f"{P}calendar.ics", views.calendar_ics, name="calendar_ics"),
    path(f"{P}calendar/address/", views.calendar_token, name="calendar_token"),
    path(f"{P}sessions/", views.session_list, name="session_list"),
    path(f"{P}sessions/new/", views.session_create, name="session_create"),
    path(f"{P}sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path(f"{P}sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path(f"{P}sessions/<int:pk>/photos/", views.session_photo, name="session_photo"),
    path(f"{P}sessions/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path(f"{P}sessions/<int:pk>/contests/new/", views_followup.promotion_create, name="promotion_create"),
    path(f"{P}minutes/<int:pk>/", views.minutes_version, name="minutes_version"),
    path(f"{P}minutes/<int:pk>/<str:action>/", views.minutes_action, name="minutes_action"),
    path(f"{P}minutes/<int:pk>/notice.docx", views.minutes_notice, {"extension": "docx"}, name="minutes_notice"),
    path(f"{P}minutes/<int:pk>/notice.pdf", views.minutes_notice, {"extension": "pdf"}, name="minutes_notice_pdf"),
    path(f"{P}actions/", views_followup.action_list, name="action_list"),
    path(f"{P}actions/overdue/", views_followup.action_overdue, name="action_overdue"),
    path(f"{P}actions/new/", views_followup.action_create, name="action_create"),
    path(f"{P}actions/<int:pk>/", views_followup.action_detail, name="action_detail"),
    path(f"{P}actions/<int:pk>/edit/", views_followup.action_edit, name="action_edit"),
    path(f"{P}actions/<int:pk>/files/", views_followup.action_evidence_file, name="action_evidence_file"),
    path(f"{P}actions/<int:pk>/steps/<str:action>/", views_followup.action_step, name="action_step"),
    path(f"{P}projects/", views_followup.project_list, name="project_list"),
    path(f"{P}projects/new/", views_followup.project_create, name="project_create"),
    path(f"{P}projects/<int:pk>/", views_followup.project_detail, name="project_detail"),
    path(f"{P}projects/<int:pk>/edit/", views_followup.project_edit, name="project_edit"),
    path(f"{P}localities/", views_followup.localities, name="localities"),
]
