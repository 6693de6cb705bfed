"""The contests' «Bước tiếp theo» panel (lienhiep/contests/next_step.py): for the entrant, what each state of an
entry yields (complete the dossier, submit before the deadline, screening, judging, results) with the submission
taken from the entry's transition; for a judge, the sheets still to fill in, the due date and what follows a
submitted sheet. A viewer without the permission is offered neither the step nor the link."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lienhiep.contests import judging, next_step
from lienhiep.contests.models import Award, Contributor, Edition, Entry, EntryCertificate
from lienhiep.core.models import Person
from tests.conftest import make_user

from . import factories as f

pytestmark = pytest.mark.django_db

BEFORE = f.aware(2022, 5, 1, 9, 0, 0)  # before the factories' deadline (15/6/2022 23:59:59)
AFTER = f.aware(2022, 6, 16, 9, 0, 0)


def panel_of(entry: Entry, user, now=BEFORE) -> next_step.Panel:
    from lienhiep.contests import services

    entry = f.fresh(entry)
    missing = services.completeness(entry) if entry.is_editable else []
    return next_step.entry_panel(entry, user, missing=missing, now=now)


def urls(panel: next_step.Panel) -> set[str]:
    return {link.url.split("/")[-2] if not link.url.endswith("#dossier") else "dossier" for link in panel.links}


def test_an_incomplete_draft_waits_for_its_dossier_with_the_deadline(cast):
    entry = f.draft(cast, f.open_edition(cast))
    panel = panel_of(entry, cast.entrant)
    [submit] = panel.steps
    assert submit.name == "submit" and submit.label == "Nộp bài dự thi" and submit.confirm
    assert submit.url == reverse("contests:entry_submit", args=[cast.union.slug, entry.pk])
    assert submit.waiting_for == ("Hồ sơ chưa đầy đủ.",)  # the button is disabled
    assert "Còn thiếu: Phiếu đăng ký" in panel.missing and "Còn thiếu: Bản mô tả giải pháp" in panel.missing
    assert panel.due == "Hạn nộp: 23:59:59 15/06/2022 (giờ máy chủ)" and not panel.late
    assert [link.label for link in panel.links] == ["Bổ sung tệp hồ sơ", "Sửa bài dự thi"]
    assert panel.links[0].style == "primary" and panel.links[0].url.endswith("#dossier")
    assert panel.next == "hoàn thiện hồ sơ (còn thiếu 2 mục), rồi nộp bài trước 23:59:59 15/06/2022"


def test_a_complete_draft_offers_the_submission(cast):
    entry = f.draft(cast, f.open_edition(cast))
    f.add_files(cast, entry)
    panel = panel_of(entry, cast.entrant)
    [submit] = panel.steps
    assert submit.waiting_for == () and not panel.missing
    assert "Hồ sơ đã đủ và có thể nộp" in panel.note
    assert panel.next == "nộp bài dự thi trước 23:59:59 15/06/2022"
    message = next_step.done_message("Thêm vào hồ sơ", "«Máy tách hạt»", panel)
    assert message == (
        "Đã xong «Thêm vào hồ sơ» — «Máy tách hạt». Bước tiếp theo: nộp bài dự thi trước 23:59:59 15/06/2022."
    )


def test_after_the_deadline_the_panel_says_so_in_red_and_offers_no_submission(cast):
    entry = f.draft(cast, f.open_edition(cast))
    f.add_files(cast, entry)
    panel = panel_of(entry, cast.entrant, now=AFTER)
    assert panel.late and panel.steps == [] and panel.links == [] and panel.next == ""
    assert "Đã quá hạn nộp" in panel.note


def test_a_co_author_without_the_right_to_change_it_gets_no_step_and_no_link(cast):
    entry = f.draft(cast, f.open_edition(cast))
    co_author = make_user("dongtacgia", "Y Đức", "entrant", cast.union)
    person = Person.objects.create(union=cast.union, name="Y Đức", user=co_author)
    Contributor.objects.create(entry=entry, person=person, share=None, order=2)
    panel = panel_of(entry, co_author)
    assert panel.steps == [] and panel.links == []
    assert panel.note == "Người đăng ký bài dự thi hoàn thiện hồ sơ và nộp bài."


def test_a_submitted_entry_waits_for_screening_then_for_judging(cast):
    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    panel = panel_of(entry, cast.entrant)
    assert panel.steps == [] and [link.label for link in panel.links] == ["Phiếu tiếp nhận"]
    assert "Ban Tổ chức đang kiểm tra hồ sơ" in panel.note and panel.next == "Ban Tổ chức kiểm tra hồ sơ"
    message = next_step.done_message("Nộp bài dự thi", entry.number, panel)
    assert message.startswith("Đã xong «Nộp bài dự thi» — ST9-001.")
    assert message.endswith("Bước tiếp theo: Ban Tổ chức kiểm tra hồ sơ.")

    entry = f.accepted(cast, ed, "Máy sấy cà phê")
    assert "Việc chấm bắt đầu sau khi hết hạn đăng ký" in panel_of(entry, cast.entrant).note
    Edition.objects.filter(pk=ed.pk).update(status=Edition.Status.JUDGING, results_on=datetime.date(2022, 9, 1))
    panel = panel_of(entry, cast.entrant)
    assert "Các ban giám khảo đang chấm bài. Kết quả được công bố ngày 01/09/2022." in panel.note


def test_a_rejected_entry_points_to_the_reason(cast):
    entry = f.submitted(cast, f.open_edition(cast))
    from lienhiep.contests import services

    services.screen_entry(actor=cast.staff, entry=entry, decision="reject", note="Không đúng lĩnh vực")
    panel = panel_of(entry, cast.entrant)
    assert "không được tiếp nhận" in panel.note and panel.steps == [] and panel.next == ""


def test_published_results_link_the_results_and_the_certificates_only_for_who_may_open_them(cast):
    ed = f.open_edition(cast)
    entry = f.accepted(cast, ed)
    Edition.objects.filter(pk=ed.pk).update(status=Edition.Status.PUBLISHED)
    tier = ed.tiers.get(rank=2)
    Award.objects.create(entry=entry, tier=tier, proposed_tier=tier, score=85)
    panel = panel_of(entry, cast.entrant)
    assert panel.note == "Kết quả đã công bố: bài đạt «Giải Nhì»."
    assert [link.label for link in panel.links] == ["Kết quả", "Phiếu tiếp nhận", "Giấy chứng nhận"]
    assert panel.links[0].url == reverse("contests:public_results", args=[cast.union.slug, ed.pk])
    # an author with an account but no entrant role of the Union may not open the certificates page
    outsider = make_user("tacgia", "A Khuê", None, None)
    assert "Giấy chứng nhận" not in [link.label for link in panel_of(entry, outsider).links]
    assert not EntryCertificate.objects.exists()


def test_the_entrants_list_says_what_comes_next_without_a_query(cast, django_assert_num_queries):
    ed = f.open_edition(cast)
    draft, sent = f.draft(cast, ed), f.submitted(cast, ed, "Máy sấy")
    entries = list(Entry.objects.filter(pk__in=[draft.pk, sent.pk]).select_related("edition", "award__tier"))
    with django_assert_num_queries(0):
        lines = {e.pk: next_step.entry_line(e, BEFORE) for e in entries}
        late = next_step.entry_line(next(e for e in entries if e.pk == draft.pk), AFTER)
    assert lines[draft.pk].text == "Hoàn thiện và nộp trước 23:59:59 15/06/2022." and not lines[draft.pk].late
    assert lines[sent.pk].text == "Ban Tổ chức đang kiểm tra hồ sơ."
    assert late.late and "Đã quá hạn nộp" in late.text


# The judge ------------------------------------------------------------------------------------------------------


@pytest.fixture
def seats(cast, judges):
    """Judge 1 seated (confirmed) on two entries of an open round due 30/6/2022."""
    ed = f.open_edition(cast)
    one, two = f.accepted(cast, ed, "Máy tách hạt"), f.accepted(cast, ed, "Máy sấy cà phê")
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    r.due_on = datetime.date(2022, 6, 30)
    r.save()
    return f.seat(cast, one, judges[0]), f.seat(cast, two, judges[0])


def sheet_panel_of(assignment, user, today=datetime.date(2022, 6, 25)):
    assignment = judging.get_assignment_for(user, assignment.union, assignment.pk)
    to_score = [
        a for a in judging.Assignment.objects.filter(expert=assignment.expert, status="confirmed")
        if a.pk != assignment.pk
    ]  # fmt: skip
    return next_step.sheet_panel(assignment, user, assignment.union.slug, to_score=to_score, today=today)


def test_a_sheet_to_fill_in_says_the_due_date_and_tucks_away_the_withdrawal(cast, judges, seats):
    one, _two = seats
    user = judges[0].person.user
    panel = sheet_panel_of(one, user)
    assert "nộp phiếu chấm ở dưới" in panel.note and panel.due == "Hạn: 30/06/2022" and not panel.late
    assert panel.next == "nộp phiếu chấm, hạn 30/06/2022"
    [withdraw] = panel.tucked
    assert withdraw.name == "recuse" and withdraw.reason and withdraw.confirm == "Xin rút khỏi bài này?"
    assert withdraw.url == reverse("contests:recuse", args=[cast.union.slug, one.pk])
    assert sheet_panel_of(one, user, today=datetime.date(2022, 7, 1)).late
    # the step is the sheet's own judge's: another judge, or staff, is offered nothing
    from lienhiep.core.fsm import steps_for

    assert steps_for(one, judges[1].person.user) == [] and steps_for(one, cast.staff) == []


def test_after_submitting_the_next_sheet_is_offered_then_what_the_organisers_do(cast, judges, seats):
    one, two = seats
    user = judges[0].person.user
    f.score(one, 20, 25, 28)
    panel = sheet_panel_of(one, user)
    assert panel.tucked == [] and panel.note.startswith("Phiếu chấm đã nộp và đã khóa.")
    assert [(link.label, link.url) for link in panel.links] == [
        (f"Chấm bài {two.entry.number}", reverse("contests:sheet", args=[cast.union.slug, two.pk]))
    ]
    assert panel.next == f"chấm bài {two.entry.number}, hạn 30/06/2022"
    f.score(two, 22, 26, 30)
    panel = sheet_panel_of(two, user)
    assert [link.label for link in panel.links] == ["Chấm thi"]
    assert panel.next == "Ban Tổ chức kết thúc vòng chấm khi đã nhận đủ phiếu của các giám khảo"


def test_the_judges_list_counts_the_sheets_left_and_flags_the_late_ones(cast, judges, seats):
    one, two = seats

    def listed():
        return list(judging.Assignment.objects.filter(expert=judges[0]).select_related("entry", "round").order_by("pk"))

    panel = next_step.judging_panel(listed(), cast.union.slug, today=datetime.date(2022, 7, 2))
    assert "Số phiếu chấm còn phải điền: 2." in panel.note and panel.late and panel.due == "Hạn: 30/06/2022"
    assert panel.links[0].url == reverse("contests:sheet", args=[cast.union.slug, one.pk])
    f.score(one, 20, 25, 28)
    f.score(two, 20, 25, 28)
    panel = next_step.judging_panel(listed(), cast.union.slug)
    assert panel.note.startswith("Đã nộp tất cả phiếu chấm.") and panel.links == [] and not panel.late
    assert next_step.judging_panel([], cast.union.slug).note == "Hiện không có bài nào cần chấm."


# The pages ------------------------------------------------------------------------------------------------------


def _panel_html(page: str) -> str:
    match = re.search(r'<section class="card card-body mb-4 next-step contests-next".*?</section>', page, re.S)
    assert match, "the page has a next-step panel"
    assert "{#" not in match.group(0) and "{%" not in match.group(0)
    return match.group(0)


def test_the_entry_page_and_the_submission_confirm_what_comes_next(cast, client_for):
    later = timezone.now() + datetime.timedelta(days=20)
    ed = f.open_edition(cast, registration_closes_at=later, submission_deadline=later)
    entry = f.draft(cast, ed, now=timezone.now())
    f.add_files(cast, entry)
    client = client_for(cast.entrant)
    url = reverse("contests:entry", args=[cast.union.slug, entry.pk])
    panel = _panel_html(client.get(url).content.decode())
    assert f'action="/{cast.union.slug}/app/contests/entries/{entry.pk}/submit/"' in panel
    assert "Hồ sơ đã đủ và có thể nộp" in panel and "Hạn nộp:" in panel
    page = client.post(reverse("contests:entry_submit", args=[cast.union.slug, entry.pk]), follow=True)
    text = page.content.decode()
    assert "Đã xong «Nộp bài dự thi» — ST9-001." in text
    assert "Bước tiếp theo: Ban Tổ chức kiểm tra hồ sơ." in text
    # staff act from their own sections: no entrant's panel
    assert "contests-next" not in client_for(cast.staff).get(url).content.decode()


def test_the_sheet_page_and_its_confirmations(cast, judges, seats, client_for):
    one, two = seats
    client = client_for(judges[0].person.user)
    url = reverse("contests:sheet", args=[cast.union.slug, one.pk])
    panel = _panel_html(client.get(url).content.decode())
    assert "Hạn: 30/06/2022" in panel and f'action="/{cast.union.slug}/app/contests/judging/{one.pk}/recuse/"' in panel
    criteria = {c.code: c.pk for c in one.round.criteria.all()}
    points = {f"points_{criteria['TM']}": "20", f"points_{criteria['UD']}": "25", f"points_{criteria['HQ']}": "28"}
    page = client.post(url, {**points, "version": one.version, "save": "1"}, follow=True).content.decode()
    assert f"Đã xong «Lưu nháp» — {one.entry.number}. Bước tiếp theo: nộp phiếu chấm, hạn 30/06/2022." in page
    page = client.post(url, {**points, "version": one.version + 1, "submit": "1"}, follow=True).content.decode()
    assert f"Đã xong «Nộp phiếu chấm» — {one.entry.number}. Phiếu chấm đã khóa." in page
    assert f"Bước tiếp theo: chấm bài {two.entry.number}, hạn 30/06/2022." in page
    recuse = reverse("contests:recuse", args=[cast.union.slug, two.pk])
    page = client.post(recuse, {"reason": "Đã góp ý cho nhóm tác giả"}, follow=True).content.decode()
    assert f"Đã xong «Xin rút khỏi bài này» — {two.entry.number}." in page
