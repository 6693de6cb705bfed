"""Every kind of official document rendered through LibreOffice and read back by position (pdfplumber): the
national title and the motto each on one line, the number and the date on one level, the three short rules (under
the issuing body, the motto and the subject), the signature block on one page with the last paragraph, no article
or heading at the foot of a page, the annex after the signature on a page of its own, zero-padded numbers; and in
the DOCX runs (python-docx) the italics of the grounds and of the date, the bold article labels and the grounds'
punctuation.

The documents are built once (in the first test's transaction, from the cast) and converted once per test session,
two conversions at a time. LibreOffice is required: where it is missing these tests fail."""

import datetime
import io
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from lienhiep.advisory.annual import annual_report
from lienhiep.advisory.documents import case_report, council_decision, meeting_minutes
from lienhiep.advisory.models import Case, FormOfWork, Kind, Meeting, MeetingItem, Recommendation, Review, Seat
from lienhiep.advisory.stats import year_stats
from lienhiep.contests.award_decision import award_decision
from lienhiep.contests.models import Award, Contributor, Entry
from lienhiep.core.models import Agency, Person
from lienhiep.experts.models import Expert
from lienhiep.outreach.models import ActionItem, AgendaItem, Minutes, MinutesEntry, WorkSession
from lienhiep.outreach.notice import conclusion_notice
from lienhiep.paperwork import (
    Article,
    Heading,
    Issue,
    Letterhead,
    OfficialDocument,
    Signer,
    number_symbol,
    render_docx,
    signer_for,
)
from lienhiep.paperwork.decree30 import MOTTO, NATIONAL_TITLE
from lienhiep.paperwork.pdf import docx_to_pdf
from tests.advisory import factories as advisory
from tests.contests import factories as contests

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 5)
CHAIR = signer_for("Nguyễn Văn Sơn", "Chủ tịch")
DEPUTY = signer_for("Trần Văn Hùng", "Phó Chủ tịch")
MM = 72 / 25.4  # PDF points in a millimetre
LEFT_COLUMN_END = (30 + 70) * MM  # the heading's left column ends 100 mm from the page's left edge
PEOPLE = [
    ("Hoàng Minh Đức", "PGS", "TS", "Giám đốc"),
    ("Y Blong", "", "ThS", "Giảng viên chính"),
    ("Trần Thị Bình", "", "TS", "Trưởng phòng Nghiên cứu cây dược liệu"),
    ("Lê Văn Cường", "GS", "TSKH", "Nguyên Viện trưởng"),
    ("Nguyễn Thị Mai", "", "KS", "Phó Trưởng phòng Kế hoạch - Tài chính"),
    ("A Thiêng", "", "ThS", "Chuyên viên"),
    ("Phạm Quốc Việt", "PGS", "TS", "Trưởng khoa Nông lâm"),
    ("Đinh Văn Hải", "", "BS", "Phó Giám đốc"),
    ("Y Hiên", "", "CN", "Chuyên viên chính"),
    ("Võ Thanh Tùng", "", "KTS", "Trưởng phòng Quy hoạch"),
    ("Lò Văn Sáng", "", "ThS", "Giảng viên"),
    ("Bùi Thị Hạnh", "", "TS", "Phó Viện trưởng"),
]
ROLES = [Seat.Role.CHAIR, Seat.Role.SECRETARY, Seat.Role.REVIEWER, Seat.Role.REVIEWER] + [Seat.Role.MEMBER] * 8
REVIEW = {
    "legal_basis": "Đề án phù hợp với Nghị quyết Đại hội Đảng bộ tỉnh và quy hoạch tỉnh thời kỳ 2021–2030.",
    "necessity": "Việc xây dựng đề án là cần thiết.",
    "objectives": "Mục tiêu 500 ha cây dược liệu chưa có cơ sở tính toán.\n- Chưa tách chỉ tiêu theo từng năm",
    "feasibility": "Giải pháp liên kết chuỗi giá trị cần làm rõ vai trò doanh nghiệp.",
    "resources": "Nguồn kinh phí xã hội hóa chưa rõ.",
    "impact": "Cần đánh giá tác động môi trường dưới tán rừng.",
}


