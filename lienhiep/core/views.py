"""Registry pages: thin views that parse, call a service, render."""

import datetime
from dataclasses import dataclass

from allauth.account.views import SignupView
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lienhiep.core import services
from lienhiep.core.access import OBJECT_CHECKED, Access, authenticated, platform_admin_only, public, union_permission
from lienhiep.core.dashboard import dashboard_context
from lienhiep.core.forms import (
    MEMBER_ROLE_CHOICES,
    AgencyForm,
    AttachmentForm,
    LetterheadForm,
    MemberAssociationForm,
    MembershipForm,
    PersonForm,
    PlacesImportForm,
    UnionForm,
)
from lienhiep.core.models import (
    AdminUnit,
    Agency,
    Attachment,
    MemberAssociation,
    Membership,
    Person,
    Role,
    Union,
)
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.places import CHILDREN_PAGE_SIZE, children_of, unit_links
from lienhiep.core.queries import get_for_union, people_to_choose, search, timeline_for
from lienhiep.core.widgets import agency_hint, person_hint, picker_answer

PAGE_SIZE = 50


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, shown to the person as one message per reason."""
    for message in error.messages:
        messages.error(request, message)


def paginate(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(page_number(request))


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: "ok" from a running process, without touching the database;
    with ?db=1 also one query to the database (503 if it does not answer)."""
    if QueryParams(request, notify=False).raw("db"):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@public
def home(request: HttpRequest) -> HttpResponse:
    """The platform's front page: the signed-in user's Unions, or every Union's public site."""
    memberships = []
    if request.user.is_authenticated:
        memberships = list(Membership.objects.active().filter(user=request.user).select_related("union"))
        union_ids = {m.union_id for m in memberships if m.union_id}
        if not union_ids and any(m.role == Role.NATIONAL for m in memberships):
            return redirect("national:overview")  # the national body works on the national pages
        if len(union_ids) == 1 and not any(m.role == Role.PLATFORM_ADMIN for m in memberships):
            union = next(m.union for m in memberships if m.union_id)
            return redirect("core:dashboard", union_slug=union.slug)
    unions = Union.objects.filter(is_active=True).select_related("province")
    is_platform_admin = any(m.role == Role.PLATFORM_ADMIN for m in memberships)
    return render(
        request,
        "core/home.html",
        {"unions": unions, "memberships": memberships, "is_platform_admin": is_platform_admin},
    )


@union_permission("core.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    """One page per role held: each section shows what that role does in the Union."""
    return render(request, "core/dashboard.html", dashboard_context(request))


@dataclass(frozen=True)
class RegistryKind:
    """One of the Union's registries (agencies, member associations, people): same pages, own fields."""

    key: str
    model: type
    form: type
    title: str
    new_title: str
    select_related: tuple[str, ...]
    columns: tuple[str, ...]

    def queryset(self):
        qs = self.model.objects.all()
        return qs.select_related(*self.select_related) if self.select_related else qs

    @property
    def detail_fields(self) -> list[str]:
        return list(self.form.Meta.fields)


REGISTRIES = {
    "agencies": RegistryKind(
        "agencies",
        Agency,
        AgencyForm,
        gettext_lazy("Agencies"),
        gettext_lazy("New agency"),
        ("admin_unit__parent__parent", "parent"),
        ("kind", "admin_unit", "parent"),
    ),
    "associations": RegistryKind(
        "associations",
        MemberAssociation,
        MemberAssociationForm,
        gettext_lazy("Member associations"),
        gettext_lazy("New member association"),
        (),
        ("short_name", "president", "member_count"),
    ),
    "people": RegistryKind(
        "people",
        Person,
        PersonForm,
        gettext_lazy("People"),
        gettext_lazy("New person"),
        ("agency", "association"),
        ("position", "agency", "association"),
    ),
}


def _registry_list(request: HttpRequest, kind: RegistryKind) -> HttpResponse:
    union = request.union
    queryset = kind.queryset().filter(union=union)
    params = QueryParams(request)
    q = params.text("q")
    if q:
        queryset = search(queryset, q)
    kind_filter = params.choice("kind", Agency.Kind.values) if kind.key == "agencies" else ""
    if kind_filter:
        queryset = queryset.filter(kind=kind_filter)
    page = paginate(request, queryset)
    template = "core/registry_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "kind": kind,
            "page": page,
            "q": q,
            "can_edit": request.user.has_perm("core.change_registry", request.union),
            "agency_kinds": Agency.Kind.choices,
            "kind_filter": kind_filter,
        },
    )


