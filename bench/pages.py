"""Page benchmark of the foundation: time and queries of the registry pages on a few thousand rows.

Runs in-process through Django's test client (no HTTP server: this measures the application's own cost per
page, on the configured database). Usage:

    uv run python bench/pages.py [--agencies 2000] [--people 8000] [--requests 60]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench uv run python bench/pages.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import time

from inprocess import measure, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=2000)
    parser.add_argument("--people", type=int, default=8000)
    parser.add_argument("--requests", type=int, default=60)
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


if __name__ == "__main__":
    main()