@dataclass
class Line:
    """Words on one baseline that are not separated by a column gap."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Rule:
    page: int
    x0: float
    x1: float
    y: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Rendered:
    doc: OfficialDocument
    docx: bytes
    pdf: bytes
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    pages: int = 0

    def page_lines(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]

    def find(self, text: str, page: int | None = None, *, exact: bool = False) -> Line:
        found = [
            line
            for line in self.lines
            if (text == line.text if exact else text in line.text) and page in (None, line.page)
        ]
        assert found, f"{text!r} not found in {[line.text for line in self.lines]}"
        return found[0]


def read_pdf(pdf: bytes) -> tuple[list[Line], list[Rule], int]:
    lines: list[Line] = []
    rules: list[Rule] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = sorted(page.extract_words(x_tolerance=1.5), key=lambda w: (round(w["top"]), w["x0"]))
            rows: list[list[dict]] = []
            for word in words:
                if rows and abs(rows[-1][0]["top"] - word["top"]) < 2.5:
                    rows[-1].append(word)
                else:
                    rows.append([word])
            for row in rows:
                row.sort(key=lambda w: w["x0"])
                group = [row[0]]
                for word in row[1:]:
                    gap = word["x0"] - group[-1]["x1"]
                    if gap > 20 or (gap > 8 and group[-1]["x1"] < LEFT_COLUMN_END <= word["x0"]):  # columns
                        lines.append(_line(number, group))
                        group = []
                    group.append(word)
                lines.append(_line(number, group))
            seen = set()
            for edge in page.horizontal_edges:
                key = (round(edge["x0"]), round(edge["x1"]), round(edge["top"]))
                if edge["x1"] - edge["x0"] > 20 and key not in seen:
                    seen.add(key)
                    rules.append(Rule(number, edge["x0"], edge["x1"], edge["top"]))
        return lines, rules, len(document.pages)


def _line(page: int, words: list[dict]) -> Line:
    text = unicodedata.normalize("NFC", " ".join(w["text"] for w in words))
    return Line(
        page, text, words[0]["x0"], words[-1]["x1"], min(w["top"] for w in words), max(w["bottom"] for w in words)
    )


def issue(number: int, code: str, signer: Signer) -> Issue:
    return Issue(number_symbol(number, code, "LHH"), DAY, signer)


def advisory_case(cast, kind: str, title: str, *, members: int, form: str = FormOfWork.COUNCIL) -> Case:
    """A case with its council (chair, secretary, two reviewers, members), the reviews submitted, three
    recommendations."""
    union = cast.union
    research = Agency.objects.get_or_create(
        union=union, name="Trung tâm Nghiên cứu Dược liệu Ngọc Linh", defaults={"kind": Agency.Kind.RESEARCH}
    )[0]
    case = Case.objects.create(
        union=union,
        kind=kind,
        year=2026,
        seq=Case.objects.filter(union=union, year=2026).count() + 1,
        title=title,
        summary="Phát triển sâm Ngọc Linh và cây dược liệu dưới tán rừng.\nLiên kết chuỗi giá trị với doanh nghiệp.",
        requesting_agency=cast.agency,
        admin_unit=cast.district,
        request_number="215/UBND-KT",
        request_date=datetime.date(2026, 2, 26),
        received_on=datetime.date(2026, 3, 1),
        form_of_work=form,
        review_due_on=datetime.date(2026, 3, 20),
        conclusion="Đề án cần thiết, phù hợp quy hoạch; cần bổ sung cơ sở các chỉ tiêu trước khi trình phê duyệt.",
    )
    for (name, title_, degree, position), role in zip(PEOPLE[:members], ROLES, strict=False):
        expert = Expert.objects.filter(union=union, person__name=name).first()
        expert = expert or advisory.expert(union, name, agency=research)
        Person.objects.filter(pk=expert.person_id).update(academic_title=title_, degree=degree, position=position)
        seat = Seat.objects.create(union=union, case=case, expert=expert, role=role)
        if role != Seat.Role.SECRETARY:
            Review.objects.create(union=union, case=case, seat=seat, state=Review.State.SUBMITTED, **REVIEW)
    for number, text in enumerate(
        [
            "Làm rõ cơ sở của mục tiêu 500 ha cây dược liệu.",
            "Xác định rõ nguồn kinh phí xã hội hóa",
            "Bổ sung đánh giá tác động môi trường dưới tán rừng.",
        ],
        start=1,
    ):
        Recommendation.objects.create(
            union=union, case=case, number=number, text=text, response="accepted" if number == 1 else ""
        )
    return case


def council_meeting(case: Case) -> Meeting:
    seats = list(case.seats.order_by("pk"))
    meeting = Meeting.objects.create(
        union=case.union,
        case=case,
        held_on=datetime.date(2026, 3, 19),
        starts_at=datetime.time(8, 0),
        ends_at=datetime.time(11, 30),
        place="Hội trường Liên hiệp hội",
        chaired_by=seats[0],
        minutes_by=seats[1],
    )
    meeting.present.set(seats[:-1])
    MeetingItem.objects.create(
        meeting=meeting,
        order=1,
        title="Ý kiến của các ủy viên phản biện",
        discussion="Hai ủy viên phản biện trình bày ý kiến bằng văn bản.\nCác thành viên thảo luận.",
    )
    MeetingItem.objects.create(
        meeting=meeting, order=2, title="Biểu quyết kết luận", conclusion="Thông qua.", votes_for=4, votes_against=0
    )
    return meeting


def contest_edition(cast):
    """An edition with four winners in two fields, one without a prize amount."""
    edition = contests.edition(cast, code="ST9")
    tiers = list(edition.tiers.order_by("rank"))
    school = Agency.objects.create(union=cast.union, name="Trường THPT Nguyễn Trãi", kind="school")
    for number, (field_code, title, authors, tier) in enumerate(
        [
            ("CK", "Máy tách hạt cà phê cải tiến tiết kiệm điện", ["Đinh Văn Khang", "Y Hạnh"], tiers[0]),
            ("CK", "Lò sấy nông sản dùng năng lượng mặt trời", ["A Sang"], tiers[2]),
            ("NN", "Vườn rau thủy canh hồi lưu", ["Y Lan", "Nguyễn Thị Thu"], tiers[2]),
            ("NN", "Quy trình nhân giống sâm Ngọc Linh bằng hom", ["Lê Văn Tám"], tiers[3]),
        ],
        start=1,
    ):
        entry = Entry.objects.create(
            union=cast.union,
            edition=edition,
            field=edition.fields.get(code=field_code),
            title=title,
            summary="Giải pháp đã áp dụng tại địa phương.",
            locality=cast.district,
            school=school if number == 3 else None,
            number=f"ST9-{number:03d}",
        )
        for order, name in enumerate(authors):
            person = Person.objects.create(union=cast.union, name=name)
            Contributor.objects.create(entry=entry, person=person, order=order)
        Award.objects.create(entry=entry, tier=tier, proposed_tier=tier, score=95 - 8 * number)
    return edition


def approved_minutes(cast) -> Minutes:
    session = WorkSession.objects.create(
        union=cast.union,
        title="Làm việc với UBND huyện Đăk Tô",
        held_on=datetime.date(2026, 2, 10),
        admin_unit=cast.district,
        place="Hội trường UBND huyện Đăk Tô",
    )
    session.agencies.set([cast.agency])
    session.delegation.set([cast.person])
    minutes = Minutes.objects.create(
        session=session, conclusion="Huyện phối hợp triển khai tư vấn, phản biện năm 2026."
    )
    for order, (title, discussion, conclusion) in enumerate(
        [
            ("Chức năng, nhiệm vụ của Liên hiệp hội", "Đã trình bày.", "Huyện gửi danh mục dự án cần phản biện."),
            ("Quyết định 48/2017/QĐ-UBND", "Các đại biểu trao đổi về quy trình.", ""),
            ("Hội thi Sáng tạo kỹ thuật", "Đã trình bày.", "Huyện vận động các trường tham gia Hội thi."),
        ],
        start=1,
    ):
        item = AgendaItem.objects.create(session=session, order=order, title=title)
        MinutesEntry.objects.create(minutes=minutes, agenda_item=item, discussion=discussion, conclusion=conclusion)
    ActionItem.objects.create(
        union=cast.union,
        session=session,
        title="Gửi danh mục dự án năm 2026",
        owner_agency=cast.agency,
        due_on=datetime.date(2026, 4, 15),
    )
    return minutes


def many_articles(union) -> OfficialDocument:
    """A decision of many articles, short and long, so that page breaks fall near article labels."""
    sentence = "Các cơ quan, đơn vị có liên quan phối hợp tổ chức thực hiện đúng quy định, báo cáo kết quả định kỳ. "
    short = "Giao Văn phòng theo dõi, đôn đốc thực hiện."  # one line
    body = [Article(f"Điều {n}.", short if n % 4 == 0 else sentence * (1 + (n * 5) % 7)) for n in range(1, 17)]
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="QUYẾT ĐỊNH",
        number=number_symbol(9, "QĐ", "LHH"),
        date=DAY,
        subject="Về việc ban hành Quy chế phối hợp tư vấn, phản biện và giám định xã hội",
        competence="BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM",
        grounds=[
            "Căn cứ Điều lệ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum",
            "Theo đề nghị của Chánh Văn phòng",
        ],
        body=body,
        signer=CHAIR,
        recipients=["Như Điều 16", "Lưu: VT"],
    )


def signature_at_the_foot(union) -> OfficialDocument:
    """A notice just long enough that its signature block would not fit under its last paragraph on page 1."""
    filler = "các cơ quan, đơn vị có liên quan phối hợp tổ chức thực hiện."
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="THÔNG BÁO",
        number=number_symbol(8, "TB", "LHH"),
        date=DAY,
        subject="Kết luận của Thường trực Liên hiệp hội",
        body=[f"Nội dung {n}: {filler}" for n in range(1, 19)] + ["Liên hiệp hội thông báo để biết, thực hiện."],
        signer=CHAIR,
        recipients=["Các Hội thành viên", "Lưu: VT"],
    )


def build_documents(cast) -> dict[str, OfficialDocument]:
    union = cast.union
    union.governing_body, union.issuing_body = "UBND TỈNH KON TUM", "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT"
    union.save()
    title = "Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2026–2030"
    critique = advisory_case(cast, Kind.CRITIQUE, title, members=12)
    meeting = council_meeting(critique)
    consulting = advisory_case(cast, Kind.CONSULTING, "Tư vấn phương án sắp xếp trạm khuyến nông", members=4)
    assessment = advisory_case(
        cast,
        Kind.ASSESSMENT,
        "Giám định xã hội việc thực hiện Đề án phát triển cây dược liệu",
        members=4,
        form=FormOfWork.GROUP,
    )
    documents = {
        "council decision": council_decision(critique, issue(1, "QĐ", CHAIR)),
        "critique report": case_report(critique, issue(2, "BC", DEPUTY)),
        "consulting report": case_report(consulting),  # a draft
        "assessment report": case_report(assessment, issue(3, "BC", CHAIR)),
        "council minutes": meeting_minutes(critique, meeting, issue(4, "BB", Signer("Hoàng Minh Đức", "CHỦ TỌA"))),
        "award decision": award_decision(contest_edition(cast), issue(5, "QĐ", CHAIR)),
        "annual report": annual_report(union, year_stats(union, 2026), issue(7, "BC", CHAIR)),
        "many articles": many_articles(union),
        "signature at the foot": signature_at_the_foot(union),
    }
    # the notice of a Union whose issuing body carries its own line break and no governing body
    union.governing_body, union.issuing_body = "", "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT TỈNH KON TUM"
    union.save()
    documents["conclusion notice"] = conclusion_notice(approved_minutes(cast), issue(6, "TB", DEPUTY))
    return documents


KINDS = [
    "council decision",
    "critique report",
    "consulting report",
    "assessment report",
    "council minutes",
    "award decision",
    "conclusion notice",
    "annual report",
    "many articles",
    "signature at the foot",
]
DECISIONS = ["council decision", "award decision", "many articles"]
_rendered: dict[str, Rendered] = {}


def _render(doc: OfficialDocument) -> Rendered:
    data = render_docx(doc)
    made = Rendered(doc, data, docx_to_pdf(data))
    made.lines, made.rules, made.pages = read_pdf(made.pdf)
    return made


@pytest.fixture
def rendered(cast) -> dict[str, Rendered]:
    """Every document, built and converted by the first test that asks (kept for the session)."""
    if not _rendered:
        documents = build_documents(cast)
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            _rendered.update(zip(documents, pool.map(_render, documents.values()), strict=True))
    return _rendered


def heading_lines(made: Rendered) -> dict[str, Line]:
    """The first page's heading, by what each line is."""
    first = made.page_lines(1)
    right = [line for line in first if line.x0 >= LEFT_COLUMN_END - 5]
    number = next(line for line in first if line.text.startswith("Số:"))
    left = [line for line in first if line.x1 <= LEFT_COLUMN_END + 5 and line.top < number.top]
    letterhead = made.doc.letterhead
    issuing = [line for line in left if line.text.split()[0] in letterhead.issuing_body.upper().split()]
    governing = [line for line in left if line not in issuing]
    return {
        "title": next(line for line in right if "CỘNG HÒA" in line.text),
        "motto": next(line for line in right if line.text.startswith("Độc lập")),
        "date": next(line for line in right if ", ngày" in line.text),
        "number": number,
        "issuing": issuing,
        "governing": governing,
    }


