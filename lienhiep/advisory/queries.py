"""Who sees which case and what in it: staff see every case of their Union; an agency representative their
agency's requests; an expert the cases they sit on. Another Union's case is a 404 like a missing one."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from lienhiep.advisory.models import AssessmentEntry, Case, Comment, Recommendation, Seat, Status
from lienhiep.core.models import Union
from lienhiep.core.rules import is_editor, is_union_staff, read_once_per_union, represented_agency_ids
from lienhiep.experts import conflicts
from lienhiep.experts.models import Expert
from lienhiep.experts.parties import Parties


def expert_ids_of(user, union: Union) -> list[int]:
    """The expert records of the user in the Union (through their Person), read once per request."""
    return read_once_per_union(
        user,
        "_advisory_experts",
        union,
        lambda: list(Expert.objects.filter(union=union, person__user=user).values_list("pk", flat=True)),
    )


def cases_for(user, union: Union) -> QuerySet[Case]:
    """The cases the user may open."""
    queryset = Case.objects.filter(union=union)
    if is_union_staff(user, union):
        return queryset
    query = Q(pk__in=[])
    agencies = represented_agency_ids(user, union)
    if agencies:
        query |= Q(requesting_agency__in=agencies)
    experts = expert_ids_of(user, union)
    if experts:
        query |= Q(pk__in=Seat.objects.filter(expert__in=experts).values("case"))
    return queryset.filter(query)


def get_case_for(user, union: Union, pk) -> Case:
    """The one fetch-and-check of a case: a case the user may not see is a 404."""
    case = (
        cases_for(user, union)
        .filter(pk=pk)
        .select_related("requesting_agency", "drafting_agency", "admin_unit__parent", "original_case", "signatory")
        .first()
    )
    if case is None:
        raise Http404
    if not may_open_case(user, case):
        raise PermissionDenied
    return case


def may_open_case(user, case: Case) -> bool:
    """Staff, the leader and the administrator; the requesting agency; a council member, until a conflict of
    interest appears after they were seated (a relation or a declaration recorded later): they then lose every page
    of the case, not only the draft. The permission `advisory.view_case` (rules.py); a list asks
    `cases_closed_to` once for all its rows."""
    union = Union(pk=case.union_id)  # only its id is read: no query per row where a list asks case by case
    if is_union_staff(user, union) or represents(user, case):
        return True
    return seat_of(user, case) is not None and case.pk not in cases_closed_to(user, union, [case])


def cases_closed_to(user, union: Union, cases: list[Case]) -> set[int]:
    """Of these cases (ones the user sees in a list), those they may not open: where they sit on the council only,
    and a conflict of interest appeared after they were seated. A fixed number of queries for the whole list."""
    if is_union_staff(user, union):
        return set()
    experts = expert_ids_of(user, union)
    agencies = set(represented_agency_ids(user, union))
    seated = [case for case in cases if case.requesting_agency_id not in agencies]
    if not experts or not seated:
        return set()

    people = dict(Seat.objects.filter(case__in=seated, expert__in=experts).values_list("case_id", "expert__person_id"))
    parties = [case.conflict_parties() for case in Case.objects.filter(pk__in=people).prefetch_related("authors")]
    return closed_by_conflict(parties, people)


def closed_by_conflict(parties: list[Parties], people: dict[int, int]) -> set[int]:
    """Of these cases (their parties), those where the person seated on the council ({case id: person id}) has a
    conflict of interest that blocks: the cases closed to them."""
    blocked = conflicts.blocked_pairs(parties, set(people.values()))
    return {key[1] for key, person in blocked if people.get(key[1]) == person}


def seat_of(user, case: Case) -> Seat | None:
    experts = expert_ids_of(user, Union(pk=case.union_id))
    if not experts:
        return None
    return Seat.objects.filter(case=case, expert__in=experts).select_related("expert__person").first()


def represents(user, case: Case) -> bool:
    return case.requesting_agency_id is not None and case.requesting_agency_id in represented_agency_ids(
        user, Union(pk=case.union_id)
    )


def may_open_draft(user, case: Case) -> bool:
    """Staff always; the requesting agency (its own draft); council members while the case lets them and as long
    as no conflict of interest has appeared since they were seated (a relation or a declaration recorded later)."""
    if is_union_staff(user, case.union) or represents(user, case):
        return True
    if not case.members_may_open_draft():
        return False
    seat = seat_of(user, case)
    if seat is None:
        return False

    return conflicts.check(seat.expert.person, case).allowed


def may_read_annotated_draft(user, case: Case) -> bool:
    """The draft page, paragraphs with the council's comments: staff and the council's members, as far as
    `may_open_draft` lets them; not the requesting agency, which downloads its own draft's file. The case page
    links to the draft page only for them."""
    return (is_union_staff(user, case.union) or seat_of(user, case) is not None) and may_open_draft(user, case)


def may_consolidate(user, case: Case) -> bool:
    """Staff, or the council's secretary."""
    if is_editor(user, case.union):
        return True
    seat = seat_of(user, case)
    return seat is not None and seat.role == Seat.Role.SECRETARY


