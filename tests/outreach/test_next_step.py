"""The «Bước tiếp theo» panel of a working session and of an action item: for each stage of the session (planned,
held without minutes, minutes drafted, circulated, approved, action items open or late, all closed) and each
viewer (staff, leader, administrator, the participating agency's representative) it says what comes next, offers
the minutes' steps the viewer may take, and links only pages the viewer may open; each confirmation names what was
done and what comes next."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lienhiep.outreach import services
from lienhiep.outreach.models import ActionItem, Minutes
from lienhiep.outreach.next_step import item_panel, session_panel

from . import factories as f

pytestmark = pytest.mark.django_db

MANAGERS = ("staff", "leader", "union_admin")


def _panel(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    match = re.search(
        r'<section class="card card-body mb-4 next-step outreach-next".*?</section>', response.content.decode(), re.S
    )
    assert match, "the page has a next-step panel"
    assert "{#" not in match.group(0) and "{%" not in match.group(0), "no template syntax shown as text"
    return match.group(0)


def _text(panel: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel))


def _links(panel: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="([^"]+)"', panel)]


def _steps(panel: str) -> set[str]:
    return set(re.findall(r'action="/[^"]*/minutes/\d+/(\w+)/"', panel))


def _item_steps(panel: str) -> set[str]:
    return set(re.findall(r'action="/[^"]*/actions/\d+/steps/(\w+)/"', panel))


def _opens_every_link(client, panel: str) -> None:
    """No link of the panel leads the viewer to a page refused to them (a PDF still being made answers 202). Each
    is opened and then forgotten: opening «Ghi biên bản» starts the minutes."""
    for url in _links(panel):
        if url.startswith("#"):
            continue
        with transaction.atomic():
            assert client.get(url).status_code in (200, 202), url
            transaction.set_rollback(True)


def _session_url(cast, session) -> str:
    return reverse("outreach:session_detail", args=[cast.union.slug, session.pk])


def _users(cast) -> dict:
    return {name: user for name, user in cast.users_by_role().items() if name in (*MANAGERS, "agency_rep")}


def test_each_stage_of_a_session_says_what_comes_next_to_each_viewer(cast, client_for):
    today = timezone.localdate()
    planned = f.session(cast, title="Làm việc với xã Đăk Mar", held_on=today + datetime.timedelta(days=10))
    held = f.session(cast)
    stages = {"planned": planned, "held": held}
    expected = {
        # stage: (what staff read, the steps offered them, what the representative reads)
        "planned": ("Buổi làm việc dự kiến ngày", set(), "Buổi làm việc dự kiến ngày"),
        "held": ("ghi biên bản, gồm nội dung trao đổi và kết luận", set(), "Liên hiệp hội đang ghi biên bản"),
        "draft": ("Biên bản đang là dự thảo", {"circulate"}, "Liên hiệp hội đang ghi biên bản"),
        "circulated": (
            "Sau khi tiếp thu ý kiến, thông qua biên bản",
            {"approve", "withdraw"},
            "đã được gửi lấy ý kiến",
        ),
        "approved": ("Giao các việc cần thực hiện theo kết luận", set(), "cơ quan không còn việc nào đang theo dõi"),
        "following": ("Theo dõi các việc đã giao đến khi hoàn thành", set(), "Cập nhật tiến độ, kết quả thực hiện"),
        "closed": ("các việc đã giao đều đã kết thúc", set(), "cơ quan không còn việc nào đang theo dõi"),
    }

    def check(stage: str, session) -> None:
        staff_reads, staff_steps, rep_reads = expected[stage]
        for name, user in _users(cast).items():
            client = client_for(user)
            panel = _panel(client, _session_url(cast, session))
            if name == "agency_rep":
                assert rep_reads in _text(panel), (stage, name)
                assert _steps(panel) == set(), (stage, name)
            else:
                assert staff_reads in _text(panel), (stage, name)
                assert _steps(panel) == staff_steps, (stage, name)
            _opens_every_link(client, panel)

    for stage, session in stages.items():
        check(stage, session)
    minutes = services.start_minutes(actor=cast.staff, session=held)
    check("draft", held)
    services.circulate_minutes(actor=cast.staff, minutes=minutes)
    check("circulated", held)
    services.approve_minutes(actor=cast.leader, minutes=minutes)
    check("approved", held)
    item = f.action_item(cast, work_session=held)  # owned by the representative's agency, long overdue
    check("following", held)
    services.change_action_status(actor=cast.agency_rep, item=item, status=ActionItem.Status.DONE, evidence="Đã gửi.")
    check("closed", held)


def test_the_approval_step_says_who_signs_the_notice_and_back_to_draft_is_folded_away(cast, client_for):
    session = f.session(cast)
    minutes = services.start_minutes(actor=cast.staff, session=session)
    services.save_minutes(
        actor=cast.staff, minutes=minutes, conclusion="Thống nhất.", entries={}, signatory=cast.person
    )
    services.circulate_minutes(actor=cast.staff, minutes=minutes)
    panel = _panel(client_for(cast.staff), _session_url(cast, session))
    approve = re.search(r'<form[^>]*minutes/\d+/approve/".*?</form>', panel, re.S).group(0)
    assert f"do {cast.person} ký" in approve and "data-confirm" in approve
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>Đưa về dự thảo</summary>", panel)


def test_open_action_items_are_listed_with_their_due_dates_late_ones_in_red_and_linked_only_for_those_who_may_open(
    cast, client_for
):
    session = f.session(cast)
    f.approved_minutes(cast, session)
    soon = timezone.localdate() + datetime.timedelta(days=20)
    theirs = f.action_item(cast, work_session=session, title="Việc của huyện", due_on=datetime.date(2021, 12, 15))
    other = f.action_item(
        cast, work_session=session, title="Việc của huyện khác", owner_agency=f.other_agency(cast), due_on=soon
    )
    staff_panel = _panel(client_for(cast.staff), _session_url(cast, session))
    assert "2 việc đang theo dõi, 1 việc quá hạn" in _text(staff_panel)
    assert re.search(r'text-danger[^"]*">quá hạn từ 15/12/2021', staff_panel)
    assert f"hạn {soon:%d/%m/%Y}" in _text(staff_panel)
    for item in (theirs, other):
        assert reverse("outreach:action_detail", args=[cast.union.slug, item.pk]) in _links(staff_panel)
    assert "Giao thêm việc" in staff_panel

    rep_panel = _panel(client_for(cast.agency_rep), _session_url(cast, session))
    assert "Việc của huyện" in rep_panel and "Việc của huyện khác" not in rep_panel
    assert "Giao thêm việc" not in rep_panel and "Sửa thông tin" not in rep_panel
    _opens_every_link(client_for(cast.agency_rep), rep_panel)


def test_the_action_item_page_says_when_it_is_due_red_when_late_and_who_records_what(cast, client_for):
    session = f.session(cast)
    item = f.action_item(cast, work_session=session)  # due 15/12/2021: long overdue
    url = reverse("outreach:action_detail", args=[cast.union.slug, item.pk])
    for user in (cast.staff, cast.leader, cast.agency_rep):
        client = client_for(user)
        panel = _panel(client, url)
        assert re.search(r'<p class="small text-danger[^"]*">Quá hạn từ 15/12/2021', panel), user
        assert _item_steps(panel) == {"start", "complete", "drop"}, user
        assert re.search(r"<details[^>]*>\s*<summary[^>]*>Không thực hiện việc này</summary>", panel)  # folded
        assert 'id="evidence-form"' in client.get(url).content.decode()
        _opens_every_link(client, panel)
    assert "Đôn đốc" in _text(_panel(client_for(cast.staff), url))
    assert "Đôn đốc" not in _text(_panel(client_for(cast.agency_rep), url))

    services.change_action_status(actor=cast.staff, item=item, status=ActionItem.Status.DROPPED, reason="Trùng việc")
    panel = _panel(client_for(cast.staff), url)
    assert "Không thực hiện: Trùng việc." in _text(panel) and _item_steps(panel) == {"reopen"}


def test_each_confirmation_names_what_was_done_and_what_comes_next(cast, client_for):
    client = client_for(cast.staff)
    session = f.session(cast)
    minutes = services.start_minutes(actor=cast.staff, session=session)

    def step(action: str) -> str:
        url = reverse("outreach:minutes_action", args=[cast.union.slug, minutes.pk, action])
        return client.post(url, follow=True).content.decode()

    page = step("circulate")
    assert f"Đã xong «Gửi đại biểu lấy ý kiến» — {session.title}. Bước tiếp theo: Thông qua và khóa." in page
    page = step("approve")
    assert f"Đã xong «Thông qua và khóa» — {session.title}. Bước tiếp theo: Giao việc theo kết luận." in page
    assert Minutes.objects.get(pk=minutes.pk).is_locked

    create = reverse("outreach:action_create", args=[cast.union.slug])
    page = client.post(
        create,
        {"session": session.pk, "title": "Gửi danh mục dự án", "owner_agency": cast.agency.pk, "due_on": "15/12/2021"},
        follow=True,
    ).content.decode()
    assert (
        "Đã xong «Giao việc» — Gửi danh mục dự án. Bước tiếp theo: Theo dõi kết quả thực hiện (quá hạn từ 15/12/2021)."
        in page
    )
    item = ActionItem.objects.get(title="Gửi danh mục dự án")

    rep = client_for(cast.agency_rep)
    complete = reverse("outreach:action_step", args=[cast.union.slug, item.pk, "complete"])
    page = rep.post(complete, {"evidence": "Công văn số 12."}, follow=True).content.decode()
    assert "Đã xong «Ghi nhận đã thực hiện» — Gửi danh mục dự án." in page
    assert "Buổi làm việc không còn việc nào đang theo dõi." in page


def test_the_panel_takes_its_due_date_from_the_earliest_open_item_and_is_read_without_a_query_per_item(cast):
    session = f.session(cast)
    f.approved_minutes(cast, session)
    for day in (20, 5, 12):
        f.action_item(cast, work_session=session, due_on=datetime.date(2030, 1, day), title=f"Việc {day}")
    items = list(session.action_items.select_related("owner_person", "owner_agency"))
    minutes = session.minutes_versions.select_related("signatory").first()
    panel = session_panel(
        session, cast.staff, cast.union, minutes=minutes, items=items, today=datetime.date(2030, 1, 8)
    )
    assert panel.due_on == datetime.date(2030, 1, 5) and panel.late
    assert [i.title for i in panel.items] == ["Việc 5", "Việc 12", "Việc 20"]
    assert [i.late for i in panel.items] == [True, False, False]
    assert item_panel(items[0], cast.staff, cast.union, today=datetime.date(2030, 1, 8)).following


def test_the_panel_template_holds_no_state_and_no_role():
    root = Path(__file__).resolve().parents[2] / "lienhiep"
    text = (root / "templates/includes/next_step.html").read_text()
    assert not re.search(r"status|state|\"(draft|circulated|approved|open|done)\"|manager|leader|staff", text)
