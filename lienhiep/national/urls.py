from django.urls import path

from lienhiep.national import views

app_name = "national"

# The national body's pages, outside any Union (mounted at the root, before the Unions' addresses).
public_urlpatterns = [
    path("national/", views.overview, name="overview"),
    path("national/table.xlsx", views.table_xlsx, name="table_xlsx"),
    path("national/reports/", views.reports, name="reports"),
    path("national/reports/due/", views.due_date, name="due_date"),
    path("national/reports/<int:pk>/", views.submission, name="submission"),
    path("national/reports/<int:pk>/<slug:step>/", views.answer, name="answer"),
    path("national/reports/<int:pk>.docx", views.submission_file, {"extension": "docx"}, name="submission_docx"),
    path("national/reports/<int:pk>.pdf", views.submission_file, {"extension": "pdf"}, name="submission_pdf"),
    path("national/nominations/", views.nominations, name="nominations"),
    path("national/nominations/<int:pk>.zip", views.nomination_zip, name="nomination_zip"),
]
# A Union's workspace: what it sent to the national body.
urlpatterns = [
    path("national/", views.union_reports, name="union_reports"),
    path("national/submit/", views.union_submit, name="union_submit"),
]
