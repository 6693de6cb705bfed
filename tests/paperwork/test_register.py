"""The register of issued documents: every issued document is numbered once, rendered once, stored with its sha256
and served byte for byte forever after — whatever later steps change in its case, edition or session. A
correction is a new document that replaces the old one. No web request converts to PDF: the worker does, once."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from lienhiep.advisory import services, services_work
from lienhiep.advisory.models import Status
from lienhiep.contests import awards, editions
from lienhiep.core.models import Person, Role
from lienhiep.outreach import services as outreach
from lienhiep.paperwork import register
from lienhiep.paperwork.models import IssuedDocument
from tests.advisory import factories as af
from tests.conftest import make_user
from tests.contests import factories as cf
from tests.outreach import factories as of

pytestmark = pytest.mark.django_db
Kind = IssuedDocument.Kind
FAKE_PDF = b"%PDF-1.4\n% made by the test's converter\n%%EOF\n"


@pytest.fixture
def converter(monkeypatch):
    """The worker's converter, counted (LibreOffice itself is exercised by tests/paperwork/test_layout.py)."""
    calls = []

    def convert(data: bytes) -> bytes:
        calls.append(hashlib.sha256(data).hexdigest())
        return FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(register, "docx_to_pdf", convert)
    return calls


@pytest.fixture
def no_conversion_in_requests(monkeypatch):
    """From here on, converting is an error: what a request serves must come from storage."""

    def refuse(data: bytes) -> bytes:
        raise AssertionError("a web request converted a document to PDF")

    monkeypatch.setattr(register, "docx_to_pdf", refuse)
    monkeypatch.setattr("lienhiep.paperwork.pdf.subprocess.run", refuse)


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def vice_chair(cast):
    user = make_user("phochutich", "Phạm Thị Hoa", Role.LEADER, cast.union)
    Person.objects.create(union=cast.union, name="Phạm Thị Hoa", user=user, position="Phó Chủ tịch")
    return user


def test_an_issued_decision_never_changes_after_later_steps(
    cast, client_for, converter, django_capture_on_commit_callbacks
):
    """The case's signer changes when another leader signs the report; the decision keeps its own signer, its
    number and its bytes, as the register recorded them."""
    Person.objects.create(union=cast.union, name="Nguyễn Văn Sơn", user=cast.leader, position="Chủ tịch")
    with django_capture_on_commit_callbacks(execute=True):
        j = af.journey(cast, until=Status.REPORT_PENDING)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    assert decision.number_symbol == "01/QĐ-LHH" and decision.signer_name == "Nguyễn Văn Sơn"
    assert decision.signer_authority == "TM. BAN THƯỜNG VỤ" and decision.signer_title == "CHỦ TỊCH"
    assert decision.is_pdf_ready and len(converter) == 2  # the decision and the meeting's minutes
    staff = client_for(cast.staff)
    url = reverse("advisory:decision_docx", args=[cast.union.slug, j.case.pk])
    first = staff.get(url).content
    assert sha(first) == decision.docx_sha256
    first_pdf = staff.get(reverse("advisory:decision_pdf", args=[cast.union.slug, j.case.pk])).content
    assert sha(first_pdf) == decision.pdf_sha256

    with django_capture_on_commit_callbacks(execute=True):
        report = services_work.sign_report(j.case, actor=vice_chair(cast), today=af.DAY + datetime.timedelta(days=27))
        services_work.send_report(j.case, actor=cast.staff, today=af.DAY + datetime.timedelta(days=28))
    assert report.number_symbol == "03/BC-LHH"  # after the decision and the meeting's minutes
    assert (report.signer_name, report.signer_authority, report.signer_title) == (
        "Phạm Thị Hoa",
        "TM. BAN THƯỜNG VỤ / KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    )
    report_text = text_of(staff.get(reverse("advisory:report_docx", args=[cast.union.slug, j.case.pk])).content)
    assert "KT. CHỦ TỊCH" in report_text and "Phạm Thị Hoa" in report_text
    j.case.refresh_from_db()
    assert j.case.signatory.name == "Phạm Thị Hoa"  # the case moved on ...

    again = staff.get(url).content  # ... the decision did not
    assert again == first and sha(again) == decision.docx_sha256
    assert "Nguyễn Văn Sơn" in text_of(again) and "Phạm Thị Hoa" not in text_of(again)
    assert staff.get(reverse("advisory:decision_pdf", args=[cast.union.slug, j.case.pk])).content == first_pdf
    assert len(converter) == 3  # one conversion per document, never per download


def test_report_downloads_serve_the_stored_files_and_no_request_converts(
    cast, client_for, converter, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        j = af.journey(cast, until=Status.ANSWERED)
    report = register.current_document(j.case, Kind.CASE_REPORT)
    assert report.is_pdf_ready
    monkeypatch.setattr(register, "docx_to_pdf", lambda data: pytest.fail("a request converted"))
    monkeypatch.setattr(
        "lienhiep.paperwork.pdf.subprocess.run", lambda *a, **k: pytest.fail("a request ran LibreOffice")
    )
    for user in (cast.staff, cast.expert, cast.agency_rep, cast.leader):
        response = client_for(user).get(reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk]))
        assert response.status_code == 200, user
        assert response.content.startswith(FAKE_PDF) and sha(response.content) == report.pdf_sha256
        assert response["Content-Type"] == "application/pdf"
        docx = client_for(user).get(reverse("advisory:report_docx", args=[cast.union.slug, j.case.pk]))
        assert sha(docx.content) == report.docx_sha256


