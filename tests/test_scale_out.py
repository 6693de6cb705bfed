"""Statelessness of the app servers: two gunicorn processes (A and B) on one PostgreSQL database and one shared
files folder. A session opened on A works on B, a file uploaded through A downloads through B, and a task queued
by a request to A is run by a separate worker process and its result is served by B.

The servers are real subprocesses reading the test database, so the data is committed (transactional_db)."""

import http.cookiejar
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.urls import reverse

from lienhiep.contests.models import CertificateRun
from lienhiep.core.models import Attachment, Role

from .conftest import PASSWORD, make_user
from .contests import factories as contests_f
from .test_query_budgets import judged_edition

ROOT = Path(__file__).resolve().parent.parent
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scale-out needs PostgreSQL: several processes share one database (set DATABASE_URL=postgres://…)",
    ),
]


def database_url() -> str:
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env(var_dir: Path) -> dict[str, str]:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "LIENHIEP_VAR_DIR": str(var_dir),  # the shared volume: files written by one server are read by another
        "SECRET_KEY": settings.SECRET_KEY,  # one key for the whole cluster (sessions, CSRF, signed values)
        "DEBUG": "1",  # static file names without the collected manifest; nothing else depends on it
        "DATABASE_CONN_MAX_AGE": "0",  # let the test database be dropped at the end
    }
    return env


class Server:
    """gunicorn (1 worker) on a socket this process bound to a free port and hands over."""

    def __init__(self, env: dict[str, str], log: Path):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        fd = self.socket.fileno()
        os.set_inheritable(fd, True)
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lienhiep.wsgi", "--workers", "1", "--bind", f"fd://{fd}"],
            cwd=ROOT,
            env=env,
            pass_fds=[fd],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.socket.close()
        self.log.close()


class Browser:
    """Just enough of a browser: one cookie jar for every server (cookies belong to a host, not a port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        try:
            response = self.opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=60)
        except urllib.error.HTTPError as error:  # 3xx and 4xx come back as errors with NoRedirect
            return error.code, dict(error.headers), error.read()
        return response.status, dict(response.headers), response.read()

    def csrf(self, url: str) -> str:
        status, _headers, body = self.request(url)
        assert status == 200, (url, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post(self, url: str, fields: dict, files: dict | None = None):
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, mime) in (files or {}).items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(url, out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(*servers: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for server in servers:
        while True:
            assert server.process.poll() is None, f"gunicorn exited: {server.log.name}"
            try:
                urllib.request.urlopen(server.base + "/", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)


@pytest.fixture
def servers(transactional_db, tmp_path):
    env = server_env(tmp_path / "var")
    pair = [Server(env, tmp_path / f"gunicorn-{name}.log") for name in "AB"]
    try:
        wait_until_up(*pair)
        yield pair
    finally:
        for server in pair:
            server.stop()


def test_session_upload_and_task_move_between_app_servers(cast, servers, tmp_path):
    a, b = servers
    k = cast.union.slug
    judges = []
    for username, name in [("gk1", "Hà Văn Một"), ("gk2", "Lò Thị Hai"), ("gk3", "Vi Văn Ba")]:
        judges.append(contests_f.judge(cast.union, name, user=make_user(username, name, Role.EXPERT, cast.union)))
    edition = judged_edition(cast, judges, "S", 1, certify=False)
    # The test suite hashes passwords with MD5 for speed; the servers only know the real hashers.
    cast.staff.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    cast.staff.save(update_fields=["password"])
    browser = Browser()

    # A session opened on A is honoured by B.
    login = reverse("account_login")
    token = browser.csrf(a.base + login)
    status, headers, _ = browser.post(
        a.base + login, {"csrfmiddlewaretoken": token, "login": cast.staff.username, "password": PASSWORD}
    )
    assert status == 302, status
    dashboard = reverse("core:dashboard", args=[k])
    status, _, body = browser.request(b.base + dashboard)
    assert status == 200 and cast.staff.full_name.encode() in body

    # A file uploaded through A downloads through B.
    upload = reverse("core:attachment_upload", args=[k, "portal.legaldocument", cast.private_document.pk])
    token = browser.csrf(a.base + reverse("portal:document_manage", args=[k, cast.private_document.pk]))
    status, _, _ = browser.post(
        a.base + upload,
        {"csrfmiddlewaretoken": token, "description": "Kế hoạch"},
        {"file": ("kế hoạch.pdf", PDF_BYTES, "application/pdf")},
    )
    assert status == 302, status
    attachment = Attachment.objects.get(union=cast.union, original_name="kế hoạch.pdf")
    status, _, body = browser.request(b.base + reverse("core:attachment_download", args=[k, attachment.pk]))
    assert (status, body) == (200, PDF_BYTES)

    # A task queued by a request to A is run by the worker; B serves what it made.
    certificates_page = reverse("contests:certificates", args=[k, edition.pk])
    token = browser.csrf(a.base + certificates_page)
    status, _, _ = browser.post(
        a.base + reverse("contests:certificates_start", args=[k, edition.pk]), {"csrfmiddlewaretoken": token}
    )
    assert status == 302, status
    run = CertificateRun.objects.get(edition=edition)
    assert run.status == CertificateRun.Status.QUEUED
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=server_env(tmp_path / "var"),
        capture_output=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    run.refresh_from_db()
    assert run.status == CertificateRun.Status.DONE and run.done == run.total > 0
    status, _, body = browser.request(b.base + reverse("contests:certificates_zip", args=[k, edition.pk]))
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        pdfs = [archive.read(name) for name in archive.namelist()]
    assert len(pdfs) == run.total and all(pdf.startswith(b"%PDF") for pdf in pdfs)
