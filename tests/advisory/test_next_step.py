"""The «Bước tiếp theo» panel is built from the case's transitions: each viewer sees the steps their permission
allows, a step not yet possible says what it waits for, and a step the panel does not offer is refused."""

import re

import pytest
from django.urls import reverse

from lienhiep.advisory.models import Case, Status
from tests.advisory import factories as f

pytestmark = pytest.mark.django_db


def _panel(client, case: Case) -> str:
    page = client.get(reverse("advisory:case_detail", args=[case.union.slug, case.pk])).content.decode()
    match = re.search(r'<section class="card card-body mb-4 next-step advisory-next".*?</section>', page, re.S)
    assert match, "the case page has a next-step panel"
    assert "{#" not in match.group(0) and "{%" not in match.group(0), "no template syntax shown as text"
    return match.group(0)


def _step_urls(panel: str) -> set[str]:
    return set(re.findall(r'action="/[^"]*/cases/\d+/step/(\w+)/"', panel))


def test_each_viewer_is_offered_the_steps_their_permission_allows(cast, client_for):
    j = f.journey(cast, until=Status.RECEIVED)
    assert _step_urls(_panel(client_for(cast.staff), j.case)) == {"accept", "decline", "withdraw"}
    assert _step_urls(_panel(client_for(cast.agency_rep), j.case)) == {"withdraw"}
    leader_panel = _panel(client_for(cast.leader), j.case)
    assert _step_urls(leader_panel) == set() and "Liên hiệp hội đang xem xét hồ sơ." in leader_panel

    j = f.journey(cast, until=Status.COUNCIL_PENDING)
    assert _step_urls(_panel(client_for(cast.leader), j.case)) == {"approve_council", "return_council"}
    staff_panel = _panel(client_for(cast.staff), j.case)
    assert _step_urls(staff_panel) == {"withdraw"}
    assert "Hội đồng đang chờ lãnh đạo phê duyệt." in staff_panel


def test_a_step_not_yet_possible_says_what_it_waits_for(cast, client_for):
    case = f.new_case(cast, files=False)
    panel = _panel(client_for(cast.staff), case)
    accept = re.search(r'<form[^>]*step/accept/".*?</form>', panel, re.S).group(0)
    assert "disabled" in accept and "Chưa thể thực hiện:" in accept and "dự thảo" in accept

    j = f.journey(cast, until=Status.REVIEWING)
    total = j.case.reviews.count()
    panel = _panel(client_for(cast.staff), j.case)
    consolidate = re.search(r'<form[^>]*step/start_consolidation/".*?</form>', panel, re.S).group(0)
    assert "disabled" in consolidate and f"0/{total} thành viên đã nộp ý kiến." in consolidate
    # the service says the same when the step is posted anyway, and the case stays where it was
    url = reverse("advisory:case_step", args=[cast.union.slug, j.case.pk, "start_consolidation"])
    page = client_for(cast.staff).post(url, follow=True).content.decode()
    assert f"0/{total} thành viên đã nộp ý kiến." in page and j.refresh().status == Status.REVIEWING


def test_a_step_the_panel_does_not_offer_is_refused(cast, client_for):
    j = f.journey(cast, until=Status.REPORT_PENDING)
    for user in (cast.staff, cast.agency_rep, j.reviewer_users[0]):
        assert "sign_report" not in _step_urls(_panel(client_for(user), j.case))
        url = reverse("advisory:case_step", args=[cast.union.slug, j.case.pk, "sign_report"])
        assert client_for(user).post(url).status_code == 403
    assert j.refresh().status == Status.REPORT_PENDING
    assert "sign_report" in _step_urls(_panel(client_for(cast.leader), j.case))


def test_the_panel_template_holds_no_status_and_no_role():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lienhiep"
    for path in ("templates/includes/next_step.html", "templates/includes/step_form.html"):
        text = (root / path).read_text()
        assert not re.search(r"status|\"(received|accepted|reviewing|sent)\"|manager|leader|staff", text), path


def test_an_early_consolidation_names_the_reviews_still_missing_and_asks_to_confirm(cast, client_for):
    import datetime

    from lienhiep.advisory import services_work
    from lienhiep.advisory.models import Review

    j = f.journey(cast, until=Status.REVIEWING)
    first = Review.objects.get(case=j.case, seat__expert__person__user=j.reviewer_users[0])
    services_work.save_review(first, actor=j.reviewer_users[0], sections={"conclusions": "Đồng ý."}, submit=True)
    reviews = list(j.case.reviews.select_related("seat__expert__person"))
    missing = [str(r.seat.expert) for r in reviews if r.pk != first.pk]
    consolidate = re.search(
        r'<form[^>]*step/start_consolidation/".*?</form>', _panel(client_for(cast.staff), j.case), re.S
    ).group(0)
    assert "disabled" not in consolidate
    notice = f"Đã có 1/{len(reviews)} ý kiến; còn thiếu: {', '.join(missing)}."
    due = (f.DAY + datetime.timedelta(days=20)).strftime("%d/%m/%Y")
    assert notice in consolidate and f"Hạn nộp ý kiến là {due}." in consolidate
    assert 'data-confirm="' in consolidate and "Vẫn bắt đầu tổng hợp?" in consolidate


def test_a_step_says_what_was_done_and_what_comes_next_with_its_due_date(cast, client_for):
    j = f.journey(cast, until=Status.RECEIVED)
    url = reverse("advisory:case_step", args=[cast.union.slug, j.case.pk, "accept"])
    page = client_for(cast.staff).post(url, follow=True).content.decode()
    case = j.refresh()
    assert case.status == Status.ACCEPTED and case.stage_due_on
    due = case.stage_due_on.strftime("%d/%m/%Y")
    assert f"Đã xong «Chấp thuận đề nghị» — {case.code}. Bước tiếp theo: Thành lập hội đồng (hạn {due})." in page
    assert "Đã thực hiện." not in page
