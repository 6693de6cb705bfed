"""Plans, calendar and ICS feed, working sessions and their minutes: thin views that parse, call, render."""

import calendar as month_calendar
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import public, union_permission
from lienhiep.core.fsm import step_named
from lienhiep.core.models import Union
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union, search, timeline_for
from lienhiep.core.rules import is_union_staff
from lienhiep.core.views import show_errors
from lienhiep.outreach import ics, services
from lienhiep.outreach.forms import (
    MinutesForm,
    PhotoForm,
    PlannedVisitForm,
    ReviseMinutesForm,
    WorkPlanForm,
    WorkSessionForm,
)
from lienhiep.outreach.models import CalendarFeed, Minutes, MinutesEntry, PlannedVisit, WorkPlan, WorkSession
from lienhiep.outreach.next_step import minutes_shown, session_done_message, session_panel
from lienhiep.outreach.notice import conclusion_notice_docx
from lienhiep.outreach.queries import (
    calendar_entries,
    get_session_for,
    plan_progress,
    sessions_for,
    visits_with_progress,
)
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.views import issued_file_response

PAGE_SIZE = 30


# Plans ---------------------------------------------------------------------------------------------------------


@union_permission("outreach.manage_outreach")
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        WorkPlan.objects.filter(union=request.union)
        .annotate(
            visit_count=Count("visits", distinct=True),
            held=Count("visits", filter=Q(visits__sessions__isnull=False), distinct=True),
        )
        .order_by("-starts_on", "title")
    )
    page = Paginator(plans, PAGE_SIZE).get_page(page_number(request))
    return render(request, "outreach/plan_list.html", {"page": page})


@union_permission("outreach.manage_outreach")
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_edit(request, WorkPlan(union=request.union))


@union_permission("outreach.manage_outreach")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_edit(request, get_for_union(WorkPlan, request.union, pk))


def _plan_edit(request: HttpRequest, plan: WorkPlan) -> HttpResponse:
    form = WorkPlanForm(request.POST or None, instance=plan, union=request.union)
    if request.method == "POST" and form.is_valid():
        plan = services.save_plan(actor=request.user, union=request.union, plan=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect(plan.get_absolute_url())
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Work plan"), "back": plan.pk and plan.get_absolute_url()},
    )


@union_permission("outreach.manage_outreach")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_union(WorkPlan, request.union, pk)
    visits = list(visits_with_progress(plan.visits.all()).prefetch_related("sessions"))
    return render(
        request,
        "outreach/plan_detail.html",
        {
            "plan": plan,
            "visits": visits,
            "progress": plan_progress(visits),
            "visit_form": PlannedVisitForm(union=request.union, plan=plan),
            "timeline": timeline_for(plan),
        },
    )


@union_permission("outreach.manage_outreach")
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_union(WorkPlan, request.union, pk)
    return _visit_edit(request, plan, PlannedVisit(union=request.union, plan=plan))


@union_permission("outreach.manage_outreach")
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for_union(PlannedVisit, request.union, pk)
    return _visit_edit(request, visit.plan, visit)


def _visit_edit(request: HttpRequest, plan: WorkPlan, visit: PlannedVisit) -> HttpResponse:
    form = PlannedVisitForm(request.POST or None, instance=visit, union=request.union, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.save_visit(
            actor=request.user,
            union=request.union,
            visit=form.save(commit=False),
            agencies=form.cleaned_data["agencies"],
            delegation=form.cleaned_data["delegation"],
        )
        messages.success(request, _("Saved."))
        return redirect(plan.get_absolute_url())
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Planned visit") + " · " + plan.title, "back": plan.get_absolute_url()},
    )


# Calendar ------------------------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> datetime.date:
    return QueryParams(request).month("month") or timezone.localdate().replace(day=1)


@union_permission("outreach.manage_outreach")
def calendar_view(request: HttpRequest) -> HttpResponse:
    first = _month(request)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    entries = calendar_entries(request.union, weeks[0][0], weeks[-1][-1])
    by_day: dict = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    feed = CalendarFeed.objects.filter(union=request.union, user=request.user).first()
    return render(
        request,
        "outreach/calendar.html",
        {
            "first": first,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "feed_url": request.build_absolute_uri(
                reverse("outreach:calendar_feed", args=[request.union.slug, feed.token])
            )
            if feed
            else "",
        },
    )


