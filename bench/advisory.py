"""Advisory benchmark: time and queries of the advisory pages on a few thousand cases, and the council proposal.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/advisory.py [--cases 2000] [--requests 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_advisory uv run python bench/advisory.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import statistics
import time

from inprocess import measure, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    setup()
    from django.db import connection, transaction

    from lienhiep.advisory import services, services_council
    from lienhiep.advisory.models import Case, Recommendation, Status
    from lienhiep.core.models import Agency, Union, User
    from lienhiep.devdata.demo import _load
    from lienhiep.experts.models import Field

    started = time.perf_counter()
    with transaction.atomic():
        _load()
        union = Union.objects.get(slug="kontum")
        agencies = list(Agency.objects.filter(union=union))
        fields = list(Field.objects.filter(union=union))
        statuses = [s for s in Status if s not in (Status.DECLINED, Status.WITHDRAWN)]
        day = datetime.date(2022, 1, 1)
        first_seq = {}
        cases = []
        for i in range(args.cases):
            received = day + datetime.timedelta(days=i % 1400)
            first_seq[received.year] = first_seq.get(received.year, 100) + 1
            agency = agencies[i % len(agencies)]
            cases.append(
                Case(
                    union=union,
                    kind=["critique", "consulting", "assessment"][i % 3],
                    year=received.year,
                    seq=first_seq[received.year],
                    title=f"Đề án phát triển kinh tế - xã hội số {i}",
                    search_folded=f"de an phat trien kinh te xa hoi so {i}",
                    requesting_agency=agency,
                    admin_unit=agency.admin_unit,
                    received_on=received,
                    status=statuses[i % len(statuses)],
                    stage_due_on=received + datetime.timedelta(days=30),
                    sent_on=received + datetime.timedelta(days=40 + i % 40),
                )
            )
        cases = Case.objects.bulk_create(cases)
        through = Case.fields.through
        through.objects.bulk_create(
            through(case_id=c.pk, field_id=fields[i % len(fields)].pk) for i, c in enumerate(cases)
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                union=union,
                case=c,
                number=n,
                text=f"Kiến nghị {n}",
                response=["accepted", "partly", "not_accepted", ""][(i + n) % 4],
            )
            for i, c in enumerate(cases)
            for n in (1, 2, 3)
        )
    generated = time.perf_counter() - started

    staff, rep, expert = signed_in("canbo"), signed_in("daidien.dakto"), signed_in("chuyengia")
    base = "/kontum/app/advisory"
    demo_case = Case.objects.filter(union=union, status=Status.ASSESSED, seq__lt=100).first()
    pages = [
        ("cases list (staff)", staff, f"{base}/cases/"),
        ("cases, overdue filter", staff, f"{base}/cases/?status=overdue"),
        ("cases search 'kinh te 19'", staff, f"{base}/cases/?q=kinh+te+19"),
        ("cases list (agency representative)", rep, f"{base}/cases/"),
        ("cases list (expert)", expert, f"{base}/cases/"),
        ("case page with timeline", staff, f"{base}/cases/{demo_case.pk}/"),
        ("annual statistics (2023)", staff, f"{base}/stats/?year=2023"),
        ("statistics as Excel (2023)", staff, f"{base}/stats.xlsx?year=2023"),
        ("dashboard", staff, "/kontum/app/"),
    ]
    print(
        f"{args.cases} cases, {3 * args.cases} recommendations; generated in {generated:.1f} s on {connection.vendor}"
    )
    measure([(label, lambda client=client: client, url) for label, client, url in pages], args.requests)

    # The council proposal for one case against the whole demo registry (53 experts).
    staff_user = User.objects.get(username="canbo")
    case = Case.objects.get(union=union, status=Status.RECEIVED, seq__lt=100)
    with transaction.atomic():
        services.accept_case(case, actor=staff_user)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            result = services_council.propose_council(case, actor=staff_user, size=5)
            times.append((time.perf_counter() - t) * 1000)
        transaction.set_rollback(True)
    print(f"council proposal (5 seats, {len(result['blocked'])} excluded): median {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
