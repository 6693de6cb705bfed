"""The base cost of a page: what a signed-in page and an anonymous public page pay before their own work.

In-process (Django test client) on the demo data: p50, p95 and queries of a light signed-in page (the entrant's
dashboard), the staff's case list, the public home and the public search, plus `/healthz` (no database, no
template) as the floor. Usage:

    uv run python bench/base_cost.py [--requests 200] [--profile PAGE-LABEL] [--top 40]

`--profile` runs cProfile over the requests of the one page whose label starts with the given text and prints the
`--top` functions by cumulative time.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time

from inprocess import setup, signed_in


def base_pages() -> None:
    """Two pages with no work of their own, served beside the project's URLs: `base.html` with a Union, for a
    member (through `union_permission`, as every workspace page) and for a visitor (as every public page)."""
    import types

    from django.conf import settings
    from django.shortcuts import get_object_or_404, render
    from django.urls import path

    from lienhiep import urls
    from lienhiep.core.access import union_permission
    from lienhiep.core.models import Union

    def signed_in_base(request):
        return render(request, "base.html")

    def public_base(request, union_slug):
        request.union = get_object_or_404(Union, slug=union_slug, is_active=True)
        return render(request, "base.html")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench/<slug:union_slug>/signed-in/", union_permission("core.view_dashboard")(signed_in_base)),
        path("bench/<slug:union_slug>/public/", public_base),
        *urls.urlpatterns,
    ]
    module.handler500 = urls.handler500
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", default="", help="profile the page whose label starts with this")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    args = parser.parse_args()

    setup()
    from django.test import Client

    from lienhiep.devdata.demo import load_demo

    load_demo()
    base_pages()
    entrant, staff = signed_in("thisinh"), signed_in("canbo")

    visitor = Client()

    def anonymous():
        visitor.cookies.clear()  # a new visitor each time: no cookie carried over (one client: its middleware
        return visitor  # is loaded once, as a server's is)

    pages = [
        ("trivial /healthz", anonymous, "/healthz"),
        ("base page, signed in (entrant)", lambda: entrant, "/bench/kontum/signed-in/"),
        ("base page, anonymous", anonymous, "/bench/kontum/public/"),
        ("entrant dashboard", lambda: entrant, "/kontum/app/"),
        ("case list (staff)", lambda: staff, "/kontum/app/advisory/cases/"),
        ("public home (anonymous)", anonymous, "/kontum/"),
        ("public search (anonymous)", anonymous, "/kontum/search/?q=khoa+hoc"),
    ]
    if args.profile:
        label, client_for_request, url = next(p for p in pages if p[0].startswith(args.profile))
        client_for_request().get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client_for_request().get(url)
        profiler.disable()
        print(f"{label}: {args.requests} requests")
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return
    measure(pages, args.requests)


def measure(pages: list, requests: int) -> None:
    """p50 and p95 of the wall time and p50 of the process's CPU time (steadier than wall time on a shared
    machine: another process's load does not count), and the query count, of each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("| page | p50 ms | p95 ms | CPU p50 ms | queries |\n|---|---|---|---|---|")
    for label, client_for_request, url in pages:
        assert client_for_request().get(url).status_code == 200, url  # warm up
        wall, cpu = [], []
        for _ in range(requests):
            client = client_for_request()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client_for_request().get(url)
        wall.sort()
        p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
        print(
            f"| {label} | {statistics.median(wall):.1f} | {p95:.1f} | {statistics.median(cpu):.2f} "
            f"| {len(queries.captured_queries)} |"
        )


if __name__ == "__main__":
    main()
