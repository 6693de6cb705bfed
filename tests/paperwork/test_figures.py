"""Charts as pictures in the documents: `chart_png` makes a PNG of the asked size, the same bytes for the same chart
(also from another thread), with the vendored fonts only and the Vietnamese number format on its axis; a `Figure`
in a Decree 30 document is a centred inline picture with its italic caption «Biểu đồ N. …» (numbered through the
body and the annex), kept with the table before it; the annual report, drafted and issued, carries its charts next
to their tables."""

import datetime
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from matplotlib.backends import backend_agg

from lienhiep.advisory import annual, stats
from lienhiep.advisory.models import Status
from lienhiep.core.charts import Chart, Series
from lienhiep.paperwork import Annex, Figure, Letterhead, OfficialDocument, Table, render_docx
from lienhiep.paperwork import figures as figures_module
from lienhiep.paperwork.decree30 import TEXT_MM, xml_safe
from lienhiep.paperwork.figures import FONTS, chart_png, height_mm
from tests.advisory import factories as f

LETTERHEAD = Letterhead("UBND TỈNH KON TUM", "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT", "LHH", "Kon Tum")
KINDS = Chart(
    key="kinds",
    title="Hồ sơ tiếp nhận theo loại hoạt động và năm",
    label_header="Năm",
    labels=("2022", "2023", "2024"),
    series=(Series("Tư vấn", (3, 0, 1250)), Series("Phản biện", (2, None, 4)), Series("Giám định xã hội", (1, 1, 1))),
    kind="stacked",
)
AGENCIES = Chart(
    key="agencies",
    title="Tỷ lệ tiếp thu kiến nghị",
    label_header="Cơ quan",
    labels=("Sở Tài nguyên và Môi trường tỉnh Kon Tum", "UBND huyện Đăk Tô", "$x$ _hidden"),
    series=(Series("Tỷ lệ tiếp thu", (100.0, 66.7, 12.5)),),
    kind="hbar",
    unit="%",
    decimals=1,
)
RATES = Chart("rates", "Tỷ lệ", "Năm", ("2022", "2023", "2024"), (Series("Tỷ lệ", (55.5, None, 80.0)),), "line", "%", 1)
PAIRS = Chart("pairs", "Đúng hạn", "Năm", ("2022", "2023"), (Series("Đúng hạn", (3, 5)), Series("Trễ hạn", (1, 2))))
PNG = b"\x89PNG\r\n\x1a\n"


def size_of(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.mark.parametrize("chart", [KINDS, AGENCIES, RATES, PAIRS], ids=lambda chart: chart.key)
def test_a_chart_is_a_png_of_the_asked_size_and_the_same_bytes_every_time(chart):
    png = chart_png(chart, width_mm=160, height_mm=80)
    assert png.startswith(PNG)
    assert size_of(png) == (pytest.approx(1260, abs=1), pytest.approx(630, abs=1))  # 200 dpi
    assert chart_png(chart, width_mm=160, height_mm=80) == png
    with ThreadPoolExecutor(max_workers=3) as pool:  # no state shared between drawings
        assert set(pool.map(lambda _n: chart_png(chart, width_mm=160, height_mm=80), range(3))) == {png}
    assert b"matplotlib" not in png and b"Software" not in png and b"tIME" not in png  # no name, no timestamp
    assert chart_png(chart, width_mm=120, height_mm=60) != png


def test_the_text_is_set_in_the_vendored_fonts_only(monkeypatch):
    used = []
    real = backend_agg.get_font

    def recorded(paths, *args, **kwargs):
        used.extend(paths if isinstance(paths, list | tuple) else [paths])
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(backend_agg, "get_font", recorded)
    for chart in (KINDS, AGENCIES, RATES, Chart("empty", "—", "Năm", (), ())):
        chart_png(chart)
    assert used and {str(path).rsplit("/", 1)[0] for path in used} == {str(FONTS)}


def test_the_axis_and_the_figures_are_written_the_vietnamese_way():
    assert figures_module._tick(KINDS, 1250.0) == "1.250" and figures_module._tick(KINDS, 2.5) == "2,5"
    assert figures_module._tick(AGENCIES, 20.0) == "20%"
    assert figures_module._number(AGENCIES, 66.7) == "66,7%" and figures_module._number(KINDS, 1250) == "1.250"
    assert figures_module._ticks(AGENCIES, 100.0) == [0, 20, 40, 60, 80, 100]
    assert all(float(t).is_integer() for t in figures_module._ticks(KINDS, 1254))  # counts: whole ticks


def test_horizontal_bars_get_room_for_their_labels():
    assert height_mm(KINDS) == 80
    many = Chart("many", "—", "Cơ quan", tuple(f"Cơ quan số {n}" for n in range(20)), (Series("x", (1,) * 20),), "hbar")
    assert height_mm(AGENCIES) < height_mm(many) <= 220


def render(body: list, annex: Annex | None = None) -> Document:
    doc = OfficialDocument(LETTERHEAD, "BÁO CÁO", "7/BC-LHH", datetime.date(2026, 1, 5), "Kết quả", body, annex=annex)
    return Document(io.BytesIO(render_docx(doc)))


def pictures(document: Document) -> list:
    """The paragraphs that hold an inline picture."""
    return [p for p in document.paragraphs if p._p.findall(f".//{qn('w:drawing')}")]


def test_a_figure_is_a_centred_inline_picture_with_its_caption_kept_with_its_table():
    png = chart_png(PAIRS)
    table = Table(("Năm", "Đúng hạn", "Trễ hạn"), (("2022", "3", "1"), ("2023", "5", "2")))
    document = render(
        [
            "Báo cáo gửi đúng hạn:",
            table,
            Figure(png, "Báo cáo gửi đúng hạn"),
            Figure(png, "Lần hai", width=400),
            "Hết.",
        ],
        Annex("PHỤ LỤC SỐ LIỆU", [Figure(png, "Trong phụ lục")]),
    )
    shown = pictures(document)
    assert len(shown) == len(document.inline_shapes) == 3
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in shown)
    assert all(p.paragraph_format.keep_with_next for p in shown)  # the picture goes with its caption
    assert document.inline_shapes[0].width == Mm(160) and document.inline_shapes[1].width == Mm(TEXT_MM)
    captions = [p for p in document.paragraphs if p.text.startswith("Biểu đồ")]
    assert [p.text for p in captions] == [
        "Biểu đồ 1. Báo cáo gửi đúng hạn",
        "Biểu đồ 2. Lần hai",
        "Biểu đồ 3. Trong phụ lục",  # numbered through the annex
    ]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.italic for r in p.runs) for p in captions)
    assert [shape._inline.docPr.get("descr") for shape in document.inline_shapes] == [p.text for p in captions]
    # the picture is the one given
    assert media(_docx_bytes(document)) == [png]  # one picture, stored once
    # the table before the figure goes with it (its rows kept with the next, and the spacer after it)
    body = document.tables[1]
    assert all(cell.paragraphs[0].paragraph_format.keep_with_next for row in body.rows for cell in row.cells)
    spacer = body._tbl.getnext()
    assert spacer.pPr.find(qn("w:keepNext")) is not None
    assert "Hết./." in [p.text for p in document.paragraphs]  # the end mark on the last text, not on a figure


