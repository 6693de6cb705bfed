"""Reads the expert pages share: the registry search with its filters, and the record of past work."""

from django.db.models import Count, F, Max, Q, QuerySet

from lienhiep.core.models import Person, Union
from lienhiep.core.params import QueryParams
from lienhiep.core.queries import search
from lienhiep.experts.models import Engagement, Expert


def experts_of(union: Union, *, places: bool = True) -> QuerySet[Expert]:
    """The Union's experts by name with what their pages show; places=False leaves out the locality's chain and
    the workplace's unit, which the list does not show (four joins fewer: the planner's time was most of the
    list's query on PostgreSQL)."""
    related = ["person__agency", "person__association"]
    if places:
        related += ["person__agency__admin_unit", "locality__parent__parent__parent"]
    return (
        Expert.objects.filter(union=union)
        .select_related(*related)
        .prefetch_related("fields")
        .order_by("person__sort_key")
    )


FILTERS = ("q", "field", "degree", "association", "locality", "availability")


def read_filters(params: QueryParams) -> dict:
    """The registry's filters from the address, each checked: an invalid one is ignored (with the notice)."""
    return {
        "q": params.text("q"),
        "field": params.id("field"),
        "degree": params.choice("degree", [*Person.AcademicTitle.values, *Person.Degree.values]),
        "association": params.id("association"),
        "locality": params.id("locality"),
        "availability": params.choice("availability", Expert.Availability.values),
    }


def filter_experts(queryset: QuerySet[Expert], filters: dict) -> QuerySet[Expert]:
    """Search (diacritics optional) and filter by field, degree or title, association, locality, availability;
    `filters` as read_filters gives them."""
    if q := filters.get("q"):
        queryset = search(queryset, q, "search_folded")
    field, association, locality = (filters.get(key) for key in ("field", "association", "locality"))
    if field:
        queryset = queryset.filter(fields=field)
    if degree := filters.get("degree"):
        queryset = queryset.filter(Q(person__degree=degree) | Q(person__academic_title=degree))
    if association:
        queryset = queryset.filter(person__association=association)
    if locality:
        in_unit = Q()
        for prefix in ("locality", "person__agency__admin_unit"):  # the unit itself, or a commune under it
            in_unit |= Q(**{prefix: locality}) | Q(**{f"{prefix}__parent": locality})
        queryset = queryset.filter(in_unit)
    if availability := filters.get("availability"):
        queryset = queryset.filter(availability=availability)
    return queryset.distinct() if field else queryset


def work_record(expert_ids) -> dict[int, dict]:
    """Past work per expert in one query: engagements, done, done on time, last assigned."""
    rows = (
        Engagement.objects.filter(expert__in=list(expert_ids))
        .values("expert")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(completed_on__isnull=False)),
            on_time=Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=F("due_on"))),
            last=Max("assigned_on"),
        )
    )
    return {row["expert"]: row for row in rows}


def experts_to_choose(union: Union) -> QuerySet[Expert]:
    """The experts a staff form offers for new work (a council's seat, a conflict to record): the Union's experts
    but those who said they take no work, by name; the experts picker (experts:pick) searches the same."""
    return (
        Expert.objects.filter(union=union)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("person__agency")
        .order_by("person__sort_key")
    )
