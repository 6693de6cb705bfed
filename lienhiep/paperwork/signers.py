"""Who signs an official document and how the signature block reads (Decree 30/2020, Appendix I, section II.9).

The Union works as a collective body (Ban Thường vụ): its documents are signed «TM. BAN THƯỜNG VỤ» by the chair, or
«TM. BAN THƯỜNG VỤ / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH» by a vice-chair. «Q.» is an acting head, «TL.» the chief of office
signing by order of the head, «TUQ.» someone the head has authorised. The lines follow from the signer's position,
so a document records the signer it was issued with, never the case's current signer.
"""

import datetime
from dataclasses import dataclass

from lienhiep.core.text import fold

COLLECTIVE = "BAN THƯỜNG VỤ"
HEAD_TITLE = "CHỦ TỊCH"


@dataclass(frozen=True)
class Signer:
    """The signature block: the authority lines (TM., KT., TL., TUQ.), the signer's own title, the name."""

    name: str
    title: str  # e.g. "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Q. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "THƯ KÝ"
    authority: tuple[str, ...] = ()  # e.g. ("TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH")

    @property
    def lines(self) -> list[str]:
        """The bold lines above the signature space."""
        return [*self.authority, self.title]


def signer_for(
    name: str,
    position: str,
    *,
    collective: str | None = COLLECTIVE,
    head_title: str = HEAD_TITLE,
    authorised: bool = False,
) -> Signer:
    """The signature block of a Union leader from their position («Chủ tịch», «Phó Chủ tịch», «Quyền Chủ tịch»,
    «Chánh Văn phòng» ...). `collective` is the body the document is issued on behalf of (None for a document the
    head signs in their own name); `authorised` marks a signer the head has authorised in writing (TUQ.)."""
    folded = fold(position)
    head = head_title.upper()
    on_behalf = (f"TM. {collective.upper()}",) if collective else ()
    if folded.startswith("pho " + fold(head_title)):
        return Signer(name, position.upper(), (*on_behalf, f"KT. {head}"))
    if folded.startswith("quyen " + fold(head_title)):
        return Signer(name, f"Q. {head}", on_behalf)
    if folded.startswith(fold(head_title)) or not folded:
        return Signer(name, head, on_behalf)
    mark = "TUQ." if authorised else "TL."
    return Signer(name, position.upper(), (f"{mark} {head}",))


@dataclass(frozen=True)
class Issue:
    """The facts of issue a document carries: its number from the register, its date and its signer. A draft has
    none (None in their place): it shows «Số:      /QĐ-LHH» and a date to be written in."""

    number: str  # e.g. "01/QĐ-LHH"
    date: datetime.date
    signer: Signer


def number_symbol(number: int, type_code: str, document_symbol: str) -> str:
    """'01/QĐ-LHH': numbers below 10 are written with a leading zero (Appendix I, II.3)."""
    return f"{number:02d}/{type_code}-{document_symbol}"


# How an annex cites the authority (in running text) when it is not simply the upper-case words capitalised.
AUTHORITY_IN_TEXT = {COLLECTIVE: "Ban Thường vụ"}


def issuing_authority(signer: Signer | None, organisation: str) -> tuple[str, str]:
    """Who issues a decision, as its signer shows it: «TM. BAN THƯỜNG VỤ» → the Standing Committee; a head signing
    in their own name, through a deputy (KT.) or by order (Q., TL., TUQ.) → the head. A draft (no signer yet) is
    issued by the Standing Committee.

    Returns the authority line printed above the grounds, «BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH
    KON TUM», and the same in running text, «Ban Thường vụ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum»
    (how an annex cites the decision). `organisation` is the full name, e.g. the Union's name."""
    authority = COLLECTIVE
    if signer is not None:
        on_behalf = [line[4:] for line in signer.authority if line.startswith("TM. ")]
        if on_behalf:
            authority = on_behalf[0]
        elif signer.authority:  # «KT. CHỦ TỊCH», «TL. CHỦ TỊCH», «TUQ. CHỦ TỊCH»
            authority = signer.authority[-1].split(" ", 1)[-1]
        else:
            authority = signer.title.removeprefix("Q. ")
    authority = authority.upper()
    in_text = AUTHORITY_IN_TEXT.get(authority, authority.capitalize())
    return f"{authority} {organisation.upper()}", f"{in_text} {organisation}"


def draft_signer(union) -> Signer:
    """The signature block of a draft: on behalf of the Standing Committee, with the Union's signatory title and no
    name yet."""
    return signer_for("", union.signatory_title)
