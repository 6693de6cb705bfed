"""Every file of the hostile corpus, posted over HTTP to every upload or import endpoint it concerns, as the role
that may use the endpoint: the page shows a clear Vietnamese error, the database is exactly as before (row
counts and checksums of every table) and no file is left in storage.

One test per endpoint (its objects are built once) walks every corpus case for it; failures are collected and
reported together. The summary line `hostile uploads tried: N` gives the figure for the release note."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from tests.hostile import corpus, make_corpus
from tests.hostile.snapshot import changed_tables, database_state, stored_files

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
OVERSIZE_LIMIT = 2 * 1024 * 1024  # the test lowers the limit so that "one byte over" stays cheap to post

TRIED: list[tuple[str, str]] = []


@dataclass
class Target:
    url: str
    user: object
    data: dict
    field: str = "file"


def _attachment(cast) -> Target:
    url = reverse(
        "core:attachment_upload",
        kwargs={"union_slug": "kontum", "model": "portal.legaldocument", "pk": cast.private_document.pk},
    )
    return Target(url, cast.staff, {"description": "Hồ sơ"})


def _advisory(kind: str) -> Callable:
    def build(cast) -> Target:
        from tests.advisory import factories

        case = factories.new_case(cast, files=False)
        url = reverse("advisory:file_upload", kwargs={"union_slug": "kontum", "pk": case.pk})
        return Target(url, cast.staff, {"kind": kind})

    return build


def _entry_file(cast) -> Target:
    from tests.contests import factories

    entry = factories.draft(cast, factories.open_edition(cast))
    item = entry.edition.dossier_items.filter(required=True).first()
    url = reverse("contests:entry_file_add", kwargs={"union_slug": "kontum", "pk": entry.pk})
    return Target(url, cast.staff, {"item": item.pk})


def _action_evidence(cast) -> Target:
    from tests.outreach import factories

    item = factories.action_item(cast)
    url = reverse("outreach:action_evidence_file", kwargs={"union_slug": "kontum", "pk": item.pk})
    return Target(url, cast.staff, {"description": "Minh chứng"})


def _session_photo(cast) -> Target:
    from tests.outreach import factories

    session = factories.session(cast)
    url = reverse("outreach:session_photo", kwargs={"union_slug": "kontum", "pk": session.pk})
    return Target(url, cast.staff, {"caption": "Quang cảnh", "credit": "QM"})


def _article_image(cast) -> Target:
    from tests.portal import factories

    article = factories.make_article(cast)
    url = reverse("portal:article_image_upload", kwargs={"union_slug": "kontum", "pk": article.pk})
    return Target(url, cast.staff, {"caption": "Quang cảnh", "credit": "QM", "alt": "Ảnh"})


def _experts_import(cast) -> Target:
    from lienhiep.experts.models import Field

    Field.objects.create(union=cast.union, code="NN", name="Nông nghiệp")
    return Target(reverse("experts:import", kwargs={"union_slug": "kontum"}), cast.staff, {})


def _scores_import(cast) -> Target:
    from tests.contests.factories import url_objects

    round = url_objects(cast)["round"]
    return Target(reverse("contests:scores_import", kwargs={"union_slug": "kontum", "pk": round.pk}), cast.staff, {})


def _places_import(cast) -> Target:
    return Target(reverse("core:places_import"), cast.platform_admin, {})


ENDPOINTS: dict[str, Callable] = {
    "attachment": _attachment,
    "advisory_file": _advisory("annex"),
    "advisory_draft": _advisory("draft"),
    "entry_file": _entry_file,
    "action_evidence": _action_evidence,
    "session_photo": _session_photo,
    "article_image": _article_image,
    "experts_import": _experts_import,
    "scores_import": _scores_import,
    "places_import": _places_import,
}
assert set(corpus.EVERYWHERE) == set(ENDPOINTS)


@pytest.fixture(scope="module")
def large_files(tmp_path_factory) -> dict[str, bytes]:
    return {
        "@rows100k": make_corpus.many_rows_xlsx(100_000),
        "@oversize": make_corpus.oversize_pdf(OVERSIZE_LIMIT + 1),
    }


def _content(case: corpus.Case, large: dict[str, bytes]) -> bytes:
    return large[case.file] if case.file.startswith("@") else (CORPUS_DIR / case.file).read_bytes()


def _visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _errors_on(page: str) -> str:
    """The alerts and field errors of a page, for the failure report."""
    found = re.findall(r'class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(" ".join(_visible_text(f).split()) for f in found)[:400]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_hostile_file_is_refused_and_changes_nothing(endpoint, cast, client_for, settings, large_files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    real_limit = settings.LIENHIEP_UPLOAD_MAX_BYTES
    target = ENDPOINTS[endpoint](cast)
    client = client_for(target.user)
    client.get(target.url.rsplit("/", 2)[0] + "/")  # settle the session before the first snapshot
    failures = []
    cases = [c for c in corpus.CASES if endpoint in c.endpoints]
    for case in cases:
        settings.LIENHIEP_UPLOAD_MAX_BYTES = OVERSIZE_LIMIT if case.file == "@oversize" else real_limit
        before, files_before = database_state(), stored_files()
        upload = SimpleUploadedFile(case.name, _content(case, large_files), content_type="application/octet-stream")
        response = client.post(target.url, {**target.data, target.field: upload}, follow=True)
        page = response.content.decode()
        expected = case.expect_by_endpoint.get(endpoint, case.expect)
        expected = (expected,) if isinstance(expected, str) else expected
        changed = changed_tables(before, database_state())
        left = stored_files() - files_before
        TRIED.append((endpoint, case.file))
        problems = []
        if response.status_code not in (200, 400, 413):
            problems.append(f"status {response.status_code}")
        if not any(fragment in _visible_text(page) for fragment in expected):
            problems.append(f"no «{expected[0]}» on the page; it says: {_errors_on(page) or '(no error shown)'}")
        if "root:x:0:0" in page:
            problems.append("the page shows the server's /etc/passwd")
        if changed:
            problems.append(f"tables changed: {', '.join(changed)}")
        if left:
            problems.append(f"files left in storage: {sorted(left)}")
        if problems:
            failures.append(f"{case.file} ({case.what}): " + "; ".join(problems))
    print(f"\n{endpoint}: {len(cases)} hostile files tried, {len(failures)} failed")
    assert not failures, "\n".join(failures)


def test_corpus_is_small_and_reproducible():
    """The committed corpus is what make_corpus.py writes (byte for byte) and stays under 2 MB."""
    built = make_corpus.small_files()
    on_disk = {p.name: p.read_bytes() for p in CORPUS_DIR.iterdir()}
    assert on_disk == built
    assert sum(len(b) for b in on_disk.values()) < 2 * 1024 * 1024
    named = {c.file for c in corpus.CASES if not c.file.startswith("@")}
    assert named == set(on_disk), "every corpus file has a manifest entry and every entry a file"


HOSTILE_NAMES = {  # sent → the name kept (Django's parser drops folders and unprintable characters first)
    "../../../etc/passwd.pdf": "passwd.pdf",
    "..\\..\\windows\\win.ini.pdf": "win.ini.pdf",
    "báo cáo\x07\x1b\u202efdp.exe": "báo cáofdp.pdf",  # bell, escape, right-to-left override; real type PDF
    "\x00.pdf": "pdf.pdf",
    "con.pdf\r\nX-Injected: 1": '"con.pdf',  # the line break ends the part's header: the rest never arrives
}


@pytest.mark.parametrize("sent", list(HOSTILE_NAMES))
def test_path_traversal_and_control_character_names_are_stored_under_a_safe_name(sent, cast, client_for):
    """A name is not refused (Windows users send odd ones) but cleaned: no folders, no control or direction
    characters, the extension of the real content; the file itself is stored under a random name."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lienhiep.core.models import Attachment

    target = _attachment(cast)
    client = client_for(target.user)
    upload = SimpleUploadedFile(sent, make_corpus.PDF, content_type="application/pdf")
    response = client.post(target.url, {**target.data, "file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    TRIED.append(("attachment", repr(sent)))
    assert attachment.original_name == HOSTILE_NAMES[sent]
    assert not any(ch in attachment.file.name for ch in ("..", "\\", "\x00", "\x07", "\u202e"))
    assert stored_files() == {attachment.file.name}
    download = client.get(reverse("core:attachment_download", kwargs={"union_slug": "kontum", "pk": attachment.pk}))
    assert "\r" not in download["Content-Disposition"] and "\n" not in download["Content-Disposition"]
