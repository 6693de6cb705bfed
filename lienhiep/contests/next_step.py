"""The «Bước tiếp theo» panel of the contests, for two viewers: the entrant on an entry's page (what comes next for
the entry: complete the dossier and submit it before the deadline, screening, judging, the results), and a judge on
their judging pages (the score sheets still to fill in, the due date, what happens once a sheet is submitted).
Steps that are transitions come from the models (`core.fsm.steps_for`: the entry's submission, a judge's
withdrawal); links are only to pages the viewer may open. The template shows the panel and decides nothing; the
confirmation after each step names what was done and what comes next (`done_message`)."""

import datetime
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienhiep.contests.models import Assignment, Edition, Entry, Round
from lienhiep.contests.todo import is_late
from lienhiep.core import next_step as core_next_step
from lienhiep.core.fsm import steps_for
from lienhiep.core.next_step import Link


@dataclass
class Panel(core_next_step.Panel):
    next: str = ""  # what comes next, as a phrase: the confirmation's «Bước tiếp theo: …» (empty: nothing)


def moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S %d/%m/%Y")


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def done_message(done: str, what: str, panel: Panel, extra: str = "") -> str:
    """«Đã xong «Nộp bài dự thi» — ST10-001. … Bước tiếp theo: ….»: the step taken, on what, and what follows."""
    message = _("Done: «%(step)s» — %(what)s.") % {"step": done, "what": what}
    if extra:
        message += " " + extra
    if panel.next:
        message += " " + _("Next: %(next)s") % {"next": panel.next} + "."
    return message


# The entrant ----------------------------------------------------------------------------------------------------

# Where an accepted entry stands, by its edition's stage.
ACCEPTED = {
    Edition.Status.OPEN: gettext_lazy("Accepted for judging. Judging starts once registration closes."),
    Edition.Status.JUDGING: gettext_lazy("Accepted. The juries are scoring the entries."),
    Edition.Status.REVIEW: gettext_lazy(
        "Judging is over: the board is reviewing the results and proposing the awards."
    ),
    Edition.Status.APPROVED: gettext_lazy("The awards are approved; the results will be published soon."),
}


def _award_of(entry: Entry):
    try:
        return entry.award  # read with the entry where a page lists several (select_related("award__tier"))
    except Entry.award.RelatedObjectDoesNotExist:
        return None


def entry_panel(entry: Entry, user, *, missing: list[str], now: datetime.datetime | None = None) -> Panel:
    """The panel of an entry for its entrant (or a co-author with an account): `missing` is what the dossier still
    lacks (`services.completeness`, read once by the page)."""
    now = now or timezone.now()
    slug = entry.union.slug
    edition = entry.edition
    panel = Panel()

    def link(label: str, name: str, style: str = "outline-primary", anchor: str = "") -> None:
        panel.links.append(Link(label, reverse(f"contests:{name}", args=[slug, entry.pk]) + anchor, style))

    if entry.is_editable:
        deadline = entry.deadline()
        panel.due = _("Deadline: %s (server time)") % moment(deadline)
        panel.late = now > deadline
        steps = steps_for(entry, user, url=lambda name: reverse(f"contests:entry_{name}", args=[slug, entry.pk]))
        if not steps:  # a co-author: the person who registered it completes and submits it
            panel.note = _("The person who registered the entry completes the dossier and submits it.")
        elif panel.late:
            panel.note = _(
                "The deadline has passed: the entry can no longer be submitted. Ask the organisers if it should be "
                "reopened."
            )
        else:
            waiting = (_("The dossier is not complete yet."),) if missing else ()
            panel.steps = [replace(s, waiting_for=waiting) for s in steps]
            if missing:
                panel.missing, panel.missing_heading = list(missing), _("Before submitting the entry:")
                panel.note = _("Complete the dossier, then submit it before the deadline.")
                panel.next = _("complete the dossier (%(n)s still missing), then submit it by %(d)s") % {
                    "n": len(missing),
                    "d": moment(deadline),
                }
            else:
                panel.note = _("The dossier is complete and can be submitted. After submitting it can no longer be "
                               "changed.")  # fmt: skip
                panel.next = _("submit the entry by %s") % moment(deadline)
            if user.has_perm("contests.change_dossier", entry):
                link(_("Add the dossier files"), "entry", "primary" if missing else "outline-primary", "#dossier")
            link(_("Edit the entry"), "entry_edit", "outline-secondary")
        return panel
    if entry.number:
        link(_("Receipt"), "receipt", "outline-secondary")
    if entry.status == Entry.Status.SUBMITTED:
        panel.note = _("Submitted on %(d)s. The organisers check the dossier; their decision is e-mailed.") % {
            "d": moment(entry.submitted_at) if entry.submitted_at else "—"
        }
        panel.next = _("the organisers check the dossier")
    elif entry.status == Entry.Status.REJECTED:
        panel.note = _("The entry was not accepted; the organisers' reason is above.")
    elif edition.is_published:
        award = _award_of(entry)
        tier = award.tier if award else None
        if tier:
            panel.note = _("The results are published: the entry received «%s».") % tier.name
        else:
            panel.note = _("The results are published: the entry received no award this time.")
        panel.links.insert(
            0, Link(_("Results"), reverse("contests:public_results", args=[slug, edition.pk]), "primary")
        )
        if tier and user.has_perm("contests.view_certificates", entry.union):
            panel.links.append(Link(_("Certificates"), reverse("contests:my_entries", args=[slug]) + "#cert-h"))
    else:
        panel.note = str(ACCEPTED.get(edition.status, ACCEPTED[Edition.Status.JUDGING]))
        if edition.results_on:
            panel.note += " " + _("Results are announced on %s.") % day(edition.results_on)
        panel.next = panel.note.rstrip(".")
    return panel


