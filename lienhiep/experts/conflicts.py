"""Conflicts of interest as data: who may act on which item, and if not, why.

An item (a draft under critique, a contest entry, a batch item standing for either) describes the parties
involved through `conflict_parties()`. The rules read declared relations, workplaces (and the agencies above
them), localities, authorship and declared conflicts — never names. `conflicts_for` answers for many items and
people at once with a fixed number of queries; `check` is the same answer for one person and one item."""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienhiep.core.models import AdminUnit, Agency, Person
from lienhiep.experts.models import ConflictDismissal, DeclaredConflict, Relation
from lienhiep.experts.parties import Parties


class Rule(models.TextChoices):
    AUTHOR = "author", gettext_lazy("Author or co-author of the item")
    MENTOR = "mentor", gettext_lazy("Guardian or guiding teacher of the entrant")
    REQUESTER = "requester", gettext_lazy("Works for the requesting or drafting body, or a body under it")
    RELATION = "relation", gettext_lazy("Declared relation with an author")
    WORKPLACE = "workplace", gettext_lazy("Same workplace or school as an author")
    LOCALITY = "locality", gettext_lazy("Works for the local authorities of the item's locality")
    DECLARED = "declared", gettext_lazy("Declared conflict")


# These can never be dismissed as false positives: they are facts about the item itself.
HARD_RULES = frozenset({Rule.AUTHOR, Rule.MENTOR, Rule.DECLARED})
# Bodies whose staff have a stake in their own locality's schemes.
LOCAL_AUTHORITY_KINDS = frozenset(
    {
        Agency.Kind.PARTY_COMMITTEE,
        Agency.Kind.PEOPLES_COUNCIL,
        Agency.Kind.PEOPLES_COMMITTEE,
        Agency.Kind.DEPARTMENT,
    }
)


@dataclasses.dataclass(frozen=True)
class Conflict:
    rule: str
    detail: str
    dismissed: str = ""  # the dismissal's reason when staff judged it a false positive

    @property
    def label(self) -> str:
        return str(Rule(self.rule).label)

    @property
    def dismissable(self) -> bool:
        return self.rule not in HARD_RULES

    @property
    def blocks(self) -> bool:
        return not self.dismissed


@dataclasses.dataclass(frozen=True)
class Verdict:
    allowed: bool
    conflicts: list[Conflict]

    @property
    def blocking(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.blocks]

    def reasons(self) -> str:
        return "; ".join(f"{c.label}: {c.detail}" for c in self.blocking)