def _ics_response(union: Union, request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=366 * 2), today + datetime.timedelta(days=366)
    events = []
    sessions = WorkSession.objects.filter(union=union, held_on__range=(start, end)).select_related(
        "admin_unit__parent__parent"
    )
    for s in sessions:
        begin = timezone.make_aware(datetime.datetime.combine(s.held_on, s.starts_at)) if s.starts_at else s.held_on
        events.append(
            ics.Event(
                uid=f"session-{s.pk}@{union.slug}.lienhiep",
                start=begin,
                end=begin + datetime.timedelta(hours=3) if s.starts_at else None,
                summary=s.title,
                location=s.place or (s.admin_unit.full_path() if s.admin_unit else ""),
                description=s.summary,
                url=request.build_absolute_uri(reverse("outreach:session_detail", args=[union.slug, s.pk])),
            )
        )
    visits = visits_with_progress(PlannedVisit.objects.filter(union=union, planned_on__range=(start, end))).filter(
        held_count=0
    )
    for v in visits:
        events.append(
            ics.Event(
                uid=f"visit-{v.pk}@{union.slug}.lienhiep",
                start=v.planned_on,
                summary=_("Planned: %s") % v,
                description="\n".join([v.plan.title, *v.topic_labels(), v.note]).strip(),
                url=request.build_absolute_uri(reverse("outreach:plan_detail", args=[union.slug, v.plan_id])),
                status="TENTATIVE",
            )
        )
    body = ics.calendar(events, name=f"{union.short_name} — {_('Working sessions')}")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{union.slug}-outreach.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@union_permission("outreach.manage_outreach")
def calendar_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(request.union, request)


@public  # calendar apps cannot sign in: the secret token in the address is the credential (404 otherwise)
def calendar_feed(request: HttpRequest, union_slug: str, token: str) -> HttpResponse:
    union = get_object_or_404(Union, slug=union_slug, is_active=True)
    feed = CalendarFeed.objects.filter(union=union, token=token).select_related("user").first()
    if feed is None or not feed.user.is_active or not is_union_staff(feed.user, union):
        raise Http404
    return _ics_response(union, request)


@require_POST
@union_permission("outreach.manage_outreach")
def calendar_token(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_for(actor=request.user, union=request.union, renew=request.POST.get("renew") == "1")
    messages.success(request, _("Your calendar address is ready: copy it into your calendar app."))
    return redirect("outreach:calendar", union_slug=request.union.slug)


# Sessions ------------------------------------------------------------------------------------------------------


@union_permission("outreach.take_part")
def session_list(request: HttpRequest) -> HttpResponse:
    queryset = sessions_for(request.user, request.union).select_related("admin_unit").prefetch_related("agencies")
    q = QueryParams(request).text("q")
    if q:
        queryset = search(queryset, q, field="search_folded")
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "outreach/session_list.html",
        {"page": page, "q": q, "manager": is_union_staff(request.user, request.union)},
    )


@union_permission("outreach.manage_outreach")
def session_create(request: HttpRequest) -> HttpResponse:
    session = WorkSession(union=request.union)
    initial = {}
    visit_id = QueryParams(request).id("visit")
    if visit_id:
        visit = PlannedVisit.objects.filter(union=request.union, pk=visit_id).select_related("plan").first()
        if visit:
            initial = {
                "plan_visit": visit.pk,
                "held_on": visit.planned_on,
                "admin_unit": visit.admin_unit_id,
                "agencies": list(visit.agencies.values_list("pk", flat=True)),
                "delegation": list(visit.delegation.values_list("pk", flat=True)),
                "title": _("Working session with %s") % (visit.admin_unit.title() if visit.admin_unit else visit),
            }
    return _session_edit(request, session, initial)


@union_permission("outreach.manage_outreach")
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_edit(request, get_for_union(WorkSession, request.union, pk), {})


def _session_edit(request: HttpRequest, session: WorkSession, initial: dict) -> HttpResponse:
    form = WorkSessionForm(request.POST or None, instance=session, union=request.union, initial=initial)
    created = session.pk is None
    if request.method == "POST" and form.is_valid():
        try:
            session = services.save_session(
                actor=request.user,
                union=request.union,
                session=form.save(commit=False),
                agenda=form.agenda_lines(),
                **{k: form.cleaned_data[k] for k in ("delegation", "participants", "agencies", "documents")},
            )
        except ValidationError as error:
            form.add_error("agenda", error)
        else:
            done = _("Record the session") if created else _("Change the session")
            messages.success(request, session_done_message(session, request.user, request.union, done))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "outreach/form.html",
        {"form": form, "title": _("Working session"), "back": session.pk and session.get_absolute_url()},
    )


@union_permission("outreach.take_part")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, request.union, pk)
    manager = is_union_staff(request.user, request.union)
    versions = list(
        session.minutes_versions.select_related("approved_by", "signatory").prefetch_related(
            Prefetch("entries", queryset=MinutesEntry.objects.select_related("agenda_item"))
        )
    )
    current = minutes_shown(versions, manager)  # representatives never read a draft
    items = list(session.action_items.select_related("owner_person", "owner_agency"))
    today = timezone.localdate()
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "manager": manager,
            "agenda": session.agenda_items.all(),
            "agencies": session.agencies.all(),
            "participants": session.participants.select_related("agency"),
            "delegation": session.delegation.all(),
            "documents": session.documents.all(),
            "photos": session.photos.select_related("attachment"),
            "minutes": current,
            "panel": session_panel(session, request.user, request.union, minutes=current, items=items, today=today),
            "versions": versions if manager else [v for v in versions if v.state == Minutes.State.APPROVED],
            "action_items": items,
            "projects": session.local_projects.select_related("owner_agency") if manager else [],
            "promotions": session.promotions.all(),
            "photo_form": PhotoForm() if manager else None,
            "revise_form": ReviseMinutesForm() if manager else None,
            "timeline": timeline_for(session) if manager else [],
            "today": today,
        },
    )