def rule_under(made: Rendered, above: float, below: float, *, right: bool) -> Rule:
    """The one rule on the first page between two heights, in the heading's left or right column."""
    found = [
        rule
        for rule in made.rules
        if rule.page == 1 and above < rule.y < below and (rule.x0 >= LEFT_COLUMN_END - 5) == right
    ]
    assert len(found) == 1, (above, below, found)
    return found[0]


@pytest.mark.parametrize("name", KINDS)
def test_national_title_and_motto_stand_on_one_line_each_and_the_number_beside_the_date(rendered, name):
    made = rendered[name]
    head = heading_lines(made)
    assert head["title"].text == NATIONAL_TITLE
    assert head["motto"].text == MOTTO
    assert abs(head["number"].top - head["date"].top) < 2  # one level
    assert head["date"].top > head["motto"].bottom and head["number"].top > head["issuing"][-1].bottom


@pytest.mark.parametrize("name", KINDS)
def test_the_issuing_body_breaks_only_where_it_should(rendered, name):
    head = heading_lines(rendered[name])
    issuing = [line.text for line in head["issuing"]]
    if name == "conclusion notice":  # the Union's own line break
        assert issuing == ["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH KON TUM"] and not head["governing"]
    else:
        assert issuing == ["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT"]
        assert [line.text for line in head["governing"]] == ["UBND TỈNH KON TUM"]


