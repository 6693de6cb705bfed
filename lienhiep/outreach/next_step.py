"""The «Bước tiếp theo» panel of a working session and of an action item, for its viewer: what comes next (hold the
session, write its minutes, circulate and approve them — which issues the signed conclusion notice —, assign the
action items, follow them up), the steps they may take (the transitions of the minutes and of an action item,
`core.fsm.steps_for`), the pages they may open, and the action items still open with their due dates (late ones
flagged). The confirmation after each step names what was done and what comes next. The templates show the panel
and decide nothing."""

import datetime
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lienhiep.core import next_step as core_next_step
from lienhiep.core.fsm import steps_for
from lienhiep.core.models import Union
from lienhiep.core.next_step import FollowUp, Link
from lienhiep.outreach.models import ActionItem, Minutes, WorkSession


@dataclass
class Panel(core_next_step.Panel):
    following: str = ""  # what comes next in a few words: the confirmation message names it
    due_on: datetime.date | None = None  # when that is due


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def minutes_shown(versions: list[Minutes], may_manage: bool) -> Minutes | None:
    """The version of the minutes the viewer reads (`versions` newest first): staff the latest; the others what
    was circulated to them, or else the last approved version (never a draft)."""
    if may_manage:
        return versions[0] if versions else None
    return next((v for v in versions if v.state != Minutes.State.DRAFT), None)


def follow_ups(items, user, union: Union, today: datetime.date) -> list[FollowUp]:
    """The open action items among `items`, earliest due first, each linked only if the viewer may open it."""
    active = sorted((i for i in items if i.is_active), key=lambda i: (i.due_on, i.pk))
    return [
        FollowUp(
            title=item.title,
            owner=str(item.owner),
            due_on=item.due_on,
            late=item.is_overdue(today),
            url=reverse("outreach:action_detail", args=[union.slug, item.pk])
            if user.has_perm("outreach.view_action_item", item)
            else "",
        )
        for item in active
    ]


def session_panel(
    session: WorkSession,
    user,
    union: Union,
    *,
    minutes: Minutes | None,
    items: list[ActionItem],
    today: datetime.date | None = None,
) -> Panel:
    """The panel of a session for `user`: `minutes` is the version they read (`minutes_shown`), `items` the
    session's action items they may see (the page read both once)."""
    today = today or timezone.localdate()
    manager = user.has_perm("outreach.manage_outreach", union)
    panel = Panel()

    def url(name: str, pk: int) -> str:
        return reverse(f"outreach:{name}", args=[union.slug, pk])

    def link(label: str, address: str, style: str = "outline-primary") -> None:
        panel.links.append(Link(label, address, style))

    if manager:
        _staff_next(panel, session, user, union, minutes, items, today, url, link)
    else:  # an agency's representative follows the items of their agency
        items = [i for i in items if user.has_perm("outreach.view_action_item", i)]
        _participant_next(panel, session, minutes, items, today)
    if minutes is not None and minutes.is_locked:
        link(_("Conclusion notice (DOCX)"), url("minutes_notice", minutes.pk), "outline-success")
        link(_("PDF"), url("minutes_notice_pdf", minutes.pk), "outline-success")
    panel.items = follow_ups(items, user, union, today)
    if panel.items:
        late = sum(1 for i in panel.items if i.late)
        panel.items_heading = (
            ngettext("%(n)d action item open", "%(n)d action items open", len(panel.items)) % {"n": len(panel.items)}
        ) + (", " + ngettext("%(n)d overdue", "%(n)d overdue", late) % {"n": late} if late else "")
    if panel.empty:
        panel.note = _("Nothing more to do on this session.")
    return panel


