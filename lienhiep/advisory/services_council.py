"""The council of a case: proposed by the matching engine (affinity with the draft, conflicts of interest
excluded, load balanced, no two from one workplace), adjusted by staff with every placement checked, approved by
the leader (the decision forming it takes its number from the Union's register), then the documents go to the
members and their reviews are collected until the consolidation starts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.advisory.models import STAGE_DAYS, Case, FormOfWork, Review, Seat, Status
from lienhiep.advisory.services import (
    _log,
    _today,
    case_link,
    member_addresses,
    stage_due,
)
from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import check, check_same_union, locked, mail_after_commit, transition
from lienhiep.experts import conflicts, matching, why
from lienhiep.experts.models import Engagement, Expert
from lienhiep.experts.services import current_loads
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of

DEFAULT_MAX_LOAD = 3  # open advisory seats an expert may hold at once when their record sets no maximum
LOAD_PENALTY = 0.05  # affinity given up per piece of open work, so that busy experts yield to free ones


# The council -----------------------------------------------------------------------------------------------------


def _require_council_editable(case: Case) -> None:
    if case.status != Status.ACCEPTED:
        raise ValidationError(_("The council can be changed only after acceptance and before it is submitted."))


def candidate_experts(case: Case) -> list[Expert]:
    return list(
        Expert.objects.filter(union=case.union_id)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("person")
        .prefetch_related("fields")
    )


def blocked_experts(case: Case, experts: list[Expert]) -> dict[int, list[conflicts.Conflict]]:
    """{expert id: blocking conflicts} for the case."""
    parties = case.conflict_parties()
    found = conflicts.conflicts_for([parties], [e.person_id for e in experts])
    result = {}
    for expert in experts:
        blocking = [c for c in found.get((parties.key, expert.person_id), []) if c.blocks]
        if blocking:
            result[expert.pk] = blocking
    return result


def open_loads(case: Case, experts: list[Expert]) -> dict[int, int]:
    """Open work of each expert (engagements not completed), this case's seats left out."""
    loads = current_loads(case.union, experts)
    mine = Engagement.objects.filter(advisory_seat__case=case, completed_on=None).values_list("expert_id", flat=True)
    for expert_id in mine:
        loads[expert_id] = loads.get(expert_id, 0) - 1
    return loads


