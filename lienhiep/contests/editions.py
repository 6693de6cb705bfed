"""Editions: creation and configuration, the typical configuration, copying, the edition's steps. Every write is
one function, atomic, permission-checked, logged once."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.contests import results, typical
from lienhiep.contests.models import (
    AgeGroup,
    AwardTier,
    ContestField,
    Criterion,
    DossierItem,
    Edition,
    Round,
)
from lienhiep.core.models import Union, User
from lienhiep.core.services import check, check_same_union, log_activity, transition


@transaction.atomic
def save_edition(union: Union, *, actor: User, edition: Edition) -> Edition:
    check(actor, "contests.manage_contests", union)
    check_same_union(union, edition)
    if edition.registration_closes_at < edition.registration_opens_at:
        raise ValidationError(_("Registration must close after it opens."))
    created = edition.pk is None
    edition.save()
    results.store_edition_results(edition)  # the disagreement gap and the tie-break criteria
    log_activity(
        union=union,
        actor=actor,
        verb=f"contests.edition.{'created' if created else 'changed'}",
        message=(_("Contest edition created: %s") if created else _("Contest edition changed: %s")) % edition,
        target=edition,
    )
    return edition


SETUP_PARTS = {
    "fields": _("fields"),
    "age_groups": _("age groups"),
    "dossier_items": _("dossier items"),
    "tiers": _("award tiers"),
    "rounds": _("rounds"),
}


@transaction.atomic
def save_setup(edition: Edition, *, actor: User, part: str, formset) -> None:
    """Save one part of an edition's configuration (a validated model formset of its rows)."""
    check(actor, "contests.manage_contests", edition.union)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if part not in SETUP_PARTS:
        raise PermissionDenied
    if part == "rounds" and edition.rounds.exclude(status=Round.Status.PENDING).exists():
        for form in formset.forms:
            if form.has_changed() and form.instance.pk and form.instance.status != Round.Status.PENDING:
                raise ValidationError(_("A round that has started cannot be changed."))
    rows = formset.save(commit=False)
    for row in rows:
        row.edition = edition
        if part == "fields" and row.expert_field_id:
            check_same_union(edition.union, row.expert_field)
        row.save()
    for row in formset.deleted_objects:
        if part == "fields" and row.entries.exists():
            raise ValidationError(_("The field %s has entries and cannot be removed.") % row)
        if part == "rounds" and row.status != Round.Status.PENDING:
            raise ValidationError(_("A round that has started cannot be removed."))
        row.delete()
    results.store_edition_results(edition)  # the fields' codes and names, the tiers' scores and quotas
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.edition.configured",
        message=_("Configuration of %(edition)s changed: %(part)s") % {"edition": edition, "part": SETUP_PARTS[part]},
        target=edition,
    )


@transaction.atomic
def save_rubric(round: Round, *, actor: User, formset) -> None:
    check(actor, "contests.manage_contests", round.edition.union)
    if round.status != Round.Status.PENDING:
        raise ValidationError(_("The rubric of a round that has started cannot be changed."))
    rows = formset.save(commit=False)
    for row in rows:
        row.round = round
        row.save()
    for row in formset.deleted_objects:
        row.delete()
    results.store_edition_results(round.edition)  # the criteria: which tie-break codes the rubric has
    log_activity(
        union=round.edition.union,
        actor=actor,
        verb="contests.rubric.changed",
        message=_("Rubric of %s changed") % round,
        target=round.edition,
    )


SHIFTED_DATES = (
    "announced_on",
    "registration_opens_at",
    "registration_closes_at",
    "submission_deadline",
    "results_on",
    "ceremony_on",
    "age_cutoff",
)


def _shift(value, years: int):
    if value is None:
        return None
    day = min(value.day, calendar.monthrange(value.year + years, value.month)[1])
    return value.replace(year=value.year + years, day=day)


@dataclass(frozen=True)
class NextEdition:
    """What the next edition of an edition is suggested to be: numbered on, its code's number moved on (ST9 →
    ST10), its dates moved by whole years so that its registration opens after today."""

    title: str
    number: int
    code: str
    period: str
    years: int

    def initial(self) -> dict:
        return {
            "title": self.title,
            "number": self.number,
            "code": self.code,
            "period": self.period,
            "years": self.years,
        }


def next_edition(edition: Edition, today: datetime.date) -> NextEdition:
    number = edition.number + 1
    digits = re.search(r"\d+$", edition.code)
    code = f"{edition.code[: digits.start()]}{int(digits.group()) + 1}" if digits else f"{edition.code}{number}"
    opens = timezone.localtime(edition.registration_opens_at).date()
    years = max(1, today.year - opens.year + (1 if _shift(opens, today.year - opens.year) < today else 0))
    return NextEdition(
        title=edition.title.replace(f"lần thứ {edition.number}", f"lần thứ {number}"),
        number=number,
        code=code,
        period=re.sub(r"\d{4}", lambda year: str(int(year.group()) + years), edition.period),
        years=years,
    )


