"""Page benchmark of the foundation: time and queries of the registry pages on a few thousand rows.

Runs in-process through Django's test client (no HTTP server: this measures the application's own cost per
page, on the configured database). Usage:

    uv run python bench/pages.py [--agencies 2000] [--people 8000] [--requests 60]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench uv run python bench/pages.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=2000)
    parser.add_argument("--people", type=int, default=8000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["LIENHIEP_VAR_DIR"] = tempfile.mkdtemp(prefix="lienhiep-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienhiep.settings")
    os.environ["LIENHIEP_MFA_REQUIRED_ROLES"] = ""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    call_command("flush", interactive=False, verbosity=0) if os.environ.get("DATABASE_URL") else None
    call_command("migrate", verbosity=0)

    from lienhiep.core.demo import load_demo
    from lienhiep.core.models import Agency, Person, Union, User

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

    client = Client()
    client.force_login(
        User.objects.get(username="canbo"), backend="allauth.account.auth_backends.AuthenticationBackend"
    )
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
    print(f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        client.get(url)  # warm up
        timings = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(f"{label:<30} {statistics.median(timings):>8.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