@transaction.atomic
def propose_council(case: Case, *, actor: User, size: int | None = None) -> dict:
    """Ask the matching engine for the council: affinity of every available expert with the draft's title and
    summary (plus the shared fields), conflicted experts excluded, experts with much open work held back, no two
    from one workplace. Seats placed by hand stay; the engine fills the rest."""
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    _require_council_editable(case)
    size = size or case.council_size
    experts = candidate_experts(case)
    if not experts:
        raise ValidationError(_("The expert registry has no available expert."))
    loads = open_loads(case, experts)
    blocked = blocked_experts(case, experts)
    codes = {e.pk: frozenset(f.code for f in e.fields.all()) for e in experts}
    candidates = [
        matching.Candidate(
            key=e.pk,
            text=e.profile_text([f.name for f in e.fields.all()]),
            fields=codes[e.pk],
            max_load=max(0, (e.max_load or DEFAULT_MAX_LOAD) - loads.get(e.pk, 0)),
            workplace=str(e.person.agency_id) if e.person.agency_id else None,
            keywords=tuple(e.keyword_list()),
        )
        for e in experts
    ]
    item = matching.Item(
        key=case.pk,
        text=case.matching_text(),
        fields=frozenset(case.fields.values_list("code", flat=True)),
        need=size,
    )
    source = matching.TfidfAffinity()
    scores = source.scores([item], candidates)
    rank = why.ranks(scores[0])  # by the match alone, before the load penalty
    for j, expert in enumerate(experts):
        scores[0, j] = max(0.0, scores[0, j] - LOAD_PENALTY * max(0, loads.get(expert.pk, 0)))
    kept = list(case.seats.filter(by_hand=True))
    fixed = {(case.pk, s.expert_id) for s in kept}
    result = matching.assign(
        [item],
        candidates,
        scores,
        conflicts={(case.pk, expert_id) for expert_id in blocked},
        rules=matching.Rules(distinct_workplaces=True),
        fixed=fixed,
    )
    case.seats.filter(by_hand=False).delete()
    index = {c.key: j for j, c in enumerate(candidates)}
    names = why.field_names(experts)
    roles_taken = {s.role for s in kept}
    new_seats = []
    for _item, expert_key, score in result.pairs:
        if (case.pk, expert_key) in fixed:
            continue
        j = index[expert_key]
        reasons = why.reasons(
            source, item, candidates[j], names=names, rank=rank[j], pool=len(candidates), load=loads.get(expert_key, 0)
        )
        new_seats.append(
            Seat(
                union=case.union,
                case=case,
                expert_id=expert_key,
                affinity=float(score),
                reasons=reasons,
                added_by=actor,
            )
        )
    new_seats.sort(key=lambda s: -s.affinity)
    reviewers = sum(1 for s in kept if s.role == Seat.Role.REVIEWER)
    for seat in new_seats:
        if case.form_of_work == FormOfWork.COUNCIL and Seat.Role.CHAIR not in roles_taken:
            seat.role = Seat.Role.CHAIR
            roles_taken.add(Seat.Role.CHAIR)
        elif reviewers < 2:
            seat.role = Seat.Role.REVIEWER
            reviewers += 1
        else:
            seat.role = Seat.Role.MEMBER
    Seat.objects.bulk_create(new_seats)
    _log(
        case,
        actor,
        "council.proposed",
        _("Council proposed by the matching engine: %(n)s experts (%(blocked)s excluded for conflicts of interest)")
        % {"n": len(kept) + len(new_seats), "blocked": len(blocked)},
    )
    return {"filled": len(kept) + len(new_seats), "wanted": size, "blocked": blocked, "problems": result.problems}


def _check_single_role(case: Case, role: str, seat: Seat | None = None) -> None:
    if role in Seat.SINGLE and case.seats.filter(role=role).exclude(pk=seat.pk if seat else None).exists():
        raise ValidationError(_("The council already has a %(role)s.") % {"role": str(Seat.Role(role).label).lower()})


@transaction.atomic
def place_expert(case: Case, *, actor: User, expert: Expert, role: str, secretary_reviews: bool = False) -> Seat:
    """Staff seat an expert by hand: refused if they have a conflict of interest or no room for more work. A
    secretary writes no review unless `secretary_reviews` says so."""
    check(actor, "advisory.manage_case", case)
    check_same_union(case.union, expert)
    case = locked(case, "union", "requesting_agency")
    _require_council_editable(case)
    if role not in Seat.Role.values:
        raise ValidationError(_("Unknown role."))
    verdict = conflicts.check(expert.person, case)
    if not verdict.allowed:
        raise ValidationError(
            _("%(expert)s cannot sit on this case: %(reasons)s") % {"expert": expert, "reasons": verdict.reasons()}
        )
    if case.seats.filter(expert=expert).exists():
        raise ValidationError(_("%s already sits on this case.") % expert)
    if expert.availability == Expert.Availability.UNAVAILABLE:
        raise ValidationError(_("%s is marked as not available.") % expert)
    load = open_loads(case, [expert]).get(expert.pk, 0)
    limit = expert.max_load or DEFAULT_MAX_LOAD
    if load >= limit:
        raise ValidationError(
            _("%(expert)s already has %(load)s pieces of open work, the maximum is %(limit)s.")
            % {"expert": expert, "load": load, "limit": limit}
        )
    _check_single_role(case, role)
    seat = Seat.objects.create(
        union=case.union,
        case=case,
        expert=expert,
        role=role,
        secretary_reviews=secretary_reviews and role == Seat.Role.SECRETARY,
        by_hand=True,
        added_by=actor,
    )
    _log(
        case,
        actor,
        "council.seat_added",
        _("%(expert)s placed on the council as %(role)s")
        % {
            "expert": expert,
            "role": seat.get_role_display(),
        }
        + _secretary_note(seat),
    )
    return seat