def _docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_long_table_before_a_figure_keeps_only_its_last_row_with_it():
    rows = tuple((str(n), f"Cơ quan {n}") for n in range(1, 13))
    document = render([Table(("TT", "Cơ quan"), rows), Figure(chart_png(PAIRS), "Tỷ lệ")])
    kept = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in document.tables[1].rows]
    assert kept == [True] + [False] * 11 + [True]  # the header with the first row, the last with the figure


def test_xml_safe_cleans_a_figures_caption_and_keeps_its_picture():
    png = chart_png(PAIRS)
    doc = OfficialDocument(LETTERHEAD, "BÁO CÁO", "", None, "—", [Figure(png, "Tỷ lệ\x0b tiếp thu")])
    (figure,) = xml_safe(doc).body
    assert figure == Figure(png, "Tỷ lệ tiếp thu")


@pytest.fixture
def two_years(cast):
    """2021: a consulting request received; 2022: a critique answered (50 % accepted), sent on time."""
    f.new_case(cast, kind="consulting", received_on=datetime.date(2021, 5, 4), files=False)
    return f.journey(cast, until=Status.ANSWERED).case


CAPTIONS = [
    "Biểu đồ 1. Hồ sơ tiếp nhận theo loại hoạt động và năm",
    "Biểu đồ 2. Tỷ lệ tiếp thu kiến nghị của từng cơ quan đề nghị năm 2022",
    "Biểu đồ 3. Báo cáo gửi đúng hạn và trễ hạn, theo năm tiếp nhận hồ sơ",
]


def media(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name) for name in sorted(archive.namelist()) if name.startswith("word/media/")]


@pytest.mark.django_db
def test_the_annual_report_carries_its_charts_beside_their_tables(cast, two_years, client_for):
    response = client_for(cast.staff).get(reverse("advisory:stats_docx", args=[cast.union.slug]) + "?year=2022")
    document = Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 3
    assert [p.text for p in document.paragraphs if p.text.startswith("Biểu đồ")] == CAPTIONS
    assert all(png.startswith(PNG) for png in media(response.content))
    text = [p.text for p in document.paragraphs]
    assert "Số hồ sơ tiếp nhận theo loại hoạt động qua các năm 2021–2022:" in text
    # every picture comes right after its table (and the spacer that follows a table)
    for paragraph in pictures(document):
        before = paragraph._p.getprevious().getprevious()
        assert before.tag == qn("w:tbl")
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert ["Năm", "Tư vấn", "Phản biện", "Tổng"] in headers
    assert ["Năm", "Đúng hạn", "Trễ hạn", "Tổng"] in headers
    years = next(t for t in document.tables if t.rows[0].cells[1].text == "Tư vấn")
    assert [[c.text for c in row.cells] for row in years.rows[1:]] == [["2021", "1", "0", "1"], ["2022", "0", "1", "1"]]
    # the report of 2021 shows no later year
    earlier = Document(io.BytesIO(annual.annual_report_docx(cast.union, stats.year_stats(cast.union, 2021))))
    assert [p.text for p in earlier.paragraphs if p.text.startswith("Biểu đồ")] == [
        "Biểu đồ 1. Hồ sơ tiếp nhận theo loại hoạt động và năm"
    ]


@pytest.mark.django_db
def test_the_issued_annual_report_carries_the_same_pictures_as_the_draft(cast, two_years):
    draft = annual.annual_report_docx(cast.union, stats.year_stats(cast.union, 2022))
    issued = annual.sign_annual_report(cast.union, 2022, actor=cast.leader, today=datetime.date(2023, 1, 10))
    stored = issued.docx.open("rb").read()
    document = Document(io.BytesIO(stored))
    assert [p.text for p in document.paragraphs if p.text.startswith("Biểu đồ")] == CAPTIONS
    assert media(stored) == media(draft)  # the same figures drawn the same: the same bytes