def _registry_detail(request: HttpRequest, kind: RegistryKind, pk: int) -> HttpResponse:
    union = request.union
    record = get_for_union(kind.model, union, pk, kind.queryset())
    context = {
        "kind": kind,
        "record": record,
        "timeline": timeline_for(record),
        "can_edit": request.user.has_perm("core.change_registry", request.union),
    }
    if kind.key == "agencies":
        context["children"] = record.children.all()
        context["people"] = record.people.all()
        context["representatives"] = record.representatives.filter(is_active=True).select_related("user")
    elif kind.key == "associations":
        context["people"] = record.people.select_related("agency")
    return render(request, "core/registry_detail.html", context)


def _registry_edit(request: HttpRequest, kind: RegistryKind, pk: int | None) -> HttpResponse:
    union = request.union
    record = get_for_union(kind.model, union, pk) if pk else kind.model(union=union)
    form = kind.form(request.POST or None, instance=record, union=union)
    if request.method == "POST" and form.is_valid():
        record = services.save_registry_record(actor=request.user, union=union, record=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect(f"core:{kind.key}_detail", union_slug=union.slug, pk=record.pk)
    return render(request, "core/registry_form.html", {"kind": kind, "form": form, "record": record})


def _registry_views(key: str):
    kind = REGISTRIES[key]

    @union_permission("core.view_registry")
    def list_view(request, *, kind=kind):
        return _registry_list(request, kind)

    @union_permission("core.view_registry")
    def detail_view(request, pk, *, kind=kind):
        return _registry_detail(request, kind, pk)

    @union_permission("core.change_registry")
    def create_view(request, *, kind=kind):
        return _registry_edit(request, kind, None)

    @union_permission("core.change_registry")
    def edit_view(request, pk, *, kind=kind):
        return _registry_edit(request, kind, pk)

    for name, view in [("list", list_view), ("detail", detail_view), ("create", create_view), ("edit", edit_view)]:
        view.__name__ = view.__qualname__ = f"{key}_{name}"
    return list_view, detail_view, create_view, edit_view


agencies_list, agencies_detail, agencies_create, agencies_edit = _registry_views("agencies")
associations_list, associations_detail, associations_create, associations_edit = _registry_views("associations")
people_list, people_detail, people_create, people_edit = _registry_views("people")


# The pickers' endpoints (core.widgets): the records the viewer may choose, as JSON, for a search box.


@union_permission("core.pick_people")
@require_GET
def people_pick(request: HttpRequest) -> HttpResponse:
    """Staff search the registry; an agency's representative only its own people (core.queries.people_to_choose)."""
    return picker_answer(request, people_to_choose(request.user, request.union), hint=person_hint)


@union_permission("core.pick_agencies")
@require_GET
def agencies_pick(request: HttpRequest) -> HttpResponse:
    """The Union's agencies: staff choose among them, an agency's representative names its drafting body."""
    return picker_answer(request, Agency.objects.filter(union=request.union), hint=agency_hint)


@union_permission("core.administer_union")
def members(request: HttpRequest) -> HttpResponse:
    union = request.union
    form = MembershipForm(request.POST or None, union=union)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_member(
            actor=request.user,
            union=union,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            agency=data["agency"],
            request=request,
        )
        messages.success(request, _("Role given. A new user receives an e-mail to set their password."))
        return redirect("core:members", union_slug=union.slug)
    memberships = (
        Membership.objects.filter(union=union)
        .select_related("user", "agency")
        .order_by("-is_active", "user__sort_key", "role")
    )
    role = QueryParams(request).choice("role", [value for value, _label in MEMBER_ROLE_CHOICES])
    if role:
        memberships = memberships.filter(role=role)
    return render(
        request,
        "core/members.html",
        {
            "form": form,
            "page": paginate(request, memberships),
            "roles": MEMBER_ROLE_CHOICES,
            "role_filter": role or "",
        },
    )


@require_POST
@union_permission("core.administer_union")
def membership_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_union(Membership, request.union, pk)
    try:
        services.set_membership_active(actor=request.user, membership=membership, active=not membership.is_active)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Not allowed."))
    return redirect("core:members", union_slug=request.union.slug)


@union_permission("core.administer_union")
def union_settings(request: HttpRequest) -> HttpResponse:
    union = request.union
    form = LetterheadForm(request.POST or None, instance=union)
    if request.method == "POST" and form.is_valid():
        services.update_letterhead(actor=request.user, union=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("core:union_settings", union_slug=union.slug)
    sample = union.dated_line(datetime.date.today())
    return render(
        request, "core/union_settings.html", {"form": form, "sample_date": sample, "timeline": timeline_for(union)}
    )


@authenticated
def places(request: HttpRequest) -> HttpResponse:
    """Administrative units, as they were on a given day (today by default)."""
    params = QueryParams(request)
    day = params.date("on") or datetime.date.today()
    queryset = AdminUnit.objects.filter(AdminUnit.valid_on_q(day)).select_related("parent__parent")
    level = params.choice("level", AdminUnit.Level.values)
    if level:
        queryset = queryset.filter(level=level)
    q = params.text("q")
    if q:
        queryset = search(queryset, q)
    return render(
        request,
        "core/places.html",
        {
            "page": paginate(request, queryset),
            "q": q,
            "day": day,
            "level": level,
            "levels": AdminUnit.Level.choices,
            "can_import": request.user.has_perm("core.manage_platform"),
        },
    )


@authenticated
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit: its ancestors (one query), what it became and was formed from (one), the units within it (a page
    of them) and its history: the same few queries for a commune as for a province of 170 communes."""
    unit = get_object_or_404(AdminUnit.objects.select_related("parent__parent"), pk=pk)
    links = unit_links(unit)
    return render(
        request,
        "core/place_detail.html",
        {
            "unit": unit,
            "children": Paginator(children_of(unit), CHILDREN_PAGE_SIZE).get_page(page_number(request)),
            "successors": links.successors,
            "predecessors": links.predecessors,
            "timeline": timeline_for(unit),
        },
    )


@platform_admin_only
def platform_unions(request: HttpRequest) -> HttpResponse:
    form = UnionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        union = services.create_union(actor=request.user, union=form.save(commit=False))
        messages.success(request, _("Union created: %s") % union.name)
        return redirect("core:platform_unions")
    unions = Union.objects.select_related("province").annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return render(request, "core/platform_unions.html", {"form": form, "unions": unions})


def download_attachment(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    """Every download is checked: the file's owner decides who may see it. Anyone else, the anonymous visitor
    included, gets the 404 a missing file gets (no sign-in page, which only an existing file would lead to), so a
    file's address does not tell whether the file exists; the 404 page offers the anonymous visitor to sign in."""
    attachment = Attachment.objects.filter(pk=pk, union__slug=union_slug).select_related("union").first()
    if attachment is None or not request.user.has_perm("core.download_attachment", attachment):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


download_attachment.access = Access(OBJECT_CHECKED)


@require_POST
@union_permission("core.change_registry")
def upload_attachment(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Attach a file to a record of the Union (documents today; later modules add their owners)."""
    owner = get_for_union(_attachable(model), request.union, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_file(
                actor=request.user,
                union=request.union,
                owner=owner,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("File attached."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(owner.get_staff_url())


@require_POST
@union_permission("core.change_registry")
def delete_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_for_union(Attachment, request.union, pk)
    owner = attachment.owner
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("File removed."))
    return redirect(
        owner.get_staff_url() if owner is not None else reverse("core:dashboard", args=[request.union.slug])
    )


def _attachable(model: str):
    try:
        app_label, model_name = model.split(".")
        cls = apps.get_model(app_label, model_name)
    except (ValueError, LookupError) as error:
        raise Http404 from error
    if not getattr(cls, "accepts_attachments", False):
        raise Http404
    return cls


@platform_admin_only
def places_import(request: HttpRequest) -> HttpResponse:
    """Platform administrators load or update administrative units from a CSV/XLSX list."""
    form = PlacesImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_admin_units(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if report.ok:
                messages.success(request, report.summary())
                return redirect("core:places")
    return render(request, "core/places_import.html", {"form": form, "report": report})


class EntrantSignupView(SignupView):
    """allauth's sign-up page, with the Union named in `?union=<slug>` (the contest's «Create an account» link)
    chosen in the form: allauth gives the form no request to read it from."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        wanted = QueryParams(self.request, notify=False).text("union", 50)
        union = Union.objects.filter(slug=wanted, is_active=True).first() if wanted else None
        if union is not None:
            initial["union"] = union.pk
        return initial


entrant_signup = public(EntrantSignupView.as_view())