@dataclass(frozen=True)
class Line:
    """What comes next for one entry of the entrant's list: a few words, red when its deadline passed."""

    text: str
    late: bool = False


def entry_line(entry: Entry, now: datetime.datetime | None = None) -> Line:
    """Reads only the entry, its edition and its award (the list reads them with the entry): no query."""
    now = now or timezone.now()
    if entry.is_editable:
        deadline = entry.deadline()
        if now > deadline:
            return Line(_("The deadline passed on %s.") % moment(deadline), late=True)
        return Line(_("Complete and submit by %s.") % moment(deadline))
    if entry.status == Entry.Status.SUBMITTED:
        return Line(_("The organisers are checking the dossier."))
    if entry.status == Entry.Status.REJECTED:
        return Line(_("Not accepted."))
    if entry.edition.is_published:
        award = _award_of(entry)
        return Line(_("Results published.") + (f" {award.tier.name}." if award and award.tier else ""))
    return Line(str(ACCEPTED.get(entry.edition.status, ACCEPTED[Edition.Status.JUDGING])))


# The judge ------------------------------------------------------------------------------------------------------


def _score_link(assignment: Assignment, slug: str, style: str = "primary") -> Link:
    return Link(_("Score %s") % assignment.entry.number, reverse("contests:sheet", args=[slug, assignment.pk]), style)


def _to_score_phrase(assignment: Assignment) -> str:
    due = assignment.round.due_on
    if due:
        return _("score %(entry)s by %(d)s") % {"entry": assignment.entry.number, "d": day(due)}
    return _("score %s") % assignment.entry.number


def after_submitting() -> str:
    return _(
        "The organisers close the round once every judge's sheet is in; the board then reviews the results and "
        "the leader approves the awards."
    )


def sheet_panel(
    assignment: Assignment, user, slug: str, *, to_score: list[Assignment], today: datetime.date | None = None
) -> Panel:
    """The panel of a judge's score sheet: `to_score` are their other sheets still to fill in (with their entry
    and round), the earliest due first."""
    today = today or timezone.localdate()
    round = assignment.round
    panel = Panel()
    if assignment.is_confirmed and round.is_open:
        panel.note = _("Give each criterion its points (a draft may be saved), then submit the sheet below: a "
                       "submitted sheet is locked.")  # fmt: skip
        if round.due_on:
            panel.due = _("Due on %s") % day(round.due_on)
            panel.late = is_late(round, today)
        panel.next = _("submit the sheet by %s") % day(round.due_on) if round.due_on else _("submit the sheet")
        panel.tucked = steps_for(
            assignment, user, url=lambda name: reverse(f"contests:{name}", args=[slug, assignment.pk])
        )
        return panel
    if assignment.is_confirmed:
        panel.note = _("Scoring of this round is closed.")
    elif assignment.is_recused:
        panel.note = _("Withdrawn from this entry: the organisers seat another judge.")
    else:
        panel.note = _("The sheet is submitted and locked.") + " " + after_submitting()
    if to_score:
        panel.links.append(_score_link(to_score[0], slug))
        panel.next = _to_score_phrase(to_score[0])
    else:
        panel.links.append(Link(_("My judging"), reverse("contests:my_judging", args=[slug]), "outline-secondary"))
        if assignment.is_submitted:
            panel.next = _("the organisers close the round once every judge's sheet is in")
    return panel


def judging_panel(assignments: list[Assignment], slug: str, today: datetime.date | None = None) -> Panel:
    """The panel of a judge's list of sheets (read with their entry and round): what is still to fill in and by
    when, else what happens now that every sheet is in. No query."""
    today = today or timezone.localdate()
    to_score = [a for a in assignments if a.is_confirmed and a.round.is_open]
    panel = Panel()
    if to_score:
        panel.note = _("Score sheets still to fill in: %s. Submit each one once every criterion has its points.") % (
            len(to_score)
        )
        dues = [a.round.due_on for a in to_score if a.round.due_on]
        if dues:
            panel.due = _("Due on %s") % day(min(dues))
            panel.late = any(is_late(a.round, today) for a in to_score)
        panel.links.append(_score_link(to_score[0], slug))
        panel.next = _to_score_phrase(to_score[0])
    elif any(a.is_submitted for a in assignments):
        panel.note = _("All the sheets are submitted.") + " " + after_submitting()
    else:
        panel.note = _("Nothing to score at the moment.")
    return panel


