"""Syringe (dose) labels: a 100 mm × 50 mm PDF page with a Code 128 and a QR code.

The label shows the radiopharmaceutical, the activity at the planned time of administration
(the measured activity decay-corrected) and the activity measured with the time of the
measurement, the volume, the route, the expiry, the patient by two identifiers (name and birth
date, with the hospital number), the site and who drew the dose, the radiation
trefoil with the word "radioactive", a Code 128 of the dose ID (printed under it) and a QR code of
`label_payload`. Times are shown in the site's time zone with their UTC offset
(``2026-11-22 09:30 +05:00``).

Payload (QR code), version 1: seven fields joined by ``|``::

    NUCMED1|<site_code>|<dose_id>|<nuclide>|<activity_bq>|<activity_time>|<patient_id>

``activity_bq`` is a whole number of becquerels at the planned time; ``activity_time`` (the
planned time) is ISO 8601 with the
site's UTC offset, as `nucmed.units.format_datetime` writes it. The text fields are printable
ASCII without ``|``, so that every scanner reads them and the payload splits unambiguously.

The fixed words (`WORDS`, ru/kk/en) live here: ``interop`` has no gettext catalogues. Unit
symbols follow the web interface (МБк, мл in Russian and Kazakh). The font is DejaVu Sans,
shipped in ``nucmed/data/fonts/``.

References
----------
.. [1] ISO 361:1975, Basic ionizing radiation symbol: a central disc of radius R and three
   60° blades from 1.5 R to 5 R, black or magenta on yellow.
.. [2] ISO/IEC 15417:2007, Code 128 bar code symbology: quiet zones of at least 10 X.
.. [3] ISO/IEC 18004:2015, QR Code bar code symbology: quiet zone of 4 modules.
"""

from __future__ import annotations

import datetime
import functools
import io
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_decimal
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.barcode.widgets import BarcodeCode128
from reportlab.graphics.shapes import Circle, Drawing, String, Wedge
from reportlab.lib import colors
from reportlab.lib.units import mm as _PT_PER_MM
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nucmed.errors import N_, Amount, NucmedInputError
from nucmed.units import M3_PER_ML, format_datetime, scale_activity

__all__ = [
    "PAYLOAD_PREFIX", "ROUTES", "WORDS", "DoseLabel", "LabelError", "LabelFontError",
    "Language", "label_payload", "render_label_pdf",
]  # fmt: skip

Language = Literal["ru", "kk", "en"]
PAYLOAD_PREFIX: Final = "NUCMED1"

