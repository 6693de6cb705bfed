"""Awards: the proposal stored from the rules, the board's adjustments with reasons, the leader's approval, the
award decision (Decree 30/2020 DOCX with the list of winners as an annex), publication and the national
nomination."""

import datetime
import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from lienhiep.contests import results
from lienhiep.contests.models import Award, AwardTier, Contributor, Edition, Entry, EntryCertificate
from lienhiep.contests.services import percent
from lienhiep.core.models import Person, User
from lienhiep.core.services import check, check_same_union, log_activity
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of
from lienhiep.portal.services import publish_output


def _last_round(edition: Edition):
    last = edition.last_round()
    if last is None:
        raise ValidationError(_("The edition has no judging round."))
    return last


@transaction.atomic
def apply_proposal(edition: Edition, *, actor: User, normalised: bool = False) -> int:
    """Store the rules' proposal (raw or normalised ranking) as the awards; the board's earlier changes (with
    their reasons) are kept. Returns the number of entries proposed for an award."""
    check(actor, "contests.manage_contests", edition.union)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.REVIEW:
        raise ValidationError(_("Awards are proposed while the results are under review."))
    count = 0
    for row in results.stored_rows(results.stored_table(_last_round(edition))):
        tier = row.tier_norm if normalised else row.tier
        note = row.note_norm if normalised else row.note
        score = row.normalised if normalised else row.mean
        award, created = Award.objects.get_or_create(entry_id=row.entry_id)
        award.proposed_tier = tier
        if created or not award.adjustment_reason:
            award.tier = tier
        award.score, award.rank, award.note = score, row.rank_norm if normalised else row.rank, note[:500]
        award.save()
        count += tier is not None
    edition.awards_basis = "normalised" if normalised else "raw"
    edition.save(update_fields=["awards_basis"])
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.awards.proposed",
        message=(
            _("Award proposal from the normalised ranking: %(n)s entries")
            if normalised
            else _("Award proposal from the raw ranking: %(n)s entries")
        )
        % {"n": count},
        target=edition,
    )
    return count


@transaction.atomic
def adjust_award(award: Award, *, actor: User, tier: AwardTier | None, reason: str) -> Award:
    """The board changes an entry's award (a special prize, a tie decided) with a reason kept for the record."""
    edition = award.entry.edition
    check(actor, "contests.manage_contests", edition.union)
    if tier is not None and tier.edition_id != edition.pk:
        raise PermissionDenied
    if edition.status != Edition.Status.REVIEW:
        raise ValidationError(_("Awards can be changed only while the results are under review."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the board's reason for the change."))
    before = award.tier
    award.tier = tier
    award.adjustment_reason = reason[:500]
    award.adjusted_by = actor
    award.save()
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.award.adjusted",
        message=_("Award of %(entry)s changed from %(old)s to %(new)s: %(reason)s")
        % {"entry": award.entry.number, "old": before or "—", "new": tier or "—", "reason": reason},
        target=edition,
    )
    return award


@transaction.atomic
def approve_awards(edition: Edition, *, actor: User, number: str, day: datetime.date, signatory: str) -> Edition:
    """The leader approves the awards and signs the decision."""
    check(actor, "contests.approve_edition", edition)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not Award.objects.filter(entry__edition=edition, tier__isnull=False).exists():
        raise ValidationError(_("No entry has an award yet: apply the proposal first."))
    try:
        edition.approve()
    except TransitionNotAllowed as error:
        raise ValidationError(_("Awards can be approved only while the results are under review.")) from error
    signatory = signatory.strip()
    person = Person.objects.filter(union=edition.union, name=signatory).first()  # the registry gives the position
    decision = issue_document(
        edition,
        kind=IssuedDocument.Kind.AWARD_DECISION,
        union=edition.union,
        actor=actor,
        day=day,
        signer=signer_of(person, name=signatory),
        signer_person=person,
        typed_number=number,
    )
    edition.decision_number, edition.decision_date, edition.signatory_name = decision.number_symbol, day, signatory
    edition.approved_by, edition.approved_at = actor, timezone.now()
    edition.save()
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.awards.approved",
        message=_("Awards of %(edition)s approved (decision %(number)s)")
        % {"edition": edition, "number": decision.number_symbol},
        target=edition,
    )
    return edition


@transaction.atomic
def withdraw_approval(edition: Edition, *, actor: User, reason: str) -> Edition:
    check(actor, "contests.approve_edition", edition)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if EntryCertificate.objects.filter(entry__edition=edition, certificate__revoked_at__isnull=True).exists():
        raise ValidationError(_("Certificates have been issued for these awards; revoke them first."))
    try:
        edition.withdraw_approval()
    except TransitionNotAllowed as error:
        raise ValidationError(_("Only approved, unpublished awards can be reopened.")) from error
    edition.save()
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.awards.approval_withdrawn",
        message=_("Approval of the awards withdrawn: %s") % reason.strip(),
        target=edition,
    )
    return edition


