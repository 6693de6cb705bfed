"""The year at a glance («Năm nay») on the dashboard of the Union's staff, leader and administrator: each app's
chart of the year month by month (advisory cases received and reports sent, contest entries, working sessions and
action items), all read in one query; the page's chart data is its table, cell for cell; other roles do not
see it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lienhiep.advisory import glance as advisory_glance
from lienhiep.advisory.models import Status
from lienhiep.contests import glance as contests_glance
from lienhiep.contests import services as contest_services
from lienhiep.core.glance import GLANCES, year_at_a_glance
from lienhiep.outreach import glance as outreach_glance
from lienhiep.outreach import services as outreach_services
from lienhiep.outreach.models import ActionItem
from tests.advisory import factories as advisory_f
from tests.chart_html import assert_chart_matches_table, charts_on
from tests.contests import factories as contests_f
from tests.outreach import factories as outreach_f

pytestmark = pytest.mark.django_db

AFTER_2022 = datetime.date(2023, 1, 10)
GLANCE_KEYS = {"chart-glance-advisory-data", "chart-glance-contests-data", "chart-glance-outreach-data"}


def action(cast, due_on, *, done_on=None):
    item = outreach_f.action_item(cast, due_on=due_on, title=f"Việc hạn {due_on}")
    if done_on:
        outreach_services.change_action_status(item, actor=cast.staff, status=ActionItem.Status.DONE)
        ActionItem.objects.filter(pk=item.pk).update(completed_on=done_on)  # as if marked done that day
    return item


@pytest.fixture
def year_2022(cast):
    """In 2022: advisory cases received in March (sent the same month) and May, one in 2021; two contest entries
    in June and a draft; two working sessions in April; action items open since February, done in May on time,
    done in June after their due date."""
    advisory_f.journey(cast, until=Status.SENT)  # received 1/3/2022, report sent 29/3/2022
    advisory_f.new_case(cast, files=False, received_on=datetime.date(2022, 5, 10), request_number="31/UBND-KT")
    advisory_f.new_case(cast, files=False, received_on=datetime.date(2021, 12, 20), request_number="9/UBND-KT")
    ed = contests_f.open_edition(cast)
    contests_f.submitted(cast, ed, "Máy tách hạt cà phê")
    contests_f.submitted(cast, ed, "Bếp đun tiết kiệm củi")
    contests_f.draft(cast, ed, "Bản nháp")
    for day in (5, 20):
        outreach_f.session(cast, held_on=datetime.date(2022, 4, day), title=f"Làm việc ngày {day}/4")
    action(cast, datetime.date(2022, 2, 10))
    action(cast, datetime.date(2022, 5, 15), done_on=datetime.date(2022, 5, 3))
    action(cast, datetime.date(2022, 6, 1), done_on=datetime.date(2022, 6, 20))


def month(values: tuple, n: int):
    return values[n - 1]


def test_the_charts_of_a_year_are_its_figures(cast, year_2022):
    (advisory,) = advisory_glance.year_charts(cast.union, 2022, AFTER_2022)
    assert advisory.labels == tuple(f"T{m}" for m in range(1, 13))
    received, sent = (s.values for s in advisory.series)
    assert sum(received) == 2 and month(received, 3) == 1 and month(received, 5) == 1
    assert sum(sent) == 1 and month(sent, 3) == 1

    (contests,) = contests_glance.year_charts(cast.union, 2022, AFTER_2022)
    assert [s.name for s in contests.series] == ["Hội thi Sáng tạo kỹ thuật"]
    assert sum(contests.series[0].values) == 2 and month(contests.series[0].values, 6) == 2

    (outreach,) = outreach_glance.year_charts(cast.union, 2022, AFTER_2022)
    sessions, done, overdue = (s.values for s in outreach.series)
    assert sum(sessions) == 2 and month(sessions, 4) == 2
    assert sum(done) == 2 and month(done, 5) == 1 and month(done, 6) == 1
    assert sum(overdue) == 2 and month(overdue, 2) == 1 and month(overdue, 6) == 1  # open since Feb; done late


def test_this_year_runs_to_this_month_and_every_app_is_read_in_one_query(cast, year_2022):
    assert [g.name for g in GLANCES] == ["advisory", "contests", "outreach"]
    today = datetime.date(2022, 4, 30)
    with CaptureQueriesContext(connection) as queries:
        charts = year_at_a_glance(cast.union, today)
    assert len(queries) == 1 and len(charts) == len(GLANCES)
    assert all(chart.labels == ("T1", "T2", "T3", "T4") for chart in charts)
    assert charts[2].series[2].values == (0, 1, 0, 0)  # the item due in February; the one due in June is not yet


def work_this_year(cast) -> None:
    """A case received, an entry submitted and a working session held today."""
    today, now = timezone.localdate(), timezone.now()
    advisory_f.new_case(cast, files=False, received_on=today, request_number="12/UBND-KT")
    ed = contests_f.open_edition(
        cast,
        code="ST10",
        registration_opens_at=now - datetime.timedelta(days=10),
        registration_closes_at=now + datetime.timedelta(days=10),
        submission_deadline=now + datetime.timedelta(days=10),
    )
    entry = contests_f.draft(cast, ed, "Máy sấy nông sản", now=now)
    contests_f.add_files(cast, entry)
    contest_services.submit_entry(actor=entry.owner, entry=entry, now=now)
    outreach_f.session(cast, held_on=today, title="Làm việc hôm nay")


@pytest.mark.parametrize("role", ["staff", "leader", "union_admin", "platform_admin"])
def test_the_dashboard_shows_the_year_with_a_table_under_each_chart(cast, client_for, role):
    work_this_year(cast)
    response = client_for(getattr(cast, role)).get(reverse("core:dashboard", args=[cast.union.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    found = charts_on(html)
    assert set(found) == GLANCE_KEYS
    this_month = timezone.localdate().month
    for chart in found.values():
        assert_chart_matches_table(chart)
        assert len(chart.data["labels"]) == this_month
        assert chart.data["series"][0]["values"][-1] == 1  # today's case, entry, session
    assert 'id="glance-heading"' in html and "js/charts.js" in html


@pytest.mark.parametrize("role", ["expert", "agency_rep", "entrant"])
def test_other_roles_do_not_see_the_year(cast, client_for, role):
    work_this_year(cast)
    response = client_for(getattr(cast, role)).get(reverse("core:dashboard", args=[cast.union.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert charts_on(html) == {} and 'id="glance-heading"' not in html and "js/charts.js" not in html


def test_another_unions_staff_cannot_open_the_dashboard(cast, client_for):
    response = client_for(cast.outsider_staff).get(reverse("core:dashboard", args=[cast.union.slug]))
    assert response.status_code in (403, 404)
