"""Hardening rules, checked from outside the code that implements them:

- `manage.py check --deploy` is clean under production settings, whose cookies are secure;
- two-factor authentication is enforced for leaders, Union administrators and platform administrators on every
  page of the site, not only the dashboard (tests/core/test_mfa_policy.py covers the sign-in flow);
- sign-in, sign-up and password-reset attempts and the public certificate check are rate limited
  (tests/core/test_accounts.py covers axes' lock-out; tests/portal/test_certificates.py the check's limiter);
- every state change, score change and permission change keeps a history with who and when.

The strict CSP is asserted on every page the authorization matrix opens (tests/test_authorization_matrix.py) and
on the pages of tests/test_csp.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django_fsm import FSMField, FSMFieldMixin

from lienhiep.core.models import Membership, Role
from tests.test_url_access import all_patterns

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "LIENHIEP_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "lienhiep.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://lienhiep.example.vn",
}


def run_in_production(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the live server; a deployment never has it.
    left_out = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env |= PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "lienhiep.settings", "LIENHIEP_VAR_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_deploy_check_is_clean_under_production_settings(tmp_path):
    done = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_cookies_are_secure_and_the_site_https_only(tmp_path):
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
    ]
    code = "import django; django.setup(); from django.conf import settings as s; " + "; ".join(
        f"print({name!r}, repr(s.{name}))" for name in names
    )
    done = run_in_production("-c", code, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    values = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SESSION_COOKIE_HTTPONLY"] == values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31_536_000
    assert values["X_FRAME_OPTIONS"] == "'DENY'"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env_less = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **env_less, "LIENHIEP_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_the_policy_forbids_inline_script_and_style():
    assert settings.SECURE_CSP["script-src"] == ["'self'"]
    assert settings.SECURE_CSP["style-src"] == ["'self'"]
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_rate_limits_cover_sign_in_sign_up_and_password_reset():
    from allauth.account import app_settings

    limits = app_settings.RATE_LIMITS
    for action in ("login", "login_failed", "signup", "reset_password", "reset_password_from_key"):
        assert limits.get(action), f"no rate limit on {action}"
    assert settings.AXES_FAILURE_LIMIT <= 10 and "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("row", ["leader", "union_admin", "platform_admin"])
def test_two_factor_is_enforced_on_every_page_for_leaders_and_administrators(cast, client_for, row):
    """Without an authenticator, every page of the site (any URL pattern outside the account pages) sends them
    to set one up first, whatever the page would otherwise answer."""
    user = getattr(cast, row)
    Authenticator.objects.filter(user=user).delete()
    client = client_for(user)
    setup = reverse("mfa_activate_totp")
    checked = 0
    for name, route, _callback in all_patterns():
        if (
            not name
            or route.startswith(("static", "accounts", "i18n"))
            or "<" in route.replace("<slug:union_slug>", "")
        ):
            continue
        url = "/" + route.replace("<slug:union_slug>", cast.union.slug)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith(setup), (row, method, url)
            checked += 1
    assert checked >= 100


def test_roles_that_must_use_two_factor():
    assert set(settings.LIENHIEP_MFA_REQUIRED_ROLES) == {
        Role.LEADER,
        Role.UNION_ADMIN,
        Role.PLATFORM_ADMIN,
        Role.NATIONAL,
    }


# Models whose state moves through transitions (FSM fields) and whose rows change scores or permissions.
# Each must keep django-simple-history's history: who (history_user) and when (history_date) of every change.
def stateful_models():
    for model in apps.get_models():
        if model.__module__.startswith("lienhiep.") and not model.__name__.startswith("Historical"):
            if any(isinstance(f, FSMFieldMixin | FSMField) for f in model._meta.get_fields()):
                yield model


# Stateful models without a history table, and what records their changes instead (who and when).
AUDITED_OTHERWISE = {
    # An Excel import awaiting confirmation: uploaded_by/uploaded_at, and applying it is an activity-log row
    # ("experts.import.applied", actor and time); the experts it changes keep their own history.
    "ExpertImport": ("uploaded_by", "uploaded_at"),
}


def test_every_state_score_and_permission_change_keeps_a_history():
    from lienhiep.contests.models import Score

    models = list(stateful_models())
    assert len(models) >= 8
    for model in [*models, Score, Membership]:
        if model.__name__ in AUDITED_OTHERWISE:
            fields = {f.name for f in model._meta.get_fields()}
            assert set(AUDITED_OTHERWISE[model.__name__]) <= fields, model.__name__
            continue
        history = getattr(model, "history", None)
        assert history is not None, f"{model.__name__} keeps no history (add HistoricalRecords())"
        fields = {f.name for f in history.model._meta.get_fields()}
        assert {"history_user", "history_date", "history_type"} <= fields, model.__name__


def test_a_role_change_is_recorded_with_who_and_when(cast, client_for):
    membership = Membership.objects.get(user=cast.staff)
    before = membership.history.count()
    response = client_for(cast.union_admin).post(
        reverse("core:membership_toggle", args=[cast.union.slug, membership.pk])
    )
    assert response.status_code == 302
    latest = membership.history.order_by("-history_date").first()
    assert membership.history.count() == before + 1
    assert latest.history_user == cast.union_admin and latest.history_date is not None


def test_a_score_change_is_recorded_with_who_and_when(cast, client_for):
    from tests.conftest import make_user
    from tests.contests import factories as cf

    edition = cf.open_edition(cast)
    entry = cf.accepted(cast, edition)
    user = make_user("gk.lich", "Hà Văn Lịch", "expert", cast.union)
    edition.start_judging()
    edition.save()
    assignment = cf.seat(cast, entry, cf.judge(cast.union, "Hà Văn Lịch", user=user))
    criteria = {c.code: c for c in assignment.round.criteria.all()}
    url = reverse("contests:sheet", args=[cast.union.slug, assignment.pk])
    judge = client_for(user)
    for points in ("20", "25"):
        response = judge.post(url, {f"points_{criteria['TM'].pk}": points, "action": "save"})
        assert response.status_code in (200, 302)
    history = assignment.scores.model.history.filter(criterion=criteria["TM"]).order_by("history_date")
    assert [str(h.points) for h in history] == ["20.00", "25.00"]
    assert {h.history_user for h in history} == {user}
