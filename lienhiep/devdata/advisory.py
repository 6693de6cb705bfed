"""Demo data of this module, loaded by lienhiep.devdata.demo after the registry, the experts and the outreach demo.

The seed's districts (Tu Mơ Rông, Đăk Tô) and the province's bodies ask the Union for consulting, critique and
social assessment; every case is walked through the services as the users would, so each stage of the state
machine has at least one case: a finished critique with the agency's answers and an implementation check, and a
social-assessment case linked to it. Titles and wording are illustrations written for the demo."""

import datetime
import functools
import io
import re
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from lienhiep.advisory import services, services_council, services_work
from lienhiep.advisory.models import Case, CaseFile, FormOfWork, Recommendation, Review, Seat, Status
from lienhiep.core.models import Agency, Union, User
from lienhiep.experts.models import Expert, Field
from lienhiep.outreach.models import LocalProject

STEPS = [
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.COUNCIL_PENDING,
    Status.COUNCIL_FORMED,
    Status.REVIEWING,
    Status.CONSOLIDATING,
    Status.REPORT_PENDING,
    Status.REPORT_SIGNED,
    Status.SENT,
    Status.ANSWERED,
    Status.ASSESSED,
    Status.CLOSED,
]
LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CASES = [
    # (status, kind, agency, title, summary, field codes, received days ago or a date, letter number)
    (
        Status.ASSESSED,
        "critique",
        "UBND huyện Tu Mơ Rông",
        "Đề án phát triển sâm Ngọc Linh và cây dược liệu huyện Tu Mơ Rông giai đoạn 2022–2025",
        "Mở rộng vùng trồng sâm Ngọc Linh dưới tán rừng, bảo tồn nguồn gen, liên kết chuỗi giá trị dược liệu, hỗ "
        "trợ đồng bào Xơ Đăng phát triển sinh kế và du lịch cộng đồng.",
        ["NN", "YT"],
        datetime.date(2022, 3, 14),
        "112/UBND-NN",
    ),
    (
        Status.CLOSED,
        "consulting",
        "UBND huyện Đăk Tô",
        "Quy hoạch xây dựng vùng huyện Đăk Tô đến năm 2035",
        "Định hướng phát triển không gian đô thị, nông thôn, hạ tầng giao thông và thủy lợi vùng huyện Đăk Tô; "
        "vùng sản xuất cà phê tập trung và bảo vệ môi trường.",
        ["XD", "MT"],
        datetime.date(2022, 8, 2),
        "845/UBND-KTHT",
    ),
    (
        Status.ANSWERED,
        "critique",
        "Sở Giáo dục và Đào tạo tỉnh Kon Tum",
        "Đề án nâng cao chất lượng giáo dục vùng đồng bào dân tộc thiểu số tỉnh Kon Tum",
        "Phát triển trường phổ thông dân tộc bán trú, tăng cường tiếng Việt cho trẻ em dân tộc thiểu số, đào tạo "
        "giáo viên và giáo dục STEM.",
        ["GD", "VH"],
        datetime.date(2023, 4, 10),
        "1021/SGDĐT-KHTC",
    ),
    (
        Status.SENT,
        "critique",
        "UBND huyện Đăk Tô",
        "Dự án hồ chứa nước và kênh tưới tiết kiệm cho vùng cà phê huyện Đăk Tô",
        "Xây dựng hồ chứa nước nhỏ, kênh tưới tiết kiệm cho cà phê, nâng cấp đường giao thông nông thôn; đánh giá "
        "tác động môi trường và tài nguyên nước.",
        ["XD", "MT", "NN"],
        50,
        "312/UBND-NN",
    ),
    (
        Status.REPORT_SIGNED,
        "consulting",
        "Sở Khoa học và Công nghệ tỉnh Kon Tum",
        "Chương trình chuyển đổi số trong nông nghiệp tỉnh Kon Tum",
        "Ứng dụng IoT, mạng cảm biến và phần mềm quản lý vùng trồng cho cà phê và sâm Ngọc Linh; truy xuất nguồn "
        "gốc sản phẩm.",
        ["DT", "NN"],
        40,
        "205/SKHCN-QLKH",
    ),
    (
        Status.REPORT_PENDING,
        "critique",
        "UBND huyện Tu Mơ Rông",
        "Đề án phát triển du lịch cộng đồng gắn với văn hóa dân tộc Xơ Đăng huyện Tu Mơ Rông",
        "Phát triển du lịch cộng đồng tại các làng Xơ Đăng, bảo tồn văn hóa cồng chiêng, nhà rông, gắn với "
        "tham quan vườn sâm Ngọc Linh.",
        ["VH", "NN"],
        35,
        "198/UBND-VHTT",
    ),
    (
        Status.CONSOLIDATING,
        "critique",
        "UBND huyện Đăk Tô",
        "Đề án phát triển chăn nuôi bò lai huyện Đăk Tô giai đoạn 2026–2030",
        "Cải tạo đàn bò, trồng cỏ, xử lý chất thải chăn nuôi, liên kết tiêu thụ; hỗ trợ hộ nghèo đồng bào dân tộc.",
        ["NN", "MT"],
        30,
        "402/UBND-NN",
    ),
    (
        Status.REVIEWING,
        "critique",
        "UBND huyện Tu Mơ Rông",
        "Đề án bảo tồn và phát triển nguồn gen cây dược liệu quý vùng Ngọc Linh",
        "Bảo tồn nguồn gen sâm Ngọc Linh và các cây dược liệu quý dưới tán rừng, xây dựng vườn ươm, trồng rừng "
        "phòng hộ và chống xói mòn đất.",
        ["NN", "MT"],
        14,
        "221/UBND-NN",
    ),
    (
        Status.COUNCIL_FORMED,
        "assessment",
        "UBND tỉnh Kon Tum",
        "Giám định xã hội Chương trình giảm nghèo bền vững vùng đồng bào dân tộc thiểu số",
        "Đánh giá kết quả thực hiện chương trình giảm nghèo: sinh kế, nhà ở, nước sạch, y tế dự phòng và giáo dục "
        "tại các xã đặc biệt khó khăn.",
        ["VH", "YT"],
        10,
        "1580/UBND-KGVX",
    ),
    (
        Status.COUNCIL_PENDING,
        "critique",
        "UBND huyện Đăk Tô",
        "Đề án phát triển điện năng lượng mặt trời áp mái cho trường học huyện Đăk Tô",
        "Lắp đặt điện mặt trời áp mái cho các trường phổ thông dân tộc bán trú, giảm chi phí điện và giáo dục "
        "năng lượng tái tạo.",
        ["DT", "GD"],
        8,
        "515/UBND-GD",
    ),
    (
        Status.ACCEPTED,
        "consulting",
        "Sở Y tế tỉnh Kon Tum",
        "Kế hoạch phát triển y học cổ truyền và dược liệu tỉnh Kon Tum",
        "Phát triển y học cổ truyền, bảo tồn cây thuốc của đồng bào dân tộc thiểu số, sản xuất thuốc từ dược liệu.",
        ["YT", "NN"],
        20,
        "733/SYT-NVY",
    ),
    (
        Status.RECEIVED,
        "critique",
        "UBND huyện Đăk Tô",
        "Đề án xây dựng xã nông thôn mới kiểu mẫu huyện Đăk Tô",
        "Xây dựng xã nông thôn mới kiểu mẫu: giao thông nông thôn, thủy lợi nhỏ, nhà văn hóa, vệ sinh môi "
        "trường, sinh kế cho người dân.",
        ["XD", "VH"],
        2,
        "620/UBND-NTM",
    ),
    (
        Status.DECLINED,
        "consulting",
        "Báo Kon Tum",
        "Góp ý chuyên mục khoa học và đời sống năm 2024",
        "Đề nghị góp ý nội dung chuyên mục báo in.",
        ["VH"],
        datetime.date(2024, 2, 5),
        "15/BKT",
    ),
    (
        Status.WITHDRAWN,
        "critique",
        "UBND huyện Tu Mơ Rông",
        "Dự án đường giao thông liên xã Đăk Hà – Tu Mơ Rông",
        "Nâng cấp tuyến đường liên xã phục vụ vùng trồng sâm.",
        ["XD"],
        datetime.date(2024, 5, 20),
        "77/UBND-KTHT",
    ),
]

