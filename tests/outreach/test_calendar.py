"""Plans, their progress, the month calendar and the ICS feed (RFC 5545: CRLF, folding at 75 octets without
splitting a character, escaping, UID and DTSTAMP on every event; the private address works only by its token)."""

import datetime
import re

import pytest
from django.urls import reverse

from lienhiep.outreach import ics, services
from lienhiep.outreach.models import PlannedVisit, WorkPlan

from . import factories as f

pytestmark = pytest.mark.django_db


def unfold(body: str) -> list[str]:
    assert "\n" not in body.replace("\r\n", "")  # only CRLF line ends
    return body.replace("\r\n ", "").split("\r\n")


def check_rfc5545(body: str) -> list[dict]:
    assert body.endswith("\r\n")
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
        line.encode("utf-8").decode("utf-8")  # no character was cut in two
    lines = [line for line in unfold(body) if line]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    for event in events:
        assert event["UID"] and re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
        assert any(key.startswith("DTSTART") for key in event)
    assert len({e["UID"] for e in events}) == len(events)
    return events


def test_escaping_and_folding_by_octets():
    long_title = "Làm việc với Huyện ủy, UBND huyện Tu Mơ Rông; nội dung: tư vấn, phản biện\\giám định " * 3
    body = ics.calendar(
        [ics.Event(uid="a@b", start=datetime.date(2021, 11, 9), summary=long_title, description="dòng 1\ndòng 2")],
        name="Lịch",
        now=datetime.datetime(2021, 11, 1, tzinfo=datetime.UTC),
    )
    events = check_rfc5545(body)
    assert events[0]["SUMMARY"].startswith("Làm việc với Huyện ủy\\, UBND huyện Tu Mơ Rông\\; nội dung")
    assert "\\\\giám định" in events[0]["SUMMARY"]
    assert events[0]["DESCRIPTION"] == "dòng 1\\ndòng 2"
    assert events[0]["DTSTART;VALUE=DATE"] == "20211109" and events[0]["DTEND;VALUE=DATE"] == "20211110"
    assert events[0]["DTSTAMP"] == "20211101T000000Z"


