"""The conclusion notice (thông báo kết luận) of a working session, from its approved minutes: only what was
concluded goes in it (the discussion stays in the minutes)."""

from lienhiep.core.text import fold
from lienhiep.outreach.models import Minutes
from lienhiep.paperwork import Heading, Issue, Letterhead, OfficialDocument, render_docx
from lienhiep.paperwork.signers import draft_signer


def conclusion_notice(minutes: Minutes, issue: Issue | None = None) -> OfficialDocument:
    session = minutes.session
    union = session.union
    letterhead = Letterhead.from_union(union)
    agencies = list(session.agencies.all())
    with_whom = ", ".join(a.name for a in agencies) or (
        session.admin_unit.title() if session.admin_unit else session.place
    )
    delegation = ", ".join(p.display_title() for p in session.delegation.all())
    opening = (
        f"Ngày {session.held_on:%d/%m/%Y}, {union.name} đã làm việc với {with_whom}"
        + (f" tại {session.place}" if session.place else "")
        + "."
    )
    if delegation:
        opening += f" Đoàn công tác của Liên hiệp hội gồm: {delegation}."
    body: list = [
        opening,
        "Sau khi nghe các nội dung trao đổi, ý kiến của các đại biểu dự họp, "
        "buổi làm việc thống nhất kết luận như sau:",
    ]
    concluded = [e for e in minutes.entries.select_related("agenda_item") if e.conclusion.strip()]
    for number, entry in enumerate(concluded, start=1):
        body.append(Heading(f"{number}. {entry.agenda_item.title}"))
        body.extend(line for line in entry.conclusion.splitlines() if line.strip())
    if minutes.conclusion.strip():
        body.append(Heading(f"{len(concluded) + 1}. Kết luận chung"))
        body.extend(line for line in minutes.conclusion.splitlines() if line.strip())
    items = list(session.action_items.select_related("owner_person", "owner_agency"))
    if items:
        body.append(Heading("Phân công thực hiện"))
        for item in items:
            body.append(f"- {item.owner}: {item.title} (thời hạn: {item.due_on:%d/%m/%Y}).")
    body.append(f"{union.name} thông báo để các cơ quan, đơn vị liên quan biết, thực hiện.")
    return OfficialDocument(
        letterhead=letterhead,
        doc_type="THÔNG BÁO",
        number=issue.number if issue else "",
        type_code="TB",
        date=issue.date if issue else None,
        subject=f"Kết luận tại buổi làm việc với {with_whom}",
        body=body,
        signer=issue.signer if issue else draft_signer(union),
        recipients=[*(a.name for a in agencies), "Lưu: VT"],
    )


def conclusion_notice_docx(minutes: Minutes) -> tuple[bytes, str]:
    name = fold(minutes.session.title).replace(" ", "-")[:60] or "thong-bao"
    return render_docx(conclusion_notice(minutes)), f"thong-bao-ket-luan-{name}-v{minutes.version}.docx"
