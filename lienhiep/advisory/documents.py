"""The case's official documents in the Decree 30/2020 format (through lienhiep.paperwork): the decision forming
the council and the report (báo cáo phản biện / ý kiến tư vấn / kết quả giám định); the report as PDF through
LibreOffice; the draft's DOCX with a per-person watermark line. The wording inside is prescribed Vietnamese."""

import datetime
import io

from docx import Document
from docx.shared import Pt, RGBColor

from lienhiep.advisory.models import FormOfWork, Kind, Meeting, Seat
from lienhiep.advisory.queries import seats_of
from lienhiep.core.text import fold
from lienhiep.paperwork import Heading, Issue, Letterhead, OfficialDocument, Paragraph, render_docx

SOFFICE_TIMEOUT = 120
WORK_NAME = {Kind.CONSULTING: "tư vấn", Kind.CRITIQUE: "phản biện", Kind.ASSESSMENT: "giám định xã hội"}
LEGAL_BASIS = [
    "Căn cứ Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện "
    "và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam;",
    "Căn cứ Quyết định số 48/2017/QĐ-UBND ngày 27/9/2017 của Ủy ban nhân dân tỉnh ban hành Quy định về hoạt động "
    "tư vấn, phản biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh;",
]
ROLE_TITLE = {
    Seat.Role.CHAIR: "Chủ tịch Hội đồng",
    Seat.Role.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    Seat.Role.SECRETARY: "Thư ký Hội đồng",
    Seat.Role.REVIEWER: "Ủy viên phản biện",
    Seat.Role.MEMBER: "Ủy viên",
}
GROUP_ROLE_TITLE = {
    Seat.Role.CHAIR: "Tổ trưởng",
    Seat.Role.VICE_CHAIR: "Tổ phó",
    Seat.Role.SECRETARY: "Thư ký",
    Seat.Role.REVIEWER: "Thành viên phản biện",
    Seat.Role.MEMBER: "Thành viên",
}


def council_body_name(case) -> str:
    """'Hội đồng phản biện' or 'Tổ chuyên gia tư vấn' ... as the decision names the body it forms."""
    work = WORK_NAME.get(case.kind, "tư vấn")
    if case.form_of_work == FormOfWork.COUNCIL:
        return f"Hội đồng {work}"
    return f"Tổ chuyên gia {work}"


def _request_line(case) -> str:
    if not case.requesting_agency_id:
        return ""
    line = f"Căn cứ đề nghị của {case.requesting_agency.name}"
    if case.request_number:
        line += f" tại Văn bản số {case.request_number}"
        if case.request_date:
            line += f" ngày {case.request_date:%d/%m/%Y}"
    return line + ";"


def council_decision(case, issue: Issue | None = None) -> OfficialDocument:
    union = case.union
    body_name = council_body_name(case)
    titles = ROLE_TITLE if case.form_of_work == FormOfWork.COUNCIL else GROUP_ROLE_TITLE
    body: list = [*LEGAL_BASIS]
    if line := _request_line(case):
        body.append(line)
    body += [
        "Xét đề nghị của Ban Tư vấn, phản biện và giám định xã hội,",
        Paragraph("QUYẾT ĐỊNH:", bold=True, center=True),
        Heading(f"Điều 1. Thành lập {body_name} {case.title}, gồm các ông (bà) có tên sau:"),
    ]
    for number, seat in enumerate(seats_of(case), start=1):
        person = seat.expert.person
        where = f", {person.position}" if person.position else ""
        where += f", {person.agency.name}" if person.agency_id else ""
        body.append(f"{number}. {person.display_title()}{where} – {titles[seat.role]}.")
    due = f" trước ngày {case.review_due_on:%d/%m/%Y}" if case.review_due_on else ""
    body += [
        Heading("Điều 2. Nhiệm vụ"),
        f"{body_name} có nhiệm vụ nghiên cứu hồ sơ, góp ý kiến {WORK_NAME.get(case.kind, '')} bằng văn bản{due}; "
        "tham dự phiên họp và tổng hợp ý kiến, kiến nghị gửi Liên hiệp hội. Các thành viên có trách nhiệm giữ bí mật "
        "hồ sơ, tài liệu chưa được công bố. "
        f"{body_name} tự giải thể sau khi hoàn thành nhiệm vụ.",
        Heading("Điều 3. Tổ chức thực hiện"),
        "Chánh Văn phòng, Trưởng Ban Tư vấn, phản biện và giám định xã hội và các ông (bà) có tên tại Điều 1 "
        "chịu trách nhiệm thi hành Quyết định này.",
    ]
    recipients = ["Như Điều 3"]
    if case.requesting_agency_id:
        recipients.append(f"{case.requesting_agency.name} (để phối hợp)")
    recipients.append("Lưu: VT, Ban TVPB")
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="QUYẾT ĐỊNH",
        number=issue.number if issue else "",
        type_code="QĐ",
        date=issue.date if issue else None,
        subject=f"Về việc thành lập {body_name} {case.title}",
        body=body,
        signer=issue.signer if issue else None,
        recipients=recipients,
    )


