"""The award certificate as printed: the heading of Decree 30/2020 (national title on one line, the motto with its
rule, the issuing body with its rule and the register number «Số: 01/GCN-LHH»), a frame centred on the page, room for
the signature and the seal, the project's own fonts embedded; read back with pdfplumber. The register number: one
sequence per Union and year, allocated under a lock of the Union."""

import datetime
import hashlib
import io
import itertools
import logging
import shutil
import socket
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from django.db import IntegrityError, transaction
from fontTools.ttLib import TTFont
from pdfminer.pdftypes import resolve1
from pyhanko.pdf_utils.reader import PdfFileReader

from lienhiep.contests import certificates
from lienhiep.contests.models import Award
from lienhiep.core.models import Union
from lienhiep.paperwork.demo_authority import ensure_demo_authority
from lienhiep.paperwork.signing import stamp_box
from lienhiep.paperwork.verification import Status, verify_pdf
from lienhiep.portal.models import Certificate
from lienhiep.portal.services import issue_certificate

from . import factories as f

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
FONTS = Path(certificates.FONTS_CSS).parent


@pytest.fixture
def awarded(cast):
    """The first prize of Kon Tum's technical contest, decided on 1/9/2022, to Đinh Thị Hồng Nhung."""
    Union.objects.filter(pk=cast.union.pk).update(
        governing_body="UBND TỈNH KON TUM", issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT"
    )
    ed = f.open_edition(cast)
    people = f.authors(("Đinh Thị Hồng Nhung", 100, datetime.date(1986, 3, 2)))
    entry = f.accepted(cast, ed, "Máy tách hạt cà phê mini cho hộ gia đình", people=people)
    first = ed.tiers.get(rank=1)
    Award.objects.create(entry=entry, tier=first, proposed_tier=first, score=Decimal("91.5"))
    ed.decision_number, ed.decision_date, ed.signatory_name = "25/QĐ-LHH", datetime.date(2022, 9, 1), "Nguyễn Văn Sơn"
    ed.save(update_fields=["decision_number", "decision_date", "signatory_name"])
    return ed


def issued_pdf(cast, edition) -> bytes:
    """The first certificate issued through the service (number, PDF), as its PDF bytes."""
    (holder,) = certificates.holders(f.fresh(edition))
    made = certificates.issue_one(holder, actor=cast.staff, base_url="https://lienhiep.test")
    with made.pdf.open("rb") as handle:
        return handle.read()


def line(page, text: str) -> dict:
    """Where `text` is printed, once and on one line (its characters share a baseline)."""
    found = page.search(text, regex=False)
    assert len(found) == 1, (text, len(found))
    assert max(c["bottom"] for c in found[0]["chars"]) - min(c["bottom"] for c in found[0]["chars"]) < 1, text
    return found[0]


def vendored_fonts() -> set[tuple[str, str]]:
    """(full name, version) of each font file shipped in lienhiep/paperwork/fonts."""
    names = [TTFont(path)["name"] for path in FONTS.glob("*.ttf")]
    return {(name.getDebugName(4), name.getDebugName(5)) for name in names}


def embedded_fonts(page) -> dict[str, tuple[str, str]]:
    """The page's fonts: PDF name → (full name, version) read from the embedded font program."""
    out = {}
    for font in resolve1(page.page_obj.resources["Font"]).values():
        font = resolve1(font)
        descriptor = resolve1(resolve1(resolve1(font["DescendantFonts"])[0])["FontDescriptor"])
        name = TTFont(io.BytesIO(resolve1(descriptor["FontFile2"]).get_data()))["name"]
        out[font["BaseFont"].name] = (name.getDebugName(4), name.getDebugName(5))
    return out


def under(rule: dict, text: dict) -> bool:
    """Whether the rule lies just below the text (within 3 mm) and centred under it."""
    centred = abs((rule["x0"] + rule["x1"]) - (text["x0"] + text["x1"])) / 2 < 1 * MM
    return centred and 0 <= rule["top"] - text["bottom"] <= 3 * MM


