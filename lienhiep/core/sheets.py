"""Reading uploaded spreadsheets safely: every importer reads its rows through here.

A cell holding a formula is refused, never evaluated nor read from its cached value: the cached value may be
missing (files saved by other programs) or disagree with the formula, and a formula such as
=HYPERLINK("http://…"&A1) is how spreadsheet injection starts. The user is told which cell to paste as a value.
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _


def rows_without_formulas(sheet: Any, error: type[Exception] = ValueError) -> Iterator[tuple[Any, ...]]:
    """The values of each row of a worksheet opened with `data_only=False` (read-only mode is fine);
    raise `error` naming the first cell that holds a formula."""
    rows = sheet.iter_rows()
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:  # a damaged sheet (bad XML, an entity bomb) fails while it is read
            raise error(_("The file cannot be read as an Excel (XLSX) workbook.")) from exc
        if row is None:
            return
        values = []
        for cell in row:
            if cell.data_type == "f":
                raise error(
                    _("Cell %(cell)s holds a formula (%(formula)s); paste the column as values and upload again.")
                    % {"cell": cell.coordinate, "formula": str(cell.value)[:60]}
                )
            values.append(cell.value)
        yield tuple(values)