def visible_comments(user, case: Case) -> QuerySet[Comment]:
    """Staff see every comment; a member their own, and the others' once the case is being consolidated if the
    Union chose to share them."""
    comments = Comment.objects.filter(case=case).select_related("seat__expert__person", "paragraph")
    if is_union_staff(user, case.union):
        return comments
    seat = seat_of(user, case)
    if seat is None:
        return comments.none()
    shared = case.share_comments and case.status not in (Status.COUNCIL_FORMED, Status.REVIEWING)
    if shared or seat.role == Seat.Role.SECRETARY and case.status != Status.REVIEWING:
        return comments
    return comments.filter(seat=seat)


def seats_of(case: Case) -> list[Seat]:
    order = {role: i for i, role in enumerate(Seat.ROLE_ORDER)}
    seats = list(case.seats.select_related("expert__person__agency", "review"))
    seats.sort(key=lambda s: (order.get(s.role, 9), s.expert.person.sort_key))
    return seats


def overdue_cases(union: Union, today: datetime.date | None = None) -> QuerySet[Case]:
    today = today or datetime.date.today()
    return (
        Case.objects.filter(union=union, stage_due_on__lt=today)
        .exclude(status__in=[Status.CLOSED, Status.DECLINED, Status.WITHDRAWN, Status.ANSWERED, Status.ASSESSED])
        .select_related("requesting_agency")
        .order_by("stage_due_on", "pk")
    )


def recommendations_with_latest(case: Case) -> list[Recommendation]:
    """The case's recommendations, each with `.latest` (its newest implementation check or None)."""
    recommendations = list(
        case.recommendations.prefetch_related(
            Prefetch("assessments", queryset=AssessmentEntry.objects.order_by("-checked_on", "-pk")),
            "paragraphs",
            "reviews__seat__expert__person",
        )
    )
    for rec in recommendations:
        checks = list(rec.assessments.all())
        rec.latest = checks[0] if checks else None
    return recommendations


@dataclass
class RollUp:
    percent: float | None  # weighted by priority over the recommendations checked
    checked: int
    total: int


def implementation_rollup(recommendations: list[Recommendation]) -> RollUp:
    """Σ weight × latest progress / Σ weight over the recommendations the agency did not refuse."""
    counted = [r for r in recommendations if r.response != Recommendation.Response.NOT_ACCEPTED]
    checked = [r for r in counted if getattr(r, "latest", None) is not None]
    total_weight = sum(r.weight for r in counted)
    if not checked or not total_weight:
        return RollUp(None, len(checked), len(counted))
    score = sum(r.weight * r.latest.percent for r in checked)
    return RollUp(round(score / total_weight, 1), len(checked), len(counted))


@dataclass
class Acceptance:
    accepted: int = 0
    partly: int = 0
    not_accepted: int = 0
    unanswered: int = 0

    @property
    def answered(self) -> int:
        return self.accepted + self.partly + self.not_accepted

    @property
    def rate(self) -> float | None:
        """Accepted in full count 1, partly accepted ½, over the answered recommendations (percent)."""
        if not self.answered:
            return None
        return round(100 * (self.accepted + self.partly / 2) / self.answered, 1)


def acceptance(queryset: QuerySet[Recommendation]) -> Acceptance:
    counts = dict(queryset.values("response").annotate(n=Count("pk")).values_list("response", "n"))
    return Acceptance(
        accepted=counts.get(Recommendation.Response.ACCEPTED, 0),
        partly=counts.get(Recommendation.Response.PARTLY, 0),
        not_accepted=counts.get(Recommendation.Response.NOT_ACCEPTED, 0),
        unanswered=counts.get("", 0),
    )


def acceptance_by(queryset: QuerySet[Recommendation], key: str) -> dict:
    """{key value: Acceptance} in one query, e.g. key="case__requesting_agency__name"."""
    result: dict = defaultdict(Acceptance)
    for value, response, n in queryset.values_list(key, "response").annotate(n=Count("pk")).order_by():
        row = result[value]
        attr = {"accepted": "accepted", "partly": "partly", "not_accepted": "not_accepted"}.get(response, "unanswered")
        setattr(row, attr, getattr(row, attr) + n)
    return dict(result)