def shifted_dates(edition: Edition, years: int) -> list[tuple[str, object, object]]:
    """(label, this edition's date, the new edition's date) of every date the copy moves, for the preview."""
    rows = []
    for name in SHIFTED_DATES:
        value = getattr(edition, name)
        if value is not None:
            label = str(Edition._meta.get_field(name).verbose_name)
            rows.append((label[:1].upper() + label[1:], value, _shift(value, years)))
    return rows


@transaction.atomic
def copy_edition(
    edition: Edition, *, actor: User, title: str, number: int, period: str, code: str, years: int
) -> Edition:
    """Start the next edition from this one: the whole configuration is copied, dates move by `years`."""
    check(actor, "contests.manage_contests", edition.union)
    if Edition.objects.filter(union=edition.union, code=code).exists():
        raise ValidationError(_("Another edition already uses the code %s.") % code)
    skip = {"id", "status", "next_number", "copied_from", "created_at", "approved_by", "approved_at"}
    values = {f.attname: getattr(edition, f.attname) for f in Edition._meta.concrete_fields if f.name not in skip}
    values.update(title=title, number=number, period=period, code=code, decision_number="", decision_date=None)
    for name in SHIFTED_DATES:
        values[name] = _shift(values[name], years)
    copy = Edition.objects.create(**values, copied_from=edition)
    for model in (ContestField, AgeGroup, DossierItem, AwardTier):
        rows = list(model.objects.filter(edition=edition))
        for row in rows:
            row.pk = None
            row.edition = copy
        model.objects.bulk_create(rows)
    round_skip = {"id", "status", "edition"}
    for old_round in edition.rounds.prefetch_related("criteria"):
        values = {
            f.attname: getattr(old_round, f.attname) for f in Round._meta.concrete_fields if f.name not in round_skip
        }
        values.update(starts_on=_shift(old_round.starts_on, years), due_on=_shift(old_round.due_on, years))
        new_round = Round.objects.create(edition=copy, **values)
        criteria = list(old_round.criteria.all())
        for criterion in criteria:
            criterion.pk = None
            criterion.round = new_round
        Criterion.objects.bulk_create(criteria)
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.edition.copied",
        message=_("Edition %(new)s started from %(old)s") % {"new": copy, "old": edition},
        target=copy,
    )
    return copy


@transaction.atomic
def fill_typical_setup(edition: Edition, *, actor: User) -> list[str]:
    """Fill the empty parts of a draft edition's configuration with the contest's typical one (fields, dossier,
    one round with its rubric, award tiers, youth age groups); parts already configured are left alone."""

    check(actor, "contests.manage_contests", edition.union)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.DRAFT:
        raise ValidationError(_("Only an edition being prepared can take the typical configuration."))
    kind = typical.for_kind(edition.kind)
    made = typical.configure(
        edition,
        fields=[] if edition.fields.exists() else kind["fields"],
        criteria=kind["criteria"],
        rounds=[] if edition.rounds.exists() else typical.ROUNDS,
        tiers=[] if edition.tiers.exists() else typical.TIERS,
        dossier=[] if edition.dossier_items.exists() else kind["dossier"],
        age_groups=[] if edition.age_groups.exists() else kind["age_groups"],
    )
    if not made:
        raise ValidationError(_("Every part of the configuration is already filled in."))
    results.store_edition_results(edition)
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.edition.configured",
        message=_("Typical configuration filled in for %s") % edition,
        target=edition,
    )
    return made


EDITION_MOVES = {
    # a step of Edition (its transition) → the activity log's line
    "open": _("Registration opened: %s"),
    "start_judging": _("Registration closed, judging started: %s"),
    "start_review": _("Judging finished, results under review: %s"),
}


@transaction.atomic
def move_edition(edition: Edition, *, actor: User, move: str) -> Edition:
    """Open registration, start judging, or start the review of results."""
    check(actor, "contests.manage_contests", edition.union)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if move not in EDITION_MOVES:
        raise PermissionDenied
    message = EDITION_MOVES[move]
    transition(edition, move, actor=actor)  # its conditions: set up to open, every score sheet in to review
    if move == "start_review":
        last = edition.last_round()
        if last.status == Round.Status.OPEN:  # nothing left to score: the last round closes with the judging
            last.close()
            last.save()
    edition.save()
    log_activity(
        union=edition.union, actor=actor, verb=f"contests.edition.{move}", message=message % edition, target=edition
    )
    return edition
