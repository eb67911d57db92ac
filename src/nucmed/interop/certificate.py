"""Certificates of participation in a course or exchange programme: one A4 landscape PDF page
in the participant's language (Russian, Kazakh or English).

The page names the participant and their institution and city, the programme (its kind and
title), the host and venue, the dates, the days attended of the days held, the topics, the
certificate's number and the date it was issued. The fixed words (:data:`WORDS`) live here, as
the syringe label's do (``interop`` has no gettext catalogues). The font is DejaVu Sans shipped
in ``nucmed/data/fonts/`` (it has the Russian and Kazakh letters).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm as _PT_PER_MM
from reportlab.pdfgen.canvas import Canvas

from nucmed.interop.label import _fonts
from nucmed.interop.pdf_text import wrapped

__all__ = ["WORDS", "Certificate", "render_certificate_pdf"]

WORDS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "title": "СЕРТИФИКАТ", "issued_to": "Выдан", "institution": "Организация",
        "course": "Краткосрочный курс", "exchange": "Программа обмена опытом",
        "host": "Организатор", "venue": "Место проведения", "dates": "Сроки проведения",
        "attended": "Присутствие, дней", "topics": "Темы",
        "number": "Сертификат №", "issued_on": "Дата выдачи",
    },
    "kk": {
        "title": "СЕРТИФИКАТ", "issued_to": "Берілді", "institution": "Мекеме",
        "course": "Қысқа мерзімді курс", "exchange": "Тәжірибе алмасу бағдарламасы",
        "host": "Ұйымдастырушы", "venue": "Өткізілген орны", "dates": "Өткізілген мерзімі",
        "attended": "Қатысқан күндері", "topics": "Тақырыптар",
        "number": "Сертификат №", "issued_on": "Берілген күні",
    },
    "en": {
        "title": "CERTIFICATE", "issued_to": "Issued to", "institution": "Institution",
        "course": "Short course", "exchange": "Experience exchange programme",
        "host": "Host", "venue": "Venue", "dates": "Dates", "attended": "Days attended",
        "topics": "Topics", "number": "Certificate No.", "issued_on": "Issued on",
    },
}  # fmt: skip
"""The fixed words of the certificate per language."""


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a certificate says, already in the participant's language (texts and dates)."""

    language: str
    number: str
    participant: str
    institution: str
    kind: str
    title: str
    host: str
    venue: str
    starts_on: date
    ends_on: date
    days_attended: int
    days_held: int
    topics: tuple[str, ...]
    issued_on: date


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 landscape PDF.

    Parameters
    ----------
    certificate
        What it says, in its language (``ru``, ``kk`` or ``en``; other codes give English).

    Returns
    -------
    bytes
        The PDF document.
    """
    words = WORDS.get(certificate.language, WORDS["en"])
    regular, bold = _fonts()
    buffer = io.BytesIO()
    page_w, page_h = landscape(A4)
    canvas = Canvas(buffer, pagesize=(page_w, page_h))
    canvas.setTitle(f"{words['title']} {certificate.number}")
    margin = 25 * _PT_PER_MM
    canvas.setLineWidth(2)
    canvas.rect(
        12 * _PT_PER_MM, 12 * _PT_PER_MM, page_w - 24 * _PT_PER_MM, page_h - 24 * _PT_PER_MM
    )
    canvas.setFont(bold, 30)
    canvas.drawCentredString(page_w / 2, page_h - 45 * _PT_PER_MM, words["title"])
    canvas.setFont(bold, 20)
    canvas.drawCentredString(page_w / 2, page_h - 62 * _PT_PER_MM, certificate.participant)
    canvas.setFont(regular, 12)
    canvas.drawCentredString(page_w / 2, page_h - 70 * _PT_PER_MM, certificate.institution)
    canvas.setFont(regular, 12)
    canvas.drawCentredString(page_w / 2, page_h - 84 * _PT_PER_MM, words.get(certificate.kind, ""))
    y = page_h - 92 * _PT_PER_MM
    for line in wrapped(canvas, f"«{certificate.title}»", page_w - 2 * margin, bold, 14):
        canvas.setFont(bold, 14)
        canvas.drawCentredString(page_w / 2, y, line)
        y -= 18
    y -= 10
    rows = (
        (words["host"], certificate.host),
        (words["venue"], certificate.venue),
        (
            words["dates"],
            f"{certificate.starts_on.isoformat()} – {certificate.ends_on.isoformat()}",
        ),
        (words["attended"], f"{certificate.days_attended} / {certificate.days_held}"),
        (words["topics"], "; ".join(certificate.topics)),
    )
    label_w = 60 * _PT_PER_MM
    for label, value in rows:
        canvas.setFont(bold, 11)
        canvas.drawString(margin, y, f"{label}:")
        canvas.setFont(regular, 11)
        for line in wrapped(canvas, value, page_w - 2 * margin - label_w, regular, 11):
            canvas.drawString(margin + label_w, y, line)
            y -= 14
        y -= 4
    canvas.setFont(regular, 10)
    footer = (
        f"{words['number']} {certificate.number}    "
        f"{words['issued_on']}: {certificate.issued_on.isoformat()}"
    )
    canvas.drawString(margin, 20 * _PT_PER_MM, footer)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
