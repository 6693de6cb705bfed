"""Judging pages: a round's juries and seats (engine proposal, adjustments, confirmation, progress, closing,
paper score sheets); a judge's own assignments and blind score sheets, and recusal."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.contests import blind, excel, judging, next_step, todo
from lienhiep.contests.forms import ImportForm, JuryForm, PlaceForm, RecuseForm
from lienhiep.contests.models import Assignment, ContestField, Entry, EntryFile, Jury, Round
from lienhiep.contests.services import percent
from lienhiep.core.access import union_permission
from lienhiep.core.forms import forbidden_character_errors
from lienhiep.core.queries import get_for_union
from lienhiep.core.services import form_version
from lienhiep.core.uploads import XLSX, check_upload
from lienhiep.core.views import show_errors
from lienhiep.experts.problems import describe

XLSX_TYPE = XLSX.mime_type


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("edition__union"), pk=pk, edition__union=request.union)


def _back(request: HttpRequest, round: Round) -> HttpResponse:
    return redirect("contests:round", union_slug=request.union.slug, pk=round.pk)


@union_permission("contests.oversee_contests")
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    union = request.union
    entries = list(judging.entries_in_round(round).select_related("locality").order_by("number"))
    seats = defaultdict(list)
    for a in (
        Assignment.objects.filter(round=round)
        .select_related("expert__person__agency")
        .order_by("status", "-affinity", "pk")
    ):
        seats[a.entry_id].append(a)
    for entry in entries:
        entry.seats = seats.get(entry.pk, [])
        entry.active = [a for a in entry.seats if a.status != Assignment.Status.RECUSED]
    juries = {j.field_id: j for j in Jury.objects.filter(round=round).prefetch_related("members__person")}
    fields = []
    for field in ContestField.objects.filter(edition=round.edition):
        jury = juries.get(field.pk)
        members = list(jury.members.all()) if jury else []
        fields.append(
            {
                "field": field,
                "members": members,
                "form": JuryForm(union=union, initial={"experts": members}, prefix=f"jury{field.pk}"),
                "entries": [e for e in entries if e.field_id == field.pk],
            }
        )
    problems = request.session.pop(f"contests-round-{round.pk}-problems", [])
    numbers = {e.pk: e.number for e in entries}
    return render(
        request,
        "contests/round_detail.html",
        {
            "round": round,
            "edition": round.edition,
            "tab": "judging",
            "steps": {t.name for t in round.get_available_user_status_transitions(request.user)},
            "fields": fields,
            "entries": entries,
            "proposed": sum(1 for e in entries for a in e.seats if a.status == Assignment.Status.PROPOSED),
            "problems": [(numbers.get(p["item"], "?"), describe(p["code"], p["numbers"])) for p in problems],
            "place_form": PlaceForm(round=round),
            "progress": judging.progress_by_judge(round),
            "can_edit": request.user.has_perm("contests.manage_contests", request.union),
            "rounds": round.edition.rounds.all(),
        },
    )


@require_POST
@union_permission("contests.manage_contests")
def jury_set(request: HttpRequest, pk: int, field_pk: int) -> HttpResponse:
    round = _round(request, pk)
    field = get_object_or_404(ContestField, pk=field_pk, edition=round.edition)
    form = JuryForm(request.POST, union=request.union, prefix=f"jury{field.pk}")
    if form.is_valid():
        experts = list(form.cleaned_data["experts"])
        judging.set_jury(actor=request.user, round=round, field=field, experts=experts)
        messages.success(request, next_step.jury_message(round, field, experts))
    else:
        messages.error(request, _("Choose judges from the Union's expert registry."))
    return _back(request, round)


@require_POST
@union_permission("contests.manage_contests")
def round_propose(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        problems = judging.propose_judges(actor=request.user, round=round)
    except ValidationError as error:
        show_errors(request, error)
    else:
        request.session[f"contests-round-{round.pk}-problems"] = [
            {"item": p.item_key, "code": p.code, "numbers": p.numbers} for p in problems
        ]
        messages.success(request, _("Judges proposed. Check them, adjust by hand if needed, then confirm."))
    return _back(request, round)


@require_POST
@union_permission("contests.manage_contests")
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        n = judging.confirm_judges(actor=request.user, round=round)
        messages.success(request, _("%s seats confirmed; the judges were told by e-mail.") % n)
    except ValidationError as error:
        show_errors(request, error)
    return _back(request, round)


@require_POST
@union_permission("contests.manage_contests")
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    try:
        n = judging.close_round(actor=request.user, round=round)
        messages.success(request, next_step.round_closed_message(round, n))
    except ValidationError as error:
        show_errors(request, error)
    return _back(request, round)


@require_POST
@union_permission("contests.manage_contests")
def judge_place(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    form = PlaceForm(request.POST, round=round)
    if form.is_valid():
        try:
            placed = judging.place_judge(
                actor=request.user, round=round, entry=form.cleaned_data["entry"], expert=form.cleaned_data["expert"]
            )
            messages.success(request, next_step.placed_message(placed))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("Choose an entry of this round and a judge."))
    return _back(request, round)


@require_POST
@union_permission("contests.manage_contests")
def judge_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_for_union(
        Assignment, request.union, pk, Assignment.objects.select_related("round__edition", "entry", "expert__person")
    )
    try:
        judging.remove_judge(actor=request.user, assignment=assignment)
        messages.success(
            request, next_step.removed_message(assignment.round, assignment.entry, assignment.expert.person.name)
        )
    except ValidationError as error:
        show_errors(request, error)
    return _back(request, assignment.round)


@require_POST
@union_permission("contests.manage_contests")
def extra_judge(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for_union(Entry, request.union, pk)
    try:
        made = judging.add_extra_judge(actor=request.user, entry=entry)
        messages.success(
            request,
            _("An extra judge now scores %(entry)s: %(expert)s") % {"entry": entry.number, "expert": made.expert},
        )
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:results", union_slug=request.union.slug, pk=entry.edition_id)


@union_permission("contests.oversee_contests")
def scores_export(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    return xlsx_response(excel.scores_workbook(round), f"diem-cham-{round.edition.code}-vong-{round.order}.xlsx")


@union_permission("contests.oversee_contests")
def scores_template(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    return xlsx_response(excel.template_workbook(round), f"phieu-cham-{round.edition.code}-vong-{round.order}.xlsx")


@union_permission("contests.manage_contests")
def scores_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Paper score sheets typed into the round's template: all rows checked, all applied, or none."""
    round = _round(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, (XLSX,))
            report = excel.apply_score_file(actor=request.user, round=round, data=upload)
        except excel.ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if report.ok:
                messages.success(request, _("%s score sheets entered and submitted.") % len(report.rows))
                return _back(request, round)
    return render(
        request,
        "contests/import.html",
        {"round": round, "edition": round.edition, "form": form, "report": report, "tab": "judging"},
    )


