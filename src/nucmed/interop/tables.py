"""Tables of records as a workbook (XLSX) or an A4 landscape PDF, for a regulator.

A :class:`Sheet` is a title, column headings (already translated, the unit in the heading:
"Dose, mSv") and rows of cells: text, numbers, dates and local times (naive datetimes the
caller has converted to the site's time). The workbook keeps numbers as numbers and times as
Excel dates; the PDF writes numbers with the language's decimal sign. The font is DejaVu Sans
(Russian and Kazakh letters), shipped in ``nucmed/data/fonts``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from nucmed.interop.label import _fonts, _pt

__all__ = ["Cell", "Sheet", "render_tables_pdf", "render_xlsx"]

Cell = str | float | int | date | datetime | None
_MARGIN_MM: Final = 12.0
_SIZE: Final = 8.0
_LINE: Final = 11.0
_HEADING_MAX: Final = 90.0  # pt: a wider heading wraps
_SHEET_TITLE_MAX: Final = 31  # Excel's limit on a worksheet's name
_FORBIDDEN_IN_TITLE: Final = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: its title, headings and rows (each as long as the headings)."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def render_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an XLSX workbook, one worksheet each, headings in bold, frozen.

    Examples
    --------
    >>> render_xlsx([Sheet("Doses", ("Worker", "Dose, mSv"), (("A", 1.5),))])[:2]
    b'PK'
    """
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(_sheet_title(sheet.title, book.sheetnames))
        page.append(list(sheet.headings))
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append(list(row))
        page.freeze_panes = "A2"
        for index, heading in enumerate(sheet.headings, start=1):
            width = max([len(heading), *(len(_text(r[index - 1], "en")) for r in sheet.rows)])
            page.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
            for row_cells in page.iter_rows(min_row=2, min_col=index, max_col=index):
                for cell in row_cells:
                    if isinstance(cell.value, datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, taken: Sequence[str]) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, unique."""
    name = title.translate(_FORBIDDEN_IN_TITLE)[:_SHEET_TITLE_MAX].strip() or "Sheet"
    number = 2
    while name in taken:
        suffix = f" {number}"
        name = name[: _SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    return name


def _text(cell: Cell, language: str) -> str:
    """A cell as the PDF writes it."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return f"{cell:%Y-%m-%d %H:%M}"
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return format_decimal(float(f"{cell:.4g}"), locale=language, group_separator=False)
    return str(cell)


def render_tables_pdf(title: str, subtitle: str, sheets: Sequence[Sheet], language: str) -> bytes:
    """The sheets as an A4 landscape PDF: ``title`` and ``subtitle`` on top, each sheet as a
    heading and a table; long cells are cut to their column with an ellipsis.

    Parameters
    ----------
    title, subtitle
        The document's heading (e.g. the site and the time it was made).
    sheets
        The tables.
    language
        ``ru``, ``kk`` or ``en``: the decimal sign of numbers.

    Returns
    -------
    bytes
        The PDF (reportlab's invariant mode).
    """
    regular, bold = _fonts()
    buffer = io.BytesIO()
    page_w, page_h = landscape(A4)
    canvas = Canvas(buffer, pagesize=(page_w, page_h), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("nucmed")
    writer = _Writer(canvas, (regular, bold), language)
    writer.line(title, bold, 14)
    writer.line(subtitle, regular, 9)
    for sheet in sheets:
        writer.table(sheet)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Writer:
    """Writes lines and tables down the page, starting a new page when one is full."""

    def __init__(self, canvas: Canvas, fonts: tuple[str, str], language: str) -> None:
        self.canvas, self.fonts, self.language = canvas, fonts, language
        self.width, self.height = landscape(A4)
        self.x = _pt(_MARGIN_MM)
        self.y = self.height - _pt(_MARGIN_MM) - 10

    def _room(self, needed: float) -> None:
        if self.y - needed < _pt(_MARGIN_MM):
            self.canvas.showPage()
            self.y = self.height - _pt(_MARGIN_MM) - 10

    def line(self, text: str, font: str, size: float) -> None:
        self._room(size * 1.4)
        self.canvas.setFont(font, size)
        self.canvas.drawString(self.x, self.y, text)
        self.y -= size * 1.5

    def _row(self, cells: Sequence[str], widths: Sequence[float], font: str) -> None:
        self._room(_LINE)
        self.canvas.setFont(font, _SIZE)
        x = self.x
        for text, width in zip(cells, widths, strict=True):
            self.canvas.drawString(x, self.y, _cut(self.canvas, text, font, width - 4))
            x += width
        self.y -= _LINE

    def _headings(self, headings: Sequence[str], widths: Sequence[float]) -> None:
        bold = self.fonts[1]
        wrapped = [_wrap(self.canvas, text, bold, width - 4) for text, width in
                   zip(headings, widths, strict=True)]  # fmt: skip
        lines = max(len(w) for w in wrapped)
        self._room(_LINE * lines)
        self.canvas.setFont(bold, _SIZE)
        x = self.x
        for parts, width in zip(wrapped, widths, strict=True):
            for index, part in enumerate(parts):
                self.canvas.drawString(x, self.y - index * _LINE, part)
            x += width
        self.y -= _LINE * lines

    def table(self, sheet: Sheet) -> None:
        regular, bold = self.fonts
        self.y -= 6
        self.line(sheet.title, bold, 11)
        texts = [[_text(cell, self.language) for cell in row] for row in sheet.rows]
        widths = _widths(self.canvas, sheet.headings, texts, bold,
                         self.width - 2 * _pt(_MARGIN_MM))  # fmt: skip
        self._headings(sheet.headings, widths)
        for row in texts:
            self._row(row, widths, regular)
        if not texts:
            self._row(["—"] + [""] * (len(widths) - 1), widths, regular)


def _widths(canvas: Canvas, headings: Sequence[str], rows: Sequence[Sequence[str]], font: str,
            total: float) -> list[float]:  # fmt: skip
    """Column widths in proportion to their widest text, filling ``total`` points."""
    natural = [
        max([min(canvas.stringWidth(h, font, _SIZE), _HEADING_MAX),
             *(canvas.stringWidth(r[i], font, _SIZE) for r in rows)]) + 6
        for i, h in enumerate(headings)
    ]  # fmt: skip
    scale = min(1.0, total / sum(natural))
    return [width * scale for width in natural]


def _wrap(canvas: Canvas, text: str, font: str, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` points (a long word is cut)."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and canvas.stringWidth(trial, font, _SIZE) <= width:
            lines[-1] = trial
        else:
            lines.append(_cut(canvas, word, font, width))
    return lines or [""]


def _cut(canvas: Canvas, text: str, font: str, width: float) -> str:
    """``text``, cut with an ellipsis to fit ``width`` points."""
    if canvas.stringWidth(text, font, _SIZE) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, _SIZE) > width:
        text = text[:-1]
    return text + "…"
