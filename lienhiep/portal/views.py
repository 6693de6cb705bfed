"""The document library: public pages and the staff's pages to keep it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lienhiep.core.access import STAFF_ROLES, public, union_roles
from lienhiep.core.forms import AttachmentForm
from lienhiep.core.models import Role, Union
from lienhiep.core.queries import get_for_union, search, timeline_for
from lienhiep.portal.forms import LegalDocumentForm
from lienhiep.portal.models import LegalDocument
from lienhiep.portal.services import save_document

EDITOR_ROLES = (Role.UNION_ADMIN, Role.STAFF)


def _filtered(request: HttpRequest, queryset):
    q = request.GET.get("q", "").strip()
    if q:
        queryset = search(queryset, q, field="search_folded")
    doc_type = request.GET.get("type", "")
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    year = request.GET.get("year", "")
    if year.isdigit():
        queryset = queryset.filter(issued_on__year=int(year))
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return page, {"q": q, "type": doc_type, "year": year, "types": LegalDocument.DocType.choices}


@public
def document_list(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = request.union = get_object_or_404(Union, slug=union_slug, is_active=True)
    queryset = (
        LegalDocument.objects.filter(union=union, is_public=True)
        .annotate(file_count=Count("attachments"))
        .order_by("-issued_on", "sort_key")
    )
    page, filters = _filtered(request, queryset)
    return render(request, "portal/document_list.html", {"union": union, "page": page, **filters, "staff": False})


@public
def document_detail(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    union = request.union = get_object_or_404(Union, slug=union_slug, is_active=True)
    document = get_object_or_404(
        LegalDocument.objects.select_related("replaced_by"), union=union, pk=pk, is_public=True
    )
    return render(
        request,
        "portal/document_detail.html",
        {
            "union": union,
            "document": document,
            "attachments": document.attachments.all(),
            "replaces": document.replaces.filter(is_public=True),
        },
    )


@union_roles(*STAFF_ROLES)
def document_manage_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        LegalDocument.objects.filter(union=request.union)
        .annotate(file_count=Count("attachments"))
        .order_by("-issued_on", "sort_key")
    )
    page, filters = _filtered(request, queryset)
    return render(
        request,
        "portal/document_list.html",
        {
            "union": request.union,
            "page": page,
            **filters,
            "staff": True,
            "can_edit": bool(request.roles & set(EDITOR_ROLES)),
        },
    )


@union_roles(*STAFF_ROLES)
def document_manage(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_union(LegalDocument, request.union, pk, LegalDocument.objects.select_related("replaced_by"))
    return render(
        request,
        "portal/document_manage.html",
        {
            "document": document,
            "attachments": document.attachments.select_related("uploaded_by"),
            "attachment_form": AttachmentForm(),
            "timeline": timeline_for(document),
            "can_edit": bool(request.roles & set(EDITOR_ROLES)),
        },
    )


@union_roles(*EDITOR_ROLES)
def document_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, LegalDocument(union=request.union))


@union_roles(*EDITOR_ROLES)
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_for_union(LegalDocument, request.union, pk))


def _edit(request: HttpRequest, document: LegalDocument) -> HttpResponse:
    form = LegalDocumentForm(request.POST or None, instance=document, union=request.union)
    if request.method == "POST" and form.is_valid():
        document = save_document(actor=request.user, union=request.union, document=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("portal:document_manage", union_slug=request.union.slug, pk=document.pk)
    return render(request, "portal/document_form.html", {"form": form, "document": document})