def conflicts_for(
    parties_list: Sequence[Parties], person_ids: Iterable[int]
) -> dict[tuple[tuple[int, int], int], list[Conflict]]:
    """Every conflict between the given items and people: {(item key, person id): [conflicts]}.

    Dismissed conflicts are included with their dismissal reason (they no longer block)."""
    person_ids = set(person_ids)
    if not parties_list or not person_ids:
        return {}
    involved = {pid for p in parties_list for pid in (*p.authors, *p.mentors)}
    people = {
        row["pk"]: row for row in Person.objects.filter(pk__in=person_ids | involved).values("pk", "name", "agency_id")
    }
    union_ids = {p.item.union_id for p in parties_list}
    agencies = {
        row["pk"]: row
        for row in Agency.objects.filter(union_id__in=union_ids).values(
            "pk", "name", "parent_id", "kind", "admin_unit_id"
        )
    }
    unit_parent = _unit_parents({a["admin_unit_id"] for a in agencies.values()} | {p.locality for p in parties_list})

    relations: dict[int, dict[int, str]] = defaultdict(dict)  # person → {related person: kind label}
    for rel in Relation.objects.filter(
        models.Q(person_id__in=involved, other_id__in=person_ids)
        | models.Q(other_id__in=involved, person_id__in=person_ids)
    ).values("person_id", "other_id", "kind"):
        label = str(Relation.Kind(rel["kind"]).label)
        relations[rel["person_id"]][rel["other_id"]] = label
        relations[rel["other_id"]][rel["person_id"]] = label

    keys = {p.key for p in parties_list}
    item_filter = models.Q()
    for type_id, item_id in keys:
        item_filter |= models.Q(item_type_id=type_id, item_id=item_id)
    declared = defaultdict(list)
    for row in DeclaredConflict.objects.filter(item_filter, person_id__in=person_ids).values(
        "item_type_id", "item_id", "person_id", "reason"
    ):
        declared[((row["item_type_id"], row["item_id"]), row["person_id"])].append(row["reason"])
    dismissed = {
        ((row["item_type_id"], row["item_id"]), row["person_id"], row["rule"]): row["reason"]
        for row in ConflictDismissal.objects.filter(item_filter, person_id__in=person_ids, withdrawn_at=None).values(
            "item_type_id", "item_id", "person_id", "rule", "reason"
        )
    }

    def agency_chain(agency_id: int | None) -> list[int]:
        chain = []
        while agency_id and agency_id not in chain:
            chain.append(agency_id)
            agency_id = agencies.get(agency_id, {}).get("parent_id")
        return chain

    def unit_chain(unit_id: int | None) -> list[int]:
        chain = []
        while unit_id and unit_id not in chain:
            chain.append(unit_id)
            unit_id = unit_parent.get(unit_id)
        return chain

    def name_of(person_id: int) -> str:
        return people.get(person_id, {}).get("name", "?")

    result: dict[tuple[tuple[int, int], int], list[Conflict]] = {}
    for parties in parties_list:
        key = parties.key
        author_workplaces = defaultdict(list)
        for author in parties.authors:
            if workplace := people.get(author, {}).get("agency_id"):
                author_workplaces[workplace].append(name_of(author))
        for pid in person_ids:
            found: list[tuple[str, str]] = []
            if pid in parties.authors:
                found.append((Rule.AUTHOR, _("%(name)s is an author of this item") % {"name": name_of(pid)}))
            if pid in parties.mentors:
                found.append((Rule.MENTOR, _("%(name)s guides the entrant") % {"name": name_of(pid)}))
            workplace = people.get(pid, {}).get("agency_id")
            chain = agency_chain(workplace)
            for agency_id in parties.agencies:
                if agency_id in chain:
                    found.append(
                        (
                            Rule.REQUESTER,
                            _("works at %(workplace)s, which is or is under %(body)s")
                            % {"workplace": agencies[workplace]["name"], "body": agencies[agency_id]["name"]},
                        )
                    )
                    break
            for author in parties.authors:
                if author != pid and (kind := relations.get(pid, {}).get(author)):
                    found.append((Rule.RELATION, f"{kind}: {name_of(author)}"))
            if workplace in author_workplaces and pid not in parties.authors:
                found.append(
                    (
                        Rule.WORKPLACE,
                        _("%(workplace)s, like %(authors)s")
                        % {
                            "workplace": agencies[workplace]["name"],
                            "authors": ", ".join(author_workplaces[workplace]),
                        },
                    )
                )
            if (
                parties.kind == "advisory"
                and not any(rule == Rule.REQUESTER for rule, _detail in found)  # said once is enough
                and parties.locality
                and workplace
                and agencies[workplace]["kind"] in LOCAL_AUTHORITY_KINDS
                and parties.locality in unit_chain(agencies[workplace]["admin_unit_id"])
            ):
                found.append((Rule.LOCALITY, agencies[workplace]["name"]))
            for reason in declared.get((key, pid), []):
                found.append((Rule.DECLARED, reason))
            if found:
                result[(key, pid)] = [
                    Conflict(rule, detail, "" if rule in HARD_RULES else dismissed.get((key, pid, rule), ""))
                    for rule, detail in found
                ]
    return result


def check(person: Person, item) -> Verdict:
    """May this person act on this item? If not, the conflicts say why (dismissed ones are listed, not blocking)."""
    parties = item.conflict_parties()
    conflicts = conflicts_for([parties], [person.pk]).get((parties.key, person.pk), [])
    return Verdict(allowed=not any(c.blocks for c in conflicts), conflicts=conflicts)


def blocked_pairs(parties_list: Sequence[Parties], person_ids: Iterable[int]) -> set[tuple[tuple[int, int], int]]:
    """(item key, person id) pairs that must not be assigned."""
    return {
        pair for pair, conflicts in conflicts_for(parties_list, person_ids).items() if any(c.blocks for c in conflicts)
    }


def _unit_parents(unit_ids: set) -> dict[int, int | None]:
    parents: dict[int, int | None] = {}
    todo = {u for u in unit_ids if u}
    while todo:  # one query per level (commune → district → province)
        rows = AdminUnit.objects.filter(pk__in=todo).values_list("pk", "parent_id")
        parents.update(rows)
        todo = {parent for _pk, parent in rows if parent and parent not in parents}
    return parents
