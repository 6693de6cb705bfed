"""Action items, overdue lists per owner and per locality, local projects, contest outreach, the dashboard, the
demo; and list pages whose query count does not grow with their rows."""

import datetime

import pytest
from django.urls import reverse

from lienhiep.outreach import services
from lienhiep.outreach.models import ActionItem, ContestPromotion, LocalProject

from . import factories as f

pytestmark = pytest.mark.django_db


def url(cast, name, *args):
    return reverse(f"outreach:{name}", args=[cast.union.slug, *args])


def test_action_item_needs_exactly_one_owner_and_a_reason_to_drop(cast, client_for):
    staff = client_for(cast.staff)
    both = staff.post(
        url(cast, "action_create"),
        {"title": "Việc", "owner_agency": cast.agency.pk, "owner_person": cast.person.pk, "due_on": "2021-12-01"},
    )
    assert both.status_code == 200 and "một" in both.content.decode().lower()
    none = staff.post(url(cast, "action_create"), {"title": "Việc", "due_on": "2021-12-01"})
    assert none.status_code == 200
    session = f.session(cast)
    ok = staff.post(
        url(cast, "action_create"),
        {"title": "Việc", "owner_person": cast.person.pk, "due_on": "2021-12-01", "session": session.pk},
    )
    assert ok.status_code == 302
    item = ActionItem.objects.get()
    assert item.locality == cast.district  # from the session
    with pytest.raises(Exception):  # noqa: B017
        services.change_action_status(actor=cast.staff, item=item, status="dropped", reason="")
    services.change_action_status(actor=cast.staff, item=item, status="dropped", reason="Không còn phù hợp")
    item.refresh_from_db()
    assert item.status == "dropped" and item.drop_reason == "Không còn phù hợp"
    services.change_action_status(actor=cast.staff, item=item, status="open")
    item.refresh_from_db()
    assert item.status == "open" and item.drop_reason == ""


def test_overdue_lists_by_owner_and_by_locality(cast, client_for):
    late = f.action_item(cast, due_on=datetime.date(2021, 12, 15), title="Việc trễ của huyện")
    f.action_item(cast, owner_person=cast.person, due_on=datetime.date(2022, 1, 5), title="Việc trễ của An")
    future = f.action_item(cast, due_on=datetime.date.today() + datetime.timedelta(days=10), title="Việc chưa đến hạn")
    done = f.action_item(cast, due_on=datetime.date(2021, 12, 1), title="Việc đã xong")
    services.change_action_status(actor=cast.staff, item=done, status="done")
    page = client_for(cast.staff).get(url(cast, "action_overdue")).content.decode()
    assert "Việc trễ của huyện" in page and "Việc trễ của An" in page
    assert "Việc chưa đến hạn" not in page and "Việc đã xong" not in page
    assert "UBND huyện Đăk Tô" in page and "Nguyễn Văn An" in page and "Huyện Đăk Tô, tỉnh Kon Tum" in page
    filtered = client_for(cast.staff).get(url(cast, "action_list") + f"?status=overdue&locality={cast.district.pk}")
    assert "Việc trễ của huyện" in filtered.content.decode() and future.title not in filtered.content.decode()
    assert late.is_overdue()


def test_dashboard_shows_overdue_items_to_staff_and_own_items_to_representatives(cast, client_for):
    f.action_item(cast, due_on=datetime.date(2021, 12, 15), title="Việc trễ của huyện")
    f.visit(cast, planned_on=datetime.date.today() + datetime.timedelta(days=3))
    dashboard = reverse("core:dashboard", args=[cast.union.slug])
    staff_page = client_for(cast.staff).get(dashboard).content.decode()
    assert "Việc trễ của huyện" in staff_page and "huyện Đăk Tô" in staff_page
    rep_page = client_for(cast.agency_rep).get(dashboard).content.decode()
    assert "Việc trễ của huyện" in rep_page
    expert_page = client_for(cast.expert).get(dashboard).content.decode()
    assert "Việc trễ của huyện" not in expert_page


def test_local_projects_and_contest_promotions_per_locality(cast, client_for):
    session = f.session(cast)
    staff = client_for(cast.staff)
    response = staff.post(
        url(cast, "project_create"),
        {
            "name": "Đề án phát triển dược liệu",
            "owner_agency": cast.agency.pk,
            "stage": "preparing",
            "learned_at": session.pk,
            "admin_unit": cast.district.pk,
        },
    )
    assert response.status_code == 302
    project = LocalProject.objects.get()
    assert project.advisory_prefill()["requesting_agency"] == cast.agency
    assert "Đề án phát triển dược liệu" in staff.get(url(cast, "project_list") + "?q=duoc lieu").content.decode()
    response = staff.post(
        url(cast, "promotion_create", session.pk), {"contest_name": "Hội thi Sáng tạo kỹ thuật", "edition": "2022"}
    )
    assert response.status_code == 302 and ContestPromotion.objects.get().session == session
    f.action_item(cast, work_session=session, due_on=datetime.date(2021, 12, 1))
    page = staff.get(url(cast, "localities")).content.decode()
    assert "Huyện Đăk Tô, tỉnh Kon Tum" in page and "Hội thi Sáng tạo kỹ thuật 2022" in page


