"""The award decision (QUYẾT ĐỊNH tặng giải thưởng) of an edition in the Decree 30/2020 format, the winners in a
table in its annex. The wording is prescribed Vietnamese."""

from lienhiep.contests.awards import winners
from lienhiep.contests.models import Edition
from lienhiep.core.text import format_number
from lienhiep.paperwork import (
    Annex,
    Article,
    Issue,
    Letterhead,
    OfficialDocument,
    Table,
    issuing_authority,
)
from lienhiep.paperwork.signers import draft_signer

WINNERS_HEADER = ("TT", "Số đăng ký", "Tên giải pháp", "Tác giả", "Đơn vị, địa phương", "Giải", "Tiền thưởng (đồng)")
WINNERS_WIDTHS = (10, 19, 40, 27, 27, 19, 23)  # mm: «15.000.000» fits its column


def _winners_table(awarded: list) -> Table:
    rows = []
    for index, award in enumerate(awarded, start=1):
        entry = award.entry
        school = [entry.school.name] if entry.school_id else []
        where = "; ".join(school + ([entry.locality.title()] if entry.locality_id else []))
        prize = format_number(award.tier.prize_amount) if award.tier.prize_amount else ""
        tier = award.tier.name.removeprefix("Giải ").removeprefix("giải ")  # the column says «Giải»
        rows.append(
            (
                str(index),
                entry.number,
                f"{entry.title} (lĩnh vực {entry.field.name})",
                entry.author_names(),
                where,
                tier,
                prize,
            )
        )
    return Table(WINNERS_HEADER, tuple(rows), widths=WINNERS_WIDTHS, align="cclllcr", size=12)


def award_decision(edition: Edition, issue: Issue | None = None) -> OfficialDocument:
    """The award decision (QUYẾT ĐỊNH): the authority and grounds, three articles, the winners in the annex."""
    union = edition.union
    signer = issue.signer if issue else draft_signer(union)
    competence, issuer = issuing_authority(signer, union.name)
    awarded = winners(edition)
    body: list = [
        Article(
            "Điều 1.",
            f"Tặng giải thưởng {edition.title} cho {len(awarded)} giải pháp có tên trong Phụ lục kèm theo Quyết định "
            "này.",
        ),
        Article(
            "Điều 2.",
            "Mức tiền thưởng của từng giải ghi tại Phụ lục kèm theo Quyết định này, chi từ kinh phí tổ chức "
            f"{edition.title}.",
        ),
        Article(
            "Điều 3.",
            "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Ban Tổ chức, Ban Giám khảo và các tác giả "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
    ]
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="QUYẾT ĐỊNH",
        number=issue.number if issue else "",
        type_code="QĐ",
        date=issue.date if issue else None,
        subject=f"Về việc tặng giải thưởng {edition.title}",
        competence=competence,
        grounds=[
            f"Căn cứ Điều lệ {union.name}",
            f"Căn cứ Thể lệ {edition.title} ({edition.period})",
            "Căn cứ kết quả chấm của Ban Giám khảo",
            f"Theo đề nghị của Ban Tổ chức {edition.title}",
        ],
        body=body,
        signer=signer,
        recipients=["Như Điều 3", "UBND tỉnh (báo cáo)", "Lưu: VT, BTC"],
        annex=Annex(
            title=f"DANH SÁCH CÁC GIẢI PHÁP ĐẠT GIẢI {edition.title.upper()}",
            body=[_winners_table(awarded)],
            issuer=issuer,
        ),
    )
