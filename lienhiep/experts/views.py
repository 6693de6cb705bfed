"""Pages of the expert registry: list and search, record, fields, relations, Excel round trip, quick matching."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lienhiep.core.access import union_permission
from lienhiep.core.forms import PersonForm
from lienhiep.core.models import AdminUnit, MemberAssociation, Person
from lienhiep.core.params import QueryParams
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.core.uploads import XLSX, check_upload
from lienhiep.core.views import paginate
from lienhiep.core.widgets import picker_answer
from lienhiep.experts import excel, matching, queries, services, why
from lienhiep.experts.forms import (
    EXPERT_SEARCH,
    ExpertForm,
    FieldForm,
    FindExpertsForm,
    ImportForm,
    RelationForm,
    expert_hint,
)
from lienhiep.experts.models import Engagement, Expert, ExpertImport, Field, Relation

XLSX_TYPE = XLSX.mime_type


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@union_permission("experts.view_registry")
def expert_list(request: HttpRequest) -> HttpResponse:
    union = request.union
    chosen = queries.read_filters(QueryParams(request))
    experts = queries.filter_experts(queries.experts_of(union, places=False), chosen)
    page = paginate(request, experts)
    records = queries.work_record([e.pk for e in page])
    for expert in page:
        expert.record = records.get(expert.pk)
    filters = {key: "" if value is None else str(value) for key, value in chosen.items()}
    context = {
        "page": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "export_query": urlencode({key: value for key, value in filters.items() if value}),
        "can_edit": request.user.has_perm("experts.change_registry", request.union),
        "field_choices": Field.objects.filter(union=union),
        "degree_choices": [c for c in (*Person.AcademicTitle.choices, *Person.Degree.choices) if c[0]],
        "association_choices": MemberAssociation.objects.filter(union=union),
        "locality_choices": AdminUnit.objects.filter(
            Q(pk__in=Expert.objects.filter(union=union).values("person__agency__admin_unit"))
            | Q(pk__in=Expert.objects.filter(union=union).values("locality"))
        ),
        "availability_choices": Expert.Availability.choices,
    }
    template = "experts/expert_list.html#results" if request.htmx else "experts/expert_list.html"
    return render(request, template, context)


@union_permission("experts.view_registry")
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    union = request.union
    expert = get_for_union(Expert, union, pk, queries.experts_of(union))
    relations = Relation.objects.filter(union=union, person=expert.person).select_related(
        "other"
    ) | Relation.objects.filter(union=union, other=expert.person).select_related("person")
    return render(
        request,
        "experts/expert_detail.html",
        {
            "expert": expert,
            "person": expert.person,
            "relations": [(r, r.other if r.person_id == expert.person_id else r.person) for r in relations],
            "relation_form": RelationForm(union=union, person=expert.person),
            "engagements": Engagement.objects.filter(expert=expert).select_related("batch_item__batch")[:50],
            "record": queries.work_record([expert.pk]).get(expert.pk),
            "timeline": timeline_for(expert),
            "can_edit": request.user.has_perm("experts.change_registry", request.union),
        },
    )


def _edit(request: HttpRequest, expert: Expert) -> HttpResponse:
    union = request.union
    person = expert.person if expert.pk else Person(union=union)
    person_form = PersonForm(request.POST or None, instance=person, union=union, prefix="person")
    expert_form = ExpertForm(request.POST or None, instance=expert, union=union, prefix="expert")
    if request.method == "POST" and person_form.is_valid() and expert_form.is_valid():
        expert = services.save_expert(
            actor=request.user,
            union=union,
            person=person_form.save(commit=False),
            expert=expert_form.save(commit=False),
            fields=list(expert_form.cleaned_data["fields"]),
        )
        messages.success(request, _("Saved."))
        return redirect("experts:detail", union_slug=union.slug, pk=expert.pk)
    return render(
        request,
        "experts/expert_form.html",
        {"expert": expert, "person_form": person_form, "expert_form": expert_form},
    )


@union_permission("experts.change_registry")
def expert_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Expert(union=request.union))


@union_permission("experts.change_registry")
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_for_union(Expert, request.union, pk, Expert.objects.select_related("person")))


@union_permission("experts.view_registry")
@require_GET
def expert_pick(request: HttpRequest) -> HttpResponse:
    """The experts picker's endpoint (core.widgets): the Union's experts who take work, found by name."""
    return picker_answer(
        request, queries.experts_to_choose(request.union), hint=expert_hint, search_field=EXPERT_SEARCH
    )


@require_POST
@union_permission("experts.change_registry")
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    union = request.union
    expert = get_for_union(Expert, union, pk, Expert.objects.select_related("person"))
    form = RelationForm(request.POST, union=union, person=expert.person)
    if form.is_valid():
        try:
            services.record_relation(
                actor=request.user,
                union=union,
                person=expert.person,
                other=form.cleaned_data["other"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Relation recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(
            request,
            _("The relation was not recorded: %s")
            % " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("experts:detail", union_slug=union.slug, pk=expert.pk)


@require_POST
@union_permission("experts.change_registry")
def relation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_for_union(Relation, request.union, pk)
    # Back to the page the relation was removed from: the expert named in the form, if one of the two.
    expert = (
        Expert.objects.filter(
            person__in=[relation.person_id, relation.other_id], pk=request.POST.get("expert") or 0
        ).first()
        or Expert.objects.filter(person__in=[relation.person_id, relation.other_id]).first()
    )
    services.remove_relation(actor=request.user, relation=relation)
    messages.success(request, _("Relation removed."))
    if expert is None:
        return redirect("experts:list", union_slug=request.union.slug)
    return redirect("experts:detail", union_slug=request.union.slug, pk=expert.pk)


@union_permission("experts.view_registry")
def field_list(request: HttpRequest) -> HttpResponse:
    union = request.union
    can_edit = request.user.has_perm("experts.change_registry", request.union)
    form = FieldForm(request.POST or None, instance=Field(union=union), union=union)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            services.save_field(actor=request.user, union=union, field=form.save(commit=False))
            messages.success(request, _("Saved."))
            return redirect("experts:fields", union_slug=union.slug)
    fields = Field.objects.filter(union=union).annotate(n=Count("experts")).order_by("sort_key")
    return render(request, "experts/field_list.html", {"fields": fields, "form": form, "can_edit": can_edit})


@union_permission("experts.change_registry")
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    union = request.union
    field = get_for_union(Field, union, pk)
    form = FieldForm(request.POST or None, instance=field, union=union)
    if request.method == "POST" and form.is_valid():
        services.save_field(actor=request.user, union=union, field=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("experts:fields", union_slug=union.slug)
    return render(request, "experts/field_form.html", {"form": form, "field": field})


@union_permission("experts.view_registry")
def export(request: HttpRequest) -> HttpResponse:
    union = request.union
    params = QueryParams(request, notify=False)
    chosen = queries.read_filters(params)
    if refusal := params.refusal():  # a file of the whole registry is not what was asked for
        return refusal
    experts = queries.filter_experts(queries.experts_of(union), chosen)
    return _xlsx_response(excel.export_workbook(union, experts), f"chuyen-gia-{union.slug}.xlsx")


@union_permission("experts.view_registry")
def template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(excel.export_workbook(request.union, []), "mau-danh-sach-chuyen-gia.xlsx")


@union_permission("experts.change_registry")
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload: the file is checked at once; with no error, it waits on the preview page to be applied."""
    union = request.union
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, (XLSX,))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            upload.seek(0)
            plan = excel.plan_import(union, upload)
            if plan.ok:
                upload.seek(0)
                pending = ExpertImport(union=union, original_name=upload.name[:255], uploaded_by=request.user)
                pending.file.save("import.xlsx", upload, save=False)
                pending.save()
                return redirect("experts:import_preview", union_slug=union.slug, pk=pending.pk)
    return render(
        request,
        "experts/import.html",
        {"form": form, "plan": plan, "recent": ExpertImport.objects.filter(union=union)[:5]},
    )


