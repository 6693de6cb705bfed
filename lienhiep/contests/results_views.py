"""Results and awards pages: the raw and normalised rankings, the award proposal, the board's changes, the
leader's approval, the decision DOCX, certificates (background generation with progress, ZIP, revocation),
publication, national nomination and the Excel exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.contests import awards, certificates, excel, next_step, queries, results
from lienhiep.contests.award_decision import award_decision
from lienhiep.contests.forms import AdjustForm, ApproveForm, NominateForm, ReasonForm
from lienhiep.contests.judging_views import xlsx_response
from lienhiep.contests.models import Award, CertificateRun, Edition, EntryCertificate
from lienhiep.core.access import union_permission
from lienhiep.core.forms import forbidden_character_errors
from lienhiep.core.params import QueryParams
from lienhiep.core.rules import is_union_staff
from lienhiep.core.views import show_errors
from lienhiep.paperwork import render_docx
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document
from lienhiep.paperwork.views import issued_file_response

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _edition(request: HttpRequest, pk: int) -> Edition:
    return queries.get_edition_for(request.union, pk)


def _to(request: HttpRequest, name: str, edition: Edition) -> HttpResponse:
    return redirect(f"contests:{name}", union_slug=request.union.slug, pk=edition.pk)


@union_permission("contests.oversee_contests")
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    last = edition.rounds.select_related("result_table").order_by("-order").first()
    table = results.stored_table(last) if last else None  # stored when the sheets changed, not computed here
    # one field at a time: a province's edition has a few fields of up to a hundred entries each, and a page of
    # every field's rows is slow to render and to read; the tabs give each field's counts, Excel has them all
    fields = results.field_counts(table) if table else []
    params = QueryParams(request)
    chosen = params.id("field")
    shown = next((f for f in fields if f.field.pk == chosen), None)
    if chosen is not None and shown is None:
        params.refuse("field")  # another edition's field, or one without entries in this round: the notice
    shown = shown or (fields[0] if fields else None)
    return render(
        request,
        "contests/results.html",
        {
            "edition": edition,
            "tab": "results",
            "table": table,
            "fields": fields,
            "shown": shown,
            "rows": results.stored_rows(table, shown.field.pk) if shown else [],
            "disputed": sum(f.disputed for f in fields),
            "ties": sum(f.ties for f in fields),
            "can_edit": request.user.has_perm("contests.manage_contests", request.union),
            "rounds": edition.rounds.all(),
            "reopenings": queries.dossier_reopenings(edition),
        },
    )


@union_permission("contests.oversee_contests")
def awards_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    rows = list(
        Award.objects.filter(entry__edition=edition)
        .select_related("entry__field", "tier", "proposed_tier", "adjusted_by")
        .prefetch_related("entry__contributors__person")
        .order_by("entry__field__code", "rank", "entry__number")
    )
    totals: dict = {}
    for award in rows:
        if award.tier:
            totals.setdefault(award.tier, 0)
            totals[award.tier] += 1
    return render(
        request,
        "contests/awards.html",
        {
            "edition": edition,
            "tab": "awards",
            "rows": rows,
            "totals": sorted(totals.items(), key=lambda t: t[0].rank),
            "tiers": list(edition.tiers.all()),
            "adjust_form": AdjustForm(edition=edition),
            "approve_form": ApproveForm(
                initial={
                    "number": edition.decision_number,
                    "day": edition.decision_date,
                    "signatory": edition.signatory_name,
                }
            ),
            "reason_form": ReasonForm(),
            "can_edit": request.user.has_perm("contests.manage_contests", request.union),
            # the edition's steps its viewer may take from here (approve, withdraw the approval, publish)
            "steps": {t.name for t in edition.get_available_user_status_transitions(request.user)},
        },
    )


@require_POST
@union_permission("contests.manage_contests")
def awards_apply(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    try:
        n = awards.apply_proposal(
            actor=request.user, edition=edition, normalised=request.POST.get("basis") == "normalised"
        )
        messages.success(request, _("Proposal applied: %s entries proposed for an award.") % n)
    except ValidationError as error:
        show_errors(request, error)
    return _to(request, "awards", edition)


@require_POST
@union_permission("contests.manage_contests")
def award_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    award = Award.objects.filter(pk=pk, entry__union=request.union).select_related("entry__edition").first()
    if award is None:
        raise Http404
    form = AdjustForm(request.POST, edition=award.entry.edition)
    if form.is_valid():
        try:
            award = awards.adjust_award(
                actor=request.user, award=award, tier=form.cleaned_data["tier"], reason=form.cleaned_data["reason"]
            )
            messages.success(request, next_step.award_changed_message(award))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("Give the board's reason for the change."))
    return _to(request, "awards", award.entry.edition)


@require_POST
@union_permission("contests.approve_awards")
def awards_approve(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            awards.approve_awards(actor=request.user, edition=edition, **form.cleaned_data)
            messages.success(request, _("Awards approved. The decision can be downloaded."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("Give the decision number, its date and who signs it."))
    return _to(request, "awards", edition)


@require_POST
@union_permission("contests.approve_awards")
def awards_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason."))
        awards.withdraw_approval(actor=request.user, edition=edition, reason=form.cleaned_data["reason"])
        messages.success(request, _("Approval withdrawn: the board may change the awards again."))
    except ValidationError as error:
        show_errors(request, error)
    return _to(request, "awards", edition)


@union_permission("contests.oversee_contests")
def decision_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The award decision as issued when the leader approved the awards; before that, its draft DOCX."""
    edition = _edition(request, pk)
    decision = current_document(edition, IssuedDocument.Kind.AWARD_DECISION)
    if decision is not None and edition.awards_approved:
        return issued_file_response(request, decision, extension)
    if extension != "docx" or not Award.objects.filter(entry__edition=edition, tier__isnull=False).exists():
        raise Http404
    response = HttpResponse(render_docx(award_decision(edition)), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="du-thao-quyet-dinh-trao-giai-{edition.code}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@union_permission("contests.manage_contests")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    try:
        awards.publish_results(actor=request.user, edition=edition)
        messages.success(request, _("The results are public."))
    except ValidationError as error:
        show_errors(request, error)
    return _to(request, "awards", edition)


@union_permission("contests.oversee_contests")
def certificates_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    run = edition.certificate_runs.first()
    context = {
        "edition": edition,
        "tab": "certificates",
        "run": run,
        "made": EntryCertificate.objects.filter(entry__edition=edition).select_related(
            "entry", "contributor__person", "certificate"
        ),
        "missing": len(certificates.holders(edition))
        if edition.status in (Edition.Status.APPROVED, Edition.Status.PUBLISHED)
        else None,
        "can_edit": request.user.has_perm("contests.manage_contests", request.union),
        "reason_form": ReasonForm(),
        "working": run is not None and run.status in (CertificateRun.Status.QUEUED, CertificateRun.Status.RUNNING),
    }
    if request.htmx:
        return render(request, "contests/certificates.html#progress", context)
    return render(request, "contests/certificates.html", context)


@require_POST
@union_permission("contests.manage_contests")
def certificates_start(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    try:
        certificates.start_certificates(actor=request.user, edition=edition, base_url=request.build_absolute_uri("/"))
        messages.success(request, _("Certificates are being generated; this page shows the progress."))
    except ValidationError as error:
        show_errors(request, error)
    return _to(request, "certificates", edition)


@union_permission("contests.oversee_contests")
def certificates_zip(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    response = HttpResponse(certificates.certificates_zip(edition), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-{edition.code}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@union_permission("contests.view_certificates")
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One certificate PDF: staff, or the holder / the entrant who registered the entry (valid ones only)."""
    item = (
        EntryCertificate.objects.filter(pk=pk, entry__union=request.union)
        .select_related("entry", "contributor__person", "certificate")
        .first()
    )
    if item is None:
        raise Http404
    if not is_union_staff(request.user, request.union):
        mine = item.contributor.person.user_id == request.user.pk or item.entry.owner_id == request.user.pk
        if not mine or item.certificate.is_revoked:
            raise Http404
    with item.pdf.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{item.filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@union_permission("contests.manage_contests")
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        EntryCertificate.objects.filter(pk=pk, entry__union=request.union)
        .select_related("entry", "certificate")
        .first()
    )
    if item is None:
        raise Http404
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(forbidden_character_errors(form) or _("Say why the certificate is revoked."))
        certificates.revoke(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        messages.success(request, _("Certificate revoked; the public check now says so."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("contests:certificates", union_slug=request.union.slug, pk=item.entry.edition_id)


@union_permission("contests.oversee_contests")
def nominate_page(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    chosen = list(edition.entries.filter(nominated_at__isnull=False))
    form = NominateForm(request.POST or None, edition=edition, initial={"entries": chosen})
    if request.method == "POST":
        if not request.user.has_perm("contests.manage_contests", request.union):
            raise PermissionDenied
        if form.is_valid():
            try:
                n = awards.nominate(actor=request.user, edition=edition, entries=list(form.cleaned_data["entries"]))
                messages.success(request, _("%s entries nominated to the national contest.") % n)
                return _to(request, "nominate", edition)
            except ValidationError as error:
                show_errors(request, error)
    return render(
        request,
        "contests/nominate.html",
        {
            "edition": edition,
            "tab": "awards",
            "form": form,
            "chosen": chosen,
            "can_edit": request.user.has_perm("contests.manage_contests", request.union),
        },  # fmt: skip
    )


@union_permission("contests.oversee_contests")
def nomination_zip(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition(request, pk)
    response = HttpResponse(awards.nomination_zip(edition), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ho-so-du-thi-toan-quoc-{edition.code}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


EXPORTS = {
    "entries": ("bai-du-thi", lambda e: excel.entries_workbook(e)),
    "results": ("ket-qua", lambda e: excel.results_workbook(e.last_round()) if e.last_round() else None),
    "payouts": ("chi-tra-giai-thuong", lambda e: excel.payouts_workbook(e)),
}


@union_permission("contests.oversee_contests")
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    edition = _edition(request, pk)
    if kind not in EXPORTS:
        raise Http404
    name, build = EXPORTS[kind]
    content = build(edition)
    if content is None:
        raise Http404
    return xlsx_response(content, f"{name}-{edition.code}.xlsx")
