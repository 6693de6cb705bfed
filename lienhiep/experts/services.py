"""Every write of the expert registry: one function per use case, atomic, permission-checked, logged."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import check, check_same_union, log_activity
from lienhiep.experts import conflicts, excel, matching, why
from lienhiep.experts.models import (
    Batch,
    BatchItem,
    ConflictDismissal,
    DeclaredConflict,
    Engagement,
    Expert,
    ExpertImport,
    Field,
    Proposal,
    Relation,
)

EXPLAINED_PAIRS = 3000  # beyond this, a proposal stores no "why" per seat (explaining costs more than solving)


def refresh_search(expert: Expert) -> None:
    expert.refresh_search([f.name for f in expert.fields.all()])
    Expert.objects.filter(pk=expert.pk).update(search_folded=expert.search_folded)


@transaction.atomic
def save_field(union: Union, *, actor: User, field: Field) -> Field:
    check(actor, "experts.change_registry", union)
    check_same_union(union, field)
    created = field.pk is None
    field.save()
    log_activity(
        union=union,
        actor=actor,
        verb=f"experts.field.{'created' if created else 'changed'}",
        message=(_("Field of expertise added: %s") if created else _("Field of expertise changed: %s")) % field,
        target=field,
    )
    return field


@transaction.atomic
def save_expert(union: Union, *, actor: User, person: Person, expert: Expert, fields: list[Field]) -> Expert:
    """Create or change an expert and the person record behind them."""
    check(actor, "experts.change_registry", union)
    check_same_union(union, person, expert, *fields, person.agency, person.association)
    created = expert.pk is None
    person.save()
    expert.person = person
    if not expert.code:
        expert.code = Expert.next_code(union)
    expert.save()
    expert.fields.set(fields)
    refresh_search(expert)
    log_activity(
        union=union,
        actor=actor,
        verb=f"experts.expert.{'created' if created else 'changed'}",
        message=(_("Expert added: %s") if created else _("Expert changed: %s")) % person,
        target=expert,
    )
    return expert


@transaction.atomic
def apply_import(pending: ExpertImport, *, actor: User, fingerprint: str) -> dict[str, int]:
    """Apply a previewed Excel file: checked again, and applied only if it would do exactly what was shown."""
    check(actor, "experts.change_registry", pending.union)
    pending = ExpertImport.objects.select_for_update().get(pk=pending.pk)
    if pending.status != ExpertImport.Status.PENDING:
        raise ValidationError(_("This file has already been applied or discarded."))
    with pending.file.open("rb") as handle:
        plan = excel.plan_import(pending.union, handle)
    if not plan.ok:
        raise ValidationError(
            _("The registry changed since the file was checked and it now has errors; upload it again.")
        )
    if plan.fingerprint() != fingerprint:
        raise ValidationError(_("The registry changed since the preview. Check the new preview, then apply again."))
    counts = excel.apply_plan(pending.union, plan, actor=actor)
    pending.mark_applied()
    pending.result = counts
    pending.save(update_fields=["status", "result"])
    return counts


@transaction.atomic
def discard_import(pending: ExpertImport, *, actor: User) -> None:
    check(actor, "experts.change_registry", pending.union)
    pending.discard()
    pending.save(update_fields=["status"])
    log_activity(
        union=pending.union,
        actor=actor,
        verb="experts.import.discarded",
        message=_("Excel file discarded without importing: %s") % pending.original_name,
    )


@transaction.atomic
def record_relation(union: Union, *, actor: User, person: Person, other: Person, kind: str, note: str = "") -> Relation:
    check(actor, "experts.change_registry", union)
    check_same_union(union, person, other)
    if person.pk == other.pk:
        raise ValidationError(_("A person cannot be related to themselves."))
    if Relation.objects.filter(Q(person=person, other=other) | Q(person=other, other=person), kind=kind).exists():
        raise ValidationError(_("This relation is already recorded."))
    relation = Relation.objects.create(union=union, person=person, other=other, kind=kind, note=note, recorded_by=actor)
    log_activity(
        union=union,
        actor=actor,
        verb="experts.relation.recorded",
        message=_("Relation recorded: %s") % relation,
        target=person,
    )
    return relation


@transaction.atomic
def remove_relation(relation: Relation, *, actor: User) -> None:
    check(actor, "experts.change_registry", relation.union)
    text = str(relation)
    person = relation.person
    relation.delete()
    log_activity(
        union=person.union,
        actor=actor,
        verb="experts.relation.removed",
        message=_("Relation removed: %s") % text,
        target=person,
    )


@transaction.atomic
def declare_conflict(union: Union, *, actor: User, person: Person, item, reason: str) -> DeclaredConflict:
    check(actor, "experts.change_registry", union)
    check_same_union(union, person, item)
    if not reason.strip():
        raise ValidationError(_("Say what the conflict is."))
    declared = DeclaredConflict.objects.create(union=union, person=person, item=item, reason=reason, recorded_by=actor)
    if isinstance(item, BatchItem):  # a declared conflict takes the person off the item at once
        Proposal.objects.filter(item=item, expert__person=person).delete()
    log_activity(
        union=union,
        actor=actor,
        verb="experts.conflict.declared",
        message=_("Conflict declared for %(person)s on %(item)s: %(reason)s")
        % {"person": person, "item": item, "reason": reason},
        target=person,
    )
    return declared


@transaction.atomic
def dismiss_conflict(union: Union, *, actor: User, person: Person, item, rule: str, reason: str) -> ConflictDismissal:
    """Staff judge a computed conflict to be a false positive; the reason is kept."""
    check(actor, "experts.change_registry", union)
    check_same_union(union, person, item)
    if not reason.strip():
        raise ValidationError(_("Give the reason why this is not a conflict."))
    if rule in conflicts.HARD_RULES:
        raise ValidationError(_("This conflict is a fact about the item and cannot be dismissed."))
    raised = {c.rule for c in conflicts.check(person, item).blocking}
    if rule not in raised:
        raise ValidationError(_("There is no such conflict to dismiss."))
    dismissal = ConflictDismissal.objects.create(
        union=union, person=person, item=item, rule=rule, reason=reason, dismissed_by=actor
    )
    log_activity(
        union=union,
        actor=actor,
        verb="experts.conflict.dismissed",
        message=_("Conflict dismissed for %(person)s on %(item)s (%(rule)s): %(reason)s")
        % {"person": person, "item": item, "rule": conflicts.Rule(rule).label, "reason": reason},
        target=person,
    )
    return dismissal


@transaction.atomic
def withdraw_dismissal(dismissal: ConflictDismissal, *, actor: User) -> None:
    check(actor, "experts.change_registry", dismissal.union)
    dismissal.withdrawn_at = timezone.now()
    dismissal.save(update_fields=["withdrawn_at"])
    log_activity(
        union=dismissal.union,
        actor=actor,
        verb="experts.conflict.dismissal_withdrawn",
        message=_("Dismissal withdrawn: the conflict blocks %s again") % dismissal.person,
        target=dismissal.person,
    )


# Matching batches -------------------------------------------------------------------------------------------


@transaction.atomic
def save_batch(union: Union, *, actor: User, batch: Batch, candidate_fields: list[Field]) -> Batch:
    check(actor, "experts.change_registry", union)
    check_same_union(union, batch, *candidate_fields)
    created = batch.pk is None
    if not created and not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    if created:
        batch.created_by = actor
    batch.save()
    batch.candidate_fields.set(candidate_fields)
    _back_to_draft(batch)
    log_activity(
        union=union,
        actor=actor,
        verb=f"experts.batch.{'created' if created else 'changed'}",
        message=(_("Matching batch created: %s") if created else _("Matching batch changed: %s")) % batch,
        target=batch,
    )
    return batch


def _back_to_draft(batch: Batch) -> None:
    if batch.status == Batch.Status.PROPOSED:
        batch.reopen()
        batch.save(update_fields=["status"])


@transaction.atomic
def save_item(item: BatchItem, *, actor: User, fields, authors, mentors) -> BatchItem:
    check(actor, "experts.change_registry", item.batch.union)
    batch = item.batch = Batch.objects.select_for_update().get(pk=item.batch_id)
    check_same_union(batch.union, *fields, *authors, *mentors, item.requesting_agency)
    if not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    created = item.pk is None
    item.save()
    item.fields.set(fields)
    item.authors.set(authors)
    item.mentors.set(mentors)
    # People placed before may now have a conflict: they leave the proposal, and the batch needs a new one.
    if not created:
        parties = [item.conflict_parties()]
        placed = list(item.proposals.select_related("expert"))
        blocked = conflicts.blocked_pairs(parties, [p.expert.person_id for p in placed])
        for proposal in placed:
            if (parties[0].key, proposal.expert.person_id) in blocked:
                proposal.delete()
    _back_to_draft(batch)
    log_activity(
        union=batch.union,
        actor=actor,
        verb=f"experts.batch_item.{'created' if created else 'changed'}",
        message=(_("Item added to %(batch)s: %(item)s") if created else _("Item changed in %(batch)s: %(item)s"))
        % {"batch": batch, "item": item},
        target=batch,
    )
    return item


@transaction.atomic
def remove_item(item: BatchItem, *, actor: User) -> None:
    check(actor, "experts.change_registry", item.batch.union)
    batch = Batch.objects.select_for_update().get(pk=item.batch_id)
    if not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    title = item.title
    item.delete()
    _back_to_draft(batch)
    log_activity(
        union=batch.union,
        actor=actor,
        verb="experts.batch_item.removed",
        message=_("Item removed from %(batch)s: %(item)s") % {"batch": batch, "item": title},
        target=batch,
    )


def candidate_experts(batch: Batch):
    """Active, available experts of the batch's Union, from its candidate fields when it names some."""
    qs = Expert.objects.filter(union=batch.union_id).exclude(availability=Expert.Availability.UNAVAILABLE)
    field_ids = list(batch.candidate_fields.values_list("pk", flat=True))
    if field_ids:
        qs = qs.filter(fields__in=field_ids).distinct()
    return qs.select_related("person").prefetch_related("fields")