SECTIONS = [
    "Phần I. SỰ CẦN THIẾT XÂY DỰNG ĐỀ ÁN",
    "{summary}",
    "Thực hiện Nghị quyết Đại hội Đảng bộ huyện và kế hoạch phát triển kinh tế – xã hội 5 năm, việc xây dựng đề án "
    "là cần thiết để khai thác tiềm năng, lợi thế của địa phương.",
    "Phần II. MỤC TIÊU",
    "Mục tiêu chung: phát triển bền vững, nâng cao thu nhập cho người dân, nhất là đồng bào dân tộc thiểu số.",
    "Mục tiêu cụ thể: đến năm 2030 hoàn thành các chỉ tiêu của đề án; tỷ lệ hộ nghèo giảm bình quân 3%/năm.",
    "Phần III. NHIỆM VỤ VÀ GIẢI PHÁP",
    "Rà soát quy hoạch, bố trí quỹ đất; xây dựng mô hình điểm; chuyển giao tiến bộ khoa học và kỹ thuật.",
    "Huy động nguồn lực từ ngân sách nhà nước, doanh nghiệp và người dân; tổng kinh phí dự kiến 85 tỷ đồng.",
    "Phần IV. TỔ CHỨC THỰC HIỆN",
    "Các phòng, ban, đơn vị và UBND các xã triển khai thực hiện; định kỳ báo cáo kết quả về UBND huyện.",
]
REVIEW_TEXTS = {
    "legal_basis": "Căn cứ pháp lý cơ bản đầy đủ; cần cập nhật các văn bản mới của tỉnh.",
    "necessity": "Đề án cần thiết, phù hợp định hướng phát triển của địa phương.",
    "objectives": "Một số chỉ tiêu chưa có cơ sở tính toán, cần làm rõ lộ trình từng năm.",
    "feasibility": "Giải pháp còn chung; cần mô hình thí điểm trước khi nhân rộng.",
    "resources": "Nguồn kinh phí xã hội hóa chưa rõ; cần phân kỳ đầu tư.",
    "impact": "Cần đánh giá thêm tác động môi trường và sinh kế của người dân.",
    "conclusions": "Đề án có thể trình phê duyệt sau khi tiếp thu, chỉnh sửa các nội dung nêu trên.",
    "recommendations": "Làm rõ chỉ tiêu; phân kỳ nguồn vốn; bổ sung đánh giá tác động.",
}
RECOMMENDATIONS = [
    # text, category, priority, the draft's paragraph it is about (its number − 1)
    ("Làm rõ cơ sở tính toán các chỉ tiêu và lộ trình thực hiện từng năm.", "objectives", "high", 5),
    ("Xác định rõ nguồn kinh phí, phân kỳ đầu tư và cơ chế huy động xã hội hóa.", "resources", "high", 8),
    ("Bổ sung đánh giá tác động môi trường và sinh kế của đồng bào dân tộc thiểu số.", "impact", "medium", 1),
    ("Cập nhật căn cứ pháp lý theo các văn bản mới của tỉnh.", "legal", "low", 2),
]
ANSWERS = [  # the agency's answer to each recommendation above
    ("accepted", "Đã bổ sung phụ lục tính toán chỉ tiêu."),
    ("partly", "Nguồn xã hội hóa sẽ được xác định theo từng dự án thành phần."),
    ("accepted", ""),
    ("not_accepted", "Các văn bản mới ban hành sau thời điểm trình đề án."),
]
CHECKS = [  # the implementation checks of the first recommendations: percent, progress, evidence, findings
    (100, "done", "Đề án phê duyệt có phụ lục chỉ tiêu (Quyết định số 245/QĐ-UBND).", ""),
    (
        50,
        "in_progress",
        "Đã huy động 2 doanh nghiệp liên kết trồng sâm.",
        "Kiểm tra thực tế tại xã Măng Ri và Tê Xăng.",
    ),
    (
        30,
        "in_progress",
        "Đang lập báo cáo đánh giá tác động môi trường vùng trồng.",
        "Kiểm tra thực tế tại xã Măng Ri và Tê Xăng.",
    ),
]