@pytest.mark.parametrize("name", KINDS)
def test_the_three_short_rules(rendered, name):
    made = rendered[name]
    head = heading_lines(made)
    # under the issuing body: 1/3 to 1/2 of its width, centred under it, above the number
    issuing = head["issuing"]
    name_left, name_right = min(line.x0 for line in issuing), max(line.x1 for line in issuing)
    name_width = max(line.x1 - line.x0 for line in issuing)
    rule = rule_under(made, issuing[-1].bottom - 1, head["number"].top, right=False)
    assert name_width / 3 - 2 <= rule.width <= name_width / 2 + 2
    assert abs((rule.x0 + rule.x1) / 2 - (name_left + name_right) / 2) < 3
    # under the motto: as long as the motto
    motto = head["motto"]
    rule = rule_under(made, motto.bottom - 1, head["date"].top, right=True)
    assert abs(rule.x0 - motto.x0) < 3 and abs(rule.x1 - motto.x1) < 3
    # under the subject: 1/3 to 1/2 of its longest line, centred on the text
    kind = made.find(made.doc.doc_type, page=1)
    below = [line for line in made.page_lines(1) if line.top > kind.bottom]
    rules = [rule for rule in made.rules if rule.page == 1 and rule.y > kind.bottom]
    rule = min(rules, key=lambda r: r.y)
    subject = [line for line in below if line.bottom < rule.y + 1]
    assert " ".join(line.text for line in subject) == " ".join(made.doc.subject.split())
    widest = max(line.x1 - line.x0 for line in subject)
    assert widest / 3 - 2 <= rule.width <= widest / 2 + 2
    assert abs((rule.x0 + rule.x1) / 2 - (30 + 165 / 2) * MM) < 3
    assert min(line.top for line in below if line.top > rule.y) - rule.y < 30  # the body follows closely


