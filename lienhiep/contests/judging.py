"""Judging: juries per field and round, judges proposed by the matching engine (affinity, conflicts excluded,
load limits, N judges per entry), adjusted and confirmed by staff; blind score sheets; recusal and reassignment.

Every placement — by the engine, by hand, at confirmation, on reassignment — goes through
lienhiep.experts.conflicts."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from lienhiep.contests import results
from lienhiep.contests.models import Assignment, Criterion, Edition, Entry, Jury, Round, Score
from lienhiep.contests.services import percent
from lienhiep.contests.todo import late_sheets
from lienhiep.core.models import User
from lienhiep.core.services import check, check_same_union, check_version, log_activity, mail_after_commit, transition
from lienhiep.core.text import forbidden_character
from lienhiep.experts import conflicts, matching, why
from lienhiep.experts.models import DeclaredConflict, Engagement, Expert

JUDGE_ROLE = "Giám khảo"


def entries_in_round(round: Round):
    """Accepted entries that reached this round."""
    return Entry.objects.filter(
        edition_id=round.edition_id, status=Entry.Status.ACCEPTED, reached_round__gte=round.order
    ).select_related("field")


@transaction.atomic
def set_jury(round: Round, *, actor: User, field, experts: list[Expert]) -> Jury:
    """Choose the judges of one field in one round (from the expert registry)."""
    union = round.edition.union
    check(actor, "contests.manage_contests", union)
    check_same_union(union, *experts)
    if field.edition_id != round.edition_id:
        raise PermissionDenied
    jury, _created = Jury.objects.get_or_create(round=round, field=field)
    jury.members.set(experts)
    log_activity(
        union=union,
        actor=actor,
        verb="contests.jury.set",
        message=_("Jury of %(jury)s: %(n)s judges") % {"jury": jury, "n": len(experts)},
        target=round.edition,
    )
    return jury


def _active(round: Round):
    return Assignment.objects.filter(round=round, status__in=Assignment.ACTIVE)


def _loads(round: Round) -> dict[int, int]:
    return dict(_active(round).values("expert").annotate(n=Count("pk")).values_list("expert", "n"))


def _check_seat(round: Round, entry: Entry, expert: Expert) -> None:
    """Refuse a judge with a conflict of interest, already on the entry, or at the round's load limit."""
    verdict = conflicts.check(expert.person, entry)
    if not verdict.allowed:
        raise ValidationError(
            _("%(expert)s cannot judge «%(entry)s»: %(reasons)s")
            % {"expert": expert, "entry": entry.title, "reasons": verdict.reasons()}
        )
    if _active(round).filter(entry=entry, expert=expert).exists():
        raise ValidationError(_("%s is already on this entry.") % expert)
    load = _loads(round).get(expert.pk, 0)
    limit = min(round.max_load, expert.max_load or round.max_load)
    if load >= limit:
        raise ValidationError(
            _("%(expert)s already has %(load)s entries in this round, the most is %(limit)s.")
            % {"expert": expert, "load": load, "limit": limit}
        )


