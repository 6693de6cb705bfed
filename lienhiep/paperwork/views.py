"""The register of issued documents, and the one way every app serves an issued file."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import union_permission
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union
from lienhiep.core.views import show_errors
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import accept_signed_pdf, retry_pdf, stored_bytes

SIGNED_MAX_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def issued_file_response(request: HttpRequest, row: IssuedDocument, extension: str, docx_url: str = "") -> HttpResponse:
    """The stored DOCX or PDF of an issued document, byte for byte; while the worker is still making the PDF, a page
    that says so and looks again by itself. The caller has checked that the viewer may read the document."""
    if extension not in CONTENT_TYPES:
        raise Http404
    field = row.docx if extension == "docx" else row.pdf
    if not field:
        status = 503 if row.pdf_state == IssuedDocument.PdfState.FAILED else 202
        return render(request, "paperwork/file_pending.html", {"document": row, "docx_url": docx_url}, status=status)
    try:
        data = stored_bytes(row, extension)
    except ValidationError as error:
        return render(request, "paperwork/file_pending.html", {"document": row, "mismatch": error}, status=503)
    response = HttpResponse(data, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.file_stem)}.{extension}"
    response["Cache-Control"] = "private, no-store"
    return response


@union_permission("paperwork.view_register")
def register_list(request: HttpRequest) -> HttpResponse:
    rows = (
        IssuedDocument.objects.filter(union=request.union)
        .select_related("replaces", "replaced_by")
        .order_by("-year", "-number")
    )
    year = QueryParams(request).year("year")
    years = sorted(set(IssuedDocument.objects.filter(union=request.union).values_list("year", flat=True)), reverse=True)
    if year in years:
        rows = rows.filter(year=year)
    else:
        year = None
    page = Paginator(rows, 50).get_page(page_number(request))
    return render(request, "paperwork/register.html", {"page": page, "years": years, "year": str(year or "")})


@union_permission("paperwork.view_register")
def issued_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    row = get_for_union(IssuedDocument, request.union, pk=pk)
    docx_url = reverse("paperwork:issued_docx", args=[request.union.slug, row.pk])
    return issued_file_response(request, row, extension, docx_url)


@require_POST
@union_permission("paperwork.manage_register")
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_for_union(IssuedDocument, request.union, pk=pk)
    try:
        retry_pdf(row)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The PDF of %s is being made again.") % row.number_symbol)
    return redirect("paperwork:register", request.union.slug)


@require_POST
@union_permission("paperwork.manage_register")
def upload_signed(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff upload the PDF the signer signed with their own token; it becomes the issued PDF once checked."""
    row = get_for_union(IssuedDocument, request.union, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose the signed PDF file."))
        if upload.size > SIGNED_MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB: it is not the issued document."))
        accept_signed_pdf(row, b"".join(upload.chunks()), actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The signed PDF of %s is now the issued PDF.") % row.number_symbol)
    return redirect("paperwork:register", request.union.slug)
