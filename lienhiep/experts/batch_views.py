"""Pages of matching batches: items to staff, the solver's proposal, adjustments by hand, conflicts, confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import union_permission
from lienhiep.core.forms import forbidden_character_errors
from lienhiep.core.params import QueryParams
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.core.views import show_errors
from lienhiep.experts import conflicts, matching, problems, services, why
from lienhiep.experts.forms import BatchForm, BatchItemForm, DeclareConflictForm, DismissConflictForm, PlaceExpertForm
from lienhiep.experts.models import Batch, BatchItem, ConflictDismissal, Expert, Proposal


def _batch(request: HttpRequest, pk: int) -> Batch:
    return get_for_union(Batch, request.union, pk)


def _item(request: HttpRequest, pk: int) -> BatchItem:
    """A batch item of the current Union (another Union's item is a 404, like a missing one)."""
    item = (
        BatchItem.objects.select_related("batch__union", "requesting_agency", "locality")
        .filter(batch__union=request.union, pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _back(batch: Batch) -> HttpResponse:
    return redirect("experts:batch", union_slug=batch.union.slug, pk=batch.pk)


@union_permission("experts.view_registry")
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = (
        Batch.objects.filter(union=request.union)
        .annotate(n_items=Count("items", distinct=True))
        .order_by("-created_at")
    )
    return render(
        request,
        "experts/batch_list.html",
        {"batches": batches, "can_edit": request.user.has_perm("experts.change_registry", request.union)},
    )


def _batch_form(request: HttpRequest, batch: Batch) -> HttpResponse:
    union = request.union
    form = BatchForm(request.POST or None, instance=batch, union=union)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.save_batch(
                actor=request.user,
                union=union,
                batch=form.save(commit=False),
                candidate_fields=list(form.cleaned_data["candidate_fields"]),
            )
            messages.success(request, _("Saved."))
            return _back(batch)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "experts/batch_form.html", {"form": form, "batch": batch})


@union_permission("experts.change_registry")
def batch_create(request: HttpRequest) -> HttpResponse:
    return _batch_form(request, Batch(union=request.union))


@union_permission("experts.change_registry")
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_form(request, _batch(request, pk))


@union_permission("experts.view_registry")
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    items = list(
        batch.items.prefetch_related("fields", "authors", "mentors")
        .select_related("batch", "requesting_agency")
        .prefetch_related("proposals__expert__person__agency")
    )
    by_item: dict[int, list[str]] = {}
    for problem in batch.problems:
        by_item.setdefault(problem["item"], []).append(problems.describe(problem["code"], problem["numbers"]))
    for item in items:
        item.problem_texts = by_item.get(item.pk, [])
        item.seats = list(item.proposals.all())
        item.missing = max(0, item.needed() - len(item.seats))
    filled = sum(len(i.seats) for i in items)
    place = PlaceExpertForm(union=request.union)["expert"]  # the experts picker, one per item under its own id
    place.field.widget.choices = list(place.field.widget.choices)  # read once for every item (a short list)
    for item in items:
        item.place_field = place.as_widget(attrs={"id": f"place-{item.pk}", "required": True})
    return render(
        request,
        "experts/batch_detail.html",
        {
            "batch": batch,
            "items": items,
            "seats": sum(i.needed() for i in items),
            "filled": filled,
            "fit_summary": why.summary(p.why for i in items for p in i.seats),
            "place_media": place.field.widget.media,
            "can_edit": request.user.has_perm("experts.change_registry", request.union) and batch.is_editable,
            "timeline": timeline_for(batch),
        },
    )


def _item_form(request: HttpRequest, batch: Batch, item: BatchItem) -> HttpResponse:
    union = request.union
    form = BatchItemForm(request.POST or None, instance=item, union=union)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(
                actor=request.user,
                item=form.save(commit=False),
                fields=list(form.cleaned_data["fields"]),
                authors=list(form.cleaned_data["authors"]),
                mentors=list(form.cleaned_data["mentors"]),
            )
            messages.success(request, _("Saved."))
            return _back(batch)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "experts/item_form.html", {"form": form, "batch": batch, "item": item})


@union_permission("experts.change_registry")
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return _item_form(request, batch, BatchItem(batch=batch))


@union_permission("experts.change_registry")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _item_form(request, item.batch, item)


@require_POST
@union_permission("experts.change_registry")
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        services.remove_item(actor=request.user, item=item)
        messages.success(request, _("Item removed."))
    except ValidationError as error:
        show_errors(request, error)
    return _back(item.batch)


@require_POST
@union_permission("experts.change_registry")
def batch_propose(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        result = services.propose_assignment(actor=request.user, batch=batch)
        if result.complete:
            messages.success(request, _("Every seat is filled. Review the proposal, adjust it, then confirm."))
        else:
            messages.warning(
                request,
                _("%(filled)s of %(seats)s seats could be filled; the items below say why.")
                % {"filled": result.filled, "seats": result.seats},
            )
    except ValidationError as error:
        show_errors(request, error)
    return _back(batch)


@require_POST
@union_permission("experts.change_registry")
def item_place(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = PlaceExpertForm(request.POST, union=request.union)
    if form.is_valid():
        try:
            services.place_expert(actor=request.user, item=item, expert=form.cleaned_data["expert"])
            messages.success(request, _("Expert placed."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("Choose an expert of the registry."))
    return _back(item.batch)


@require_POST
@union_permission("experts.change_registry")
def proposal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = (
        Proposal.objects.select_related("item__batch__union", "expert__person")
        .filter(item__batch__union=request.union, pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    try:
        services.remove_proposal(actor=request.user, proposal=proposal)
        messages.success(request, _("Expert removed from the item."))
    except ValidationError as error:
        show_errors(request, error)
    return _back(proposal.item.batch)


@require_POST
@union_permission("experts.change_registry")
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        engagements = services.confirm_batch(actor=request.user, batch=batch)
        messages.success(request, _("Assignment confirmed: %s seats recorded in the experts' work.") % len(engagements))
    except ValidationError as error:
        show_errors(request, error)
    return _back(batch)


@union_permission("experts.view_registry")
def item_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    """Every expert of the Union against this item: who may act, who may not and why, and who was cleared."""
    item = _item(request, pk)
    union = request.union
    experts = list(
        Expert.objects.filter(union=union)
        .select_related("person__agency")
        .prefetch_related("fields")
        .order_by("person__sort_key")
    )
    parties = item.conflict_parties()
    found = conflicts.conflicts_for([parties], [e.person_id for e in experts])
    match_item = matching.Item(
        key=item.pk, text=f"{item.title}. {item.text}", fields=frozenset(f.code for f in item.fields.all())
    )
    candidates = [
        matching.Candidate(
            key=e.pk,
            text=e.profile_text([f.name for f in e.fields.all()]),
            fields=frozenset(f.code for f in e.fields.all()),
        )
        for e in experts
    ]
    scores = matching.TfidfAffinity().scores([match_item], candidates)[0] if experts else []
    affinity = {e.pk: float(score) for e, score in zip(experts, scores, strict=True)}
    rows = [(e, found.get((parties.key, e.person_id), []), affinity.get(e.pk, 0.0)) for e in experts]
    rows.sort(key=lambda row: (not row[1], -row[2], row[0].person.sort_key))
    rows = [(e, found_, why.Why.of({"fit": score})) for e, found_, score in rows]
    show_all = QueryParams(request).flag("all")
    hidden = 0
    if not show_all:  # those with a conflict, then the closest 20 of the others
        kept = [r for r in rows if r[1]] + [r for r in rows if not r[1]][:20]
        hidden, rows = len(rows) - len(kept), kept
    dismissals = ConflictDismissal.objects.filter(
        union=union, item_type=parties.key[0], item_id=item.pk
    ).select_related("person", "dismissed_by")
    return render(
        request,
        "experts/item_conflicts.html",
        {
            "item": item,
            "batch": item.batch,
            "rows": rows,
            "hidden": hidden,
            "dismissals": dismissals,
            "declare_form": DeclareConflictForm(union=union),
            "can_edit": request.user.has_perm("experts.change_registry", request.union),
        },
    )


@require_POST
@union_permission("experts.change_registry")
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = DeclareConflictForm(request.POST, union=request.union)
    if form.is_valid():
        try:
            services.declare_conflict(
                actor=request.user,
                union=request.union,
                person=form.cleaned_data["person"],
                item=item,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Conflict recorded."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(
            request, " ".join(forbidden_character_errors(form)) or _("Choose the person and say what the conflict is.")
        )
    return redirect("experts:item_conflicts", union_slug=request.union.slug, pk=item.pk)


@require_POST
@union_permission("experts.change_registry")
def conflict_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = DismissConflictForm(request.POST, union=request.union)
    if form.is_valid():
        try:
            services.dismiss_conflict(
                actor=request.user,
                union=request.union,
                person=form.cleaned_data["person"],
                item=item,
                rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Conflict dismissed; the reason is kept in the history."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(
            request, " ".join(forbidden_character_errors(form)) or _("Give the reason why this is not a conflict.")
        )
    return redirect("experts:item_conflicts", union_slug=request.union.slug, pk=item.pk)


@require_POST
@union_permission("experts.change_registry")
def dismissal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    dismissal = get_for_union(ConflictDismissal, request.union, pk)
    services.withdraw_dismissal(actor=request.user, dismissal=dismissal)
    messages.success(request, _("The conflict blocks this person again."))
    return redirect("experts:item_conflicts", union_slug=request.union.slug, pk=dismissal.item_id)
