"""The `lienhiep` command and the settings' production guard, from the outside."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lienhiep import cli

ROOT = Path(__file__).resolve().parents[1]


def test_help_is_vietnamese_by_default_and_english_on_request(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert "Chạy trang web" in cli.build_parser().format_help()
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "Run the site" in cli.build_parser().format_help()


def run_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import lienhiep.settings"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_debug_and_default_or_missing_secret_key():
    good_key = "k" * 20 + "x9" * 20
    assert run_settings(LIENHIEP_ENV="production", SECRET_KEY=good_key, ALLOWED_HOSTS="lienhiep.vn").returncode == 0
    debug = run_settings(LIENHIEP_ENV="production", SECRET_KEY=good_key, ALLOWED_HOSTS="x.vn", DEBUG="1")
    assert debug.returncode != 0 and "DEBUG must be off" in debug.stderr
    missing = run_settings(LIENHIEP_ENV="production", ALLOWED_HOSTS="x.vn")
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr
    weak = run_settings(LIENHIEP_ENV="production", SECRET_KEY="django-insecure-" + "a" * 40, ALLOWED_HOSTS="x.vn")
    assert weak.returncode != 0


def test_demo_is_refused_in_production(settings, db):
    from lienhiep.devdata.demo import load_demo

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        load_demo()


def test_totp_command_prints_the_current_code(cast, capsys):
    from lienhiep.core.mfa import current_code, totp_secret

    cli.main(["totp", cast.leader.username])
    assert capsys.readouterr().out.strip() == current_code(totp_secret(cast.leader))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_demo_starts_the_site_with_demo_data_on_a_fresh_var_dir(tmp_path):
    """The README's first command, exactly as a new user runs it (in a fresh var/ directory)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(LIENHIEP_VAR_DIR=str(tmp_path / "var"), LANG="vi_VN.UTF-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "lienhiep.cli", "serve", "--demo", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        deadline = time.time() + 240
        while time.time() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            if f"http://127.0.0.1:{port}/" in line:
                break
        html = None
        while time.time() < deadline and html is None:
            try:
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/kontum/", timeout=5).read().decode()
            except OSError:
                time.sleep(0.3)
        text = "".join(output)
        assert html is not None, text
        assert "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum" in html
        assert "48/2017/QĐ-UBND" in html
        for username in ("quantri", "admin.kontum", "lanhdao", "canbo", "chuyengia", "daidien.dakto", "thisinh"):
            assert username in text
        # the first screen is the address and the logins: the demo's mail goes to files, in a folder it names
        assert "Subject:" not in text and str(tmp_path / "var" / "mail") in text
        assert list((tmp_path / "var" / "mail").iterdir())
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/bootstrap/css/bootstrap.min.css")
        assert css.status == 200
        assert (tmp_path / "var" / "lienhiep.sqlite3").exists()
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout_ms = cursor.fetchone()[0]
    # the in-memory test database cannot use WAL; the file database of `serve` does (see the serve test)
    assert journal in ("wal", "memory")
    assert timeout_ms >= 20000
