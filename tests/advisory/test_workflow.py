"""The case's state machine: every transition through its service (with its log row, its dates and deadlines),
every forbidden transition refused with a message, the wrong role refused, nothing half-applied."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lienhiep.advisory import services, services_council, services_work
from lienhiep.advisory.models import Case, CaseFile, Recommendation, Seat, Status
from lienhiep.core.models import ActivityLog
from lienhiep.experts.models import Engagement
from lienhiep.paperwork.models import IssuedDocument

from . import factories as f

DAY = f.DAY


def verbs(case) -> list[str]:
    return list(
        ActivityLog.objects.filter(target_id=case.pk, verb__startswith="advisory.case.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


@pytest.mark.django_db
def test_the_happy_path_through_every_stage(cast):
    j = f.journey(cast, until=Status.CLOSED)
    case = j.case
    assert case.status == Status.CLOSED
    logged = list(ActivityLog.objects.filter(verb__startswith="advisory.").values_list("verb", flat=True))
    for verb in [
        "advisory.case.received",
        "advisory.case.accepted",
        "advisory.council.submitted",
        "advisory.council.approved",
        "advisory.review.started",
        "advisory.review.submitted",
        "advisory.comment.added",
        "advisory.consolidation.started",
        "advisory.recommendation.created",
        "advisory.report.submitted",
        "advisory.report.signed",
        "advisory.report.sent",
        "advisory.answer.recorded",
        "advisory.answer.finished",
        "advisory.assessment.recorded",
        "advisory.case.closed",
    ]:
        assert verb in logged, verb
    # The register numbers the decision, the meeting's minutes, then the report, in one sequence for the year.
    issued = IssuedDocument.objects.filter(union=case.union).order_by("number")
    assert list(issued.values_list("number_symbol", "kind")) == [
        ("01/QĐ-LHH", "council_decision"),
        ("02/BB-LHH", "meeting_minutes"),
        ("03/BC-LHH", "case_report"),
    ]
    # Each seat became the expert's record of work, completed by the review (or when the report was sent).
    engagements = Engagement.objects.filter(advisory_seat__case=case)
    assert engagements.count() == 4
    assert not engagements.filter(completed_on=None).exists()
    reviewer = engagements.get(expert=j.reviewers[0])
    assert reviewer.completed_on == DAY + datetime.timedelta(days=15) and reviewer.on_time
    assert (case.accepted_on, case.sent_on, case.answered_on, case.closed_on) == (
        DAY + datetime.timedelta(days=2),
        DAY + datetime.timedelta(days=28),
        DAY + datetime.timedelta(days=40),
        DAY + datetime.timedelta(days=320),
    )
    assert case.stage_due_on is None


@pytest.mark.django_db
def test_each_stage_gets_its_deadline(cast):
    case = f.new_case(cast)
    assert case.stage_due_on == DAY + datetime.timedelta(days=7)  # intake
    services.accept_case(case, actor=cast.staff, today=DAY + datetime.timedelta(days=2))
    case.refresh_from_db()
    assert case.stage_due_on == DAY + datetime.timedelta(days=12)  # forming the council
    assert case.is_overdue(DAY + datetime.timedelta(days=13)) and not case.is_overdue(DAY + datetime.timedelta(days=12))
    sent = f.journey(cast, until=Status.SENT).case
    assert sent.stage_due_on == sent.sent_on + datetime.timedelta(days=30)  # the agency's answer


# Forbidden moves ----------------------------------------------------------------------------------------------


def attempts(cast, case):
    """Every step, called by a user who holds the right role for it."""
    return {
        "accept": lambda: services.accept_case(case, actor=cast.staff),
        "decline": lambda: services.decline_case(case, actor=cast.staff, reason="Không thuộc phạm vi."),
        "withdraw": lambda: services.withdraw_case(case, actor=cast.agency_rep, reason="Tạm dừng."),
        "submit_council": lambda: services_council.submit_council(case, actor=cast.staff),
        "return_council": lambda: services_council.return_council(case, actor=cast.leader, reason="Đổi chủ tịch."),
        "approve_council": lambda: services_council.approve_council(case, actor=cast.leader),
        "start_review": lambda: services_council.start_review(case, actor=cast.staff),
        "start_consolidation": lambda: services_council.start_consolidation(case, actor=cast.staff),
        "submit_report": lambda: services_work.submit_report(case, actor=cast.staff),
        "return_report": lambda: services_work.return_report(case, actor=cast.leader, reason="Sửa kiến nghị 2."),
        "sign_report": lambda: services_work.sign_report(case, actor=cast.leader),
        "send_report": lambda: services_work.send_report(case, actor=cast.staff),
        "finish_answers": lambda: services_work.finish_answers(case, actor=cast.agency_rep),
        "close": lambda: services.close_case(case, actor=cast.staff),
    }


ALLOWED = {
    Status.RECEIVED: {"accept", "decline", "withdraw"},
    Status.ACCEPTED: {"submit_council", "withdraw"},
    Status.COUNCIL_PENDING: {"return_council", "approve_council", "withdraw"},
    Status.COUNCIL_FORMED: {"start_review", "withdraw"},
    Status.REVIEWING: {"start_consolidation", "withdraw"},
    Status.CONSOLIDATING: {"submit_report"},
    Status.REPORT_PENDING: {"return_report", "sign_report"},
    Status.REPORT_SIGNED: {"send_report"},
    Status.SENT: {"finish_answers", "close"},
    Status.ANSWERED: {"close"},
    Status.ASSESSED: {"close"},
    Status.CLOSED: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ALLOWED))
def test_every_forbidden_step_is_refused_and_changes_nothing(cast, status):
    case = f.journey(cast, until=status).case
    before = ActivityLog.objects.count()
    for name, attempt in attempts(cast, case).items():
        if name in ALLOWED[status]:
            continue
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages, name
        case.refresh_from_db()
        assert case.status == status, name
    assert ActivityLog.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ALLOWED))
def test_every_allowed_step_moves_the_case(cast, status):
    """The allowed steps other than the happy path's: each one from a fresh case at that stage."""
    for name in sorted(ALLOWED[status]):
        with transaction.atomic():
            j = f.journey(cast, until=status)
            case = j.case
            if name == "submit_council":
                services_council.place_expert(case, actor=cast.staff, expert=j.chair, role=Seat.Role.CHAIR)
                services_council.place_expert(case, actor=cast.staff, expert=j.reviewers[0], role=Seat.Role.REVIEWER)
            if name == "start_consolidation":
                user = j.reviewer_users[0]
                review = case.reviews.get(seat__expert__person__user=user)
                services_work.save_review(review, actor=user, sections={"conclusions": "Đồng ý."}, submit=True)
            if name == "submit_report":
                services_work.save_recommendation(
                    case, actor=cast.staff, recommendation=Recommendation(text="Bổ sung.")
                )
                services_work.save_conclusion(case, actor=cast.staff, conclusion="Cần thiết.")
            if name == "finish_answers":  # all recommendations must be answered first
                services_work.answer_recommendations(
                    case,
                    actor=cast.agency_rep,
                    answers={r.pk: ("accepted", "") for r in case.recommendations.all()},
                )
            attempts(cast, case)[name]()
            case.refresh_from_db()
            assert case.status != status, name
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_declined_and_withdrawn_cases_are_final(cast):
    declined = f.new_case(cast)
    services.decline_case(declined, actor=cast.staff, reason="Không thuộc phạm vi tư vấn, phản biện.")
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED and declined.stage_list()[-1][0] == Status.DECLINED
    withdrawn = f.journey(cast, until=Status.REVIEWING).case
    services.withdraw_case(withdrawn, actor=cast.agency_rep, reason="Điều chỉnh chủ trương.")
    assert not Engagement.objects.filter(advisory_seat__case=withdrawn, completed_on=None).exists()
    for case in (declined, withdrawn):
        for attempt in attempts(cast, case).values():
            with pytest.raises(ValidationError):
                attempt()