@pytest.mark.parametrize("name", KINDS)
def test_the_signature_block_stays_on_one_page_with_the_last_paragraph(rendered, name):
    made = rendered[name]
    signer = made.doc.signer
    block = [made.find(line, exact=True) for line in signer.lines]
    block += [made.find(signer.name, exact=True)] if signer.name else []
    pages = {line.page for line in block}
    assert len(pages) == 1, [(line.text, line.page) for line in block]
    page = pages.pop()
    last = made.doc.body[-1]
    last_word = (last if isinstance(last, str) else last.text).split()[-1]
    assert made.find(last_word.rstrip(".") + "./.").page == page  # not alone: the end of the text goes with it
    if made.doc.cosigner:  # minutes: the secretary on the left, the chair on the right, side by side
        secretary = made.find(made.doc.cosigner.lines[-1], page=page, exact=True)
        chair = made.find(signer.lines[-1], page=page, exact=True)
        assert abs(secretary.top - chair.top) < 2 and secretary.x1 < chair.x0
        assert made.find(made.doc.cosigner.name, page=page)
    else:
        assert made.find("Nơi nhận:").page == page


@pytest.mark.parametrize("name", KINDS)
def test_no_article_or_heading_is_left_at_the_foot_of_a_page(rendered, name):
    made = rendered[name]
    starts = [item.label for item in made.doc.body if isinstance(item, Article)]
    starts += [item.text for item in made.doc.body if isinstance(item, Heading)]
    for page in range(1, made.pages):
        last = max(made.page_lines(page), key=lambda line: line.top)
        assert not any(last.text.startswith(start) or start.startswith(last.text) for start in starts), (page, last)
    assert made.pages >= 2 or name not in ("council decision", "many articles")


