"""The council's work on a case: reviews and paragraph comments, the meeting, the consolidation into numbered
recommendations, the agency's answer to each and the follow-up of their implementation. Same rules as
`services`: one function per use case, atomic, permission-checked, logged."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.advisory.models import (
    AssessmentEntry,
    Case,
    CaseFile,
    Comment,
    DraftParagraph,
    Meeting,
    MeetingItem,
    Recommendation,
    Review,
    Seat,
    Status,
)
from lienhiep.advisory.queries import represents, seat_of
from lienhiep.advisory.services import (
    _log,
    _today,
    add_case_file,
    agency_addresses,
    case_link,
    stage_due,
)
from lienhiep.advisory.services_council import leader_person
from lienhiep.core.models import User
from lienhiep.core.rules import is_editor
from lienhiep.core.services import check, locked, mail_after_commit, transition
from lienhiep.experts.models import Engagement
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of
from lienhiep.paperwork.signers import Signer

WORK_STAGES = (Status.REVIEWING, Status.CONSOLIDATING)
ANSWER_STAGES = (Status.SENT, Status.ANSWERED)


def at_time(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


# Reviews and comments ----------------------------------------------------------------------------------------------


def _own_review(review: Review, actor: User) -> Seat:
    seat = seat_of(actor, review.case)
    if seat is None or seat.pk != review.seat_id:
        raise PermissionDenied
    return seat


@transaction.atomic
def save_review(
    review: Review, *, actor: User, sections: dict[str, str], submit: bool = False, today: datetime.date | None = None
) -> Review:
    """The member writes (and may submit) their review; a submitted review is final unless staff reopen it."""
    _own_review(review, actor)
    case = locked(review.case, "union", "requesting_agency")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if case.status not in WORK_STAGES:
        raise ValidationError(_("Reviews can be written only while the case is being reviewed or consolidated."))
    if review.is_submitted:
        raise ValidationError(_("This review is already submitted; ask the Union's staff to reopen it."))
    for name in Review.SECTIONS:
        if name in sections:
            setattr(review, name, (sections[name] or "").strip())
    if submit:
        if not review.conclusions:
            raise ValidationError(_("Write your conclusions before submitting the review."))
        transition(review, "submit", actor=actor, field="state")
        noon = datetime.time(12)
        review.submitted_at = timezone.now() if today is None else at_time(today, noon)
    review.save()
    if submit:
        day = _today(today)
        Engagement.objects.filter(advisory_seat=review.seat_id, completed_on=None).update(completed_on=day)
        late = " " + _("(late)") if review.is_late(day) else ""
        _log(case, actor, "review.submitted", _("Review submitted by %s") % review.seat.expert + late)
    return review


@transaction.atomic
def record_paper_review(
    review: Review, *, actor: User, sections: dict[str, str], day: datetime.date | None = None
) -> Review:
    """Staff type in a review an expert sent on paper or by e-mail, dated the day it arrived."""
    check(actor, "advisory.manage_cases", review.union)
    case = locked(review.case, "union", "requesting_agency")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if case.status not in WORK_STAGES:
        raise ValidationError(_("Reviews can be written only while the case is being reviewed or consolidated."))
    day = _today(day)
    if day > timezone.localdate():
        raise ValidationError(_("The review cannot arrive in the future."))
    for name in Review.SECTIONS:
        if name in sections:
            setattr(review, name, (sections[name] or "").strip())
    if not review.conclusions:
        raise ValidationError(_("Write the expert's conclusions."))
    transition(review, "submit", actor=actor, field="state")
    review.submitted_at = at_time(day, datetime.time(12))
    review.save()
    Engagement.objects.filter(advisory_seat=review.seat_id, completed_on=None).update(completed_on=day)
    _log(case, actor, "review.submitted", _("Review of %s recorded from the paper copy") % review.seat.expert)
    return review


@transaction.atomic
def reopen_review(review: Review, *, actor: User) -> Review:
    check(actor, "advisory.manage_cases", review.union)
    case = locked(review.case, "union", "requesting_agency")
    if case.status not in WORK_STAGES:
        raise ValidationError(_("Reviews can be reopened only while the case is being reviewed or consolidated."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    transition(review, "reopen", actor=actor, field="state")
    review.submitted_at = None
    review.save()
    Engagement.objects.filter(advisory_seat=review.seat_id).update(completed_on=None)
    _log(case, actor, "review.reopened", _("Review of %s reopened for changes") % review.seat.expert)
    return review


@transaction.atomic
def add_comment(case: Case, *, actor: User, paragraph: DraftParagraph, text: str) -> Comment:
    seat = seat_of(actor, case)
    if seat is None:
        raise PermissionDenied
    if paragraph.case_id != case.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    case = locked(case, "union", "requesting_agency")
    if case.status not in WORK_STAGES:
        raise ValidationError(_("Comments can be added only while the case is being reviewed or consolidated."))
    comment = Comment.objects.create(union=case.union, case=case, seat=seat, paragraph=paragraph, text=text)
    _log(
        case,
        actor,
        "comment.added",
        _("%(expert)s commented on %(anchor)s")
        % {
            "expert": seat.expert,
            "anchor": paragraph.anchor_label(),
        },
    )
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, actor: User) -> None:
    seat = seat_of(actor, comment.case)
    if seat is None or seat.pk != comment.seat_id:
        raise PermissionDenied
    case = locked(comment.case, "union", "requesting_agency")
    if case.status != Status.REVIEWING:
        raise ValidationError(_("Comments can be withdrawn only while the case is being reviewed."))
    anchor = comment.paragraph.anchor_label()
    comment.delete()
    _log(
        case,
        actor,
        "comment.removed",
        _("%(expert)s withdrew a comment on %(anchor)s")
        % {
            "expert": seat.expert,
            "anchor": anchor,
        },
    )


# The meeting -----------------------------------------------------------------------------------------------------


@dataclass
class AgendaLine:
    title: str
    discussion: str = ""
    conclusion: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None


@dataclass
class Quorum:
    present: int
    members: int
    percent: int

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present * 100 > self.members * self.percent


def quorum_of(meeting: Meeting) -> Quorum:
    return Quorum(meeting.present.count(), meeting.case.seats.count(), meeting.quorum_percent)


@transaction.atomic
def save_meeting(
    case: Case,
    *,
    actor: User,
    held_on: datetime.date,
    place: str,
    quorum_percent: int,
    present: Iterable[Seat],
    conclusion: str,
    agenda: list[AgendaLine],
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    chaired_by: Seat | None = None,
    minutes_by: Seat | None = None,
) -> Meeting:
    """Record the council meeting: attendance (the quorum is checked), minutes per agenda item, votes."""
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    if case.status not in (Status.REVIEWING, Status.CONSOLIDATING):
        raise ValidationError(_("The meeting is recorded while the case is being reviewed or consolidated."))
    present = list(present)
    if any(s.case_id != case.pk for s in [*present, *filter(None, [chaired_by, minutes_by])]):
        raise PermissionDenied
    agenda = [line for line in agenda if line.title.strip()]
    if not agenda:
        raise ValidationError(_("Write at least one agenda item."))
    if not 0 <= quorum_percent < 100:
        raise ValidationError(_("The quorum is a percentage below 100."))
    errors = []
    for number, line in enumerate(agenda, start=1):
        votes = [line.votes_for, line.votes_against, line.votes_abstain]
        if any(v is not None for v in votes):
            if line.votes_for is None:
                errors.append(_("Item %d: give the votes for, even if none.") % number)
            elif sum(v or 0 for v in votes) > len(present):
                errors.append(
                    _("Item %(n)d: %(votes)d votes but only %(present)d members present.")
                    % {"n": number, "votes": sum(v or 0 for v in votes), "present": len(present)}
                )
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.filter(case=case).first() or Meeting(union=case.union, case=case)
    meeting.held_on, meeting.place = held_on, place.strip()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.chaired_by, meeting.minutes_by = chaired_by, minutes_by
    meeting.quorum_percent, meeting.conclusion = quorum_percent, conclusion.strip()
    meeting.save()
    meeting.present.set(present)
    meeting.items.all().delete()
    MeetingItem.objects.bulk_create(
        MeetingItem(
            meeting=meeting,
            order=n,
            title=line.title.strip(),
            discussion=line.discussion.strip(),
            conclusion=line.conclusion.strip(),
            votes_for=line.votes_for,
            votes_against=line.votes_against,
            votes_abstain=line.votes_abstain,
        )
        for n, line in enumerate(agenda, start=1)
    )
    quorum = quorum_of(meeting)
    _log(
        case,
        actor,
        "meeting.recorded",
        _("Council meeting of %(day)s recorded: %(present)d of %(members)d members present, quorum %(met)s")
        % {
            "day": held_on.strftime("%d/%m/%Y"),
            "present": quorum.present,
            "members": quorum.members,
            "met": _("met") if quorum.met else _("not met"),
        },
    )
    return meeting


# Consolidation -----------------------------------------------------------------------------------------------------


def _require_consolidating(case: Case) -> None:
    if case.status != Status.CONSOLIDATING:
        raise ValidationError(_("Recommendations are written while the case is being consolidated."))


@transaction.atomic
def save_recommendation(
    case: Case,
    *,
    actor: User,
    recommendation: Recommendation,
    reviews: Iterable[Review] = (),
    paragraphs: Iterable[DraftParagraph] = (),
) -> Recommendation:
    """Add or change a numbered recommendation, linked to the reviews and paragraphs it came from."""
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    _require_consolidating(case)
    reviews, paragraphs = list(reviews), list(paragraphs)
    if any(r.case_id != case.pk for r in reviews) or any(p.case_id != case.pk for p in paragraphs):
        raise PermissionDenied
    if recommendation.case_id not in (None, case.pk):
        raise PermissionDenied
    recommendation.text = (recommendation.text or "").strip()
    if not recommendation.text:
        raise ValidationError(_("Write the recommendation."))
    created = recommendation.pk is None
    recommendation.case, recommendation.union = case, case.union
    if created:
        recommendation.number = (case.recommendations.aggregate(m=Max("number"))["m"] or 0) + 1
    recommendation.save()
    recommendation.reviews.set(reviews)
    recommendation.paragraphs.set(paragraphs)
    _log(
        case,
        actor,
        "recommendation.created" if created else "recommendation.changed",
        (_("Recommendation %d written") if created else _("Recommendation %d changed")) % recommendation.number,
    )
    return recommendation


@transaction.atomic
def delete_recommendation(recommendation: Recommendation, *, actor: User) -> None:
    """Remove a recommendation; the ones after it move up a number."""
    case = recommendation.case
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    _require_consolidating(case)
    number = recommendation.number
    recommendation.delete()
    for later in case.recommendations.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    _log(case, actor, "recommendation.removed", _("Recommendation %d removed") % number)


@transaction.atomic
def save_conclusion(case: Case, *, actor: User, conclusion: str) -> Case:
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    _require_consolidating(case)
    case.conclusion = conclusion.strip()
    case.save(update_fields=["conclusion"])
    _log(case, actor, "report.conclusion", _("The report's general conclusion written"))
    return case


# The agency's answers ----------------------------------------------------------------------------------------------


def _may_answer(actor: User, case: Case) -> None:
    if not (is_editor(actor, case.union) or represents(actor, case)):
        raise PermissionDenied


@transaction.atomic
def answer_recommendations(case: Case, *, actor: User, answers: dict[int, tuple[str, str]]) -> int:
    """The agency's representative (or staff from the agency's letter) answers recommendations:
    {recommendation id: (accepted | partly | not_accepted, explanation)}. Every answer is checked first; one
    wrong answer and nothing is saved. A partly or not accepted recommendation needs its explanation."""
    _may_answer(actor, case)
    case = locked(case, "union", "requesting_agency")
    if case.status not in ANSWER_STAGES:
        raise ValidationError(_("Answers are given once the report is sent, until the case is assessed or closed."))
    recommendations = {r.pk: r for r in case.recommendations.select_for_update()}
    errors, changed = [], []
    for pk, (response, explanation) in answers.items():
        rec = recommendations.get(pk)
        if rec is None:
            raise PermissionDenied
        response, explanation = (response or "").strip(), (explanation or "").strip()
        if not response and not explanation:
            continue
        if response not in Recommendation.Response.values:
            errors.append(_("Recommendation %d: choose accepted, partly accepted or not accepted.") % rec.number)
            continue
        if response != Recommendation.Response.ACCEPTED and not explanation:
            errors.append(_("Recommendation %d: explain why it is not accepted in full.") % rec.number)
            continue
        if (rec.response, rec.explanation) != (response, explanation):
            rec.response, rec.explanation = response, explanation
            changed.append(rec)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for rec in changed:
        rec.answered_at, rec.answered_by = now, actor
        rec.save()
    if changed:
        _log(case, actor, "answer.recorded", _("Answers recorded for %d recommendations") % len(changed))
    return len(changed)


@transaction.atomic
def save_answers(
    case: Case,
    *,
    actor: User,
    answers: dict[int, tuple[str, str]],
    letter: UploadedFile | None = None,
    finish: bool = False,
) -> Case:
    """The answers page's one form: the answers, the agency's letter if one is attached, and (finish) the step that
    hands them to the Union — all or nothing, so a refused letter never costs the answers typed with it."""
    answer_recommendations(case, actor=actor, answers=answers)
    if letter is not None:
        add_case_file(case, actor=actor, kind=CaseFile.Kind.ANSWER, upload=letter)
    if finish:
        case = finish_answers(case, actor=actor)
    return case


@transaction.atomic
def finish_answers(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    """Every recommendation is answered: the case is answered (acceptance counts in the statistics)."""
    _may_answer(actor, case)
    case = locked(case, "union", "requesting_agency")
    left = case.recommendations.filter(response="").count()
    if left:
        raise ValidationError(_("%d recommendations are not answered yet.") % left)
    transition(case, "record_answers", actor=actor)
    case.answered_on = _today(today)
    case.stage_due_on = None
    case.save()
    _log(case, actor, "answer.finished", _("The agency answered every recommendation"))
    mail_after_commit(
        _("Answers received for %s") % case.code,
        _("The requesting agency answered every recommendation of “%s”.") % case.title,
        [case.union.email],
    )
    return case


# Implementation --------------------------------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    recommendation: Recommendation,
    *,
    actor: User,
    checked_on: datetime.date,
    percent: int,
    status: str,
    evidence: str = "",
    findings: str = "",
    assessment_case: Case | None = None,
    today: datetime.date | None = None,
) -> AssessmentEntry:
    """Record how far a recommendation has been carried out (a later check adds a row; the newest counts)."""
    check(actor, "advisory.manage_cases", recommendation.union)
    case = locked(recommendation.case, "union", "requesting_agency")
    if case.status not in (Status.ANSWERED, Status.ASSESSED):
        raise ValidationError(_("Implementation is assessed once the agency has answered."))
    if assessment_case is not None and (
        assessment_case.union_id != case.union_id or assessment_case.original_case_id != case.pk
    ):
        raise PermissionDenied
    errors = []
    if status not in AssessmentEntry.Progress.values:
        errors.append(_("Choose the status."))
    if percent is None or not 0 <= percent <= 100:
        errors.append(_("Progress is a percentage from 0 to 100."))
    elif status == AssessmentEntry.Progress.DONE and percent != 100:
        errors.append(_("A recommendation carried out is at 100%."))
    elif status == AssessmentEntry.Progress.NOT_STARTED and percent != 0:
        errors.append(_("A recommendation not started is at 0%."))
    if checked_on > _today(today):
        errors.append(_("The check cannot be dated in the future."))
    if case.sent_on and checked_on < case.sent_on:
        errors.append(_("The check cannot be dated before the report was sent."))
    if errors:
        raise ValidationError(errors)
    entry = AssessmentEntry.objects.create(
        union=case.union,
        recommendation=recommendation,
        assessment_case=assessment_case,
        checked_on=checked_on,
        percent=percent,
        status=status,
        evidence=evidence.strip(),
        findings=findings.strip(),
        recorded_by=actor,
    )
    if case.status == Status.ANSWERED:
        transition(case, "record_assessment", actor=actor)
        case.save()
    _log(
        case,
        actor,
        "assessment.recorded",
        _("Implementation of recommendation %(n)d checked on %(day)s: %(percent)d%% (%(status)s)")
        % {
            "n": recommendation.number,
            "day": checked_on.strftime("%d/%m/%Y"),
            "percent": percent,
            "status": entry.get_status_display(),
        },
    )
    return entry


# The report ------------------------------------------------------------------------------------------------------


@transaction.atomic
def submit_report(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "submit_report", actor=actor)
    case.stage_due_on = stage_due(case, _today(today))
    case.save()
    _log(case, actor, "report.submitted", _("Report submitted to the leader for signature"))
    return case


@transaction.atomic
def return_report(case: Case, *, actor: User, reason: str) -> Case:
    check(actor, "advisory.decide_case", case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what should change in the report."))
    case = locked(case, "union", "requesting_agency")
    transition(case, "return_report", actor=actor)
    case.stage_due_on = stage_due(case, timezone.localdate())
    case.save()
    _log(case, actor, "report.returned", _("Report returned for changes: %s") % reason)
    return case


@transaction.atomic
def issue_minutes(case: Case, *, actor: User, today: datetime.date | None = None) -> IssuedDocument:
    """The minutes of the council meeting become an issued document: numbered, dated, stored as they stand. A
    change to the meeting afterwards is issued again as a new document that replaces this one."""
    check(actor, "advisory.consolidate_case", case)
    case = locked(case, "union", "requesting_agency")
    meeting = Meeting.objects.filter(case=case).select_related("chaired_by__expert__person").first()
    if meeting is None:
        raise ValidationError(_("Record the meeting before issuing its minutes."))
    if case.status not in WORK_STAGES and case.status not in (Status.REPORT_PENDING, Status.REPORT_SIGNED):
        raise ValidationError(_("The minutes are issued while the case is being reviewed or consolidated."))
    chair = meeting.chaired_by or Seat.objects.filter(case=case, role=Seat.Role.CHAIR).first()
    if chair is None:
        raise ValidationError(_("Say who chaired the meeting before issuing its minutes."))
    person = chair.expert.person
    minutes = issue_document(
        meeting,
        kind=IssuedDocument.Kind.MEETING_MINUTES,
        union=case.union,
        actor=actor,
        day=_today(today),
        signer=Signer(name=person.name, title="CHỦ TỌA"),
        signer_person=person,
    )
    _log(case, actor, "meeting.minutes_issued", _("Minutes of the meeting issued: %s") % minutes.number_symbol)
    return minutes


@transaction.atomic
def sign_report(case: Case, *, actor: User, today: datetime.date | None = None) -> IssuedDocument:
    """The leader signs: the report takes its number from the register and its date."""
    check(actor, "advisory.decide_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "sign_report", actor=actor)
    today = _today(today)
    signer = leader_person(actor, case.union) or case.signatory
    case.signatory = signer
    case.stage_due_on = stage_due(case, today)
    case.save()
    report = issue_document(
        case,
        kind=IssuedDocument.Kind.CASE_REPORT,
        union=case.union,
        actor=actor,
        day=today,
        signer=signer_of(signer, name=actor.get_full_name()),
        signer_person=signer,
    )
    _log(case, actor, "report.signed", _("Report signed; number %s") % report.number_symbol)
    return report


@transaction.atomic
def send_report(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    """Send the signed report to the requesting agency; the council's work is done (the experts' record of work
    is completed) and the agency is asked to answer each recommendation."""
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "send_report", actor=actor)
    today = _today(today)
    case.sent_on = today
    case.stage_due_on = stage_due(case, today) if case.requesting_agency_id else None
    case.save()
    Engagement.objects.filter(advisory_seat__case=case, completed_on=None).update(completed_on=today)
    to = case.requesting_agency or _("the provincial authorities")
    _log(case, actor, "report.sent", _("Report sent to %s") % to)
    mail_after_commit(
        _("%(title)s %(code)s") % {"title": case.report_title().capitalize(), "code": case.code},
        _(
            "%(union)s sent its report on “%(title)s”. Please answer each recommendation (accepted, partly accepted or "
            "not accepted, with your explanation) at %(link)s."
        )
        % {"union": case.union.name, "title": case.title, "link": case_link(case)},
        agency_addresses(case),
    )
    return case
