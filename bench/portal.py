"""Portal benchmark: time and queries of the public pages and the search on a few thousand articles and documents.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/portal.py [--articles 3000] [--documents 2000] [--requests 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_portal uv run python bench/portal.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import itertools
import time

from inprocess import measure, setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from lienhiep.core.models import Union
    from lienhiep.devdata import portal as demo
    from lienhiep.devdata.demo import _load_registry
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
    visitors = itertools.count()  # a new address per request: the certificate check's rate limit counts per address

    def anonymous():
        n = next(visitors)
        return Client(REMOTE_ADDR=f"10.{n // 40000}.{n // 200 % 200}.{n % 200}")

    measure([(label, anonymous, url) for label, url in pages], args.requests)


if __name__ == "__main__":
    main()
