"""The advisory pages through HTTP: every page keeps to the strict CSP in Vietnamese and English, the intake form
(errors in Vietnamese, nothing stored), a request created from a local project, the forms of each step."""

import re

import pytest
from django.urls import reverse

from lienhiep.advisory.models import Case, CaseFile, Status
from lienhiep.outreach import services as outreach_services
from lienhiep.outreach.models import LocalProject
from tests.test_csp import INLINE_SCRIPT

from . import factories as f

# a script element that runs (a chart's data in a type="application/json" element never does)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def case_pages(cast, case):
    names = ["case_detail", "council", "draft", "reviews", "meeting", "consolidate", "answers", "assessment"]
    pages = [(cast.staff, reverse(f"advisory:{n}", args=[cast.union.slug, case.pk])) for n in names]
    return pages + [
        (cast.staff, reverse("advisory:case_list", args=[cast.union.slug])),
        (cast.staff, reverse("advisory:case_create", args=[cast.union.slug])),
        (cast.staff, reverse("advisory:case_edit", args=[cast.union.slug, case.pk])),
        (cast.staff, reverse("advisory:stats", args=[cast.union.slug])),
        (cast.staff, reverse("core:dashboard", args=[cast.union.slug])),
        (cast.leader, reverse("core:dashboard", args=[cast.union.slug])),
        (cast.expert, reverse("core:dashboard", args=[cast.union.slug])),
        (cast.agency_rep, reverse("core:dashboard", args=[cast.union.slug])),
        (cast.agency_rep, reverse("advisory:case_create", args=[cast.union.slug])),
        (cast.agency_rep, reverse("advisory:answers", args=[cast.union.slug, case.pk])),
        (cast.expert, reverse("advisory:consolidate", args=[cast.union.slug, case.pk])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_keeps_to_the_csp(cast, client_for, language):
    case = f.journey(cast, until=Status.ASSESSED).case
    for user, url in case_pages(cast, case):
        client = client_for(user)
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTR.search(html), url
        if language == "vi":
            assert "Consulting" not in html and "Recommendation" not in html, url


@pytest.mark.django_db
def test_a_representative_sends_a_request_and_sees_errors_in_vietnamese(cast, client_for):
    client = client_for(cast.agency_rep)
    url = reverse("advisory:case_create", args=[cast.union.slug])
    form = client.get(url).content.decode()
    assert "Nơi nhận" not in form and 'name="origin"' not in form  # staff-only fields are not offered
    data = {
        "kind": "critique",
        "requesting_agency": cast.agency.pk,
        "title": "Đề án phát triển cây dược liệu",
        "request_number": "",
        "request_date": "2022-02-26",
        "requested_deadline": "2022-01-01",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in page  # letter number, letter and draft files
    assert "Thời hạn trả lời không thể trước ngày ban hành công văn." in page
    assert not Case.objects.exists()
    data |= {
        "request_number": "215/UBND-KT",
        "requested_deadline": "2022-04-30",
        "request_letter": f.upload("công văn.pdf", f.PDF_BYTES),
        "draft": f.upload("dự thảo.docx", f.docx_bytes()),
    }
    response = client.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == Status.RECEIVED and case.requesting_agency == cast.agency
    assert case.files.filter(kind=CaseFile.Kind.DRAFT).get().original_name == "dự thảo.docx"
    assert case.paragraphs.count() == len(f.DRAFT_PARAGRAPHS)


@pytest.mark.django_db
def test_a_request_is_created_from_a_local_project_and_linked_back(cast, client_for):
    project = outreach_services.save_local_project(
        actor=cast.staff,
        union=cast.union,
        project=LocalProject(
            union=cast.union,
            name="Quy hoạch xây dựng vùng huyện Đăk Tô",
            owner_agency=cast.agency,
            admin_unit=cast.district,
            sector="Xây dựng",
        ),
    )
    client = client_for(cast.staff)
    project_page = client.get(reverse("outreach:project_detail", args=[cast.union.slug, project.pk])).content.decode()
    link = reverse("advisory:case_create", args=[cast.union.slug]) + f"?project={project.pk}"
    assert link in project_page and "Tạo đề nghị tư vấn/phản biện" in project_page
    form = client.get(link).content.decode()
    assert 'value="Quy hoạch xây dựng vùng huyện Đăk Tô"' in form and "Điền sẵn từ dự án" in form
    response = client.post(
        link,
        {
            "kind": "consulting",
            "origin": "request",
            "requesting_agency": cast.agency.pk,
            "title": "Quy hoạch xây dựng vùng huyện Đăk Tô",
            "form_of_work": "council",
            "council_size": 5,
            "share_comments": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.source_local_project == project
    project_page = client.get(reverse("outreach:project_detail", args=[cast.union.slug, project.pk])).content.decode()
    assert case.code in project_page


@pytest.mark.django_db
def test_the_steps_through_their_forms(cast, client_for):
    j = f.journey(cast, until=Status.RECEIVED)
    staff, leader = client_for(cast.staff), client_for(cast.leader)

    def step(client, action, **data):
        return client.post(reverse("advisory:case_step", args=[cast.union.slug, j.case.pk, action]), data)

    assert step(staff, "decline").status_code == 302
    assert j.refresh().status == Status.RECEIVED  # no reason: refused, with the message
    assert step(staff, "accept").status_code == 302 and j.refresh().status == Status.ACCEPTED
    assert step(leader, "accept").status_code == 403
    council = reverse("advisory:council_action", args=[cast.union.slug, j.case.pk, "add"])
    for expert, role in [(j.chair, "chair"), (j.reviewers[0], "reviewer"), (j.secretary, "secretary")]:
        staff.post(council, {"expert": expert.pk, "role": role})
    assert j.case.seats.count() == 3
    assert step(staff, "submit_council").status_code == 302 and j.refresh().status == Status.COUNCIL_PENDING
    assert step(staff, "approve_council").status_code == 403
    assert step(leader, "approve_council").status_code == 302 and j.refresh().status == Status.COUNCIL_FORMED
    assert step(staff, "start_review", review_due_on="2000-01-01").status_code == 302
    assert j.refresh().status == Status.COUNCIL_FORMED  # a due date in the past is refused
    assert step(staff, "start_review", review_due_on="2099-01-01").status_code == 302
    assert j.refresh().status == Status.REVIEWING
    assert step(staff, "no_such_step").status_code == 404


@pytest.mark.django_db
def test_staff_type_in_a_paper_review_and_declare_a_conflict(cast, client_for):
    j = f.journey(cast, until=Status.REVIEWING)
    staff = client_for(cast.staff)
    review = j.case.reviews.get(seat__expert=j.chair)
    url = reverse("advisory:review_paper", args=[cast.union.slug, review.pk])
    assert "Nhập ý kiến gửi bằng văn bản giấy" in staff.get(url).content.decode()
    response = staff.post(url, {"received_on": "2022-03-18", "conclusions": "Đồng ý với dự thảo."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_submitted and review.submitted_at.date().isoformat() == "2022-03-18" and not review.is_late()
    assert client_for(j.reviewer_users[0]).get(url).status_code == 403
    accepted = f.new_case(cast)
    from lienhiep.advisory import services

    services.accept_case(accepted, actor=cast.staff)
    declare = reverse("advisory:council_action", args=[cast.union.slug, accepted.pk, "conflict"])
    staff.post(declare, {"conflict-expert": j.chair.pk, "conflict-reason": "Tham gia tổ soạn thảo."})
    add = reverse("advisory:council_action", args=[cast.union.slug, accepted.pk, "add"])
    page = staff.post(add, {"expert": j.chair.pk, "role": "chair"}, follow=True).content.decode()
    assert "Tham gia tổ soạn thảo." in page and not accepted.seats.exists()


@pytest.mark.django_db
def test_the_agency_attaches_its_answer_letter(cast, client_for):
    j = f.journey(cast, until=Status.SENT)
    rep = client_for(cast.agency_rep)
    response = rep.post(
        reverse("advisory:file_upload", args=[cast.union.slug, j.case.pk]),
        {"kind": "answer", "file": f.upload("Văn bản tiếp thu.pdf", f.PDF_BYTES)},
    )
    assert response["Location"].endswith("/answers/")
    assert j.case.files.filter(kind=CaseFile.Kind.ANSWER, original_name="Văn bản tiếp thu.pdf").exists()
    refused = rep.post(
        reverse("advisory:file_upload", args=[cast.union.slug, j.case.pk]),
        {"kind": "draft", "file": f.upload("dự thảo mới.docx", f.docx_bytes())},
        follow=True,
    )
    assert "Cơ quan đề nghị không thể sửa hồ sơ nữa." in refused.content.decode()


@pytest.mark.django_db
def test_answers_and_letter_are_one_form_and_a_refused_letter_keeps_what_was_typed(cast, client_for):
    """Issue 19, 1: attaching the letter never throws the typed answers away; all or nothing."""
    j = f.journey(cast, until=Status.SENT)
    rec = j.case.recommendations.order_by("number").first()
    rep = client_for(cast.agency_rep)
    url = reverse("advisory:answers", args=[cast.union.slug, j.case.pk])
    page = rep.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "data-unsaved-warning" in page and 'name="letter"' in page
    typed = {f"response_{rec.pk}": "partly", f"explanation_{rec.pk}": "Tiếp thu phần quy hoạch vùng trồng."}
    refused = rep.post(url, {**typed, "letter": f.upload("công văn.exe", b"MZ not a document")})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Tiếp thu phần quy hoạch vùng trồng." in html  # what was typed is still on the page
    assert "chọn lại tệp" in html
    rec.refresh_from_db()
    assert rec.response == "" and not j.case.files.filter(kind=CaseFile.Kind.ANSWER).exists()  # nothing half-saved
    saved = rep.post(url, {**typed, "letter": f.upload("Văn bản tiếp thu.pdf", f.PDF_BYTES)})
    assert saved.status_code == 302
    rec.refresh_from_db()
    assert rec.response == "partly"
    assert j.case.files.filter(kind=CaseFile.Kind.ANSWER, original_name="Văn bản tiếp thu.pdf").exists()


@pytest.mark.django_db
def test_staff_move_a_stage_deadline_on_the_edit_page(cast, client_for):
    case = f.new_case(cast)
    client = client_for(cast.staff)
    url = reverse("advisory:case_edit", args=[cast.union.slug, case.pk])
    assert 'name="stage_due_on"' in client.get(url).content.decode()
    data = {
        "kind": "critique",
        "origin": "request",
        "requesting_agency": cast.agency.pk,
        "request_number": case.request_number,
        "request_date": "2022-02-26",
        "title": case.title,
        "received_on": "2022-03-01",
        "form_of_work": "council",
        "council_size": 4,
        "stage_due_on": "2022-03-20",
    }
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.stage_due_on.isoformat() == "2022-03-20" and case.status == Status.RECEIVED
    assert client_for(cast.agency_rep).get(url).status_code == 403
