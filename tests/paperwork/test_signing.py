"""Signing issued PDFs with the Union's organisation certificate and checking them: real documents (a decision with
its annex and a report through LibreOffice, a certificate through WeasyPrint) are signed with the demo authority,
then verified as they are and after each kind of tampering; the demo authority, the certificates from the
environment, the trust roots and the timestamp authority path are checked on their own.

The documents are rendered once and signed once per module; every test reads them without changing them."""

import datetime
import hashlib
import io
import os
import random
import re
import stat
import subprocess
from types import SimpleNamespace

import pdfplumber
import pytest
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader

from lienhiep.paperwork import demo_authority as demo
from lienhiep.paperwork.signing import (
    SigningError,
    organisation_certificate,
    sign_pdf,
    trust_roots,
)
from lienhiep.paperwork.verification import Status, same_content, verify_pdf
from tests.paperwork import signing_fixtures as fx

DOCUMENTS = ["decision", "report", "certificate"]
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The demo authority in a temporary var folder (kept for the module), with nothing in the environment."""
    var = tmp_path_factory.mktemp("var")
    signing_dir = override_settings(VAR_DIR=var, LIENHIEP_SIGNING_DIR=var / "signing", PRODUCTION=False)
    with signing_dir, pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("LIENHIEP_SIGNING_P12") or name == "LIENHIEP_TRUST_ROOTS":
                patch.delenv(name)
        demo.ensure_demo_authority([fx.UNION])
        other = fx.another_authority()
        yield SimpleNamespace(
            var=var,
            certificate=organisation_certificate(fx.UNION),
            roots=trust_roots(),
            other=other.certificate,
            other_root=other.root,
            other_p12=other.p12,
            expired=fx.expired_certificate(),
        )


@pytest.fixture(scope="module")
def documents():
    return fx.render_documents()


@pytest.fixture(scope="module")
def signed(documents, pki):
    return {
        name: sign_pdf(doc.pdf, pki.certificate, signer_name=doc.signer_name, signer_title="Chủ tịch")
        for name, doc in documents.items()
    }


def use_var_dir(settings, folder) -> None:
    """The demo authority's folder under `folder` (the project's tests default it to each test's own folder)."""
    settings.VAR_DIR = folder
    settings.LIENHIEP_SIGNING_DIR = folder / "signing"