def test_the_annex_follows_the_signature_on_a_page_of_its_own(rendered):
    made = rendered["award decision"]
    signature = made.find("Nguyễn Văn Sơn")
    label = made.find("Phụ lục", exact=True)
    assert label.page > signature.page
    first = sorted(made.page_lines(label.page), key=lambda line: line.top)
    assert first[0].text == "Phụ lục"  # the top of a new page, its number not shown
    assert [line.text for line in first[1:3]] == [  # broken before the contest's name
        "DANH SÁCH CÁC GIẢI PHÁP ĐẠT GIẢI",
        "HỘI THI SÁNG TẠO KỸ THUẬT TỈNH KON TUM LẦN THỨ 9",
    ]
    start = next(i for i, line in enumerate(first) if line.text.startswith("(Kèm theo"))
    note = " ".join(line.text for line in first[start : start + 2])
    assert note.startswith("(Kèm theo Quyết định số 05/QĐ-LHH ngày 05 tháng 3 năm 2026 của Ban Thường vụ Liên hiệp")
    assert "tỉnh Kon Tum)" in note
    header = made.find("Tên giải pháp", page=label.page)
    assert made.find("Máy tách hạt cà phê", page=label.page).top > header.top
    assert made.find("15.000.000", page=label.page)


def test_numbers_below_ten_take_a_leading_zero(rendered):
    numbers = {name: heading_lines(rendered[name])["number"].text for name in KINDS}
    assert numbers["council decision"] == "Số: 01/QĐ-LHH"
    assert numbers["council minutes"] == "Số: 04/BB-LHH"
    assert numbers["annual report"] == "Số: 07/BC-LHH"
    assert numbers["consulting report"] == "Số: /BC-LHH"  # a draft leaves room to write it in


