"""Public verification of what the Union issued: anyone uploads a PDF (its digital signature is validated and the
signed revision looked up in the register), or types a document's number and the code printed under its signature.
Nothing uploaded is kept; look-ups count against the same per-address limit as the certificate check."""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lienhiep.core.access import public
from lienhiep.paperwork.codes import clean_code
from lienhiep.paperwork.decree30 import padded_number
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.verification import Status, verify_pdf
from lienhiep.portal.forms import VerifyForm
from lienhiep.portal.models import Certificate
from lienhiep.portal.outputs_views import CHECK_WINDOW, over_limit
from lienhiep.portal.views import public_union


def _issued(union, sha: str):
    """The register's document or certificate whose stored PDF has these bytes."""
    if not sha:
        return None, None
    document = IssuedDocument.objects.filter(union=union, pdf_sha256=sha).select_related("replaced_by").first()
    certificate = None if document else Certificate.objects.filter(union=union, pdf_sha256=sha).first()
    return document, certificate


@public
def verify(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    form = VerifyForm(request.POST or None, request.FILES or None)
    context: dict = {"union": union, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request):
            context["limited"], status = True, 429
        elif upload := form.cleaned_data["file"]:
            data = b"".join(upload.chunks())  # read in memory and dropped with the request: nothing is stored
            verdict = verify_pdf(data)
            sha = verdict.signed_revision_sha256 if verdict.status == Status.GENUINE else ""
            if verdict.status == Status.NOT_SIGNED:
                sha = hashlib.sha256(data).hexdigest()  # a copy issued before the Union had a certificate
            context["document"], context["certificate"] = _issued(union, sha)
            context["verdict"] = verdict
            context["uploaded"] = True
        else:
            number = padded_number(form.cleaned_data["number"].strip().upper().replace(" ", ""))
            context["document"] = (
                IssuedDocument.objects.filter(union=union, code=clean_code(form.cleaned_data["code"]))
                .filter(number_symbol__iexact=number)
                .select_related("replaced_by")
                .first()
            )
            context["typed"] = True
    elif request.method == "POST":
        status = 400
    response = render(request, "portal/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    if status == 429:
        response["Retry-After"] = str(CHECK_WINDOW)
    return response