def test_a_draft_has_no_pdf_and_a_pending_pdf_says_so(cast, client_for, django_capture_on_commit_callbacks):
    j = af.journey(cast, until=Status.REPORT_PENDING)  # callbacks not run: the worker has not converted yet
    staff = client_for(cast.staff)
    assert staff.get(reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk])).status_code == 404
    draft = staff.get(reverse("advisory:report_docx", args=[cast.union.slug, j.case.pk]))
    assert draft.status_code == 200 and "Số:" in text_of(draft.content)
    pending = staff.get(reverse("advisory:decision_pdf", args=[cast.union.slug, j.case.pk]))
    assert pending.status_code == 202
    assert 'http-equiv="refresh"' in pending.content.decode()
    assert "đang được tạo" in pending.content.decode()


def test_a_failed_conversion_is_shown_and_can_be_queued_again(cast, client_for, monkeypatch):
    def broken(data):
        raise register.ConversionError("LibreOffice made no PDF")

    monkeypatch.setattr(register, "docx_to_pdf", broken)
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    register.make_pdf.call(decision.pk)
    decision.refresh_from_db()
    assert decision.pdf_state == IssuedDocument.PdfState.FAILED and "no PDF" in decision.pdf_error
    staff = client_for(cast.staff)
    assert staff.get(reverse("advisory:decision_pdf", args=[cast.union.slug, j.case.pk])).status_code == 503
    page = staff.get(reverse("paperwork:register", args=[cast.union.slug])).content.decode()
    assert decision.number_symbol in page and reverse("paperwork:retry", args=[cast.union.slug, decision.pk]) in page

    monkeypatch.setattr(register, "docx_to_pdf", lambda data: FAKE_PDF)
    retry = reverse("paperwork:retry", args=[cast.union.slug, decision.pk])
    assert client_for(cast.leader).post(retry).status_code == 403  # the leader reads the register, staff run it
    assert staff.post(retry).status_code == 302
    register.make_pdf.call(decision.pk)  # what the queued task does
    decision.refresh_from_db()
    assert decision.is_pdf_ready and decision.pdf_sha256 == sha(FAKE_PDF)


def test_a_stored_file_that_no_longer_matches_the_register_is_not_served(cast, client_for):
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    with decision.docx.storage.open(decision.docx.name, "wb") as handle:
        handle.write(b"changed on disk")
    response = client_for(cast.staff).get(reverse("paperwork:issued_docx", args=[cast.union.slug, decision.pk]))
    assert response.status_code == 503 and b"changed on disk" not in response.content
    assert "không khớp" in response.content.decode()