@union_permission("experts.change_registry")
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What applying the file will do; Apply runs it in one transaction if nothing changed since."""
    union = request.union
    pending = get_for_union(ExpertImport, union, pk)
    plan = None
    if pending.status == ExpertImport.Status.PENDING:
        with pending.file.open("rb") as handle:
            plan = excel.plan_import(union, handle)
    if request.method == "POST" and pending.status == ExpertImport.Status.PENDING:
        try:
            if request.POST.get("action") == "discard":
                services.discard_import(actor=request.user, pending=pending)
                messages.info(request, _("The file was discarded; nothing was imported."))
                return redirect("experts:import", union_slug=union.slug)
            counts = services.apply_import(
                actor=request.user, pending=pending, fingerprint=request.POST.get("fingerprint", "")
            )
            messages.success(
                request,
                _("Imported: %(created)s new experts, %(updated)s updated, %(unchanged)s unchanged.") % counts,
            )
            return redirect("experts:list", union_slug=union.slug)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("experts:import_preview", union_slug=union.slug, pk=pending.pk)
    return render(request, "experts/import_preview.html", {"pending": pending, "plan": plan})


@union_permission("experts.view_registry")
def find(request: HttpRequest) -> HttpResponse:
    """Quick matching: paste a draft's summary, get the closest experts with the reasons."""
    union = request.union
    form = FindExpertsForm(request.GET or None, union=union)
    ranked = []
    if form.is_valid():
        experts = list(queries.experts_of(union).exclude(availability=Expert.Availability.UNAVAILABLE))
        if experts:
            item = matching.Item(
                key=0,
                text=form.cleaned_data["text"],
                fields=frozenset(f.code for f in form.cleaned_data["fields"]),
                need=1,
            )
            candidates = [
                matching.Candidate(
                    key=e.pk,
                    text=e.profile_text([f.name for f in e.fields.all()]),
                    fields=frozenset(f.code for f in e.fields.all()),
                    max_load=1,
                    keywords=tuple(e.keyword_list()),
                )
                for e in experts
            ]
            source = matching.TfidfAffinity()
            scores = source.scores([item], candidates)[0]
            order = sorted(range(len(experts)), key=lambda i: (-scores[i], experts[i].person.sort_key))[:20]
            names = why.field_names(experts)
            for rank, i in enumerate(order, start=1):
                if scores[i] > 0:
                    reasons = why.reasons(source, item, candidates[i], names=names, rank=rank, pool=len(experts))
                    ranked.append((experts[i], why.Why.of(reasons)))
    return render(request, "experts/find.html", {"form": form, "ranked": ranked})