def _staff_next(panel, session, user, union, minutes, items, today, url, link) -> None:
    """What staff, the leader and the administrator do next: the session's stage, from its date to the follow-up."""
    if minutes is None:
        if session.held_on > today:
            panel.note = _(
                "The session is planned for %(date)s: settle the agenda, the delegation and the documents to present; "
                "write the minutes once it is held."
            ) % {"date": _d(session.held_on)}
            link(_("Edit the session"), url("session_edit", session.pk), "primary")
            panel.following, panel.due_on = _("Hold the session"), session.held_on
        else:
            panel.note = _(
                "The session was held on %(date)s: write its minutes, what was said and concluded on each agenda item."
            ) % {"date": _d(session.held_on)}
            link(_("Write the minutes"), url("minutes_edit", session.pk), "primary")
            panel.following = _("Write the minutes")
        return
    steps = steps_for(
        minutes,
        user,
        field="state",
        url=lambda name: reverse("outreach:minutes_action", args=[union.slug, minutes.pk, name]),
    )
    signer = str(minutes.signatory) if minutes.signatory_id else _("the person approving them")
    for step in steps:
        if step.name == "approve":
            step = replace(
                step,
                notice=_(
                    "Approving locks the minutes and issues the conclusion notice, numbered from the register and "
                    "signed by %(signer)s."
                )
                % {"signer": signer},
            )
        if step.name == "withdraw":
            panel.tucked.append(step)
        else:
            panel.steps.append(step)
    active = [i for i in items if i.is_active]
    if minutes.state == Minutes.State.DRAFT:
        panel.note = (
            (
                _("Version %(v)d of the minutes is a draft (%(reason)s).")
                % {"v": minutes.version, "reason": minutes.revision_reason}
                if minutes.revision_reason
                else _("The minutes are a draft.")
            )
            + " "
            + _("Complete them, then circulate them to the participants for corrections.")
        )
        link(_("Continue the minutes"), url("minutes_edit", session.pk))
    elif minutes.state == Minutes.State.CIRCULATED:
        circulated = _d(timezone.localdate(minutes.circulated_at)) if minutes.circulated_at else "—"
        panel.note = _(
            "The minutes were circulated to the participants for corrections on %(date)s. Once their corrections "
            "are in, approve the minutes."
        ) % {"date": circulated}
        link(_("Correct the minutes"), url("minutes_edit", session.pk))
    elif not items:
        panel.note = _(
            "The minutes are approved and the conclusion notice issued. Assign the action items its conclusions call "
            "for: an owner and a due date for each."
        )
        link(
            _("Assign an action"),
            reverse("outreach:action_create", args=[union.slug]) + f"?session={session.pk}",
            "primary",
        )
        panel.following = _("Assign the action items")
    elif active:
        panel.note = _(
            "Follow up the action items until each is done: ask the owners for news and record the evidence."
        )
        link(
            _("Assign another action"), reverse("outreach:action_create", args=[union.slug]) + f"?session={session.pk}"
        )
        panel.following = _("Follow up the action items")
        panel.due_on = min(i.due_on for i in active)
        panel.late = panel.due_on < today
    else:
        panel.note = _("The minutes are approved and every action item is closed: nothing more to do on this session.")
    if not panel.following:
        panel.following = next((s.label for s in panel.steps if not s.waiting_for), "")


def _participant_next(panel, session, minutes, items, today) -> None:
    """What an agency's representative who took part is told: where the minutes are, and their own action items."""
    if minutes is None:
        if session.held_on > today:
            panel.note = _("The session is planned for %(date)s.") % {"date": _d(session.held_on)}
        else:
            panel.note = _("The Union is writing the minutes; they will be sent to the participants for corrections.")
    elif minutes.state == Minutes.State.CIRCULATED:
        panel.note = _(
            "The minutes were circulated for corrections: send any correction to the Union before they are approved."
        )
    elif any(i.is_active for i in items):
        panel.note = _("Record the progress and the evidence of the action items below by their due dates.")
        panel.following = _("Update the action items")
    else:
        panel.note = _("The minutes are approved; no action item of the agency is open.")


ITEM_STEPS = ("start", "complete", "reopen", "drop")  # the order an action item's steps are offered in


