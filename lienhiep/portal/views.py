"""The document library, the search page and the sitemap: public pages and the staff's pages to keep the library.

Public pages render without JavaScript and tell browsers they may keep them a minute (`public_page`)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienhiep.core.access import public, union_permission
from lienhiep.core.forms import AttachmentForm
from lienhiep.core.models import MemberAssociation, Union
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.core.widgets import picker_answer
from lienhiep.portal import search as portal_search
from lienhiep.portal.forms import LegalDocumentForm
from lienhiep.portal.models import Article, LegalDocument, Publication, SearchEntry
from lienhiep.portal.queries import document_facets, document_hint, documents_with_counts, filter_documents
from lienhiep.portal.services import save_document

PUBLIC_MAX_AGE = 60


def public_page(max_age: int = PUBLIC_MAX_AGE, *, kept_by_server: bool = True) -> Callable:
    """Anonymous visitors' pages may be kept `max_age` seconds, by any cache: the page is marked `shareable` and
    `core.middleware.SharedCacheMiddleware` makes it `public` unless something personal was added on its way out
    (a cookie: a CSRF token for a form, a message read); then it stays private to the browser. Signed-in users
    always revalidate, privately. The server keeps such a page too (`core.middleware.PublicPageCache`) unless
    `kept_by_server` is False: a page whose view must run for every visit (it counts them)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.has_header("Cache-Control"):
                if request.user.is_authenticated:
                    patch_cache_control(response, private=True, no_cache=True)
                else:
                    patch_cache_control(response, private=True, max_age=max_age)
                    response.shareable = True
                    response.kept_by_server = kept_by_server
            return response

        return wrapper

    return decorator


def shared_cache(response: HttpResponse, max_age: int) -> HttpResponse:
    """For responses with nothing personal in them (feed, sitemap, images): any cache may keep them."""
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def public_union(request: HttpRequest, union_slug: str) -> Union:
    union = request.union = get_object_or_404(Union, slug=union_slug, is_active=True)
    return union


@public
@public_page()
def union_home(request: HttpRequest, union_slug: str) -> HttpResponse:
    """A Union's public page: who it is, its member associations, the documents it disseminates."""
    union = request.union = get_object_or_404(Union.objects.select_related("province"), slug=union_slug, is_active=True)
    context = {
        "union": union,
        "documents": LegalDocument.objects.filter(union=union, is_public=True)[:10],
        "associations": MemberAssociation.objects.filter(union=union, is_active=True),
    }
    return render(request, "portal/union_home.html", context)


@public
@public_page()
def document_list(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    queryset, filters = filter_documents(request, LegalDocument.objects.filter(union=union, is_public=True))
    page = Paginator(documents_with_counts(queryset), 30).get_page(page_number(request))
    return render(
        request,
        "portal/document_list.html",
        {"union": union, "page": page, **filters, **document_facets(union, public_only=True), "staff": False},
    )


@public
@public_page()
def document_detail(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    union = public_union(request, union_slug)
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


@union_permission("portal.manage_content")
def document_manage_list(request: HttpRequest) -> HttpResponse:
    queryset, filters = filter_documents(request, LegalDocument.objects.filter(union=request.union))
    page = Paginator(documents_with_counts(queryset), 30).get_page(page_number(request))
    return render(
        request,
        "portal/document_list.html",
        {
            "union": request.union,
            "page": page,
            **filters,
            **document_facets(request.union, public_only=False),
            "staff": True,
            "can_edit": request.user.has_perm("portal.edit_content", request.union),
        },
    )


@union_permission("portal.manage_content")
def document_manage(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_union(LegalDocument, request.union, pk, LegalDocument.objects.select_related("replaced_by"))
    return render(
        request,
        "portal/document_manage.html",
        {
            "document": document,
            "replaces": document.replaces.all(),
            "attachments": document.attachments.select_related("uploaded_by"),
            "attachment_form": AttachmentForm(),
            "timeline": timeline_for(document),
            "can_edit": request.user.has_perm("portal.edit_content", request.union),
        },
    )


@union_permission("portal.manage_content")
@require_GET
def document_pick(request: HttpRequest) -> HttpResponse:
    """The documents picker's endpoint (core.widgets): the Union's documents, public or not, as staff see them."""
    documents = LegalDocument.objects.filter(union=request.union)
    return picker_answer(request, documents, hint=document_hint, search_field="search_folded")


@union_permission("portal.edit_content")
def document_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, LegalDocument(union=request.union))


@union_permission("portal.edit_content")
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_for_union(LegalDocument, request.union, pk))


def _edit(request: HttpRequest, document: LegalDocument) -> HttpResponse:
    form = LegalDocumentForm(request.POST or None, instance=document, union=request.union)
    if request.method == "POST" and form.is_valid():
        document = save_document(actor=request.user, union=request.union, document=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("portal:document_manage", union_slug=request.union.slug, pk=document.pk)
    return render(request, "portal/document_form.html", {"form": form, "document": document})


SEARCH_PAGE_SIZE = 20


@public
@public_page()
def search(request: HttpRequest, union_slug: str) -> HttpResponse:
    """One box over news, documents and published results; certificates are never searchable."""
    union = public_union(request, union_slug)
    params = QueryParams(request)
    q = params.text("q")
    kind = params.choice("kind", SearchEntry.Kind.values)
    page = Paginator(portal_search.search_entries(union, q, kind), SEARCH_PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "portal/search.html",
        {
            "union": union,
            "q": q,
            "kind": kind,
            "kinds": SearchEntry.Kind.choices,
            "page": page,
            "hits": portal_search.hits(page.object_list, q) if q else [],
        },
    )


@public
def sitemap(request: HttpRequest, union_slug: str) -> HttpResponse:
    """The Union's public addresses for search engines (sitemaps.org 0.9), written without contrib.sitemaps."""
    union = public_union(request, union_slug)
    articles = Article.objects.visible().filter(union=union).only("slug", "updated_at").order_by("-published_at")
    documents = LegalDocument.objects.filter(union=union, is_public=True).only("pk").order_by("-issued_on")
    publications = (
        Publication.objects.filter(union=union, status=Publication.Status.PUBLISHED)
        .only("pk", "published_at")
        .order_by("-published_at")
    )
    response = render(
        request,
        "portal/sitemap.xml",
        {
            "union": union,
            "base": request.build_absolute_uri("/")[:-1],
            "articles": articles[:10000],
            "documents": documents[:10000],
            "publications": publications[:10000],
        },
        content_type="application/xml; charset=utf-8",
    )
    return shared_cache(response, 3600)
