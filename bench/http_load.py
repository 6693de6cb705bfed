"""HTTP benchmark of the key pages on the national-scale data: gunicorn (2 workers, production settings, DEBUG off)
on a free loopback port, driven by wrk from another process.

    uv run python bench/http_load.py --db sqlite            # var/bench/lienhiep.sqlite3
    uv run python bench/http_load.py --db postgres          # database lienhiep_bench on 127.0.0.1:5432
    uv run python bench/http_load.py --db postgres --duration 10 --connections 16 --profile 3

The PostgreSQL database is created when the server has none of that name (through its `postgres` database), and the
data set is generated on first use (`generate_scale_data --scale 1`, a few minutes) and reused afterwards;
--regenerate drops it and starts again; each step is printed. Each role signs in through a session row made here
(the server checks it as any login's). For every page: requests/s, p50 and p95 from wrk (-t2 -c16 --latency,
fixed duration), the queries one request issues, and the ratio of its throughput to the trivial page (/healthz: a
Django view through the whole middleware stack that does not touch the database) measured by the same server before
and after the pages. --profile N runs cProfile on one request of each of the N slowest pages (in this process) and
prints the top functions."""

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/lienhiep_bench"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def environment(db: str, url: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "lienhiep.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "LOG_LEVEL": "ERROR",
    }
    if db == "postgres":
        env["DATABASE_URL"] = url
        env["LIENHIEP_VAR_DIR"] = str(ROOT / "var" / "bench-pg")
    else:
        env["LIENHIEP_VAR_DIR"] = str(ROOT / "var" / "bench")
    Path(env["LIENHIEP_VAR_DIR"]).mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ yet
    return env


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when the server has none of that name (connected to the server's
    `postgres` database with the same user), saying what it does."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=10) as db:
            if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                print(f"PostgreSQL database {name} on {where}: found", flush=True)
                return
            print(f"PostgreSQL database {name} on {where}: not found, creating it", flush=True)
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        sys.exit(f"Cannot create or reach the PostgreSQL database {name} on {where}: {error}")


