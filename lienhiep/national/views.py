"""The national body's pages (every Union's figures, the annual reports, the nominations' inbox) and a Union's page
for sending its annual report to it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.contests import awards
from lienhiep.contests.models import Edition
from lienhiep.core.access import national_body_only, union_permission
from lienhiep.core.fsm import steps_for
from lienhiep.core.params import QueryParams
from lienhiep.core.views import show_errors
from lienhiep.national import figures, services
from lienhiep.national.forms import AnswerForm, DueDateForm
from lienhiep.national.models import AnnualSubmission, ReportingYear
from lienhiep.paperwork.views import issued_file_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(params: QueryParams) -> int:
    """The year asked for; by default last year, whose reports are the ones being collected."""
    return params.year("year", low=2000, high=2100) or timezone.localdate().year - 1


def _years(year: int) -> list[int]:
    return sorted({*figures.years_with_figures(), year, timezone.localdate().year - 1}, reverse=True)


@national_body_only
def overview(request: HttpRequest) -> HttpResponse:
    year = _year(QueryParams(request))
    table = figures.national_table(year)
    return render(
        request,
        "national/overview.html",
        {"table": table, "year": year, "years": _years(year), "charts": figures.charts(table)},
    )


@national_body_only
def table_xlsx(request: HttpRequest) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = _year(params)
    if refusal := params.refusal():
        return refusal
    response = HttpResponse(figures.national_xlsx(figures.national_table(year)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-toan-quoc-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@national_body_only
def reports(request: HttpRequest) -> HttpResponse:
    year = _year(QueryParams(request))
    table = figures.national_table(year)
    form = DueDateForm(initial={"due_on": table.due_on})
    return render(
        request,
        "national/reports.html",
        {"table": table, "year": year, "years": _years(year), "form": form},
    )


@require_POST
@national_body_only
def due_date(request: HttpRequest) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = _year(params)
    form = DueDateForm(request.POST)
    if params.invalid:
        messages.error(request, params.notice("year"))
    elif form.is_valid():
        try:
            services.set_due_date(year, form.cleaned_data["due_on"], actor=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("The reports for %(year)s are due on %(date)s.")
                % {"year": year, "date": form.cleaned_data["due_on"].strftime("%d/%m/%Y")},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('national:reports')}?year={year}")


def _submission(pk: int) -> AnnualSubmission:
    return get_object_or_404(AnnualSubmission.objects.select_related("union", "document", "submitted_by"), pk=pk)


@national_body_only
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    item = _submission(pk)
    return render(
        request,
        "national/submission.html",
        {
            "submission": item,
            "due_on": ReportingYear.due_date(item.year),
            "steps": steps_for(item, request.user, url=lambda name: reverse("national:answer", args=[item.pk, name])),
            "form": AnswerForm(),
        },
    )


@require_POST
@national_body_only
def answer(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    item = _submission(pk)
    if step not in services.ANSWERS:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("national:submission", pk=item.pk)
    try:
        services.answer(item, step, actor=request.user, comment=form.cleaned_data["reason"])
    except ValidationError as error:
        show_errors(request, error)
        return redirect("national:submission", pk=item.pk)
    if step == "accept":
        messages.success(request, _("Accepted the report of %(union)s.") % {"union": item.union.name})
    else:
        messages.success(request, _("Returned the report to %(union)s with your comment.") % {"union": item.union.name})
    return redirect(f"{reverse('national:reports')}?year={item.year}")


@national_body_only
def submission_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The report as the Union submitted it: the stored, signed document, byte for byte."""
    item = _submission(pk)
    return issued_file_response(request, item.document, extension)


@national_body_only
def nominations(request: HttpRequest) -> HttpResponse:
    return render(request, "national/nominations.html", {"groups": figures.nominations_by_edition()})


@national_body_only
def nomination_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossiers of the entries one Union nominated from one edition (404 for an edition with none)."""
    if not request.user.has_perm("national.receive_nominations"):
        raise PermissionDenied
    edition = get_object_or_404(Edition.objects.select_related("union"), pk=pk, entries__nominated_at__isnull=False)
    response = HttpResponse(awards.nomination_zip(edition), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="de-cu-toan-quoc-{edition.union.slug}-{edition.code}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


# A Union's side -------------------------------------------------------------------------------------------------


@union_permission("national.submit_annual_report")
def union_reports(request: HttpRequest) -> HttpResponse:
    """The Union's annual reports and what the national body answered; the button that sends one."""
    return render(
        request,
        "national/union_reports.html",
        {"union": request.union, "rows": services.reports_of(request.union)},
    )


@require_POST
@union_permission("national.submit_annual_report")
def union_submit(request: HttpRequest) -> HttpResponse:
    params = QueryParams(request, notify=False)
    year = params.year("year", low=2000, high=2100)
    if year is None:
        messages.error(request, params.notice("year"))
    else:
        try:
            services.submit(request.union, year, actor=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("The report for %(year)s is sent to the national body. Next step: wait for its answer here.")
                % {"year": year},
            )
    return redirect("national:union_reports", union_slug=request.union.slug)