def _items_of(batch: Batch) -> list[BatchItem]:
    return list(batch.items.prefetch_related("fields", "authors", "mentors").select_related("batch"))


def current_loads(union: Union, experts: list[Expert], exclude_batch: Batch | None = None) -> dict[int, int]:
    """Open work each expert already has (engagements not completed), outside the given batch."""
    qs = Engagement.objects.filter(union=union, expert__in=experts, completed_on=None)
    if exclude_batch is not None:
        qs = qs.exclude(batch_item__batch=exclude_batch)
    return dict(qs.values("expert").annotate(n=Count("pk")).values_list("expert", "n"))


def matching_inputs(batch: Batch, items: list[BatchItem], experts: list[Expert]):
    """The solver's view of a batch: items, candidates (remaining capacity), affinity matrix, blocked pairs."""
    loads = current_loads(batch.union, experts, exclude_batch=batch)
    candidates = [
        matching.Candidate(
            key=e.pk,
            text=e.profile_text([f.name for f in e.fields.all()]),
            fields=frozenset(f.code for f in e.fields.all()),
            max_load=max(0, (e.max_load or batch.default_max_load) - loads.get(e.pk, 0)),
            workplace=str(e.person.agency_id) if e.person.agency_id else None,
            keywords=tuple(e.keyword_list()),
        )
        for e in experts
    ]
    match_items = [
        matching.Item(
            key=i.pk,
            text=f"{i.title}. {i.text}",
            fields=frozenset(f.code for f in i.fields.all()),
            need=i.needed(),
        )
        for i in items
    ]
    parties = [i.conflict_parties() for i in items]
    person_of = {e.pk: e.person_id for e in experts}
    blocked = conflicts.blocked_pairs(parties, person_of.values())
    conflict_keys = {
        (item.pk, expert_pk)
        for item, party in zip(items, parties, strict=True)
        for expert_pk, person_pk in person_of.items()
        if (party.key, person_pk) in blocked
    }
    return match_items, candidates, conflict_keys


