"""Cases: the list, intake, the case page, its steps, the council and the case's files. Thin views: parse, call a
service, render. Every page reads the case through `get_case_for` (another Union's or a case the user may not
see is a 404); what a user may change is decided again by the service."""

from functools import partial
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.advisory import annual, charts, documents, services, services_council, services_work, stats
from lienhiep.advisory.forms import (
    CaseFileForm,
    CaseForm,
    ConflictForm,
    ProposeForm,
    RoleForm,
    SeatForm,
)
from lienhiep.advisory.models import (
    AFTER_REPORT,
    FINISHED,
    AnnualReport,
    Case,
    CaseFile,
    Kind,
    Seat,
    Status,
)
from lienhiep.advisory.next_step import actions_on_sent_report, done_message, panel_for
from lienhiep.advisory.queries import (
    acceptance,
    cases_closed_to,
    cases_for,
    get_case_for,
    may_consolidate,
    may_open_draft,
    may_read_annotated_draft,
    represents,
    seat_of,
    seats_of,
)
from lienhiep.core.access import union_permission
from lienhiep.core.forms import check_text
from lienhiep.core.fsm import step_named
from lienhiep.core.models import ActivityLog
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union, people_to_choose, search, timeline_for
from lienhiep.core.rules import is_editor, is_union_staff, represented_agency_ids
from lienhiep.core.views import show_errors
from lienhiep.experts import services as expert_services
from lienhiep.outreach.models import LocalProject
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document
from lienhiep.paperwork.views import issued_file_response

PAGE_SIZE = 30


def docx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    return quote(name)


# The list and intake -----------------------------------------------------------------------------------------------


@union_permission("advisory.view_cases")
def case_list(request: HttpRequest) -> HttpResponse:
    union = request.union
    queryset = cases_for(request.user, union).select_related("requesting_agency", "admin_unit")
    params = QueryParams(request)
    q = params.text("q")
    if q:
        queryset = search(queryset, q, field="search_folded")
    status = params.choice("status", ["overdue", "open", *Status.values])
    today = timezone.localdate()
    if status == "overdue":
        queryset = queryset.filter(stage_due_on__lt=today).exclude(
            status__in=[*FINISHED, Status.ANSWERED, Status.ASSESSED]
        )
    elif status == "open":
        queryset = queryset.exclude(status__in=FINISHED)
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    kind = params.choice("kind", Kind.values)
    if kind:
        queryset = queryset.filter(kind=kind)
    year = params.year("year")
    if year:
        queryset = queryset.filter(year=year)
    page = Paginator(queryset.order_by("-year", "-seq"), PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "advisory/case_list.html",
        {
            "page": page,
            "closed": cases_closed_to(request.user, union, list(page)),
            "q": q,
            "status": status,
            "kind": kind,
            "year": str(year or ""),
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "today": today,
            "manager": is_editor(request.user, union),
            "rep": bool(represented_agency_ids(request.user, union)),
        },
    )