def test_certificate_page_follows_decree_30(cast, awarded, tmp_path):
    pdf = issued_pdf(cast, awarded)
    if shutil.which("pdftoppm"):  # a picture to look at: test-artifacts/screenshots/contests-certificate-page.png
        from tests.e2e.conftest import SCREENSHOTS

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (tmp_path / "c.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "c.pdf"),
                        str(SCREENSHOTS / "contests-certificate-page")], check=True)  # fmt: skip
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        assert page.width > page.height  # landscape
        text = page.extract_text()
        # the heading: national title on one line, 12-13 pt bold; the motto 13-14 pt bold with a rule as long as it
        title = line(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert all(12 <= round(c["size"], 1) <= 13 and "Bold" in c["fontname"] for c in title["chars"])
        motto = line(page, "Độc lập - Tự do - Hạnh phúc")
        assert all(13 <= round(c["size"], 1) <= 14 and "Bold" in c["fontname"] for c in motto["chars"])
        rules = [r for r in page.rects if r["height"] < 1 * MM and 10 * MM < r["width"] < 150 * MM]
        under_motto = [e for e in rules if under(e, motto)]
        assert under_motto, "no rule under the motto"
        assert all(abs(e["width"] - (motto["x1"] - motto["x0"])) < 2 * MM for e in under_motto)
        body = line(page, "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT")
        under_body = [e for e in rules if under(e, body)]
        assert under_body, "no rule under the issuing body"
        assert all(
            (body["x1"] - body["x0"]) / 3 - 1 <= e["width"] <= (body["x1"] - body["x0"]) / 2 + 1 for e in under_body
        )
        # the register number, the first of the year
        assert line(page, "Số: 01/GCN-LHH")["top"] > body["bottom"]
        for expected in ("GIẤY CHỨNG NHẬN", "Đinh Thị Hồng Nhung", "Máy tách hạt cà phê mini", "Giải Nhất",
                         "Kon Tum, ngày 01 tháng 9 năm 2022", "theo Quyết định số 25/QĐ-LHH"):  # fmt: skip
            assert expected in text, expected
        # the frame: the outermost box, with equal margins above and below, left and right
        boxes = [r for r in page.rects if r["width"] > page.width / 2 and r["height"] > page.height / 2]
        assert boxes, "no frame"
        frame = min(boxes, key=lambda r: r["x0"])
        top, bottom = frame["top"], page.height - frame["bottom"]
        left, right = frame["x0"], page.width - frame["x1"]
        assert abs(top - bottom) < 2 * MM and abs(left - right) < 2 * MM, (top / MM, bottom / MM, left / MM, right / MM)
        # the signature block: authority and title lines, ≥ 30 mm for the signature and the seal, the name
        authority = line(page, "TM. BAN THƯỜNG VỤ")
        office = line(page, "CHỦ TỊCH")
        name = line(page, "Nguyễn Văn Sơn")
        assert authority["bottom"] <= office["top"] and (name["top"] - office["bottom"]) >= 30 * MM
        # the fonts are the project's: WeasyPrint names a font loaded by @font-face after the CSS family (one no
        # machine has), and the programs embedded are the vendored files (their names and version)
        assert {c["fontname"].split("+")[-1] for c in page.chars} == {"Lienhiep-Serif", "Lienhiep-Serif-Bold",
                                                                     "Lienhiep-Serif-Italic"}  # fmt: skip
        assert set(embedded_fonts(page).values()) <= vendored_fonts()


def test_register_numbers_run_per_union_and_year(cast, client):
    def issue(union, actor, day: datetime.date) -> Certificate:
        return issue_certificate(union, actor=actor, holder_name="Y Hoa", title="Giải Ba", issued_on=day)

    first = issue(cast.union, cast.staff, datetime.date(2022, 9, 1))
    second = issue(cast.union, cast.staff, datetime.date(2022, 12, 31))
    next_year = issue(cast.union, cast.staff, datetime.date(2023, 1, 2))
    elsewhere = issue(cast.outsider_union, cast.outsider_staff, datetime.date(2022, 9, 1))
    assert [c.number for c in (first, second, next_year, elsewhere)] == [1, 2, 1, 1]
    assert (first.number_symbol(), second.number_symbol()) == ("01/GCN-LHH", "02/GCN-LHH")
    tenth = [issue(cast.union, cast.staff, datetime.date(2022, 10, 1)) for _ in range(8)][-1]
    assert tenth.number_symbol() == "10/GCN-LHH"  # the leading zero only below 10
    # one number once per Union and year, whatever writes the row
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            union=cast.union, holder_name="A Sang", title="Giải Ba", issued_on=datetime.date(2022, 5, 5), number=2
        )
    # a certificate recorded before numbers were kept has none, and none is shown
    older = Certificate.objects.create(
        union=cast.union, holder_name="A Sang", title="Giải Ba", issued_on=datetime.date(2021, 5, 5)
    )
    assert older.number is None and older.number_symbol() == ""
    assert issue(cast.union, cast.staff, datetime.date(2021, 6, 1)).number == 1
    # the public check page shows the number
    page = client.get(first.get_absolute_url()).content.decode()
    assert "01/GCN-LHH" in page
    page = client.get(older.get_absolute_url()).content.decode()
    assert "A Sang" in page and "/GCN-" not in page


# --- a batch: one renderer, worker processes, the same files ------------------------------------------------------