def test_the_pdf_is_stored_once_even_when_two_workers_convert(cast, converter):
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    first = register.make_pdf.call(decision.pk)
    assert register.make_pdf.call(decision.pk) == first and len(converter) == 1
    IssuedDocument.objects.filter(pk=decision.pk).update(pdf_state=IssuedDocument.PdfState.PENDING)
    decision.refresh_from_db()
    stale = IssuedDocument.objects.get(pk=decision.pk)
    IssuedDocument.objects.filter(pk=decision.pk).update(pdf_state=IssuedDocument.PdfState.READY)
    stale.pdf_state = IssuedDocument.PdfState.PENDING  # a second worker that read the row before the first stored
    register.make_pdf.func(stale.pk)
    decision.refresh_from_db()
    assert decision.pdf_sha256 == first


def test_numbers_run_per_union_and_year_zero_padded_and_a_typed_number_must_be_free(cast, reviewed_edition):
    awards.apply_proposal(actor=cast.staff, edition=reviewed_edition)
    with pytest.raises(ValidationError, match="số"):
        awards.approve_awards(
            actor=cast.leader, edition=reviewed_edition, number="abc", day=datetime.date(2022, 9, 1), signatory="x"
        )
    edition = awards.approve_awards(
        actor=cast.leader, edition=reviewed_edition, number="", day=datetime.date(2022, 9, 1), signatory="Sơn"
    )
    assert edition.decision_number == "01/QĐ-LHH"
    j = af.journey(cast, until=Status.COUNCIL_FORMED)  # approved on 06/03/2022: the next number of 2022
    assert register.current_document(j.case, Kind.COUNCIL_DECISION).number_symbol == "02/QĐ-LHH"
    minutes = of.approved_minutes(cast, notice_number="15/TB-LHH")  # typed as taken in the paper register
    notice = register.current_document(minutes, Kind.CONCLUSION_NOTICE)
    assert notice.number_symbol == "15/TB-LHH" and notice.year == minutes.approved_at.year
    with pytest.raises(ValidationError, match="15"):
        register._number(cast.union, notice.year, "15")
    outsider = register._number(cast.outsider_union, notice.year, "")
    assert outsider == 1


def test_a_correction_is_a_new_document_that_replaces_the_old(cast, client_for, reviewed_edition):
    awards.apply_proposal(actor=cast.staff, edition=reviewed_edition)
    first = awards.approve_awards(
        actor=cast.leader, edition=reviewed_edition, number="", day=datetime.date(2022, 9, 1), signatory="Sơn"
    )
    old = register.current_document(first, Kind.AWARD_DECISION)
    old_bytes = old.docx.open("rb").read()
    awards.withdraw_approval(actor=cast.leader, edition=first, reason="Sai tên tác giả")
    again = awards.approve_awards(
        actor=cast.leader, edition=cf.fresh(first), number="", day=datetime.date(2022, 9, 5), signatory="Sơn"
    )
    new = register.current_document(again, Kind.AWARD_DECISION)
    old.refresh_from_db()
    assert new.replaces == old and old.is_replaced and new.number_symbol == "02/QĐ-LHH"
    assert again.decision_number == "02/QĐ-LHH"
    assert old.docx.open("rb").read() == old_bytes  # the replaced one is kept as it was
    page = client_for(cast.leader).get(reverse("paperwork:register", args=[cast.union.slug])).content.decode()
    assert "Được thay thế bởi 02/QĐ-LHH" in page and "Thay thế 01/QĐ-LHH" in page
    served = client_for(cast.staff).get(reverse("contests:decision_docx", args=[cast.union.slug, again.pk]))
    assert sha(served.content) == new.docx_sha256


