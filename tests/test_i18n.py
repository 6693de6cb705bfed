"""The Vietnamese catalogue is complete: every message in the code and templates is translated, nothing is
fuzzy, and the compiled .mo matches the .po (a fresh machine without gettext still gets Vietnamese)."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests import tools

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "lienhiep" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def catalogues(package: Path) -> list[Path]:
    """The project catalogue, allauth's (it ships no Vietnamese), and one per app that has a locale folder."""
    return sorted(package.glob("**/locale*/vi/LC_MESSAGES/django.po"))


ALL_PO = catalogues(ROOT / "lienhiep")
CATALOGUES = pytest.mark.parametrize("po", ALL_PO, ids=[str(p.relative_to(ROOT).parts[1]) for p in ALL_PO])


def entries(po: Path = PO):
    return [e for e in polib.pofile(str(po)) if not e.obsolete]


@CATALOGUES
def test_no_untranslated_or_fuzzy_entry(po):
    untranslated = [e.msgid for e in entries(po) if not e.translated()]
    fuzzy = [e.msgid for e in entries(po) if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:10]}"
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"


# One form of address across the interface: «ông/bà» where a sentence needs one (formal, towards people outside
# the Union: agencies, experts, the public), otherwise none. Entrants are pupils and adults on the same pages, so
# their texts name nobody («Chưa có bài dự thi nào.»). Never the familiar «bạn», never the user's own «tôi» ("My
# entries"), which put two voices on one page; the site does not say «chúng tôi» either.
FAMILIAR = re.compile(r"\b(bạn|tôi)\b", re.IGNORECASE)


@CATALOGUES
def test_one_form_of_address(po):
    familiar = [
        e.msgid for e in entries(po) if any(FAMILIAR.search(text) for text in [e.msgstr, *e.msgstr_plural.values()])
    ]
    assert not familiar, f"«bạn» or «tôi» in {len(familiar)} translations, e.g. {familiar[:5]}"


@CATALOGUES
def test_compiled_catalogue_matches_the_po_file(po):
    with po.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in entries(po):
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert catalogue._catalog.get(key) == entry.msgstr, f"recompile the .mo: {entry.msgid!r}"


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    if tools.missing("xgettext", "gettext"):
        pytest.skip("gettext (xgettext) is not installed")
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "lienhiep", copy / "lienhiep", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    known = {(e.msgctxt, e.msgid) for po in ALL_PO for e in entries(po) if e.translated()}
    missing = [
        e.msgid
        for po in catalogues(copy / "lienhiep")
        for e in polib.pofile(str(po))
        if not e.obsolete and (e.msgctxt, e.msgid) not in known
    ]
    assert not missing, f"{len(missing)} messages not translated: run scripts/messages.py and translate: {missing[:15]}"


def test_pages_render_in_vietnamese_by_default(client, cast):
    html = client.get("/kontum/").content.decode()
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html
    login_page = client.get("/accounts/login/").content.decode()
    assert "Quên mật khẩu?" in login_page, "the allauth pages must be in Vietnamese too"


def test_password_rules_are_explained_in_vietnamese():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password("abc")
    assert "Mật khẩu quá ngắn" in " ".join(error.value.messages)