WORDS: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "patient": "Пациент", "activity": "Активность", "at": "на", "volume": "Объём",
        "expires": "Годен до", "drawn_by": "Фасовщик", "site": "Учреждение",
        "radioactive": "РАДИОАКТИВНО", "measured": "Измерено", "born": "Дата рождения",
        "route": "Путь введения", "not_stated": "не указано",
        "intravenous": "внутривенно", "oral": "перорально", "inhalation": "ингаляционно",
        "subcutaneous": "подкожно", "intradermal": "внутрикожно",
        "intra-arterial": "внутриартериально", "intraperitoneal": "внутрибрюшинно",
        "other": "другое",
    },
    "kk": {
        "patient": "Пациент", "activity": "Белсенділік", "at": "уақыты", "volume": "Көлемі",
        "expires": "Жарамдылық мерзімі", "drawn_by": "Дайындаған",
        "site": "Мекеме", "radioactive": "РАДИОАКТИВТІ", "measured": "Өлшенді",
        "born": "Туған күні", "route": "Енгізу жолы", "not_stated": "көрсетілмеген",
        "intravenous": "көктамыр ішіне", "oral": "ауыз арқылы", "inhalation": "ингаляциялық",
        "subcutaneous": "тері астына", "intradermal": "тері ішіне",
        "intra-arterial": "артерия ішіне", "intraperitoneal": "іш қуысына", "other": "басқа",
    },
    "en": {
        "patient": "Patient", "activity": "Activity", "at": "at", "volume": "Volume",
        "expires": "Expires", "drawn_by": "Drawn by", "site": "Site",
        "radioactive": "RADIOACTIVE", "measured": "Measured", "born": "Born",
        "route": "Route", "not_stated": "not stated",
        "intravenous": "intravenous", "oral": "oral", "inhalation": "inhalation",
        "subcutaneous": "subcutaneous", "intradermal": "intradermal",
        "intra-arterial": "intra-arterial", "intraperitoneal": "intraperitoneal",
        "other": "other",
    },
}  # fmt: skip
ROUTES: Final = (
    "intravenous", "oral", "inhalation", "subcutaneous", "intradermal", "intra-arterial",
    "intraperitoneal", "other",
)  # fmt: skip
"""The routes a label names (the codes of ``nucmed.services.clinic.administrations.ROUTES``)."""
_CYRILLIC_UNITS: Final = {"Bq": "Бк", "kBq": "кБк", "MBq": "МБк", "GBq": "ГБк", "TBq": "ТБк"}
_MAX_ID_LENGTH: Final = 32
_MAX_TEXT_LENGTH: Final = 80
_PAGE_W_MM, _PAGE_H_MM, _MARGIN_MM = 100.0, 50.0, 3.0
_SIDE_MM: Final = 24.0  # the right column: trefoil over QR code
_TEXT_W_MM: Final = _PAGE_W_MM - 2 * _MARGIN_MM - _SIDE_MM - 2
_X_MAX_MM, _X_MIN_MM = 0.33, 0.25  # Code 128 module: 0.25 mm is 2 dots at 203 dpi
_FONT_FILES: Final = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
_FONT_NAMES: Final = ("NucmedLabelSans", "NucmedLabelSans-Bold")
_NEEDED_GLYPHS: Final = "АЯЁаяёӘәҒғҚқҢңӨөҰұҮүҺһІі№µ³"


class LabelError(NucmedInputError):
    """A dose label that cannot be printed as given; the message says what is allowed."""


def _refused(template: str, **values: object) -> LabelError:
    """A label error made of one template marked with ``N_`` and its values (a field's name,
    such as ``dose_id``, is kept as it is in every language)."""
    return LabelError(parts=((template, values),))


def _quoted(text: str) -> str:
    """Text for quoting in a one-line message: control characters escaped, as ``repr`` does."""
    return repr(text)[1:-1]


class LabelFontError(RuntimeError):
    """No TrueType font with Cyrillic and Kazakh letters was found to print labels."""


@dataclass(frozen=True, slots=True)
class DoseLabel:
    """What a syringe label shows. Checked on creation.

    Parameters
    ----------
    dose_id, site_code, patient_id, nuclide
        Printable ASCII without ``|``, at most 32 characters (they go into the barcodes); the
        dose ID as fits the Code 128: up to 19 characters, or 32 digits.
    patient_name, radiopharmaceutical, drawn_by
        Text, any script, at most 80 characters; e.g. ``"Tc-99m MDP"``.
    activity_bq
        Activity in becquerels (Bq) at `activity_time`, the planned time of administration;
        positive.
    activity_time, expires_at
        Timezone-aware datetimes.
    measured_bq, measured_at
        The activity measured in the dose calibrator (Bq, positive) and when (aware).
    route
        The route ordered, one of `ROUTES`; None: not stated (printed so).
    birth_date
        The patient's birth date, the second identifier; None: not recorded (printed so).
    volume_m3
        Volume in cubic metres (m³); positive.
    time_zone
        IANA name of the site's time zone, e.g. ``"Asia/Almaty"``; times are shown in it.
    language
        ``"ru"``, ``"kk"`` or ``"en"``.

    Raises
    ------
    LabelError
        If a field is empty, too long or not allowed, a time is naive, an amount is not
        positive, or the time zone or language is unknown.
    """

    dose_id: str
    site_code: str
    patient_name: str
    patient_id: str
    radiopharmaceutical: str
    nuclide: str
    activity_bq: float
    activity_time: datetime.datetime
    volume_m3: float
    expires_at: datetime.datetime
    drawn_by: str
    time_zone: str
    language: Language
    measured_bq: float
    measured_at: datetime.datetime
    route: str | None
    birth_date: datetime.date | None

    def __post_init__(self) -> None:
        for field in ("dose_id", "site_code", "patient_id", "nuclide"):
            _check_code(field, getattr(self, field))
        _barcode_module(self.dose_id)
        for field in ("patient_name", "radiopharmaceutical", "drawn_by"):
            _check_text(field, getattr(self, field))
        if self.route is not None and self.route not in ROUTES:
            raise _refused(
                N_("route '{route}': use one of {allowed}"),
                route=_quoted(self.route),
                allowed=", ".join(ROUTES),
            )
        for field, unit in (("activity_bq", "Bq"), ("volume_m3", "m3"), ("measured_bq", "Bq")):
            value = getattr(self, field)
            if not (math.isfinite(value) and value > 0):
                raise _refused(
                    N_("{field} must be a positive finite number, got {value}"),
                    field=field,
                    value=Amount(value, unit),
                )
        for field in ("activity_time", "expires_at", "measured_at"):
            moment = getattr(self, field)
            if not isinstance(moment, datetime.datetime) or moment.utcoffset() is None:
                raise _refused(
                    N_("{field} needs a time with a UTC offset, e.g. 09:30+05:00"), field=field
                )
        if self.language not in get_args(Language):
            raise _refused(
                N_("unknown language '{language}'; use one of ru, kk, en"),
                language=_quoted(self.language),
            )
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise _refused(
                N_("unknown time zone '{zone}'; use an IANA name such as Asia/Almaty"),
                zone=_quoted(self.time_zone),
            ) from None


