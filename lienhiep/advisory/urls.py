from django.urls import path

from lienhiep.advisory import views, views_work

app_name = "advisory"
P = "advisory/"
C = f"{P}cases/<int:pk>/"
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path(f"{P}cases/", views.case_list, name="case_list"),
    path(f"{P}cases/new/", views.case_create, name="case_create"),
    path(C, views.case_detail, name="case_detail"),
    path(f"{C}edit/", views.case_edit, name="case_edit"),
    path(f"{C}step/<slug:action>/", views.case_step, name="case_step"),
    path(f"{C}files/", views.file_upload, name="file_upload"),
    path(f"{P}files/<int:pk>/", views.file_download, name="file_download"),
    path(f"{C}council/", views.council, name="council"),
    path(f"{C}council/<slug:action>/", views.council_action, name="council_action"),
    path(f"{C}decision.docx", views.decision_file, {"extension": "docx"}, name="decision_docx"),
    path(f"{C}decision.pdf", views.decision_file, {"extension": "pdf"}, name="decision_pdf"),
    path(f"{C}draft/", views_work.draft, name="draft"),
    path(f"{C}comments/", views_work.comment_add, name="comment_add"),
    path(f"{P}comments/<int:pk>/delete/", views_work.comment_delete, name="comment_delete"),
    path(f"{C}review/", views_work.review_edit, name="review_edit"),
    path(f"{C}reviews/", views_work.reviews, name="reviews"),
    path(f"{P}reviews/<int:pk>/reopen/", views_work.review_reopen, name="review_reopen"),
    path(f"{P}reviews/<int:pk>/paper/", views_work.review_paper, name="review_paper"),
    path(f"{C}meeting/", views_work.meeting, name="meeting"),
    path(f"{C}meeting.docx", views_work.meeting_file, {"extension": "docx"}, name="meeting_docx"),
    path(f"{C}meeting.pdf", views_work.meeting_file, {"extension": "pdf"}, name="meeting_pdf"),
    path(f"{C}meeting/issue/", views_work.meeting_issue, name="meeting_issue"),
    path(f"{C}consolidate/", views_work.consolidate, name="consolidate"),
    path(f"{P}recommendations/<int:pk>/", views_work.recommendation_edit, name="recommendation_edit"),
    path(f"{C}report.docx", views_work.report_file, {"extension": "docx"}, name="report_docx"),
    path(f"{C}report.pdf", views_work.report_file, {"extension": "pdf"}, name="report_pdf"),
    path(f"{C}answers/", views_work.answers, name="answers"),
    path(f"{C}assessment/", views_work.assessment, name="assessment"),
    path(f"{P}stats/", views.stats_page, name="stats"),
    path(f"{P}stats.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path(f"{P}stats.docx", views.stats_docx, name="stats_docx"),
    path(f"{P}stats.pdf", views.stats_pdf, name="stats_pdf"),
    path(f"{P}stats/sign/", views.stats_sign, name="stats_sign"),
]
