"""Reads the portal's views share: public lists, document filters, the dashboard figures."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from lienhiep.core.models import Union
from lienhiep.core.onequery import OneQuery
from lienhiep.core.params import QueryParams
from lienhiep.core.queries import search
from lienhiep.portal.models import Article, ArticleImage, LegalDocument, Publication

PAGE_SIZE = 10


def public_articles(union: Union) -> QuerySet:
    """Published articles whose time has come, newest first, with their first image (two queries a page)."""
    return (
        Article.objects.visible()
        .filter(union=union)
        .select_related("union")
        .prefetch_related(Prefetch("images", queryset=ArticleImage.objects.order_by("position", "pk")))
        .defer("body")
        .order_by("-published_at", "-pk")
    )


def public_article(union: Union, slug: str) -> Article | None:
    return (
        Article.objects.visible()
        .filter(union=union, slug=slug)
        .select_related("union")
        .prefetch_related("images")
        .first()
    )


def public_publications(union: Union, kind: str = "") -> QuerySet:
    qs = Publication.objects.filter(union=union, status=Publication.Status.PUBLISHED).select_related("union")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    return qs.defer("body").order_by("-published_at", "-pk")


def filter_documents(request: HttpRequest, queryset: QuerySet) -> tuple[QuerySet, dict]:
    """Filter by words, type, issuer, year, field and status, as typed in the library's form."""
    params = QueryParams(request)
    q = params.text("q")
    doc_type = params.choice("type", LegalDocument.DocType.values)
    issuer = params.text("issuer")
    field = params.text("field")
    status = params.choice("status", LegalDocument.Status.values)
    year = params.year("year")
    if q:
        queryset = search(queryset, q, field="search_folded")
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    if status:
        queryset = queryset.filter(status=status)
    if issuer:
        queryset = queryset.filter(issuer=issuer)
    if field:
        queryset = search(queryset, field, field="search_folded")
    if year:
        queryset = queryset.filter(issued_on__year=year)
    return queryset, {
        "q": q,
        "type": doc_type,
        "issuer": issuer,
        "field": field,
        "year": str(year or ""),
        "status": status,
        "types": LegalDocument.DocType.choices,
        "statuses": LegalDocument.Status.choices,
    }


def document_facets(union: Union, public_only: bool) -> dict:
    """The issuers, years and fields to offer in the filters (two small queries)."""
    qs = LegalDocument.objects.filter(union=union)
    if public_only:
        qs = qs.filter(is_public=True)
    issuers = list(qs.order_by("issuer").values_list("issuer", flat=True).distinct())
    rows = list(qs.values_list("issued_on", "fields"))
    years = sorted({day.year for day, _f in rows}, reverse=True)
    fields = sorted({f.strip() for _d, text in rows for f in text.split(",") if f.strip()})
    return {"issuers": issuers, "years": years, "fields_offered": fields}


def documents_with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(file_count=Count("attachments")).order_by("-issued_on", "sort_key")


def staff_articles(union: Union, status: str = "") -> QuerySet:
    qs = Article.objects.filter(union=union).select_related("created_by").defer("body")
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-pk")


def dashboard_figures(union: Union, reads: OneQuery) -> dict:
    """The articles awaiting review, the scheduled ones, the latest published and how many drafts: read with the
    dashboard's other figures (its values are Pending until the OneQuery has run)."""
    now = timezone.now()
    base = Article.objects.filter(union=union)
    fields = ["id", "title", "status", "published_at", "view_count"]
    return {
        "in_review": reads.objects(base.filter(status=Article.Status.REVIEW).order_by("-updated_at"), fields, limit=5),
        "scheduled": reads.objects(
            base.filter(status=Article.Status.PUBLISHED, published_at__gt=now).order_by("published_at"), fields, limit=5
        ),
        "latest": reads.objects(
            base.filter(status=Article.Status.PUBLISHED, published_at__lte=now).order_by("-published_at"),
            fields,
            limit=5,
        ),
        "drafts": reads.count(base.filter(status=Article.Status.DRAFT)),
    }


def document_hint(document: LegalDocument) -> str:
    """Under a document's number in the documents picker: its date and the start of its subject line."""
    summary = document.summary if len(document.summary) <= 90 else document.summary[:89].rstrip() + "…"
    return f"{document.issued_on:%d/%m/%Y} · {summary}"