# The judge's side -----------------------------------------------------------------------------------------


@union_permission("contests.judge")
def my_judging(request: HttpRequest) -> HttpResponse:
    assignments = list(
        Assignment.objects.filter(union=request.union, expert__person__user=request.user)
        .exclude(status=Assignment.Status.PROPOSED)
        .select_related("entry__field", "round__edition")
        .order_by("status", "round__due_on", "entry__number")
    )
    panel = next_step.judging_panel(assignments, request.union.slug)
    return render(request, "contests/my_judging.html", {"assignments": assignments, "panel": panel})


def sheet_panel(request: HttpRequest, assignment: Assignment) -> next_step.Panel:
    """The «Next step» of a judge's sheet, with their other sheets still to fill in (one query)."""
    to_score = list(
        todo.sheets_to_score(request.user, request.union)
        .exclude(pk=assignment.pk)
        .filter(round__status=Round.Status.OPEN)
        .select_related("entry", "round")[:5]
    )
    return next_step.sheet_panel(assignment, request.user, request.union.slug, to_score=to_score)


@union_permission("contests.judge")
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A judge's blind score sheet: the entry (never its authors' or the other judges' names), each criterion
    within its range with a comment; drafts; submit locks it."""
    assignment = judging.get_assignment_for(request.user, request.union, pk)
    criteria = list(assignment.round.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    if request.method == "POST":
        if assignment.status == Assignment.Status.RECUSED:
            raise Http404
        points = {c.pk: request.POST.get(f"points_{c.pk}", "") for c in criteria}
        comments = {c.pk: request.POST.get(f"comment_{c.pk}", "") for c in criteria}
        submit = "submit" in request.POST
        try:
            judging.save_scores(
                actor=request.user,
                assignment=assignment,
                points=points,
                comments=comments,
                comment=request.POST.get("comment", "")[:5000],
                submit=submit,
                expected_version=form_version(request.POST),
            )
        except ValidationError as error:
            show_errors(request, error)
            for c in criteria:  # show what was typed
                c.typed, c.typed_comment = points[c.pk], comments[c.pk]
        else:
            assignment = judging.get_assignment_for(request.user, request.union, pk)  # as the step left it
            done = _("Submit the sheet") if submit else _("Save draft")
            extra = _("The sheet is locked.") if submit else ""
            message = next_step.done_message(done, assignment.entry.number, sheet_panel(request, assignment), extra)
            messages.success(request, message)
            return redirect("contests:sheet", union_slug=request.union.slug, pk=assignment.pk)
    for c in criteria:
        if not hasattr(c, "typed"):
            score = scores.get(c.pk)
            c.typed = percent(score.points) if score else ""
            c.typed_comment = score.comment if score else ""
    entry = assignment.entry
    return render(
        request,
        "contests/sheet.html",
        {
            "assignment": assignment,
            "entry": entry,
            "criteria": criteria,
            "total": judging.total_of(assignment) if scores else None,
            "max_total": assignment.round.max_total(),
            "others": judging.visible_sheets(assignment),
            # only the items the edition shows to judges, under neutral names (none once the judge withdrew)
            "files": [] if assignment.is_recused else blind.judge_files(entry),
            "panel": sheet_panel(request, assignment),
        },
    )


@union_permission("contests.judge")
def judge_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """A judge's copy of a file of the entry they judge (`contests.read_blind_copy`): an item shown to judges, under
    a neutral name, without the metadata that carries names. Any other file is, to a judge, one that does not exist."""
    assignment = judging.get_assignment_for(request.user, request.union, pk)
    entry_file = (
        EntryFile.objects.filter(pk=file_pk, entry=assignment.entry_id, attachment__isnull=False)
        .select_related("item", "attachment", "entry")
        .first()
    )
    if entry_file is None or not request.user.has_perm("contests.read_blind_copy", entry_file):
        raise Http404
    attachment = entry_file.attachment
    try:
        with attachment.file.open("rb") as handle:
            data = blind.clean_copy(handle.read(), attachment.extension)
    except (blind.CannotClean, OSError):
        messages.error(
            request,
            _(
                "This file could not be prepared for blind judging (its metadata could not be removed), so it is "
                "not shown. Ask the organisers to replace it."
            ),
        )
        return redirect("contests:sheet", union_slug=request.union.slug, pk=assignment.pk)
    response = HttpResponse(data, content_type=attachment.mime_type)
    response["Content-Disposition"] = content_disposition_header(True, blind.blind_file(entry_file).name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@union_permission("contests.judge")
def recuse(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = judging.get_assignment_for(request.user, request.union, pk)
    form = RecuseForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(forbidden_character_errors(form)) or _("Say what the conflict of interest is.")
        )
        return redirect("contests:sheet", union_slug=request.union.slug, pk=assignment.pk)
    try:
        judging.recuse(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        show_errors(request, error)
        return redirect("contests:sheet", union_slug=request.union.slug, pk=assignment.pk)
    assignment = judging.get_assignment_for(request.user, request.union, pk)  # as the step left it
    extra = _("The organisers seat another judge.")
    message = next_step.done_message(
        _("Withdraw from this entry"), assignment.entry.number, sheet_panel(request, assignment), extra
    )
    messages.success(request, message)
    return redirect("contests:my_judging", union_slug=request.union.slug)
