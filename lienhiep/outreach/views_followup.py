"""Action items and the overdue lists, local projects, contest outreach per locality."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import union_permission
from lienhiep.core.figures import month_starts
from lienhiep.core.forms import AttachmentForm, check_text
from lienhiep.core.fsm import step_named
from lienhiep.core.models import Agency
from lienhiep.core.params import QueryParams, page_number, parse_id
from lienhiep.core.queries import get_for_union, search, timeline_for
from lienhiep.core.rules import is_union_staff
from lienhiep.core.services import attach_file
from lienhiep.core.views import show_errors
from lienhiep.outreach import charts, services
from lienhiep.outreach.forms import (
    ActionEvidenceForm,
    ActionItemForm,
    ContestPromotionForm,
    LocalProjectForm,
    locality_choices,
)
from lienhiep.outreach.models import ActionItem, ContestPromotion, LocalProject, WorkSession
from lienhiep.outreach.next_step import item_done_message, item_panel
from lienhiep.outreach.queries import (
    action_items_for,
    get_action_item_for,
    locality_overview,
    overdue,
    overdue_at_month_ends,
    overdue_groups,
    with_owner,
)
from lienhiep.outreach.views import PAGE_SIZE

OLDEST_SHOWN = 50


@union_permission("outreach.take_part")
def action_list(request: HttpRequest) -> HttpResponse:
    union = request.union
    queryset = with_owner(action_items_for(request.user, union))
    params = QueryParams(request)
    status = params.choice("status", ["overdue", "active", *ActionItem.Status.values])
    if status == "overdue":
        queryset = overdue(queryset)
    elif status == "active":
        queryset = queryset.filter(status__in=ActionItem.ACTIVE)
    elif status in ActionItem.Status.values:
        queryset = queryset.filter(status=status)
    owner = params.raw("owner").strip()
    owner_id = parse_id(owner[1:]) if owner[:1] in ("a", "p") else None
    if owner and owner_id is None:
        params.refuse("owner")
        owner = ""
    elif owner.startswith("a"):
        queryset = queryset.filter(owner_agency_id=owner_id)
    elif owner.startswith("p"):
        queryset = queryset.filter(owner_person_id=owner_id)
    locality = params.id("locality")
    if locality:
        queryset = queryset.filter(locality_id=locality)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number(request))
    manager = is_union_staff(request.user, union)
    return render(
        request,
        "outreach/action_list.html",
        {
            "page": page,
            "status": status,
            "owner": owner,
            "locality": str(locality or ""),
            "statuses": ActionItem.Status.choices,
            "manager": manager,
            "today": timezone.localdate(),
            "owner_choices": [
                (f"a{pk}", name) for pk, name in Agency.objects.filter(union=union).values_list("pk", "name")
            ]
            if manager
            else [],
            "localities": locality_choices(union).select_related("parent__parent") if manager else [],
        },
    )


@union_permission("outreach.manage_outreach")
def action_overdue(request: HttpRequest) -> HttpResponse:
    late = overdue(ActionItem.objects.filter(union=request.union))
    by_owner, by_locality = overdue_groups(late)
    oldest = list(with_owner(late).select_related("locality__parent__parent").order_by("due_on", "pk")[:OLDEST_SHOWN])
    return render(
        request,
        "outreach/action_overdue.html",
        {
            "by_owner": by_owner,
            "by_locality": by_locality,
            "oldest": oldest,
            "total": sum(g.count for g in by_owner),
            "today": timezone.localdate(),
        },
    )


@union_permission("outreach.manage_outreach")
def action_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    session_id = QueryParams(request).id("session")
    if session_id:
        session = WorkSession.objects.filter(union=request.union, pk=session_id).first()
        if session:
            initial = {"session": session.pk}
    return _action_edit(request, ActionItem(union=request.union), initial)


@union_permission("outreach.manage_outreach")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_edit(request, get_for_union(ActionItem, request.union, pk), {})


def _action_edit(request: HttpRequest, item: ActionItem, initial: dict) -> HttpResponse:
    form = ActionItemForm(request.POST or None, instance=item, union=request.union, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = item.pk is None
        try:
            item = services.save_action_item(actor=request.user, union=request.union, item=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("Assign an action") if created else _("Change the action item")
            messages.success(request, item_done_message(item, request.user, request.union, done))
            if created and item.session:
                return redirect(item.session.get_absolute_url())
            return redirect(item.get_absolute_url())
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Action item"), "back": item.pk and item.get_absolute_url()},
    )


@union_permission("outreach.take_part")
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action item: its «Bước tiếp theo» panel offers the steps its viewer may take (`action_step`); those who
    may take them also record the evidence so far here."""
    item = get_action_item_for(request.user, request.union, pk)
    manager = is_union_staff(request.user, request.union)
    can_update = request.user.has_perm("outreach.change_action_status", item)
    form = ActionEvidenceForm(request.POST or None, initial={"evidence": item.evidence})
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if form.is_valid():
            try:
                item = services.record_action_evidence(item, actor=request.user, evidence=form.cleaned_data["evidence"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                done = _("Update the evidence")
                messages.success(request, item_done_message(item, request.user, request.union, done))
                return redirect(item.get_absolute_url())
    return render(
        request,
        "outreach/action_detail.html",
        {
            "item": item,
            "panel": item_panel(item, request.user, request.union),
            "form": form if can_update else None,
            "manager": manager,
            "attachments": item.attachments.select_related("uploaded_by"),
            "attachment_form": AttachmentForm() if manager else None,
            "timeline": timeline_for(item),
            "today": timezone.localdate(),
        },
    )


# The service behind each step of an action item's panel (the transitions of `ActionItem`: their permission is
# declared there, and each service checks it again).
ACTION_STEPS = {
    "start": services.start_action_item,
    "complete": services.complete_action_item,
    "drop": services.drop_action_item,
    "reopen": services.reopen_action_item,
}


@require_POST
@union_permission("outreach.take_part")
def action_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of an action item, with the evidence or the reason it asks for. The confirmation names the action
    and what comes next; a step its status does not allow is explained, never a server error."""
    item = get_action_item_for(request.user, request.union, pk)
    service = ACTION_STEPS.get(action)
    if service is None:
        raise Http404
    step = step_named(item, request.user, action)
    options: dict = {}
    if step and step.reason:
        options["reason"] = request.POST.get("reason", "")
    if step and step.text_name:
        options[step.text_name] = request.POST.get(step.text_name, "")
    try:
        for text in options.values():
            check_text(text, multiline=True)  # the rule every form's text area follows
        item = service(item, actor=request.user, **options)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(item.get_absolute_url())
    messages.success(request, item_done_message(item, request.user, request.union, step.label if step else action))
    return redirect(item.get_absolute_url())


@require_POST
@union_permission("outreach.manage_outreach")
def action_evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_union(ActionItem, request.union, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attach_file(
                actor=request.user,
                union=request.union,
                owner=item,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("File attached."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(item.get_absolute_url())


# Local projects -----------------------------------------------------------------------------------------------


@union_permission("outreach.manage_outreach")
def project_list(request: HttpRequest) -> HttpResponse:
    queryset = LocalProject.objects.filter(union=request.union).select_related(
        "owner_agency", "admin_unit", "learned_at"
    )
    params = QueryParams(request)
    q = params.text("q")
    if q:
        queryset = search(queryset, q, field="search_folded")
    stage = params.choice("stage", LocalProject.Stage.values)
    if stage:
        queryset = queryset.filter(stage=stage)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "outreach/project_list.html",
        {"page": page, "q": q, "stage": stage, "stages": LocalProject.Stage.choices},
    )


@union_permission("outreach.manage_outreach")
def project_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    session_id = QueryParams(request).id("session")
    if session_id:
        session = WorkSession.objects.filter(union=request.union, pk=session_id).first()
        if session:
            initial = {"learned_at": session.pk, "admin_unit": session.admin_unit_id}
    return _project_edit(request, LocalProject(union=request.union), initial)


@union_permission("outreach.manage_outreach")
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_edit(request, get_for_union(LocalProject, request.union, pk), {})


def _project_edit(request: HttpRequest, project: LocalProject, initial: dict) -> HttpResponse:
    form = LocalProjectForm(request.POST or None, instance=project, union=request.union, initial=initial)
    if request.method == "POST" and form.is_valid():
        project = services.save_local_project(actor=request.user, union=request.union, project=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect(project.get_absolute_url())
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Local project"), "back": project.pk and project.get_absolute_url()},
    )


@union_permission("outreach.manage_outreach")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_for_union(
        LocalProject, request.union, pk, LocalProject.objects.select_related("owner_agency", "admin_unit", "learned_at")
    )
    return render(request, "outreach/project_detail.html", {"project": project, "timeline": timeline_for(project)})


# Contest outreach and localities ------------------------------------------------------------------------------


@union_permission("outreach.manage_outreach")
def promotion_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_union(WorkSession, request.union, pk)
    form = ContestPromotionForm(
        request.POST or None, instance=ContestPromotion(union=request.union, session=session), union=request.union
    )
    if request.method == "POST" and form.is_valid():
        services.record_promotion(actor=request.user, union=request.union, promotion=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect(session.get_absolute_url() + "#contests")
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Contest promoted at %s") % session, "back": session.get_absolute_url()},
    )


@union_permission("outreach.manage_outreach")
def localities(request: HttpRequest) -> HttpResponse:
    """Work by locality: charts of sessions and action items per locality and of the overdue items at each month's
    end, then the whole table."""
    today = timezone.localdate()
    rows = locality_overview(request.union, today)
    overdue_then = overdue_at_month_ends(request.union, month_starts(today, charts.MONTHS), today)
    return render(
        request,
        "outreach/localities.html",
        {
            "rows": rows,
            "charts": [charts.sessions_chart(rows), charts.actions_chart(rows), charts.overdue_chart(overdue_then)],
        },
    )
