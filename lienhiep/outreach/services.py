"""Every write of the outreach module: one function per use case, atomic, permission-checked, logged."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import attach_file, check, log_activity, mail_after_commit, transition
from lienhiep.core.uploads import JPEG, PNG
from lienhiep.outreach.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    ContestPromotion,
    LocalProject,
    Minutes,
    MinutesEntry,
    MinutesLocked,
    PlannedVisit,
    SessionPhoto,
    WorkPlan,
    WorkSession,
    new_feed_token,
)
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document, issue_document, signer_of

logger = logging.getLogger(__name__)


def _require_manager(actor: User, union: Union) -> None:
    check(actor, "outreach.manage_outreach", union)


def _check_same_union(union: Union, *records) -> None:
    for record in records:
        if record is not None and getattr(record, "union_id", union.pk) != union.pk:
            raise PermissionDenied


def _save(record: models.Model, *, actor: User, union: Union, noun: str, m2m: dict | None = None) -> models.Model:
    _require_manager(actor, union)
    if record.union_id != union.pk:
        raise PermissionDenied
    for values in (m2m or {}).values():
        _check_same_union(union, *values)
    created = record.pk is None
    record.full_clean()
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    label = str(record._meta.verbose_name).capitalize()
    log_activity(
        union=union,
        actor=actor,
        verb=f"outreach.{noun}.{'created' if created else 'changed'}",
        message=(_("%(kind)s added: %(name)s") if created else _("%(kind)s changed: %(name)s"))
        % {"kind": label, "name": str(record)},
        target=record,
    )
    return record


@transaction.atomic
def save_plan(union: Union, *, actor: User, plan: WorkPlan) -> WorkPlan:
    return _save(plan, actor=actor, union=union, noun="plan")


@transaction.atomic
def save_visit(union: Union, *, actor: User, visit: PlannedVisit, agencies=(), delegation=()) -> PlannedVisit:
    _check_same_union(union, visit.plan)
    visit = _save(visit, actor=actor, union=union, noun="visit", m2m={"agencies": agencies, "delegation": delegation})
    return visit


def _latest_minutes(session: WorkSession) -> Minutes | None:
    return session.minutes_versions.order_by("-version").first()


@transaction.atomic
def save_session(
    union: Union,
    *,
    actor: User,
    session: WorkSession,
    agenda: list[str],
    delegation=(),
    participants=(),
    agencies=(),
    documents=(),
) -> WorkSession:
    """Record or change a session and its agenda (one line an item). The agenda is fixed once the latest minutes
    are approved, and no item that approved minutes speak of can be removed."""
    _check_same_union(union, session.plan_visit)
    agenda = [line.strip() for line in agenda if line.strip()]
    if not agenda:
        raise ValidationError(_("Write at least one agenda item."))
    session = _save(
        session,
        actor=actor,
        union=union,
        noun="session",
        m2m={"delegation": delegation, "participants": participants, "agencies": agencies, "documents": documents},
    )
    items = list(session.agenda_items.all())
    if [i.title for i in items] == agenda:
        return session
    latest = _latest_minutes(session)
    if latest is not None and latest.is_locked:
        raise MinutesLocked(
            _("The minutes are approved: make a new version of the minutes before changing the agenda.")
        )
    for order, title in enumerate(agenda, start=1):
        if order <= len(items):
            item = items[order - 1]
            if (item.title, item.order) != (title, order):
                item.title, item.order = title, order
                item.save(update_fields=["title", "order"])
        else:
            AgendaItem.objects.create(session=session, order=order, title=title)
    removed = items[len(agenda) :]
    if removed:
        used = MinutesEntry.objects.filter(agenda_item__in=removed, minutes__state=Minutes.State.APPROVED)
        if used.exists():
            raise MinutesLocked(_("An agenda item that approved minutes record cannot be removed."))
        AgendaItem.objects.filter(pk__in=[i.pk for i in removed]).delete()
    return session


@transaction.atomic
def add_session_photo(
    union: Union, *, actor: User, session: WorkSession, upload, caption: str, credit: str = ""
) -> SessionPhoto:
    _require_manager(actor, union)
    _check_same_union(union, session)
    attachment = attach_file(
        actor=actor, union=union, owner=session, upload=upload, description=caption, allowed=(JPEG, PNG)
    )
    return SessionPhoto.objects.create(session=session, attachment=attachment, caption=caption, credit=credit)


# Minutes ---------------------------------------------------------------------------------------------------------


def _log_minutes(minutes: Minutes, actor: User, verb: str, message: str) -> None:
    log_activity(
        union=minutes.session.union,
        actor=actor,
        verb=f"outreach.minutes.{verb}",
        message=message,
        target=minutes.session,
    )


@transaction.atomic
def start_minutes(session: WorkSession, *, actor: User) -> Minutes:
    _require_manager(actor, session.union)
    existing = _latest_minutes(session)
    if existing is not None:
        return existing
    minutes = Minutes.objects.create(session=session, version=1)
    MinutesEntry.objects.bulk_create(MinutesEntry(minutes=minutes, agenda_item=i) for i in session.agenda_items.all())
    _log_minutes(minutes, actor, "started", _("Minutes started (version %d)") % minutes.version)
    return minutes


def _locked_error() -> MinutesLocked:
    return MinutesLocked(_("Approved minutes are locked; make a new version to change them."))


@transaction.atomic
def save_minutes(
    minutes: Minutes,
    *,
    actor: User,
    conclusion: str,
    entries: dict[int, tuple[str, str]],
    notice_number: str = "",
    signatory=None,
) -> Minutes:
    """Write the minutes: {agenda item id: (discussion, conclusion)}. Only a draft or circulated version."""
    session = minutes.session
    _require_manager(actor, session.union)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_editable:
        raise _locked_error()
    _check_same_union(session.union, signatory)
    minutes.conclusion, minutes.notice_number, minutes.signatory = conclusion.strip(), notice_number.strip(), signatory
    minutes.save()
    current = {e.agenda_item_id: e for e in minutes.entries.all()}
    for item in session.agenda_items.all():
        discussion, item_conclusion = entries.get(item.pk, ("", ""))
        entry = current.get(item.pk) or MinutesEntry(minutes=minutes, agenda_item=item)
        if entry.pk is None or (entry.discussion, entry.conclusion) != (discussion.strip(), item_conclusion.strip()):
            entry.discussion, entry.conclusion = discussion.strip(), item_conclusion.strip()
            entry.save()
    _log_minutes(minutes, actor, "changed", _("Minutes written (version %d)") % minutes.version)
    return minutes


def _participant_emails(session: WorkSession) -> list[str]:
    emails = {p.email or (p.user.email if p.user else "") for p in session.participants.select_related("user")}
    emails |= {p.email or (p.user.email if p.user else "") for p in session.delegation.select_related("user")}
    emails |= {a.email for a in session.agencies.all()}
    return sorted(e for e in emails if e)


@transaction.atomic
def circulate_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    """Send the draft to the participants for corrections (by e-mail, after the commit)."""
    session = minutes.session
    _require_manager(actor, session.union)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    transition(minutes, "circulate", actor=actor, field="state")
    minutes.circulated_at = timezone.now()
    minutes.save()
    recipients = _participant_emails(session)
    _log_minutes(
        minutes, actor, "circulated", _("Minutes circulated to %d participants for corrections") % len(recipients)
    )
    subject = _("Draft minutes for corrections: %s") % session
    body = minutes_text(minutes)
    mail_after_commit(subject, body, recipients)
    return minutes


@transaction.atomic
def withdraw_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    _require_manager(actor, minutes.session.union)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    transition(minutes, "withdraw", actor=actor, field="state")
    minutes.save()
    _log_minutes(minutes, actor, "withdrawn", _("Minutes taken back to draft (version %d)") % minutes.version)
    return minutes


@transaction.atomic
def approve_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    """Approve and lock the circulated minutes."""
    _require_manager(actor, minutes.session.union)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    transition(minutes, "approve", actor=actor, field="state")
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.save()  # the row is still "circulated" in the database: this is the last save it accepts
    union = minutes.session.union
    signer = minutes.signatory or Person.objects.filter(union=union, user=actor).first()
    earlier = Minutes.objects.filter(session=minutes.session, version__lt=minutes.version).order_by("-version").first()
    notice = issue_document(
        minutes,
        kind=IssuedDocument.Kind.CONCLUSION_NOTICE,
        union=union,
        actor=actor,
        day=timezone.localdate(minutes.approved_at),
        signer=signer_of(signer, name=actor.get_full_name()),
        signer_person=signer,
        typed_number=minutes.notice_number,
        replaces=current_document(earlier, IssuedDocument.Kind.CONCLUSION_NOTICE) if earlier else None,
    )
    _log_minutes(
        minutes,
        actor,
        "approved",
        _("Minutes approved and locked (version %(v)d); conclusion notice %(n)s issued")
        % {"v": minutes.version, "n": notice.number_symbol},
    )
    return minutes


@transaction.atomic
def revise_minutes(minutes: Minutes, *, actor: User, reason: str) -> Minutes:
    """A change after approval: a new draft version copying the approved one, with the reason; the approved
    version stays as it was."""
    session = minutes.session
    _require_manager(actor, session.union)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the approved minutes need a new version."))
    WorkSession.objects.select_for_update().filter(pk=session.pk).first()  # one revision at a time
    latest = _latest_minutes(session)
    if latest is None or latest.pk != minutes.pk or not minutes.is_locked:
        raise ValidationError(_("Only the latest approved version can be revised."))
    new = Minutes.objects.create(
        session=session,
        version=minutes.version + 1,
        conclusion=minutes.conclusion,
        revision_reason=reason,
        notice_number="",
        signatory=minutes.signatory,
    )
    old_entries = {e.agenda_item_id: e for e in minutes.entries.all()}
    MinutesEntry.objects.bulk_create(
        MinutesEntry(
            minutes=new,
            agenda_item=item,
            discussion=old_entries[item.pk].discussion if item.pk in old_entries else "",
            conclusion=old_entries[item.pk].conclusion if item.pk in old_entries else "",
        )
        for item in session.agenda_items.all()
    )
    _log_minutes(
        new, actor, "revised", _("New version %(v)d of the minutes: %(reason)s") % {"v": new.version, "reason": reason}
    )
    return new


def minutes_text(minutes: Minutes) -> str:
    """Plain text of the minutes (the circulation e-mail)."""
    lines = [str(minutes.session), ""]
    for entry in minutes.entries.select_related("agenda_item"):
        lines.append(str(entry.agenda_item))
        if entry.discussion:
            lines.append(entry.discussion)
        if entry.conclusion:
            lines.append(_("Conclusion: %s") % entry.conclusion)
        lines.append("")
    if minutes.conclusion:
        lines += [_("General conclusion"), minutes.conclusion]
    return "\n".join(lines)


# Action items ------------------------------------------------------------------------------------------------------


@transaction.atomic
def save_action_item(union: Union, *, actor: User, item: ActionItem) -> ActionItem:
    _check_same_union(union, item.session, item.owner_person, item.owner_agency)
    if item.agenda_item_id and (item.session is None or item.agenda_item.session_id != item.session_id):
        raise ValidationError(_("The agenda item belongs to another session."))
    if item.locality_id is None:
        item.locality = (item.session.admin_unit if item.session else None) or (
            item.owner_agency.admin_unit if item.owner_agency else None
        )
    return _save(item, actor=actor, union=union, noun="action_item")


# The step of `ActionItem` that moves an item to each status (the demo data and the tests name the status).
STEP_FOR_STATUS = {
    ActionItem.Status.IN_PROGRESS: "start",
    ActionItem.Status.DONE: "complete",
    ActionItem.Status.DROPPED: "drop",
    ActionItem.Status.OPEN: "reopen",
}


def _follow_up(
    item: ActionItem,
    *,
    actor: User,
    step: str = "",
    evidence: str | None = None,
    more_evidence: str = "",
    reason: str = "",
) -> ActionItem:
    """Take the item's step (its transition: who may, and from which status) and record its evidence: `evidence`
    replaces what was recorded, `more_evidence` is added under it. Staff, or the owning agency's representative."""
    check(actor, "outreach.change_action_status", item)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    old = item.get_status_display()
    if evidence is not None:
        item.evidence = evidence.strip()
    if more_evidence.strip():
        item.evidence = "\n".join(text for text in (item.evidence, more_evidence.strip()) if text)
    if step:
        transition(item, step, actor=actor)  # refused unless the item's status allows the step
        if item.status == ActionItem.Status.DROPPED:
            if not reason.strip():
                raise ValidationError(_("Say why the action is dropped."))
            item.drop_reason = reason.strip()
        item.completed_on = datetime.date.today() if item.status == ActionItem.Status.DONE else None
        if item.status != ActionItem.Status.DROPPED:
            item.drop_reason = ""
    item.save()
    message = (
        _("Action item %(title)s: %(old)s → %(new)s")
        % {"title": item.title, "old": old, "new": item.get_status_display()}
        if old != item.get_status_display()
        else _("Action item evidence updated: %s") % item.title
    )
    log_activity(
        union=item.union, actor=actor, verb="outreach.action_item.status_changed", message=message, target=item
    )
    return item