def _solve(round: Round, jury: Jury, entries: list[Entry], need: dict[int, int], affinity=None):
    """Run the engine for some entries of one jury: `need` is the number of judges each entry should have in
    all. Judges already seated are kept (fixed); their other work in the round counts in their load. Returns
    the new (entry, expert, affinity, reasons) seats and the engine's problems."""
    experts = {e.pk: e for e in jury.members.select_related("person").prefetch_related("fields")}
    entries = [e for e in entries if need.get(e.pk, 0) > 0]
    if not experts or not entries:
        return [], []
    seated = set(_active(round).filter(entry__in=entries).values_list("entry_id", "expert_id"))
    elsewhere = dict(
        _active(round).exclude(entry__in=entries).values("expert").annotate(n=Count("pk")).values_list("expert", "n")
    )
    candidates = [
        matching.Candidate(
            key=e.pk,
            text=e.profile_text([f.name for f in e.fields.all()]),
            fields=frozenset(f.code for f in e.fields.all()),
            max_load=max(0, min(round.max_load, e.max_load or round.max_load) - elsewhere.get(e.pk, 0)),
            workplace=str(e.person.agency_id) if e.person.agency_id else None,
            keywords=tuple(e.keyword_list()),
        )
        for e in experts.values()
    ]
    items = [
        matching.Item(
            key=entry.pk,
            text=f"{entry.title}. {entry.summary}",
            fields=frozenset([entry.field.expert_field.code]) if entry.field.expert_field_id else frozenset(),
            need=need[entry.pk],
        )
        for entry in entries
    ]
    parties = {entry.pk: entry.conflict_parties() for entry in entries}
    person_of = {e.pk: e.person_id for e in experts.values()}
    blocked = conflicts.blocked_pairs(list(parties.values()), person_of.values())
    excluded = {
        (entry_pk, expert_pk)
        for entry_pk, party in parties.items()
        for expert_pk, person_pk in person_of.items()
        if (party.key, person_pk) in blocked
    }
    fixed = {pair for pair in seated if pair[1] in experts} - excluded
    source = affinity or matching.TfidfAffinity()
    scores = source.scores(items, candidates)
    result = matching.assign(items, candidates, scores, excluded, matching.Rules(), fixed=fixed)
    row_of = {i.key: r for r, i in enumerate(items)}
    column_of = {c.key: j for j, c in enumerate(candidates)}
    names = why.field_names(experts.values())
    seats = []
    for entry_pk, expert_pk, score in result.pairs:
        if (entry_pk, expert_pk) in seated:
            continue
        r, j = row_of[entry_pk], column_of[expert_pk]
        reasons = why.reasons(
            source, items[r], candidates[j], names=names, rank=why.rank_in(scores[r], j), pool=len(candidates)
        )
        seats.append((entry_pk, expert_pk, score, reasons))
    return seats, result.problems


@transaction.atomic
def propose_judges(round: Round, *, actor: User, affinity=None) -> list:
    """The engine proposes judges for every entry of the round still short of judges, jury by jury; returns
    the engine's problems (entries it could not fully staff, and why)."""
    union = round.edition.union
    check(actor, "contests.manage_contests", union)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("This round is closed."))
    entries = list(entries_in_round(round).select_related("field__expert_field"))
    if not entries:
        raise ValidationError(_("No accepted entry is waiting for this round."))
    juries = {j.field_id: j for j in round.juries.filter(members__isnull=False).distinct()}
    if not juries:
        raise ValidationError(_("Choose the judges of each field first."))
    problems, made = [], 0
    for field_id, jury in juries.items():
        mine = [e for e in entries if e.field_id == field_id]
        seats, found = _solve(round, jury, mine, {e.pk: round.judges_per_entry for e in mine}, affinity)
        Assignment.objects.bulk_create(
            [
                Assignment(
                    union=union, round=round, entry_id=entry_pk, expert_id=expert_pk, affinity=score, reasons=reasons
                )
                for entry_pk, expert_pk, score, reasons in seats
            ]
        )
        problems.extend(found)
        made += len(seats)
    without_jury = [e for e in entries if e.field_id not in juries]
    log_activity(
        union=union,
        actor=actor,
        verb="contests.judges.proposed",
        message=_("Judges proposed for %(round)s: %(n)s seats, %(p)s entries with a problem")
        % {"round": round, "n": made, "p": len({p.item_key for p in problems}) + len(without_jury)},
        target=round.edition,
    )
    return problems


@transaction.atomic
def place_judge(round: Round, *, actor: User, entry: Entry, expert: Expert) -> Assignment:
    """Staff put a judge on an entry by hand (conflict and load checked)."""
    union = round.edition.union
    check(actor, "contests.manage_contests", union)
    check_same_union(union, entry, expert)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if entry.edition_id != round.edition_id or round.status == Round.Status.CLOSED:
        raise ValidationError(_("This round is closed."))
    _check_seat(round, entry, expert)
    assignment = Assignment.objects.create(union=union, round=round, entry=entry, expert=expert, by_hand=True)
    log_activity(
        union=union,
        actor=actor,
        verb="contests.judge.placed",
        message=_("%(expert)s placed on %(entry)s by hand") % {"expert": expert, "entry": entry},
        target=entry,
    )
    return assignment


