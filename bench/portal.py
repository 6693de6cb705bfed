"""Portal benchmark: time and queries of the public pages and the search on a few thousand articles and documents.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/portal.py [--articles 3000] [--documents 2000] [--requests 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_portal uv run python bench/portal.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["LIENHIEP_VAR_DIR"] = tempfile.mkdtemp(prefix="lienhiep-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienhiep.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from lienhiep.core.demo import _load_registry
    from lienhiep.core.models import Union
    from lienhiep.portal import demo
    from lienhiep.portal.models import Article, Certificate, LegalDocument

    started = time.perf_counter()
    with transaction.atomic():
        _load_registry()
        demo.load()
        union = Union.objects.get(slug="kontum")
        places = ["Tu Mơ Rông", "Đăk Tô", "Đăk Glei", "Ngọc Hồi", "Kon Plông", "Sa Thầy", "Đăk Hà", "Kon Rẫy"]
        now = timezone.now()
        for i in range(args.articles):
            place = places[i % len(places)]
            Article.objects.create(
                union=union,
                title=f"Làm việc với huyện {place} về đề án số {i}",
                lead=f"Liên hiệp hội làm việc với lãnh đạo huyện {place} để triển khai tư vấn, phản biện.",
                body=demo.BODY,
                status="published" if i % 10 else "draft",
                published_at=now - datetime.timedelta(hours=i),
            )
        for i in range(args.documents):
            LegalDocument.objects.create(
                union=union,
                number_symbol=f"{i}/{2000 + i % 25}/QĐ-UBND",
                doc_type="decision",
                issuer="UBND tỉnh Kon Tum",
                issued_on=datetime.date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
                summary=f"Về việc phê duyệt đề án phát triển kinh tế, xã hội huyện {places[i % len(places)]}",
            )
    print(
        f"data: {args.articles} articles, {args.documents} documents in {time.perf_counter() - started:.1f} s "
        f"on {connection.vendor}"
    )

    article = Article.objects.visible().filter(union=union).order_by("-published_at").first()
    code = Certificate.objects.filter(revoked_at__isnull=True).first().code
    pages = [
        ("news list", "/kontum/news/"),
        ("news list page 50", "/kontum/news/?page=50"),
        ("article", article.get_absolute_url()),
        ("feed", "/kontum/news/feed/"),
        ("documents 2017", "/kontum/documents/?year=2017"),
        ("search 'dak to'", "/kontum/search/?q=dak+to"),
        ("search 'tu mo rong'", "/kontum/search/?q=tu+mo+rong"),
        ("search '48/2017'", "/kontum/search/?q=48/2017"),
        ("search 'phan bien'", "/kontum/search/?q=phan+bien"),
        ("certificate check", f"/kontum/certificates/{code}/"),
    ]
    print(f"{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        times = []
        for n in range(args.requests):
            client = Client(REMOTE_ADDR=f"10.0.{n // 200}.{n % 200}")
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:24} {statistics.median(times):8.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
