"""The award certificate as printed: the heading of Decree 30/2020 (national title on one line, the motto with its
rule, the issuing body with its rule and the register number «Số: 01/GCN-LHH»), a frame centred on the page, room for
the signature and the seal, the project's own fonts embedded; read back with pdfplumber. The register number: one
sequence per Union and year, allocated under a lock of the Union."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from django.db import IntegrityError, transaction
from fontTools.ttLib import TTFont
from pdfminer.pdftypes import resolve1

from lienhiep.contests import certificates
from lienhiep.contests.models import Award
from lienhiep.core.models import Union
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