def case_report(case, issue: Issue | None = None) -> OfficialDocument:
    """The report from the case's conclusion and its numbered recommendations; unnumbered and undated until the
    leader signs."""
    union = case.union
    work = WORK_NAME.get(case.kind, "")
    body: list = []
    if case.requesting_agency_id:
        opening = f"Thực hiện đề nghị của {case.requesting_agency.name}"
        if case.request_number:
            opening += f" tại Văn bản số {case.request_number}"
            if case.request_date:
                opening += f" ngày {case.request_date:%d/%m/%Y}"
        opening += f" về việc {work} {case.title}, "
    else:
        opening = f"Thực hiện kế hoạch hoạt động tư vấn, phản biện và giám định xã hội, về {case.title}, "
    seats = case.seats.count()
    opening += (
        f"{union.name} đã thành lập {council_body_name(case)} gồm {seats} nhà khoa học, chuyên gia; "
        "tổ chức nghiên cứu hồ sơ, lấy ý kiến bằng văn bản"
    )
    meeting = Meeting.objects.filter(case=case).first()
    if meeting is not None:
        opening += f" và họp Hội đồng ngày {meeting.held_on:%d/%m/%Y}"
    opening += f". {union.name} báo cáo kết quả {work} như sau:"
    body.append(opening)
    body.append(Heading("I. KHÁI QUÁT NỘI DUNG HỒ SƠ"))
    body.extend(line for line in (case.summary or case.title).splitlines() if line.strip())
    body.append(Heading("II. Ý KIẾN CHUNG"))
    body.extend(line for line in case.conclusion.splitlines() if line.strip())
    body.append(Heading("III. CÁC KIẾN NGHỊ"))
    for rec in case.recommendations.prefetch_related("paragraphs").order_by("number"):
        anchors = ", ".join(p.anchor_label() for p in rec.paragraphs.all())
        text = f"{rec.number}. {rec.text.strip()}"
        if anchors:
            text += f" (về {anchors} của dự thảo)"
        body.append(text)
    body.append(
        f"Đề nghị {case.requesting_agency.name if case.requesting_agency_id else 'các cơ quan liên quan'} nghiên cứu, "
        "tiếp thu và có văn bản giải trình đối với các kiến nghị không tiếp thu."
    )
    recipients = []
    if case.requesting_agency_id:
        recipients.append(case.requesting_agency.name)
    if case.drafting_agency_id and case.drafting_agency_id != case.requesting_agency_id:
        recipients.append(case.drafting_agency.name)
    recipients += ["Thường trực Liên hiệp hội", "Lưu: VT, Ban TVPB"]
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type=case.report_title(),
        number=issue.number if issue else "",
        type_code="BC",
        date=issue.date if issue else None,
        subject=case.title,
        body=body,
        signer=issue.signer if issue else None,
        recipients=recipients,
    )


