"""The shipping document and the package labels of a Class 7 package, as one A4 PDF.

Page 1, the transport document: the consignor and the consignee (name, address or city,
country), the UN number and proper shipping name (in English, as SSR-6 Table 1 gives them), the
contents (each nuclide's activity in Bq and as declared), the physical form
and special form, the package type with the fraction of A1 or A2 the contents use, the
transport index, the label category and whether the consignment needs exclusive use. Page 2,
the category label (see :mod:`nucmed.interop.transport_label`) to affix on two opposite sides;
an excepted package has no category label and page 2 says so.

The classification itself is :func:`nucmed.safety.transport.classify_package`'s; this module
only writes it. The fixed words (:data:`WORDS`, ru/kk/en) live here, as the syringe label's do.

References
----------
.. [1] IAEA, Regulations for the Safe Transport of Radioactive Material, SSR-6 (Rev. 1), 2018:
   para. 546-547 (what the transport document states: UN number, proper shipping name, class 7,
   nuclides, physical and chemical form, activity in Bq with an SI prefix, category, TI,
   exclusive use, package design certificate); para. 538 (labels on two opposite sides of the
   package). Paragraph numbers recalled, not re-read (status ``recalled``); the printed text
   names no paragraph for that reason.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from nucmed.errors import N_, refusal
from nucmed.interop.label import _activity, _fonts, _local, _pt
from nucmed.interop.pdf_text import wrapped
from nucmed.interop.transport_label import LABEL_SIDE_MM, LabelText, label_drawing
from nucmed.safety.transport import Classification, Packing

__all__ = ["WORDS", "DeclaredContent", "Party", "ShippingDocument", "render_transport_pdf"]

Language = Literal["ru", "kk", "en"]

WORDS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "title": "Транспортный документ", "class7": "Радиоактивный материал, класс 7",
        "consignor": "Грузоотправитель", "consignee": "Грузополучатель",
        "un": "Номер ООН", "psn": "Надлежащее отгрузочное наименование",
        "contents": "Содержимое", "nuclide": "Радионуклид", "activity": "Активность",
        "declared": "Заявлено", "total": "Суммарная активность",
        "form": "Физическое состояние", "solid": "твёрдое", "liquid": "жидкое", "gas": "газ",
        "special_form": "Особый вид", "yes": "да", "no": "нет",
        "package_type": "Тип упаковки", "Excepted": "освобождённая упаковка",
        "Type A": "упаковка типа A", "Type B(U)": "упаковка типа B(U)",
        "fraction": "Доля {basis} смеси", "ti": "Транспортный индекс",
        "category": "Категория знака", "none": "нет (освобождённая упаковка)",
        "exclusive": "Исключительное использование", "required": "требуется",
        "not_required": "не требуется", "certificate": "Сертификат конструкции упаковки",
        "prepared": "Составлен", "signature": "Подпись грузоотправителя",
        "labels": "Знаки на упаковке", "radioactive": "РАДИОАКТИВНО",
        "two_sides": "Наклеить на две противоположные стороны упаковки, SSR-6.",
        "no_label": "Знак категории не нужен: освобождённая упаковка маркируется номером "
                    "ООН (SSR-6).",
    },
    "kk": {
        "title": "Тасымалдау құжаты", "class7": "Радиоактивті материал, 7-сынып",
        "consignor": "Жүк жөнелтуші", "consignee": "Жүк алушы",
        "un": "БҰҰ нөмірі", "psn": "Тиісті тасымалдау атауы",
        "contents": "Құрамы", "nuclide": "Радионуклид", "activity": "Белсенділік",
        "declared": "Мәлімделген", "total": "Жалпы белсенділік",
        "form": "Физикалық күйі", "solid": "қатты", "liquid": "сұйық", "gas": "газ",
        "special_form": "Ерекше түр", "yes": "иә", "no": "жоқ",
        "package_type": "Қаптама түрі", "Excepted": "босатылған қаптама",
        "Type A": "A типті қаптама", "Type B(U)": "B(U) типті қаптама",
        "fraction": "Қоспаның {basis} үлесі", "ti": "Тасымалдау индексі",
        "category": "Белгі санаты", "none": "жоқ (босатылған қаптама)",
        "exclusive": "Ерекше пайдалану", "required": "қажет", "not_required": "қажет емес",
        "certificate": "Қаптама конструкциясының сертификаты",
        "prepared": "Жасалған күні", "signature": "Жүк жөнелтушінің қолы",
        "labels": "Қаптамадағы белгілер", "radioactive": "РАДИОАКТИВТІ",
        "two_sides": "Қаптаманың екі қарама-қарсы жағына жапсырыңыз, SSR-6.",
        "no_label": "Санат белгісі қажет емес: босатылған қаптамаға БҰҰ нөмірі жазылады "
                    "(SSR-6).",
    },
    "en": {
        "title": "Transport document", "class7": "Radioactive material, class 7",
        "consignor": "Consignor", "consignee": "Consignee",
        "un": "UN number", "psn": "Proper shipping name",
        "contents": "Contents", "nuclide": "Nuclide", "activity": "Activity",
        "declared": "Declared", "total": "Total activity",
        "form": "Physical form", "solid": "solid", "liquid": "liquid", "gas": "gas",
        "special_form": "Special form", "yes": "yes", "no": "no",
        "package_type": "Package type", "Excepted": "excepted package",
        "Type A": "Type A package", "Type B(U)": "Type B(U) package",
        "fraction": "Fraction of the mixture's {basis}", "ti": "Transport index",
        "category": "Label category", "none": "none (excepted package)",
        "exclusive": "Exclusive use", "required": "required", "not_required": "not required",
        "certificate": "Package design certificate",
        "prepared": "Prepared", "signature": "Consignor's signature",
        "labels": "Package labels", "radioactive": "RADIOACTIVE",
        "two_sides": "Affix on two opposite sides of the package, SSR-6.",
        "no_label": "No category label: an excepted package is marked with its UN number "
                    "(SSR-6).",
    },
}  # fmt: skip
"""The fixed words of the document and label per language."""

_MARGIN_MM: Final = 18.0
_BQ: Final = {"ru": "Бк", "kk": "Бк", "en": "Bq"}


@dataclass(frozen=True, slots=True)
class Party:
    """A consignor or consignee: name, address (may be empty: the city stands for it), city
    and country."""

    name: str
    city: str
    country: str
    address: str = ""

    def line(self) -> str:
        """``name, address, city, country`` without the empty parts."""
        return ", ".join(part for part in (self.name, self.address, self.city, self.country)
                         if part.strip())  # fmt: skip


@dataclass(frozen=True, slots=True)
class DeclaredContent:
    """One nuclide of the contents: its activity (Bq) and the text it was declared as
    (``"37 GBq"``)."""

    nuclide: str
    activity_bq: float
    declared: str


@dataclass(frozen=True, slots=True)
class ShippingDocument:
    """What the transport document and label say; ``prepared_at`` is shown in ``time_zone``
    (an IANA name); ``design_certificate`` is the competent authority's identification mark of
    a Type B(U) package design (required for one)."""

    consignor: Party
    consignee: Party
    contents: tuple[DeclaredContent, ...]
    packing: Packing
    classification: Classification
    prepared_at: datetime
    time_zone: str
    language: Language
    design_certificate: str = ""


def render_transport_pdf(document: ShippingDocument) -> bytes:
    """The transport document (page 1) and the package label (page 2) as an A4 PDF.

    Parameters
    ----------
    document
        The classified package and the parties.

    Returns
    -------
    bytes
        The PDF (reportlab's invariant mode: the same document gives the same bytes).

    Raises
    ------
    NucmedInputError
        A Type B(U) package without its package design certificate, or a party without a name.
    """
    _check(document)
    words = WORDS[document.language]
    fonts = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{words['title']}: {document.classification.un_number}")
    canvas.setCreator("nucmed")
    _document_page(canvas, document, fonts)
    canvas.showPage()
    _label_page(canvas, document, fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _check(document: ShippingDocument) -> None:
    for party in (document.consignor, document.consignee):
        if not party.name.strip():
            raise refusal(N_("give the names of the consignor and the consignee"))
    if document.classification.needs_certified_design and not document.design_certificate.strip():
        raise refusal(
            N_(
                "a Type B(U) package needs a package design certified by the competent "
                "authority: give the certificate's identification mark"
            )
        )


def _bq(activity_bq: float, language: Language) -> str:
    """The activity in whole becquerels with the locale's grouping (``37 000 000 000 Бк``)."""
    return f"{format_decimal(round(activity_bq), locale=language)} {_BQ[language]}"


def _rows(document: ShippingDocument) -> list[tuple[str, str]]:
    """(heading, value) of the document's lines after the parties and before the contents."""
    words, result = WORDS[document.language], document.classification
    ti = _ti(result.transport_index, document.language)
    fraction = format_decimal(float(f"{result.limit_fraction:.4g}"), locale=document.language)
    rows = [
        (words["un"], result.un_number),
        (words["psn"], result.proper_shipping_name),
        (words["package_type"], words[result.package_type]),
        (words["fraction"].format(basis=result.limit_basis), fraction),
        (words["form"], words[document.packing.form]),
        (words["special_form"], words["yes" if document.packing.special_form else "no"]),
        (words["ti"], ti),
        (words["category"], result.label or words["none"]),
        (words["exclusive"], words["required" if result.exclusive_use else "not_required"]),
    ]
    if result.needs_certified_design:
        rows.append((words["certificate"], document.design_certificate))
    return rows


def _document_page(canvas: Canvas, document: ShippingDocument, fonts: tuple[str, str]) -> None:
    regular, bold = fonts
    words, language = WORDS[document.language], document.language
    page_w, page_h = A4
    x, width = _pt(_MARGIN_MM), page_w - 2 * _pt(_MARGIN_MM)
    y = page_h - _pt(_MARGIN_MM) - 14
    canvas.setFont(bold, 16)
    canvas.drawString(x, y, words["title"])
    canvas.setFont(regular, 11)
    canvas.drawString(x, y - 16, words["class7"])
    y -= 40
    heads = [(words["consignor"], document.consignor.line()),
             (words["consignee"], document.consignee.line()), *_rows(document)]  # fmt: skip
    for heading, value in heads:
        y = _row(canvas, (x, y, width), heading, value, fonts)
    y -= 8
    canvas.setFont(bold, 11)
    canvas.drawString(x, y, words["contents"])
    y -= 16
    columns = (x, x + 0.22 * width, x + 0.62 * width)
    canvas.setFont(bold, 9.5)
    for column, heading in zip(columns, ("nuclide", "activity", "declared"), strict=True):
        canvas.drawString(column, y, words[heading])
    canvas.setFont(regular, 9.5)
    for content in document.contents:
        y -= 14
        values = (content.nuclide, _bq(content.activity_bq, language), content.declared)
        for column, value in zip(columns, values, strict=True):
            canvas.drawString(column, y, value)
    total = sum(content.activity_bq for content in document.contents)
    y -= 18
    canvas.setFont(bold, 9.5)
    canvas.drawString(x, y, f"{words['total']}: {_bq(total, language)} "
                            f"({_activity(total, language)})")  # fmt: skip
    y -= 40
    canvas.setFont(regular, 9.5)
    prepared = _local(document.prepared_at, ZoneInfo(document.time_zone))
    canvas.drawString(x, y, f"{words['prepared']}: {prepared}")
    canvas.drawString(x + 0.5 * width, y, f"{words['signature']}: ____________________")


def _row(canvas: Canvas, box: tuple[float, float, float], heading: str, value: str,
         fonts: tuple[str, str]) -> float:  # fmt: skip
    """Write ``heading: value`` (the value wrapped) at (x, y); the next line's y."""
    x, y, width = box
    regular, bold = fonts
    indent = 0.34 * width
    canvas.setFont(bold, 9.5)
    heading_lines = wrapped(canvas, heading, indent - 8, bold, 9.5) or [""]
    for index, line in enumerate(heading_lines):
        canvas.drawString(x, y - 13 * index, line)
    canvas.setFont(regular, 9.5)
    value_lines = wrapped(canvas, value, width - indent, regular, 9.5) or [""]
    for index, line in enumerate(value_lines):
        canvas.drawString(x + indent, y - 13 * index, line)
    return y - 13 * max(len(heading_lines), len(value_lines)) - 3


def _label_text(document: ShippingDocument) -> LabelText:
    words, language = WORDS[document.language], document.language
    total = sum(content.activity_bq for content in document.contents)
    ti = document.classification.transport_index
    return LabelText(
        {key: words[key] for key in ("radioactive", "contents", "activity", "ti")},
        ", ".join(_unique(content.nuclide for content in document.contents)),
        _activity(total, language),
        _ti(ti, language),
    )


def _ti(ti: float | None, language: Language) -> str:
    """The transport index as the language writes decimals; ``-`` for none (excepted)."""
    return "-" if ti is None else format_decimal(ti, locale=language)


def _unique(names: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen


def _label_page(canvas: Canvas, document: ShippingDocument, fonts: tuple[str, str]) -> None:
    regular, bold = fonts
    words = WORDS[document.language]
    page_w, page_h = A4
    x = _pt(_MARGIN_MM)
    y = page_h - _pt(_MARGIN_MM) - 14
    canvas.setFont(bold, 14)
    canvas.drawString(x, y, f"{words['labels']}: {document.classification.un_number}")
    canvas.setFont(regular, 10)
    category = document.classification.label
    if category is None:
        canvas.drawString(x, y - 20, words["no_label"])
        return
    canvas.drawString(x, y - 20, f"{words['category']}: {category}. {words['two_sides']}")
    drawing = label_drawing(category, _label_text(document), fonts)
    across = _pt(LABEL_SIDE_MM) * 2**0.5
    renderPDF.draw(drawing, canvas, (page_w - across) / 2, y - 40 - across)
