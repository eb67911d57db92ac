"""Languages of the interface: Russian (default), Kazakh and English, through Babel/gettext.

Catalogues live in ``nucmed/locale/<lang>/LC_MESSAGES/nucmed.po`` and are read directly (no
compiled ``.mo`` files in the repository). The language of a request is the user's setting,
else the best match of the browser's ``Accept-Language``, else Russian. Dates, times and numbers
follow the language; times are shown in the site's time zone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, format_scientific

from nucmed import units
from nucmed.catalogue import LANGUAGES, catalogue_path, in_language, translations
from nucmed.errors import Amount, Moment
from nucmed.radiopharmacy import kits
from nucmed.services.setting_sources import translated_source
from nucmed.web.study_labels import STUDY_NAMES

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Localizer",
    "catalogue_path",
    "choose_language",
    "load_languages",
    "localizer",
]

DEFAULT_LANGUAGE = "ru"

LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
"""Each language by its own name, as the language menus show it (the same in every language)."""


@cache
def _locale(language: str) -> Locale:
    """The Babel locale of a language, parsed once (a page formats hundreds of numbers)."""
    try:
        return Locale.parse(language)
    except UnknownLocaleError:  # pragma: no cover - the three languages exist in CLDR
        return Locale.parse(DEFAULT_LANGUAGE)


@lru_cache(maxsize=4096)
def _decimal(rounded: str, language: str) -> str:
    """A number already rounded, as Python writes it (``"740"``, ``"-0"``, ``"1.5e-05"``), in
    the language's decimal format as Babel writes it. Remembered by its text (which tells
    ``-0`` from ``0``): a page writes the same few activities and volumes many times, and
    Babel takes about 10 µs for each."""
    return format_decimal(float(rounded), locale=_locale(language))


def choose_language(user_language: str | None, accept_language: str | None) -> str:
    """The user's language, else the browser's best supported one, else Russian.

    Examples
    --------
    >>> choose_language(None, "en-GB,en;q=0.9,ru;q=0.8")
    'en'
    >>> choose_language("kk", "en")
    'kk'
    >>> choose_language(None, "de-DE")
    'ru'
    """
    if user_language in LANGUAGES:
        return user_language
    for tag in _accepted(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def _accepted(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first (q-values respected)."""
    weighted = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


@cache
def _kit_codes() -> dict[str, str]:
    """Each Tc-99m kit's code by the catalogue's English name, which a labelled kit's material
    keeps as its product (``nucmed.services.hotlab.preparation``)."""
    return {kit.name: kit.code for kit in kits.all_kits()}


