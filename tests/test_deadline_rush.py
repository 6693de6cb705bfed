"""The deadline rush, against a real gunicorn server run as `lienhiep serve` runs it (2 sync workers) on the
test database (SQLite file or PostgreSQL): 200 entrants register, change and submit entries around the submission
deadline while 10 judges save score sheets, from 32 client threads.

Proven: no 5xx; every write the server confirmed is in the database with its final value (zero lost writes);
every submission (or registration) after the deadline was refused with the Vietnamese message and left nothing
behind, and no accepted submission is later than the deadline; two people saving the same entry or sheet at
the same moment: exactly one wins, the other is told in Vietnamese that someone changed it meanwhile.

The rush is compressed from "the final minute" to as fast as the server answers; so that it straddles the deadline
on any machine, the deadline is set to fall 1 s after half the entrants are through (the change is made under the
edition's row lock, which every submission takes to read the deadline), and the other half arrive around and
after it. The refusal messages are read from the messages cookie of each redirect (signed with the shared
SECRET_KEY)."""

import contextlib
import datetime
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import get_random_string

from lienhiep.contests.models import Assignment, Edition, Entry, Score
from lienhiep.core.models import Membership, Role, User
from tests.conftest import make_user
from tests.contests import factories as contests
from tests.live import Server, served_database, set_cookies, subprocess_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ENTRANTS = 200
THREADS = 32
GRACE = 1.0  # the deadline falls this long after half the entrants are through, whatever the machine's speed
JUDGES = 10
CONTESTED = 8  # entries (and one sheet) saved by two people at once
REFUSED_LATE = "không thể nộp bài nữa"  # «Hạn nộp là …; không thể nộp bài nữa.»
REGISTRATION_CLOSED = "Lần thi này không đang mở đăng ký"
CONFLICT = "Hồ sơ này đã được người khác sửa"


def in_thread(job, *args) -> None:
    """Run a job of the client threads, then close the database connection the thread opened (a thread's
    connection is not closed when the thread ends, and would keep the test database in use)."""
    try:
        job(*args)
    finally:
        connections.close_all()


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)

    def record(self, what: str, status: int, text: str = "") -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append((what, status, text[:300]))


class Browser:
    """One signed-in user: a session made directly in the database, a CSRF token, the cookies the server sets."""

    def __init__(self, server: Server, user: User, tally: Tally):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "lienhiep.core.auth.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.token = get_random_string(32)
        self.cookies = {settings.SESSION_COOKIE_NAME: session.session_key, settings.CSRF_COOKIE_NAME: self.token}
        self.server, self.tally = server, tally

    def post(self, path: str, data: dict, what: str) -> tuple[int, str, str]:
        status, headers, text = self.server.request(
            "POST", path, body={**data, "csrfmiddlewaretoken": self.token}, cookies=self.cookies
        )
        new = set_cookies(headers)
        self.told = " ".join(m.message for m in CookieStorage(HttpRequest())._decode(new.get("messages", "")) or [])
        self.cookies.update(new)
        self.tally.record(what, status, text)
        return status, headers.get("location", ""), text

    def get(self, path: str, what: str) -> tuple[int, str]:
        status, headers, text = self.server.request("GET", path, cookies=self.cookies)
        self.cookies.update(set_cookies(headers))
        self.tally.record(what, status, text)
        return status, text


def entry_form(edition: Edition, locality_pk: int, title: str, author: str, version: int | None = None) -> dict:
    data = {
        "field": edition.fields.get(code="CK").pk,
        "title": title,
        "summary": "Cải tiến quy trình sấy cà phê cho hộ nông dân, tiết kiệm điện.",
        "locality": locality_pk,
        "people-TOTAL_FORMS": 1,
        "people-INITIAL_FORMS": 1,  # the form shows the entrant (or the stored authors) as the first row
        "people-MIN_NUM_FORMS": 0,
        "people-MAX_NUM_FORMS": 1000,
        "people-0-name": author,
        "people-0-role": "author",
        "people-0-share": 100,
    }
    if version is not None:
        data["version"] = version
    return data


