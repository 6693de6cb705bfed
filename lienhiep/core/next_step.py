"""The «Bước tiếp theo» panel every module shows on the page of a thing that moves through steps (a case, an entry,
a score sheet, a working session, an action item): what its viewer may do now (the thing's transitions,
`core.fsm.steps_for`, and links to pages they may open) and, when they have nothing to do, what it waits for. Each
module builds it for its viewer in its own `next_step.py`; one template shows it (templates/includes/next_step.html)
and decides nothing."""

import datetime
from dataclasses import dataclass, field

from lienhiep.core.fsm import Step


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    style: str = "outline-primary"


@dataclass(frozen=True)
class FollowUp:
    """Something still open that the panel lists under its steps (an action item of a session)."""

    title: str
    owner: str
    due_on: datetime.date
    late: bool  # past its due date: shown in red
    url: str = ""  # its page, empty when the viewer may not open it


@dataclass
class Panel:
    steps: list[Step] = field(default_factory=list)  # the transitions the viewer may take, then other actions
    tucked: list[Step] = field(default_factory=list)  # rarely taken (withdrawing, back to draft): folded away
    links: list[Link] = field(default_factory=list)
    note: str = ""  # where the thing stands and what the viewer does now, or what it waits for
    missing: list[str] = field(default_factory=list)  # what is still lacking before the step, listed under the note
    missing_heading: str = ""  # what the list is for («Trước khi nộp bài dự thi:»)
    due: str = ""  # the deadline that matters now, in words
    late: bool = False  # past it (or, without `due`, the note speaks of something overdue): shown in red
    items: list[FollowUp] = field(default_factory=list)  # things still open, earliest due first
    items_heading: str = ""

    @property
    def empty(self) -> bool:
        return not (self.steps or self.tucked or self.links or self.note or self.items)
