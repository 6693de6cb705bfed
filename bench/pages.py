"""Page benchmark of the foundation: time and queries of the registry pages on a few thousand rows.

Runs in-process through Django's test client (no HTTP server: this measures the application's own cost per
page, on the configured database). Usage:

    uv run python bench/pages.py [--agencies 2000] [--people 8000] [--requests 60] [--no-places]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench uv run python bench/pages.py

Then the pages of administrative units on the whole national tree (the package's 14,149 units before and after
the 2025 reform, imported on top of the demo's), each with the ratio to the trivial page (`/healthz`) measured in
the same run: its p50 over the page's p50, the share of the trivial page's throughput the page would reach.

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import statistics
import time

from inprocess import measure, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=2000)
    parser.add_argument("--people", type=int, default=8000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--no-places", action="store_true", help="without the national tree's unit pages")
    args = parser.parse_args()

    setup()
    from django.db import connection

    from lienhiep.core.models import Agency, Person, Union
    from lienhiep.devdata.demo import load_demo

    started = time.perf_counter()
    load_demo()
    union = Union.objects.get(slug="kontum")
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Y", "A"]
    middle = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quốc", ""]
    given = ["An", "Ánh", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hằng", "Khang", "Lan", "Nhung", "Sơn", "Thuận"]
    agencies = []
    for i in range(args.agencies):
        name = f"Trường Tiểu học số {i} xã Đăk Rơ Nga" if i % 2 else f"Phòng Kinh tế số {i} huyện Tu Mơ Rông"
        agency = Agency(union=union, name=name, kind=Agency.Kind.SCHOOL if i % 2 else Agency.Kind.DEPARTMENT)
        agency.fill_search_fields()
        agencies.append(agency)
    Agency.objects.bulk_create(agencies, batch_size=1000)
    agency_ids = list(Agency.objects.filter(union=union).values_list("id", flat=True))
    people = []
    for i in range(args.people):
        name = " ".join(filter(None, [family[i % 12], middle[i % 7], given[i % 13]]))
        person = Person(
            union=union, name=name, agency_id=agency_ids[i % len(agency_ids)], degree="TS" if i % 3 else "ThS"
        )
        person.fill_search_fields()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    print(
        f"data: {args.agencies} agencies, {args.people} people loaded in {time.perf_counter() - started:.1f} s "
        f"on {connection.vendor}"
    )

    staff = signed_in("canbo")
    pages = [
        ("public home of the Union", "/kontum/"),
        ("public document library", "/kontum/documents/?q=tu van"),
        ("staff dashboard", "/kontum/app/"),
        ("agencies list", "/kontum/app/agencies/"),
        ("agencies search 'dak ro'", "/kontum/app/agencies/?q=dak%20ro"),
        ("people list, page 40", "/kontum/app/people/?page=40"),
        ("people search 'nguyen an'", "/kontum/app/people/?q=nguyen%20an"),
        ("agency detail", f"/kontum/app/agencies/{agency_ids[0]}/"),
    ]
    measure([(label, lambda: staff, url) for label, url in pages], args.requests)
    if not args.no_places:
        place_pages(staff, args.requests)


def place_pages(client, requests: int) -> None:
    """`/places/<id>/` on the national tree: a province of 30 districts, one of 168 communes, the district with
    the most successors, the commune formed from the most predecessors; p50, p95, queries and the ratio to the
    trivial page of the same run."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from lienhiep.core import places
    from lienhiep.core.models import AdminUnit

    started = time.perf_counter()
    report = places.import_units(places.package_rows())
    assert report.ok, report.errors[:3]
    print(
        f"\nnational tree: {AdminUnit.objects.count():,} units ({report.summary()}) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    old, new = (
        AdminUnit.objects.filter(valid_to=places.LEGACY_VALID_TO),
        AdminUnit.objects.filter(valid_from=places.REFORM_DATE),
    )
    units = {
        "province before 2025 (Hà Nội, 30 districts)": old.get(level="province", code="01"),
        "province after 2025 (Hồ Chí Minh City, 168 communes: 2 pages)": new.get(level="province", code="79"),
        "district with the most successors": old.filter(level="district")
        .annotate(n=Count("successors"))
        .order_by("-n", "pk")
        .first(),
        "commune formed from the most predecessors": new.filter(level="commune")
        .annotate(n=Count("predecessors"))
        .order_by("-n", "pk")
        .first(),
    }

    def timed(url: str) -> tuple[float, float, int]:
        assert client.get(url).status_code == 200, url  # warm up
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], len(queries)

    trivial, trivial_p95, _ = timed("/healthz")
    print("| page | p50 ms | p95 ms | queries | ratio to trivial |\n|---|---|---|---|---|")
    print(f"| trivial `/healthz` | {trivial:.2f} | {trivial_p95:.2f} | 0 | 1 |")
    for label, unit in units.items():
        p50, p95, queries = timed(f"/places/{unit.pk}/")
        print(f"| {label}: {unit} | {p50:.1f} | {p95:.1f} | {queries} | {trivial / p50:.3f} |")


if __name__ == "__main__":
    main()
