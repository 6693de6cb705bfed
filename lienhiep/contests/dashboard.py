from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils import timezone

from lienhiep.contests import queries, todo
from lienhiep.contests.models import Edition, Entry
from lienhiep.core.models import Person
from lienhiep.core.onequery import OneQuery


def section(request: HttpRequest, reads: OneQuery) -> dict:
    """Staff: editions under way and overdue judges. Judges: the score sheets waiting for them (late in red).
    Entrants: their entries and the editions open for registration. Read with the dashboard's one query."""

    union, user = request.union, request.user
    today, now = timezone.localdate(), timezone.now()
    result: dict = {}
    if user.has_perm("contests.oversee_contests", union):
        under_way = Edition.objects.filter(union=union).exclude(status=Edition.Status.PUBLISHED)
        result["editions"] = reads.objects(
            under_way.order_by("-registration_opens_at", "-pk"),
            ["id", "title", "status", "registration_opens_at"],
            limit=5,
            n=Count("entries", filter=~Q(entries__status=Entry.Status.DRAFT)),
        )
        # counted per judge on the sheets alone, each judge's name read for the judges counted: joining the names
        # first made PostgreSQL hash the national registry of experts (13 → 3 ms on the national data)
        name = Person.objects.filter(expert=OuterRef("expert")).order_by().values("name")[:1]
        late = todo.late_sheets(union, today).values("expert").annotate(n=Count("pk"), name=Subquery(name))
        result["overdue"] = reads.rows(late.order_by("-n", "name"), limit=10)
    if user.has_perm("contests.judge", union):
        result["judging"] = reads.objects(
            todo.sheets_to_score(user, union),
            ["id", "entry_id", "round_id"],
            limit=20,
            related={"entry": ["id", "number", "title"], "round": ["id", "name", "due_on", "status"]},
        ).then(lambda sheets: [todo.sheet_todo(sheet, union, today) for sheet in sheets])
    if user.has_perm("contests.enter_contests", union):
        mine = queries.entries_for(user, union).order_by("-created_at", "-pk")
        result["my_entries"] = reads.objects(mine, ["id", "number", "title", "status"], limit=10)
        open_editions = Edition.objects.filter(union=union, status=Edition.Status.OPEN).order_by("pk")
        result["open_editions"] = reads.objects(
            open_editions, ["id", "title", "status", "registration_opens_at", "registration_closes_at"]
        ).then(lambda editions: [e for e in editions if e.registration_is_open(now)])
    return result