def pdftotext(data: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def signature_widget(data: bytes) -> tuple[int, list[float]]:
    """The page index and the /Rect of the signature field's widget."""
    reader = PdfFileReader(io.BytesIO(data))
    for index in range(reader.root["/Pages"]["/Count"]):
        page = reader.find_page_for_modification(index)[0].get_object()
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Sig":
                return index, [float(value) for value in annotation["/Rect"]]
    raise AssertionError("no signature widget")


# --- signing and verifying as issued -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_signed_document_is_genuine_and_stamped_above_the_signers_name(name, documents, signed, pki):
    document, data = documents[name], signed[name]
    verdict = verify_pdf(data, trust=pki.roots)
    assert verdict.status == Status.GENUINE and verdict.reason
    assert verdict.organisation == fx.UNION.name
    assert verdict.signer == "Liên hiệp các Hội KH&KT tỉnh Kon Tum"  # the CN within its 64 bytes
    assert verdict.signatures == 1
    assert verdict.signed_revision_sha256 == hashlib.sha256(data).hexdigest()
    assert abs(verdict.signed_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=10)
    assert data.startswith(document.pdf)  # an incremental update: the rendered PDF is kept byte for byte

    page_index, (x1, y1, x2, y2) = signature_widget(data)
    text = pdftotext(data, page_index + 1)
    assert f"Ký bởi: {fx.UNION.name}" in text
    assert f"Người ký: {document.signer_name}" in text
    assert "CHỨNG THƯ THỬ NGHIỆM – không có giá trị pháp lý" in text
    shown = re.search(r"Thời gian ký: (\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) \+07:00", text).group(1)
    assert shown == verdict.signed_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")

    with pdfplumber.open(io.BytesIO(document.pdf)) as pdf:
        page = pdf.pages[page_index]
        name_box = page.search(document.signer_name)[-1]
        words = page.extract_words()
        height = float(page.height)
    assert 0 <= x1 < x2 <= float(page.width) and 0 <= y1 < y2 <= height
    assert (round(x2 - x1), round(y2 - y1)) == (round(75 * MM), round(22 * MM))
    assert 0 <= y1 - (height - name_box["top"]) <= 2 * MM  # just above the name
    assert x1 < (name_box["x0"] + name_box["x1"]) / 2 < x2  # centred over it
    overlapping = [
        w["text"]
        for w in words
        if w["x1"] > x1 and w["x0"] < x2 and height - w["top"] > y1 and height - w["bottom"] < y2
    ]
    assert overlapping == []  # in the blank space, over no text


def test_the_decision_is_stamped_on_its_signature_page_not_on_the_annex(signed):
    page_index, _ = signature_widget(signed["decision"])
    assert page_index == 0
    assert "Phụ lục" in pdftotext(signed["decision"], 2) and "Ký bởi" not in pdftotext(signed["decision"], 2)


def test_the_signature_does_not_change_the_documents_text(documents, signed):
    for name in DOCUMENTS:
        assert same_content(documents[name].pdf, signed[name]) == ""


def test_without_the_signers_name_the_stamp_goes_to_the_bottom_right_of_the_last_page(documents, pki):
    data = sign_pdf(documents["report"].pdf, pki.certificate, signer_name="")
    page_index, (x1, y1, x2, y2) = signature_widget(data)
    assert page_index == len(pdfplumber.open(io.BytesIO(data)).pages) - 1
    assert x2 <= 595 and x2 > 595 - 30 * MM and 0 < y1 < 30 * MM
    assert verify_pdf(data, trust=pki.roots).status == Status.GENUINE


def test_default_trust_is_the_demo_root_outside_production(signed, pki, settings):
    use_var_dir(settings, pki.var)
    assert verify_pdf(signed["report"]).status == Status.GENUINE
    settings.PRODUCTION = True
    assert verify_pdf(signed["report"]).status == Status.UNTRUSTED


# --- tampering ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_one_byte_changed_inside_the_signed_range_breaks_the_signature(name, signed, pki):
    verdict = verify_pdf(fx.flip_byte_in_signed_range(signed[name]), trust=pki.roots)
    assert verdict.status == Status.BROKEN and verdict.reason


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_page_added_after_signing_is_a_modification(name, signed, pki):
    tampered = fx.add_page(signed[name])
    verdict = verify_pdf(tampered, trust=pki.roots)
    assert verdict.status == Status.MODIFIED and verdict.reason
    assert verdict.signed_revision_sha256 == hashlib.sha256(signed[name]).hexdigest()  # the file as we stored it
    pages = len(pdfplumber.open(io.BytesIO(signed[name])).pages)
    assert str(pages + 1) in same_content(signed[name], tampered)  # the page counts


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_page_changed_after_signing_is_a_modification(name, signed, pki):
    tampered = fx.change_first_page(signed[name])
    verdict = verify_pdf(tampered, trust=pki.roots)
    assert verdict.status == Status.MODIFIED
    assert same_content(signed[name], tampered) != ""


def test_pages_swapped_in_a_rewritten_file_break_the_signature(signed, pki):
    swapped = fx.swap_pages(signed["decision"])
    verdict = verify_pdf(swapped, trust=pki.roots)
    assert verdict.status == Status.BROKEN  # the old byte range now covers other bytes
    assert same_content(signed["decision"], swapped) != ""


def test_a_signature_from_another_authority_is_untrusted(documents, pki):
    data = sign_pdf(documents["report"].pdf, pki.other, signer_name="Trần Văn Hùng")
    verdict = verify_pdf(data, trust=pki.roots)
    assert verdict.status == Status.UNTRUSTED and verdict.organisation == fx.UNION.name
    assert "THỬ NGHIỆM" not in pdftotext(data)
    assert verify_pdf(data, trust=[*pki.roots, pki.other_root]).status == Status.GENUINE


def test_a_signature_with_an_expired_certificate_is_expired_and_sign_pdf_refuses_to_make_one(documents, pki):
    data = fx.sign_unchecked(documents["report"].pdf, pki.expired)
    verdict = verify_pdf(data, trust=pki.roots)
    assert verdict.status == Status.EXPIRED and verdict.reason
    with pytest.raises(SigningError, match="valid from"):
        sign_pdf(documents["report"].pdf, pki.expired, signer_name="Trần Văn Hùng")


def test_a_timestamp_from_while_the_certificate_was_valid_keeps_an_expired_signature_genuine(documents, pki, settings):
    use_var_dir(settings, pki.var)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for at, status in ((now - datetime.timedelta(days=3), Status.GENUINE), (now, Status.EXPIRED)):
        data = fx.sign_unchecked(documents["report"].pdf, pki.expired, fx.dummy_timestamper(at))
        verdict = verify_pdf(data, trust=pki.roots)
        assert (verdict.status, verdict.signed_at) == (status, at)


def test_a_second_signature_over_a_tampered_revision_does_not_hide_it(signed, pki):
    tampered = fx.change_first_page(signed["report"])
    countersigned = sign_pdf(tampered, pki.certificate, signer_name="Trần Văn Hùng")
    verdict = verify_pdf(countersigned, trust=pki.roots)
    assert verdict.signatures == 2 and verdict.status == Status.MODIFIED


# --- unreadable input --------------------------------------------------------------------------------------------


def test_what_is_not_a_pdf_is_unreadable_and_never_raises(signed, pki):
    data = signed["decision"]
    assert verify_pdf(b"", trust=pki.roots).status == Status.UNREADABLE
    assert verify_pdf(b"Just some text, not a PDF.", trust=pki.roots).status == Status.UNREADABLE
    assert verify_pdf(b"%PDF-1.7\n", trust=pki.roots).status == Status.UNREADABLE
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        truncated = data[: int(len(data) * fraction)]
        assert verify_pdf(truncated, trust=pki.roots).status == Status.UNREADABLE, fraction
    chance = random.Random(2021)
    for _ in range(20):
        garbage = chance.randbytes(chance.randrange(1, 5000))
        assert verify_pdf(garbage, trust=pki.roots).status == Status.UNREADABLE
    for _ in range(30):
        mangled = bytearray(data)
        for _ in range(chance.randrange(1, 50)):
            mangled[chance.randrange(len(mangled))] = chance.randrange(256)
        assert isinstance(verify_pdf(bytes(mangled), trust=pki.roots).status, Status)
    assert same_content(data, b"not a pdf") != ""


def test_an_unsigned_pdf_is_not_signed(documents, pki):
    verdict = verify_pdf(documents["certificate"].pdf, trust=pki.roots)
    assert verdict.status == Status.NOT_SIGNED and verdict.signatures == 0 and verdict.reason


def test_same_content_names_the_page_count_or_the_first_page_that_differs(documents):
    decision, report = documents["decision"].pdf, documents["report"].pdf
    assert same_content(decision, decision) == ""
    assert "2" in same_content(decision, report)  # two pages against one
    assert "1" in same_content(report, fx.change_first_page(report))


# --- the demo authority, the certificates and the trust roots -----------------------------------------------------


def test_the_demo_authority_is_made_once_and_never_overwritten(settings, tmp_path):
    use_var_dir(settings, tmp_path)
    settings.PRODUCTION = True
    demo.ensure_demo_authority([fx.UNION])
    assert not (tmp_path / "signing").exists()  # production never uses them, so never makes them
    settings.PRODUCTION = False
    demo.ensure_demo_authority([fx.UNION])
    folder = tmp_path / "signing"
    first = {path.name: path.read_bytes() for path in folder.iterdir()}
    demo.ensure_demo_authority([fx.UNION, fx.OTHER_UNION])
    second = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert set(second) - set(first) == {"demo-gia-lai.p12"}
    assert all(second[name] == data for name, data in first.items())
    assert {name for name in second if not name.startswith(".")} == {
        "demo-ca.pem",
        "demo-ca-key.pem",
        "demo-kon-tum.p12",
        "demo-gia-lai.p12",
    }
    for name in ("demo-ca-key.pem", "demo-kon-tum.p12", "demo-gia-lai.p12"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert demo.union_p12_path("kon-tum") == folder / "demo-kon-tum.p12"
    assert demo.signing_dir() == folder


def test_the_organisation_certificate_comes_from_the_environment_then_the_demo_files(
    settings, tmp_path, monkeypatch, pki
):
    for name in list(os.environ):
        if name.startswith("LIENHIEP_SIGNING_P12"):
            monkeypatch.delenv(name)
    use_var_dir(settings, tmp_path)
    settings.PRODUCTION = False
    assert organisation_certificate(fx.UNION) is None  # nothing configured, no demo file

    other = tmp_path / "other.p12"
    other.write_bytes(pki.other_p12)
    monkeypatch.setenv("LIENHIEP_SIGNING_P12", str(other))
    monkeypatch.setenv("LIENHIEP_SIGNING_P12_PASSWORD", fx.OTHER_PASSWORD.decode())
    everyone = organisation_certificate(fx.OTHER_UNION)
    assert everyone.organisation == fx.UNION.name and not everyone.is_demo
    assert organisation_certificate(fx.OTHER_UNION) is everyone  # loaded once

    use_var_dir(settings, pki.var)
    monkeypatch.setenv("LIENHIEP_SIGNING_P12_KON_TUM", str(demo.union_p12_path("kon-tum")))
    monkeypatch.setenv("LIENHIEP_SIGNING_P12_PASSWORD_KON_TUM", demo.DEMO_PASSWORD.decode())
    own = organisation_certificate(fx.UNION)
    assert own.is_demo and own.signer.signing_cert.dump() == pki.certificate.signer.signing_cert.dump()

    monkeypatch.setenv("LIENHIEP_SIGNING_P12_PASSWORD_KON_TUM", "sai")
    with pytest.raises(SigningError):
        organisation_certificate(fx.UNION)

    for name in ("LIENHIEP_SIGNING_P12", "LIENHIEP_SIGNING_P12_KON_TUM"):
        monkeypatch.delenv(name)
    assert organisation_certificate(fx.UNION).is_demo  # the demo file
    settings.PRODUCTION = True
    assert organisation_certificate(fx.UNION) is None  # never in production


def test_trust_roots_are_the_configured_files_and_outside_production_the_demo_root(settings, tmp_path, pki):
    use_var_dir(settings, pki.var)
    settings.PRODUCTION = False
    other = tmp_path / "other.der"
    other.write_bytes(pki.other_root.dump())
    settings.LIENHIEP_TRUST_ROOTS = f"{other}, {tmp_path / 'missing.pem'}"
    names = [root.subject.native["common_name"] for root in trust_roots()]
    assert names == ["Another Authority CA", demo.DEMO_CA_NAME]
    settings.PRODUCTION = True
    assert [root.subject.native["common_name"] for root in trust_roots()] == ["Another Authority CA"]


# --- timestamps --------------------------------------------------------------------------------------------------


def test_with_a_timestamp_authority_the_signature_is_timestamped_with_validation_info(documents, pki, settings):
    use_var_dir(settings, pki.var)
    at = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(minutes=5)
    with fx.TimestampAuthority(fx.dummy_timestamper(at)) as tsa:
        settings.LIENHIEP_TSA_URL = tsa.url
        data = sign_pdf(documents["report"].pdf, pki.certificate, signer_name="Trần Văn Hùng")
    verdict = verify_pdf(data, trust=pki.roots)
    assert verdict.status == Status.GENUINE
    assert verdict.signed_at == at  # the authority's time, not the server's
    assert "/DSS" in PdfFileReader(io.BytesIO(data)).root  # PAdES-B-LT: the validation information embedded
