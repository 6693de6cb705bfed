"""The life of a case: intake, acceptance, the council (matching, conflicts, the leader's approval), the report's
signature and dispatch, closing. One function per use case: atomic, permission-checked, locked, logged once in
the activity log, mail sent after the commit. Reviews, comments, the meeting, recommendations, answers and the
assessment live in `services_work`."""

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.advisory import draft as draft_import
from lienhiep.advisory.models import (
    STAGE_DAYS,
    Case,
    CaseFile,
    DraftParagraph,
    FormOfWork,
    Kind,
    Origin,
    Seat,
    Status,
)
from lienhiep.advisory.queries import represents
from lienhiep.core.models import Agency, Membership, Person, Role, Union, User
from lienhiep.core.queries import people_to_choose
from lienhiep.core.rules import is_editor, represented_agency_ids
from lienhiep.core.services import check, check_same_union, locked, log_activity, mail_after_commit, transition
from lienhiep.core.uploads import DOCX, PDF, check_upload, safe_display_name, sha256_of
from lienhiep.experts.models import Engagement, Field
from lienhiep.portal.services import publish_output

logger = logging.getLogger(__name__)

SIGNED = (Status.REPORT_SIGNED, Status.SENT, Status.ANSWERED, Status.ASSESSED, Status.CLOSED)
FILE_KINDS = {
    CaseFile.Kind.REQUEST_LETTER: (PDF, DOCX),
    CaseFile.Kind.DRAFT: (DOCX, PDF),
    CaseFile.Kind.EXPLANATION: (DOCX, PDF),
    CaseFile.Kind.ANNEX: (DOCX, PDF),
    CaseFile.Kind.ANSWER: (PDF, DOCX),
}


# Helpers ---------------------------------------------------------------------------------------------------------


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def stage_due(case: Case, start: datetime.date) -> datetime.date | None:
    """The deadline of the stage the case has just entered (None once nothing more is waited for)."""
    if case.status == Status.REVIEWING and case.review_due_on:
        return case.review_due_on
    days = STAGE_DAYS.get(case.status)
    if days is None:
        return None
    due = start + datetime.timedelta(days=days)
    if case.requested_deadline and case.status in (
        Status.CONSOLIDATING,
        Status.REPORT_PENDING,
        Status.REPORT_SIGNED,
    ):
        due = min(due, max(case.requested_deadline, start))
    return due


def _log(case: Case, actor: User, verb: str, message: str, target=None) -> None:
    log_activity(union=case.union, actor=actor, verb=f"advisory.{verb}", message=message, target=target or case)


def agency_addresses(case: Case) -> list[str]:
    """The requesting agency's address and its representatives' accounts."""
    if not case.requesting_agency_id:
        return []
    reps = Membership.objects.active().filter(
        union=case.union_id, role=Role.AGENCY_REP, agency=case.requesting_agency_id
    )
    return [case.requesting_agency.email, *reps.values_list("user__email", flat=True)]


def member_addresses(case: Case) -> list[str]:
    rows = Seat.objects.filter(case=case).values_list("expert__person__email", "expert__person__user__email")
    return [own or account or "" for own, account in rows]


def case_link(case: Case) -> str:
    return case.get_absolute_url()


# Intake ----------------------------------------------------------------------------------------------------------


