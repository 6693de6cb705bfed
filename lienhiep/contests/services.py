"""Entries: every write is one function, atomic, permission-checked, logged once (and the helpers the other
service modules share).

Editions live in editions.py, judging in judging.py, awards in awards.py, certificates in certificates.py; all
follow the same shape."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.contests import results
from lienhiep.contests.models import (
    AgeGroup,
    Contributor,
    DossierItem,
    Edition,
    Entry,
    EntryFile,
)
from lienhiep.core.models import Agency, Person, Union, User
from lienhiep.core.rules import is_editor
from lienhiep.core.services import (
    check,
    check_same_union,
    check_version,
    log_activity,
    mail_after_commit,
    store_attachment,
    transition,
)
from lienhiep.core.text import fold, normalize


def percent(value: Decimal) -> str:
    """60.00 → '60', 33.50 → '33.5' (as people write shares)."""
    text = f"{value.normalize():f}"
    return text


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in full years on a day (a birthday on the day itself counts)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# Entries --------------------------------------------------------------------------------------------------


@dataclass
class ContributorData:
    """An author or mentor as typed in the entry form (or picked from the registry by staff)."""

    name: str
    role: str = Contributor.Role.AUTHOR
    share: Decimal | None = None
    birth_date: datetime.date | None = None
    agency: Agency | None = None
    email: str = ""
    person: Person | None = None


def _person_for(union: Union, data: ContributorData, actor: User) -> Person:
    """The registry person behind a typed author: the one picked, or one with the same name and birth year
    (and workplace, when both have one), or a new record."""
    if data.person is not None:
        check_same_union(union, data.person)
        return data.person
    name = normalize(data.name)
    birth_year = data.birth_date.year if data.birth_date else None
    candidates = Person.objects.filter(union=union, name_folded=fold(name), birth_year=birth_year)
    if data.agency is not None:
        candidates = candidates.filter(agency__in=[data.agency]) | candidates.filter(agency__isnull=True)
    person = candidates.order_by("pk").first()
    if person is None:
        person = Person(union=union, name=name, birth_year=birth_year, agency=data.agency, email=data.email)
        if fold(name) == fold(actor.get_full_name()) and not Person.objects.filter(union=union, user=actor).exists():
            person.user = actor
        person.save()
    return person


def check_contributors(edition: Edition, people: list[ContributorData]) -> list[str]:
    """Problems with the authors and mentors of an entry (shares, team size, ages), in Vietnamese."""
    problems = []
    authors = [p for p in people if p.role == Contributor.Role.AUTHOR]
    if not authors:
        problems.append(_("An entry needs at least one author."))
    if len(authors) > edition.max_team:
        problems.append(
            _("An entry may have at most %(n)s authors; this one has %(m)s.")
            % {"n": edition.max_team, "m": len(authors)}
        )
    if authors:
        missing = [a.name for a in authors if a.share is None]
        total = sum((a.share or Decimal(0) for a in authors), Decimal(0))
        if missing:
            problems.append(_("Give the contribution share of every author (%s).") % ", ".join(missing))
        elif total != Decimal(100):
            problems.append(_("The authors' shares must add up to 100%%; they add up to %s%%.") % percent(total))
    names = [fold(p.name) for p in people]
    if len(set(names)) < len(names):
        problems.append(_("The same person is listed twice."))
    if edition.is_youth and edition.age_cutoff:
        for author in authors:
            if author.birth_date is None:
                problems.append(_("Give the date of birth of %s: ages are checked for this contest.") % author.name)
                continue
            age = age_on(author.birth_date, edition.age_cutoff)
            if (edition.min_age is not None and age < edition.min_age) or (
                edition.max_age is not None and age > edition.max_age
            ):
                problems.append(
                    _("%(name)s is %(age)s on %(day)s; this contest takes ages %(lo)s to %(hi)s.")
                    % {
                        "name": author.name,
                        "age": age,
                        "day": edition.age_cutoff.strftime("%d/%m/%Y"),
                        "lo": edition.min_age,
                        "hi": edition.max_age,
                    }
                )
        mentor_names = {fold(p.name) for p in people if p.role == Contributor.Role.MENTOR}
        if mentor_names & {fold(a.name) for a in authors}:
            problems.append(_("A guiding teacher cannot also be an author."))
    return problems


def age_group_for(edition: Edition, people: list[ContributorData]) -> AgeGroup | None:
    """The age group of a youth entry: the group of its oldest author, at the cut-off date."""
    if not edition.is_youth or not edition.age_cutoff:
        return None
    births = [p.birth_date for p in people if p.role == Contributor.Role.AUTHOR and p.birth_date]
    if not births:
        return None
    age = age_on(min(births), edition.age_cutoff)
    return next((g for g in edition.age_groups.all() if g.min_age <= age <= g.max_age), None)


@transaction.atomic
def save_entry(
    entry: Entry,
    *,
    actor: User,
    people: list[ContributorData],
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> Entry:
    """Create or change an entry (a draft, or one returned for completion) with its authors and mentors.
    `expected_version` is the version the form was opened on: if someone saved the entry since, the change is
    refused (EditConflict) rather than overwriting theirs."""
    if entry.union_id is None:
        entry.union_id = entry.edition.union_id
    check(actor, "contests.change_entry", entry)
    edition = Edition.objects.select_for_update().get(pk=entry.edition_id)
    union = edition.union
    check_same_union(union, entry.school, *(p.agency for p in people))
    if entry.field.edition_id != edition.pk:
        raise PermissionDenied
    staff = is_editor(actor, union)
    created = entry.pk is None
    now = now or timezone.now()
    if created:
        if not staff and not edition.registration_is_open(now):
            raise ValidationError(_("Registration for this edition is not open."))
        if edition.status not in (Edition.Status.OPEN, Edition.Status.DRAFT) and not staff:
            raise ValidationError(_("Registration for this edition is not open."))
        entry.owner = entry.owner or actor
        entry.on_paper = staff and entry.owner_id == actor.pk
    else:
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        check_version(current.version, expected_version)
        if current.status not in Entry.EDITABLE:
            raise ValidationError(_("A submitted entry can no longer be changed. Ask the organisers to reopen it."))
        entry.version = current.version + 1
    problems = check_contributors(edition, people)
    if problems:
        raise ValidationError(problems)
    entry.union = union
    entry.age_group = age_group_for(edition, people)
    entry.save()
    entry.contributors.all().delete()
    for order, data in enumerate(people):
        Contributor.objects.create(
            entry=entry,
            person=_person_for(union, data, actor),
            role=data.role,
            share=data.share if data.role == Contributor.Role.AUTHOR else None,
            birth_date=data.birth_date,
            order=order,
        )
    log_activity(
        union=union,
        actor=actor,
        verb=f"contests.entry.{'created' if created else 'changed'}",
        message=(_("Entry registered: %s") if created else _("Entry changed: %s")) % entry.title,
        target=entry,
    )
    return entry


def contributor_data(entry: Entry) -> list[ContributorData]:
    return [
        ContributorData(
            name=c.person.name,
            role=c.role,
            share=c.share,
            birth_date=c.birth_date,
            agency=c.person.agency,
            email=c.person.email,
            person=c.person,
        )
        for c in entry.contributors.select_related("person__agency")
    ]


def completeness(entry: Entry) -> list[str]:
    """What the dossier still lacks, against the edition's required items and rules (empty = complete)."""
    edition = entry.edition
    missing = check_contributors(edition, contributor_data(entry))
    have = set(entry.files.values_list("item_id", flat=True))
    for item in edition.dossier_items.all():
        if item.required and item.pk not in have:
            missing.append(_("Missing: %s") % item.name)
    if edition.is_youth:
        if not entry.school_id:
            missing.append(_("Give the school."))
        if not entry.contributors.filter(role=Contributor.Role.MENTOR).exists():
            missing.append(_("Give the guiding teacher or guardian."))
        if edition.age_groups.exists() and entry.age_group_id is None:
            missing.append(_("The authors' ages fall in no age group of this contest."))
    if not entry.locality_id:
        missing.append(_("Give the locality."))
    return missing