@require_POST
@union_permission("outreach.manage_outreach")
def session_photo(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_union(WorkSession, request.union, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_session_photo(
                actor=request.user,
                union=request.union,
                session=session,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
            )
            messages.success(request, _("Photo added."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(session.get_absolute_url() + "#photos")


# Minutes -------------------------------------------------------------------------------------------------------


def _minutes_for(request: HttpRequest, pk: int) -> Minutes:
    minutes = Minutes.objects.filter(pk=pk, session__union=request.union).select_related("session__union").first()
    if minutes is None:
        raise Http404
    return minutes


@union_permission("outreach.manage_outreach")
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the latest minutes of a session (starting version 1 if there is none yet)."""
    session = get_for_union(WorkSession, request.union, pk)
    minutes = session.minutes_versions.order_by("-version").first()
    if minutes is None:
        minutes = services.start_minutes(actor=request.user, session=session)
    if not minutes.is_editable:
        messages.error(request, _("Approved minutes are locked; make a new version to change them."))
        return redirect(session.get_absolute_url() + "#minutes")
    form = MinutesForm(request.POST or None, minutes=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(
                actor=request.user,
                minutes=minutes,
                conclusion=form.cleaned_data["conclusion"],
                entries=form.entries(),
                notice_number=form.cleaned_data["notice_number"],
                signatory=form.cleaned_data["signatory"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            done = _("Write the minutes")
            messages.success(request, session_done_message(session, request.user, request.union, done))
            return redirect(session.get_absolute_url())
    return render(request, "outreach/minutes_form.html", {"form": form, "minutes": minutes, "session": session})


# The service behind each step of the minutes: `Minutes`' transitions (their permission is declared there).
MINUTES_STEPS = {
    "circulate": services.circulate_minutes,
    "approve": services.approve_minutes,
    "withdraw": services.withdraw_minutes,
}


@require_POST
@union_permission("outreach.manage_outreach")
def minutes_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A step of the minutes (circulate, approve, back to draft: `Minutes`' transitions), or a new version. The
    confirmation names what was done and what comes next."""
    minutes = _minutes_for(request, pk)
    session = minutes.session
    try:
        if action in MINUTES_STEPS:
            step = step_named(minutes, request.user, action, field="state")
            MINUTES_STEPS[action](minutes, actor=request.user)
            done = step.label if step else action
            messages.success(request, session_done_message(session, request.user, request.union, done))
        elif action == "revise":
            form = ReviseMinutesForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the approved minutes need a new version."))
            services.revise_minutes(minutes, actor=request.user, reason=form.cleaned_data["reason"])
            done = _("Start a new version")
            messages.success(request, session_done_message(session, request.user, request.union, done))
            return redirect("outreach:minutes_edit", union_slug=request.union.slug, pk=minutes.session_id)
        else:
            raise Http404
    except ValidationError as error:
        show_errors(request, error)
        return redirect(session.get_absolute_url() + "#minutes")
    return redirect(session.get_absolute_url())


@union_permission("outreach.take_part")
def minutes_version(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes_for(request, pk)
    session = get_session_for(request.user, request.union, minutes.session_id)
    manager = is_union_staff(request.user, request.union)
    if not manager and minutes.state == Minutes.State.DRAFT:
        raise Http404
    return render(
        request,
        "outreach/minutes_version.html",
        {
            "minutes": minutes,
            "session": session,
            "entries": minutes.entries.select_related("agenda_item"),
            "manager": manager,
        },
    )


@union_permission("outreach.take_part")
def minutes_notice(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The conclusion notice (thông báo kết luận) issued when the minutes were approved, as stored (DOCX or PDF).
    Minutes approved before the register existed get the notice rendered as a DOCX."""
    minutes = _minutes_for(request, pk)
    get_session_for(request.user, request.union, minutes.session_id)
    if minutes.state != Minutes.State.APPROVED:
        raise Http404
    notice = (
        IssuedDocument.objects.of(minutes).filter(kind=IssuedDocument.Kind.CONCLUSION_NOTICE).order_by("-pk").first()
    )
    if notice is not None:
        return issued_file_response(request, notice, extension)
    if extension != "docx":
        raise Http404
    data, filename = conclusion_notice_docx(minutes)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
