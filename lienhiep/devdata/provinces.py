"""The shape of a demo Union's story (lienhiep.devdata.quangngai, lienhiep.devdata.gialai): letterhead, leader
and staff, agencies, member associations, experts, and a year of work — advisory cases of last year and this,
one contest edition of last year, working sessions with their action items. lienhiep.devdata.unions loads them
through the services.

Places are named by their district before the 1 July 2025 reform (`Place`); a record dated from the reform on
goes to the commune or ward that carries the district's name on (or the one named). Agencies likewise: a case
or a session before the reform is with the district's UBND, after it with the commune's (`before`/`agency`).
Dates are relative to the day the demo is loaded: `last=(month, day)` in last calendar year, `ago=n` days
before today (never before 1 January of this year). Names of people and the wording of titles are made up for
the demo; the districts, communes and public bodies are real."""

from __future__ import annotations

from dataclasses import dataclass

from lienhiep.core.models import Agency

K = Agency.Kind


@dataclass(frozen=True)
class Place:
    """A locality: the district before the reform; after it, the commune or ward `after` (default: the one of
    the district's successors with the district's own name)."""

    district: str
    after: str = ""


@dataclass(frozen=True)
class AgencyData:
    name: str
    kind: str
    place: Place | None = None  # None: the province
    parent: str = ""
    short: str = ""
    until_reform: bool = False  # a district body: abolished on 1 July 2025 (its unit is the old district)


@dataclass(frozen=True)
class PersonData:
    username: str
    name: str
    gender: str
    birth_year: int
    degree: str
    position: str


@dataclass(frozen=True)
class ExpertData:
    name: str
    gender: str
    birth_year: int
    title: str  # GS, PGS or ""
    degree: str
    position: str
    workplace: str
    association: str  # short name, or ""
    fields: tuple[str, ...]
    keywords: str
    place: Place | None = None


@dataclass(frozen=True)
class CaseData:
    status: str
    kind: str
    agency: str  # the requesting agency (from the reform on, or always)
    title: str
    summary: str
    fields: tuple[str, ...]
    last: tuple[int, int] | None = None  # received on (month, day) of last year
    ago: int | None = None  # or received this many days ago (this year)
    before: str = ""  # the requesting agency before the reform, if another
    late: bool = False  # the agency asked for the report within 30 days; the council took longer


@dataclass(frozen=True)
class EntryData:
    title: str
    field: str
    place: Place
    summary: str
    authors: tuple  # (name, share) — for a youth contest (name, share, age)
    score: int  # the judges' mean the sheets aim at
    school: str = ""
    mentor: str = ""


@dataclass(frozen=True)
class ContestData:
    kind: str  # technical or youth
    title: str
    number: int
    code: str
    summary: str
    eligibility: str
    # (month, day) of last year: registration closes (the dossier deadline) and results are announced
    closes: tuple[int, int]
    results: tuple[int, int]
    national_quota: int
    entries: tuple[EntryData, ...]
    schools: tuple[tuple[str, Place], ...] = ()
    rejected: str = ""  # the title of an entry found ineligible at screening, and why below
    rejected_note: str = ""


@dataclass(frozen=True)
class ItemData:
    title: str
    owner: str  # an agency's name, or "staff" / "leader" (the Union's people)
    due: int  # days after the session
    status: str = "open"  # open, in_progress, done


@dataclass(frozen=True)
class SessionData:
    title: str
    agencies: tuple[str, ...]  # from the reform on (or always)
    agenda: tuple[str, ...]
    items: tuple[ItemData, ...]
    last: tuple[int, int] | None = None
    ago: int | None = None
    place: Place | None = None
    before: tuple[str, ...] = ()  # the agencies before the reform, if others
    minutes: str = ""  # "", "circulated" or "approved"
    promotes_contest: bool = False


@dataclass(frozen=True)
class Story:
    slug: str
    seed: int
    leader: PersonData
    staff: PersonData
    cases: tuple[CaseData, ...]
    # how the agencies answer recommendations: weights of accepted, partly, not accepted
    acceptance: tuple[int, int, int]
    sessions: tuple[SessionData, ...]
    contest: ContestData | None = None
    # the Union and its registry, made by the story (Kon Tum's are lienhiep.devdata.demo's own: name left empty)
    name: str = ""
    short_name: str = ""
    province: str = ""  # the province's short name before the reform
    governing_body: str = ""
    place_name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    agencies: tuple[AgencyData, ...] = ()
    associations: tuple[tuple[str, str, str, int], ...] = ()  # name, short name, fields, members
    experts: tuple[ExpertData, ...] = ()


AGENDA = (
    "Thông tin về chức năng, nhiệm vụ và hoạt động tư vấn, phản biện và giám định xã hội của Liên hiệp hội",
    "Nhu cầu tư vấn, phản biện các đề án, dự án của địa phương",
    "Triển khai Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng",
    "Kiến nghị, đề xuất của địa phương",
)