@transaction.atomic
def remove_judge(assignment: Assignment, *, actor: User) -> None:
    """Staff take a proposed (not yet confirmed) judge off an entry."""
    check(actor, "contests.manage_contests", assignment.union)
    if assignment.status != Assignment.Status.PROPOSED:
        raise ValidationError(_("Only a proposed judge can be removed; a confirmed judge recuses."))
    text = _("%(expert)s removed from %(entry)s") % {"expert": assignment.expert, "entry": assignment.entry}
    entry = assignment.entry
    assignment.delete()
    log_activity(union=entry.union, actor=actor, verb="contests.judge.removed", message=text, target=entry)


def _engage(assignment: Assignment, today: datetime.date) -> None:
    round = assignment.round
    assignment.engagement = Engagement.objects.create(
        union_id=assignment.union_id,
        expert=assignment.expert,
        role=f"{JUDGE_ROLE} {round.name.lower()}",
        title=f"{assignment.entry.number} {assignment.entry.title}"[:255],
        assigned_on=today,
        due_on=round.due_on,
    )


@transaction.atomic
def confirm_judges(round: Round, *, actor: User, today: datetime.date | None = None) -> int:
    """Confirm every proposed seat of the round: each is checked again for conflicts, recorded as the judge's
    engagement, and the round opens for scoring."""
    union = round.edition.union
    check(actor, "contests.manage_contests", union)
    round = Round.objects.select_for_update().get(pk=round.pk)
    proposed = list(
        Assignment.objects.filter(round=round, status=Assignment.Status.PROPOSED).select_related(
            "expert__person", "entry", "round"
        )
    )
    if not proposed:
        raise ValidationError(_("There is no proposed judge to confirm."))
    entries = {a.entry_id: a.entry for a in proposed}
    parties = {pk: e.conflict_parties() for pk, e in entries.items()}
    blocked = conflicts.blocked_pairs(list(parties.values()), {a.expert.person_id for a in proposed})
    clashes = [a for a in proposed if (parties[a.entry_id].key, a.expert.person_id) in blocked]
    if clashes:
        raise ValidationError(
            _("Conflicts of interest appeared since the proposal: %s. Remove these judges first.")
            % ", ".join(f"{a.expert} — {a.entry.number}" for a in clashes)
        )
    today = today or timezone.localdate()
    for assignment in proposed:
        assignment.confirm()
        _engage(assignment, today)
        assignment.save()
    if round.status == Round.Status.PENDING:
        round.open()
        round.save()
    log_activity(
        union=union,
        actor=actor,
        verb="contests.judges.confirmed",
        message=_("Judges confirmed for %(round)s: %(n)s seats") % {"round": round, "n": len(proposed)},
        target=round.edition,
    )
    # Tell each judge once what they have to score.

    by_judge: dict[int, list[Assignment]] = {}
    for a in proposed:
        by_judge.setdefault(a.expert_id, []).append(a)
    for seats in by_judge.values():
        person = seats[0].expert.person
        mail_after_commit(
            _("Judging: %(n)s entries of %(edition)s") % {"n": len(seats), "edition": round.edition},
            "\n".join(
                [union.name, "", _("You are asked to score these entries (%s):") % round.name]
                + [f"- {a.entry.number}" for a in seats]
                + ([_("Score sheets due on %s") % round.due_on.strftime("%d/%m/%Y")] if round.due_on else [])
            ),
            [person.email or (person.user.email if person.user_id else "")],
        )
    return len(proposed)