@dataclass(frozen=True, slots=True)
class Localizer:
    """Translation and formatting for one language and one display preference."""

    language: str
    activity_unit: str = "MBq"
    time_zone: str | None = None
    """The site's IANA time zone, for the moments inside messages (None: shown in UTC)."""

    @property
    def gettext(self) -> Callable[[str], str]:
        """Translate a message."""
        return translations(self.language).gettext

    @property
    def locale(self) -> Locale:
        """The Babel locale."""
        return _locale(self.language)

    def message(self, text: str) -> str:
        """Translate a message; an error's :class:`~nucmed.errors.Message` part by part."""
        if type(text) is str:  # a plain message, as a page's labels are: no parts to look for
            return self.gettext(text)
        return in_language(self.gettext, text, self._value)

    def procedure(self, name: str) -> str:
        """A procedure as stored: a study of the procedure catalogue by its name in this
        language (:data:`nucmed.web.study_labels.STUDY_NAMES`), anything else as typed."""
        return self.gettext(name) if name in STUDY_NAMES else name

    def setting_source(self, key: str, source: str) -> str | None:
        """The prose of a default setting's source in this language (Russian, Kazakh), to show
        above the source as cited; None when the source is a site's own or not translated."""
        return translated_source(key, source, self.language)

    def product(self, name: str) -> str:
        """A material's product as stored: a labelled Tc-99m kit (stored under the kit
        catalogue's English name) by the label of its kit code in this language
        (:data:`nucmed.web.labels.KIT_LABELS`), anything else translated if it is a message of
        the catalogues, else as typed."""
        return self.gettext(_kit_codes().get(name, name))

    def _value(self, value: object) -> object:
        """A value inside a message as this reader reads it: a moment in the site's time,
        an amount in the reader's units and script (3 significant figures), a plain float with
        the locale's decimal separator (4 significant figures: ``0,25`` in Russian)."""
        if isinstance(value, Moment):
            return value.local(self.time_zone) if self.time_zone else str(value)
        if isinstance(value, Amount):
            return _AMOUNT_SHOWN[value.unit](self, value.value)
        if isinstance(value, float):
            return self._plain(value)
        return value

    def _plain(self, value: float) -> str:
        """A float given without a unit: 4 significant figures, the locale's separator, and
        powers of ten beyond a billion or below a millionth (``1,5E-9``; ``1E308``)."""
        rounded = float(f"{value:.4g}")
        if math.isfinite(rounded) and not _PLAIN_SMALLEST <= abs(rounded) < _PLAIN_LARGEST:
            if rounded != 0.0:
                return format_scientific(rounded, "#.###E0", locale=self.locale)
        return format_decimal(rounded, locale=self.locale, decimal_quantization=False)

    def number(self, value: float, digits: int = 4) -> str:
        """A number with the locale's decimal separator, ``digits`` significant digits."""
        return _decimal(f"{value:.{digits}g}", self.language)

    def in_unit(self, value: float, unit: str, digits: int = 3) -> str:
        """A value already expressed in ``unit`` (a QC result: ``0.00022`` kBq/MBq), to
        ``digits`` significant digits however small it is, and the unit's symbol translated."""
        rounded = float(f"{value:.{digits}g}")
        text = format_decimal(rounded, locale=self.locale, decimal_quantization=False)
        return f"{text} {self.gettext(unit)}"

    def activity(self, activity_bq: float) -> str:
        """An activity in MBq/GBq (or mCi if the user prefers), with the locale's numbers."""
        unit = "mCi" if self.activity_unit == "mCi" else None
        value, symbol = units.scale_activity(activity_bq, unit)
        return f"{self.number(value)} {self.gettext(symbol)}"

    def volume(self, volume_m3: float) -> str:
        """A volume in mL (3 significant digits), the symbol in the reader's script (мл)."""
        return f"{self.number(volume_m3 / units.M3_PER_ML, 3)} {self.gettext('mL')}"

    def dose(self, dose_gy_or_sv: float, symbol: str = "Gy") -> str:
        """An absorbed (``Gy``) or effective (``Sv``) dose, scaled to milli below 1 and micro
        below 1e-3 of the unit (3 significant digits)."""
        prefix, factor = _dose_scale(dose_gy_or_sv)
        return f"{self.number(dose_gy_or_sv / factor, 3)} {self.gettext(prefix + symbol)}"

    def dose_rate(self, dose_rate_sv_per_s: float) -> str:
        """A dose rate in µSv/h (3 significant digits)."""
        per_hour = dose_rate_sv_per_s * units.SECONDS_PER_HOUR / units.SV_PER_USV
        return f"{self.number(per_hour, 3)} {self.gettext('µSv/h')}"

    def contamination(self, bq_per_m2: float) -> str:
        """Surface contamination in Bq/cm² (3 significant digits), as wipe tests are read."""
        return f"{self.number(bq_per_m2 * units.M_PER_CM**2, 3)} {self.gettext('Bq/cm²')}"

    def mass(self, mass_kg: float) -> str:
        """A mass in g (3 significant digits)."""
        return f"{self.number(mass_kg / units.KG_PER_G, 3)} {self.gettext('g')}"

    def duration(self, duration_s: float) -> str:
        """A duration in hours (3 significant digits)."""
        return f"{self.number(duration_s / units.SECONDS_PER_HOUR, 3)} {self.gettext('h')}"

    def time_integrated_activity(self, tia_bq_s: float, digits: int = 4) -> str:
        """A time-integrated activity (Bq·s) in MBq·h, ``digits`` significant digits."""
        mbq_h = tia_bq_s / (units.BQ_PER_MBQ * units.SECONDS_PER_HOUR)
        return f"{self.number(mbq_h, digits)} {self.gettext('MBq·h')}"

    def percent(self, fraction: float) -> str:
        """A fraction as a percentage (3 significant digits), ``0.1`` -> ``10 %``."""
        return f"{self.number(fraction / units.FRACTION_PER_PERCENT, 3)} %"

    def moment(self, moment: datetime, time_zone: str) -> str:
        """A moment as the site's clock reads it, day.month.year hours:minutes, in every
        language: the format of the moments inside messages and of the time fields (the
        locale's medium format had seconds, and months as words in one place and figures in
        another).

        Examples
        --------
        >>> from datetime import UTC
        >>> localizer("kk").moment(datetime(2026, 11, 23, 5, 0, tzinfo=UTC), "Asia/Almaty")
        '23.11.2026 10:00'
        """
        return Moment(moment).local(time_zone)


_PLAIN_SMALLEST, _PLAIN_LARGEST = 1e-6, 1e9
"""Plain floats in messages from a millionth to a billion are written out, others as powers."""


_AMOUNT_SHOWN: dict[str, Callable[[Localizer, float], str]] = {
    "Bq": Localizer.activity,
    "m3": Localizer.volume,
    "s": Localizer.duration,
    "kg": Localizer.mass,
}
"""How each SI unit of an :class:`~nucmed.errors.Amount` is shown."""


def _dose_scale(value: float) -> tuple[str, float]:
    """The prefix and factor that show ``value`` (Gy or Sv) with 1 to 999 before the unit."""
    magnitude = abs(value)
    if magnitude >= 1.0 or magnitude == 0.0:
        return "", 1.0
    if magnitude >= units.GY_PER_MGY:
        return "m", units.GY_PER_MGY
    return "µ", units.GY_PER_MGY * 1e-3


def load_languages() -> None:
    """Read every language's catalogue and number formats now rather than at the first
    request in it (about 0.13 s a language)."""
    for language in LANGUAGES:
        reader = localizer(language)
        reader.message("")
        reader.number(0.5)
        reader.product("")


def localizer(language: str, activity_unit: str = "MBq") -> Localizer:
    """A localizer for a supported language (Russian for any other)."""
    chosen = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return Localizer(chosen, activity_unit)