# Staff ----------------------------------------------------------------------------------------------------------
# The confirmation after a step staff take: what was done to which entry, jury or round, in words, and what comes
# next for staff (`done_message`). Each reads the records as the step left them.

SCREENING_DECISIONS = {
    "accept": gettext_lazy("Accept for judging"),
    "return": gettext_lazy("Return for completion"),
    "reject": gettext_lazy("Reject as ineligible"),
}


def entry_name(entry: Entry) -> str:
    """The registration number, or the title of an entry not yet submitted."""
    return entry.number or f"«{entry.title}»"


def round_name(round: Round) -> str:
    """«Sơ khảo (TN14)»: the round and its edition's code."""
    return f"{round.name} ({round.edition.code})"


def screened_message(entry: Entry, decision: str) -> str:
    """After screening: the decision in words, on which entry, that the entrant was told, and how many entries of
    the edition still wait for screening (none: said so)."""
    entry = Entry.objects.select_related("edition").get(pk=entry.pk)
    extra = [_("The entrant was told by e-mail.")]
    if decision == "return":
        extra.append(_("It may be completed until %s.") % moment(entry.deadline()))
    waiting = Entry.objects.filter(edition=entry.edition_id, status=Entry.Status.SUBMITTED).count()
    panel = Panel()
    if waiting:
        panel.next = _("screen the entries of %(edition)s still waiting (%(n)s)") % {
            "edition": entry.edition.code,
            "n": waiting,
        }
    else:
        extra.append(_("No entry of %s waits for screening any more.") % entry.edition.code)
    return done_message(str(SCREENING_DECISIONS[decision]), entry_name(entry), panel, " ".join(extra))


def reopened_message(entry: Entry) -> str:
    """After staff reopen an entry: until when its entrant may change it, and that they submit it again."""
    entry = Entry.objects.select_related("edition").get(pk=entry.pk)
    panel = Panel(next=_("the entrant completes the entry and submits it again by %s") % moment(entry.deadline()))
    return done_message(_("Reopen for changes"), entry_name(entry), panel)


def seats_next(round: Round) -> str:
    """What staff do next with a round's seats: confirm the proposed ones, or propose judges for a round that has
    none; nothing once the round is closed or every seat is confirmed."""
    if round.is_closed:
        return ""
    seats = Assignment.objects.filter(round=round)
    proposed = seats.filter(status=Assignment.Status.PROPOSED).count()
    if proposed:
        return _("confirm the proposed seats of %(round)s (%(n)s)") % {"round": round_name(round), "n": proposed}
    if not seats.filter(status__in=Assignment.ACTIVE).exists():
        return _("propose the judges of %s") % round_name(round)
    return ""


def jury_message(round: Round, field, experts: list) -> str:
    """After saving a field's jury: its judges by name, and what comes next for the round's seats."""
    names = ", ".join(e.person.name for e in experts) or _("no judge")
    what = _("the jury of %(field)s, %(round)s") % {"field": field.name, "round": round_name(round)}
    return done_message(_("Save the jury"), what, Panel(next=seats_next(round)), _("Judges: %s.") % names)


def placed_message(assignment: Assignment) -> str:
    """After staff seat a judge on an entry by hand."""
    round = assignment.round
    extra = _("%(judge)s judges %(entry)s in %(round)s.") % {
        "judge": assignment.expert.person.name,
        "entry": assignment.entry.number,
        "round": round_name(round),
    }
    return done_message(_("Place the judge"), entry_name(assignment.entry), Panel(next=seats_next(round)), extra)


def removed_message(round: Round, entry: Entry, judge_name: str) -> str:
    """After staff take a proposed judge off an entry."""
    extra = _("%(judge)s no longer judges %(entry)s.") % {"judge": judge_name, "entry": entry_name(entry)}
    return done_message(_("Remove the judge"), entry_name(entry), Panel(next=seats_next(round)), extra)


def round_closed_message(round: Round, advanced: int) -> str:
    """After closing a round: how many entries reach the next round and that its judges come next, or, after the
    last round, that the judging of the edition is finished and the awards are proposed."""
    round = Round.objects.select_related("edition").get(pk=round.pk)
    edition = round.edition
    following = edition.rounds.filter(order__gt=round.order).order_by("order").first()
    if following is not None:
        extra = _("Entries advancing to %(round)s: %(n)s.") % {"round": following.name, "n": advanced}
        panel = Panel(next=_("set the juries of %s and propose its judges") % round_name(following))
    else:
        extra = _("It was the last round of %s.") % edition.code
        step = _("Finish judging: review the results")
        then = _("«%(step)s» on the page of %(edition)s, then propose the awards")
        panel = Panel(next=then % {"step": step, "edition": edition.code})
    return done_message(_("Close the round"), round_name(round), panel, extra)


def award_changed_message(award) -> str:
    """After the board changes an entry's award: the award now, and that the leader approves the awards next."""
    entry = award.entry
    extra = _("Award now: %(tier)s; the reason is kept.") % {"tier": award.tier.name if award.tier else _("No award")}
    panel = Panel(next=_("the leader approves the awards of %s") % entry.edition.code)
    return done_message(_("Change the award"), entry_name(entry), panel, extra)