def get_assignment_for(user: User, union, pk) -> Assignment:
    """A judge's own assignment (another judge's, another Union's or a missing one is a 404)."""

    assignment = (
        Assignment.objects.filter(union=union, pk=pk, expert__person__user=user)
        .exclude(status=Assignment.Status.PROPOSED)
        .select_related("entry__field", "entry__edition", "round", "expert__person")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def _parse_points(criterion: Criterion, raw) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError(
            _("%(code)s: «%(raw)s» is not a number.") % {"code": criterion.code, "raw": raw}
        ) from error
    if not value.is_finite() or value < 0 or value > criterion.max_points:
        raise ValidationError(
            _("%(code)s: the points must be between 0 and %(max)s.")
            % {"code": criterion.code, "max": percent(criterion.max_points)}
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(code)s: at most two decimals.") % {"code": criterion.code})
    return value


def _write_scores(assignment: Assignment, points: dict, comments: dict) -> list[Criterion]:
    """Store the points given (validated against each criterion's range); returns the criteria left empty."""
    criteria = list(assignment.round.criteria.all())
    errors, values = [], {}
    for criterion in criteria:
        try:
            values[criterion.pk] = _parse_points(criterion, points.get(criterion.pk))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    for criterion in criteria:
        value = values[criterion.pk]
        if value is None:
            Score.objects.filter(assignment=assignment, criterion=criterion).delete()
        else:
            Score.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={"points": value, "comment": (comments.get(criterion.pk) or "")[:1000]},
            )
    return [c for c in criteria if values[c.pk] is None]


@transaction.atomic
def save_scores(
    assignment: Assignment,
    *,
    actor: User,
    points: dict,
    comments: dict,
    comment: str = "",
    submit: bool = False,
    expected_version: int | None = None,
) -> Assignment:
    """A judge saves their sheet (a draft), or submits it complete; a submitted sheet is locked. A sheet sent
    from a page opened before another save of it (`expected_version`) is refused, never merged."""
    assignment = Assignment.objects.select_for_update().select_related("round", "entry").get(pk=assignment.pk)
    if assignment.expert.person.user_id != actor.pk:
        raise PermissionDenied
    check_version(assignment.version, expected_version)
    if assignment.status != Assignment.Status.CONFIRMED:
        raise ValidationError(_("This score sheet is locked."))
    if assignment.round.status != Round.Status.OPEN:
        raise ValidationError(_("Scoring of this round is closed."))
    refused = [  # the comment of each criterion is one line, the overall comment a text
        problem.message()
        for text, multiline in [*((str(text), False) for text in comments.values()), (comment, True)]
        if (problem := forbidden_character(text, multiline=multiline))
    ]
    if refused:
        raise ValidationError(refused)
    empty = _write_scores(assignment, points, comments)
    assignment.comment = comment
    assignment.saved_at = timezone.now()
    assignment.version += 1
    if submit:
        if empty:
            raise ValidationError(_("Score every criterion before submitting: %s.") % ", ".join(c.code for c in empty))
        _submit(assignment)
    assignment.save()
    if submit:  # a draft is not counted: the results change when the sheet is submitted
        results.store_results(assignment.round)
    log_activity(
        union=assignment.union,
        actor=actor,
        verb="contests.sheet.submitted" if submit else "contests.sheet.saved",
        message=(_("Score sheet submitted: %s") if submit else _("Score sheet saved as a draft: %s"))
        % assignment.entry.number,
        target=assignment.entry,
    )
    return assignment


def _submit(assignment: Assignment) -> None:
    assignment.submit()
    assignment.submitted_at = timezone.now()
    if assignment.engagement_id:
        Engagement.objects.filter(pk=assignment.engagement_id).update(completed_on=timezone.localdate())


@transaction.atomic
def enter_paper_sheet(
    assignment: Assignment, *, actor: User, points: dict, comment: str = "", store: bool = True
) -> Assignment:
    """Staff type in a judge's signed paper sheet: stored complete and submitted (locked) at once. `store=False`:
    the caller stores the round's results once after several sheets (the paper-sheet import)."""
    check(actor, "contests.manage_contests", assignment.union)
    assignment = Assignment.objects.select_for_update().select_related("round", "entry").get(pk=assignment.pk)
    if assignment.status != Assignment.Status.CONFIRMED:
        raise ValidationError(_("This score sheet is locked."))
    if assignment.round.status != Round.Status.OPEN:
        raise ValidationError(_("Scoring of this round is closed."))
    empty = _write_scores(assignment, points, {})
    if empty:
        raise ValidationError(_("Score every criterion before submitting: %s.") % ", ".join(c.code for c in empty))
    assignment.comment = comment
    assignment.on_paper = True
    assignment.saved_at = timezone.now()
    assignment.version += 1
    _submit(assignment)
    assignment.save()
    if store:
        results.store_results(assignment.round)
    return assignment


def total_of(assignment: Assignment, scores: list[Score] | None = None) -> Decimal:
    scores = scores if scores is not None else list(assignment.scores.select_related("criterion"))
    return sum((s.points * s.criterion.weight for s in scores), Decimal(0))


def visible_sheets(assignment: Assignment) -> list[dict]:
    """What a judge sees of the other judges of the entry: nothing before their own sheet is submitted, then
    the others' submitted totals, without names."""
    if assignment.status != Assignment.Status.SUBMITTED:
        return []
    others = (
        Assignment.objects.filter(round=assignment.round, entry=assignment.entry, status=Assignment.Status.SUBMITTED)
        .exclude(pk=assignment.pk)
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    )
    return [
        {"label": _("Judge %s") % (n + 1), "total": total_of(a, list(a.scores.all()))} for n, a in enumerate(others)
    ]


@transaction.atomic
def recuse(assignment: Assignment, *, actor: User, reason: str) -> Assignment | None:
    """A judge finds a conflict of interest: they leave the entry (the conflict is recorded for it) and the
    engine seats a replacement from the jury at once. Returns the replacement, or None if nobody is free."""
    assignment = (
        Assignment.objects.select_for_update().select_related("round", "entry", "expert__person").get(pk=assignment.pk)
    )
    if assignment.expert.person.user_id != actor.pk:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what the conflict of interest is."))
    try:
        assignment.recuse()
    except TransitionNotAllowed as error:
        raise ValidationError(_("A submitted score sheet cannot be withdrawn.")) from error
    assignment.recusal_reason = reason[:500]
    Score.objects.filter(assignment=assignment).delete()
    if assignment.engagement_id:
        engagement = assignment.engagement
        assignment.engagement = None
        assignment.save()
        engagement.delete()  # the judge did not do this work: it leaves their record
    assignment.save()
    entry = assignment.entry
    DeclaredConflict.objects.create(
        union_id=assignment.union_id, person=assignment.expert.person, item=entry, reason=reason, recorded_by=actor
    )
    replacement = _reassign(assignment.round, entry, actor)
    results.store_results(assignment.round)
    message = _("A judge recused from %(entry)s: %(reason)s") % {"entry": entry.number, "reason": reason}
    message += " — " + (
        _("another judge of the jury was seated") if replacement else _("no free judge: staff must seat one by hand")
    )
    log_activity(union=entry.union, actor=actor, verb="contests.judge.recused", message=message, target=entry)
    return replacement


def _reassign(round: Round, entry: Entry, actor: User, extra: int = 0) -> Assignment | None:
    """Fill the entry's empty seats (plus `extra` more) from its field's jury with the engine; the new judges are
    confirmed at once when the round is under way. Returns the last judge seated, or None."""
    seated = _active(round).filter(entry=entry).count()
    need = max(round.judges_per_entry, seated + extra) if extra else round.judges_per_entry
    jury = Jury.objects.filter(round=round, field_id=entry.field_id).first()
    if need <= seated or jury is None:
        return None
    entry = Entry.objects.select_related("field__expert_field").get(pk=entry.pk)
    seats, _problems = _solve(round, jury, [entry], {entry.pk: need})
    made = None
    today = timezone.localdate()
    for _entry_pk, expert_pk, score, reasons in seats:
        made = Assignment.objects.create(
            union_id=entry.union_id, round=round, entry=entry, expert_id=expert_pk, affinity=score, reasons=reasons
        )
        if round.status != Round.Status.PENDING:
            made.confirm()
            _engage(made, today)
            made.save()
    return made


@transaction.atomic
def add_extra_judge(entry: Entry, *, actor: User) -> Assignment:
    """The board asks for one more judge on a disputed entry (last round); the round reopens if closed."""
    check(actor, "contests.manage_contests", entry.union)
    edition = Edition.objects.select_for_update().get(pk=entry.edition_id)
    round = edition.last_round()
    if edition.status not in (Edition.Status.JUDGING, Edition.Status.REVIEW):
        raise ValidationError(_("Extra judges can be asked for only while judging or reviewing results."))
    if edition.status == Edition.Status.REVIEW:
        edition.back_to_judging()
        edition.save()
    if round.status == Round.Status.CLOSED:
        round.reopen()
        round.save()
    made = _reassign(round, entry, actor, extra=1)
    if made is None:
        raise ValidationError(_("No judge of the jury is free of conflicts and under the load limit."))
    results.store_results(round)
    log_activity(
        union=entry.union,
        actor=actor,
        verb="contests.judge.extra",
        message=_("Extra judge asked for %(entry)s: %(expert)s") % {"entry": entry.number, "expert": made.expert},
        target=entry,
    )
    return made


@transaction.atomic
def close_round(round: Round, *, actor: User) -> int:
    """Close a round; for a round before the last, entries advance by its rule. Returns how many advanced."""

    check(actor, "contests.manage_contests", round.edition.union)
    round = Round.objects.select_for_update().get(pk=round.pk)
    open_sheets = Assignment.objects.filter(round=round, status=Assignment.Status.CONFIRMED).count()
    if open_sheets:
        raise ValidationError(_("%s score sheets are not submitted yet.") % open_sheets)
    transition(round, "close", actor=actor)
    round.save()
    advanced = 0
    is_last = not round.edition.rounds.filter(order__gt=round.order).exists()
    if not is_last:
        by_field: dict[int, list] = {}
        for row in results.stored_rows(results.stored_table(round)):
            by_field.setdefault(row.field_id, []).append(row)
        chosen = []
        for rows in by_field.values():
            rows = [r for r in rows if r.mean is not None]
            rows.sort(key=lambda r: -r.mean)
            if round.advance in (Round.Advance.SCORE, Round.Advance.BOTH) and round.advance_score is not None:
                rows = [r for r in rows if r.mean >= round.advance_score]
            if round.advance in (Round.Advance.COUNT, Round.Advance.BOTH) and round.advance_count:
                cut = rows[: round.advance_count]
                # entries tied with the last one kept also advance: a tie is never broken silently here
                if cut:
                    rows = [r for r in rows if r.mean >= cut[-1].mean]
            chosen.extend(r.entry_id for r in rows)
        advanced = Entry.objects.filter(pk__in=chosen).update(reached_round=round.order + 1)
        results.store_edition_results(round.edition)  # the next round's entries changed
    log_activity(
        union=round.edition.union,
        actor=actor,
        verb="contests.round.closed",
        message=_("Round closed: %(round)s (%(n)s entries advance)") % {"round": round, "n": advanced},
        target=round.edition,
    )
    return advanced


def overdue_sheets(union, today: datetime.date | None = None, edition: Edition | None = None):
    """Confirmed sheets past their round's due date, per judge (of one edition, or all): [(expert, count)]."""
    qs = late_sheets(union, today or timezone.localdate())
    if edition is not None:
        qs = qs.filter(round__edition=edition)
    rows = qs.values("expert").annotate(n=Count("pk")).order_by("-n")
    experts = Expert.objects.select_related("person").in_bulk([r["expert"] for r in rows])
    return [(experts[r["expert"]], r["n"]) for r in rows]


def progress_by_judge(round: Round) -> list[dict]:
    rows = (
        Assignment.objects.filter(round=round, status__in=[Assignment.Status.CONFIRMED, Assignment.Status.SUBMITTED])
        .values("expert")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Assignment.Status.SUBMITTED)))
        .order_by()
    )
    experts = Expert.objects.select_related("person").in_bulk([r["expert"] for r in rows])
    out = [{"expert": experts[r["expert"]], "total": r["total"], "done": r["done"]} for r in rows]
    out.sort(key=lambda r: r["expert"].person.sort_key)
    return out