def entrants(cast, count: int) -> list[User]:
    users = User.objects.bulk_create(
        User(username=f"ts{i:03d}", email=f"ts{i:03d}@example.test", full_name=f"Thí Sinh Số {i:03d}")
        for i in range(count)
    )
    users = list(User.objects.filter(username__startswith="ts").order_by("username"))
    Membership.objects.bulk_create(Membership(user=u, union=cast.union, role=Role.ENTRANT) for u in users)
    return users


def test_two_hundred_entrants_and_judges_at_the_deadline(cast, tmp_path):
    began = time.monotonic()
    with served_database(tmp_path) as database_url, contextlib.ExitStack() as stack:
        server = Server(subprocess_env(database_url, tmp_path / "var"))  # it starts while the data is built
        stack.callback(server.stop)
        union = cast.union
        commune = contests.current_commune()
        # A judging edition: 10 accepted entries, 10 judges with 2 sheets each, round open.
        judged = contests.open_edition(cast, code="ST8", title="Hội thi Sáng tạo kỹ thuật lần thứ 8")
        judged_entries = [contests.accepted(cast, judged, f"Giải pháp chấm điểm số {i}") for i in range(JUDGES)]
        judges = [
            contests.judge(
                union, f"Giám Khảo Số {i}", user=make_user(f"gk{i:02d}", f"Giám Khảo Số {i}", "expert", union)
            )
            for i in range(JUDGES)
        ]
        for i, judge in enumerate(judges):
            for entry in (judged_entries[i], judged_entries[(i + 1) % JUDGES]):
                contests.seat(cast, entry, judge, confirm=False)
        from lienhiep.contests import judging

        judging.confirm_judges(actor=cast.staff, round=judged.rounds.get(), today=datetime.date(2022, 6, 20))
        criteria = list(judged.rounds.get().criteria.order_by("order"))

        # The edition at its deadline (moved close during the rush): no dossier file required, so a complete entry
        # can be submitted at once.
        now = timezone.now()
        edition = contests.open_edition(
            cast,
            registration_opens_at=now - datetime.timedelta(days=30),
            registration_closes_at=now + datetime.timedelta(hours=1),
            submission_deadline=now + datetime.timedelta(hours=1),
        )
        edition.dossier_items.update(required=False)
        people = entrants(cast, ENTRANTS + CONTESTED)
        drafts = {}  # half the entrants already have a draft: they change it, then submit
        for user in people[0:ENTRANTS:2] + people[ENTRANTS:]:
            entry = contests.draft(
                cast, edition, f"Bản nháp của {user.username}", owner=user, locality=commune, now=timezone.now()
            )
            drafts[user.pk] = entry

        built = time.monotonic() - began
        try:
            server.wait_ready()
            ready = time.monotonic() - began
            tally = Tally()
            browsers = {u.pk: Browser(server, u, tally) for u in people}
            staff = Browser(server, cast.staff, tally)
            judge_browsers = [Browser(server, j.person.user, tally) for j in judges]
            base = f"/{union.slug}/app/contests/"
            seats = [
                list(
                    Assignment.objects.filter(expert=j, round__edition=judged)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                for j in judges
            ]

            start = time.monotonic()
            outcomes: dict[int, dict] = {}
            through, halfway = Counter(), threading.Event()

            def one_more_through() -> None:
                with tally.lock:
                    through["entrants"] += 1
                    if through["entrants"] == ENTRANTS // 2:
                        halfway.set()

            def entrant(i: int) -> None:
                user = people[i]
                me = browsers[user.pk]
                out = outcomes.setdefault(user.pk, {})
                try:
                    register_and_submit(user, me, out)
                finally:
                    one_more_through()

            def register_and_submit(user: User, me: Browser, out: dict) -> None:
                if user.pk in drafts:
                    entry = drafts[user.pk]
                    title = f"Giải pháp của {user.username} (đã sửa)"
                    status, location, text = me.post(
                        f"{base}entries/{entry.pk}/edit/",
                        entry_form(edition, commune.pk, title, user.full_name, version=1),
                        "update",
                    )
                    out["update"] = (status, title)
                    out["update_page"] = text
                    pk = entry.pk
                else:
                    title = f"Giải pháp của {user.username}"
                    status, location, text = me.post(
                        f"{base}{edition.pk}/entries/new/",
                        entry_form(edition, commune.pk, title, user.full_name),
                        "create",
                    )
                    match = re.search(r"/entries/(\d+)/$", location)
                    out["create"] = (status, title, bool(match))
                    if not match:
                        out["create_refused_page"] = me.told + text  # a redirect with a message, or the form
                        return
                    pk = int(match.group(1))
                status, location, _text = me.post(f"{base}entries/{pk}/submit/", {}, "submit")
                out["submit"] = (status, pk, location.endswith("/receipt/"))
                if not location.endswith("/receipt/"):
                    out["submit_refused_page"] = me.told

            sheet_version: dict[int, int] = {}  # the version each sheet is at after its last confirmed save
            sheet_final: dict[int, int] = {}  # the points of that save
            sheet_saves = Counter()

            def judge_saves(j: int) -> None:
                me = judge_browsers[j]
                for round_no in range(3):
                    for pk in seats[j]:
                        version, value = sheet_version.get(pk, 1), 10 + round_no + j % 5
                        points = {f"points_{c.pk}": str(value) for c in criteria}
                        status, _location, _text = me.post(
                            f"{base}judging/{pk}/",
                            {**points, "comment": f"lần {round_no}", "version": version},
                            "sheet",
                        )
                        if status == 302:
                            sheet_version[pk], sheet_final[pk] = version + 1, value
                            sheet_saves[pk] += 1
                    time.sleep(0.5)

            contested = {}

            def contest_entry(k: int) -> None:
                user = people[ENTRANTS + k]
                entry = drafts[user.pk]
                barrier = threading.Barrier(2)
                results = {}

                def save(who: str, browser: Browser) -> None:
                    title = f"Bản của {who} cho {user.username}"
                    barrier.wait()
                    status, location, text = browser.post(
                        f"{base}entries/{entry.pk}/edit/",
                        entry_form(edition, commune.pk, title, user.full_name, version=1),
                        "contested",
                    )
                    results[who] = (status, title, text)

                threads = [
                    threading.Thread(target=save, args=("thí sinh", browsers[user.pk])),
                    threading.Thread(target=save, args=("cán bộ", staff)),
                ]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                contested[entry.pk] = results

            with ThreadPoolExecutor(THREADS) as pool:
                jobs = [pool.submit(in_thread, contest_entry, k) for k in range(CONTESTED)]
                jobs += [pool.submit(in_thread, judge_saves, j) for j in range(JUDGES)]
                jobs += [pool.submit(in_thread, entrant, i) for i in range(ENTRANTS)]
                halfway.wait(timeout=600)
                # The organisers' change takes effect when it commits: take the edition's row lock first, so
                # every submission that got in before was made before this moment, and every later one sees it.
                with transaction.atomic():
                    Edition.objects.select_for_update().get(pk=edition.pk)
                    deadline = timezone.now() + datetime.timedelta(seconds=GRACE)
                    Edition.objects.filter(pk=edition.pk).update(
                        submission_deadline=deadline, registration_closes_at=deadline
                    )
                for job in jobs:
                    job.result()
            elapsed = time.monotonic() - start
            # The same sheet sent from two tabs at once: one save wins, the other is told.
            contested_sheet = seats[0][0]
            tabs, barrier = [], threading.Barrier(2)

            def tab(value: int) -> None:
                points = {f"points_{c.pk}": str(value) for c in criteria}
                barrier.wait()
                status, _location, text = judge_browsers[0].post(
                    f"{base}judging/{contested_sheet}/",
                    {**points, "version": sheet_version[contested_sheet]},
                    "contested sheet",
                )
                tabs.append((status, value, text))

            threads = [threading.Thread(target=tab, args=(value,)) for value in (21, 22)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.stop()
            stack.pop_all()

        # Zero 5xx -------------------------------------------------------------------------------------------
        assert not tally.server_errors, tally.server_errors[:3]

        writes_made = writes_lost = refused_late = 0
        for user in people[:ENTRANTS]:
            out = outcomes[user.pk]
            if "update" in out:
                status, title = out["update"]
                stored = Entry.objects.get(pk=drafts[user.pk].pk)
                if status == 302:
                    writes_made += 1
                    writes_lost += stored.title != title
                else:  # an update is never refused here: the deadline closes submission, not drafts
                    problems = re.findall(r'class="(?:invalid-feedback|alert)[^"]*"[^>]*>(.*?)<', out["update_page"])
                    pytest.fail(f"update of {user.username} answered {status}: {problems}")
            if "create" in out:
                status, title, created = out["create"]
                if created:
                    writes_made += 1
                    writes_lost += not Entry.objects.filter(owner=user, title=title).exists()
                else:  # registration closed with the deadline: refused, told, nothing stored
                    refused_late += 1
                    assert REGISTRATION_CLOSED in out["create_refused_page"]
                    assert not Entry.objects.filter(owner=user).exists()
                    continue
            status, pk, accepted = out["submit"]
            stored = Entry.objects.get(pk=pk)
            if accepted:
                writes_made += 1
                lost = stored.status != Entry.Status.SUBMITTED or not stored.number
                writes_lost += lost
                assert stored.submitted_at <= deadline, "a submission was accepted after the deadline"
            else:
                refused_late += 1
                assert REFUSED_LATE in out["submit_refused_page"]
                assert stored.status == Entry.Status.DRAFT and stored.number == "" and stored.submitted_at is None

        # Judges' sheets: every save was confirmed, and the last one is what is stored.
        assert sum(sheet_saves.values()) == 3 * 2 * JUDGES
        for pk, version in sheet_version.items():
            if pk == contested_sheet:  # checked below, after the two tabs
                writes_made += sheet_saves[pk]
                continue
            assignment = Assignment.objects.get(pk=pk)
            writes_made += sheet_saves[pk]
            stored_points = set(Score.objects.filter(assignment=assignment).values_list("points", flat=True))
            writes_lost += assignment.version != version or stored_points != {Decimal(sheet_final[pk])}

        # The same entry saved by two people at once: one wins, the other is told.
        for pk, results in contested.items():
            statuses = sorted(status for status, _title, _text in results.values())
            assert statuses == [200, 302], results
            winner = next(title for status, title, _text in results.values() if status == 302)
            loser_text = next(text for status, _title, text in results.values() if status == 200)
            assert CONFLICT in loser_text
            assert Entry.objects.get(pk=pk).title == winner
            writes_made += 1

        assert sorted(status for status, _value, _text in tabs) == [200, 302], tabs
        assert CONFLICT in next(text for status, _value, text in tabs if status == 200)
        winner = next(value for status, value, _text in tabs if status == 302)
        stored = Assignment.objects.get(pk=contested_sheet)
        assert stored.version == sheet_version[contested_sheet] + 1
        assert set(stored.scores.values_list("points", flat=True)) == {Decimal(winner)}
        writes_made += 1

        submitted = Entry.objects.filter(edition=edition, status=Entry.Status.SUBMITTED)
        numbers = list(submitted.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers))  # registration numbers never given twice
        print(
            f"\ndeadline rush ({connection.vendor}): data built in {built:.1f} s, "
            f"server ready at {ready:.1f} s, rush {elapsed:.1f} s, "
            f"{sum(tally.statuses.values())} requests {dict(tally.statuses)}, writes confirmed {writes_made}, "
            f"lost {writes_lost}, refused after the deadline {refused_late}, submitted in time {len(numbers)}, "
            f"contested saves {len(contested)} (one winner each)"
        )
        assert writes_lost == 0
        assert refused_late > 0 and numbers, "the rush must straddle the deadline"
