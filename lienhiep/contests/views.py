"""Edition pages: list, configuration (timeline, fields, eligibility, dossier, rounds and rubric, award tiers),
copy, the steps of the edition, statistics; and the public pages (calls for entries, results)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.contests import charts, editions, judging, queries
from lienhiep.contests.editions import SETUP_PARTS
from lienhiep.contests.forms import CopyForm, EditionForm, rubric_formset, setup_formset
from lienhiep.contests.models import Award, Contributor, Edition, Entry, Round
from lienhiep.core.access import public, union_permission
from lienhiep.core.fsm import steps_for
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.core.views import show_errors
from lienhiep.portal.views import public_page, public_union


def _can_edit(request: HttpRequest) -> bool:
    return request.user.has_perm("contests.manage_contests", request.union)


@union_permission("contests.oversee_contests")
def edition_list(request: HttpRequest) -> HttpResponse:
    editions = (
        Edition.objects.filter(union=request.union)
        .annotate(
            n_entries=Count("entries", filter=~Q(entries__status=Entry.Status.DRAFT)),
            n_accepted=Count("entries", filter=Q(entries__status=Entry.Status.ACCEPTED)),
        )
        .order_by("-registration_opens_at", "-pk")
    )
    return render(request, "contests/edition_list.html", {"editions": editions, "can_edit": _can_edit(request)})


def _edition_form(request: HttpRequest, edition: Edition) -> HttpResponse:
    form = EditionForm(request.POST or None, instance=edition, union=request.union)
    if request.method == "POST" and form.is_valid():
        try:
            edition = editions.save_edition(actor=request.user, union=request.union, edition=form.save(commit=False))
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contests:edition", union_slug=request.union.slug, pk=edition.pk)
    title = _("Edit the edition") if edition.pk else _("New contest edition")
    return render(
        request, "contests/form.html", {"form": form, "title": title, "edition": edition if edition.pk else None}
    )


@union_permission("contests.manage_contests")
def edition_create(request: HttpRequest) -> HttpResponse:
    return _edition_form(request, Edition(union=request.union))


@union_permission("contests.manage_contests")
def edition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edition_form(request, queries.get_edition_for(request.union, pk))


@union_permission("contests.oversee_contests")
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    rounds = list(edition.rounds.prefetch_related("criteria"))
    counts = dict(
        Entry.objects.filter(edition=edition).values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "contests/edition_detail.html",
        {
            "edition": edition,
            "tab": "overview",
            "rounds": rounds,
            "fields": edition.fields.select_related("expert_field"),
            "age_groups": edition.age_groups.all(),
            "dossier_items": edition.dossier_items.all(),
            "tiers": edition.tiers.all(),
            "counts": [(label, counts.get(value, 0)) for value, label in Entry.Status.choices],
            "problems": edition.setup_problems if edition.status == Edition.Status.DRAFT else [],
            "steps": steps_for(
                edition,
                request.user,
                url=lambda move: reverse("contests:edition_move", args=[request.union.slug, edition.pk, move]),
            ),
            "can_edit": _can_edit(request),
            "timeline": timeline_for(edition),
            "parts": SETUP_PARTS,
        },
    )


@union_permission("contests.manage_contests")
def edition_setup(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    if part not in SETUP_PARTS:
        raise Http404
    formset = setup_formset(part, edition, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        try:
            editions.save_setup(actor=request.user, edition=edition, part=part, formset=formset)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contests:edition", union_slug=request.union.slug, pk=edition.pk)
    return render(
        request,
        "contests/setup.html",
        {"edition": edition, "formset": formset, "title": str(SETUP_PARTS[part]).capitalize(), "tab": "overview"},
    )


@union_permission("contests.manage_contests")
def rubric(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(Round.objects.select_related("edition"), pk=pk, edition__union=request.union)
    formset = rubric_formset(round, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        try:
            editions.save_rubric(actor=request.user, round=round, formset=formset)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contests:edition", union_slug=request.union.slug, pk=round.edition_id)
    return render(
        request,
        "contests/setup.html",
        {
            "edition": round.edition,
            "formset": formset,
            "title": _("Rubric of the round %s") % round.name,
            "tab": "overview",
        },
    )


@union_permission("contests.manage_contests")
def edition_copy(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    form = CopyForm(request.POST or None, initial=editions.next_edition(edition, timezone.localdate()).initial())
    years = form.initial["years"]
    if request.method == "POST" and form.is_valid():
        years = form.cleaned_data["years"]
        if "preview" not in request.POST:  # the dates are shown before anything is saved
            try:
                copy = editions.copy_edition(edition, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The new edition starts from this one's configuration; check its dates."))
                return redirect("contests:edition", union_slug=request.union.slug, pk=copy.pk)
    return render(
        request,
        "contests/edition_copy.html",
        {
            "form": form,
            "title": _("Start the next edition from «%s»") % edition,
            "edition": edition,
            "years": years,
            "dates": editions.shifted_dates(edition, years),
        },
    )


@require_POST
@union_permission("contests.manage_contests")
def edition_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    if move not in editions.EDITION_MOVES:
        raise Http404
    try:
        editions.move_edition(actor=request.user, edition=edition, move=move)
        messages.success(request, editions.EDITION_MOVES[move] % edition)  # what was done, to which edition
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:edition", union_slug=request.union.slug, pk=edition.pk)


@require_POST
@union_permission("contests.manage_contests")
def edition_typical(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    try:
        editions.fill_typical_setup(actor=request.user, edition=edition)
        messages.success(
            request, _("The typical configuration is filled in: change any number to this edition's rules.")
        )
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:edition", union_slug=request.union.slug, pk=edition.pk)


@union_permission("contests.oversee_contests")
def edition_stats(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    rounds = list(edition.rounds.all())
    stats = queries.entry_statistics(edition)
    overdue = judging.overdue_sheets(request.union, edition=edition)
    return render(
        request,
        "contests/stats.html",
        {
            "edition": edition,
            "tab": "stats",
            "stats": stats,
            "charts": charts.entry_charts(stats),
            "long_lists": charts.long_lists(stats),
            "progress_chart": charts.progress_chart(queries.judging_progress(edition)),
            "progress": [(r, judging.progress_by_judge(r)) for r in rounds],
            "overdue": overdue,
            "overdue_sheets": sum(n for _expert, n in overdue),
            "today": timezone.localdate(),
        },
    )


# Public pages ---------------------------------------------------------------------------------------------


@public
@public_page()
def public_list(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    editions = (
        Edition.objects.filter(union=union).exclude(status=Edition.Status.DRAFT).order_by("-registration_opens_at")
    )
    return render(request, "contests/public_list.html", {"editions": editions, "union": union, "now": timezone.now()})


@public
@public_page()
def public_edition(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    union = public_union(request, union_slug)
    edition = get_for_union(Edition, union, pk)
    if not edition.is_public():
        raise Http404
    return render(
        request,
        "contests/public_edition.html",
        {
            "edition": edition,
            "union": union,
            "fields": edition.fields.all(),
            "age_groups": edition.age_groups.all(),
            "dossier_items": edition.dossier_items.all(),
            "tiers": edition.tiers.all(),
            "rounds": edition.rounds.prefetch_related("criteria"),
            "open": edition.registration_is_open(),
        },
    )


@public
@public_page()
def public_results(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    """Published results by field and award: titles, authors, localities — never judges' names."""
    union = public_union(request, union_slug)
    edition = get_for_union(Edition, union, pk)
    if not edition.results_public():
        raise Http404
    awards = list(
        Award.objects.filter(entry__edition=edition, tier__isnull=False)
        .select_related("tier", "entry__field", "entry__locality", "entry__school")
        .order_by("entry__field__code", "tier__rank", "-score", "entry__number")
    )
    # the names only, in one query of plain values: the results-day page, opened by a whole province at once
    names: dict[tuple[int, str], list[str]] = {}
    named = Contributor.objects.filter(entry__edition=edition, entry__award__tier__isnull=False)
    for entry_id, role, name in named.values_list("entry_id", "role", "person__name"):
        names.setdefault((entry_id, role), []).append(name)
    by_field: dict = {}
    for award in awards:
        award.authors = names.get((award.entry_id, Contributor.Role.AUTHOR), [])
        award.mentors = names.get((award.entry_id, Contributor.Role.MENTOR), [])
        by_field.setdefault(award.entry.field, []).append(award)
    return render(
        request,
        "contests/public_results.html",
        {"edition": edition, "union": union, "by_field": by_field, "count": len(awards)},
    )