def _grow(cast, n: int, start: int) -> None:
    agency = f.other_agency(cast)
    for i in range(start, start + n):
        session = f.session(cast, title=f"Buổi làm việc {i}", agencies=[cast.agency, agency])
        f.action_item(cast, work_session=session, title=f"Việc {i}", due_on=datetime.date(2021, 12, 1))
        f.action_item(cast, work_session=session, owner_person=cast.person, title=f"Việc riêng {i}")
        f.local_project(cast, name=f"Dự án {i}", learned_at=session)
        services.record_promotion(
            actor=cast.staff,
            union=cast.union,
            promotion=ContestPromotion(union=cast.union, session=session, contest_name=f"Hội thi {i}"),
        )
        visit = f.visit(cast, f.plan(cast, title=f"Kế hoạch {i}"))
        visit.delegation.add(cast.person)


@pytest.mark.parametrize(
    "name,user",
    [
        ("plan_list", "staff"),
        ("session_list", "staff"),
        ("session_list", "agency_rep"),
        ("action_list", "staff"),
        ("action_list", "agency_rep"),
        ("action_overdue", "staff"),
        ("project_list", "staff"),
        ("localities", "staff"),
        ("calendar", "staff"),
        ("calendar_ics", "staff"),
    ],
)
def test_list_pages_take_the_same_number_of_queries_for_2_and_20_rows(
    cast, client_for, name, user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(getattr(cast, user))
    address = url(cast, name) + ("?month=2021-11" if name == "calendar" else "")
    _grow(cast, 2, 0)
    client.get(address)
    with CaptureQueriesContext(connection) as small:
        assert client.get(address).status_code == 200
    _grow(cast, 18, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(address)
    assert response.status_code == 200
    assert "Buổi làm việc 19" in response.content.decode() or name not in ("session_list",) or user != "staff"


def test_demo_loads_the_two_seed_sessions_and_the_november_plan(demo):
    from lienhiep.outreach.models import Minutes, PlannedVisit, WorkSession

    sessions = WorkSession.objects.filter(union__slug="kontum", held_on__year=2021).order_by("held_on")
    assert [(s.held_on.day, s.admin_unit.short_name) for s in sessions] == [(9, "Tu Mơ Rông"), (11, "Đăk Tô")]
    assert sessions[0].agenda_items.count() == 7
    assert "48/2017/QĐ-UBND" in sessions[0].agenda_items.all()[3].title
    assert PlannedVisit.objects.filter(plan__union__slug="kontum").count() == 7
    assert Minutes.objects.filter(session__in=sessions, state="approved").count() == 1
    assert (
        ActionItem.objects.filter(
            union__slug="kontum", status__in=ActionItem.ACTIVE, due_on__lt=datetime.date.today()
        ).count()
        >= 2
    )


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_photos_with_caption_and_credit_are_seen_by_participants_only(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ours = f.session(cast)
    theirs = f.session(cast, title="Tu Mơ Rông", agencies=[f.other_agency(cast)])
    staff = client_for(cast.staff)
    for session in (ours, theirs):
        upload = SimpleUploadedFile("quang-canh.png", PNG_BYTES, content_type="image/png")
        response = staff.post(
            url(cast, "session_photo", session.pk),
            {"file": upload, "caption": "Quang cảnh làm việc tại huyện Đăk Tô", "credit": "QM"},
        )
        assert response.status_code == 302
    fake = SimpleUploadedFile("anh.png", b"<script>alert(1)</script>", content_type="image/png")
    staff.post(url(cast, "session_photo", ours.pk), {"file": fake, "caption": "giả"})
    assert ours.photos.count() == 1
    page = staff.get(url(cast, "session_detail", ours.pk)).content.decode()
    assert "Quang cảnh làm việc tại huyện Đăk Tô" in page and "QM" in page
    rep = client_for(cast.agency_rep)
    own_photo, other_photo = ours.photos.get().attachment_id, theirs.photos.get().attachment_id
    assert rep.get(reverse("core:attachment_download", args=[cast.union.slug, own_photo])).status_code == 200
    assert rep.get(reverse("core:attachment_download", args=[cast.union.slug, other_photo])).status_code == 404
    assert (
        client_for(cast.expert).get(reverse("core:attachment_download", args=[cast.union.slug, own_photo])).status_code
        == 404
    )


def test_staff_attach_evidence_files_that_the_owning_agency_can_open(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = f.action_item(cast)
    pdf = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = client_for(cast.staff).post(
        url(cast, "action_evidence_file", item.pk), {"file": pdf, "description": "Công văn"}
    )
    assert response.status_code == 302 and item.attachments.count() == 1
    attachment = item.attachments.get()
    download = reverse("core:attachment_download", args=[cast.union.slug, attachment.pk])
    response = client_for(cast.agency_rep).get(download)
    assert response.status_code == 200
    assert response.getvalue() == b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert (
        client_for(cast.agency_rep).post(url(cast, "action_evidence_file", item.pk), {"file": pdf}).status_code == 403
    )
