"""The charts of the outreach overview (work by locality): sessions and action items per locality, and the action
items overdue at the end of each month; each chart's data is the figures computed, and the page's chart
data is its table, cell for cell."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lienhiep.core.figures import month_starts
from lienhiep.core.models import AdminUnit
from lienhiep.outreach import charts, services
from lienhiep.outreach.models import ActionItem
from lienhiep.outreach.queries import locality_overview, overdue, overdue_at_month_ends
from tests.chart_html import assert_chart_matches_table, charts_on

from . import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def commune(cast) -> AdminUnit:
    return AdminUnit.objects.create(
        code="23440", name="Xã Đăk Trăm", short_name="Đăk Trăm", kind="Xã", level="commune", parent=cast.district
    )


def item(cast, due_on: datetime.date, status: str | None = None, *, done_on=None, locality=None) -> ActionItem:
    made = f.action_item(cast, due_on=due_on, locality=locality or cast.district, title=f"Việc hạn {due_on}")
    if status:
        services.change_action_status(made, actor=cast.staff, status=status, reason="Không còn cần thiết.")
    if done_on:  # the day it was done, as if it had been marked done then
        ActionItem.objects.filter(pk=made.pk).update(completed_on=done_on)
    return made


@pytest.fixture
def work(cast):
    """Around today: the district has two sessions and four action items (done, open not yet due, overdue,
    dropped); a commune one session and one overdue item."""
    today = timezone.localdate()
    xa = commune(cast)
    f.session(cast)
    f.session(cast, title="Làm việc lần hai với UBND huyện Đăk Tô")
    f.session(cast, title="Làm việc với UBND xã Đăk Trăm", admin_unit=xa)
    item(cast, today - 30 * DAY, ActionItem.Status.DONE)
    item(cast, today + 30 * DAY)
    item(cast, today - 40 * DAY)
    item(cast, today - 50 * DAY, ActionItem.Status.DROPPED)
    item(cast, today - 20 * DAY, locality=xa)
    return today


def test_locality_charts_are_the_computed_figures(cast, work):
    rows = locality_overview(cast.union, work)
    figures = {r["unit"].name: (r["sessions"], r["done"], r["open"], r["overdue"]) for r in rows}
    assert figures == {"Huyện Đăk Tô": (2, 1, 2, 1), "Xã Đăk Trăm": (1, 0, 1, 1)}

    sessions = charts.sessions_chart(rows)
    assert sessions.kind == "hbar" and sessions.labels == ("Huyện Đăk Tô", "Xã Đăk Trăm")
    assert [s.values for s in sessions.series] == [(2, 1)]

    actions = charts.actions_chart(rows)
    assert actions.labels == ("Huyện Đăk Tô", "Xã Đăk Trăm")
    assert actions.kind == "hstacked"
    assert [s.name for s in actions.series] == ["Đã thực hiện", "Chưa đến hạn", "Quá hạn"]
    assert [s.values for s in actions.series] == [(1, 0), (1, 0), (1, 1)]  # the dropped item is not counted


def test_many_localities_are_cut_to_the_largest_and_other(cast):
    units = [
        AdminUnit.objects.create(code=f"98{i:03d}", name=f"Xã Số {i:02d}", kind="Xã", level="commune")
        for i in range(15)
    ]
    for i, unit in enumerate(units):
        for _n in range(1 + i % 3):
            f.session(cast, title=f"Làm việc tại xã số {i}", admin_unit=unit)
    chart = charts.sessions_chart(locality_overview(cast.union))
    assert len(chart.labels) == charts.TOP + 1 and chart.labels[-1] == "Khác"
    assert sum(chart.series[0].values) == sum(1 + i % 3 for i in range(15)) and chart.note


def test_overdue_at_each_months_end(cast):
    today = datetime.date(2022, 3, 10)
    item(cast, datetime.date(2021, 12, 15))  # still open: overdue from December on
    item(cast, datetime.date(2022, 1, 10), ActionItem.Status.DONE, done_on=datetime.date(2022, 1, 20))  # late, done
    item(cast, datetime.date(2021, 11, 5), ActionItem.Status.DONE, done_on=datetime.date(2022, 2, 15))  # Nov to Jan
    dropped = item(cast, datetime.date(2021, 10, 1), ActionItem.Status.DROPPED)  # October to December
    ActionItem.history.filter(id=dropped.pk, status=ActionItem.Status.DROPPED).update(
        history_date=datetime.datetime(2022, 1, 5, 9, 0, tzinfo=datetime.UTC)
    )
    item(cast, datetime.date(2022, 3, 5), ActionItem.Status.IN_PROGRESS)  # overdue today
    item(cast, datetime.date(2022, 3, 15))  # not yet due
    item(cast, datetime.date(2021, 2, 1), ActionItem.Status.DONE, done_on=datetime.date(2021, 3, 1))  # before
    item(cast, datetime.date(2021, 2, 1))  # open for more than a year: every month
    months = month_starts(today, charts.MONTHS)
    assert months[0] == datetime.date(2021, 4, 1) and months[-1] == datetime.date(2022, 3, 1)
    overdue = overdue_at_month_ends(cast.union, months, today)
    assert list(overdue.values()) == [1, 1, 1, 1, 1, 1, 2, 3, 4, 3, 2, 3]
    chart = charts.overdue_chart(overdue)
    assert chart.kind == "line" and chart.labels[0] == "4/2021" and chart.labels[-1] == "3/2022"
    assert chart.series[0].values == tuple(overdue.values())
    assert "lịch sử" in chart.note  # says how it is computed


@pytest.mark.parametrize("role", ["staff", "leader", "union_admin"])
def test_the_page_shows_each_chart_with_its_table(cast, client_for, work, role):
    response = client_for(getattr(cast, role)).get(reverse("outreach:localities", args=[cast.union.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    found = charts_on(html)
    keys = ("sessions-by-locality", "actions-by-locality", "overdue-by-month")
    assert list(found) == [f"chart-{k}-data" for k in keys]
    for chart in found.values():
        assert_chart_matches_table(chart)
    late = found["chart-overdue-by-month-data"]
    now_overdue = overdue(ActionItem.objects.filter(union=cast.union), work).count()
    assert late.data["series"][0]["values"][-1] == now_overdue == 2  # this month: today, as the table says
    assert late.data["labels"][-1] == f"{work.month}/{work.year}"
    assert "js/charts.js" in html and "Buổi làm việc" in html and "Phiên đăng nhập" not in html


@pytest.mark.parametrize("role", ["expert", "agency_rep", "entrant", "platform_admin", "outsider_staff"])
def test_other_roles_cannot_open_the_overview(cast, client_for, role):
    response = client_for(getattr(cast, role)).get(reverse("outreach:localities", args=[cast.union.slug]))
    assert response.status_code in (403, 404)
