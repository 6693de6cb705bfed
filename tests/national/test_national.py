"""The national roll-up: every Union's figures side by side, the annual reports sent to the national body, the
nominations' inbox — from outside, as each role; and the figures against the records they count."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lienhiep.advisory import annual
from lienhiep.advisory.models import Case, Kind, Recommendation, Status
from lienhiep.core.models import ActivityLog
from lienhiep.national import figures
from lienhiep.national.models import AnnualSubmission, ReportingYear
from tests.national.url_args import LAST_YEAR, nominated_edition, submitted_report

pytestmark = pytest.mark.django_db


def _sent_case(cast, union, *, on_time: bool, responses: list[str], kind="critique") -> Case:
    """A case of last year, its report sent (within the agency's deadline or a month after it), answered."""
    received = datetime.date(LAST_YEAR, 3, 1)
    case = Case.objects.create(
        union=union,
        kind=kind,
        year=LAST_YEAR,
        seq=Case.objects.filter(union=union, year=LAST_YEAR).count() + 1,
        title="Đề án phát triển cây dược liệu",
        received_on=received,
        requested_deadline=received + datetime.timedelta(days=30),
        sent_on=received + datetime.timedelta(days=20 if on_time else 60),
    )
    Case.objects.filter(pk=case.pk).update(status=Status.ANSWERED)  # sent and answered, in short
    for number, response in enumerate(responses, start=1):
        Recommendation.objects.create(
            union=union, case=case, number=number, text=f"Kiến nghị {number}", response=response
        )
    return case


def test_figures_count_every_union_side_by_side(cast):
    _sent_case(cast, cast.union, on_time=True, responses=["accepted", "partly"])
    _sent_case(cast, cast.union, on_time=False, responses=["not_accepted"], kind="consulting")
    _sent_case(cast, cast.outsider_union, on_time=True, responses=["accepted"])
    table = figures.national_table(LAST_YEAR, today=datetime.date(LAST_YEAR + 1, 2, 1))
    rows = {row.union.slug: row for row in table.rows}
    kontum, quangngai = rows["kontum"], rows["quangngai"]
    assert (kontum.cases, kontum.sent, kontum.on_time) == (2, 2, 1)
    assert kontum.cases_by_kind == {"critique": 1, "consulting": 1}
    assert kontum.acceptance.rate == 50.0  # (1 + ½ + 0) / 3
    assert (quangngai.cases, quangngai.acceptance.rate, quangngai.on_time_rate) == (1, 100.0, 100.0)
    assert table.total("cases") == 3
    # Nobody sent a report and the due date has passed: both are late.
    assert {row.union.slug for row in table.late} == {"kontum", "quangngai"}


def test_charts_carry_the_tables_figures(cast):
    _sent_case(cast, cast.union, on_time=True, responses=["accepted", "partly"])
    table = figures.national_table(LAST_YEAR)
    charts = {chart.key: chart for chart in figures.charts(table)}
    names = [row.union.short_name for row in table.rows]
    assert list(charts["acceptance"].labels) == names
    kontum = names.index(cast.union.short_name)
    assert charts["acceptance"].series[0].values[kontum] == 75.0
    critique = next(s for s in charts["cases-by-kind"].series if s.name == Kind.CRITIQUE.label)
    assert critique.values[kontum] == 1


def test_a_union_sends_its_signed_report_and_the_national_body_answers(cast, client_for):
    staff, national = client_for(cast.staff), client_for(cast.national)
    # Before the leader signs, there is nothing to send.
    page = staff.get(reverse("national:union_reports", args=["kontum"])).content.decode()
    assert "Gửi Trung ương" not in page and "Chưa ký" in page
    response = staff.post(reverse("national:union_submit", args=["kontum"]) + f"?year={LAST_YEAR}", follow=True)
    assert "chưa được ký" in response.content.decode()
    assert not AnnualSubmission.objects.exists()

    document = annual.sign_annual_report(cast.union, LAST_YEAR, actor=cast.leader)
    response = staff.post(reverse("national:union_submit", args=["kontum"]) + f"?year={LAST_YEAR}", follow=True)
    assert response.status_code == 200
    submission = AnnualSubmission.objects.get(union=cast.union, year=LAST_YEAR)
    assert (submission.status, submission.document) == (AnnualSubmission.Status.SUBMITTED, document)
    # Sending twice is refused while the national body holds it.
    response = staff.post(reverse("national:union_submit", args=["kontum"]) + f"?year={LAST_YEAR}", follow=True)
    assert "đã được gửi" in response.content.decode()

    # The national body reads the stored report, byte for byte, and returns it with a comment.
    docx = national.get(reverse("national:submission_docx", args=[submission.pk]))
    assert docx.status_code == 200 and docx.content == document.docx.open("rb").read()
    page = national.get(reverse("national:submission", args=[submission.pk])).content.decode()
    assert "Trả lại kèm ý kiến" in page and "Chấp nhận báo cáo" in page
    answer = reverse("national:answer", args=[submission.pk, "return_to_union"])
    response = national.post(answer, {"reason": ""}, follow=True)
    assert "Cần nêu nội dung" in response.content.decode()
    national.post(answer, {"reason": "Bổ sung số liệu giám định xã hội."})
    submission = AnnualSubmission.objects.get(pk=submission.pk)
    assert submission.status == AnnualSubmission.Status.RETURNED
    page = staff.get(reverse("national:union_reports", args=["kontum"])).content.decode()
    assert "Bổ sung số liệu giám định xã hội." in page and "Gửi lại" in page

    # Sent again, then accepted; every step is in the Union's activity.
    staff.post(reverse("national:union_submit", args=["kontum"]) + f"?year={LAST_YEAR}")
    national.post(reverse("national:answer", args=[submission.pk, "accept"]), {"reason": ""})
    submission = AnnualSubmission.objects.get(pk=submission.pk)
    assert submission.status == AnnualSubmission.Status.ACCEPTED
    verbs = list(
        ActivityLog.objects.filter(union=cast.union, verb__startswith="national.").values_list("verb", flat=True)
    )
    assert sorted(verbs) == sorted(
        [
            "national.report.submitted",
            "national.report.returned",
            "national.report.submitted",
            "national.report.accepted",
        ]
    )


def test_the_union_cannot_answer_its_own_report_and_the_national_body_cannot_send_one(cast, client_for):
    submission = submitted_report(cast)
    for user in (cast.staff, cast.leader, cast.union_admin, cast.platform_admin):
        response = client_for(user).post(reverse("national:answer", args=[submission.pk, "accept"]))
        assert response.status_code == 403
    response = client_for(cast.national).post(reverse("national:union_submit", args=["kontum"]) + f"?year={LAST_YEAR}")
    assert response.status_code == 403
    submission = AnnualSubmission.objects.get(pk=submission.pk)
    assert submission.status == AnnualSubmission.Status.SUBMITTED


def test_late_list_and_due_date(cast, client_for):
    national = client_for(cast.national)
    due = reverse("national:due_date") + f"?year={LAST_YEAR}"
    response = national.post(due, {"due_on": f"{LAST_YEAR + 3}-01-01"}, follow=True)
    assert "rơi vào năm đó hoặc năm sau" in response.content.decode()
    national.post(due, {"due_on": f"{LAST_YEAR + 1}-01-20"})
    assert ReportingYear.due_date(LAST_YEAR) == datetime.date(LAST_YEAR + 1, 1, 20)
    submitted_report(cast)  # Kon Tum's is in; Quảng Ngãi has sent nothing
    table = figures.national_table(LAST_YEAR, today=datetime.date(LAST_YEAR + 1, 1, 21))
    assert [row.union.slug for row in table.late] == ["quangngai"]
    assert figures.national_table(LAST_YEAR, today=datetime.date(LAST_YEAR + 1, 1, 20)).late == []
    page = national.get(reverse("national:reports") + f"?year={LAST_YEAR}").content.decode()
    if timezone.localdate() > datetime.date(LAST_YEAR + 1, 1, 20):
        assert "Quảng Ngãi" in page.split("sau hạn")[1].split("</ul>")[0]


def test_national_table_as_excel(cast, client_for):
    _sent_case(cast, cast.union, on_time=True, responses=["accepted"])
    response = client_for(cast.national).get(reverse("national:table_xlsx") + f"?year={LAST_YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    by_union = {row[1]: row for row in rows}
    assert by_union[cast.union.name][6] == 1  # total cases
    assert rows[-1][1] == "Cả nước"
    bad = client_for(cast.national).get(reverse("national:table_xlsx") + "?year=２０２５")
    assert bad.status_code == 400


def test_nominations_inbox_lists_only_nominated_entries_and_serves_their_dossiers(cast, client_for):
    edition = nominated_edition(cast)
    national = client_for(cast.national)
    page = national.get(reverse("national:nominations")).content.decode()
    nominated = edition.entries.filter(nominated_at__isnull=False)
    assert all(entry.title in page for entry in nominated)
    assert all(entry.title not in page for entry in edition.entries.filter(nominated_at__isnull=True))
    response = national.get(reverse("national:nomination_zip", args=[edition.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    other = edition.__class__.objects.exclude(pk=edition.pk).first()
    if other is not None and not other.entries.filter(nominated_at__isnull=False).exists():
        assert national.get(reverse("national:nomination_zip", args=[other.pk])).status_code == 404


def test_the_national_body_sees_nothing_below_the_aggregates(cast, client_for):
    """A few of a Union's pages by address: the national role is refused every one (the authorization matrix walks
    them all)."""
    national = client_for(cast.national)
    case = _sent_case(cast, cast.union, on_time=True, responses=["accepted"])
    for url in [
        reverse("core:dashboard", args=["kontum"]),
        reverse("advisory:case_detail", args=["kontum", case.pk]),
        reverse("advisory:stats", args=["kontum"]),
        reverse("core:people_list", args=["kontum"]),
        reverse("contests:editions", args=["kontum"]),
        reverse("national:union_reports", args=["kontum"]),
    ]:
        assert national.get(url).status_code == 403, url
    # Signing in takes the national body to its own pages.
    assert national.get("/").url == reverse("national:overview")


def test_overview_page_shows_charts_with_their_tables(cast, client_for):
    _sent_case(cast, cast.union, on_time=True, responses=["accepted", "partly"])
    page = client_for(cast.national).get(reverse("national:overview") + f"?year={LAST_YEAR}").content.decode()
    for key in ("cases-by-kind", "acceptance", "on-time"):
        assert f'id="chart-{key}-data"' in page and f'data-chart-table="chart-{key}-data"' in page
    assert "75,0%" in page  # Kon Tum's acceptance, in the Vietnamese format, in the chart's table
    assert 'id="chart-contests-data"' not in page  # no contest this year: «Chưa có số liệu.», no empty chart