@transaction.atomic
def propose_assignment(batch: Batch, *, actor: User, affinity: matching.AffinitySource | None = None):
    """Run the solver over the batch and store its proposal (hand-placed seats are kept and fixed)."""
    check(actor, "experts.change_registry", batch.union)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    items = _items_of(batch)
    if not items:
        raise ValidationError(_("Add at least one item before asking for a proposal."))
    experts = list(candidate_experts(batch))
    match_items, candidates, conflict_keys = matching_inputs(batch, items, experts)
    source = affinity or matching.TfidfAffinity()
    scores = source.scores(match_items, candidates)
    fixed = (
        set(Proposal.objects.filter(item__batch=batch, by_hand=True).values_list("item_id", "expert_id"))
        - conflict_keys
    )
    rules = matching.Rules(
        default_max_load=batch.default_max_load,
        require_field_expert=batch.require_field_expert,
        distinct_workplaces=batch.distinct_workplaces,
    )
    result = matching.assign(match_items, candidates, scores, conflict_keys, rules, fixed=fixed)
    Proposal.objects.filter(item__batch=batch).delete()
    row_of = {i.key: r for r, i in enumerate(match_items)}
    column_of = {c.key: j for j, c in enumerate(candidates)}
    names = why.field_names(experts)

    def reasons(item_key: int, expert_key: int) -> dict:
        if len(result.pairs) > EXPLAINED_PAIRS:
            return {}
        r, j = row_of[item_key], column_of[expert_key]
        rank = why.rank_in(scores[r], j)
        return why.reasons(source, match_items[r], candidates[j], names=names, rank=rank, pool=len(candidates))

    Proposal.objects.bulk_create(
        [
            Proposal(
                item_id=item_key,
                expert_id=expert_key,
                affinity=float(score),
                reasons=reasons(item_key, expert_key),
                by_hand=(item_key, expert_key) in fixed,
            )
            for item_key, expert_key, score in result.pairs
        ]
    )
    batch.problems = [{"item": p.item_key, "code": p.code, "numbers": p.numbers} for p in result.problems]
    batch.propose()
    batch.save(update_fields=["status", "problems"])
    log_activity(
        union=batch.union,
        actor=actor,
        verb="experts.batch.proposed",
        message=_("Assignment proposed for %(batch)s: %(seats)s seats filled, %(problems)s items with a problem")
        % {"batch": batch, "seats": len(result.pairs), "problems": len({p.item_key for p in result.problems})},
        target=batch,
    )
    return result


