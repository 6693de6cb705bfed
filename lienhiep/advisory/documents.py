"""The case's official documents in the Decree 30/2020 format (through lienhiep.paperwork): the decision forming
the council, the report of the case's results (báo cáo kết quả tư vấn / phản biện / giám định xã hội) and the minutes
of the council meeting; the draft's DOCX with a per-person watermark line. The wording inside is prescribed
Vietnamese."""

import datetime
import io

from docx import Document
from docx.shared import Pt, RGBColor

from lienhiep.advisory.models import FormOfWork, Kind, Meeting, Review, Seat
from lienhiep.advisory.queries import seats_of
from lienhiep.core.text import fold, official_date
from lienhiep.paperwork import (
    Article,
    Heading,
    Issue,
    Letterhead,
    OfficialDocument,
    Signer,
    issuing_authority,
    render_docx,
)
from lienhiep.paperwork.signers import draft_signer

SOFFICE_TIMEOUT = 120
WORK_NAME = {Kind.CONSULTING: "tư vấn", Kind.CRITIQUE: "phản biện", Kind.ASSESSMENT: "giám định xã hội"}
LEGAL_BASIS = [
    "Căn cứ Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện "
    "và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam;",
    "Căn cứ Quyết định số 48/2017/QĐ-UBND ngày 27/9/2017 của Ủy ban nhân dân tỉnh ban hành Quy định về hoạt động "
    "tư vấn, phản biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh;",
]
PROPOSED_BY = "Theo đề nghị của Trưởng Ban Tư vấn, phản biện và giám định xã hội."
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
# The headings a report synthesises the members' reviews under (the Review's sections, in the regulation's order).
REVIEW_HEADINGS = [
    ("legal_basis", "Về cơ sở chính trị, pháp lý"),
    ("necessity", "Về sự cần thiết"),
    ("objectives", "Về mục tiêu, chỉ tiêu"),
    ("feasibility", "Về tính khả thi của các giải pháp"),
    ("resources", "Về nguồn lực (kinh phí, nhân lực, thời gian)"),
    ("impact", "Về tác động kinh tế - xã hội và môi trường"),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
CHAIR_SIGNS = "CHỦ TỌA"
SECRETARY_SIGNS = "THƯ KÝ"


def council_body_name(case) -> str:
    """'Hội đồng phản biện' or 'Tổ chuyên gia tư vấn' ... as the decision names the body it forms."""
    work = WORK_NAME.get(case.kind, "tư vấn")
    if case.form_of_work == FormOfWork.COUNCIL:
        return f"Hội đồng {work}"
    return f"Tổ chuyên gia {work}"


def _body_noun(case) -> str:
    return "Hội đồng" if case.form_of_work == FormOfWork.COUNCIL else "Tổ chuyên gia"


def subject_of(case) -> str:
    """What the work is about: the case's title without the form of work it may begin with («Giám định xã hội việc
    thực hiện Đề án X» → «việc thực hiện Đề án X»), so that «Tổ chuyên gia giám định xã hội» is not followed by
    «Giám định xã hội» again."""
    words = case.title.split()
    work = WORK_NAME.get(case.kind, "").split()
    if work and len(words) > len(work) and fold(" ".join(words[: len(work)])) == fold(" ".join(work)):
        return " ".join(words[len(work) :])
    return case.title


def _sentence(text: str) -> str:
    """A text as one sentence: its lines joined, list marks dropped, a full stop at the end."""
    parts = [line.strip().lstrip("-•+* ").strip() for line in text.splitlines()]
    joined = " ".join(part if part.endswith((".", ";", ":", "!", "?")) else part + "." for part in parts if part)
    return joined.rstrip(";:") + ("" if joined.endswith((".", "!", "?")) else ".") if joined else ""


def _listed(lines: list[str]) -> list[str]:
    """Items of a list: each ends «;», the last «.»."""
    return [line.rstrip(".;,") + ("." if i == len(lines) - 1 else ";") for i, line in enumerate(lines)]


def _request_line(case) -> str:
    if not case.requesting_agency_id:
        return ""
    line = f"Căn cứ đề nghị của {case.requesting_agency.name}"
    if case.request_number:
        line += f" tại Văn bản số {case.request_number}"
        if case.request_date:
            line += f" ngày {case.request_date:%d/%m/%Y}"
    return line + ";"


def _member_line(seat, titles: dict) -> str:
    person = seat.expert.person
    where = f", {person.position}" if person.position else ""
    where += f", {person.agency.name}" if person.agency_id else ""
    return f"{person.display_title()}{where} – {titles[seat.role]}"


def _who_writes(case, seats: list, titles: dict) -> str:
    """Who sends a written opinion, by name, and that the secretary does not when they do not («góp ý kiến phản
    biện bằng văn bản: các ông (bà) A, B và C gửi ý kiến trước ngày …; Thư ký Hội đồng không viết ý kiến»)."""
    work = WORK_NAME.get(case.kind, "")
    due = f" trước ngày {case.review_due_on:%d/%m/%Y}" if case.review_due_on else ""
    names = [seat.expert.person.name for seat in seats if seat.writes_review]
    if not names:
        return f"góp ý kiến {work} bằng văn bản{due}"
    if len(names) == 1:
        listed = f"ông (bà) {names[0]}"
    else:
        listed = f"các ông (bà) {', '.join(names[:-1])} và {names[-1]}"
    text = f"góp ý kiến {work} bằng văn bản: {listed} gửi ý kiến{due}"
    silent = [titles[seat.role] for seat in seats if not seat.writes_review]
    if silent:
        text += f" ({', '.join(silent)} không viết ý kiến {work})"
    return text


def council_decision(case, issue: Issue | None = None) -> OfficialDocument:
    union = case.union
    signer = issue.signer if issue else draft_signer(union)
    competence, _issuer = issuing_authority(signer, union.name)
    body_name = council_body_name(case)
    titles = ROLE_TITLE if case.form_of_work == FormOfWork.COUNCIL else GROUP_ROLE_TITLE
    grounds = [*LEGAL_BASIS]
    if line := _request_line(case):
        grounds.append(line)
    grounds.append(PROPOSED_BY)
    seats = seats_of(case)
    members = _listed([_member_line(seat, titles) for seat in seats])
    body: list = [
        Article("Điều 1.", f"Thành lập {body_name} {subject_of(case)}, gồm các ông (bà) có tên sau:"),
        *(f"{number}. {line}" for number, line in enumerate(members, start=1)),
        Article(
            "Điều 2.",
            f"{body_name} có nhiệm vụ nghiên cứu hồ sơ, {_who_writes(case, seats, titles)}; "
            "tham dự phiên họp và tổng hợp ý kiến, kiến nghị gửi Liên hiệp hội. Các thành viên có trách nhiệm giữ bí "
            f"mật hồ sơ, tài liệu chưa được công bố. {body_name} tự giải thể sau khi hoàn thành nhiệm vụ.",
        ),
        Article(
            "Điều 3.",
            "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Trưởng Ban Tư vấn, phản biện và giám định "
            "xã hội và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
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
        subject=f"Về việc thành lập {body_name} {subject_of(case)}",
        competence=competence,
        grounds=grounds,
        body=body,
        signer=signer,
        recipients=recipients,
    )


def _synthesis(case, seats: list) -> list:
    """One paragraph per review heading: the points of the submitted reviews under it, each once, in the order of
    the council's seats."""
    order = {seat.pk: index for index, seat in enumerate(seats)}
    reviews = sorted(
        Review.objects.filter(case=case, state=Review.State.SUBMITTED),
        key=lambda review: order.get(review.seat_id, len(order)),
    )
    items: list = []
    for name, heading in REVIEW_HEADINGS:
        points: list[str] = []
        for review in reviews:
            point = _sentence(getattr(review, name))
            if point and fold(point) not in {fold(p) for p in points}:
                points.append(point)
        if points:
            items += [Heading(f"{len(items) // 2 + 1}. {heading}"), " ".join(points)]
    return items


def case_report(case, issue: Issue | None = None) -> OfficialDocument:
    """The report of the case's results (a BÁO CÁO, its subject «Kết quả phản biện …»): the council's composition,
    the synthesis of the reviews under each heading, the conclusion and the numbered recommendations."""
    union = case.union
    work = WORK_NAME.get(case.kind, "tư vấn")
    about = subject_of(case)
    seats = seats_of(case)
    titles = ROLE_TITLE if case.form_of_work == FormOfWork.COUNCIL else GROUP_ROLE_TITLE
    if case.requesting_agency_id:
        opening = f"Thực hiện đề nghị của {case.requesting_agency.name}"
        if case.request_number:
            opening += f" tại Văn bản số {case.request_number}"
            if case.request_date:
                opening += f" ngày {case.request_date:%d/%m/%Y}"
        opening += f" về việc {work} {about}, "
    else:
        opening = f"Thực hiện kế hoạch hoạt động tư vấn, phản biện và giám định xã hội, về {about}, "
    opening += (
        f"{union.name} đã thành lập {council_body_name(case)} gồm {len(seats)} nhà khoa học, chuyên gia; "
        "tổ chức nghiên cứu hồ sơ, lấy ý kiến bằng văn bản"
    )
    meeting = Meeting.objects.filter(case=case).first()
    if meeting is not None:
        opening += f" và họp {_body_noun(case)} ngày {meeting.held_on:%d/%m/%Y}"
    opening += f". {union.name} báo cáo kết quả {work} như sau:"
    sections: list[tuple[str, list]] = [
        ("KHÁI QUÁT NỘI DUNG HỒ SƠ", [line for line in (case.summary or case.title).splitlines() if line.strip()])
    ]
    if seats:
        members = _listed([_member_line(seat, titles) for seat in seats])
        sections.append(
            (
                f"THÀNH PHẦN {_body_noun(case).upper()}",
                [f"{council_body_name(case)} gồm {len(seats)} thành viên:", *(f"- {line}" for line in members)],
            )
        )
    if synthesis := _synthesis(case, seats):
        sections.append((f"Ý KIẾN {work.upper()}", synthesis))
    if conclusion := [line for line in case.conclusion.splitlines() if line.strip()]:
        sections.append(("KẾT LUẬN", conclusion))
    recommendations = []
    for rec in case.recommendations.prefetch_related("paragraphs").order_by("number"):
        anchors = ", ".join(p.anchor_label() for p in rec.paragraphs.all())
        text = f"{rec.number}. {rec.text.strip().rstrip('.;')}"
        recommendations.append(f"{text} (về {anchors} của dự thảo)." if anchors else f"{text}.")
    if recommendations:
        sections.append(("KIẾN NGHỊ", recommendations))
    body: list = [opening]
    for number, (title, items) in zip(ROMAN, sections, strict=False):
        body += [Heading(f"{number}. {title}"), *items]
    agency = case.requesting_agency.name if case.requesting_agency_id else "các cơ quan liên quan"
    body.append(f"Đề nghị {agency} nghiên cứu, tiếp thu và có văn bản giải trình đối với các kiến nghị không tiếp thu.")
    recipients = []
    if case.requesting_agency_id:
        recipients.append(case.requesting_agency.name)
    if case.drafting_agency_id and case.drafting_agency_id != case.requesting_agency_id:
        recipients.append(case.drafting_agency.name)
    recipients += ["Thường trực Liên hiệp hội", "Lưu: VT, Ban TVPB"]
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="BÁO CÁO",
        number=issue.number if issue else "",
        type_code="BC",
        date=issue.date if issue else None,
        subject=f"Kết quả {work} {about}",
        body=body,
        signer=issue.signer if issue else draft_signer(union),
        recipients=recipients,
    )


def _clock(value: datetime.time) -> str:
    return f"{value:%H} giờ {value:%M}"


def meeting_minutes(case, meeting, issue: Issue | None = None) -> OfficialDocument:
    """The minutes of the council meeting (biên bản): when and where, who chaired and who took the minutes, who
    attended, each agenda item, the end; signed by the secretary (left) and the chair (right)."""
    titles = ROLE_TITLE if case.form_of_work == FormOfWork.COUNCIL else GROUP_ROLE_TITLE
    seats = seats_of(case)
    present = {s.pk for s in meeting.present.all()}
    members, attended = len(seats), sum(1 for s in seats if s.pk in present)
    quorum = attended * 100 > members * meeting.quorum_percent
    # who chaired and who took the minutes: as recorded, else the council's chair and secretary
    by_role = {s.role: s for s in reversed(seats)}
    chair = meeting.chaired_by or by_role.get(Seat.Role.CHAIR)
    secretary = meeting.minutes_by or by_role.get(Seat.Role.SECRETARY)
    starts, ends = meeting.starts_at, meeting.ends_at
    when = f"{_clock(starts)}, " if starts else ""
    body: list = [f"Thời gian: {when}{official_date(meeting.held_on)}."]
    if meeting.place:
        body.append(f"Địa điểm: {meeting.place}.")
    if chair:
        body.append(f"Chủ trì (chủ tọa): {chair.expert.person.display_title()} – {titles[chair.role]}.")
    if secretary:
        body.append(
            f"Thư ký (người ghi biên bản): {secretary.expert.person.display_title()} – {titles[secretary.role]}."
        )
    body += [
        Heading("I. THÀNH PHẦN THAM DỰ"),
        f"Có mặt {attended}/{members} thành viên {council_body_name(case)} "
        f"({'đủ' if quorum else 'không đủ'} số lượng theo quy định):",
        *(
            f"- {line}"
            for line in _listed(
                [f"{s.expert.person.display_title()} – {titles[s.role]}" for s in seats if s.pk in present]
            )
        ),
    ]
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
    ending = f"Cuộc họp kết thúc vào {_clock(ends)} cùng ngày. " if ends else ""
    body.append(f"{ending}Biên bản được lập xong và thông qua tại phiên họp.")
    chair_name = chair.expert.person.name if chair else ""
    return OfficialDocument(
        letterhead=Letterhead.from_union(case.union),
        doc_type="BIÊN BẢN",
        number=issue.number if issue else "",
        type_code="BB",
        date=issue.date if issue else meeting.held_on,
        subject=f"Họp {council_body_name(case)} {subject_of(case)}",
        body=body,
        signer=issue.signer if issue else Signer(chair_name, CHAIR_SIGNS),
        cosigner=Signer(secretary.expert.person.name if secretary else "", SECRETARY_SIGNS),
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