def prepare(db: str, url: str, regenerate: bool, scale: float) -> None:
    """Create the database if it is missing (PostgreSQL), migrate, and generate the data set unless it is there."""
    from django.core.management import call_command
    from django.db import connection

    if db == "postgres":
        ensure_database(url)
    else:
        print(f"SQLite database {connection.settings_dict['NAME']}", flush=True)
    if regenerate:
        print("--regenerate: dropping the data set", flush=True)
        if db == "postgres":
            call_command("flush", interactive=False, verbosity=0)
        else:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{connection.settings_dict['NAME']}{suffix}").unlink(missing_ok=True)
    print("applying migrations, collecting static files", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from lienhiep.core.models import Union

    unions = Union.objects.count()
    if unions:
        print(f"data set found ({unions} Unions): reused (--regenerate makes it again)", flush=True)
    else:
        print(f"no data set: generating it (generate_scale_data --scale {scale:g}, minutes at scale 1)", flush=True)
        call_command("generate_scale_data", "--scale", str(scale))


def session_cookie(user) -> str:
    """A signed-in session for the user, as the login view would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "lienhiep.core.auth.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def key_pages() -> list[tuple[str, str, object]]:
    """(label, path, user or None) of every key page, in the largest Union of the generated set."""
    from django.db.models import Count
    from django.urls import reverse

    from lienhiep.advisory.models import Case, Status
    from lienhiep.contests.models import Assignment, Edition
    from lienhiep.core.models import Role, Union, User

    union = Union.objects.order_by("pk").first()
    slug = union.slug

    def user(role):
        return User.objects.get(memberships__union=union, memberships__role=role)

    staff, expert = user(Role.STAFF), user(Role.EXPERT)
    case = (
        Case.objects.filter(union=union, status=Status.ANSWERED)
        .annotate(n=Count("recommendations"))
        .order_by("-n", "pk")
        .first()
    )
    editions = Edition.objects.filter(union=union).annotate(n=Count("entries")).order_by("-n", "pk")
    biggest = editions.first()
    published = editions.filter(status=Edition.Status.PUBLISHED).first()
    sheet = (
        Assignment.objects.filter(expert__person__user=expert, status=Assignment.Status.CONFIRMED).first()
        or Assignment.objects.filter(expert__person__user=expert).first()
    )
    return [
        ("dashboard: staff", reverse("core:dashboard", args=[slug]), staff),
        ("dashboard: leader", reverse("core:dashboard", args=[slug]), user(Role.LEADER)),
        ("dashboard: Union admin", reverse("core:dashboard", args=[slug]), user(Role.UNION_ADMIN)),
        ("dashboard: expert", reverse("core:dashboard", args=[slug]), expert),
        ("dashboard: agency representative", reverse("core:dashboard", args=[slug]), user(Role.AGENCY_REP)),
        ("dashboard: entrant", reverse("core:dashboard", args=[slug]), user(Role.ENTRANT)),
        ("case list", reverse("advisory:case_list", args=[slug]), staff),
        (f"case detail ({case.recommendations.count()} recommendations)",
         reverse("advisory:case_detail", args=[slug, case.pk]), staff),
        (f"entry list ({biggest.n} entries)", reverse("contests:entries", args=[slug, biggest.pk]), staff),
        ("judging sheet", reverse("contests:sheet", args=[slug, sheet.pk]), expert),
        (f"results page ({published.n} entries)", reverse("contests:results", args=[slug, published.pk]), staff),
        ("public results", reverse("contests:public_results", args=[slug, published.pk]), None),
        ("expert search 'nguyen'", reverse("experts:list", args=[slug]) + "?q=nguyen", staff),
        ("expert list", reverse("experts:list", args=[slug]), staff),
        ("public home", reverse("portal:union_home", args=[slug]), None),
        ("public search 'ca phe'", reverse("portal:search", args=[slug]) + "?q=ca+phe", None),
    ]  # fmt: skip


# The throughput targets, as a share of the trivial page's: the lightest pages a third, the staff
# dashboards an eighth; the other pages have only the p95 target (150 ms), which every page has.
LIGHTEST = ("dashboard: entrant", "judging sheet", "public home", "public search", "case list")
STAFF_DASHBOARDS = ("dashboard: staff", "dashboard: leader", "dashboard: Union admin")


def ratio_target(label: str) -> float | None:
    if label.startswith(LIGHTEST):
        return 1 / 3
    if label.startswith(STAFF_DASHBOARDS):
        return 1 / 8
    return None


def free_socket() -> socket.socket:
    """A listening socket on a port the system chose; gunicorn inherits it (no fixed port, no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str, socket.socket]:
    sock = free_socket()
    server_env = {
        **os.environ,
        **env,
        "LIENHIEP_ENV": "production",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    command = [sys.executable, "-m", "gunicorn", "lienhiep.wsgi:application", "--workers", str(workers),
               "--bind", f"fd://{sock.fileno()}", "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, pass_fds=[sock.fileno()])
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for _ in range(300):
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=5).status == 200:  # noqa: S310 - loopback
                return process, base, sock
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(base: str, path: str, cookie: str) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(base: str, path: str, cookie: str, args, script: str) -> dict:
    command = [WRK, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
               "--timeout", "10s", "-s", script]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    if match is None:
        raise RuntimeError(output)
    requests, duration, p50, p95, p99, errors = map(int, match.groups())
    return {"rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "errors": errors, "requests": requests}  # fmt: skip


def queries_of(path: str, user) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user, backend="lienhiep.core.auth.AuthenticationBackend")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    assert status == 200, (path, status)
    return len(captured.captured_queries)


def profile(path: str, user, top: int = 25) -> str:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user, backend="lienhiep.core.auth.AuthenticationBackend")
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=PG_URL, help="for --db postgres")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of a newly generated data set")
    parser.add_argument("--regenerate", action="store_true", help="drop the data set and generate it again")
    parser.add_argument("--only", default="", help="only pages whose label contains this text")
    parser.add_argument("--profile", type=int, default=0, help="profile one request of the N slowest pages")
    args = parser.parse_args()
    if not Path(WRK).exists():  # said before minutes of data generation, not after
        sys.exit("wrk, the load generator, is not installed (Debian: apt-get install wrk)")

    env = environment(args.db, args.database_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    started = time.perf_counter()
    prepare(args.db, args.database_url, args.regenerate, args.scale)
    print(f"data ready in {time.perf_counter() - started:.0f} s ({args.db})", flush=True)
    pages = [p for p in key_pages() if args.only.lower() in p[0].lower()]
    cookies = {}
    for _label, _path, user in pages:
        if user is not None and user.pk not in cookies:
            cookies[user.pk] = session_cookie(user)
    queries = {label: queries_of(path, user) for label, path, user in pages}

    load_before = os.getloadavg()[0]
    process, base, sock = start_server(env, args.workers)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA)
    results = {}
    try:
        for label, path, user in pages:
            cookie = cookies.get(user.pk, "") if user else ""
            status = check(base, path, cookie)
            if status != 200:
                raise RuntimeError(f"{label}: {path} answered {status}")
            for _ in range(3):
                check(base, path, cookie)
        baseline_before = wrk(base, "/healthz", "", args, str(script))
        for label, path, user in pages:
            results[label] = wrk(base, path, cookies.get(user.pk, "") if user else "", args, str(script))
            check(base, "/healthz", "")  # requests still queued from the load are served before the next page
            print(f"  {label}: {results[label]['rps']:.1f} req/s, p95 {results[label]['p95']:.0f} ms", flush=True)
        baseline_after = wrk(base, "/healthz", "", args, str(script))
    finally:
        process.terminate()
        process.wait(timeout=30)
        sock.close()
        script.unlink()

    trivial = (baseline_before["rps"] + baseline_after["rps"]) / 2
    print(
        f"machine load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs)"
    )
    print(
        f"\n{args.db}, gunicorn {args.workers} workers, wrk -t{args.threads} -c{args.connections} -d{args.duration}s; "
        f"trivial page /healthz {baseline_before['rps']:.0f} / {baseline_after['rps']:.0f} req/s (before / after), "
        f"p95 {baseline_before['p95']:.1f} / {baseline_after['p95']:.1f} ms\n"
    )
    print("| page | req/s | p50 ms | p95 ms | ratio to trivial | queries | errors | p95 ≤ 150 ms | ratio target |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, _path, _user in pages:
        r = results[label]
        ratio = r["rps"] / trivial
        fast = "met" if r["p95"] <= 150 else "MISSED"
        wanted = ratio_target(label)
        share = "—" if wanted is None else f"≥ 1/{round(1 / wanted)} " + ("met" if ratio >= wanted else "MISSED")
        print(f"| {label} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {ratio:.2f} | {queries[label]} | "
              f"{r['errors']} | {fast} | {share} |")  # fmt: skip
    if args.profile:
        slowest = sorted(pages, key=lambda p: -results[p[0]]["p95"])[: args.profile]
        for label, path, user in slowest:
            print(f"\n### profile of one request: {label} ({path})\n")
            print(profile(path, user))


if __name__ == "__main__":
    main()