@pytest.mark.parametrize("name", DECISIONS)
def test_a_decisions_authority_grounds_and_articles_in_the_docx_runs(rendered, name):
    document = Document(io.BytesIO(rendered[name].docx))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    authority = texts.index("QUYẾT ĐỊNH:") - 1
    grounds = [p for p in paragraphs if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert grounds and paragraphs.index(grounds[0]) > texts.index(next(t for t in texts if t.startswith("BAN ")))
    assert all(run.italic for p in grounds for run in p.runs)
    assert [p.text[-1] for p in grounds] == [";"] * (len(grounds) - 1) + ["."]
    assert paragraphs[authority] is grounds[-1]
    competence = next(p for p in paragraphs if p.text.startswith("BAN THƯỜNG VỤ"))
    assert competence.runs[0].bold and competence.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert competence.text.replace("\n", " ").endswith("KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM")
    articles = [p for p in paragraphs if re.match(r"Điều \d+\.", p.text)]
    assert articles and all(p.runs[0].text == f"Điều {n}." and p.runs[0].bold for n, p in enumerate(articles, 1))
    assert all(not p.runs[1].bold and p.runs[1].text.startswith(" ") for p in articles)
    date = document.tables[0].rows[1].cells[1].paragraphs[0]
    assert date.text == "Kon Tum, ngày 05 tháng 3 năm 2026" and all(run.italic for run in date.runs)


def test_the_minutes_say_when_who_chaired_and_who_took_them(rendered):
    made = rendered["council minutes"]
    assert made.find("Thời gian: 08 giờ 00, ngày 19 tháng 3 năm 2026.").page == 1
    assert made.find("Chủ trì (chủ tọa): PGS.TS Hoàng Minh Đức – Chủ tịch Hội đồng.").page == 1
    assert made.find("Thư ký (người ghi biên bản): ThS Y Blong – Thư ký Hội đồng.").page == 1
    assert made.find("Cuộc họp kết thúc vào 11 giờ 30 cùng ngày.")
    assert made.find("Có mặt 11/12 thành viên Hội đồng phản biện")


def test_the_notice_gives_the_conclusions_only(rendered):
    made = rendered["conclusion notice"]
    text = " ".join(line.text for line in made.lines)
    assert "1. Chức năng, nhiệm vụ của Liên hiệp hội Huyện gửi danh mục dự án cần phản biện." in text
    assert "2. Hội thi Sáng tạo kỹ thuật Huyện vận động các trường tham gia Hội thi." in text
    assert "Quyết định 48/2017" not in text and "Đã trình bày" not in text  # no conclusion: not in the notice
    assert "3. Kết luận chung" in text


def test_the_reports_are_reports_of_results(rendered):
    subjects = {
        name: rendered[name].doc.subject for name in ("critique report", "consulting report", "assessment report")
    }
    assert {rendered[name].doc.doc_type for name in subjects} == {"BÁO CÁO"}
    assert subjects == {
        "critique report": "Kết quả phản biện Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2026–2030",
        "consulting report": "Kết quả tư vấn phương án sắp xếp trạm khuyến nông",
        "assessment report": "Kết quả giám định xã hội việc thực hiện Đề án phát triển cây dược liệu",
    }
    report = rendered["critique report"]
    order = [
        report.find(text)
        for text in (
            "II. THÀNH PHẦN HỘI ĐỒNG",
            "III. Ý KIẾN PHẢN BIỆN",
            "1. Về cơ sở chính trị, pháp lý",
            "V. KIẾN NGHỊ",
        )
    ]
    assert order == sorted(order, key=lambda line: (line.page, line.top))
    assert report.find("Mục tiêu 500 ha cây dược liệu chưa có cơ sở tính toán. Chưa tách")
    assert report.find("1. Làm rõ cơ sở của mục tiêu 500 ha cây dược liệu.")
