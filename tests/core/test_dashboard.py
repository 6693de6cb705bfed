"""The dashboard puts what waits for its viewer first, in red once late with its due date (dd/mm/yyyy), and its
figures are never stale: each is read afresh, with every other figure of the page, in one query (core.onequery).

Seen from outside, as each role sees it: an HTTP GET of the dashboard."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lienhiep.advisory import services_work
from lienhiep.advisory.models import Status
from lienhiep.contests.models import Round
from lienhiep.core import services as core_services
from lienhiep.core.models import Agency
from lienhiep.outreach import services as outreach_services
from lienhiep.outreach.models import ActionItem
from tests.advisory import factories as advisory_f
from tests.contests import factories as contests_f
from tests.outreach import factories as outreach_f

pytestmark = pytest.mark.django_db


def dashboard(client_for, user, cast) -> str:
    response = client_for(user).get(reverse("core:dashboard", args=[cast.union.slug]))
    assert response.status_code == 200
    return response.content.decode()


def todo_items(html: str) -> list[str]:
    """The to-dos of the page (templates/core/includes/todo.html), each as its HTML."""
    return re.findall(r'<li class="mb-2 todo[^"]*">.*?</li>', html, flags=re.S)


def registry_count(html: str, label: str) -> int:
    return int(re.search(rf'<span class="stat-number">(\d+)</span>{label}', html).group(1))


def test_staff_see_their_work_first_and_the_registry_below_it(cast, client_for):
    html = dashboard(client_for, cast.staff, cast)
    registry = html.index('id="registry-heading"')
    for work in ("advisory-heading", "outreach-heading", "portal-heading", "contests-heading", "experts-heading"):
        assert html.index(f'id="{work}"') < registry, work
    assert html.index('id="glance-heading"') > registry


def test_a_figure_changes_as_soon_as_an_action_changes_it(cast, client_for):
    """No figure is kept: an action shows on the next page, both ways."""
    html = dashboard(client_for, cast.staff, cast)
    agencies = registry_count(html, "Cơ quan, đơn vị")
    assert "0 việc quá hạn" in html
    core_services.save_registry_record(
        cast.union,
        actor=cast.staff,
        record=Agency(union=cast.union, name="UBND xã Ngọk Tụ", kind=Agency.Kind.PEOPLES_COMMITTEE),
    )
    item = outreach_f.action_item(cast, due_on=datetime.date(2022, 2, 10), title="Gửi danh mục dự án")
    html = dashboard(client_for, cast.staff, cast)
    assert registry_count(html, "Cơ quan, đơn vị") == agencies + 1
    item_page = reverse("outreach:action_detail", args=[cast.union.slug, item.pk])
    assert "1 việc quá hạn" in html and item_page in html and "10/02/2022" in html
    outreach_services.change_action_status(item, actor=cast.staff, status=ActionItem.Status.DONE, evidence="Đã gửi.")
    html = dashboard(client_for, cast.staff, cast)
    assert "0 việc quá hạn" in html and item_page not in html


def test_the_agency_is_asked_for_its_answers_with_a_button_red_once_late(cast, client_for):
    j = advisory_f.journey(cast, until=Status.REPORT_SIGNED)
    services_work.send_report(j.case, actor=cast.staff, today=timezone.localdate())  # answers due in the future
    j.case.refresh_from_db()
    answers = reverse("advisory:answers", args=[cast.union.slug, j.case.pk])
    due = j.case.stage_due_on.strftime("%d/%m/%Y")

    (todo,) = todo_items(dashboard(client_for, cast.agency_rep, cast))
    assert j.case.code in todo and f"Cần trả lời kiến nghị (hạn {due})" in todo
    assert f'class="btn btn-sm btn-primary ms-2" href="{answers}"' in todo and "Trả lời các kiến nghị" in todo
    assert "text-danger" not in todo and "Quá hạn" not in todo
    assert client_for(cast.agency_rep).get(answers).status_code == 200  # the button opens

    late = advisory_f.journey(cast, until=Status.SENT)  # sent on 29/3/2022: the answers were due long ago
    late.case.refresh_from_db()
    todos = todo_items(dashboard(client_for, cast.agency_rep, cast))
    assert len(todos) == 2 and late.case.code in todos[0]  # the most urgent first
    assert "text-danger" in todos[0] and "Quá hạn" in todos[0] and "btn-danger" in todos[0]
    assert f"(hạn {late.case.stage_due_on:%d/%m/%Y})" in todos[0]

    # answered: nothing waits any more; the request is listed with its status
    recs = list(j.case.recommendations.all())
    services_work.answer_recommendations(j.case, actor=cast.agency_rep, answers={r.pk: ("accepted", "") for r in recs})
    services_work.finish_answers(j.case, actor=cast.agency_rep)
    html = dashboard(client_for, cast.agency_rep, cast)
    assert len(todo_items(html)) == 1 and f"{j.case.code} {j.case.title}</a> — Đã tiếp thu, giải trình" in html


def test_a_council_member_sees_each_council_once_and_a_late_review_in_red(cast, client_for):
    j = advisory_f.journey(cast, until=Status.REVIEWING)  # reviews due 21/3/2022
    reviewer = j.reviewer_users[0]
    html = dashboard(client_for, reviewer, cast)
    assert html.count(j.case.code) == 1  # the seat only: not again as the engagement it recorded
    (todo,) = todo_items(html)
    assert "Cần nộp ý kiến (hạn 21/03/2022)" in todo and "text-danger" in todo and "Quá hạn" in todo
    assert reverse("advisory:review_edit", args=[cast.union.slug, j.case.pk]) in todo and "Viết ý kiến" in todo

    # the secretary (the cast's expert) writes no review: the council is listed, nothing waits for them
    html = dashboard(client_for, cast.expert, cast)
    assert html.count(j.case.code) == 1 and todo_items(html) == [] and "Thư ký" in html


def test_a_judge_sees_a_late_score_sheet_in_red_with_its_due_date(cast, client_for):
    ed = contests_f.open_edition(cast)
    entry = contests_f.accepted(cast, ed, "Máy sấy cà phê năng lượng mặt trời")
    ed.start_judging()
    ed.save()
    judge = contests_f.judge(cast.union, "Y Blong", user=cast.expert)
    sheet = contests_f.seat(cast, entry, judge)
    Round.objects.filter(pk=sheet.round_id).update(due_on=datetime.date(2022, 7, 15))  # the edition's setting

    html = dashboard(client_for, cast.expert, cast)
    (todo,) = todo_items(html)
    assert entry.title in todo and "Cần nộp phiếu chấm vòng Chung khảo (hạn 15/07/2022)" in todo
    assert "text-danger" in todo and reverse("contests:sheet", args=[cast.union.slug, sheet.pk]) in todo
    assert html.count(entry.title) == 1

    contests_f.score(sheet, 25, 30, 30)  # submitted: nothing waits
    assert todo_items(dashboard(client_for, cast.expert, cast)) == []


def test_the_agency_sees_the_answers_asked_of_it_before_its_action_items(cast, client_for):
    """Where work waits comes first: the recommendations to answer (advisory) above the action items (outreach),
    even when an action item is late."""
    j = advisory_f.journey(cast, until=Status.SENT)
    outreach_f.action_item(cast, due_on=datetime.date(2022, 2, 10), title="Gửi danh mục dự án")
    html = dashboard(client_for, cast.agency_rep, cast)
    answers = reverse("advisory:answers", args=[cast.union.slug, j.case.pk])
    assert answers in html and "Gửi danh mục dự án" in html
    assert html.index(answers) < html.index("Gửi danh mục dự án")
