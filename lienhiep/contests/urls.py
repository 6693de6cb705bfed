from django.urls import path

from lienhiep.contests import entry_views, judging_views, results_views, views

app_name = "contests"
P = "contests/"
E = f"{P}<int:pk>/"
# Pages outside the workspace (public ones, the platform's), mounted at the root.
public_urlpatterns = [
    path("<slug:union_slug>/contests/", views.public_list, name="public_list"),
    path("<slug:union_slug>/contests/<int:pk>/", views.public_edition, name="public_edition"),
    path("<slug:union_slug>/contests/<int:pk>/results/", views.public_results, name="public_results"),
]
# The workspace of a Union: lienhiep/urls.py mounts it once under /<union>/app/.
urlpatterns = [
    path(P, views.edition_list, name="editions"),
    path(f"{P}new/", views.edition_create, name="edition_create"),
    path(E, views.edition_detail, name="edition"),
    path(f"{E}edit/", views.edition_edit, name="edition_edit"),
    path(f"{E}setup/<slug:part>/", views.edition_setup, name="edition_setup"),
    path(f"{E}copy/", views.edition_copy, name="edition_copy"),
    path(f"{E}typical/", views.edition_typical, name="edition_typical"),
    path(f"{E}step/<slug:move>/", views.edition_move, name="edition_move"),
    path(f"{E}statistics/", views.edition_stats, name="stats"),
    path(f"{P}rounds/<int:pk>/rubric/", views.rubric, name="rubric"),
    path(f"{P}mine/", entry_views.my_entries, name="my_entries"),
    path(f"{E}entries/", entry_views.entry_list, name="entries"),
    path(f"{E}entries/new/", entry_views.entry_create, name="entry_create"),
    path(f"{P}entries/<int:pk>/", entry_views.entry_detail, name="entry"),
    path(f"{P}entries/<int:pk>/edit/", entry_views.entry_edit, name="entry_edit"),
    path(f"{P}entries/<int:pk>/submit/", entry_views.entry_submit, name="entry_submit"),
    path(f"{P}entries/<int:pk>/receipt/", entry_views.receipt, name="receipt"),
    path(f"{P}entries/<int:pk>/files/", entry_views.entry_file_add, name="entry_file_add"),
    path(f"{P}entries/<int:pk>/screen/", entry_views.entry_screen, name="entry_screen"),
    path(f"{P}entries/<int:pk>/reopen/", entry_views.entry_reopen, name="entry_reopen"),
    path(f"{P}entries/<int:pk>/extra-judge/", judging_views.extra_judge, name="extra_judge"),
    path(f"{P}files/<int:pk>/remove/", entry_views.entry_file_remove, name="entry_file_remove"),
    path(f"{P}rounds/<int:pk>/", judging_views.round_detail, name="round"),
    path(f"{P}rounds/<int:pk>/juries/<int:field_pk>/", judging_views.jury_set, name="jury_set"),
    path(f"{P}rounds/<int:pk>/propose/", judging_views.round_propose, name="round_propose"),
    path(f"{P}rounds/<int:pk>/confirm/", judging_views.round_confirm, name="round_confirm"),
    path(f"{P}rounds/<int:pk>/close/", judging_views.round_close, name="round_close"),
    path(f"{P}rounds/<int:pk>/place/", judging_views.judge_place, name="judge_place"),
    path(f"{P}rounds/<int:pk>/scores.xlsx", judging_views.scores_export, name="scores_export"),
    path(f"{P}rounds/<int:pk>/paper-sheets.xlsx", judging_views.scores_template, name="scores_template"),
    path(f"{P}rounds/<int:pk>/paper-sheets/", judging_views.scores_import, name="scores_import"),
    path(f"{P}seats/<int:pk>/remove/", judging_views.judge_remove, name="judge_remove"),
    path(f"{P}judging/", judging_views.my_judging, name="my_judging"),
    path(f"{P}judging/<int:pk>/", judging_views.sheet, name="sheet"),
    path(f"{P}judging/<int:pk>/recuse/", judging_views.recuse, name="recuse"),
    path(f"{E}results/", results_views.results_page, name="results"),
    path(f"{E}awards/", results_views.awards_page, name="awards"),
    path(f"{E}awards/propose/", results_views.awards_apply, name="awards_apply"),
    path(f"{E}awards/approve/", results_views.awards_approve, name="awards_approve"),
    path(f"{E}awards/withdraw/", results_views.awards_withdraw, name="awards_withdraw"),
    path(f"{E}awards/decision.docx", results_views.decision_file, {"extension": "docx"}, name="decision_docx"),
    path(f"{E}awards/decision.pdf", results_views.decision_file, {"extension": "pdf"}, name="decision_pdf"),
    path(f"{E}publish/", results_views.publish, name="publish"),
    path(f"{P}awards/<int:pk>/adjust/", results_views.award_adjust, name="award_adjust"),
    path(f"{E}certificates/", results_views.certificates_page, name="certificates"),
    path(f"{E}certificates/generate/", results_views.certificates_start, name="certificates_start"),
    path(f"{E}certificates.zip", results_views.certificates_zip, name="certificates_zip"),
    path(f"{P}certificates/<int:pk>/", results_views.certificate_pdf, name="certificate_pdf"),
    path(f"{P}certificates/<int:pk>/revoke/", results_views.certificate_revoke, name="certificate_revoke"),
    path(f"{E}national/", results_views.nominate_page, name="nominate"),
    path(f"{E}national.zip", results_views.nomination_zip, name="nomination_zip"),
    path(f"{E}export/<slug:kind>.xlsx", results_views.export, name="export"),
]
