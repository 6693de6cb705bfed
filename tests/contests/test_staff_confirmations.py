"""Staff's confirmations in the contests name what was done to which entry, jury or round, in words, and what
comes next for staff (next_step.done_message): after screening, how many entries of the edition still wait; after
seating judges, the seats to confirm; after closing a round, the next round or the awards."""

import datetime

import pytest
from django.urls import reverse

from lienhiep.contests import judging
from lienhiep.contests.models import Assignment, Edition

from . import factories as f

pytestmark = pytest.mark.django_db


def url(name, cast, *args):
    return reverse(f"contests:{name}", args=[cast.union.slug, *args])


def said(response) -> str:
    """The confirmation the page after the step shows (the last success message)."""
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"] if m.level_tag == "success"][-1]


def test_screening_names_the_decision_and_the_entries_still_waiting(cast, client_for):
    ed = f.open_edition(cast)
    one = f.submitted(cast, ed, "Máy tách hạt cà phê cải tiến")
    two = f.submitted(cast, ed, "Bếp đun tiết kiệm củi")
    staff = client_for(cast.staff)
    text = said(staff.post(url("entry_screen", cast, one.pk), {"decision": "accept", "note": ""}, follow=True))
    assert text == (
        f"Đã xong «Tiếp nhận để chấm» — {one.number}. Tác giả đã được báo qua thư điện tử. "
        "Bước tiếp theo: xét hồ sơ các bài dự thi ST9 còn chờ (1 bài)."
    )
    text = said(
        staff.post(
            url("entry_screen", cast, two.pk),
            {"decision": "return", "note": "Bổ sung xác nhận của HTX", "until": "2022-06-30T17:00:00"},
            follow=True,
        )
    )
    assert text == (
        f"Đã xong «Trả lại để bổ sung» — {two.number}. Tác giả đã được báo qua thư điện tử. "
        "Bài được bổ sung đến 17:00:00 30/06/2022. Không còn bài dự thi ST9 nào chờ xét hồ sơ."
    )


def test_reopening_says_until_when_the_entrant_may_change_it(cast, client_for):
    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    response = client_for(cast.staff).post(
        url("entry_reopen", cast, entry.pk), {"reason": "Thiếu chữ ký", "until": "2022-07-01T08:00:00"}, follow=True
    )
    assert said(response) == (
        f"Đã xong «Mở lại để sửa» — {entry.number}. "
        "Bước tiếp theo: tác giả bổ sung và nộp lại bài trước 08:00:00 01/07/2022."
    )


def judging_started(cast, rounds: int = 1):
    ed = f.open_edition(cast, rounds=rounds)
    one = f.accepted(cast, ed, "Máy tách hạt cà phê cải tiến")
    two = f.accepted(cast, ed, "Bếp đun tiết kiệm củi", people=f.authors(("A Thiêng", 100)))
    ed.start_judging()
    ed.save()
    return ed, ed.rounds.order_by("order").first(), one, two


def test_juries_and_seats_name_the_judges_entries_and_the_seats_left_to_confirm(cast, client_for, judges):
    ed, r, one, two = judging_started(cast)
    staff, field = client_for(cast.staff), f.field(ed)
    response = staff.post(
        url("jury_set", cast, r.pk, field.pk), {f"jury{field.pk}-experts": [j.pk for j in judges]}, follow=True
    )
    text = said(response)
    assert text.startswith("Đã xong «Lưu ban giám khảo» — ban giám khảo lĩnh vực Cơ khí, tự động hóa, vòng Chung khảo")
    assert all(j.person.name in text for j in judges)
    assert text.endswith("Bước tiếp theo: đề xuất giám khảo cho vòng Chung khảo (ST9).")
    text = said(staff.post(url("judge_place", cast, r.pk), {"entry": one.pk, "expert": judges[0].pk}, follow=True))
    assert text == (
        f"Đã xong «Phân công giám khảo» — {one.number}. Hà Văn Một chấm bài {one.number} ở vòng Chung khảo (ST9). "
        "Bước tiếp theo: xác nhận các lượt chấm đề xuất của vòng Chung khảo (ST9) (1 lượt)."
    )
    seat = Assignment.objects.get(round=r, entry=one)
    text = said(staff.post(url("judge_remove", cast, seat.pk), follow=True))
    assert text == (
        f"Đã xong «Bỏ giám khảo khỏi bài» — {one.number}. Hà Văn Một không còn chấm bài {one.number}. "
        "Bước tiếp theo: đề xuất giám khảo cho vòng Chung khảo (ST9)."
    )
    # the round page says what each button does
    assert "Phân công giám khảo</button>" in staff.get(url("round", cast, r.pk)).content.decode()


def score_round(cast, r, entries, judges):
    for entry in entries:
        seats = [f.seat(cast, f.fresh(entry), j, confirm=False) for j in judges[:2]]
        judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
        for seat in seats:
            f.score(f.fresh(seat), 30, 32, 32)


def test_closing_a_round_names_the_next_round_or_the_awards(cast, client_for, judges):
    ed, first, one, two = judging_started(cast, rounds=2)
    score_round(cast, first, [one, two], judges)
    staff = client_for(cast.staff)
    text = said(staff.post(url("round_close", cast, first.pk), follow=True))
    assert text == (
        "Đã xong «Kết thúc vòng» — Sơ khảo (ST9). Số bài vào vòng Chung khảo: 2. "
        "Bước tiếp theo: lập ban giám khảo vòng Chung khảo (ST9) và đề xuất giám khảo."
    )
    final = ed.rounds.get(order=2)
    score_round(cast, final, [one, two], judges)
    text = said(staff.post(url("round_close", cast, final.pk), follow=True))
    assert text == (
        "Đã xong «Kết thúc vòng» — Chung khảo (ST9). Đây là vòng cuối của ST9. "
        "Bước tiếp theo: «Kết thúc chấm: xét kết quả» trên trang của ST9, rồi đề xuất giải thưởng."
    )


def test_changing_an_award_names_the_entry_and_the_award_now(cast, client_for, judges):
    ed, r, one, two = judging_started(cast)
    score_round(cast, r, [one, two], judges)
    staff = client_for(cast.staff)
    staff.post(url("edition_move", cast, ed.pk, "start_review"))
    assert Edition.objects.get(pk=ed.pk).status == Edition.Status.REVIEW
    staff.post(url("awards_apply", cast, ed.pk), {"basis": "raw"})
    award = f.fresh(two).award
    response = staff.post(
        url("award_adjust", cast, award.pk),
        {"tier": ed.tiers.get(name="Giải Ba").pk, "reason": "Ban giám khảo thống nhất"},
        follow=True,
    )
    assert said(response) == (
        f"Đã xong «Điều chỉnh giải» — {two.number}. Giải hiện nay: Giải Ba; lý do được lưu lại. "
        "Bước tiếp theo: lãnh đạo phê duyệt giải thưởng của ST9."
    )
    response = staff.post(url("award_adjust", cast, award.pk), {"tier": "", "reason": "Trùng giải pháp"}, follow=True)
    assert "Giải hiện nay: Không có giải;" in said(response)