STYLES_KEPT = {"Normal", "Heading1", "Heading1Char", "DefaultParagraphFont", "TableNormal", "NoList"}


@functools.cache
def _draft_template() -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    """The parts of a draft made once by python-docx (a tenth of a second each time), its title and summary left
    as markers that draft_docx() fills in; only the styles it uses are kept (python-docx's blank document carries
    800 kB of them, which every reading of the draft parses again)."""
    document = Document()
    document.add_heading("@@TITLE@@", level=1)
    for line in SECTIONS:
        document.add_paragraph(line.format(summary="@@SUMMARY@@"))
    buffer = io.BytesIO()
    document.save(buffer)
    parts = []
    with zipfile.ZipFile(buffer) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"):
                continue
            if info.filename == "word/styles.xml":
                styles = etree.fromstring(data)
                for element in list(styles):
                    if element.tag == qn("w:latentStyles") or (
                        element.tag == qn("w:style") and element.get(qn("w:styleId")) not in STYLES_KEPT
                    ):
                        styles.remove(element)
                data = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                data = re.sub(rb"<[^<>]*(stylesWithEffects|thumbnail)[^<>]*/>", b"", data)
            parts.append((info, data))
    return tuple(parts)


def draft_docx(title: str, summary: str) -> bytes:
    """A draft of the scheme (DOCX): its title, the usual sections and its summary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in _draft_template():
            if info.filename == "word/document.xml":
                data = data.replace(b"@@TITLE@@", escape(title.upper()).encode())
                data = data.replace(b"@@SUMMARY@@", escape(summary).encode())
            out.writestr(info, data)
    return buffer.getvalue()


def load() -> None:
    union = Union.objects.get(slug="kontum")
    staff = User.objects.get(username="canbo")
    leader = User.objects.get(username="lanhdao")
    rep = User.objects.get(username="daidien.dakto")
    y_blong = Expert.objects.get(union=union, person__user__username="chuyengia")
    today = timezone.localdate()
    fields = {f.code: f for f in Field.objects.filter(union=union)}
    rep_agency = Agency.objects.get(union=union, name="UBND huyện Đăk Tô")
    project = LocalProject.objects.filter(union=union, name="Quy hoạch xây dựng vùng huyện Đăk Tô").first()
    made = {}

    def received_day(row) -> datetime.date:
        received = row[6]
        return received if isinstance(received, datetime.date) else today - datetime.timedelta(days=received)

    for row in sorted(CASES, key=received_day):  # the register numbers cases in the order they arrive
        status, kind, agency_name, title, summary, codes, _received, letter = row
        agency = Agency.objects.get(union=union, name=agency_name)
        day = received_day(row)
        case = Case(
            union=union,
            kind=kind,
            title=title,
            summary=summary,
            requesting_agency=agency,
            drafting_agency=agency,
            admin_unit=agency.admin_unit,
            request_number=letter,
            request_date=day - datetime.timedelta(days=4),
            requested_deadline=day + datetime.timedelta(days=60),
            received_on=day,
            council_size=5 if kind != "assessment" else 3,
            form_of_work=FormOfWork.COUNCIL if kind != "assessment" else FormOfWork.GROUP,
            source_local_project=project if project and title.startswith("Quy hoạch xây dựng vùng") else None,
        )
        files = [
            (CaseFile.Kind.REQUEST_LETTER, SimpleUploadedFile(f"Công văn {letter.replace('/', '-')}.pdf", LETTER)),
            (CaseFile.Kind.DRAFT, SimpleUploadedFile("Dự thảo đề án.docx", draft_docx(title, summary))),
        ]
        actor = rep if agency == rep_agency else staff
        case = services.open_case(
            actor=actor,
            union=union,
            case=case,
            fields=[fields[c] for c in codes if c in fields],
            files=files,
            today=day,
        )
        walk(case, status, day, staff=staff, leader=leader, rep=rep if agency == rep_agency else staff, y_blong=y_blong)
        case.refresh_from_db()
        made[title] = case
    finished = next(c for c in made.values() if c.status == Status.ASSESSED)
    linked = services.open_assessment_case(finished, actor=staff, today=today)
    services.accept_case(linked, actor=staff, today=linked.received_on)

    # The other Union has a request of its own, never visible from Kon Tum.
    other = Union.objects.get(slug="quangngai")
    other_staff = User.objects.get(username="canbo.quangngai")
    other_agency = Agency.objects.get(union=other, name="UBND tỉnh Quảng Ngãi")
    services.open_case(
        actor=other_staff,
        union=other,
        case=Case(
            union=other,
            kind="critique",
            title="Đề án phát triển kinh tế biển tỉnh Quảng Ngãi",
            summary="Kinh tế biển, cảng, thủy sản.",
            requesting_agency=other_agency,
            request_number="90/UBND-KT",
            request_date=today - datetime.timedelta(days=9),
            received_on=today - datetime.timedelta(days=5),
        ),
        files=[(CaseFile.Kind.DRAFT, SimpleUploadedFile("Dự thảo.docx", draft_docx("Kinh tế biển", "Cảng.")))],
        today=today - datetime.timedelta(days=5),
    )


def walk(
    case: Case,
    until: str,
    day: datetime.date,
    *,
    staff,
    leader,
    rep,
    y_blong: Expert | None = None,
    recommendations=RECOMMENDATIONS,
    answers=ANSWERS,
    checks=CHECKS,
) -> Case:
    """Take a case through the services to the given status, dating each step a few days after the last: the
    council writes `recommendations`, the agency answers them (`answers`, one each) and their implementation is
    checked (`checks`, the first ones)."""
    if until == Status.DECLINED:
        services.decline_case(
            case, actor=staff, reason="Nội dung không thuộc phạm vi tư vấn, phản biện theo Quyết định 48/2017/QĐ-UBND."
        )
        return case
    if until == Status.WITHDRAWN:
        services.accept_case(case, actor=staff, today=day + datetime.timedelta(days=3))
        services.withdraw_case(case, actor=rep, reason="Dự án được điều chỉnh chủ trương đầu tư, tạm dừng lập hồ sơ.")
        return case
    stop = STEPS.index(until)

    def beyond(status) -> bool:
        return stop > STEPS.index(status)

    def at(days: int) -> datetime.date:
        return min(day + datetime.timedelta(days=days), timezone.localdate())

    if beyond(Status.RECEIVED):
        services.accept_case(case, actor=staff, today=at(3))
    if beyond(Status.ACCEPTED):
        if until == Status.REVIEWING and y_blong:  # the demo expert account has a review to write
            services_council.place_expert(case, actor=staff, expert=y_blong, role=Seat.Role.REVIEWER)
        services_council.propose_council(case, actor=staff)
        seats = list(case.seats.exclude(role=Seat.Role.CHAIR).exclude(by_hand=True).order_by("-affinity"))
        if seats and case.form_of_work == FormOfWork.COUNCIL:
            services_council.set_seat_role(seats[-1], actor=staff, role=Seat.Role.SECRETARY)
        services_council.submit_council(case, actor=staff, today=at(8))
    if beyond(Status.COUNCIL_PENDING):
        services_council.approve_council(case, actor=leader, today=at(10))
    if beyond(Status.COUNCIL_FORMED):
        due = at(11) + datetime.timedelta(days=15)
        services_council.start_review(case, actor=staff, review_due_on=due, today=at(11))
    if beyond(Status.REVIEWING):
        paragraphs = list(case.paragraphs.order_by("number"))
        for n, review in enumerate(case.reviews.select_related("seat__expert__person__user")):
            user = review.seat.expert.person.user or staff
            if review.seat.expert.person.user:
                services_work.save_review(review, actor=user, sections=REVIEW_TEXTS, submit=True, today=at(20 + n))
                services_work.add_comment(
                    case, actor=user, paragraph=paragraphs[min(5, len(paragraphs) - 1)], text=REVIEW_TEXTS["objectives"]
                )
            else:  # experts without an account sent their review on paper; staff type it in
                services_work.record_paper_review(review, actor=staff, sections=REVIEW_TEXTS, day=at(20 + n))
        services_council.start_consolidation(case, actor=staff, today=at(27))
    if beyond(Status.CONSOLIDATING):
        reviews = list(case.reviews.filter(state=Review.State.SUBMITTED))
        paragraphs = {p.number: p for p in case.paragraphs.all()}
        for text, category, priority, number in recommendations:
            services_work.save_recommendation(
                case,
                actor=staff,
                recommendation=Recommendation(text=text, category=category, priority=priority),
                reviews=reviews,
                paragraphs=[paragraphs[number + 1]] if number + 1 in paragraphs else [],
            )
        services_work.save_conclusion(
            case,
            actor=staff,
            conclusion="Hồ sơ đề án cơ bản đầy đủ, nội dung phù hợp với chủ trương, định hướng phát triển của tỉnh và "
            "địa phương. Đề nghị cơ quan soạn thảo nghiên cứu, tiếp thu các kiến nghị dưới đây trước khi trình phê "
            "duyệt.",
        )
        services_work.submit_report(case, actor=staff, today=at(33))
    if beyond(Status.REPORT_PENDING):
        services_work.sign_report(case, actor=leader, today=at(35))
    if beyond(Status.REPORT_SIGNED):
        services_work.send_report(case, actor=staff, today=at(36))
    if beyond(Status.SENT):
        recs = list(case.recommendations.order_by("number"))
        given = {rec.pk: answer for rec, answer in zip(recs, answers, strict=True)}
        services_work.answer_recommendations(case, actor=rep, answers=given)
        services_work.finish_answers(case, actor=rep, today=at(50))
    if beyond(Status.ANSWERED):
        for rec, (percent, status, evidence, findings) in zip(recs, checks, strict=False):
            services_work.record_assessment(
                rec,
                actor=staff,
                checked_on=at(330),
                percent=percent,
                status=status,
                evidence=evidence,
                findings=findings,
                today=at(331),
            )
    if beyond(Status.ASSESSED):
        services.close_case(case, actor=staff, today=at(360))
    return case