def item_panel(item: ActionItem, user, union: Union, *, today: datetime.date | None = None) -> Panel:
    """The panel of an action item for `user`: its due date (red when late), what its owner or staff record next,
    the steps they may take (`ActionItem`'s transitions: start, complete with the evidence, drop with the reason,
    reopen); the session it came from."""
    today = today or timezone.localdate()
    manager = user.has_perm("outreach.manage_outreach", union)
    updates = user.has_perm("outreach.change_action_status", item)  # staff, or the owning agency's representative
    panel = Panel()
    steps = steps_for(item, user, url=lambda name: reverse("outreach:action_step", args=[union.slug, item.pk, name]))
    for step in sorted(steps, key=lambda s: ITEM_STEPS.index(s.name)):
        # dropping, and reopening an item under way, are rare: folded away
        (panel.tucked if step.tucked or (step.name == "reopen" and item.is_active) else panel.steps).append(step)
    if item.is_active:
        panel.due_on = item.due_on
        if item.is_overdue(today):
            days = (today - item.due_on).days
            panel.late = True
            panel.note = ngettext(
                "Overdue since %(date)s (%(n)d day).", "Overdue since %(date)s (%(n)d days).", days
            ) % {"date": _d(item.due_on), "n": days}
        else:
            panel.note = _("Due on %(date)s.") % {"date": _d(item.due_on)}
        if updates:
            panel.note += " " + (
                _("Ask %(owner)s for news, then record the progress and the evidence.") % {"owner": item.owner}
                if manager
                else _("Record the progress and the evidence.")
            )
            panel.following = _("Follow up the result") if manager else _("Record the result")
    elif item.status == ActionItem.Status.DONE:
        done_on = _d(item.completed_on) if item.completed_on else "—"
        panel.note = _("Done on %(date)s: nothing more to do on this action item.") % {"date": done_on}
    else:
        panel.note = _("Dropped: %(reason)s.") % {"reason": item.drop_reason.rstrip(".")}
    if not item.is_active and item.session_id and user.has_perm("outreach.take_part", union):
        # finished: back to the session and its other items (while active, the steps are what comes next and the
        # breadcrumb already leads to the session)
        panel.links.append(
            Link(_("The working session"), reverse("outreach:session_detail", args=[union.slug, item.session_id]))
        )
    return panel


# Confirmations ------------------------------------------------------------------------------------------------------


def _message(done: str, what: str, following: str, due_on: datetime.date | None, late: bool = False) -> str:
    message = _("Done: «%(step)s» — %(what)s.") % {"step": done, "what": what}
    if following:
        message += " " + _("Next: %(next)s") % {"next": str(following).rstrip(".")}
        if due_on:
            message += " " + (_("(overdue since %(date)s)") if late else _("(due %(date)s)")) % {"date": _d(due_on)}
        message += "."
    return message


def session_done_message(session: WorkSession, user, union: Union, done: str) -> str:
    """What a person reads after a step on a session or its minutes: what was done on which session, and what
    comes next for them, with its date."""
    today = timezone.localdate()
    versions = list(session.minutes_versions.select_related("signatory").order_by("-version"))
    minutes = minutes_shown(versions, user.has_perm("outreach.manage_outreach", union))
    items = list(session.action_items.select_related("owner_person", "owner_agency"))
    panel = session_panel(session, user, union, minutes=minutes, items=items, today=today)
    return _message(done, session.title, panel.following, panel.due_on, panel.late)


def item_done_message(item: ActionItem, user, union: Union, done: str) -> str:
    """What a person reads after recording an action item or its progress: what was done, and what comes next —
    this item's next update while it is open, else the earliest open item of the same session they may open."""
    today = timezone.localdate()
    panel = item_panel(item, user, union, today=today)
    following, due_on, late = panel.following, panel.due_on, panel.late
    if not following and item.session_id:
        others = [
            i
            for i in ActionItem.objects.filter(session_id=item.session_id, status__in=ActionItem.ACTIVE)
            .exclude(pk=item.pk)
            .select_related("owner_person", "owner_agency")
            .order_by("due_on", "pk")
            if user.has_perm("outreach.view_action_item", i)
        ]
        if not others:
            return _message(done, item.title, "", None) + " " + _("No action item of this session is still open.")
        following = _("Follow up «%(title)s»") % {"title": others[0].title}
        due_on, late = others[0].due_on, others[0].is_overdue(today)
    return _message(done, item.title, following, due_on, late)
