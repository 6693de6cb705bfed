"""Entries: registration, authors and shares, youth eligibility by age at the cut-off date, the deadline to the
last second (server time), completeness, receipt, screening and reopening."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lienhiep.contests import services
from lienhiep.contests.models import Edition, Entry
from lienhiep.contests.services import ContributorData, age_on
from lienhiep.core.models import ActivityLog, Person

from . import factories as f

pytestmark = pytest.mark.django_db


def test_age_in_full_years_on_the_cut_off_day():
    cutoff = datetime.date(2022, 6, 15)
    assert age_on(datetime.date(2004, 6, 15), cutoff) == 18  # birthday on the day counts
    assert age_on(datetime.date(2004, 6, 16), cutoff) == 17
    assert age_on(datetime.date(2016, 2, 29), datetime.date(2022, 2, 28)) == 5
    assert age_on(datetime.date(2016, 2, 29), datetime.date(2022, 3, 1)) == 6


def test_shares_must_sum_to_one_hundred(cast):
    ed = f.open_edition(cast)
    with pytest.raises(ValidationError) as error:
        f.draft(cast, ed, people=f.authors(("Đinh Văn Khang", 60), ("Y Hạnh", 30)))
    assert "100%" in " ".join(error.value.messages) and "90" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        f.draft(cast, ed, people=[ContributorData(name="Đinh Văn Khang", share=None)])
    entry = f.draft(cast, ed, people=f.authors(("Đinh Văn Khang", "33.34"), ("Y Hạnh", "33.33"), ("A Tuấn", "33.33")))
    assert sum(c.share for c in entry.contributors.all()) == Decimal(100)
    assert not Entry.objects.filter(title="x").exists()


def test_team_size_is_the_editions(cast):
    ed = f.open_edition(cast, max_team=2)
    with pytest.raises(ValidationError) as error:
        f.draft(cast, ed, people=f.authors(("Đinh Văn Khang", 40), ("Y Hạnh", 30), ("A Tuấn", 30)))
    assert "2" in error.value.messages[0]


def test_youth_eligibility_by_age_at_the_cut_off_date(cast):
    ed = f.open_edition(cast, kind=Edition.Kind.YOUTH, code="TN14")
    # 18 on the cut-off day (born 15/6/2004): in; 19 on that day (born 15/6/2003): out
    entry = f.draft(cast, ed, people=f.authors(("Đinh Thị Mai", 100, datetime.date(2004, 6, 15))))
    assert entry.age_group.name == "Bảng C"
    with pytest.raises(ValidationError) as error:
        f.draft(cast, ed, people=f.authors(("Đinh Văn Nam", 100, datetime.date(2003, 6, 15))))
    assert "19" in error.value.messages[0] and "15/06/2022" in error.value.messages[0]
    with pytest.raises(ValidationError):  # 5 years old: too young
        f.draft(cast, ed, people=f.authors(("Y Ngọc", 100, datetime.date(2016, 6, 16))))
    with pytest.raises(ValidationError):  # birth date is required in the youth contest
        f.draft(cast, ed, people=f.authors(("Y Ngọc", 100)))
    # the team's age group is that of its oldest author
    team = f.draft(
        cast,
        ed,
        people=f.authors(("A Sang", 50, datetime.date(2012, 1, 1)), ("Y Lan", 50, datetime.date(2009, 9, 1))),
    )
    assert team.age_group.name == "Bảng B"


def test_a_mentor_cannot_also_be_an_author(cast):
    ed = f.open_edition(cast, kind=Edition.Kind.YOUTH, code="TN14")
    people = f.authors(("Y Lan", 100, datetime.date(2010, 1, 1))) + [ContributorData(name="Y Lan", role="mentor")]
    with pytest.raises(ValidationError):
        f.draft(cast, ed, people=people)


def test_the_deadline_is_kept_to_the_last_second(cast):
    ed = f.open_edition(cast)
    on_time = f.draft(cast, ed, "Giải pháp nộp đúng giây cuối")
    f.add_files(cast, on_time)
    late = f.draft(cast, ed, "Giải pháp nộp muộn một giây")
    f.add_files(cast, late)
    services.submit_entry(actor=cast.entrant, entry=on_time, now=f.DEADLINE)
    with pytest.raises(ValidationError) as error:
        services.submit_entry(actor=cast.entrant, entry=late, now=f.DEADLINE + datetime.timedelta(seconds=1))
    assert "23:59:59 15/06/2022" in error.value.messages[0]
    on_time = f.fresh(on_time)
    late = f.fresh(late)
    assert on_time.status == Entry.Status.SUBMITTED and on_time.number == "ST9-001"
    assert late.status == Entry.Status.DRAFT and late.number == ""


def test_the_server_clock_decides_when_no_time_is_given(cast):
    ed = f.open_edition(cast)  # its deadline (2022) is long past on the server's clock
    entry = f.draft(cast, ed)
    f.add_files(cast, entry)
    with pytest.raises(ValidationError):
        services.submit_entry(actor=cast.entrant, entry=entry)


def test_completeness_against_the_required_items_and_receipt(cast):
    ed = f.open_edition(cast)
    entry = f.draft(cast, ed)
    with pytest.raises(ValidationError) as error:
        services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 1, 8, 0, 0))
    assert "Phiếu đăng ký" in " ".join(error.value.messages)
    f.add_files(cast, entry)
    entry = services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 1, 8, 0, 0))
    assert entry.number == "ST9-001"
    second = f.submitted(cast, ed, "Hệ thống tưới nhỏ giọt cho cà phê")
    assert second.number == "ST9-002"


def test_youth_entries_need_school_and_guiding_teacher(cast):
    ed = f.open_edition(cast, kind=Edition.Kind.YOUTH, code="TN14")
    entry = f.draft(cast, ed, people=f.authors(("Y Lan", 100, datetime.date(2010, 1, 1))))
    f.add_files(cast, entry)
    missing = services.completeness(entry)
    assert any("trường" in m.lower() or "school" in m.lower() for m in missing)
    assert len(missing) == 2


def test_no_edits_after_submission_until_staff_reopen_with_a_reason(cast):
    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    with pytest.raises(ValidationError):
        f_entry = Entry.objects.get(pk=entry.pk)
        f_entry.title = "Đổi tên sau hạn"
        services.save_entry(actor=cast.entrant, entry=f_entry, people=f.authors(("Đinh Văn Khang", 100)))
    with pytest.raises(ValidationError):
        services.reopen_entry(actor=cast.staff, entry=entry, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reopen_entry(actor=cast.entrant, entry=entry, reason="tự mở lại")
    entry = services.reopen_entry(
        actor=cast.staff,
        entry=entry,
        reason="Bổ sung xác nhận của đơn vị áp dụng",
        until=f.aware(2022, 6, 30, 17, 0, 0),
    )
    assert entry.status == Entry.Status.DRAFT
    entry = services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 30, 16, 0, 0))
    assert entry.number == "ST9-001"  # the same number


def test_screening_accept_return_reject_with_what_the_entrant_sees(cast):
    ed = f.open_edition(cast)
    one, two, three = (f.submitted(cast, ed, t) for t in ("Máy sấy", "Máy tuốt lúa", "Bếp đun tiết kiệm"))
    mail.outbox.clear()
    services.screen_entry(actor=cast.staff, entry=one, decision="accept")
    with pytest.raises(ValidationError):
        services.screen_entry(actor=cast.staff, entry=two, decision="return", note="")
    services.screen_entry(actor=cast.staff, entry=two, decision="return", note="Thiếu xác nhận áp dụng")
    services.screen_entry(actor=cast.staff, entry=three, decision="reject", note="Giải pháp chưa được áp dụng")
    two = f.fresh(two)
    three = f.fresh(three)
    assert two.status == Entry.Status.RETURNED and two.is_editable and two.screening_note == "Thiếu xác nhận áp dụng"
    assert three.status == Entry.Status.REJECTED and three.screening_note == "Giải pháp chưa được áp dụng"
    with pytest.raises(PermissionDenied):
        services.screen_entry(actor=cast.entrant, entry=one, decision="reject", note="x")
    with pytest.raises(PermissionDenied):
        services.screen_entry(actor=cast.leader, entry=one, decision="reject", note="x")


def test_staff_register_a_paper_dossier_for_an_entrant(cast):
    ed = f.open_edition(cast)
    entry = f.draft(cast, ed, owner=cast.staff, people=f.authors(("A Thiêng", 100)))
    assert entry.on_paper
    assert Person.objects.filter(union=cast.union, name="A Thiêng").exists()
    f.add_files(cast, entry, actor=cast.staff)


def test_an_entrant_cannot_touch_anothers_entry(cast):
    from tests.conftest import make_user

    ed = f.open_edition(cast)
    other = make_user("entrant2", "Y Hoa", "entrant", cast.union)
    entry = f.draft(cast, ed)
    with pytest.raises(PermissionDenied):
        services.submit_entry(actor=other, entry=entry, now=f.aware(2022, 6, 1, 8, 0, 0))
    before = ActivityLog.objects.count()
    with pytest.raises(PermissionDenied):
        services.add_entry_file(actor=other, entry=entry, item=ed.dossier_items.first(), url="https://x.test")
    assert ActivityLog.objects.count() == before


def test_registration_closed_refuses_entrants_not_staff(cast):
    ed = f.edition(cast)  # still a draft edition
    with pytest.raises(ValidationError):
        f.draft(cast, ed)
    ed.open()
    ed.save()
    with pytest.raises(ValidationError):
        f.draft(cast, ed, now=f.aware(2022, 2, 28, 23, 0, 0))
    f.draft(cast, ed, owner=cast.staff, now=f.aware(2022, 7, 1, 8, 0, 0))  # staff may always enter paper dossiers


def test_the_same_registry_person_is_reused(cast):
    ed = f.open_edition(cast)
    f.draft(cast, ed, people=f.authors(("Nguyễn Văn An", 100)))
    assert Person.objects.filter(union=cast.union, name="Nguyễn Văn An").count() == 1  # the cast's person


def test_a_paper_dossier_counts_from_when_it_was_received(cast):
    ed = f.open_edition(cast)
    entry = f.draft(cast, ed, owner=cast.staff, people=f.authors(("A Thiêng", 100)), now=f.aware(2022, 6, 20, 8, 0, 0))
    f.add_files(cast, entry, actor=cast.staff)
    typed_in = f.aware(2022, 6, 20, 9, 0, 0)  # five days after the deadline
    with pytest.raises(ValidationError):
        services.submit_entry(actor=cast.staff, entry=entry, now=typed_in)
    with pytest.raises(ValidationError):  # received after the deadline: still late
        services.submit_entry(
            actor=cast.staff, entry=entry, now=typed_in, received_at=f.DEADLINE + datetime.timedelta(seconds=1)
        )
    with pytest.raises(ValidationError):  # not in the future
        services.submit_entry(
            actor=cast.staff, entry=entry, now=typed_in, received_at=typed_in + datetime.timedelta(hours=1)
        )
    entry = services.submit_entry(actor=cast.staff, entry=entry, now=typed_in, received_at=f.DEADLINE)
    assert entry.status == Entry.Status.SUBMITTED and entry.submitted_at == f.DEADLINE
    own = f.draft(cast, ed, "Bài của thí sinh")
    f.add_files(cast, own)
    with pytest.raises(PermissionDenied):  # only staff, only for paper dossiers
        services.submit_entry(actor=cast.entrant, entry=own, now=f.aware(2022, 6, 1, 8, 0, 0), received_at=f.DEADLINE)


def test_an_entrant_sees_the_entries_they_registered_or_are_named_on_and_no_other(cast):
    from lienhiep.contests.queries import entries_for
    from tests.conftest import make_user

    ed = f.open_edition(cast)
    coauthor = make_user("dongtacgia", "Y Hạnh", "entrant", cast.union)
    named = Person.objects.create(union=cast.union, name="Y Hạnh", user=coauthor)
    people = [
        ContributorData(name="Đinh Văn Khang", share=Decimal(60)),
        ContributorData(name="Y Hạnh", share=Decimal(40), person=named),
    ]
    together = f.draft(cast, ed, "Máy tách hạt cà phê cải tiến", people=people)
    alone = f.draft(cast, ed, "Bếp đun tiết kiệm củi")
    theirs = f.draft(cast, ed, "Giống cà phê vối ghép", owner=coauthor, people=f.authors(("Y Hạnh", 100)))
    stranger = make_user("nguoila", "Lê Văn Lạ", "entrant", cast.union)

    assert set(entries_for(cast.entrant, cast.union)) == {together, alone}
    assert list(entries_for(coauthor, cast.union).order_by("pk")) == [together, theirs]  # each once, no duplicate
    assert not entries_for(stranger, cast.union).exists()
    assert entries_for(cast.staff, cast.union).count() == 3