def winners(edition: Edition) -> list[Award]:
    """Awarded entries in the order of the decision: by tier, then field, then score."""
    awards = (
        Award.objects.filter(entry__edition=edition, tier__isnull=False)
        .select_related("tier", "entry__field", "entry__locality", "entry__school")
        .prefetch_related("entry__contributors__person")
    )
    return sorted(awards, key=lambda a: (a.tier.rank, a.entry.field.code, -(a.score or 0), a.entry.number))


@transaction.atomic
def publish_results(edition: Edition, *, actor: User):
    """One click: the results page goes public and a portal publication (listed under results, searchable)
    points at it."""
    check(actor, "contests.manage_edition", edition)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    try:
        edition.publish()
    except TransitionNotAllowed as error:
        raise ValidationError(_("Results can be published once the leader has approved the awards.")) from error
    edition.save()
    awarded = winners(edition)
    url = reverse("contests:public_results", args=[edition.union.slug, edition.pk])
    lines = [f"{a.tier.name}: «{a.entry.title}» — {a.entry.author_names()}" for a in awarded]
    publication = publish_output(
        actor=actor,
        union=edition.union,
        kind="contest_result",
        title=f"Kết quả {edition.title}",
        summary=f"{len(awarded)} giải pháp đạt giải {edition.title} ({edition.period}).",
        body="\n\n".join([*lines, f'<a href="{url}">Xem kết quả theo lĩnh vực và giải</a>']),
        source=edition,
        publish=True,
    )
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.results.published",
        message=_("Results published: %s") % edition,
        target=edition,
    )
    return publication


@transaction.atomic
def nominate(edition: Edition, *, actor: User, entries: list[Entry]) -> int:
    """Choose the entries sent to the national contest (awarded ones, within the edition's number)."""
    check(actor, "contests.manage_contests", edition.union)
    check_same_union(edition.union, *entries)
    if edition.status not in (Edition.Status.APPROVED, Edition.Status.PUBLISHED):
        raise ValidationError(_("Entries are nominated after the awards are approved."))
    if any(e.edition_id != edition.pk for e in entries):
        raise PermissionDenied
    if edition.national_quota and len(entries) > edition.national_quota:
        raise ValidationError(
            _("At most %(n)s entries go to the national contest; %(m)s were chosen.")
            % {"n": edition.national_quota, "m": len(entries)}
        )
    not_awarded = [e.number for e in entries if not Award.objects.filter(entry=e, tier__isnull=False).exists()]
    if not_awarded:
        raise ValidationError(_("Only awarded entries can be nominated: %s.") % ", ".join(not_awarded))
    now = timezone.now()
    Entry.objects.filter(edition=edition).exclude(pk__in=[e.pk for e in entries]).update(nominated_at=None)
    Entry.objects.filter(pk__in=[e.pk for e in entries], nominated_at__isnull=True).update(nominated_at=now)
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.entries.nominated",
        message=_("Nominated to the national contest: %s") % (", ".join(e.number for e in entries) or "—"),
        target=edition,
    )
    return len(entries)


def nomination_zip(edition: Edition) -> bytes:
    """The dossiers of the nominated entries, one folder per entry, with a summary sheet each."""
    buffer = io.BytesIO()
    entries = (
        Entry.objects.filter(edition=edition, nominated_at__isnull=False)
        .select_related("field", "locality", "school", "award__tier")
        .prefetch_related("contributors__person", "files__attachment", "files__item")
        .order_by("number")
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            folder = entry.number
            summary = [
                f"Số đăng ký: {entry.number}",
                f"Tên giải pháp: {entry.title}",
                f"Lĩnh vực: {entry.field}",
                f"Giải: {entry.award.tier.name if hasattr(entry, 'award') and entry.award.tier else '—'}",
                f"Địa phương: {entry.locality.full_path() if entry.locality_id else '—'}",
            ]
            if entry.school_id:
                summary.append(f"Trường: {entry.school.name}")
            for c in entry.contributors.all():
                share = f" ({percent(c.share)}%)" if c.share is not None else ""
                role = "Tác giả" if c.role == Contributor.Role.AUTHOR else "Người hướng dẫn"
                summary.append(f"{role}: {c.person.name}{share}")
            summary += ["", "Tóm tắt:", entry.summary]
            archive.writestr(f"{folder}/tom-tat.txt", "\n".join(summary))
            for n, entry_file in enumerate(entry.files.all(), start=1):
                if entry_file.attachment_id:
                    with entry_file.attachment.file.open("rb") as handle:
                        archive.writestr(f"{folder}/{n:02d}-{entry_file.attachment.original_name}", handle.read())
                else:
                    archive.writestr(f"{folder}/{n:02d}-{entry_file.item.name}.txt", entry_file.url)
    return buffer.getvalue()