def meeting_minutes(case, meeting, issue: Issue | None = None) -> OfficialDocument:
    """The minutes of the council meeting (biên bản), signed by the chair."""

    titles = ROLE_TITLE if case.form_of_work == FormOfWork.COUNCIL else GROUP_ROLE_TITLE
    seats = seats_of(case)
    present = {s.pk for s in meeting.present.all()}
    members, attended = len(seats), sum(1 for s in seats if s.pk in present)
    quorum = attended * 100 > members * meeting.quorum_percent
    body: list = [
        f"Thời gian: ngày {meeting.held_on:%d/%m/%Y}." + (f" Địa điểm: {meeting.place}." if meeting.place else ""),
        Heading("I. THÀNH PHẦN"),
        f"Có mặt {attended}/{members} thành viên {council_body_name(case)} "
        f"({'đủ' if quorum else 'không đủ'} số lượng theo quy định):",
    ]
    body += [f"- {s.expert.person.display_title()} – {titles[s.role]}." for s in seats if s.pk in present]
    absent = [s for s in seats if s.pk not in present]
    if absent:
        body.append("Vắng mặt: " + "; ".join(s.expert.person.display_title() for s in absent) + ".")
    body.append(Heading("II. NỘI DUNG"))
    for item in meeting.items.all():
        body.append(Heading(f"{item.order}. {item.title}"))
        body.extend(line for line in item.discussion.splitlines() if line.strip())
        if item.conclusion:
            body.append(f"Kết luận: {item.conclusion}")
        if item.votes_for is not None:
            outcome = "thông qua" if item.passed(attended) else "không thông qua"
            body.append(
                f"Biểu quyết: {item.votes_for} tán thành, {item.votes_against or 0} không tán thành, "
                f"{item.votes_abstain or 0} không biểu quyết ({outcome})."
            )
    if meeting.conclusion:
        body.append(Heading("III. KẾT LUẬN"))
        body.extend(line for line in meeting.conclusion.splitlines() if line.strip())
    body.append("Biên bản được lập xong và thông qua tại phiên họp.")
    chair = next((s for s in seats if s.role == Seat.Role.CHAIR), None)
    return OfficialDocument(
        letterhead=Letterhead.from_union(case.union),
        doc_type="BIÊN BẢN",
        number=issue.number if issue else "",
        type_code="BB",
        date=issue.date if issue else meeting.held_on,
        subject=f"Họp {council_body_name(case)} {case.title}",
        body=body,
        signatory_name=chair.expert.person.name if chair else "",
        signatory_title="CHỦ TỊCH HỘI ĐỒNG" if case.form_of_work == FormOfWork.COUNCIL else "TỔ TRƯỞNG",
        recipients=["Thành viên " + council_body_name(case), "Lưu: VT, Ban TVPB"],
    )


def meeting_docx(case, meeting) -> tuple[bytes, str]:
    return render_docx(meeting_minutes(case, meeting)), f"bien-ban-hop-{_slug(case.code)}.docx"


def _slug(text: str) -> str:
    return "-".join(fold(text).replace("/", "-").split())[:60] or "ho-so"


def decision_docx(case) -> tuple[bytes, str]:
    """The draft decision (unnumbered, undated, unsigned); the issued one is served from the register."""
    return render_docx(council_decision(case)), f"du-thao-quyet-dinh-hoi-dong-{_slug(case.code)}.docx"


def report_docx(case) -> tuple[bytes, str]:
    """The draft report; the signed one is served from the register."""
    return render_docx(case_report(case)), f"du-thao-bao-cao-{_slug(case.code)}.docx"


def watermark_docx(data: bytes, line: str) -> bytes:
    """A visible line naming the person the copy was given to, at the top of the text and in the header."""
    document = Document(io.BytesIO(data))
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    mark = first.insert_paragraph_before()
    run = mark.add_run(line)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0xC8, 0x10, 0x2E)
    for section in document.sections:
        header = section.header
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        head_run = paragraph.add_run(line)
        head_run.font.size = Pt(8)
        head_run.font.color.rgb = RGBColor(0xC8, 0x10, 0x2E)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def watermark_line(user, when: datetime.datetime) -> str:
    return (
        f"TÀI LIỆU MẬT – bản cấp cho {user.get_full_name()} ({user.username}) lúc {when:%H:%M %d/%m/%Y} – "
        "không sao chép, không chuyển cho người khác"
    )


def personal_file_name(original: str, user) -> str:
    """'du-thao.docx' for Y Blong → 'du-thao – Y Blong.docx' (the person's name travels with the copy)."""
    stem, dot, ext = original.rpartition(".")
    if not dot:
        stem, ext = original, ""
    return f"{stem} – {user.get_full_name()}{'.' + ext if ext else ''}"
