"""The «Bước tiếp theo» panel of a case, for its viewer: the steps they may take (the case's transitions, with what
each still waits for), the actions staff may take on a sent report, the pages of the present stage they may open,
and what the case is waiting for when they have nothing to do. The template shows it and decides nothing."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienhiep.advisory.models import AFTER_REPORT, Case, Seat, Status
from lienhiep.advisory.queries import may_consolidate, represents
from lienhiep.core.fsm import Step, steps_for
from lienhiep.core.next_step import Link, Panel
from lienhiep.core.rules import is_editor, is_leader, is_union_staff

# What a viewer who has nothing to do is told, by stage.
WAITING = {
    Status.RECEIVED: gettext_lazy("The Union is examining the dossier."),
    Status.ACCEPTED: gettext_lazy("The Union is forming the council."),
    Status.COUNCIL_PENDING: gettext_lazy("The council waits for the leader's approval."),
    Status.REPORT_PENDING: gettext_lazy("The report waits for the leader's signature."),
}


def actions_on_sent_report(case: Case, user) -> list[Step]:
    """What staff may do once the report is sent, besides closing the case (not transitions: the case stays)."""
    if case.status not in AFTER_REPORT or not user.has_perm("advisory.manage_case", case):
        return []

    def action(name: str, label: str, style: str) -> Step:
        return Step(name, label, style=style, url=reverse("advisory:case_step", args=[case.union.slug, case.pk, name]))

    actions = [action("publish_summary", _("Public summary"), "outline-primary")]
    if not case.original_case_id:
        actions.append(action("assessment_case", _("Open a social-assessment case"), "outline-primary"))
    if case.draft_published:
        actions.append(action("unpublish_draft", _("Make the draft confidential again"), "outline-secondary"))
    else:
        actions.append(action("publish_draft", _("Mark the draft as public"), "outline-secondary"))
    return actions


def panel_for(case: Case, user, seat: Seat | None, *, reads_draft: bool, consolidates: bool) -> Panel:
    """The panel for `user`: their seat on the case (if any), whether they may read the annotated draft and whether
    they consolidate the recommendations (`queries.may_read_annotated_draft`, `may_consolidate`), as the page read
    them once."""
    union = case.union
    staff, manager = is_union_staff(user, union), is_editor(user, union)
    rep = represents(user, case)

    def step_url(name: str) -> str:
        return reverse("advisory:case_step", args=[union.slug, case.pk, name])

    steps = steps_for(case, user, url=step_url)
    panel = Panel(
        steps=[s for s in steps if not s.tucked] + actions_on_sent_report(case, user),
        tucked=[s for s in steps if s.tucked],
    )

    def url(name: str) -> str:
        return reverse(f"advisory:{name}", args=[union.slug, case.pk])

    def link(label: str, name: str, style: str = "outline-primary") -> None:
        panel.links.append(Link(label, url(name), style))

    status = case.status
    if status == Status.RECEIVED and any(s.name == "accept" and not s.waiting_for for s in panel.steps):
        panel.note = _("The dossier is complete.")
    elif status == Status.ACCEPTED and manager:
        panel.note = _("Form the council or group: let the matching engine propose experts, adjust, then submit it to "
                       "the leader.")  # fmt: skip
        link(_("Form the council"), "council", "primary")
    elif status == Status.COUNCIL_PENDING and is_leader(user, union):
        panel.note = _("Check the council's members and their reasons, then approve it: the decision takes its number "
                       "from the register.")  # fmt: skip
        link(_("Open the council"), "council")
    elif status == Status.COUNCIL_FORMED:
        link(_("Decision forming the council (DOCX)"), "decision_docx", "outline-success")
        link(_("PDF"), "decision_pdf", "outline-success")
    elif status == Status.REVIEWING:
        due = case.review_due_on.strftime("%d/%m/%Y") if case.review_due_on else "—"
        panel.note = _("Members study the draft and write their reviews by %(d)s.") % {"d": due}
        if reads_draft:
            link(_("Read and comment the draft"), "draft", "primary")
        if seat and seat.writes_review:
            link(_("Write my review"), "review_edit", "primary")
        if staff or seat:
            link(_("Council meeting"), "meeting")
        if staff:
            link(_("Reviews received"), "reviews")
    elif status == Status.CONSOLIDATING:
        if staff or seat:
            link(_("Consolidate into recommendations"), "consolidate", "primary")
            link(_("Council meeting"), "meeting")
            link(_("Reviews received"), "reviews")
        if seat and seat.writes_review:
            link(_("My review"), "review_edit")
        if consolidates:
            link(_("Report draft (DOCX)"), "report_docx", "outline-success")
    elif status == Status.REPORT_PENDING and staff:
        link(_("Report to sign (DOCX)"), "report_docx", "outline-success")
    elif status == Status.REPORT_SIGNED:
        link(_("Signed report (DOCX)"), "report_docx", "outline-success")
        link(_("PDF"), "report_pdf", "outline-success")
    elif status in AFTER_REPORT:
        link(_("Report (DOCX)"), "report_docx", "outline-success")
        link(_("PDF"), "report_pdf", "outline-success")
        if staff or rep:
            answering = status == Status.SENT
            label = _("Answer the recommendations") if answering and rep else _("The agency's answers")
            link(label, "answers", "primary" if answering else "outline-primary")
            link(_("Implementation"), "assessment", "primary" if status == Status.ANSWERED else "outline-primary")
    if not panel.steps and not panel.note and status in WAITING:
        panel.note = str(WAITING[status])
    if panel.empty:
        panel.note = _("Nothing more to do on this case.")
    return panel


def done_message(case: Case, user, done: str) -> str:
    """What a person reads after taking a step: what was done on which case, and what comes next for them (the
    page they should open, else the step they may take, else what the case waits for), with the stage's due date."""
    seat = case.seats.filter(expert__person__user=user).first()
    panel = panel_for(case, user, seat, reads_draft=False, consolidates=may_consolidate(user, case))
    following = (
        next((link.label for link in panel.links if link.style == "primary"), "")
        or next((step.label for step in panel.steps if not step.waiting_for), "")
        or (panel.note if case.status in WAITING else "")
    )
    message = _("Done: «%(step)s» — %(case)s.") % {"step": done, "case": case.code}
    if following:
        message += " " + _("Next: %(next)s") % {"next": str(following).rstrip(".")}
        if case.stage_due_on and not case.is_finished:
            message += " " + _("(due %(date)s)") % {"date": case.stage_due_on.strftime("%d/%m/%Y")}
        message += "."
    return message
