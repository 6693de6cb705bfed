"""Entry pages: the entrant's own entries, registration and the dossier, submission and the receipt; staff's
list, paper dossiers, screening and reopening."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import HiddenInput
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lienhiep.contests import blind, certificates, next_step, queries, services
from lienhiep.contests.forms import (
    EntryFileForm,
    EntryForm,
    ReasonForm,
    ReceivedForm,
    ReopenForm,
    ScreenForm,
    contributor_formset,
    school_hint,
)
from lienhiep.contests.models import Contributor, DossierItem, Edition, Entry, EntryFile
from lienhiep.contests.services import ContributorData
from lienhiep.core.access import union_permission
from lienhiep.core.forms import forbidden_character_errors
from lienhiep.core.models import ActivityLog, AdminUnit, Agency
from lienhiep.core.params import QueryParams
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.core.rules import is_union_staff
from lienhiep.core.services import form_version
from lienhiep.core.views import paginate, show_errors
from lienhiep.core.widgets import agency_hint, picker_answer

# What an entrant may read of an entry's history: never who judges it.
ENTRANT_VERBS = [
    "contests.entry.created",
    "contests.entry.changed",
    "contests.entry.submitted",
    "contests.entry.accept",
    "contests.entry.return",
    "contests.entry.reject",
    "contests.entry.reopened",
    "contests.entry.file_added",
    "contests.entry.file_removed",
    "contests.entry.dossier_reopened",
    "contests.entry.dossier_closed",
]


@union_permission("contests.enter_contests")
def my_entries(request: HttpRequest) -> HttpResponse:
    union = request.union
    now = timezone.now()
    entries = list(
        queries.entries_for(request.user, union)
        .select_related("edition", "field", "award__tier")
        .order_by("-created_at")
    )
    open_editions = [
        e
        for e in Edition.objects.filter(union=union, status=Edition.Status.OPEN).order_by("submission_deadline")
        if e.registration_is_open(now)
    ]
    for entry in entries:
        entry.next_line = next_step.entry_line(entry, now)
    return render(
        request,
        "contests/my_entries.html",
        {
            "entries": entries,
            "open_editions": open_editions,
            "certificates": certificates.certificates_for_user(request.user, union),
        },
    )


@union_permission("contests.oversee_contests")
def entry_list(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    entries = queries.filter_entries(
        Entry.objects.filter(edition=edition)
        .select_related("field", "locality", "school", "award__tier")
        .prefetch_related("contributors__person"),
        QueryParams(request),
    ).order_by("number", "pk")
    page = paginate(request, entries)
    filters = {key: request.GET.get(key, "") for key in ("q", "field", "status", "locality")}
    context = {
        "edition": edition,
        "tab": "entries",
        "page": page,
        "filters": filters,
        "field_choices": edition.fields.all(),
        "status_choices": Entry.Status.choices,
        "locality_choices": AdminUnit.objects.filter(
            pk__in=Entry.objects.filter(edition=edition).values("locality")
        ).select_related("parent"),
        "can_edit": request.user.has_perm("contests.manage_contests", request.union),
    }
    template = "contests/entry_list.html#results" if request.htmx else "contests/entry_list.html"
    return render(request, template, context)


def _people_from(formset) -> list[ContributorData]:
    people = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("name", "").strip():
            continue
        people.append(
            ContributorData(
                name=data["name"],
                role=data["role"],
                share=data.get("share"),
                birth_date=data.get("birth_date"),
                agency=data.get("agency"),
                email=data.get("email") or "",
            )
        )
    return people


def _entry_form(request: HttpRequest, edition: Edition, entry: Entry) -> HttpResponse:
    union = request.union
    form = EntryForm(request.POST or None, instance=entry, edition=edition)
    if entry.pk:
        initial = [
            {
                "name": c.person.name,
                "role": c.role,
                "share": c.share,
                "birth_date": c.birth_date,
                "agency": c.person.agency_id,
                "email": c.person.email,
            }
            for c in entry.contributors.select_related("person")
        ]
    elif not request.user.has_perm("contests.manage_contests", request.union):  # an entrant names themself first
        initial = [{"name": request.user.get_full_name(), "role": Contributor.Role.AUTHOR, "share": 100,
                    "email": request.user.email}]  # fmt: skip
    else:
        initial = []
    people = contributor_formset(union, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and people.is_valid():
        entry = form.save(commit=False)
        entry.edition = edition
        try:
            entry = services.save_entry(
                actor=request.user,
                entry=entry,
                people=_people_from(people),
                expected_version=form_version(request.POST),
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, entrant_message(request, entry, _("Save the draft")))
            return redirect("contests:entry", union_slug=union.slug, pk=entry.pk)
    return render(
        request,
        "contests/entry_form.html",
        # the pickers' script and style (the locality, the school, each author's workplace), once
        {"form": form, "people": people, "edition": edition, "entry": entry, "media": form.media + people.media},
    )


WORKPLACE_PARAMS = ("q", "kind")


@union_permission("contests.pick_workplaces")
@require_GET
def workplaces_pick(request: HttpRequest) -> HttpResponse:
    """The endpoint of an entry form's pickers (core.widgets): the Union's own schools and workplaces whose name
    holds the words typed (`q`), of one kind if asked (`kind=school`). A kind that does not exist, or a parameter
    this address does not read, is answered 400 with a JSON error naming it: never a list computed without it."""
    params = QueryParams(request, notify=False)
    kind = params.choice("kind", Agency.Kind.values)
    for name in sorted(set(request.GET) - set(WORKPLACE_PARAMS)):
        params.refuse(name)
    if params.invalid:
        error = " ".join(params.notice(name) for name in params.invalid)
        return JsonResponse({"error": error, "results": [], "more": False}, status=400)
    hint = school_hint if kind else agency_hint  # of one kind: the kind goes without saying
    return picker_answer(request, queries.workplaces_to_choose(request.union, kind or None), hint=hint)


def entrant_message(request: HttpRequest, entry: Entry, done: str, extra: str = "") -> str:
    """The confirmation after an entrant's step: what was done on which entry, and what comes next for them (staff
    are told what was done)."""
    entry = Entry.objects.select_related("edition", "union").get(pk=entry.pk)  # as the step left it
    what = next_step.entry_name(entry)
    if is_union_staff(request.user, request.union):
        return next_step.done_message(done, what, next_step.Panel(), extra)
    missing = services.completeness(entry) if entry.is_editable else []
    return next_step.done_message(done, what, next_step.entry_panel(entry, request.user, missing=missing), extra)


@union_permission("contests.write_entries")
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    edition = queries.get_edition_for(request.union, pk)
    is_editor = request.user.has_perm("contests.manage_contests", request.union)
    if not is_editor and not edition.registration_is_open():
        messages.error(request, _("Registration for this edition is not open."))
        return redirect("contests:my_entries", union_slug=request.union.slug)
    return _entry_form(request, edition, Entry(edition=edition, union=request.union))


def _own_entry(request: HttpRequest, pk: int) -> Entry:
    entry = queries.get_entry_for(request.user, request.union, pk)
    if not request.user.has_perm("contests.change_entry", entry):
        raise PermissionDenied
    return entry


@union_permission("contests.write_entries")
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if not entry.is_editable:
        messages.error(request, _("A submitted entry can no longer be changed. Ask the organisers to reopen it."))
        return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)
    return _entry_form(request, entry.edition, entry)


@union_permission("contests.view_entries")
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    union = request.union
    entry = queries.get_entry_for(request.user, union, pk)
    staff = is_union_staff(request.user, union)
    can_write = request.user.has_perm("contests.change_entry", entry)
    context = {
        "entry": entry,
        "edition": entry.edition,
        "tab": "entries",
        "people": entry.contributors.select_related("person__agency"),
        "files": entry.files.select_related("item", "attachment"),
        "missing": services.completeness(entry) if entry.is_editable else [],
        "staff": staff,
        "can_write": can_write and entry.is_editable,
        "can_screen": request.user.has_perm("contests.manage_contests", request.union),
        # the steps of the entry its viewer may take from here (each transition names its permission)
        "steps": {t.name for t in entry.get_available_user_status_transitions(request.user)},
        "file_form": EntryFileForm(edition=entry.edition),
        "items": DossierItem.objects.filter(edition=entry.edition_id),
        "screen_form": ScreenForm(),
        "reopen_form": ReopenForm(),
        "received_form": ReceivedForm(),
        "now": timezone.now(),
    }
    if not staff:  # the entrant's «Next step» (staff act from the screening and dossier sections)
        context["panel"] = next_step.entry_panel(entry, request.user, missing=context["missing"])
    if entry.edition.dossiers_closed:
        context["dossier_closed"] = services.dossier_closed_reason(entry)
        context["reopenings"] = queries.dossier_reopenings(entry.edition, entry)
    if staff:
        context["timeline"] = timeline_for(entry)
        context["assignments"] = entry.assignments.select_related("expert__person", "round").order_by("round__order")
        context["dossier_form"] = ReasonForm(auto_id="dossier_%s")
        if entry.status in (Entry.Status.SUBMITTED, Entry.Status.ACCEPTED):  # screening, and until judges read it
            found = blind.findings(entry)
            context["blind_findings"], context["blind_checked"] = found, True
            if found:
                note = blind.anonymisation_note(found)
                anonymise = ScreenForm(initial={"decision": "return", "note": note}, auto_id="anon_%s")
                anonymise.fields["decision"].widget = HiddenInput()
                context["anonymise_form"] = anonymise
                context["reopen_form"] = ReopenForm(initial={"reason": note})
    else:  # the entrant's history: their own steps and the organisers' decisions, never the judges
        context["history"] = ActivityLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Entry), target_id=entry.pk, verb__in=ENTRANT_VERBS
        )
    return render(request, "contests/entry_detail.html", context)


@require_POST
@union_permission("contests.write_entries")
def entry_submit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    received_at = None
    if entry.on_paper and request.POST.get("received_at"):
        form = ReceivedForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date and time the paper dossier was received."))
            return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)
        received_at = form.cleaned_data["received_at"]
    try:
        entry = services.submit_entry(actor=request.user, entry=entry, received_at=received_at)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)
    messages.success(
        request,
        entrant_message(
            request,
            entry,
            _("Submit the entry"),
            extra=_("Registration number %s; the receipt was e-mailed.") % entry.number,
        ),
    )
    return redirect("contests:receipt", union_slug=request.union.slug, pk=entry.pk)


@require_POST
@union_permission("contests.write_entries")
def entry_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    form = EntryFileForm(request.POST, request.FILES, edition=entry.edition)
    if form.is_valid():
        try:
            services.add_entry_file(
                actor=request.user,
                entry=entry,
                item=form.cleaned_data["item"],
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
            messages.success(request, entrant_message(request, entry, _("Add to the dossier")))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)


@require_POST
@union_permission("contests.write_entries")
def entry_file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry_file = EntryFile.objects.filter(pk=pk, entry__union=request.union).select_related("entry").first()
    if entry_file is None:
        raise Http404
    entry = _own_entry(request, entry_file.entry_id)
    try:
        services.remove_entry_file(actor=request.user, entry_file=entry_file)
        messages.success(request, entrant_message(request, entry, _("Remove from the dossier")))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)


@require_POST
@union_permission("contests.manage_contests")
def entry_screen(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for_union(Entry, request.union, pk)
    form = ScreenForm(request.POST)
    if form.is_valid():
        try:
            services.screen_entry(
                actor=request.user,
                entry=entry,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                until=form.cleaned_data["until"],
            )
            messages.success(request, next_step.screened_message(entry, form.cleaned_data["decision"]))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)


@require_POST
@union_permission("contests.manage_contests")
def entry_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for_union(Entry, request.union, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_entry(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"]
            )
            messages.success(request, next_step.reopened_message(entry))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(
            request, " ".join(forbidden_character_errors(form)) or _("Give the reason for reopening the entry.")
        )
    return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)


@require_POST
@union_permission("contests.manage_contests")
def entry_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff reopen one entry's dossier after judging started, with a reason (logged, shown with the results), or
    close it again."""
    entry = get_for_union(Entry, request.union, pk)
    try:
        if "close" in request.POST:
            services.close_dossier(actor=request.user, entry=entry)
            messages.success(request, _("The dossier is closed again."))
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    forbidden_character_errors(form) or _("Give the reason for reopening the dossier.")
                )
            services.reopen_dossier(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
            messages.success(request, _("The dossier is open: files can be added or removed. Close it again after."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)


@union_permission("contests.view_entries")
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt of a submitted entry (registration number, time received, dossier)."""
    entry = queries.get_entry_for(request.user, request.union, pk)
    if not entry.number:
        messages.error(request, _("This entry has not been submitted yet."))
        return redirect("contests:entry", union_slug=request.union.slug, pk=entry.pk)
    return render(
        request,
        "contests/receipt.html",
        {
            "entry": entry,
            "people": entry.contributors.select_related("person"),
            "files": entry.files.select_related("item", "attachment"),
        },
    )
