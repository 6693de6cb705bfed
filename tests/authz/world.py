"""One consistent Kon Tum world for the authorization matrix and the confidentiality tests, built once per test on
top of the shared cast, with a user for every row of the matrix:

- an advisory case (a critique of UBND huyện Đăk Tô's draft, sent to the agency): the cast's expert (Y Blong) sits
  on its council as secretary; Trần Thị Bình sits on it too but declared a conflict of interest after being
  seated (her access to the draft ends); an expert of the registry sits on nothing; the cast's agency
  representative speaks for the requesting agency, another representative for UBND huyện Tu Mơ Rông;
- a contest edition in judging: entry A by the cast's entrant, entry B by another entrant; two judges on entry A,
  one who submitted (locked) their sheet, one who has not;
- the sample objects every module's pages take (tests/<module>/url_args.py).
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from lienhiep.contests.models import Award, EntryCertificate
from lienhiep.core.models import Membership, Role, User
from lienhiep.experts import services as expert_services
from lienhiep.portal.models import Certificate
from tests.advisory import url_args as advisory_url_args
from tests.conftest import Cast, make_user
from tests.contests import factories as contest_f
from tests.contests import url_args as contest_url_args
from tests.outreach import factories as outreach_f

# Rows of the matrix: every role a person can hold towards a page, with the Union role each row stands for.
ROWS: dict[str, str | None] = {
    "anonymous": None,
    "entrant": Role.ENTRANT,  # registered entry A
    "other_entrant": Role.ENTRANT,  # registered entry B, not A
    "expert_council": Role.EXPERT,  # seated on the advisory council (secretary)
    "expert_outside": Role.EXPERT,  # in the registry, seated nowhere
    "expert_conflicted": Role.EXPERT,  # seated on the council, then declared a conflict of interest
    "judge_locked": Role.EXPERT,  # judges entry A, sheet submitted (locked)
    "judge_unlocked": Role.EXPERT,  # judges entry A, sheet not yet submitted
    "agency_rep": Role.AGENCY_REP,  # speaks for the agency that requested the case
    "other_agency_rep": Role.AGENCY_REP,  # speaks for another agency of the Union
    "staff": Role.STAFF,
    "leader": Role.LEADER,
    "union_admin": Role.UNION_ADMIN,
    "outsider_staff": Role.STAFF,  # staff of the Quảng Ngãi Union
    "platform_admin": Role.PLATFORM_ADMIN,
    "national": Role.NATIONAL,  # the national body (VUSTA): every Union's aggregates, nothing below them
}
JUDGE_LOCKED_NAME = "Hà Văn Xong"
JUDGE_UNLOCKED_NAME = "Lò Thị Chờ"
LOCKED_POINTS = ("27.5", "31.25", "29.75")  # the locked judge's points (TM, UD, HQ): 88.5 in total


@dataclass
class World:
    cast: Cast
    users: dict[str, User | None]
    case: object = None
    contest: dict = field(default_factory=dict)


def _expert_user(cast: Cast, username: str, name: str):
    user = make_user(username, name, Role.EXPERT, cast.union)
    return user, contest_f.judge(cast.union, name, user=user)


def _contest(cast: Cast, users: dict) -> dict:
    """Entry A (the cast's entrant) and entry B (another entrant) accepted; two judges seated on entry A, one of
    whom submitted their sheet. Shaped like tests.contests.factories.url_objects for the contest URL arguments."""
    ed = contest_f.open_edition(cast)
    entry = contest_f.accepted(cast, ed)
    other = contest_f.accepted(cast, ed, "Bẫy côn trùng năng lượng mặt trời", owner=users["other_entrant"])
    users["judge_locked"], locked = _expert_user(cast, "gk.xong", JUDGE_LOCKED_NAME)
    users["judge_unlocked"], waiting = _expert_user(cast, "gk.cho", JUDGE_UNLOCKED_NAME)
    ed.start_judging()
    ed.save()
    locked_seat = contest_f.seat(cast, entry, locked, confirm=False)
    contest_f.seat(cast, entry, waiting)
    locked_seat = contest_f.score(contest_f.fresh(locked_seat), *LOCKED_POINTS)
    waiting_seat = entry.assignments.get(expert=waiting)
    award = Award.objects.create(entry=entry, tier=ed.tiers.last(), proposed_tier=ed.tiers.last(), score=65)
    certificate = Certificate.objects.create(
        union=cast.union, holder_name="Đinh Văn Khang", title="Giải Ba", issued_on=ed.submission_deadline.date(),
        issuer="LHH",
    )  # fmt: skip
    made = EntryCertificate(entry=entry, contributor=entry.contributors.first(), certificate=certificate)
    made.pdf.save("c.pdf", ContentFile(contest_f.PDF), save=True)
    return {
        "edition": ed,
        "round": ed.rounds.first(),
        "entry": entry,
        "other_entry": other,
        "assignment": waiting_seat,  # the sheet pages are the unlocked judge's own
        "locked_assignment": locked_seat,
        "award": award,
        "file": entry.files.first(),
        "certificate": made,
        "field": contest_f.field(ed),
    }


def outsider_objects(cast: Cast) -> dict:
    """A few objects of the Quảng Ngãi Union, one per kind of record the Kon Tum pages take by id."""
    import datetime

    from lienhiep.advisory.models import Case
    from lienhiep.core.models import MemberAssociation, Person
    from lienhiep.outreach.models import WorkSession
    from lienhiep.portal.models import LegalDocument

    union = cast.outsider_union
    association = MemberAssociation.objects.create(union=union, name="Hội Nông dân tỉnh Quảng Ngãi")
    person = Person.objects.create(union=union, name="Phan Văn Quảng", agency=cast.outsider_agency)
    day = datetime.date(2022, 3, 1)
    return {
        "agency": cast.outsider_agency,
        "association": association,
        "person": person,
        "document": LegalDocument.objects.create(
            union=union,
            number_symbol="02/KH-LHH",
            doc_type="plan",
            issuer="LHH Quảng Ngãi",
            is_public=False,
            issued_on=day,
            summary="Kế hoạch nội bộ của Quảng Ngãi",
        ),  # fmt: skip
        "expert": contest_f.judge(union, "Nguyễn Quảng Ngãi"),
        "case": Case.objects.create(
            union=union,
            year=2022,
            seq=1,
            title="Đề án của tỉnh Quảng Ngãi",
            received_on=day,
            requesting_agency=cast.outsider_agency,
        ),  # fmt: skip
        "edition": contest_f.edition(cast, union=union, code="QN1"),
        "session": WorkSession.objects.create(union=union, title="Làm việc tại Quảng Ngãi", held_on=day),
    }


def build(cast: Cast) -> World:
    users: dict[str, User | None] = {
        "anonymous": None,
        "entrant": cast.entrant,
        "other_entrant": make_user("entrant.b", "Rơ Châm Ly", Role.ENTRANT, cast.union),
        "expert_council": cast.expert,
        "agency_rep": cast.agency_rep,
        "other_agency_rep": make_user(
            "rep.tumorong", "A Dũng", Role.AGENCY_REP, cast.union, agency=outreach_f.other_agency(cast)
        ),
        "staff": cast.staff,
        "leader": cast.leader,
        "union_admin": cast.union_admin,
        "outsider_staff": cast.outsider_staff,
        "platform_admin": cast.platform_admin,
        "national": cast.national,
    }
    journey = advisory_url_args._journey(cast)  # the case every advisory page of the matrix opens
    conflicted = journey.reviewers[0]  # Trần Thị Bình
    expert_services.declare_conflict(
        actor=cast.staff,
        union=cast.union,
        person=conflicted.person,
        item=journey.case,
        reason="Tham gia tổ soạn thảo đề án",
    )
    users["expert_conflicted"] = conflicted.person.user
    users["expert_outside"], _expert = _expert_user(cast, "cg.ngoai", "Đỗ Văn Ngoài")
    contest = _contest(cast, users)
    # The contest pages' sample arguments (tests/contests/url_args.py) read this world's objects.
    contest_url_args._cache.clear()
    contest_url_args._cache[(cast.union.pk, id(cast))] = contest
    assert set(users) == set(ROWS)
    for row, role in ROWS.items():
        if role and row != "platform_admin":
            held = Membership.objects.filter(user=users[row], role=role).exists()
            assert held, f"{row} should hold {role}"
    return World(cast=cast, users=users, case=journey.case, contest=contest)
