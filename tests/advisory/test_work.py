"""Reviews (due dates, late marks, reminders), comments, the meeting (quorum, votes), the implementation checks and
their weighted roll-up."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from lienhiep.advisory import services_work
from lienhiep.advisory.models import AssessmentEntry, Review, ReviewReminder, Status
from lienhiep.advisory.queries import implementation_rollup, recommendations_with_latest
from lienhiep.advisory.reminders import send_reminders
from lienhiep.advisory.services_work import AgendaLine
from lienhiep.advisory.tasks import send_advisory_reminders

from . import factories as f

DUE = f.DAY + datetime.timedelta(days=20)  # the journey's reviews are due then


@pytest.fixture
def reviewing(cast):
    return f.journey(cast, until=Status.REVIEWING)


@pytest.mark.django_db
def test_reviews_are_due_and_late_marks_follow(cast, reviewing):
    reviews = {r.seat.expert.person.name: r for r in reviewing.case.reviews.select_related("seat__expert__person")}
    assert set(reviews) == {"Hoàng Minh Đức", "Trần Thị Bình", "Lê Văn Cường"}  # the secretary writes none
    review = reviews["Trần Thị Bình"]
    assert review.due_on == DUE
    assert not review.is_late(DUE) and review.is_late(DUE + datetime.timedelta(days=1))
    services_work.save_review(
        review, actor=reviewing.reviewer_users[0], sections={"necessity": "Cần thiết."}, submit=False
    )
    with pytest.raises(ValidationError):  # no conclusions yet
        services_work.save_review(review, actor=reviewing.reviewer_users[0], sections={}, submit=True)
    with pytest.raises(PermissionDenied):  # nobody writes another member's review
        services_work.save_review(review, actor=reviewing.reviewer_users[1], sections={"conclusions": "x"})
    review.refresh_from_db()
    services_work.save_review(review, actor=reviewing.reviewer_users[0], sections={"conclusions": "Đạt."}, submit=True)
    review.refresh_from_db()
    assert review.is_submitted and review.necessity == "Cần thiết."
    assert review.is_late()  # submitted today, long after its 2022 due date
    with pytest.raises(ValidationError):  # final once submitted
        services_work.save_review(review, actor=reviewing.reviewer_users[0], sections={"conclusions": "Khác."})
    services_work.reopen_review(review, actor=cast.staff)
    review.refresh_from_db()
    assert review.state == Review.State.DRAFT and review.submitted_at is None


@pytest.mark.django_db
def test_a_paper_review_typed_in_by_staff_is_dated_when_it_arrived(cast, reviewing):
    review = reviewing.case.reviews.get(seat__expert=reviewing.chair)
    services_work.record_paper_review(
        review, actor=cast.staff, sections={"conclusions": "Đồng ý."}, day=DUE + datetime.timedelta(days=2)
    )
    review.refresh_from_db()
    assert review.is_submitted and review.is_late()
    assert review.seat.engagement.completed_on == DUE + datetime.timedelta(days=2)
    assert review.seat.engagement.on_time is False
    with pytest.raises(PermissionDenied):
        services_work.record_paper_review(review, actor=reviewing.reviewer_users[0], sections={})


@pytest.mark.django_db
def test_reminders_go_before_and_after_the_due_date_once_a_day(cast, reviewing, django_capture_on_commit_callbacks):
    services_work.save_review(
        reviewing.case.reviews.get(seat__expert=reviewing.reviewers[0]),
        actor=reviewing.reviewer_users[0],
        sections={"conclusions": "Đạt."},
        submit=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(DUE - datetime.timedelta(days=3)) == 2  # the chair and Lê Văn Cường
        assert send_reminders(DUE - datetime.timedelta(days=3)) == 0  # nothing twice a day
        assert send_reminders(DUE - datetime.timedelta(days=2)) == 0  # no reminder planned that day
        assert send_reminders(DUE - datetime.timedelta(days=1)) == 2
        assert send_reminders(DUE) == 0
        assert send_reminders(DUE + datetime.timedelta(days=1)) == 2  # late
        assert send_reminders(DUE + datetime.timedelta(days=8)) == 2  # a week later
    assert len(mail.outbox) == 8
    assert sorted({m.to[0] for m in mail.outbox}) == ["cuong@example.test", "duc@example.test"]
    assert "Nhắc việc" in mail.outbox[0].subject and "PB-01/2022" in mail.outbox[0].subject
    assert any(m.subject.startswith("Trễ hạn") for m in mail.outbox)
    assert ReviewReminder.objects.filter(late=True).count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_runs_in_the_database_worker(cast, settings):
    reviewing = f.journey(cast, until=Status.REVIEWING)
    assert reviewing.case.reviews.count() == 3
    mail.outbox.clear()  # the journey's own mail
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    result = send_advisory_reminders.enqueue((DUE + datetime.timedelta(days=1)).isoformat())
    assert not mail.outbox
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL" and stored.return_value == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_daily_command_enqueues_the_task(settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    call_command("advisory_reminders", day="2022-03-22")
    stored = DBTaskResult.objects.get(id=capsys.readouterr().out.strip())
    assert stored.task_path.endswith("send_advisory_reminders") and stored.args_kwargs["args"] == ["2022-03-22"]


@pytest.mark.django_db
def test_comments_belong_to_members_and_to_the_case(cast, reviewing):
    other = f.journey(cast, until=Status.RECEIVED).case
    paragraph = reviewing.case.paragraphs.first()
    with pytest.raises(PermissionDenied):
        services_work.add_comment(reviewing.case, actor=cast.agency_rep, paragraph=paragraph, text="x")
    with pytest.raises(PermissionDenied):  # a paragraph of another case
        services_work.add_comment(
            reviewing.case, actor=reviewing.reviewer_users[0], paragraph=other.paragraphs.first(), text="x"
        )
    with pytest.raises(ValidationError):
        services_work.add_comment(reviewing.case, actor=reviewing.reviewer_users[0], paragraph=paragraph, text=" ")
    comment = services_work.add_comment(
        reviewing.case, actor=reviewing.reviewer_users[0], paragraph=paragraph, text="Sửa tên đề án."
    )
    with pytest.raises(PermissionDenied):
        services_work.delete_comment(comment, actor=reviewing.reviewer_users[1])
    services_work.delete_comment(comment, actor=reviewing.reviewer_users[0])
    assert not reviewing.case.comments.exists()


@pytest.mark.django_db
def test_the_meeting_checks_quorum_and_votes(cast, reviewing):
    seats = list(reviewing.case.seats.all())
    agenda = [
        AgendaLine("Ý kiến của các ủy viên phản biện", "Hai ủy viên trình bày."),
        AgendaLine("Biểu quyết thông qua dự thảo báo cáo", votes_for=3, votes_against=0, votes_abstain=0),
    ]
    with pytest.raises(ValidationError) as error:
        services_work.save_meeting(
            reviewing.case,
            actor=cast.staff,
            held_on=DUE,
            place="Hội trường Liên hiệp hội",
            quorum_percent=50,
            present=seats[:2],
            conclusion="",
            agenda=agenda,
        )
    assert "3 phiếu nhưng chỉ 2 thành viên có mặt" in error.value.messages[0]
    meeting = services_work.save_meeting(
        reviewing.case,
        actor=cast.expert,  # the secretary keeps the minutes
        held_on=DUE,
        place="Hội trường Liên hiệp hội",
        quorum_percent=50,
        present=seats[:3],
        conclusion="Thống nhất kiến nghị.",
        agenda=agenda,
    )
    quorum = services_work.quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.met) == (3, 4, True)
    items = list(meeting.items.all())
    assert items[1].passed(quorum.present) is True and items[0].passed(quorum.present) is None
    meeting = services_work.save_meeting(
        reviewing.case,
        actor=cast.staff,
        held_on=DUE,
        place="",
        quorum_percent=50,
        present=seats[:2],
        conclusion="",
        agenda=agenda[:1],
    )
    assert not services_work.quorum_of(meeting).met  # two of four is not more than half
    with pytest.raises(PermissionDenied):
        services_work.save_meeting(
            reviewing.case,
            actor=reviewing.reviewer_users[0],
            held_on=DUE,
            place="",
            quorum_percent=50,
            present=[],
            conclusion="",
            agenda=agenda,
        )


@pytest.mark.django_db
def test_implementation_checks_roll_up_by_priority(cast):
    j = f.journey(cast, until=Status.ANSWERED)
    high, medium, low = j.case.recommendations.order_by("number")  # not accepted: low
    day = j.case.sent_on + datetime.timedelta(days=200)
    with pytest.raises(ValidationError) as error:
        services_work.record_assessment(high, actor=cast.staff, checked_on=day, percent=60, status="done")
    assert error.value.messages == ["Kiến nghị đã thực hiện có tiến độ 100%."]
    with pytest.raises(ValidationError):
        services_work.record_assessment(
            high,
            actor=cast.staff,
            checked_on=j.case.sent_on - datetime.timedelta(days=1),
            percent=0,
            status="not_started",
        )
    with pytest.raises(PermissionDenied):
        services_work.record_assessment(high, actor=cast.agency_rep, checked_on=day, percent=10, status="in_progress")
    services_work.record_assessment(high, actor=cast.staff, checked_on=day, percent=40, status="in_progress")
    services_work.record_assessment(
        high, actor=cast.staff, checked_on=day + datetime.timedelta(days=30), percent=100, status="done"
    )
    services_work.record_assessment(medium, actor=cast.staff, checked_on=day, percent=50, status="in_progress")
    services_work.record_assessment(low, actor=cast.staff, checked_on=day, percent=0, status="not_started")
    assert j.refresh().status == Status.ASSESSED
    recs = recommendations_with_latest(j.case)
    assert [r.latest.percent for r in recs] == [100, 50, 0]
    rollup = implementation_rollup(recs)
    # high (weight 3) at 100 %, medium (2) at 50 %; the low one was not accepted and is left out: 400 / 5
    assert (rollup.percent, rollup.checked, rollup.total) == (80.0, 2, 2)
    assert AssessmentEntry.objects.count() == 4


@pytest.mark.django_db
def test_the_agency_is_reminded_to_answer(cast, django_capture_on_commit_callbacks):
    cast.agency.email = "ubnd.dakto@example.test"
    cast.agency.save()
    case = f.journey(cast, until=Status.SENT).case
    due = case.stage_due_on
    assert due == case.sent_on + datetime.timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(due - datetime.timedelta(days=3)) == 1
        assert send_reminders(due - datetime.timedelta(days=3)) == 0
        assert send_reminders(due + datetime.timedelta(days=1)) == 1
    assert [sorted(m.to) for m in mail.outbox] == [["rep@example.test", "ubnd.dakto@example.test"]] * 2
    assert "trả lời kiến nghị" in mail.outbox[0].subject and mail.outbox[1].subject.startswith("Trễ hạn")
    services_work.answer_recommendations(
        case, actor=cast.agency_rep, answers={r.pk: ("accepted", "") for r in case.recommendations.all()}
    )
    services_work.finish_answers(case, actor=cast.agency_rep)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(due + datetime.timedelta(days=8)) == 0  # answered: nothing more


@pytest.mark.django_db
def test_the_meeting_times_are_typed_on_the_24_hour_clock(cast, reviewing):
    """Like every time in the interface: «8h30» is read as 08:30 and shown so; «8:30 PM» is refused in Vietnamese
    and stays in the box as typed."""
    from lienhiep.advisory.forms import MeetingForm

    data = {"held_on": DUE.strftime("%d/%m/%Y"), "quorum_percent": "50", "starts_at": "8h30", "ends_at": "11:30"}
    form = MeetingForm(data, case=reviewing.case)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]) == (
        datetime.time(8, 30),
        datetime.time(11, 30),
    )
    form = MeetingForm({**data, "starts_at": "8:30 PM"}, case=reviewing.case)
    assert not form.is_valid()
    assert "24 giờ" in form.errors["starts_at"][0]
    assert 'value="8:30 PM"' in str(form["starts_at"])
    assert 'type="time"' not in str(MeetingForm(case=reviewing.case)["starts_at"])
