from django.urls import path

from lienhiep.paperwork import views

app_name = "paperwork"
urlpatterns = [
    path("register/", views.register_list, name="register"),
    path("register/<int:pk>.docx", views.issued_file, {"extension": "docx"}, name="issued_docx"),
    path("register/<int:pk>.pdf", views.issued_file, {"extension": "pdf"}, name="issued_pdf"),
    path("register/<int:pk>/retry/", views.retry, name="retry"),
    path("register/<int:pk>/signed/", views.upload_signed, name="upload_signed"),
]
