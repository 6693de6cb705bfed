"""The advisory charts against the statistics they are drawn from: every year of the history holds that year's
figures, the charts hold the history's and the year's; the statistics page's chart data (json_script) equals the
table beside each chart, read back from the HTML; a year without cases shows «no figures» and no canvas; «on time»
is one rule for the year's figures and the years' history."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from lienhiep.advisory import charts, services, stats
from lienhiep.advisory.models import Case, Kind, Status
from lienhiep.core.models import Agency
from tests.chart_html import assert_chart_matches_table, charts_on

from . import factories as f

pytestmark = pytest.mark.django_db


def vi(message: str) -> str:
    """The interface's words as the Vietnamese catalogue has them."""
    with translation.override("vi"):
        return translation.gettext(message)


@pytest.fixture
def years(cast):
    """2022: (A) a critique for UBND huyện Đăk Tô, answered (accepted, partly, not accepted: 50 %), sent on day 28 of
    the 60 asked; (B) a consulting request of UBND huyện Tu Mơ Rông, declined; (C) a critique just received.
    2023: nothing. 2024: (D) a consulting request received."""
    answered = f.journey(cast, until=Status.ANSWERED).case
    tmr = Agency.objects.create(union=cast.union, name="UBND huyện Tu Mơ Rông", kind="peoples_committee")
    declined = f.new_case(cast, actor=cast.staff, kind="consulting", requesting_agency=tmr, files=False)
    services.decline_case(declined, actor=cast.staff, reason="Ngoài phạm vi.")
    f.new_case(cast, files=False)
    f.new_case(cast, kind="consulting", received_on=datetime.date(2024, 2, 1), files=False)
    return answered


def test_the_history_holds_each_years_figures(cast, years):
    history = stats.history(cast.union)
    assert [line.year for line in history] == [2022, 2023, 2024]  # the year without cases is there, empty
    for line in history:
        year = stats.year_stats(cast.union, line.year)
        assert line.total == year.total
        labelled = {str(Kind(kind).label): n for kind, n in line.by_kind.items()}
        assert labelled == {r.label: r.cases for r in year.by_kind}
        assert (line.sent, line.on_time) == (year.sent, year.on_time)
        assert line.acceptance == year.acceptance
    assert [(line.year, line.total) for line in history] == [(2022, 3), (2023, 0), (2024, 1)]
    assert stats.history(cast.union, since=2023, until=2023) == []
    assert [line.year for line in stats.history(cast.union, until=2023)] == [2022]
    assert [(r.label, r.cases) for r in stats.by_year(cast.union)] == [("2024", 1), ("2022", 3)]


def test_the_charts_hold_the_figures_of_the_statistics(cast, years):
    history = stats.history(cast.union)
    year = stats.year_stats(cast.union, 2022)
    page = charts.page_charts(year, history)

    kinds = page["kinds"]
    assert (kinds.kind, kinds.labels) == ("stacked", ("2022", "2023", "2024"))
    assert [(s.name, s.values) for s in kinds.series] == [("Tư vấn", (1, 0, 1)), ("Phản biện", (2, 0, 0))]
    assert kinds.totals == ["2", "2"]

    on_time = page["on_time"]
    assert [(s.name, s.values) for s in on_time.series] == [("Đúng hạn", (1, 0, 0)), ("Trễ hạn", (0, 0, 0))]
    assert str(stats.USUAL_DAYS) in on_time.note

    acceptance = page["acceptance"]
    assert (acceptance.kind, acceptance.unit) == ("line", "%")  # three years: a line
    assert acceptance.series[0].values == (50.0, None, None)
    assert acceptance.rows[0] == ("2022", ["50,0%"]) and acceptance.rows[1] == ("2023", ["—"])

    agencies = page["agencies"]
    assert agencies.kind == "hbar" and agencies.labels == ("UBND huyện Đăk Tô",)  # Tu Mơ Rông answered nothing
    assert agencies.series[0].values == (year.by_agency[0].acceptance.rate,) == (50.0,)

    status = page["status"]
    assert status.labels == ("Đã tiếp nhận", "Đã tiếp thu, giải trình", "Từ chối")  # the order of the work
    assert status.series[0].values == (1, 1, 1) and status.totals == ["3"]
    assert dict(zip(status.labels, status.series[0].values, strict=True)) == {r.label: r.cases for r in year.by_status}

    two_years = charts.acceptance_by_year(history[:2])
    assert two_years.kind == "bar"  # fewer than three years: columns