_EMPTY: Final = N_("{field} must not be empty")
_TOO_LONG: Final = N_("{field} is {length} characters; at most {most} fit")


def _check_code(field: str, value: str) -> None:
    """Refuse a barcode field that is empty, too long, non-ASCII or holds ``|``."""
    if not value.strip():
        raise _refused(_EMPTY, field=field)
    if len(value) > _MAX_ID_LENGTH:
        raise _refused(_TOO_LONG, field=field, length=len(value), most=_MAX_ID_LENGTH)
    if not all(" " <= c <= "~" and c != "|" for c in value):
        raise _refused(
            N_("{field} '{value}': use printable ASCII letters and digits, no '|'"),
            field=field,
            value=_quoted(value),
        )


def _check_text(field: str, value: str) -> None:
    """Refuse a shown text that is empty, too long or holds control characters."""
    if not value.strip():
        raise _refused(_EMPTY, field=field)
    if len(value) > _MAX_TEXT_LENGTH:
        raise _refused(_TOO_LONG, field=field, length=len(value), most=_MAX_TEXT_LENGTH)
    if not value.isprintable():
        raise _refused(N_("{field} must be one line of printable text"), field=field)


def label_payload(label: DoseLabel) -> str:
    """The text of the label's QR code (payload version 1, see the module docstring).

    Parameters
    ----------
    label
        The dose label.

    Returns
    -------
    str
        ``NUCMED1|site|dose ID|nuclide|activity in Bq|activity time|patient ID``.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2026, 11, 22, 4, 30, tzinfo=timezone.utc)
    >>> label = DoseLabel("D-0042", "KZ-ALA", "Иванов И.", "P123", "Tc-99m MDP", "Tc-99m",
    ...     7.4e8, t, 2e-6, t + timedelta(hours=6), "Ахметова А.", "Asia/Almaty", "ru",
    ...     8.1e8, t - timedelta(minutes=45), "intravenous", None)
    >>> label_payload(label)
    'NUCMED1|KZ-ALA|D-0042|Tc-99m|740000000|2026-11-22T09:30+05:00|P123'
    """
    moment = format_datetime(label.activity_time, ZoneInfo(label.time_zone))
    fields = (label.site_code, label.dose_id, label.nuclide, f"{round(label.activity_bq):d}")
    return "|".join((PAYLOAD_PREFIX, *fields, moment, label.patient_id))