@pytest.fixture
def winners(cast, awarded):
    """Four certificates to issue: Nhung's first prize, the two authors of a second prize, the author of a third."""
    for rank, title, people in (
        (2, "Lò sấy nông sản dùng năng lượng mặt trời", f.authors(("Y Hoa", 50), ("A Sang", 50))),
        (3, "Phần mềm quản lý vườn cà phê", f.authors(("Trần Thị Lan", 100))),
    ):
        entry = f.accepted(cast, awarded, title, people=people)
        tier = awarded.tiers.get(rank=rank)
        Award.objects.create(entry=entry, tier=tier, proposed_tier=tier, score=Decimal(90 - 10 * rank))
    return awarded


def signature_widget(data: bytes) -> tuple[int, list[float]]:
    """The page index and the /Rect of the signature field's widget."""
    reader = PdfFileReader(io.BytesIO(data))
    for index in range(reader.root["/Pages"]["/Count"]):
        for annotation in reader.find_page_for_modification(index)[0].get_object().get("/Annots", []):
            if annotation.get_object().get("/FT") == "/Sig":
                return index, [float(value) for value in annotation.get_object()["/Rect"]]
    raise AssertionError("no signature widget")


def as_rendered(pdf: bytes) -> bytes:
    """The PDF as WeasyPrint wrote it: what comes before the incremental update that carries the signature."""
    assert pdf.count(b"%%EOF") == 2  # the rendering's end, then the signature's update
    return pdf[: pdf.index(b"%%EOF") + len(b"%%EOF")]


def test_a_batch_over_worker_processes_stores_what_issuing_one_by_one_stores(cast, winners, monkeypatch):
    ensure_demo_authority([cast.union])  # signed, as by a Union with its organisation certificate
    monkeypatch.setattr(certificates, "CHUNK_PER_PROCESS", 1)  # 2 processes: chunks of 2, so two transactions
    codes = itertools.count()
    monkeypatch.setattr("lienhiep.portal.models.new_certificate_code", lambda: f"KTCODE{next(codes):06d}")

    def issue(batch: bool) -> list[tuple[str, bytes, str]]:
        nonlocal codes
        codes = itertools.count()  # the same codes both ways
        counted = []
        with transaction.atomic():  # undone afterwards: the same numbers both ways
            todo = certificates.holders(f.fresh(winners))
            if batch:
                made = certificates.issue_batch(
                    todo, actor=cast.staff, base_url="https://lienhiep.test", processes=2, progress=counted.append
                )
                assert counted == [2, 4]
            else:
                made = [certificates.issue_one(h, actor=cast.staff, base_url="https://lienhiep.test") for h in todo]
            out = []
            for item in made:
                with item.pdf.open("rb") as handle:
                    out.append((item.certificate.number_symbol(), handle.read(), item.certificate.pdf_sha256))
            transaction.set_rollback(True)
        return out

    batch, one_by_one = issue(batch=True), issue(batch=False)
    assert [n for n, _, _ in batch] == [n for n, _, _ in one_by_one] == ["01/GCN-LHH", "02/GCN-LHH", "03/GCN-LHH",
                                                                         "04/GCN-LHH"]  # fmt: skip
    for (_, data, digest), (_, alone, _) in zip(batch, one_by_one, strict=True):
        assert hashlib.sha256(data).hexdigest() == digest  # stored once, as hashed
        assert as_rendered(data) == as_rendered(alone)  # the same page, byte for byte, whichever process made it
        assert verify_pdf(data).status == Status.GENUINE
        # the stamp's place, read once per layout and reused, is where reading each PDF would put it
        page, box = stamp_box(as_rendered(data), "Nguyễn Văn Sơn")
        assert signature_widget(data) == (page, [float(v) for v in box])
    assert len({as_rendered(data) for _, data, _ in batch}) == 4


def test_the_certificate_fetches_only_its_own_files(awarded, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a certificate opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = certificates.local_files_fetcher(FONTS)
    with pytest.raises(certificates.RefusedURL):
        fetcher("https://lienhiep.example/logo.png")
    with pytest.raises(certificates.RefusedURL):
        fetcher("file:///etc/hostname")  # local, but not one of the certificate's files
    font = fetcher((FONTS / "LiberationSerif-Regular.ttf").as_uri())
    assert font.read() == (FONTS / "LiberationSerif-Regular.ttf").read_bytes()
    renderer = certificates.CertificateRenderer()
    with pytest.raises(certificates.RefusedURL):  # a page asking for a remote image is refused, not fetched
        renderer.pdf('<p>Giấy chứng nhận <img src="https://lienhiep.example/logo.png"></p>')
    assert renderer.pdf("<p>Giấy chứng nhận</p>").startswith(b"%PDF")


def test_fonts_are_subset_by_harfbuzz(caplog):
    """WeasyPrint falls back to fontTools (slower) and says so where HarfBuzz's subsetting library is missing
    (Debian: libharfbuzz-subset0, installed by .ci/run and listed in the README's deployment section)."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        certificates.CertificateRenderer().pdf("<p>Liên hiệp các Hội Khoa học và Kỹ thuật</p>")
    assert not [r for r in caplog.records if "HarfBuzz" in r.getMessage()]