@transaction.atomic
def start_action_item(item: ActionItem, *, actor: User) -> ActionItem:
    return _follow_up(item, actor=actor, step="start")


@transaction.atomic
def complete_action_item(item: ActionItem, *, actor: User, evidence: str = "") -> ActionItem:
    """Done, with what was done (added to the evidence recorded so far)."""
    return _follow_up(item, actor=actor, step="complete", more_evidence=evidence)


@transaction.atomic
def drop_action_item(item: ActionItem, *, actor: User, reason: str = "") -> ActionItem:
    """Dropped, with the reason (required)."""
    return _follow_up(item, actor=actor, step="drop", reason=reason)


@transaction.atomic
def reopen_action_item(item: ActionItem, *, actor: User) -> ActionItem:
    return _follow_up(item, actor=actor, step="reopen")


@transaction.atomic
def record_action_evidence(item: ActionItem, *, actor: User, evidence: str) -> ActionItem:
    """The progress and evidence so far, without a change of status."""
    return _follow_up(item, actor=actor, evidence=evidence)


@transaction.atomic
def change_action_status(
    item: ActionItem, *, actor: User, status: str, evidence: str | None = None, reason: str = ""
) -> ActionItem:
    """Move an action item to `status` by its step (the demo data's and the tests' shorthand); `evidence` replaces
    what was recorded."""
    if status not in STEP_FOR_STATUS:
        raise ValidationError(_("Unknown status."))
    current = ActionItem.objects.filter(pk=item.pk).values_list("status", flat=True).first()
    step = "" if status == current else STEP_FOR_STATUS[status]
    return _follow_up(item, actor=actor, step=step, evidence=evidence, reason=reason)


# Projects, contests, calendar ----------------------------------------------------------------------------------


@transaction.atomic
def save_local_project(union: Union, *, actor: User, project: LocalProject) -> LocalProject:
    _check_same_union(union, project.owner_agency, project.learned_at)
    return _save(project, actor=actor, union=union, noun="local_project")


@transaction.atomic
def record_promotion(union: Union, *, actor: User, promotion: ContestPromotion) -> ContestPromotion:
    _check_same_union(union, promotion.session)
    return _save(promotion, actor=actor, union=union, noun="contest_promotion")


@transaction.atomic
def calendar_feed_for(union: Union, *, actor: User, renew: bool = False) -> CalendarFeed:
    """The member's secret calendar address; renewing it revokes the old one."""
    _require_manager(actor, union)
    feed, created = CalendarFeed.objects.get_or_create(union=union, user=actor)
    if renew and not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
        log_activity(
            union=union, actor=actor, verb="outreach.calendar_feed.renewed", message=_("Calendar address renewed")
        )
    return feed