@union_permission("advisory.add_case")
def case_create(request: HttpRequest) -> HttpResponse:
    union, user = request.union, request.user
    staff = is_editor(user, union)
    agencies = services.agencies_choice_for(user, union)
    initial: dict = {}
    project = None
    project_id = QueryParams(request).id("project")
    if staff and project_id:
        project = LocalProject.objects.filter(union=union, pk=project_id).select_related("owner_agency").first()
        if project is not None:
            prefill = project.advisory_prefill()
            initial = {
                "title": prefill["title"],
                "requesting_agency": prefill["requesting_agency"],
                "admin_unit": prefill["admin_unit"],
                "summary": "\n".join(filter(None, [prefill["description"], prefill["sector"]])),
                "requested_deadline": prefill["deadline_hint"],
            }
    if not staff:
        initial.setdefault("requesting_agency", agencies.first())
    form = CaseForm(
        request.POST or None,
        request.FILES or None,
        union=union,
        agencies=agencies,
        people=people_to_choose(user, union),
        staff=staff,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        if project is not None:
            case.source_local_project = project
        try:
            case = services.open_case(
                actor=user,
                union=union,
                case=case,
                fields=form.cleaned_data["fields"],
                authors=form.cleaned_data["authors"],
                files=form.files_to_store(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request is recorded as %s.") % case.code)
            return redirect(case.get_absolute_url())
    return render(
        request,
        "advisory/case_form.html",
        {"form": form, "title": _("New request for consulting, critique or assessment"), "project": project},
    )


@union_permission("advisory.manage_cases")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    form = CaseForm(request.POST or None, instance=case, union=request.union, with_files=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                actor=request.user,
                case=form.save(commit=False),
                fields=form.cleaned_data["fields"],
                authors=form.cleaned_data["authors"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case.get_absolute_url())
    return render(
        request,
        "advisory/case_form.html",
        {"form": form, "title": _("Change the case"), "back": case.get_absolute_url()},
    )


# The case page -----------------------------------------------------------------------------------------------------


@union_permission("advisory.view_cases")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    union, user = request.union, request.user
    case = get_case_for(user, union, pk)
    staff, manager = is_union_staff(user, union), is_editor(user, union)
    rep, seat = represents(user, case), seat_of(user, case)
    reads_draft = may_read_annotated_draft(user, case)
    council_visible = staff or seat is not None or (rep and case.status not in (Status.RECEIVED, Status.ACCEPTED))
    recs_visible = staff or seat is not None or (rep and case.status in AFTER_REPORT)
    recommendations = list(case.recommendations.all()) if recs_visible else []
    files = list(case.files.select_related("uploaded_by"))
    context = {
        "case": case,
        "staff": staff,
        "manager": manager,
        "seat": seat,
        "may_read_annotated_draft": reads_draft,
        "today": timezone.localdate(),
        "files": files if (staff or rep or may_open_draft(user, case)) else [],
        "file_form": CaseFileForm() if manager or (rep and case.status == Status.RECEIVED) else None,
        "seats": seats_of(case) if council_visible else [],
        "recommendations": recommendations,
        "acceptance": acceptance(case.recommendations.all()) if recs_visible else None,
        "documents": IssuedDocument.objects.of(case).current().order_by("issued_on", "number"),
        "panel": panel_for(case, user, seat, reads_draft=reads_draft, consolidates=may_consolidate(user, case)),
        "fields": list(case.fields.all()),
        "authors": list(case.authors.all()),
        "assessment_cases": list(case.assessment_cases.all()),
    }
    if staff:
        context["timeline"] = timeline_for(case)
        context["access_log"] = ActivityLog.objects.filter(
            verb__startswith="advisory.draft.",
            target_type=ContentType.objects.get_for_model(CaseFile),
            target_id__in=[f.pk for f in files],
        ).select_related("actor")[:30]
    return render(request, "advisory/case_detail.html", context)


# The service behind each step of the case's panel: the transitions of `Case` (their permission and conditions are
# declared there) and the actions on a sent report (`next_step.actions_on_sent_report`). Each service checks again
# who may.
CASE_STEPS = {
    "accept": services.accept_case,
    "decline": services.decline_case,
    "withdraw": services.withdraw_case,
    "submit_council": services_council.submit_council,
    "approve_council": services_council.approve_council,
    "return_council": services_council.return_council,
    "start_review": services_council.start_review,
    "start_consolidation": services_council.start_consolidation,
    "submit_report": services_work.submit_report,
    "return_report": services_work.return_report,
    "sign_report": services_work.sign_report,
    "send_report": services_work.send_report,
    "close": services.close_case,
    "publish_summary": services.publish_summary,
    "assessment_case": services.open_assessment_case,
    "publish_draft": partial(services.set_draft_published, published=True),
    "unpublish_draft": partial(services.set_draft_published, published=False),
}


@require_POST
@union_permission("advisory.view_cases")
def case_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the case (accept, decline, approve the council, sign ...), with the reason or the date the step
    asks for. The service decides who may, and says what is missing."""
    case = get_case_for(request.user, request.union, pk)
    target = case.get_absolute_url()
    service = CASE_STEPS.get(action)
    if service is None:
        raise Http404
    step = step_named(case, request.user, action)
    label = (
        step.label
        if step
        else next((a.label for a in actions_on_sent_report(case, request.user) if a.name == action), action)
    )
    options: dict = {}
    if step and step.reason:
        options["reason"] = request.POST.get("reason", "")
        try:
            check_text(options["reason"], multiline=True)  # the rule every form's text area follows
        except ValidationError as error:
            show_errors(request, error)
            return redirect(target)
    if step and step.date_name:
        field = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
        try:
            options[step.date_name] = field.clean(request.POST.get(step.date_name, ""))
        except ValidationError:
            messages.error(request, _("Give the date: %s.") % step.date_label.lower())
            return redirect(target)
    try:
        result = service(case, actor=request.user, **options)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(target)
    case.refresh_from_db()  # as the step left it
    messages.success(request, done_message(case, request.user, label))
    if action == "publish_summary":
        return redirect(result.get_staff_url())
    if action == "assessment_case":
        return redirect(result.get_absolute_url())
    return redirect(target)


# Files -------------------------------------------------------------------------------------------------------------


@require_POST
@union_permission("advisory.add_case")
def file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    form = CaseFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_case_file(
                actor=request.user, case=case, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
            messages.success(request, _("File attached."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if request.POST.get("kind") == CaseFile.Kind.ANSWER:
        return redirect(f"{case.get_absolute_url()}answers/")
    return redirect(case.get_absolute_url() + "#files")


@union_permission("advisory.view_cases")
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Every download is checked and logged; the file name carries the person's name and a Word copy of the
    confidential dossier carries a visible line saying whose copy it is."""
    stored = get_for_union(CaseFile, request.union, pk)
    try:
        case = get_case_for(request.user, request.union, stored.case_id)
    except PermissionDenied:
        case = None
    if case is None or not may_open_draft(request.user, case):
        raise Http404  # the 404 of a file that does not exist: a file's address does not tell that it does
    services.log_file_access(actor=request.user, case=case, stored=stored, action="downloaded")
    name = documents.personal_file_name(stored.original_name, request.user)
    if stored.is_confidential and stored.extension == ".docx":
        with stored.file.open("rb") as handle:
            data = documents.watermark_docx(handle.read(), documents.watermark_line(request.user, timezone.now()))
        return docx_response(data, name)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=name, content_type=stored.mime_type)
    response["Cache-Control"] = "private, no-store"
    return response


# The council -------------------------------------------------------------------------------------------------------


@union_permission("advisory.oversee_cases")
def council(request: HttpRequest, pk: int) -> HttpResponse:
    """The council being formed: the engine's proposal with its reasons, seats placed by hand, the experts left
    out for a conflict of interest, and what still keeps the council from being submitted."""
    case = get_case_for(request.user, request.union, pk)
    seats = seats_of(case)
    editable = case.status == Status.ACCEPTED and is_editor(request.user, request.union)
    excluded = []
    if editable:
        experts = services_council.candidate_experts(case)
        blocked = services_council.blocked_experts(case, experts)
        excluded = [(e, blocked[e.pk]) for e in experts if e.pk in blocked]
    return render(
        request,
        "advisory/council.html",
        {
            "case": case,
            "seats": seats,
            "editable": editable,
            "excluded": excluded,
            "problems": services_council.council_problems(case) if case.status == Status.ACCEPTED else [],
            "propose_form": ProposeForm(initial={"size": case.council_size}),
            "seat_form": SeatForm(union=request.union),
            "conflict_form": ConflictForm(union=request.union, prefix="conflict"),
            "roles": Seat.Role.choices,
            "decision": current_document(case, IssuedDocument.Kind.COUNCIL_DECISION),
            "role_change": _role_change(request, case, editable),
        },
    )


def _role_change_key(case: Case) -> str:
    return f"advisory-case-{case.pk}-role-change"


def _role_change(request: HttpRequest, case: Case, editable: bool) -> dict | None:
    """The role change just saved (shown once, like a message): what it was, and what undoes it, offered while
    the seat still stands as the change left it and the council can still be changed."""
    change = request.session.pop(_role_change_key(case), None)  # written by council_action below
    seat = change and case.seats.select_related("expert__person").filter(pk=change["seat"]).first()
    if not seat:
        return None
    before, after = tuple(change["before"]), tuple(change["after"])
    return {
        "text": services_council.describe_role_change(seat.expert, before, after),
        "seat": seat,
        "role": before[0],
        "reviews": before[1],
        "undoable": editable and (seat.role, seat.secretary_reviews) == after,
    }


@require_POST
@union_permission("advisory.manage_cases")
def council_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    target = f"{case.get_absolute_url()}council/"
    try:
        if action == "propose":
            form = ProposeForm(request.POST)
            size = form.cleaned_data["size"] if form.is_valid() else None
            result = services_council.propose_council(case, actor=request.user, size=size)
            if result["filled"] < result["wanted"]:
                messages.warning(
                    request,
                    _(
                        "Only %(filled)s of the %(wanted)s seats could be filled with available experts free of "
                        "conflicts."
                    )
                    % result,
                )
            else:
                messages.success(request, _("Council proposed: check the reasons, adjust, then submit it."))
        elif action == "add":
            form = SeatForm(request.POST, union=request.union)
            if not form.is_valid():
                messages.error(request, _("Choose an expert and a role."))
                return redirect(target)
            seat = services_council.place_expert(
                case,
                actor=request.user,
                expert=form.cleaned_data["expert"],
                role=form.cleaned_data["role"],
                secretary_reviews=form.cleaned_data["secretary_reviews"],
            )
            if seat.is_secretary and not seat.writes_review:
                messages.success(request, _("Expert placed. As secretary, %s writes no review.") % seat.expert)
            else:
                messages.success(request, _("Expert placed."))
        elif action == "conflict":
            form = ConflictForm(request.POST, union=request.union, prefix="conflict")
            if not form.is_valid():
                messages.error(request, _("Choose the expert and say what the conflict is."))
                return redirect(target)
            expert_services.declare_conflict(
                actor=request.user,
                union=request.union,
                person=form.cleaned_data["expert"].person,
                item=case,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Conflict recorded: the expert can no longer sit on this case."))
        elif action in ("role", "remove"):
            seat = Seat.objects.filter(case=case, pk=request.POST.get("seat", "0") or 0).first()
            if seat is None:
                raise Http404
            if action == "remove":
                services_council.remove_seat(seat, actor=request.user)
                messages.success(request, _("Saved."))
            else:
                form = RoleForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Unknown role."))
                    return redirect(target)
                before = (seat.role, seat.secretary_reviews)
                seat = services_council.set_seat_role(
                    seat,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    secretary_reviews=form.secretary_reviews_given(),
                )
                if before == (seat.role, seat.secretary_reviews):
                    messages.info(request, _("Nothing changed."))
                else:  # the council page names the change and offers to undo it
                    request.session[_role_change_key(case)] = {
                        "seat": seat.pk,
                        "before": list(before),
                        "after": [seat.role, seat.secretary_reviews],
                    }
        else:
            raise Http404
    except ValidationError as error:
        show_errors(request, error)
    return redirect(target)


@union_permission("advisory.view_cases")
def decision_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The issued decision as stored; before it is issued, staff get the draft DOCX."""
    case = get_case_for(request.user, request.union, pk)
    decision = current_document(case, IssuedDocument.Kind.COUNCIL_DECISION)
    if decision is not None:
        return issued_file_response(request, decision, extension)
    if extension != "docx" or not is_union_staff(request.user, request.union):
        raise Http404
    data, name = documents.decision_docx(case)
    return docx_response(data, name)


# The year's figures --------------------------------------------------------------------------------------------------


def _year(params: QueryParams) -> int:
    """The year asked for (this year when none is given; an invalid one is noted in `params.invalid`)."""
    return params.year("year", low=2000, high=2100) or timezone.localdate().year


@union_permission("advisory.oversee_cases")
def stats_page(request: HttpRequest) -> HttpResponse:
    year = _year(QueryParams(request))
    history = stats.history(request.union)
    years = sorted({*(line.year for line in history if line.total), year}, reverse=True)
    figures = stats.year_stats(request.union, year)
    return render(
        request,
        "advisory/stats.html",
        {
            "stats": figures,
            "year": year,
            "years": years,
            "charts": charts.page_charts(figures, history),
            "issued": _annual_report(request.union, year),
        },
    )


@union_permission("advisory.oversee_cases")
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = _year(params)
    if refusal := params.refusal():  # a file of another year than the one asked for would mislead
        return refusal
    data = stats.stats_xlsx(request.union, stats.year_stats(request.union, year))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tvpb-{request.union.slug}-{year}.xlsx"'
    return response


def _annual_report(union, year: int):
    report = AnnualReport.objects.filter(union=union, year=year).first()
    return current_document(report, IssuedDocument.Kind.ANNUAL_REPORT) if report else None


@union_permission("advisory.oversee_cases")
def stats_docx(request: HttpRequest) -> HttpResponse:
    """The year's report as issued (DOCX or PDF, as stored); before a leader signs it, its draft DOCX."""
    return _stats_file(request, "docx")


@union_permission("advisory.oversee_cases")
def stats_pdf(request: HttpRequest) -> HttpResponse:
    return _stats_file(request, "pdf")


def _stats_file(request: HttpRequest, extension: str) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = _year(params)
    if refusal := params.refusal():
        return refusal
    issued = _annual_report(request.union, year)
    if issued is not None:
        return issued_file_response(request, issued, extension)
    if extension != "docx":
        raise Http404
    data = annual.annual_report_docx(request.union, stats.year_stats(request.union, year))
    return docx_response(data, f"du-thao-bao-cao-tvpb-{year}.docx")


@require_POST
@union_permission("advisory.sign_annual_report")
def stats_sign(request: HttpRequest) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = _year(params)
    if params.invalid:  # never sign this year's report for a year that could not be read
        messages.error(request, params.notice("year"))
        return redirect("advisory:stats", union_slug=request.union.slug)
    try:
        issued = annual.sign_annual_report(request.union, year, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The report for %(year)s is issued as No. %(n)s.") % {"year": year, "n": issued})
    return redirect(f"{reverse('advisory:stats', args=[request.union.slug])}?year={year}")
