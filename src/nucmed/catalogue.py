"""The message catalogues of nucmed (ru, kk, en), shared by the web pages and the command line.

Catalogues live in ``nucmed/locale/<lang>/LC_MESSAGES/nucmed.po`` and are read directly, once
per language and process (no compiled ``.mo`` files in the repository). A message given as
translatable parts (:class:`nucmed.errors.Message`, an input error's ``parts``) is translated
part by part; values that are words (:class:`nucmed.errors.Word`) are translated too.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

from nucmed.errors import Amount, Message, MessagePart, Word

__all__ = ["DOMAIN", "LANGUAGES", "catalogue_path", "in_language", "translations"]

LANGUAGES = ("ru", "kk", "en")
DOMAIN = "nucmed"


def catalogue_path(language: str) -> str:
    """Path of the ``.po`` catalogue of a language."""
    return str(
        resources.files("nucmed").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    )


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The translations of a language, read from its catalogue once (fuzzy entries left out).

    Babel is imported here, on first use, so that a command in English starts without it.
    """
    from babel.messages.mofile import write_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with open(catalogue_path(language), "rb") as po_file:
        catalogue = read_po(po_file, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def in_language(
    translate: Callable[[str], str],
    text: str,
    show: Callable[[object], object] | None = None,
) -> str:
    """``text`` translated; a message with parts (``text.parts``) part by part, joined by "; ".

    Values that are words (:class:`~nucmed.errors.Word`) are translated, values that are
    messages themselves are translated part by part, and the others go through ``show`` (the
    reader's formatting of :class:`~nucmed.errors.Moment` and :class:`~nucmed.errors.Amount`;
    without it, an amount's unit is translated and a moment stays in UTC).

    Examples
    --------
    >>> from nucmed.errors import N_, Message, refusal
    >>> russian = {"no site {code}": "нет учреждения {code}"}
    >>> in_language(russian.get, Message.of(refusal(N_("no site {code}"), code="X")))
    'нет учреждения X'
    """
    parts: Sequence[MessagePart] = getattr(text, "parts", ())
    if not parts:
        return translate(text)

    def value_of(value: object) -> object:
        if isinstance(value, Word):
            return translate(value)
        inner: Sequence[MessagePart] = getattr(value, "parts", ())
        if isinstance(value, Message) and inner:
            return in_language(translate, value, show)
        if show is not None:
            return show(value)
        if isinstance(value, Amount):
            number, unit = value.rsplit(" ", 1)
            return f"{number} {translate(unit)}"
        return value

    return "; ".join(
        translate(template).format(**{key: value_of(value) for key, value in values.items()})
        for template, values in parts
    )