@pytest.mark.django_db
def test_a_reason_is_required_where_the_other_side_reads_it(cast):
    case = f.new_case(cast)
    for attempt in (
        lambda: services.decline_case(case, actor=cast.staff, reason="  "),
        lambda: services.withdraw_case(case, actor=cast.agency_rep, reason=""),
    ):
        with pytest.raises(ValidationError):
            attempt()
    pending = f.journey(cast, until=Status.COUNCIL_PENDING).case
    with pytest.raises(ValidationError):
        services_council.return_council(pending, actor=cast.leader, reason="")


# Who may take which step --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_step_refuses_the_wrong_role(cast):
    received = f.new_case(cast)
    for user in (cast.leader, cast.expert, cast.agency_rep, cast.entrant, cast.outsider_staff):
        with pytest.raises(PermissionDenied):
            services.accept_case(received, actor=user)
    pending = f.journey(cast, until=Status.COUNCIL_PENDING).case
    for user in (cast.staff, cast.union_admin, cast.expert, cast.agency_rep):
        with pytest.raises(PermissionDenied):
            services_council.approve_council(pending, actor=user)
    report = f.journey(cast, until=Status.REPORT_PENDING).case
    for user in (cast.staff, cast.expert, cast.agency_rep):
        with pytest.raises(PermissionDenied):
            services_work.sign_report(report, actor=user)
    # A representative of another agency cannot withdraw.
    from lienhiep.core.models import Agency, Membership

    other = Agency.objects.create(union=cast.union, name="UBND huyện Tu Mơ Rông", kind="peoples_committee")
    Membership.objects.filter(user=cast.agency_rep).update(agency=other)
    cast.agency_rep.__dict__.pop("_lienhiep_agencies", None)
    with pytest.raises(PermissionDenied):
        services.withdraw_case(received, actor=cast.agency_rep, reason="Không cần nữa.")


