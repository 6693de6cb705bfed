"""Minutes lifecycle: draft → circulated → approved (locked); a change after approval only by a new version with
a reason, the old version kept and viewable; the conclusion notice DOCX read back."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document

from lienhiep.outreach import services
from lienhiep.outreach.models import Minutes, MinutesEntry, MinutesLocked

from . import factories as f

pytestmark = pytest.mark.django_db


def test_minutes_go_draft_circulated_approved_and_circulation_mails_the_participants(cast):
    cast.person.email = "an@example.test"
    cast.person.save()
    session = f.session(cast)
    minutes = services.start_minutes(actor=cast.staff, session=session)
    assert minutes.state == Minutes.State.DRAFT and minutes.entries.count() == 3
    with pytest.raises(Exception):  # noqa: B017 — approving a draft is not a move the lifecycle has
        services.approve_minutes(actor=cast.staff, minutes=minutes)
    with pytest.raises(Exception):  # noqa: B017
        services.circulate_minutes(actor=cast.expert, minutes=minutes)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.circulate_minutes(actor=cast.staff, minutes=minutes)
    assert [m.to for m in mail.outbox] == [["an@example.test"]]
    assert "Quyết định 48/2017/QĐ-UBND" in mail.outbox[0].body
    minutes = services.approve_minutes(actor=cast.leader, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED and minutes.approved_by == cast.leader


def test_approved_minutes_cannot_be_edited_by_service_model_or_page(cast, client_for):
    minutes = f.approved_minutes(cast)
    entry = minutes.entries.first()
    with pytest.raises(MinutesLocked):
        services.save_minutes(actor=cast.staff, minutes=minutes, conclusion="đổi", entries={})
    entry.conclusion = "sửa lén"
    with pytest.raises(MinutesLocked):
        entry.save()
    minutes.conclusion = "sửa lén"
    with pytest.raises(MinutesLocked):
        minutes.save()
    staff = client_for(cast.staff)
    url = reverse("outreach:minutes_edit", args=[cast.union.slug, minutes.session_id])
    response = staff.post(url, {"conclusion": "sửa qua trang"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.conclusion == "Huyện phối hợp triển khai tư vấn, phản biện năm 2022."
    assert MinutesEntry.objects.filter(conclusion="sửa lén").count() == 0
    with pytest.raises(MinutesLocked):  # nor can the agenda that approved minutes speak of change
        services.save_session(actor=cast.staff, union=cast.union, session=minutes.session, agenda=["Khác"])


def test_a_change_after_approval_is_a_new_version_with_a_reason_and_the_old_one_stays(cast, client_for):
    v1 = f.approved_minutes(cast)
    staff = client_for(cast.staff)
    revise = reverse("outreach:minutes_action", args=[cast.union.slug, v1.pk, "revise"])
    assert staff.post(revise, {"reason": ""}).status_code == 302
    assert Minutes.objects.filter(session=v1.session).count() == 1  # no reason, no new version
    response = staff.post(revise, {"reason": "Huyện đề nghị bổ sung ý kiến về Hội thi"})
    assert response.status_code == 302
    v2 = Minutes.objects.get(session=v1.session, version=2)
    assert v2.state == Minutes.State.DRAFT and v2.revision_reason == "Huyện đề nghị bổ sung ý kiến về Hội thi"
    item = v1.session.agenda_items.last()
    data = {"conclusion": "Kết luận mới", "notice_number": "16/TB-LHH", "signatory": cast.person.pk}
    for agenda_item in v1.session.agenda_items.all():
        data[f"discussion_{agenda_item.pk}"] = "Đã trình bày."
        data[f"conclusion_{agenda_item.pk}"] = "Bổ sung" if agenda_item == item else f"Kết luận {agenda_item.order}"
    assert staff.post(reverse("outreach:minutes_edit", args=[cast.union.slug, v1.session_id]), data).status_code == 302
    v1.refresh_from_db()
    assert v1.state == Minutes.State.APPROVED and v1.entries.get(agenda_item=item).conclusion == "Kết luận 3"
    assert v2.entries.get(agenda_item=item).conclusion == "Bổ sung"
    # the old version is still there to read
    page = staff.get(reverse("outreach:minutes_version", args=[cast.union.slug, v1.pk]))
    assert page.status_code == 200 and "Kết luận 3" in page.content.decode()
    detail = staff.get(reverse("outreach:session_detail", args=[cast.union.slug, v1.session_id])).content.decode()
    assert "Phiên bản 1" in detail and "Phiên bản 2" in detail
    # only the latest approved version can be revised
    with pytest.raises(Exception):  # noqa: B017
        services.revise_minutes(actor=cast.staff, minutes=v1, reason="lần nữa")


def test_conclusion_notice_docx_reads_back_with_letterhead_agenda_conclusions_and_actions(cast, client_for):
    session = f.session(cast)
    f.action_item(cast, work_session=session, title="Gửi danh mục dự án năm 2022")
    minutes = f.approved_minutes(cast, session)
    response = client_for(cast.staff).get(reverse("outreach:minutes_notice", args=[cast.union.slug, minutes.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    (left, right), (number, date) = (row.cells for row in document.tables[0].rows)
    assert "LIÊN HIỆP CÁC HỘI KH&KT" in left.text and number.text.startswith("Số: ")
    assert number.text.endswith("/TB-LHH")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text and date.text.startswith("Kon Tum, ngày")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "THÔNG BÁO" in text and "Kết luận tại buổi làm việc với UBND huyện Đăk Tô" in text
    assert "2. Quyết định 48/2017/QĐ-UBND" in text and "Kết luận 2" in text
    assert "Đã trình bày." not in text  # the discussion stays in the minutes: only conclusions are notified
    assert "UBND huyện Đăk Tô: Gửi danh mục dự án năm 2022 (thời hạn: 15/12/2021)." in text
    recipients, signature = document.tables[1].rows[0].cells
    assert "Nơi nhận:" in recipients.text and "UBND huyện Đăk Tô" in recipients.text
    assert "Nguyễn Văn An" in signature.text
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210


def test_no_notice_before_approval(cast, client_for):
    session = f.session(cast)
    minutes = services.start_minutes(actor=cast.staff, session=session)
    url = reverse("outreach:minutes_notice", args=[cast.union.slug, minutes.pk])
    assert client_for(cast.staff).get(url).status_code == 404


def test_staff_write_minutes_through_the_pages(cast, client_for):
    session = f.session(cast)
    staff = client_for(cast.staff)
    edit = reverse("outreach:minutes_edit", args=[cast.union.slug, session.pk])
    form = staff.get(edit)
    assert form.status_code == 200 and "Quyết định 48/2017/QĐ-UBND" in form.content.decode()
    minutes = Minutes.objects.get(session=session)
    data = {f"conclusion_{i.pk}": f"KL {i.order}" for i in session.agenda_items.all()}
    assert staff.post(edit, {**data, "conclusion": "Chung"}).status_code == 302
    for action in ("circulate", "approve"):
        staff.post(reverse("outreach:minutes_action", args=[cast.union.slug, minutes.pk, action]))
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED and minutes.conclusion == "Chung"
    assert minutes.entries.filter(conclusion="KL 1").exists()


def test_the_session_page_offers_the_minutes_steps_its_viewer_may_take(cast, client_for):
    session = f.session(cast)
    minutes = services.start_minutes(session, actor=cast.staff)
    page = reverse("outreach:session_detail", args=[cast.union.slug, session.pk])

    def offered(user) -> set[str]:
        response = client_for(user).get(page)
        assert response.status_code == 200, user
        html = response.content.decode()
        return set(re.findall(r'action="/[^"]*/minutes/\d+/(\w+)/"', html)) - {"revise"}

    assert offered(cast.staff) == {"circulate"}
    services.circulate_minutes(minutes, actor=cast.staff)
    assert offered(cast.staff) == {"approve", "withdraw"}
    assert offered(cast.leader) == {"approve", "withdraw"}
    assert offered(cast.agency_rep) == set()
    # a step the page does not offer is refused, and nothing changes
    url = reverse("outreach:minutes_action", args=[cast.union.slug, minutes.pk, "approve"])
    assert client_for(cast.agency_rep).post(url).status_code == 403
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.CIRCULATED
