"""The charts of a contest edition's statistics page: entries by field, locality, school and status, and judging
progress; each chart's data is the figures computed, and the page's chart data is its table, cell for cell."""

import datetime

import pytest
from django.urls import reverse

from lienhiep.contests import charts, judging, queries, services
from lienhiep.contests.models import Round
from lienhiep.core.figures import top_with_other
from lienhiep.core.models import AdminUnit, Agency
from tests.chart_html import assert_chart_matches_table, charts_on

from . import factories as f

pytestmark = pytest.mark.django_db


def commune(cast, i: int) -> AdminUnit:
    return AdminUnit.objects.create(
        code=f"99{i:03d}", name=f"Xã Số {i:02d}", short_name=f"Số {i:02d}", kind="Xã", level="commune",
        parent=cast.district,
    )  # fmt: skip


@pytest.fixture
def edition(cast, judges):
    """An edition in judging: 14 entries (two fields, 13 localities, two schools; one returned, one rejected, a
    draft); in its round one sheet submitted, one saved, one not started."""
    ed = f.open_edition(cast)
    school = Agency.objects.create(union=cast.union, name="Trường THPT Nguyễn Trãi, huyện Đăk Tô", kind="school")
    entries = [f.accepted(cast, ed, "Máy tách hạt cà phê", school=school)]
    entries.append(f.accepted(cast, ed, "Máy sấy nông sản", field_code="NN", school=school))
    entries.append(f.accepted(cast, ed, "Bếp đun tiết kiệm củi", field_code="NN"))
    for i in range(12):
        entries.append(f.submitted(cast, ed, f"Giải pháp số {i}", locality=commune(cast, i)))
    services.screen_entry(actor=cast.staff, entry=entries[3], decision="return", note="Thiếu bản mô tả.")
    services.screen_entry(actor=cast.staff, entry=entries[4], decision="reject", note="Không đúng lĩnh vực.")
    f.draft(cast, ed, "Bản nháp chưa nộp")
    ed.start_judging()
    ed.save()
    seats = [f.seat(cast, entries[0], judges[0]), f.seat(cast, entries[0], judges[1])]
    seats.append(f.seat(cast, entries[1], judges[2]))
    f.score(seats[0], 20, 25, 28)
    f.score(seats[1], 20, 25, 28, submit=False)
    return ed


def test_entry_charts_are_the_computed_figures(cast, edition):
    stats = queries.entry_statistics(edition)
    assert (stats["total"], stats["drafts"]) == (15, 1)
    by_field, by_locality, by_school, by_status = charts.entry_charts(stats)

    assert by_field.labels == ("CK — Cơ khí, tự động hóa", "NN — Nông, lâm nghiệp")
    assert by_field.series[0].values == (13, 2) and by_field.kind == "hbar"

    # 13 localities: the 10 largest by name (Đăk Tô first, 3 entries), the other three summed as «Khác»
    assert len(by_locality.labels) == 11 and by_locality.labels[0] == "Huyện Đăk Tô"
    assert by_locality.labels[-1] == "Khác" and by_locality.series[0].values[-1] == 3
    assert sum(by_locality.series[0].values) == 15 and by_locality.note
    assert charts.long_lists(stats)[0][0] == "Mọi địa phương" and len(charts.long_lists(stats)[0][1]) == 13

    assert by_school.labels == ("Trường THPT Nguyễn Trãi, huyện Đăk Tô",) and by_school.series[0].values == (2,)
    assert dict(zip(by_status.labels, by_status.series[0].values, strict=True)) == {
        "Đã nộp": 10,
        "Trả lại để bổ sung": 1,
        "Đã chấp thuận": 3,
        "Không tiếp nhận": 1,
    }


def test_judging_progress_counts_sheets_per_round_and_field(cast, edition):
    progress = queries.judging_progress(edition)
    assert [(p["round"], p["field_code"], p["submitted"], p["in_progress"], p["not_started"]) for p in progress] == [
        ("Chung khảo", "CK", 1, 1, 0),
        ("Chung khảo", "NN", 0, 0, 1),
    ]
    chart = charts.progress_chart(progress)
    assert chart.labels == ("Chung khảo · CK", "Chung khảo · NN") and chart.kind == "stacked"
    assert [s.values for s in chart.series] == [(1, 0), (1, 0), (0, 1)]
    one_field = charts.progress_chart(progress[:1])
    assert one_field.labels == ("Chung khảo",)


def test_top_with_other_keeps_short_lists_whole():
    rows = [(f"X{i}", [i, 1]) for i in range(12)]
    assert len(top_with_other(rows, 11)) == 12  # one row left over is shown by name
    cut = top_with_other(rows, 10)
    assert [label for label, _v in cut[:3]] == ["X11", "X10", "X9"]
    assert cut[-1] == ("Khác", [1 + 0, 2])


@pytest.mark.parametrize("role", ["staff", "leader", "union_admin"])
def test_the_page_shows_each_chart_with_its_table(cast, client_for, edition, role):
    Round.objects.filter(edition=edition).update(due_on=datetime.date(2022, 7, 1))
    response = client_for(getattr(cast, role)).get(reverse("contests:stats", args=[cast.union.slug, edition.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    found = charts_on(html)
    keys = ["entries-by-field", "entries-by-locality", "entries-by-school", "entries-by-status", "judging-progress"]
    assert list(found) == [f"chart-{k}-data" for k in keys]
    for chart in found.values():
        assert_chart_matches_table(chart)
    assert found["chart-entries-by-locality-data"].rows[-1] == ["Khác", "3"]
    assert "js/charts.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    overdue = sum(n for _e, n in judging.overdue_sheets(cast.union, edition=edition))
    assert overdue == 2  # one sheet saved but not submitted, one not started, both past 1/7/2022
    assert "Giám khảo quá hạn nộp phiếu" in html


@pytest.mark.parametrize("role", ["expert", "agency_rep", "entrant", "platform_admin", "outsider_staff"])
def test_other_roles_cannot_open_the_statistics(cast, client_for, edition, role):
    response = client_for(getattr(cast, role)).get(reverse("contests:stats", args=[cast.union.slug, edition.pk]))
    assert response.status_code in (403, 404)


def test_no_chart_scripts_on_a_page_without_charts(cast, client_for, edition):
    html = client_for(cast.staff).get(reverse("contests:entries", args=[cast.union.slug, edition.pk])).content
    assert b"js/charts.js" not in html
