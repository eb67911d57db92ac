"""The language of the command line: ``--lang ru|kk|en`` anywhere on the line, else the
locale of the environment (POSIX order: ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``; the
first one set decides), else English.

The language translates messages and table headings; JSON keys never change. It is chosen
once per run by :func:`take_language` (the option is taken out of the arguments, so that it may
come before or after the subcommand) and read by the output helpers through :func:`tr` and
:func:`tr_error`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar

from nucmed.errors import N_, Message, NucmedInputError, refusal

__all__ = [
    "CLI_LANGUAGES",
    "OPTION",
    "choose",
    "current",
    "take_language",
    "tr",
    "tr_error",
    "tr_message",
    "use",
]

CLI_LANGUAGES = ("ru", "kk", "en")
OPTION = "--lang"
_ENGLISH = "en"
_ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: ContextVar[str] = ContextVar("nucmed_cli_language", default=_ENGLISH)


def choose(environ: Mapping[str, str]) -> str:
    """The language the environment names (``ru_RU.UTF-8`` is ``ru``), else English.

    Examples
    --------
    >>> choose({"LANG": "kk_KZ.UTF-8"})
    'kk'
    >>> choose({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"})
    'en'
    >>> choose({"LC_ALL": "", "LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"})
    'ru'
    """
    for name in _ENVIRONMENT:
        value = environ.get(name, "")
        if value:
            primary = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return primary if primary in CLI_LANGUAGES else _ENGLISH
    return _ENGLISH


def _checked(value: str) -> str:
    if value not in CLI_LANGUAGES:
        raise refusal(N_("--lang must be one of ru, kk or en; got {value}"), value=value[:20])
    return value


def take_language(argv: Sequence[str], environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """The language of this run and the arguments without ``--lang``.

    ``--lang X`` and ``--lang=X`` are taken wherever they stand before a ``--``; the last one
    wins.

    Raises
    ------
    NucmedInputError
        ``--lang`` without a value, or with a language other than ru, kk or en.

    Examples
    --------
    >>> take_language(["decay", "--lang", "kk", "Tc-99m", "1 GBq"], {})
    ('kk', ['decay', 'Tc-99m', '1 GBq'])
    """
    chosen: str | None = None
    rest: list[str] = []
    given = list(argv)
    index = 0
    while index < len(given):
        argument = given[index]
        if argument == "--":
            rest.extend(given[index:])
            break
        if argument == OPTION:
            if index + 1 >= len(given):
                raise refusal(N_("--lang needs a value: ru, kk or en"))
            chosen = _checked(given[index + 1])
            index += 2
            continue
        if argument.startswith(OPTION + "="):
            chosen = _checked(argument.partition("=")[2])
        else:
            rest.append(argument)
        index += 1
    return chosen or choose(environ), rest


def use(language: str) -> None:
    """Make ``language`` the language of this run's output."""
    _current.set(language if language in CLI_LANGUAGES else _ENGLISH)


def current() -> str:
    """The language of this run's output."""
    return _current.get()


def tr(text: str) -> str:
    """``text`` (a message marked for translation) in this run's language."""
    if current() == _ENGLISH:
        return text
    from nucmed.catalogue import translations  # noqa: PLC0415 - babel only when needed

    return translations(current()).gettext(text)


def tr_message(text: str) -> str:
    """A message in this run's language: part by part when it keeps its translatable parts
    (:class:`~nucmed.errors.Message`), else as one message."""
    if current() == _ENGLISH:
        return str(text)
    if not getattr(text, "parts", ()):
        return tr(text)
    from nucmed.catalogue import in_language  # noqa: PLC0415

    return in_language(tr, text)


def tr_error(error: NucmedInputError) -> str:
    """An input error's message in this run's language (its English line when it has no
    translatable parts), after the option it is about, if any."""
    if not error.parts:
        return str(error)
    from nucmed.catalogue import in_language  # noqa: PLC0415

    text = in_language(tr, Message.of(error))
    option = getattr(error, "option", None)
    return f"{option}: {text}" if option else text