@transaction.atomic
def place_expert(item: BatchItem, *, actor: User, expert: Expert) -> Proposal:
    """Staff put an expert on an item by hand: refused if they have a conflict or are at their maximum load."""
    check(actor, "experts.change_registry", item.batch.union)
    batch = item.batch = Batch.objects.select_for_update().get(pk=item.batch_id)
    check_same_union(batch.union, expert)
    if not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    verdict = conflicts.check(expert.person, item)
    if not verdict.allowed:
        raise ValidationError(
            _("%(expert)s cannot act on «%(item)s»: %(reasons)s")
            % {"expert": expert, "item": item, "reasons": verdict.reasons()}
        )
    if item.proposals.filter(expert=expert).exists():
        raise ValidationError(_("%s is already on this item.") % expert)
    load = Proposal.objects.filter(item__batch=batch, expert=expert).count() + current_loads(
        batch.union, [expert], exclude_batch=batch
    ).get(expert.pk, 0)
    limit = expert.max_load or batch.default_max_load
    if load >= limit:
        raise ValidationError(
            _("%(expert)s already has %(load)s items, the maximum is %(limit)s.")
            % {"expert": expert, "load": load, "limit": limit}
        )
    proposal = Proposal.objects.create(item=item, expert=expert, by_hand=True, added_by=actor, affinity=0)
    if batch.status == Batch.Status.DRAFT:
        batch.propose()
        batch.save(update_fields=["status"])
    log_activity(
        union=batch.union,
        actor=actor,
        verb="experts.proposal.placed",
        message=_("%(expert)s placed on %(item)s by hand") % {"expert": expert, "item": item},
        target=batch,
    )
    return proposal


@transaction.atomic
def remove_proposal(proposal: Proposal, *, actor: User) -> None:
    check(actor, "experts.change_registry", proposal.item.batch.union)
    batch = Batch.objects.select_for_update().get(pk=proposal.item.batch_id)
    if not batch.is_editable:
        raise ValidationError(_("A confirmed batch can no longer be changed."))
    text = _("%(expert)s removed from %(item)s") % {"expert": proposal.expert, "item": proposal.item}
    proposal.delete()
    log_activity(union=batch.union, actor=actor, verb="experts.proposal.removed", message=text, target=batch)


@transaction.atomic
def confirm_batch(batch: Batch, *, actor: User, today: datetime.date | None = None) -> list[Engagement]:
    """Confirm the proposal: every seat is checked again for conflicts, then recorded as an engagement."""
    check(actor, "experts.change_registry", batch.union)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Batch.Status.PROPOSED:
        raise ValidationError(_("There is no proposal to confirm."))
    items = _items_of(batch)
    proposals = list(Proposal.objects.filter(item__batch=batch).select_related("expert__person", "item"))
    if not proposals:
        raise ValidationError(_("There is no proposal to confirm."))
    parties = {i.pk: i.conflict_parties() for i in items}
    blocked = conflicts.blocked_pairs(list(parties.values()), {p.expert.person_id for p in proposals})
    clashes = [p for p in proposals if (parties[p.item_id].key, p.expert.person_id) in blocked]
    if clashes:
        raise ValidationError(
            _("Conflicts of interest appeared since the proposal: %s. Compute the proposal again.")
            % ", ".join(f"{p.expert} — {p.item}" for p in clashes)
        )
    today = today or timezone.localdate()
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                union=batch.union,
                expert=p.expert,
                role=batch.role or str(batch.get_purpose_display()),
                title=p.item.title,
                batch_item=p.item,
                assigned_on=today,
                due_on=batch.due_on,
            )
            for p in proposals
        ]
    )
    batch.confirm()
    batch.save(update_fields=["status"])
    log_activity(
        union=batch.union,
        actor=actor,
        verb="experts.batch.confirmed",
        message=_("Assignment confirmed for %(batch)s: %(n)s seats") % {"batch": batch, "n": len(engagements)},
        target=batch,
    )
    return engagements


@transaction.atomic
def complete_engagement(engagement: Engagement, *, actor: User, day: datetime.date) -> Engagement:
    check(actor, "experts.change_registry", engagement.union)
    engagement.completed_on = day
    engagement.save(update_fields=["completed_on"])
    log_activity(
        union=engagement.union,
        actor=actor,
        verb="experts.engagement.completed",
        message=_("Work done: %s") % engagement,
        target=engagement.expert,
    )
    return engagement