def entrant_emails(entry: Entry) -> list[str]:
    emails = [entry.owner.email if entry.owner else ""]
    emails += [c.person.email or (c.person.user.email if c.person.user else "") for c in entry.contributors.all()]
    return emails


@transaction.atomic
def submit_entry(
    entry: Entry, *, actor: User, now: datetime.datetime | None = None, received_at: datetime.datetime | None = None
) -> Entry:
    """Submit before the deadline (server time, the deadline's own second included), complete; gives the
    registration number and e-mails the receipt. For a paper dossier staff give the moment it was received
    (`received_at`, not in the future): the deadline is checked against it."""
    check(actor, "contests.change_entry", entry)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    edition = Edition.objects.select_for_update().get(pk=entry.edition_id)
    entry.edition = edition
    now = now or timezone.now()
    if entry.status not in Entry.EDITABLE:
        raise ValidationError(_("This entry has already been submitted."))
    if received_at is not None:
        if not (entry.on_paper and is_editor(actor, entry.union)):
            raise PermissionDenied
        if received_at > now:
            raise ValidationError(_("The time the paper dossier was received cannot be in the future."))
        now = received_at
    if now > entry.deadline():
        raise ValidationError(
            _("The deadline was %s; the entry can no longer be submitted.")
            % timezone.localtime(entry.deadline()).strftime("%H:%M:%S %d/%m/%Y")
        )
    if edition.status not in (Edition.Status.OPEN, Edition.Status.JUDGING) and not entry.open_until:
        raise ValidationError(_("Registration for this edition is not open."))
    missing = completeness(entry)
    if missing:
        raise ValidationError(missing)
    if not entry.number:
        entry.number = f"{edition.code}-{edition.next_number:03d}"
        edition.next_number += 1
        edition.save(update_fields=["next_number"])
    transition(entry, "submit", actor=actor)
    entry.submitted_at = now
    entry.dossier_reopened_at = None  # a dossier reopened for completion closes again with the submission
    entry.version += 1
    entry.save()
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.entry.submitted",
        message=_("Entry submitted: %(number)s %(title)s") % {"number": entry.number, "title": entry.title},
        target=entry,
    )
    mail_after_commit(
        _("Receipt: entry %(number)s, %(edition)s") % {"number": entry.number, "edition": edition},
        "\n".join(
            [
                edition.union.name,
                "",
                _("Your entry was received."),
                _("Registration number: %s") % entry.number,
                _("Title: %s") % entry.title,
                _("Received at: %s") % timezone.localtime(now).strftime("%H:%M:%S %d/%m/%Y"),
            ]
        ),
        entrant_emails(entry),
    )
    return entry


