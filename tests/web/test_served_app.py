"""The application as ``nucmed serve`` runs it: built by ``served_app``, with every page
template compiled and every language's catalogue read before its first request."""

from __future__ import annotations

from pathlib import Path

import pytest

from nucmed.catalogue import translations
from nucmed.web import templating
from nucmed.web.app import served_app
from nucmed.web.i18n import LANGUAGES


def test_a_served_app_has_its_templates_compiled_and_its_languages_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUCMED_DATABASE_URL", f"sqlite:///{tmp_path / 'nucmed.sqlite3'}")
    monkeypatch.setenv("NUCMED_DATA_DIR", str(tmp_path))
    environment = templating.compiled_environment()
    environment.cache.clear()  # as a new server process starts: nothing compiled, nothing read
    translations.cache_clear()
    app = served_app()
    try:
        compiled = {name for _, name in environment.cache}
        pages = set(environment.list_templates(extensions=("html",)))
        assert "board.html" in pages
        assert compiled == pages
        assert translations.cache_info().currsize == len(LANGUAGES)
    finally:
        app.state.installation.engine.dispose()
