"""The award decision (QUYẾT ĐỊNH tặng giải thưởng) of an edition in the Decree 30/2020 format, the winners in its
annex. The wording is prescribed Vietnamese."""

from lienhiep.contests.awards import winners
from lienhiep.contests.models import Edition
from lienhiep.core.text import format_number
from lienhiep.paperwork import Heading, Issue, Letterhead, OfficialDocument, Paragraph


def award_decision(edition: Edition, issue: Issue | None = None) -> OfficialDocument:
    """The award decision (QUYẾT ĐỊNH) in the Decree 30/2020 format, the winners listed in the annex."""
    union = edition.union
    letterhead = Letterhead.from_union(union)
    awarded = winners(edition)
    body: list = [
        Paragraph(f"{union.signatory_title.upper()} {union.issuing_body.upper()}", bold=True, center=True),
        Paragraph(
            f"Căn cứ Thể lệ {edition.title} ({edition.period}); căn cứ kết quả chấm của Ban Giám khảo và đề nghị "
            "của Ban Tổ chức,"
        ),
        Paragraph("QUYẾT ĐỊNH:", bold=True, center=True),
        Heading("Điều 1."),
        Paragraph(
            f"Tặng giải thưởng {edition.title} cho {len(awarded)} giải pháp có tên trong danh sách kèm theo "
            "Quyết định này."
        ),
        Heading("Điều 2."),
        Paragraph(
            "Tiền thưởng được chi theo mức của từng giải ghi trong danh sách kèm theo, từ kinh phí tổ chức "
            f"{edition.title}."
        ),
        Heading("Điều 3."),
        Paragraph(
            "Quyết định này có hiệu lực kể từ ngày ký. Ban Tổ chức, Ban Giám khảo và các tác giả có tên tại "
            "Điều 1 chịu trách nhiệm thi hành Quyết định này."
        ),
        Paragraph(""),
        Paragraph(f"DANH SÁCH CÁC GIẢI PHÁP ĐẠT GIẢI {edition.title.upper()}", bold=True, center=True),
        Paragraph(
            f"(Kèm theo Quyết định số {edition.decision_number or '    '} "
            f"{union.dated_line(edition.decision_date).split(', ', 1)[-1] if edition.decision_date else ''})",
            italic=True,
            center=True,
        ),
    ]
    index = 0
    current = None
    for award in awarded:
        if award.tier_id != current:
            current = award.tier_id
            prize = f" — {format_number(award.tier.prize_amount)} đồng/giải" if award.tier.prize_amount else ""
            body.append(Heading(f"{award.tier.name}{prize}"))
        index += 1
        entry = award.entry
        place = f"; {entry.locality.title()}" if entry.locality_id else ""
        school = f"; {entry.school.name}" if entry.school_id else ""
        body.append(
            Paragraph(
                f"{index}. {entry.number} — «{entry.title}» (lĩnh vực {entry.field.name}); tác giả: "
                f"{entry.author_names()}{school}{place}; điểm {format_number(float(award.score or 0), 2)}.",
                indent=False,
            )
        )
    doc = OfficialDocument(
        letterhead=letterhead,
        doc_type="QUYẾT ĐỊNH",
        number=issue.number if issue else "",
        date=issue.date if issue else None,
        subject=f"Về việc tặng giải thưởng {edition.title}",
        body=body,
        signer=issue.signer if issue else None,
        recipients=["Như Điều 3", "UBND tỉnh (b/c)", "Lưu: VT, BTC"],
        type_code="QĐ",
    )
    return doc