SCREENING = {
    "accept": ("accept", _("Entry accepted: %s"), _("Your entry %s was accepted for judging.")),
    "return": ("return_for_completion", _("Entry returned for completion: %s"), _("Your entry %s needs completing.")),
    "reject": ("reject", _("Entry rejected as ineligible: %s"), _("Your entry %s was not accepted.")),
}


@transaction.atomic
def screen_entry(
    entry: Entry, *, actor: User, decision: str, note: str = "", until: datetime.datetime | None = None
) -> Entry:
    """Staff accept a submitted entry, return it for completion with a note, or reject it with a reason."""
    check(actor, "contests.manage_contests", entry.union)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    if decision not in SCREENING:
        raise PermissionDenied
    note = note.strip()
    if decision in ("return", "reject") and not note:
        raise ValidationError(_("Say what is missing or why the entry is not eligible: the entrant reads it."))
    method, log_message, mail_subject = SCREENING[decision]
    transition(entry, method, actor=actor)
    entry.screening_note = note
    if decision == "return":
        entry.open_until = until or (timezone.now() + datetime.timedelta(days=7))
    entry.version += 1
    log_activity(
        union=entry.union, actor=actor, verb=f"contests.entry.{decision}", message=log_message % entry, target=entry
    )
    if decision == "return":  # to be completed (or anonymised), its dossier opens again, even after judging started
        _open_dossier(entry, actor=actor, reason=note)
    entry.save()
    results.store_edition_results(entry.edition)  # an entry accepted, or rejected after it was: the rounds it is in
    lines = [entry.union.name, "", mail_subject % entry.number]
    if note:
        lines.append(_("Note from the organisers: %s") % note)
    mail_after_commit(mail_subject % entry.number, "\n".join(lines), entrant_emails(entry))
    return entry


@transaction.atomic
def reopen_entry(entry: Entry, *, actor: User, reason: str, until: datetime.datetime | None = None) -> Entry:
    """Staff open a submitted (or screened) entry again for changes, with a reason and a new deadline."""
    check(actor, "contests.manage_contests", entry.union)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the entry."))
    if entry.assignments.filter(status__in=["confirmed", "submitted"]).exists():
        raise ValidationError(_("Judges are already scoring this entry; it cannot be reopened."))
    transition(entry, "reopen", actor=actor)
    entry.screening_note = reason.strip()
    entry.open_until = until or (timezone.now() + datetime.timedelta(days=7))
    entry.version += 1
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.entry.reopened",
        message=_("Entry reopened: %(entry)s — %(reason)s") % {"entry": entry, "reason": reason.strip()},
        target=entry,
    )
    _open_dossier(entry, actor=actor, reason=reason.strip())
    entry.save()
    results.store_edition_results(entry.edition)  # an accepted entry reopened leaves the rounds' results
    return entry