def _secretary_note(seat: Seat) -> str:
    """' (writes a review)' or ' (writes no review)' after a secretary's role; nothing for the other roles."""
    if not seat.is_secretary:
        return ""
    return " " + (_("(also writes a review)") if seat.secretary_reviews else _("(writes no review)"))


@transaction.atomic
def set_seat_role(seat: Seat, *, actor: User, role: str, secretary_reviews: bool | None = None) -> Seat:
    """Change a seat's role, and for the secretary whether they also write a review (`None`: keep what the seat
    says if it already was the secretary's, otherwise no review). Only other roles always write one. Nothing is
    saved or logged when nothing changes."""
    check(actor, "advisory.manage_cases", seat.union)
    case = locked(seat.case, "union", "requesting_agency")
    _require_council_editable(case)
    if role not in Seat.Role.values:
        raise ValidationError(_("Unknown role."))
    seat.refresh_from_db(fields=["role", "secretary_reviews", "by_hand"])  # as it stands under the case's lock
    if role != Seat.Role.SECRETARY:
        reviews = False
    elif secretary_reviews is None:
        reviews = seat.secretary_reviews and seat.is_secretary
    else:
        reviews = secretary_reviews
    before = (seat.role, seat.secretary_reviews)
    if before == (role, reviews):
        return seat
    _check_single_role(case, role, seat)
    seat.role = role
    seat.secretary_reviews = reviews
    seat.by_hand = True  # a seat staff adjusted is kept when the proposal is computed again
    seat.save(update_fields=["role", "secretary_reviews", "by_hand"])
    _log(case, actor, "council.role_changed", describe_role_change(seat.expert, before, (role, reviews)))
    return seat


def describe_role_change(expert: object, before: tuple[str, bool], after: tuple[str, bool]) -> str:
    """«Đã đổi vai trò của X: Chủ tịch → Thư ký.», and what it means for the secretary's review. `before` and
    `after` are (role, secretary_reviews)."""
    (old_role, _old_reviews), (new_role, new_reviews) = before, after
    if old_role != new_role:
        text = _("Changed the role of %(expert)s: %(before)s → %(after)s.") % {
            "expert": expert,
            "before": Seat.Role(old_role).label,
            "after": Seat.Role(new_role).label,
        }
        if new_role == Seat.Role.SECRETARY:
            text += " " + (
                _("As secretary, they also write a review.")
                if new_reviews
                else _("As secretary, they write no review; tick «also writes a review» on their row if they should.")
            )
        return text
    if new_reviews:
        return _("%(expert)s, the secretary, now also writes a review.") % {"expert": expert}
    return _("%(expert)s, the secretary, no longer writes a review.") % {"expert": expert}


@transaction.atomic
def remove_seat(seat: Seat, *, actor: User) -> None:
    check(actor, "advisory.manage_cases", seat.union)
    case = locked(seat.case, "union", "requesting_agency")
    _require_council_editable(case)
    text = str(seat.expert)
    seat.delete()
    _log(case, actor, "council.seat_removed", _("%s taken off the council") % text)


def council_problems(case: Case) -> list[str]:
    """What keeps the council from being submitted: nobody on it; for a council, no chair or no reviewer;
    a conflict of interest that appeared since."""
    seats = list(case.seats.select_related("expert__person"))
    problems = case.council_gaps()
    blocked = blocked_experts(case, [s.expert for s in seats])
    for seat in seats:
        if seat.expert_id in blocked:
            problems.append(
                _("%(expert)s now has a conflict of interest: %(reasons)s")
                % {
                    "expert": seat.expert,
                    "reasons": "; ".join(f"{c.label}: {c.detail}" for c in blocked[seat.expert_id]),
                }
            )
    return problems