def render_label_pdf(label: DoseLabel) -> bytes:
    """The label as a one-page PDF, 100 mm wide and 50 mm high.

    The same label gives the same bytes (reportlab's invariant mode).

    Parameters
    ----------
    label
        The dose label.

    Returns
    -------
    bytes
        The PDF document.

    Raises
    ------
    LabelError
        If a text does not fit on the label even in small print.
    LabelFontError
        If no DejaVu Sans font is found (install the Debian package fonts-dejavu-core).

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2026, 11, 22, 4, 30, tzinfo=timezone.utc)
    >>> label = DoseLabel("D-0042", "KZ-ALA", "Иванов И.", "P123", "Tc-99m MDP", "Tc-99m",
    ...     7.4e8, t, 2e-6, t + timedelta(hours=6), "Ахметова А.", "Asia/Almaty", "kk",
    ...     8.1e8, t - timedelta(minutes=45), "oral", None)
    >>> render_label_pdf(label)[:5]
    b'%PDF-'
    """
    regular, bold = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(_pt(_PAGE_W_MM), _pt(_PAGE_H_MM)), invariant=1, pageCompression=1
    )
    canvas.setTitle(f"Dose label {label.dose_id}")
    canvas.setSubject(label_payload(label))
    canvas.setCreator("nucmed")
    renderPDF.draw(_drawing(label, regular, bold), canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pt(length_mm: float) -> float:
    """Millimetres to PDF points (1 pt = 1/72 in; reportlab's constant)."""
    return float(length_mm * _PT_PER_MM)


def _local(moment: datetime.datetime, zone: ZoneInfo) -> str:
    """``2026-11-22 09:30 +05:00``: the moment in the zone, with its UTC offset."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:5]}"


def _activity(activity_bq: float, language: Language) -> str:
    """An activity as the label's language writes it (``740 МБк``)."""
    number, symbol = scale_activity(activity_bq)
    if language != "en":
        symbol = _CYRILLIC_UNITS.get(symbol, symbol)
    return f"{_number(number, language)} {symbol}"


def _number(value: float, language: Language) -> str:
    return format_decimal(value, locale=language, group_separator=False)


def _volume(label: DoseLabel) -> str:
    """The volume as the label's language writes it (``2 мл``)."""
    volume_ml = float(f"{label.volume_m3 / M3_PER_ML:.3g}")
    return f"{_number(volume_ml, label.language)} {'mL' if label.language == 'en' else 'мл'}"


def _lines(label: DoseLabel) -> list[tuple[str, bool, float]]:
    """The text lines of the label, top to bottom: text, bold, largest font size (pt)."""
    words, zone = WORDS[label.language], ZoneInfo(label.time_zone)
    measured = _activity(label.measured_bq, label.language)
    born = label.birth_date.isoformat() if label.birth_date else words["not_stated"]
    route = words[label.route] if label.route else words["not_stated"]
    return [
        (label.radiopharmaceutical, True, 11.5),
        (f"{words['activity']}: {_activity(label.activity_bq, label.language)}", True, 10.5),
        (f"{words['at']} {_local(label.activity_time, zone)}", False, 7.5),
        (f"{words['measured']}: {measured}, {_local(label.measured_at, zone)}", False, 7.5),
        (f"{words['patient']}: {label.patient_name}", True, 9),
        (f"{words['born']}: {born}   ID: {label.patient_id}", True, 8),
        (f"{words['route']}: {route}   {words['volume']}: {_volume(label)}", False, 7.5),
        (f"{words['expires']}: {_local(label.expires_at, zone)}", False, 7.5),
        (f"{words['site']}: {label.site_code}   {words['drawn_by']}: {label.drawn_by}", False, 7),
    ]


def _fitted(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` that fits `text` into `width` (pt), at least 5 pt."""
    fitted = min(size, size * width / float(pdfmetrics.stringWidth(text, font, size)))
    if fitted < 5:  # noqa: PLR2004 - smaller print is not legible on a syringe shield
        raise _refused(N_("text too long for the label: '{text}'"), text=text)
    return fitted


def _drawing(label: DoseLabel, regular: str, bold: str) -> Any:
    """The label as a reportlab Drawing (points, origin bottom left)."""
    width, height, margin = _pt(_PAGE_W_MM), _pt(_PAGE_H_MM), _pt(_MARGIN_MM)
    side, text_w = _pt(_SIDE_MM), _pt(_TEXT_W_MM)
    drawing = Drawing(width, height)
    y = height - margin
    for text, is_bold, size in _lines(label):
        font = bold if is_bold else regular
        fitted = _fitted(text, font, size, text_w)
        y -= fitted * 1.12
        drawing.add(String(margin, y, text, fontName=font, fontSize=fitted))
    drawing.add(_code128(label.dose_id, margin, y - _pt(1.5)))
    column_x = width - margin - side
    _trefoil(drawing, column_x + side / 2, height - margin - _pt(7.5), _pt(7.5))
    word = WORDS[label.language]["radioactive"]
    size = _fitted(word, bold, 7, side)
    drawing.add(
        String(column_x + side / 2, height - margin - _pt(18), word, fontName=bold,
               fontSize=size, textAnchor="middle")
    )  # fmt: skip
    drawing.add(
        QrCodeWidget(label_payload(label), barLevel="M", barBorder=4, x=column_x,
                     y=margin - _pt(1), barWidth=side, barHeight=side)
    )  # fmt: skip
    return drawing


def _barcode_module(dose_id: str) -> float:
    """The Code 128 module (X, pt) that fits the dose ID with its 10 X quiet zones [2]_."""
    modules = BarcodeCode128(value=dose_id, barWidth=1, quiet=0).width + 20
    module = min(_pt(_X_MAX_MM), _pt(_TEXT_W_MM) / float(modules))
    if module < _pt(_X_MIN_MM):
        raise _refused(
            N_(
                "dose_id '{dose_id}' is too long for the label's Code 128: up to 19 characters "
                "fit, or up to 32 if they are digits"
            ),
            dose_id=dose_id,
        )
    return module


def _code128(value: str, x: float, top: float) -> Any:
    """A Code 128 of `value` with its text below, from the bottom margin up to `top` (pt)."""
    bottom = _pt(_MARGIN_MM + 3)  # room for the human-readable text
    module = _barcode_module(value)
    return BarcodeCode128(
        value=value, x=x, y=bottom, barWidth=module, barHeight=top - bottom, quiet=1,
        lquiet=10 * module, rquiet=10 * module, humanReadable=1, fontName="Helvetica",
        fontSize=7,
    )  # fmt: skip


def _trefoil(drawing: Any, cx: float, cy: float, r_outer: float) -> None:
    """Add the ISO 361 trefoil [1]_, black on a yellow disc, centred at (cx, cy)."""
    r = r_outer / 5
    drawing.add(Circle(cx, cy, r_outer * 1.08, fillColor=colors.yellow, strokeColor=None))
    drawing.add(Circle(cx, cy, r, fillColor=colors.black, strokeColor=None))
    for centre in (90 - 60, 90 + 60, 270):  # two blades up, one pointing down
        drawing.add(
            Wedge(cx, cy, r_outer, centre - 30, centre + 30, radius1=1.5 * r,
                  fillColor=colors.black, strokeColor=None)
        )  # fmt: skip


@functools.cache
def _fonts() -> tuple[str, str]:
    """Register the DejaVu Sans shipped in ``nucmed/data/fonts`` once; their reportlab names.

    DejaVu Sans (Bitstream Vera licence, ``LICENSE.DejaVu`` beside the fonts) has the Russian
    and Kazakh letters; reportlab's own fonts have no Cyrillic.
    """
    folder = Path(str(resources.files("nucmed"))) / "data" / "fonts"
    paths = [folder / name for name in _FONT_FILES]
    if not all(path.is_file() for path in paths) or not _has_glyphs(paths[0]):
        raise LabelFontError(f"the label fonts {', '.join(_FONT_FILES)} are missing in {folder}")
    for name, path in zip(_FONT_NAMES, paths, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return _FONT_NAMES


def _has_glyphs(path: Path) -> bool:
    """Whether the font has the Russian and Kazakh letters and signs the label uses."""
    cmap = TTFont("_probe", str(path)).face.charToGlyph
    return all(ord(c) in cmap for c in _NEEDED_GLYPHS)