def test_revised_minutes_issue_a_notice_that_replaces_the_earlier_one(cast, client_for):
    minutes = of.approved_minutes(cast)
    first = register.current_document(minutes, Kind.CONCLUSION_NOTICE)
    revised = outreach.revise_minutes(minutes, actor=cast.staff, reason="Sửa thời hạn")
    outreach.circulate_minutes(revised, actor=cast.staff)
    outreach.approve_minutes(revised, actor=cast.leader)
    second = register.current_document(revised, Kind.CONCLUSION_NOTICE)
    assert second.replaces == first and second.number == first.number + 1
    member = client_for(cast.staff)
    old_url = reverse("outreach:minutes_notice", args=[cast.union.slug, minutes.pk])
    assert sha(member.get(old_url).content) == first.docx_sha256  # the first version keeps its own notice


def test_council_minutes_are_issued_with_both_signers_and_reissued_as_a_replacement(cast, client_for):
    j = af.journey(cast, until=Status.CONSOLIDATING)  # the minutes were issued after the meeting (by staff)
    meeting = j.case.meeting
    minutes = register.current_document(meeting, Kind.MEETING_MINUTES)
    assert minutes.number_symbol == "02/BB-LHH" and minutes.issued_on == meeting.held_on
    assert minutes.signer_name == "Hoàng Minh Đức" and minutes.signer_title == "CHỦ TỌA"
    staff = client_for(cast.staff)
    docx_url = reverse("advisory:meeting_docx", args=[cast.union.slug, j.case.pk])
    text = text_of(staff.get(docx_url).content)
    assert "Hoàng Minh Đức" in text and "Y Blong" in text  # the chair and the secretary sign
    page = staff.get(reverse("advisory:meeting", args=[cast.union.slug, j.case.pk])).content.decode()
    issue_url = reverse("advisory:meeting_issue", args=[cast.union.slug, j.case.pk])
    assert issue_url in page and "02/BB-LHH" in page
    assert client_for(j.reviewer_users[0]).post(issue_url).status_code == 403  # a reviewer, not the secretary
    assert register.current_document(meeting, Kind.MEETING_MINUTES) == minutes
    assert client_for(cast.expert).post(issue_url).status_code == 302  # the secretary writes the record
    again = register.current_document(meeting, Kind.MEETING_MINUTES)
    assert again.replaces == minutes and again.year == datetime.date.today().year  # issued today
    assert sha(staff.get(docx_url).content) == again.docx_sha256


def test_the_register_is_for_the_unions_staff_only(cast, client_for):
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    url = reverse("paperwork:register", args=[cast.union.slug])
    file_url = reverse("paperwork:issued_docx", args=[cast.union.slug, decision.pk])
    for user in (cast.staff, cast.leader, cast.union_admin):
        assert client_for(user).get(url).status_code == 200
        assert client_for(user).get(file_url).status_code == 200
    for user in (cast.expert, cast.agency_rep, cast.outsider_staff):
        assert client_for(user).get(url).status_code in (403, 404)
        assert client_for(user).get(file_url).status_code in (403, 404)
    outsider_url = reverse("paperwork:issued_docx", args=[cast.outsider_union.slug, decision.pk])
    assert client_for(cast.outsider_staff).get(outsider_url).status_code == 404
    assert client_for(None).get(file_url).status_code == 302


def test_a_number_taken_before_documents_were_stored_gets_its_files_once(cast, converter):
    """Numbers taken in the old register keep their number; the worker renders them once, when it starts."""
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    IssuedDocument.objects.filter(pk=decision.pk).update(docx="", docx_sha256="")
    assert register.queue_unfinished() >= 1  # the immediate backend runs it at once
    decision.refresh_from_db()
    assert decision.docx and decision.is_pdf_ready
    assert sha(decision.docx.open("rb").read()) == decision.docx_sha256
    assert "01/QĐ-LHH" in text_of(decision.docx.open("rb").read())


