"""Reading uploaded spreadsheets safely: every importer reads its rows through here.

A cell holding a formula is refused, never evaluated nor read from its cached value: the cached value may be
missing (files saved by other programs) or disagree with the formula, and a formula such as
=HYPERLINK("http://…"&A1) is how spreadsheet injection starts. The user is told which cell to paste as a value.
Open the workbook with `data_only=False` so that formulas arrive as their text ("=…"); only such a value is
looked at again, cell by cell, to tell a formula from a text that begins with "=" (a CV exported as text).
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter


def rows_without_formulas(sheet: Any, error: type[Exception] = ValueError) -> Iterator[tuple[Any, ...]]:
    """The values of each row of a worksheet; raise `error` naming the first cell that holds a formula, or
    saying the file cannot be read when the sheet's XML is damaged."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows, None)
        except Exception as exc:  # a damaged sheet (bad XML, an entity bomb) fails while it is read
            raise error(_("The file cannot be read as an Excel (XLSX) workbook.")) from exc
        if values is None:
            return
        number += 1
        for index, value in enumerate(values):
            if isinstance(value, str) and value.startswith("=") and _is_formula(sheet, number, index):
                raise error(
                    _("Cell %(cell)s holds a formula (%(formula)s); paste the column as values and upload again.")
                    % {"cell": f"{get_column_letter(index + 1)}{number}", "formula": value[:60]}
                )
        yield values


def _is_formula(sheet: Any, row: int, index: int) -> bool:
    for cells in sheet.iter_rows(min_row=row, max_row=row):
        return index < len(cells) and cells[index].data_type == "f"
    return False