def _open_dossier(entry: Entry, *, actor: User, reason: str) -> None:
    """Open one entry's dossier (the caller holds its row locked, and saves it). Once judging has started this is
    an exception to the rule that dossiers are closed, so it is logged on its own line, with the reason, for the
    results."""
    entry.dossier_reopened_at = timezone.now()
    if entry.edition.dossiers_closed:
        log_activity(
            union=entry.union,
            actor=actor,
            verb="contests.entry.dossier_reopened",
            message=_("Dossier of %(entry)s reopened after judging started: %(reason)s")
            % {"entry": entry, "reason": reason},
            target=entry,
        )


def dossier_closed_reason(entry: Entry) -> str:
    """Why no file can go into or out of the entry's dossier now (empty when the dossier is open)."""
    if entry.dossier_is_open:
        return ""
    if entry.edition.dossiers_reopenable:
        return _(
            "The dossier closed when judging started: no file can be added or removed. The organisers may reopen "
            "this entry's dossier, giving the reason."
        )
    return _("The awards of this edition are approved: the dossiers are records and can no longer change.")


@transaction.atomic
def reopen_dossier(entry: Entry, *, actor: User, reason: str) -> Entry:
    """Staff reopen one entry's dossier after judging started (a corrupt file to replace, a paper dossier typed in
    late), with a reason that is logged and shown with the results; judges may have read the old files."""
    check(actor, "contests.manage_contests", entry.union)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the dossier."))
    if not entry.edition.dossiers_reopenable:
        raise ValidationError(_("A dossier can be reopened only while the edition is judging or under review."))
    if entry.dossier_is_open:
        raise ValidationError(_("This entry's dossier is already open."))
    _open_dossier(entry, actor=actor, reason=reason)
    entry.version += 1
    entry.save()
    return entry


@transaction.atomic
def close_dossier(entry: Entry, *, actor: User) -> Entry:
    """Staff close a dossier they reopened, once its files are in order."""
    check(actor, "contests.manage_contests", entry.union)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    if not entry.dossier_was_reopened:
        raise ValidationError(_("This entry's dossier is not reopened."))
    entry.dossier_reopened_at = None
    entry.version += 1
    entry.save()
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.entry.dossier_closed",
        message=_("Dossier of %s closed again") % entry,
        target=entry,
    )
    return entry


def _check_dossier_open(entry: Entry, actor: User) -> None:
    """`contests.change_dossier` (the entry page offers the form by it), saying why not: the actor may change the
    entry (`contests.change_entry`, checked first), so the dossier is closed or the entry submitted."""
    if not actor.has_perm("contests.change_dossier", entry):
        raise ValidationError(
            dossier_closed_reason(entry)
            or _("A submitted entry can no longer be changed. Ask the organisers to reopen it.")
        )


@transaction.atomic
def add_entry_file(
    entry: Entry, *, actor: User, item: DossierItem, upload: UploadedFile | None = None, url: str = ""
) -> EntryFile:
    """Add a file (content-checked, private) or a link to one dossier item of an editable entry."""
    check(actor, "contests.change_entry", entry)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)  # the edition's row too
    if item.edition_id != entry.edition_id:
        raise PermissionDenied
    _check_dossier_open(entry, actor)
    if item.kind == DossierItem.Kind.LINK:
        if not url:
            raise ValidationError(_("Give the link."))
        entry_file = EntryFile.objects.create(entry=entry, item=item, url=url)
        label = url
    else:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        attachment = store_attachment(actor=actor, union=entry.union, owner=entry, upload=upload, description=item.name)
        entry_file = EntryFile.objects.create(entry=entry, item=item, attachment=attachment)
        label = attachment.original_name
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.entry.file_added",
        message=_("%(item)s added to the dossier: %(file)s") % {"item": item.name, "file": label},
        target=entry,
    )
    return entry_file


@transaction.atomic
def remove_entry_file(entry_file: EntryFile, *, actor: User) -> None:
    entry = entry_file.entry
    check(actor, "contests.change_entry", entry)
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    _check_dossier_open(entry, actor)
    label = str(entry_file)
    attachment = entry_file.attachment
    entry_file.delete()
    if attachment is not None:
        stored = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.entry.file_removed",
        message=_("Removed from the dossier: %s") % label,
        target=entry,
    )