@pytest.fixture
def reviewed_edition(cast, judges):
    ed = cf.open_edition(cast, code="TN20")
    entry = cf.accepted(cast, ed, "Máy tách hạt cà phê mini")
    ed.start_judging()
    ed.save()
    from lienhiep.contests import judging

    seats = [cf.seat(cast, entry, j, confirm=False) for j in judges[:2]]
    judging.confirm_judges(actor=cast.staff, round=ed.rounds.get(), today=datetime.date(2022, 6, 20))
    for seat in seats:
        cf.score(cf.fresh(seat), 28, 32, 33)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    return cf.fresh(ed)


def test_every_document_of_a_case_stays_the_same_bytes_to_its_close(cast, client_for, converter):
    """The decision, the minutes and the report, downloaded after each later step up to the case's close: always
    the bytes the register recorded."""
    Person.objects.create(union=cast.union, name="Nguyễn Văn Sơn", user=cast.leader, position="Chủ tịch")
    j = af.journey(cast, until=Status.REPORT_SIGNED)
    for row in IssuedDocument.objects.filter(union=cast.union):
        register.make_pdf.call(row.pk)
    staff = client_for(cast.staff)
    urls = [
        reverse(f"advisory:{name}", args=[cast.union.slug, j.case.pk])
        for name in ("decision_docx", "decision_pdf", "meeting_docx", "meeting_pdf", "report_docx", "report_pdf")
    ]
    first = [staff.get(url).content for url in urls]
    recorded = [
        getattr(register.current_document(source, kind), f"{extension}_sha256")
        for source, kind in (
            (j.case, Kind.COUNCIL_DECISION),
            (j.case.meeting, Kind.MEETING_MINUTES),
            (j.case, Kind.CASE_REPORT),
        )  # fmt: skip
        for extension in ("docx", "pdf")
    ]
    assert [sha(data) for data in first] == recorded
    case = j.refresh()
    day = af.DAY + datetime.timedelta(days=28)
    recs = list(case.recommendations.order_by("number"))
    later_steps = [
        lambda: services_work.send_report(case, actor=cast.staff, today=day),
        lambda: services_work.answer_recommendations(
            case, actor=cast.agency_rep, answers={r.pk: ("accepted", "") for r in recs}
        ),
        lambda: services_work.finish_answers(case, actor=cast.agency_rep, today=day + datetime.timedelta(days=10)),
        lambda: services_work.record_assessment(
            recs[0], actor=cast.staff, checked_on=day, percent=60, status="in_progress", evidence="300 ha.", today=day
        ),
        lambda: services.close_case(case, actor=cast.staff, today=day + datetime.timedelta(days=300)),
    ]
    for step in later_steps:
        step()
        assert [staff.get(url).content for url in urls] == first
    assert j.refresh().status == Status.CLOSED


def test_the_notice_and_the_award_decision_stay_the_same_after_later_steps(cast, client_for, reviewed_edition):
    work_session = of.session(cast)
    minutes = of.approved_minutes(cast, work_session)
    staff = client_for(cast.staff)
    notice_url = reverse("outreach:minutes_notice", args=[cast.union.slug, minutes.pk])
    notice = staff.get(notice_url).content
    of.action_item(cast, work_session=work_session, title="Việc giao sau khi ban hành thông báo")
    assert staff.get(notice_url).content == notice
    assert sha(notice) == register.current_document(minutes, Kind.CONCLUSION_NOTICE).docx_sha256

    awards.apply_proposal(actor=cast.staff, edition=reviewed_edition)
    edition = awards.approve_awards(
        actor=cast.leader, edition=reviewed_edition, number="", day=datetime.date(2022, 9, 1), signatory="Sơn"
    )
    decision_url = reverse("contests:decision_docx", args=[cast.union.slug, edition.pk])
    decision = staff.get(decision_url).content
    awards.publish_results(actor=cast.staff, edition=cf.fresh(edition))
    entry = edition.entries.first()
    entry.title = "Tên đổi sau khi công bố"
    entry.save()
    assert staff.get(decision_url).content == decision
    assert "Tên đổi sau khi công bố" not in text_of(decision)
