"""Published outputs (critique summaries, contest results) and the certificate check: public pages, and the
staff's pages to publish with one click and to issue or revoke certificates."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import public, union_permission
from lienhiep.core.clients import client_ip
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.paperwork.codes import clean_code
from lienhiep.portal import services
from lienhiep.portal.forms import CertificateCheckForm, CertificateForm, PublicationForm, RevokeForm
from lienhiep.portal.models import Certificate, Publication
from lienhiep.portal.queries import PAGE_SIZE, public_publications
from lienhiep.portal.views import public_page, public_union

CHECK_LIMIT = 20  # certificate look-ups per address ...
CHECK_WINDOW = 600  # ... per ten minutes


@public
@public_page()
def publication_list(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    kind = QueryParams(request).choice("kind", Publication.Kind.values)
    page = Paginator(public_publications(union, kind), PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "portal/publication_list.html",
        {"union": union, "page": page, "kind": kind, "kinds": Publication.Kind.choices},
    )


@public
@public_page()
def publication_detail(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    """Only a published output; a draft or withdrawn one is a 404 to everyone here, staff included."""
    union = public_union(request, union_slug)
    publication = Publication.objects.filter(union=union, pk=pk, status=Publication.Status.PUBLISHED).first()
    if publication is None:
        raise Http404
    return render(request, "portal/publication_detail.html", {"union": union, "publication": publication})


@union_permission("portal.manage_content")
def publication_manage_list(request: HttpRequest) -> HttpResponse:
    qs = Publication.objects.filter(union=request.union).defer("body").order_by("-created_at", "-pk")
    page = Paginator(qs, 30).get_page(page_number(request))
    return render(
        request,
        "portal/publication_manage_list.html",
        {"page": page, "can_edit": request.user.has_perm("portal.edit_content", request.union)},
    )


@union_permission("portal.manage_content")
def publication_manage(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_for_union(Publication, request.union, pk)
    return render(
        request,
        "portal/publication_manage.html",
        {
            "publication": publication,
            "can_edit": request.user.has_perm("portal.edit_content", request.union),
            "timeline": timeline_for(publication),
        },
    )


@union_permission("portal.edit_content")
def publication_create(request: HttpRequest) -> HttpResponse:
    return _edit_publication(request, Publication(union=request.union))


@union_permission("portal.edit_content")
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_publication(request, get_for_union(Publication, request.union, pk))


def _edit_publication(request: HttpRequest, publication: Publication) -> HttpResponse:
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        publication = services.save_publication(
            actor=request.user, union=request.union, publication=form.save(commit=False)
        )
        messages.success(request, _("Saved."))
        return redirect("portal:publication_manage", union_slug=request.union.slug, pk=publication.pk)
    return render(request, "portal/publication_form.html", {"form": form, "publication": publication})


def _set_published(request: HttpRequest, pk: int, published: bool) -> HttpResponse:
    publication = get_for_union(Publication, request.union, pk)
    try:
        services.set_publication_published(actor=request.user, publication=publication, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published on the public site.") if published else _("Withdrawn."))
    return redirect("portal:publication_manage", union_slug=request.union.slug, pk=publication.pk)


@require_POST
@union_permission("portal.manage_content")
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_published(request, pk, True)


@require_POST
@union_permission("portal.manage_content")
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_published(request, pk, False)


# Certificate check


def _client_address(request: HttpRequest) -> str:
    """The address the request came from (behind a trusted reverse proxy, the one it forwarded)."""
    return client_ip(request) or "unknown"


def over_limit(request: HttpRequest) -> bool:
    """Count one look-up for this address; True once it passed CHECK_LIMIT in the current window."""
    key = "portal:certificate-check:" + hashlib.sha256(_client_address(request).encode()).hexdigest()[:32]
    if cache.add(key, 1, CHECK_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, CHECK_WINDOW)
        count = 1
    return count > CHECK_LIMIT


def _check_page(request: HttpRequest, union, form, code: str | None) -> HttpResponse:
    context = {"union": union, "form": form, "checked": False}
    status = 200
    if code is not None:
        if over_limit(request):
            context["limited"] = True
            status = 429
        else:
            context["checked"] = True
            context["code"] = code
            context["certificate"] = Certificate.objects.filter(union=union, code=clean_code(code)).first()
    response = render(request, "portal/certificate_check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    if status == 429:
        response["Retry-After"] = str(CHECK_WINDOW)
    return response


@public
def certificate_check(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    if "code" not in request.GET:
        return _check_page(request, union, CertificateCheckForm(), None)
    form = CertificateCheckForm(request.GET)
    if not form.is_valid() or not clean_code(form.cleaned_data["code"]):
        return _check_page(request, union, form, None)
    code = clean_code(form.cleaned_data["code"])
    return redirect("portal:certificate_check_code", union_slug=union.slug, code=code)


@public
def certificate_check_code(request: HttpRequest, union_slug: str, code: str) -> HttpResponse:
    """The address a certificate's QR code points to."""
    union = public_union(request, union_slug)
    return _check_page(request, union, CertificateCheckForm(initial={"code": code}), code)


@union_permission("portal.manage_content")
def certificate_manage_list(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm("portal.edit_content", request.union)
    form = CertificateForm(request.POST or None, initial={"issuer": request.union.name})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            certificate = services.issue_certificate(actor=request.user, union=request.union, **form.cleaned_data)
            messages.success(request, _("Certificate issued. Its code is %s.") % certificate.display_code())
            return redirect("portal:certificate_manage", union_slug=request.union.slug, pk=certificate.pk)
    qs = Certificate.objects.filter(union=request.union).order_by("-issued_on", "-pk")
    page = Paginator(qs, 30).get_page(page_number(request))
    return render(
        request,
        "portal/certificate_manage_list.html",
        {"page": page, "form": form, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@union_permission("portal.manage_content")
def certificate_manage(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_for_union(Certificate, request.union, pk)
    return _certificate_page(request, certificate, RevokeForm())


def _certificate_page(request, certificate, form, status=200) -> HttpResponse:
    return render(
        request,
        "portal/certificate_manage.html",
        {
            "certificate": certificate,
            "form": form,
            "can_edit": request.user.has_perm("portal.edit_content", request.union),
            "check_url": request.build_absolute_uri(
                reverse("portal:certificate_check_code", args=[request.union.slug, certificate.code])
            ),
            "timeline": timeline_for(certificate),
        },
        status=status,
    )


@require_POST
@union_permission("portal.edit_content")
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_for_union(Certificate, request.union, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_certificate(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The certificate is revoked; its check page says so."))
            return redirect("portal:certificate_manage", union_slug=request.union.slug, pk=certificate.pk)
    return _certificate_page(request, certificate, form, status=400)
