"""Extract the messages of nucmed and update the ru, kk and en catalogues.

Run ``python tools/i18n.py`` after adding or changing user-facing strings; then translate the
new entries (``msgstr ""``) in ``src/nucmed/locale/*/LC_MESSAGES/nucmed.po``, by hand or with
``python tools/i18n.py --fill FILE.json``, where the file maps each message to its translations:
``{"message": {"ru": "...", "kk": "...", "en": "..."}}``. Runs take a lock on the locale
folder, so that two people (or scripts) filling at once do not overwrite each other. The test
``tests/web/test_i18n.py`` fails while any catalogue lacks a message or has an empty or fuzzy
translation.
"""

from __future__ import annotations

import copy
import fcntl
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "src" / "nucmed" / "locale"
LANGUAGES = ("ru", "kk", "en")
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def extract() -> Catalog:
    """Every message marked in the Python sources and templates."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="nucmed", domain="nucmed")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update(
    language: str, template: Catalog, fill: Mapping[str, Mapping[str, str]] | None = None
) -> int:
    """Merge the template into a language's catalogue; return how many are untranslated."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "nucmed.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with open(path, "rb") as po_file:
            catalog = read_po(po_file, locale=language, domain="nucmed")
    else:
        catalog = Catalog(locale=language, domain="nucmed", project="nucmed")
    catalog.update(template, no_fuzzy_matching=True)
    for message_id, translations in (fill or {}).items():
        message = catalog.get(message_id)
        if message is not None and translations.get(language):
            message.string = translations[language]
    with open(path, "wb") as po_file:
        write_po(
            po_file,
            catalog,
            width=99,
            omit_header=False,
            sort_output=True,
            ignore_obsolete=True,
            include_lineno=False,
        )
    return sum(1 for message in catalog if message.id and not message.string)


def main(arguments: list[str]) -> int:
    fill: dict[str, dict[str, str]] = {}
    if arguments[:1] == ["--fill"]:
        for name in arguments[1:]:
            fill.update(json.loads(Path(name).read_text(encoding="utf-8")))
    with open(LOCALE_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        template = extract()
        for language in LANGUAGES:
            # Each language merges its own copy: Babel's update() puts the template's new
            # message objects into the catalogue, so a shared template would carry one
            # language's filled translation into the next language's catalogue.
            missing = update(language, copy.deepcopy(template), fill)
            sys.stderr.write(f"{language}: {len(template)} messages, {missing} untranslated\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