def test_on_time_is_one_rule_for_the_year_and_the_history(cast, years):
    received, deadline = datetime.date(2022, 3, 1), datetime.date(2022, 4, 30)
    assert stats.is_on_time(deadline, deadline, received)
    assert not stats.is_on_time(deadline + datetime.timedelta(days=1), deadline, received)
    usual = received + datetime.timedelta(days=stats.USUAL_DAYS)
    assert stats.is_on_time(usual, None, received)
    assert not stats.is_on_time(usual + datetime.timedelta(days=1), None, received)
    # the answered case sent after the deadline it was asked for: late in the year's figures and in the history
    Case.objects.filter(pk=years.pk).update(sent_on=years.requested_deadline + datetime.timedelta(days=1))
    assert (stats.year_stats(cast.union, 2022).on_time, stats.history(cast.union)[0].late) == (0, 1)
    on_time = charts.reports_on_time_by_year(stats.history(cast.union))
    assert [s.values[0] for s in on_time.series] == [0, 1]


def _page(client, union, year) -> lxml.html.HtmlElement:
    response = client.get(reverse("advisory:stats", args=[union.slug]) + f"?year={year}")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _table(page, script_id: str) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    table = page.xpath(f'//table[@data-chart-table="{script_id}"]')[0]
    header = [th.text_content().strip() for th in table.xpath("thead//th")]
    rows = [
        (tr.xpath("th")[0].text_content().strip(), [td.text_content().strip() for td in tr.xpath("td")])
        for tr in table.xpath("tbody/tr")
    ]
    totals = [td.text_content().strip() for td in table.xpath("tfoot//td")]
    return header, rows, totals


def test_the_pages_chart_data_equals_the_table_beside_it(cast, years, client_for):
    page = _page(client_for(cast.staff), cast.union, 2022)
    found = charts_on(lxml.html.tostring(page, encoding="unicode"))
    assert sorted(key for key, chart in found.items() if chart.canvas) == [
        "chart-acceptance-by-agency-data",
        "chart-acceptance-by-year-data",
        "chart-cases-by-kind-year-data",
        "chart-cases-by-status-data",
        "chart-reports-on-time-data",
    ]
    for chart in found.values():
        assert_chart_matches_table(chart)
    # the figures are the statistics': the status chart's table, the agencies' rates
    _h, rows, _t = _table(page, "chart-cases-by-status-data")
    assert rows == [("Đã tiếp nhận", ["1"]), ("Đã tiếp thu, giải trình", ["1"]), ("Từ chối", ["1"])]
    _h, rows, _t = _table(page, "chart-acceptance-by-agency-data")
    assert rows == [("UBND huyện Đăk Tô", ["50,0%"])]
    _h, rows, totals = _table(page, "chart-cases-by-kind-year-data")
    assert rows == [("2022", ["1", "2"]), ("2023", ["0", "0"]), ("2024", ["1", "0"])] and totals == ["2", "2"]
    # the tables the charts show (by status, year by year) are not repeated; those that add figures stay
    headings = [h.text_content().strip() for h in page.xpath("//main//h2")]
    tables = ["By kind", "By requesting agency", "By locality", "By field", "Year by year"]
    assert headings == [vi(title) for title in tables]
    scripts = [script.get("src") for script in page.xpath("//head/script[@src]")]
    assert any("chart.umd" in src for src in scripts) and any("js/charts" in src for src in scripts)


def test_a_year_without_cases_shows_no_figures_and_no_canvas(cast, years, client_for):
    page = _page(client_for(cast.staff), cast.union, 2023)
    for key in ("cases-by-status", "acceptance-by-agency"):
        (figure,) = page.xpath(f'//figure[@id="chart-{key}"]')
        assert vi("No figures yet.") in figure.text_content()
        assert not figure.xpath(".//canvas") and not figure.xpath(".//script")
    assert len(page.xpath("//canvas[@data-chart]")) == 3  # the years' charts still have the other years


def test_a_union_without_cases_has_no_canvas(cast, client_for):
    page = _page(client_for(cast.outsider_staff), cast.outsider_union, 2022)
    assert page.xpath('//figure[contains(@class, "lh-chart")]') and not page.xpath("//canvas")
    assert all(
        vi("No figures yet.") in figure.text_content()
        for figure in page.xpath('//figure[contains(@class, "lh-chart")]')
    )