def _check_files(files: list[tuple[str, UploadedFile]]) -> None:
    problems = []
    for kind, upload in files:
        try:
            check_upload(upload, FILE_KINDS[kind])
        except ValidationError as error:
            label = CaseFile.Kind(kind).label
            problems.append(f"{label} ({safe_display_name(upload.name)}): {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)


def _store_file(case: Case, kind: str, upload: UploadedFile, actor: User) -> CaseFile:
    file_kind = check_upload(upload, FILE_KINDS[kind])
    stored = CaseFile(
        union=case.union,
        case=case,
        kind=kind,
        original_name=safe_display_name(upload.name, file_kind),
        extension=file_kind.extension,
        mime_type=file_kind.mime_type,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    rows = None
    if kind == CaseFile.Kind.DRAFT:  # read before storing: a draft that cannot be read leaves no file behind
        _check_draft_replaceable(case)
        upload.seek(0)
        rows = draft_rows(upload.read(), file_kind.extension)
        upload.seek(0)
    stored.file.save("upload", upload, save=False)
    stored.save()
    if rows is not None:
        import_draft(case, stored, rows)
    return stored


def _check_draft_replaceable(case: Case) -> None:
    if case.comments.exists():
        raise ValidationError(_("Members have already commented on the draft; it can no longer be replaced."))


def draft_rows(data: bytes, extension: str) -> list[tuple[int | None, str, bool]]:
    """(page, text, is heading) of the draft's paragraphs (DOCX) or pages (PDF); ValidationError if unreadable."""
    if extension == DOCX.extension:
        return [(None, text, heading) for text, heading in draft_import.docx_paragraphs(data)]
    return [(page, text, False) for page, text in draft_import.pdf_pages(data)]


def import_draft(case: Case, source: CaseFile, rows: list[tuple[int | None, str, bool]] | None = None) -> int:
    """Split the draft into numbered paragraphs (DOCX) or pages (PDF) for anchored comments. A draft that members
    already commented on cannot be replaced: the comments would lose their paragraphs."""
    _check_draft_replaceable(case)
    if rows is None:
        with source.file.open("rb") as handle:
            rows = draft_rows(handle.read(), source.extension)
    DraftParagraph.objects.filter(case=case).delete()
    DraftParagraph.objects.bulk_create(
        DraftParagraph(case=case, source=source, number=n, page=page, text=text, is_heading=heading)
        for n, (page, text, heading) in enumerate(rows, start=1)
    )
    return len(rows)


def _next_seq(union: Union, year: int) -> int:
    Union.objects.select_for_update().filter(pk=union.pk).first()  # one numbering at a time per Union
    return (Case.objects.filter(union=union, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1


@transaction.atomic
def open_case(
    union: Union,
    *,
    actor: User,
    case: Case,
    fields: Iterable[Field] = (),
    authors: Iterable[Person] = (),
    files: list[tuple[str, UploadedFile]] = (),
    today: datetime.date | None = None,
) -> Case:
    """A request arrives (from the agency's representative, or typed in by staff from the letter), or staff open
    a case on the Union's own initiative. Every file is checked before anything is stored."""
    fields, authors = list(fields), list(authors)
    manager = is_editor(actor, union)
    agencies = represented_agency_ids(actor, union)
    if not manager:
        if not agencies:
            raise PermissionDenied
        if case.requesting_agency_id not in agencies:
            raise PermissionDenied
        if authors and {a.pk for a in authors} - set(people_to_choose(actor, union).values_list("pk", flat=True)):
            raise PermissionDenied  # an agency names its own people only: it never browses the Union's registry
        case.origin = Origin.REQUEST
    check_same_union(union, case.requesting_agency, case.drafting_agency, case.source_local_project, *fields, *authors)
    if case.origin == Origin.REQUEST and not case.requesting_agency_id:
        raise ValidationError(_("Name the agency that sends the request."))
    if case.origin == Origin.INITIATIVE and not manager:
        raise PermissionDenied
    _check_files(list(files))
    today = _today(today)
    case.union = union
    case.received_on = case.received_on or today
    if case.admin_unit_id is None and case.requesting_agency_id:
        case.admin_unit = case.requesting_agency.admin_unit
    case.year = case.received_on.year
    case.seq = _next_seq(union, case.year)
    case.created_by = actor
    case.stage_due_on = case.received_on + datetime.timedelta(days=STAGE_DAYS[Status.RECEIVED])
    case.full_clean(exclude=["status", "fields", "authors"])
    case.save()
    case.fields.set(fields)
    case.authors.set(authors)
    for kind, upload in files:
        _store_file(case, kind, upload, actor)
    if case.origin == Origin.REQUEST:
        message = _("Request received from %(agency)s: %(title)s") % {
            "agency": case.requesting_agency,
            "title": case.title,
        }
    else:
        message = _("Case opened on the Union's initiative: %s") % case.title
    _log(case, actor, "case.received", message)
    mail_after_commit(
        _("New advisory request %(code)s: %(title)s") % {"code": case.code, "title": case.title},
        f"{message}\n{case_link(case)}",
        [union.email],
    )
    return case


@transaction.atomic
def update_case(case: Case, *, actor: User, fields: Iterable[Field], authors: Iterable[Person]) -> Case:
    """Staff correct the dossier's details (not once the report is signed)."""
    check(actor, "advisory.manage_case", case)
    fields, authors = list(fields), list(authors)
    check_same_union(case.union, case.requesting_agency, case.drafting_agency, *fields, *authors)
    if locked(case, "union", "requesting_agency").status in SIGNED or case.is_finished:
        raise ValidationError(_("The report is signed: the case's details can no longer change."))
    case.save(update_fields=[f.name for f in Case._meta.concrete_fields if not f.primary_key and f.name != "status"])
    case.fields.set(fields)
    case.authors.set(authors)
    _log(case, actor, "case.changed", _("Case details changed"))
    return case


@transaction.atomic
def add_case_file(case: Case, *, actor: User, kind: str, upload: UploadedFile) -> CaseFile:
    """Staff add a file to the dossier; the agency's representative adds theirs while the request waits for
    acceptance, and their final document once the report is sent."""
    case = locked(case, "union", "requesting_agency")
    if kind not in FILE_KINDS:
        raise ValidationError(_("Unknown kind of file."))
    if not is_editor(actor, case.union):
        if not represents(actor, case):
            raise PermissionDenied
        allowed = case.status == Status.RECEIVED or (
            kind == CaseFile.Kind.ANSWER and case.status in (Status.SENT, Status.ANSWERED)
        )
        if not allowed:
            raise ValidationError(_("The dossier can no longer be changed by the requesting agency."))
    if case.is_finished:
        raise ValidationError(_("The case is closed."))
    stored = _store_file(case, kind, upload, actor)
    _log(
        case,
        actor,
        "file.added",
        _("File added (%(kind)s): %(name)s")
        % {
            "kind": stored.get_kind_display(),
            "name": stored.original_name,
        },
    )
    return stored


def log_file_access(case: Case, *, actor: User, stored: CaseFile | None, action: str) -> None:
    """Every opening of the draft and every download of a case file is recorded against the file."""
    name = actor.get_full_name()
    if action == "opened":
        message = _("%(name)s opened the draft of %(code)s") % {"name": name, "code": case.code}
    else:
        message = _("%(name)s downloaded %(file)s of %(code)s") % {
            "name": name,
            "file": stored.original_name if stored else "",
            "code": case.code,
        }
    log_activity(union=case.union, actor=actor, verb=f"advisory.draft.{action}", message=message, target=stored or case)


# Acceptance ------------------------------------------------------------------------------------------------------


@transaction.atomic
def accept_case(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "accept", actor=actor)
    today = _today(today)
    case.accepted_on = today
    case.stage_due_on = stage_due(case, today)
    case.save()
    _log(case, actor, "case.accepted", _("Request accepted"))
    mail_after_commit(
        _("Your request %(code)s was accepted") % {"code": case.code},
        _("%(union)s accepted your request “%(title)s” and will form a council or group of experts.")
        % {"union": case.union.name, "title": case.title},
        agency_addresses(case),
    )
    return case


@transaction.atomic
def decline_case(case: Case, *, actor: User, reason: str) -> Case:
    check(actor, "advisory.manage_case", case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason: the requesting agency will read it."))
    case = locked(case, "union", "requesting_agency")
    transition(case, "decline", actor=actor)
    case.decline_reason = reason
    case.stage_due_on = None
    case.closed_on = timezone.localdate()
    case.save()
    _log(case, actor, "case.declined", _("Request declined: %s") % reason)
    mail_after_commit(
        _("Your request %(code)s was declined") % {"code": case.code},
        _("Reason: %s") % reason,
        agency_addresses(case),
    )
    return case


@transaction.atomic
def withdraw_case(case: Case, *, actor: User, reason: str) -> Case:
    """The requesting agency (or staff on its behalf) withdraws the request before the consolidation."""
    if not (is_editor(actor, case.union) or represents(actor, case)):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the request is withdrawn."))
    case = locked(case, "union", "requesting_agency")
    transition(case, "withdraw", actor=actor)
    case.withdraw_reason = reason
    case.stage_due_on = None
    case.closed_on = timezone.localdate()
    case.save()
    # The members' work on it ends: it no longer counts as open work when councils are formed.
    Engagement.objects.filter(advisory_seat__case=case, completed_on=None).update(completed_on=case.closed_on)
    _log(case, actor, "case.withdrawn", _("Request withdrawn: %s") % reason)
    return case


@transaction.atomic
def close_case(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    """Archive the case: the members' access to the draft ends unless the draft was made public."""
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "close", actor=actor)
    case.closed_on = _today(today)
    case.stage_due_on = None
    case.save()
    _log(case, actor, "case.closed", _("Case closed and archived"))
    return case


@transaction.atomic
def set_draft_published(case: Case, *, actor: User, published: bool) -> Case:
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    case.draft_published = published
    case.save(update_fields=["draft_published"])
    _log(
        case,
        actor,
        "draft.published" if published else "draft.unpublished",
        _("The draft is marked public") if published else _("The draft is confidential again"),
    )
    return case


@transaction.atomic
def open_assessment_case(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    """A social-assessment case on the implementation of an earlier case's recommendations."""
    check(actor, "advisory.manage_case", case)
    if case.status not in (Status.SENT, Status.ANSWERED, Status.ASSESSED, Status.CLOSED):
        raise ValidationError(_("Only the implementation of a sent report can be assessed."))
    if case.kind == Kind.ASSESSMENT and case.original_case_id:
        raise ValidationError(_("This is already an assessment case."))
    new = Case(
        kind=Kind.ASSESSMENT,
        origin=Origin.INITIATIVE,
        title=f"Giám định xã hội việc thực hiện: {case.title}"[:500],
        summary=case.summary,
        requesting_agency=None,
        drafting_agency=case.requesting_agency,
        admin_unit=case.admin_unit,
        form_of_work=FormOfWork.GROUP,
        council_size=3,
        original_case=case,
    )
    new = open_case(
        actor=actor,
        union=case.union,
        case=new,
        fields=list(case.fields.all()),
        authors=list(case.authors.all()),
        today=today,
    )
    _log(case, actor, "assessment.case_opened", _("Social-assessment case opened: %s") % new.code)
    return new


def publish_summary(case: Case, *, actor: User):
    """A public critique summary of the case (a draft publication staff publish with one click)."""

    check(actor, "advisory.manage_case", case)
    if case.status not in (Status.SENT, Status.ANSWERED, Status.ASSESSED, Status.CLOSED):
        raise ValidationError(_("Only a sent report can be summarised for the public."))
    recommendations = list(case.recommendations.all())
    body = "\n\n".join([case.conclusion.strip(), *[f"{r.number}. {r.text.strip()}" for r in recommendations]]).strip()
    agency = f" của {case.requesting_agency.name}" if case.requesting_agency_id else ""
    return publish_output(
        actor=actor,
        union=case.union,
        kind="critique_summary",
        title=f"{case.report_title().capitalize()}: {case.title}"[:300],
        summary=f"{case.get_kind_display()} {case.code}{agency}: {len(recommendations)} kiến nghị.",
        body=body,
        source=case,
        publish=False,
    )


def agencies_choice_for(actor: User, union: Union):
    """The agencies the user may send a request for: every agency for staff, their own for a representative."""
    if is_editor(actor, union):
        return Agency.objects.filter(union=union)
    return Agency.objects.filter(union=union, pk__in=represented_agency_ids(actor, union))
