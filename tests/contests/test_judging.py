"""Judging: the engine seats N judges per entry from the field's jury with conflicts excluded and load limits
kept; staff adjust and confirm (engagements); blind score sheets within range, drafts, submit → locked;
recusal with a reason and reassignment; a judge sees others' totals only after submitting."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lienhiep.contests import editions, judging
from lienhiep.contests.models import Assignment, Round
from lienhiep.core.models import Agency
from lienhiep.experts.models import DeclaredConflict, Engagement, Relation

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast, judges):
    ed = f.open_edition(cast)
    one = f.accepted(cast, ed, "Máy tách hạt cà phê cải tiến")
    two = f.accepted(cast, ed, "Máy sấy cà phê bằng năng lượng mặt trời")
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed), experts=judges)
    return ed, r, one, two


def test_the_engine_seats_n_judges_per_entry_without_conflicts(cast, judges, setup):
    ed, r, one, two = setup
    # Judge 1 is the entrant's relative; judge 2 works where the entrant works (set on the author's person)
    author = one.contributors.get().person
    Relation.objects.create(union=cast.union, person=judges[0].person, other=author, kind=Relation.Kind.RELATIVE)
    school = Agency.objects.create(union=cast.union, name="Trường THPT Đăk Tô", kind=Agency.Kind.SCHOOL)
    author.agency = school
    author.save()
    judges[1].person.agency = school
    judges[1].person.save()
    problems = judging.propose_judges(actor=cast.staff, round=r)
    seats = {(a.entry_id, a.expert_id) for a in Assignment.objects.filter(round=r)}
    # both entries share the author: only judge 3 is free of conflicts
    assert seats == {(one.pk, judges[2].pk), (two.pk, judges[2].pk)}
    assert {p.item_key for p in problems} == {one.pk, two.pk}
    assert {p.code for p in problems} == {"conflicts"}
    with pytest.raises(ValidationError) as error:
        judging.place_judge(actor=cast.staff, round=r, entry=one, expert=judges[0])
    assert "Relative" in error.value.messages[0] or "Người thân" in error.value.messages[0]


def test_load_limits_are_kept(cast, judges, setup):
    ed, r, one, two = setup
    Round.objects.filter(pk=r.pk).update(max_load=1, judges_per_entry=1)
    r = Round.objects.get(pk=r.pk)
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed), experts=judges[:1])
    problems = judging.propose_judges(actor=cast.staff, round=r)
    assert Assignment.objects.filter(round=r).count() == 1
    assert [p.code for p in problems] == ["load_exhausted"]
    missing = two if Assignment.objects.filter(entry=one).exists() else one
    with pytest.raises(ValidationError):
        judging.place_judge(actor=cast.staff, round=r, entry=missing, expert=judges[0])


def test_confirmation_records_engagements_and_opens_the_round(cast, judges, setup):
    ed, r, one, two = setup
    judging.propose_judges(actor=cast.staff, round=r)
    assert Assignment.objects.filter(round=r, status="proposed").count() == 4
    proposed = Assignment.objects.filter(round=r).first()
    judging.remove_judge(actor=cast.staff, assignment=proposed)
    judging.place_judge(actor=cast.staff, round=r, entry=proposed.entry, expert=proposed.expert)
    n = judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    assert n == 4
    assert Engagement.objects.filter(union=cast.union, role__startswith="Giám khảo").count() == 4
    assert Round.objects.get(pk=r.pk).status == Round.Status.OPEN
    with pytest.raises(PermissionDenied):
        judging.propose_judges(actor=cast.leader, round=r)


def seated(cast, judges, setup):
    ed, r, one, two = setup
    a1 = f.seat(cast, one, judges[0], confirm=False)
    a2 = f.seat(cast, one, judges[1])
    return f.fresh(a1), f.fresh(a2)


def test_score_range_drafts_submit_and_lock(cast, judges, setup):
    a1, a2 = seated(cast, judges, setup)
    crit = {c.code: c for c in a1.round.criteria.all()}
    user = judges[0].person.user
    with pytest.raises(ValidationError) as error:
        judging.save_scores(actor=user, assignment=a1, points={crit["TM"].pk: "31"}, comments={})
    assert "30" in error.value.messages[0]
    with pytest.raises(ValidationError):
        judging.save_scores(actor=user, assignment=a1, points={crit["TM"].pk: "-1"}, comments={})
    with pytest.raises(ValidationError):
        judging.save_scores(actor=user, assignment=a1, points={crit["TM"].pk: "abc"}, comments={})
    # a draft may be partial
    judging.save_scores(actor=user, assignment=a1, points={crit["TM"].pk: "25,5"}, comments={crit["TM"].pk: "Mới"})
    assert a1.scores.get().points == Decimal("25.5")
    with pytest.raises(ValidationError):  # submitting needs every criterion
        judging.save_scores(actor=user, assignment=a1, points={crit["TM"].pk: "25"}, comments={}, submit=True)
    points = {crit["TM"].pk: "25", crit["UD"].pk: "30", crit["HQ"].pk: "30"}
    judging.save_scores(actor=user, assignment=a1, points=points, comments={}, submit=True)
    a1 = f.fresh(a1)
    assert a1.status == Assignment.Status.SUBMITTED and a1.is_locked
    assert judging.total_of(a1) == Decimal(85)
    assert Engagement.objects.get(pk=a1.engagement_id).completed_on is not None
    with pytest.raises(ValidationError):  # locked
        judging.save_scores(actor=user, assignment=a1, points=points, comments={})
    with pytest.raises(PermissionDenied):  # another judge cannot write on this sheet
        judging.save_scores(actor=judges[1].person.user, assignment=a1, points=points, comments={})
    with pytest.raises(PermissionDenied):  # nor staff (paper sheets come through the import)
        judging.save_scores(actor=cast.staff, assignment=a2, points=points, comments={})


def test_blind_scoring_others_totals_only_after_ones_own_submission(cast, judges, setup):
    a1, a2 = seated(cast, judges, setup)
    f.score(a1, 25, 30, 30)
    assert judging.visible_sheets(f.fresh(a2)) == []  # a2 has not submitted: sees nothing
    assert judging.visible_sheets(f.fresh(a1)) == []  # a2 has nothing submitted yet
    f.score(a2, 20, 30, 25)
    seen = judging.visible_sheets(f.fresh(a2))
    assert [s["total"] for s in seen] == [Decimal(85)]
    assert "Hà Văn Một" not in str(seen)


def test_recusal_with_a_reason_reassigns_the_entry(cast, judges, setup):
    ed, r, one, two = setup
    a1, a2 = seated(cast, judges, setup)
    user = judges[0].person.user
    with pytest.raises(ValidationError):
        judging.recuse(actor=user, assignment=a1, reason=" ")
    with pytest.raises(PermissionDenied):
        judging.recuse(actor=judges[1].person.user, assignment=a1, reason="không phải của tôi")
    engagement = a1.engagement_id
    replacement = judging.recuse(actor=user, assignment=a1, reason="Tôi từng góp ý cho tác giả khi làm giải pháp")
    assert f.fresh(a1).status == Assignment.Status.RECUSED
    assert not Engagement.objects.filter(pk=engagement).exists()
    assert DeclaredConflict.objects.filter(person=judges[0].person, item_id=one.pk).exists()
    assert replacement.expert == judges[2] and replacement.status == Assignment.Status.CONFIRMED
    # the recused judge cannot be put back on the entry
    with pytest.raises(ValidationError):
        judging.place_judge(actor=cast.staff, round=r, entry=one, expert=judges[0])
    with pytest.raises(ValidationError):  # a submitted sheet cannot be withdrawn by recusing
        f.score(f.fresh(a2), 20, 20, 20)
        judging.recuse(actor=judges[1].person.user, assignment=f.fresh(a2), reason="muộn")


def test_recusal_with_no_free_judge_leaves_the_seat_for_staff(cast, judges, setup):
    ed, r, one, two = setup
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed), experts=judges[:2])
    a1, _a2 = seated(cast, judges, setup)
    assert judging.recuse(actor=judges[0].person.user, assignment=a1, reason="Người nhà tác giả") is None


def test_extra_judge_for_a_disputed_entry(cast, judges, setup):
    ed, r, one, two = setup
    a1, a2 = seated(cast, judges, setup)
    f.score(a1, 28, 33, 33)
    f.score(a2, 10, 15, 15)
    made = judging.add_extra_judge(actor=cast.staff, entry=one)
    assert made.expert == judges[2] and made.status == Assignment.Status.CONFIRMED


def test_closing_a_round_advances_by_its_rule(cast, judges):
    ed = f.open_edition(cast, rounds=2)
    entries = [f.accepted(cast, ed, f"Giải pháp {n}") for n in range(3)]
    ed.start_judging()
    ed.save()
    first = ed.rounds.get(order=1)
    Round.objects.filter(pk=first.pk).update(advance=Round.Advance.BOTH, advance_score=60, advance_count=1)
    first = Round.objects.get(pk=first.pk)
    seats = [judging.place_judge(actor=cast.staff, round=first, entry=e, expert=judges[0]) for e in entries]
    judging.confirm_judges(actor=cast.staff, round=first, today=datetime.date(2022, 6, 20))
    for seat, points in zip(seats, [(20, 20, 20), (25, 25, 25), (10, 10, 10)], strict=True):
        f.score(f.fresh(seat), *points)
    assert judging.close_round(actor=cast.staff, round=first) == 1
    assert [f.fresh(e).reached_round for e in entries] == [1, 2, 1]
    assert list(judging.entries_in_round(ed.rounds.get(order=2))) == [entries[1]]


def test_closing_refuses_with_sheets_still_open(cast, judges, setup):
    ed, r, one, two = setup
    seated(cast, judges, setup)
    with pytest.raises(ValidationError):
        judging.close_round(actor=cast.staff, round=r)


def test_overdue_judges_and_progress(cast, judges, setup):
    ed, r, one, two = setup
    Round.objects.filter(pk=r.pk).update(due_on=datetime.date(2022, 7, 1))
    a1, a2 = seated(cast, judges, setup)
    f.score(a1, 20, 20, 20)
    overdue = judging.overdue_sheets(cast.union, today=datetime.date(2022, 7, 2))
    assert [(e.pk, n) for e, n in overdue] == [(judges[1].pk, 1)]
    assert judging.overdue_sheets(cast.union, today=datetime.date(2022, 7, 1)) == []
    other = f.edition(cast, code="KHAC")
    assert judging.overdue_sheets(cast.union, today=datetime.date(2022, 7, 2), edition=other) == []
    assert len(judging.overdue_sheets(cast.union, today=datetime.date(2022, 7, 2), edition=ed)) == 1
    progress = {p["expert"].pk: (p["done"], p["total"]) for p in judging.progress_by_judge(r)}
    assert progress == {judges[0].pk: (1, 1), judges[1].pk: (0, 1)}


def test_the_staff_dashboard_names_the_late_judges_with_their_late_sheets(cast, judges, setup, client):
    ed, r, one, two = setup
    Round.objects.filter(pk=r.pk).update(due_on=datetime.date(2022, 7, 1))  # past, the round still open
    a1, a2 = seated(cast, judges, setup)
    f.score(a1, 20, 20, 20)  # the first judge's sheet is in; the second's is late
    client.force_login(cast.staff)
    html = client.get(reverse("core:dashboard", args=[cast.union.slug])).content.decode()
    assert f"Giám khảo chậm nộp phiếu: {judges[1].person.name} (1)</p>" in html
    assert judges[0].person.name not in html.split("Giám khảo chậm nộp phiếu")[1].split("</p>")[0]


def test_the_review_waits_for_every_sheet_and_closes_the_last_round(cast, judges, setup):
    from lienhiep.contests.models import Edition

    ed, r, one, two = setup
    a1, a2 = seated(cast, judges, setup)
    f.score(a1, 20, 20, 20)
    with pytest.raises(ValidationError):
        editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    f.score(a2, 25, 25, 25)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    assert Edition.objects.get(pk=ed.pk).status == Edition.Status.REVIEW
    assert Round.objects.get(pk=r.pk).status == Round.Status.CLOSED
