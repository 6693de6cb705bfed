"""OneQuery: counts, rows and model instances of several querysets read in one query, with their Python types (on
SQLite and on PostgreSQL: run with DATABASE_URL=postgres://... for the second)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Value
from django.db.models.functions import ExtractMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lienhiep.core.models import ActivityLog, Agency, Person
from lienhiep.core.onequery import OneQuery, resolve
from lienhiep.outreach.models import ActionItem
from tests.outreach import factories as outreach_f

pytestmark = pytest.mark.django_db


def test_counts_lists_and_objects_of_several_tables_in_one_query(cast):
    moment = timezone.now().replace(microsecond=123456)
    for i in range(3):
        ActivityLog.objects.create(
            union=cast.union, actor=cast.staff, verb="test", message=f'Việc «{i}» "xong"', created_at=moment
        )
    outreach_f.action_item(cast, due_on=datetime.date(2022, 2, 10), title="Sửa đường Đăk Tô")
    reads = OneQuery()
    with CaptureQueriesContext(connection) as queries:
        agencies = reads.count(Agency.objects.filter(union=cast.union))
        logs = reads.rows(
            ActivityLog.objects.filter(union=cast.union, verb="test").values(
                "message", "created_at", "actor__full_name"
            ),
            limit=2,
        )
        items = reads.objects(
            ActionItem.objects.filter(union=cast.union),
            ["id", "title", "due_on", "status"],
            owner_name="owner_agency__name",
        )
        nothing = reads.objects(Person.objects.filter(pk__in=[]), ["id", "name"])
        none_counted = reads.count(Person.objects.none())
        data = {"lists": [logs, {"n": agencies}], "items": items}
        reads.run()
    assert len(queries) == 1
    assert agencies.value == Agency.objects.filter(union=cast.union).count() > 0
    assert len(logs.value) == 2
    first = logs.value[0]
    assert first["created_at"] == moment and first["actor__full_name"] == cast.staff.full_name
    assert first["message"] in {f'Việc «{i}» "xong"' for i in range(3)}
    (item,) = items.value
    assert isinstance(item, ActionItem) and item.title == "Sửa đường Đăk Tô"
    assert (
        item.due_on == datetime.date(2022, 2, 10) and item.get_status_display() and item.owner_name == cast.agency.name
    )
    assert nothing.value == [] and none_counted.value == 0
    resolved = resolve(data)
    assert resolved["lists"][1]["n"] == agencies.value and resolved["items"] == items.value
    with CaptureQueriesContext(connection) as queries:
        item.locality_id  # noqa: B018 (not loaded: read when asked, as with only())
    assert len(queries) == 1


def test_grouped_and_combined_rows_keep_their_types(cast):
    for due in (datetime.date(2022, 2, 10), datetime.date(2022, 2, 20), datetime.date(2022, 5, 1)):
        outreach_f.action_item(cast, due_on=due, title=f"Việc {due}")
    items = ActionItem.objects.filter(union=cast.union).order_by()
    by_month = (
        items.annotate(what=Value(0), month=ExtractMonth("due_on")).values("what", "month").annotate(n=Count("pk"))
    )
    done = (
        items.filter(status=ActionItem.Status.DONE)
        .annotate(what=Value(1), month=ExtractMonth("due_on"))
        .values("what", "month")
        .annotate(n=Count("pk"))
    )
    reads = OneQuery()
    rows = reads.rows(by_month.union(done, all=True).order_by())
    empty = reads.rows(items.filter(pk__in=[]).values("title"))
    reads.run()
    assert sorted((r["what"], r["month"], r["n"]) for r in rows.value) == [(0, 2, 2), (0, 5, 1)]
    assert empty.value == []


def test_nothing_asked_reads_nothing():
    reads = OneQuery()
    with CaptureQueriesContext(connection) as queries:
        reads.run()
    assert len(queries) == 0
