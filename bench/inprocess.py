"""What the in-process page benchmarks share: a database to fill, and the timing of pages through the test client.

On SQLite the benchmark works in a temporary var/ directory; with DATABASE_URL set it uses (and empties) that
database. Pages are served by Django's test client in this process: the application's own cost per page, without
an HTTP server in front."""

import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup() -> None:
    """Configure Django for a benchmark run and leave an empty, migrated database."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["LIENHIEP_VAR_DIR"] = tempfile.mkdtemp(prefix="lienhiep-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienhiep.settings")
    os.environ["LIENHIEP_MFA_REQUIRED_ROLES"] = ""
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # static files are not collected here
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def signed_in(username: str):
    """A test client signed in as one of the demo users."""
    from django.test import Client

    from lienhiep.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username), backend="lienhiep.core.auth.AuthenticationBackend")
    return client


def measure(pages: list[tuple[str, Callable[[], object], str]], requests: int) -> None:
    """Print p50, p95 and the query count of each page as a Markdown table. Each page is (label, a function
    returning the client for one request, URL); every response must be a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("| page | p50 ms | p95 ms | queries |\n|---|---|---|---|")
    for label, client_for_request, url in pages:
        assert client_for_request().get(url).status_code == 200, url  # warm up
        times = []
        for _ in range(requests):
            client = client_for_request()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client_for_request().get(url)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"| {label} | {statistics.median(times):.1f} | {p95:.1f} | {len(queries.captured_queries)} |")
