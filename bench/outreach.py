"""Outreach benchmark: time and queries of the outreach pages on a few thousand sessions and action items.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/outreach.py [--sessions 2000] [--items 6000] [--requests 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_outreach uv run python bench/outreach.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import time

from inprocess import measure, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--items", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    setup()
    from django.db import connection, transaction

    from lienhiep.core.models import Agency, Person, Union
    from lienhiep.devdata.demo import _load
    from lienhiep.outreach.models import ActionItem, LocalProject, WorkSession
    from lienhiep.outreach.reminders import send_reminders

    started = time.perf_counter()
    with transaction.atomic():
        _load()
        union = Union.objects.get(slug="kontum")
        agencies = list(Agency.objects.filter(union=union))
        people = list(Person.objects.filter(union=union))
        units = [a.admin_unit for a in agencies if a.admin_unit_id]
        day = datetime.date(2021, 1, 1)
        sessions = WorkSession.objects.bulk_create(
            WorkSession(
                union=union,
                title=f"Làm việc với địa phương số {i}",
                search_folded=f"lam viec voi dia phuong so {i}",
                held_on=day + datetime.timedelta(days=i % 1500),
                admin_unit=units[i % len(units)],
            )
            for i in range(args.sessions)
        )
        through = WorkSession.agencies.through
        through.objects.bulk_create(
            through(worksession_id=s.pk, agency_id=agencies[i % len(agencies)].pk) for i, s in enumerate(sessions)
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                union=union,
                session=sessions[i % len(sessions)],
                title=f"Việc số {i}",
                owner_agency=agencies[i % len(agencies)] if i % 3 else None,
                owner_person=None if i % 3 else people[i % len(people)],
                locality=units[i % len(units)],
                due_on=day + datetime.timedelta(days=i % 2500),
                status=["open", "in_progress", "done"][i % 3],
            )
            for i in range(args.items)
        )
        LocalProject.objects.bulk_create(
            LocalProject(
                union=union,
                name=f"Đề án số {i}",
                search_folded=f"de an so {i}",
                owner_agency=agencies[i % len(agencies)],
            )
            for i in range(args.sessions // 2)
        )
    generated = time.perf_counter() - started

    staff, rep = signed_in("canbo"), signed_in("daidien.dakto")
    base = "/kontum/app/outreach"
    pages = [
        ("sessions list (staff)", staff, f"{base}/sessions/"),
        ("sessions search 'dia phuong 19'", staff, f"{base}/sessions/?q=dia+phuong+19"),
        ("sessions list (agency representative)", rep, f"{base}/sessions/"),
        ("action items, overdue filter", staff, f"{base}/actions/?status=overdue"),
        ("action items (agency representative)", rep, f"{base}/actions/"),
        ("overdue by owner and locality", staff, f"{base}/actions/overdue/"),
        ("work by locality", staff, f"{base}/localities/"),
        ("month calendar", staff, f"{base}/calendar/?month=2022-03"),
        ("ICS feed (3 years)", staff, f"{base}/calendar.ics"),
        ("local projects", staff, f"{base}/projects/"),
        ("dashboard", staff, "/kontum/app/"),
    ]
    print(f"{args.sessions} sessions, {args.items} action items; generated in {generated:.1f} s on {connection.vendor}")
    measure([(label, lambda client=client: client, url) for label, client, url in pages], args.requests)
    t = time.perf_counter()
    with transaction.atomic():
        sent = send_reminders(datetime.date(2022, 6, 1))
    print(f"reminders for one day: {sent} sent in {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