@pytest.mark.django_db
def test_a_representative_sends_requests_only_for_their_agency(cast):
    from lienhiep.core.models import Agency

    other = Agency.objects.create(union=cast.union, name="UBND huyện Tu Mơ Rông", kind="peoples_committee")
    with pytest.raises(PermissionDenied):
        f.new_case(cast, requesting_agency=other)
    with pytest.raises(PermissionDenied):
        f.new_case(cast, actor=cast.expert)
    case = f.new_case(cast)
    assert case.requesting_agency == cast.agency and case.admin_unit == cast.district


@pytest.mark.django_db
def test_intake_checks_every_file_first_and_stores_nothing_on_error(cast):
    with pytest.raises(ValidationError) as error:
        services.open_case(
            actor=cast.agency_rep,
            union=cast.union,
            case=Case(title="Đề án thử", requesting_agency=cast.agency, received_on=DAY),
            files=[
                (CaseFile.Kind.REQUEST_LETTER, f.upload("công văn.pdf", f.PDF_BYTES)),
                (CaseFile.Kind.DRAFT, f.upload("dự thảo.docx", b"not a word file at all")),
            ],
        )
    assert "Dự thảo" in " ".join(error.value.messages) or "dự thảo" in " ".join(error.value.messages)
    assert not Case.objects.exists() and not CaseFile.objects.exists()


@pytest.mark.django_db
def test_acceptance_needs_a_complete_dossier(cast):
    case = f.new_case(cast, actor=cast.staff, files=False, request_number="")
    with pytest.raises(ValidationError) as error:
        services.accept_case(case, actor=cast.staff)
    text = " ".join(error.value.messages)
    assert "số và ngày công văn" in text and "công văn đề nghị (tệp)" in text and "dự thảo (tệp)" in text
    services.add_case_file(actor=cast.staff, case=case, kind="request_letter", upload=f.upload("cv.pdf", f.PDF_BYTES))
    services.add_case_file(actor=cast.staff, case=case, kind="draft", upload=f.upload("dt.docx", f.docx_bytes()))
    case.request_number = "215/UBND-KT"
    services.update_case(actor=cast.staff, case=case, fields=[], authors=[])
    services.accept_case(case, actor=cast.staff)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_numbers_run_per_union_and_year(cast):
    first = f.new_case(cast)
    second = f.new_case(cast, kind="consulting")
    later = f.new_case(cast, received_on=datetime.date(2023, 1, 5))
    assert (first.code, second.code, later.code) == ("PB-01/2022", "TV-02/2022", "PB-01/2023")


@pytest.mark.django_db
def test_recommendations_renumber_and_answers_are_all_or_nothing(cast):
    case = f.journey(cast, until=Status.CONSOLIDATING).case
    recs = [
        services_work.save_recommendation(case, actor=cast.expert, recommendation=Recommendation(text=t))
        for t in ("Một", "Hai", "Ba")
    ]
    assert [r.number for r in recs] == [1, 2, 3]
    services_work.delete_recommendation(recs[0], actor=cast.expert)
    assert list(case.recommendations.values_list("text", "number")) == [("Hai", 1), ("Ba", 2)]
    with pytest.raises(PermissionDenied):  # a member who is not the secretary does not consolidate
        services_work.save_recommendation(case, actor=_reviewer(case), recommendation=Recommendation(text="x"))
    sent = f.journey(cast, until=Status.SENT).case
    r1, r2, r3 = sent.recommendations.order_by("number")
    with pytest.raises(ValidationError) as error:
        services_work.answer_recommendations(
            sent,
            actor=cast.agency_rep,
            answers={r1.pk: ("accepted", ""), r2.pk: ("not_accepted", ""), r3.pk: ("maybe", "")},
        )
    assert len(error.value.messages) == 2  # recommendation 2 needs its explanation, 3 a valid answer
    assert not sent.recommendations.exclude(response="").exists()
    with pytest.raises(ValidationError):
        services_work.finish_answers(sent, actor=cast.agency_rep)


def _reviewer(case):
    return Seat.objects.filter(case=case, role=Seat.Role.REVIEWER).first().expert.person.user