@transaction.atomic
def submit_council(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    problems = council_problems(case)
    if problems:
        raise ValidationError(problems)
    transition(case, "submit_council", actor=actor)
    case.stage_due_on = stage_due(case, _today(today))
    case.save()
    _log(case, actor, "council.submitted", _("Council submitted to the leader for approval"))
    return case


@transaction.atomic
def return_council(case: Case, *, actor: User, reason: str) -> Case:
    check(actor, "advisory.decide_case", case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what should change in the council."))
    case = locked(case, "union", "requesting_agency")
    transition(case, "return_council", actor=actor)
    case.stage_due_on = stage_due(case, timezone.localdate())
    case.save()
    _log(case, actor, "council.returned", _("Council returned to staff: %s") % reason)
    return case


def leader_person(actor: User, union: Union) -> Person | None:
    return Person.objects.filter(union=union, user=actor).first()


@transaction.atomic
def approve_council(case: Case, *, actor: User, today: datetime.date | None = None) -> IssuedDocument:
    """The leader approves the council: every seat is checked again for conflicts, the decision forming it takes
    its number from the register, and each seat becomes the expert's record of work."""
    check(actor, "advisory.decide_case", case)
    case = locked(case, "union", "requesting_agency")
    problems = council_problems(case)
    if problems:
        raise ValidationError(problems)
    transition(case, "approve_council", actor=actor)
    today = _today(today)
    if case.review_due_on is None or case.review_due_on < today:
        case.review_due_on = today + datetime.timedelta(
            days=STAGE_DAYS[Status.COUNCIL_FORMED] + STAGE_DAYS[Status.REVIEWING]
        )
    case.stage_due_on = stage_due(case, today)
    signer = leader_person(actor, case.union) or case.signatory
    case.signatory = case.signatory or signer
    case.save()

    decision = issue_document(
        case,
        kind=IssuedDocument.Kind.COUNCIL_DECISION,
        union=case.union,
        actor=actor,
        day=today,
        signer=signer_of(signer, name=actor.get_full_name()),
        signer_person=signer,
    )
    for seat in case.seats.select_related("expert"):
        seat.engagement = Engagement.objects.create(
            union=case.union,
            expert=seat.expert,
            role=str(seat.get_role_display()),
            title=f"{case.code} · {case.title}"[:255],
            assigned_on=today,
            due_on=case.review_due_on,
        )
        seat.save(update_fields=["engagement"])
    _log(case, actor, "council.approved", _("Council approved; decision %s") % decision.number_symbol)
    return decision


@transaction.atomic
def start_review(
    case: Case, *, actor: User, review_due_on: datetime.date | None = None, today: datetime.date | None = None
) -> Case:
    """Send the documents to the members: each one who writes a review gets an empty review due on the date."""
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    today = _today(today)
    if review_due_on is not None:
        if review_due_on < today:
            raise ValidationError(_("The reviews cannot be due in the past."))
        case.review_due_on = review_due_on
    transition(case, "start_review", actor=actor)
    case.stage_due_on = stage_due(case, today)
    case.save()
    for seat in case.seats.all():
        if seat.writes_review:
            Review.objects.get_or_create(
                seat=seat, defaults={"union": case.union, "case": case, "due_on": case.review_due_on}
            )
    Engagement.objects.filter(advisory_seat__case=case).update(due_on=case.review_due_on)
    _log(
        case,
        actor,
        "review.started",
        _("Draft sent to the members; reviews due on %s")
        % (case.review_due_on.strftime("%d/%m/%Y") if case.review_due_on else "—"),
    )
    mail_after_commit(
        _("Documents to review: %(code)s %(title)s") % {"code": case.code, "title": case.title},
        _("The draft is waiting for your review at %(link)s. Reviews are due on %(day)s. The draft is confidential.")
        % {"link": case_link(case), "day": case.review_due_on.strftime("%d/%m/%Y") if case.review_due_on else "—"},
        member_addresses(case),
    )
    return case


@transaction.atomic
def start_consolidation(case: Case, *, actor: User, today: datetime.date | None = None) -> Case:
    check(actor, "advisory.manage_case", case)
    case = locked(case, "union", "requesting_agency")
    transition(case, "start_consolidation", actor=actor)
    case.stage_due_on = stage_due(case, _today(today))
    case.save()
    late = case.reviews.exclude(state=Review.State.SUBMITTED).count()
    message = _("Consolidation started")
    if late:
        message += " " + _("(%d reviews not submitted)") % late
    _log(case, actor, "consolidation.started", message)
    return case
