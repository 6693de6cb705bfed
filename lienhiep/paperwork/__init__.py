"""Official documents in the Decree 30/2020/NĐ-CP format (DOCX), shared by every module.

A plain package (no models, no app config): `render_docx(OfficialDocument(...))` returns the bytes of a .docx.
Its fixed wording (national title, motto, "Nơi nhận") is prescribed Vietnamese text, not interface text.
"""

from lienhiep.paperwork.decree30 import (
    Annex,
    Article,
    Figure,
    Heading,
    Letterhead,
    OfficialDocument,
    Paragraph,
    Table,
    document_number,
    render_docx,
)
from lienhiep.paperwork.signers import Issue, Signer, issuing_authority, number_symbol, signer_for

__all__ = [
    "Annex",
    "Article",
    "Figure",
    "Heading",
    "Issue",
    "Letterhead",
    "OfficialDocument",
    "Paragraph",
    "Signer",
    "Table",
    "document_number",
    "issuing_authority",
    "number_symbol",
    "render_docx",
    "signer_for",
]