def test_staff_ics_feed_lists_sessions_and_planned_visits(cast, client_for):
    visit = f.visit(cast, planned_on=datetime.date.today() + datetime.timedelta(days=5))
    session = f.session(cast, held_on=datetime.date.today(), starts_at=datetime.time(8, 30))
    response = client_for(cast.staff).get(reverse("outreach:calendar_ics", args=[cast.union.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = check_rfc5545(response.content.decode("utf-8"))
    uids = {e["UID"] for e in events}
    assert f"session-{session.pk}@kontum.lienhiep" in uids and f"visit-{visit.pk}@kontum.lienhiep" in uids
    timed = next(e for e in events if e["UID"].startswith("session-"))
    assert timed["DTSTART"].endswith("T013000Z")  # 08:30 in Vietnam is 01:30 UTC
    assert next(e for e in events if e["UID"].startswith("visit-"))["STATUS"] == "TENTATIVE"


def test_private_feed_address_works_by_token_and_stops_when_renewed_or_role_withdrawn(cast, client_for):
    from lienhiep.core.models import Membership

    f.session(cast, held_on=datetime.date.today())
    feed = services.calendar_feed_for(actor=cast.staff, union=cast.union)
    anonymous = client_for(None)
    address = reverse("outreach:calendar_feed", args=[cast.union.slug, feed.token])
    response = anonymous.get(address)
    assert response.status_code == 200 and response.content.decode().startswith("BEGIN:VCALENDAR")
    assert anonymous.get(reverse("outreach:calendar_feed", args=[cast.union.slug, "doan-bua"])).status_code == 404
    assert (
        anonymous.get(reverse("outreach:calendar_feed", args=[cast.outsider_union.slug, feed.token])).status_code == 404
    )
    renewed = services.calendar_feed_for(actor=cast.staff, union=cast.union, renew=True)
    assert anonymous.get(address).status_code == 404
    new_address = reverse("outreach:calendar_feed", args=[cast.union.slug, renewed.token])
    assert anonymous.get(new_address).status_code == 200
    Membership.objects.filter(user=cast.staff).update(is_active=False)
    assert anonymous.get(new_address).status_code == 404


def test_plan_progress_and_month_calendar(cast, client_for):
    plan = f.plan(cast)
    held = f.visit(cast, plan)
    f.session(cast, plan_visit=held)
    f.visit(cast, plan, planned_on=datetime.date(2021, 11, 30), note="Thành phố Kon Tum")
    assert [v.progress(datetime.date(2021, 11, 20)) for v in PlannedVisit.objects.order_by("planned_on")] == [
        "done",
        "scheduled",
    ]
    assert PlannedVisit.objects.get(note="Thành phố Kon Tum").progress(datetime.date(2021, 12, 1)) == "overdue"
    staff = client_for(cast.staff)
    page = staff.get(reverse("outreach:plan_detail", args=[cast.union.slug, plan.pk])).content.decode()
    assert "Thành phố Kon Tum" in page
    month = staff.get(reverse("outreach:calendar", args=[cast.union.slug]) + "?month=2021-11").content.decode()
    assert "Làm việc với UBND huyện Đăk Tô" in month and "Thành phố Kon Tum" not in month  # not a title
    assert "30/11/2021" in month or "huyện Đăk Tô" in month


def test_staff_create_a_plan_and_a_visit_through_the_pages(cast, client_for):
    staff = client_for(cast.staff)
    response = staff.post(
        reverse("outreach:plan_create", args=[cast.union.slug]),
        {"title": "Kế hoạch năm 2022", "starts_on": "2022-01-01", "ends_on": "2021-12-31"},
    )
    assert response.status_code == 200  # ends before it starts
    response = staff.post(
        reverse("outreach:plan_create", args=[cast.union.slug]),
        {"title": "Kế hoạch năm 2022", "starts_on": "2022-01-01", "ends_on": "2022-12-31"},
    )
    assert response.status_code == 302
    plan = WorkPlan.objects.get()
    add = reverse("outreach:visit_create", args=[cast.union.slug, plan.pk])
    outside = staff.post(add, {"planned_on": "2023-03-01", "admin_unit": cast.district.pk, "topics": ["role"]})
    assert outside.status_code == 200 and not plan.visits.exists()
    # Đăk Tô district was abolished on 1/7/2025: a 2022 visit may name it, a later one may not
    ok = staff.post(
        add,
        {
            "planned_on": "2022-03-01",
            "admin_unit": cast.district.pk,
            "topics": ["role", "contests"],
            "agencies": [cast.agency.pk],
        },
    )
    assert ok.status_code == 302
    visit = plan.visits.get()
    assert visit.topics == ["role", "contests"] and list(visit.agencies.all()) == [cast.agency]


def test_the_locality_list_opens_with_todays_units_and_an_abolished_one_names_its_successor(cast, client_for):
    import datetime as dt

    from lienhiep.core.models import AdminUnit
    from lienhiep.outreach.forms import locality_choices

    commune = AdminUnit.objects.create(
        code="23500", name="Xã Đăk Tô", short_name="Đăk Tô", kind="Xã", level="commune",
        parent=cast.district.parent, valid_from=dt.date(2025, 7, 1),
    )  # fmt: skip
    cast.district.successors.add(commune)
    units = list(locality_choices(cast.union))
    assert units.index(commune) < units.index(cast.district)  # today's units before the abolished ones
    staff = client_for(cast.staff)
    staff.post(
        reverse("outreach:plan_create", args=[cast.union.slug]),
        {"title": "Kế hoạch năm 2025", "starts_on": "2025-01-01", "ends_on": "2025-12-31"},
    )
    plan = WorkPlan.objects.get()
    add = reverse("outreach:visit_create", args=[cast.union.slug, plan.pk])
    page = staff.post(add, {"planned_on": "2025-08-01", "admin_unit": cast.district.pk, "topics": ["role"]})
    text = page.content.decode()
    assert page.status_code == 200 and not plan.visits.exists()
    assert "Huyện Đăk Tô không còn tồn tại vào ngày 01/08/2025 (đã giải thể sau ngày 30/06/2025)." in text
    assert f"Chọn đơn vị thay thế: {commune.full_path()}." in text
