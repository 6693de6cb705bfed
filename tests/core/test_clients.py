"""The client's address behind a reverse proxy (core.clients.client_ip): X-Forwarded-For is believed only from an
address in LIENHIEP_TRUSTED_PROXIES. From outside, over HTTP: a forged header from anyone else changes nothing
(the sign-in lock-out, allauth's rate limit, the certificate check's limit and the news view count stay by the
connection's address); through the trusted proxy two visitors are told apart."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client

from lienhiep.core.clients import client_ip, parse_networks
from tests.conftest import PASSWORD
from tests.portal.factories import make_article, make_certificate

PROXY = "10.0.0.2"
VISITOR_A, VISITOR_B = "203.0.113.5", "198.51.100.7"
STRANGER = "192.0.2.44"  # connects directly, not through the proxy
LOGIN_URL = "/accounts/login/"


@pytest.fixture
def trusted(settings):
    settings.LIENHIEP_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "2001:db8:1::/48"]


@pytest.fixture
def behind_proxy(trusted, db):
    cache.clear()  # the rate limits' counters (a database table)
    yield
    cache.clear()


def through_proxy(visitor: str) -> Client:
    """A browser at `visitor` whose requests reach the app through the trusted proxy (nginx's
    $proxy_add_x_forwarded_for: whatever the browser sent, then the address nginx saw)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=visitor)


def forging(forged: str) -> Client:
    """The stranger connecting directly and claiming to be someone else."""
    return Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=forged)


# --- the function ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (STRANGER, "", STRANGER),
        (STRANGER, VISITOR_A, STRANGER),  # a header from an untrusted address is ignored
        (PROXY, "", PROXY),  # the proxy asking for itself (a health check)
        (PROXY, VISITOR_A, VISITOR_A),
        (PROXY, f"{VISITOR_B}, {VISITOR_A}", VISITOR_A),  # the browser forged the left part; nginx appended A
        (PROXY, f"{VISITOR_A}, 10.1.2.3", VISITOR_A),  # two proxies of ours: skipped from the right
        (PROXY, "10.1.2.3, 10.1.2.4", "10.1.2.3"),  # every hop ours: the left-most
        (PROXY, f"{VISITOR_B}, nonsense", PROXY),  # a hop no proxy of ours wrote: the client cannot be told
        (PROXY, "[2001:db8:2::7]:51000", "2001:db8:2::7"),
        (PROXY, "203.0.113.5:51000", VISITOR_A),
        ("::ffff:10.0.0.2", VISITOR_A, VISITOR_A),  # the proxy's address as an IPv4-mapped IPv6 one
        ("2001:db8:1::9", VISITOR_B, VISITOR_B),
        ("", VISITOR_A, ""),
    ],
)
def test_the_client_is_the_right_most_untrusted_hop_only_behind_a_trusted_proxy(remote, forwarded, client, rf, trusted):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_without_trusted_proxies_the_header_is_never_believed(rf, settings):
    settings.LIENHIEP_TRUSTED_PROXIES = []
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VISITOR_A)) == PROXY


def test_a_malformed_trusted_proxy_stops_the_server_at_start(tmp_path: Path):
    assert [str(n) for n in parse_networks(["10.0.0.2", " 10.1.0.0/16 ", "2001:db8::/32"])] == [
        "10.0.0.2/32",
        "10.1.0.0/16",
        "2001:db8::/32",
    ]
    env = {**os.environ, "LIENHIEP_TRUSTED_PROXIES": "10.0.0.2,nginx.local", "LIENHIEP_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import lienhiep.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "LIENHIEP_TRUSTED_PROXIES" in done.stderr and "nginx.local" in done.stderr


# --- the sign-in lock-out (django-axes) ---------------------------------------------------------------------------


def sign_in(client: Client, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": "staff", "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def axes_alone(settings, behind_proxy):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limit (per user name, too) aside: django-axes alone


def test_a_forged_header_does_not_escape_the_lock_out(cast, axes_alone):
    for attempt in range(5):
        sign_in(forging(f"203.0.113.{100 + attempt}"), "sai-mat-khau")
    intruder = forging("203.0.113.200")
    sign_in(intruder)
    assert not signed_in(intruder)  # still locked out: by the connection's address
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}
    colleague = Client(REMOTE_ADDR="192.0.2.45")  # the lock-out holds one address, not the user name for all
    sign_in(colleague)
    assert signed_in(colleague)


def test_behind_the_proxy_one_visitor_is_locked_out_and_another_is_not(cast, axes_alone):
    for _attempt in range(5):
        sign_in(through_proxy(VISITOR_A), "sai-mat-khau")
    locked = through_proxy(VISITOR_A)
    sign_in(locked)
    assert not signed_in(locked)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {VISITOR_A}  # axes' log too
    other = through_proxy(VISITOR_B)
    sign_in(other)
    assert signed_in(other)


# --- allauth's rate limit by address --------------------------------------------------------------------------


@pytest.fixture
def allauth_limit(settings, behind_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}


def _fail_with_other_names(make_client) -> None:
    for attempt in range(3):
        make_client(attempt).post(LOGIN_URL, {"login": f"khong-co-{attempt}", "password": "sai-mat-khau"})


def test_allauths_limit_ignores_a_forged_header(cast, allauth_limit):
    _fail_with_other_names(lambda n: forging(f"203.0.113.{100 + n}"))
    intruder = forging("203.0.113.200")
    sign_in(intruder)
    assert not signed_in(intruder)


def test_allauths_limit_counts_each_visitor_behind_the_proxy(cast, allauth_limit):
    _fail_with_other_names(lambda _n: through_proxy(VISITOR_A))
    limited = through_proxy(VISITOR_A)
    sign_in(limited)
    assert not signed_in(limited)
    other = through_proxy(VISITOR_B)
    sign_in(other)
    assert signed_in(other)


# --- the certificate check's rate limit -------------------------------------------------------------------------


def _check(client: Client, cast, code: str) -> int:
    return client.get(f"/{cast.union.slug}/certificates/{code}/").status_code


def test_the_certificate_check_limit_ignores_a_forged_header(cast, behind_proxy):
    certificate = make_certificate(cast)
    for n in range(20):
        assert _check(forging(f"203.0.113.{n}"), cast, f"WRONGCODE{n:03d}") == 200
    assert _check(forging("203.0.113.99"), cast, certificate.code) == 429  # the stranger's address is spent


def test_the_certificate_check_limit_is_per_visitor_behind_the_proxy(cast, behind_proxy):
    certificate = make_certificate(cast)
    for n in range(20):
        assert _check(through_proxy(VISITOR_A), cast, f"WRONGCODE{n:03d}") == 200
    assert _check(through_proxy(VISITOR_A), cast, certificate.code) == 429
    assert _check(through_proxy(VISITOR_B), cast, certificate.code) == 200


# --- the news view count ------------------------------------------------------------------------------------------


def test_views_are_counted_per_visitor_behind_the_proxy_and_a_forged_header_counts_once(cast, behind_proxy):
    article = make_article(cast, state="published")
    url = article.get_absolute_url()
    for visitor in (VISITOR_A, VISITOR_B, VISITOR_A):
        through_proxy(visitor).get(url, HTTP_USER_AGENT="Trình duyệt")
    article.refresh_from_db()
    assert article.view_count == 2
    for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        forging(forged).get(url, HTTP_USER_AGENT="Trình duyệt")
    article.refresh_from_db()
    assert article.view_count == 3
