"""The crawler of the language acceptance test: pages reached from a role's dashboard, the
words on them that are not in the reader's language, and the links the role cannot open.

A page's visible text (and its placeholders and labels) is cut into words; a word is Latin
when it holds a Latin letter and no Cyrillic one. In a run of words without Cyrillic, what a
pattern of the reviewed allow-list (``crawl_allowed.txt``: units, nuclide symbols,
international drug names, citations, the demo's own data) matches as whole words is allowed;
the Latin words left are a finding, a ``code`` when one of them looks like one
(``material.receive``, ``red_marrow``). Text inside ``<cite>`` is a source quoted as it was
written (a setting's source, in the language of the regulation or paper it names), not the
page's own text; ``<code>`` and ``<time>`` are machine values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from fastapi.testclient import TestClient

__all__ = ["Finding", "allowed_patterns", "crawl", "foreign_runs"]

ALLOW_FILE = Path(__file__).with_name("crawl_allowed.txt")
_SKIPPED = re.compile(r"^/(static/|logout|login|api/|openapi|health)")
_DOWNLOADS = (".pdf", ".csv", ".xlsx", ".json")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_CODE = re.compile(r"^[a-z0-9]{2,}(?:[._][a-z0-9]{2,})+$")
_EDGE = "«»\"'()[]{},;:!?·—–…."


@dataclass(frozen=True, slots=True)
class Finding:
    """Something on a page that the reader's language does not explain."""

    path: str
    kind: str
    text: str


class _Text(HTMLParser):
    """The visible text of a page and the links on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "code", "time", "cite"):
            self._hidden += 1
        if tag in ("br", "small", "option"):
            self.words.append("\n")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("placeholder", "aria-label", "title"):
            if values.get(name):
                self.words.append("\n")
                self.words.extend((values[name] or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "time", "cite") and self._hidden:
            self._hidden -= 1
        if tag in ("td", "th", "li", "p", "option", "label", "h1", "h2", "a", "button", "dt"):
            self.words.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.extend(data.split())


def allowed_patterns() -> list[re.Pattern[str]]:
    """The reviewed allow-list: one regular expression per line, ``#`` starts a comment;
    those of several words first (a name of the demo holds a city allowed alone)."""
    patterns = []
    for line in ALLOW_FILE.read_text(encoding="utf-8").splitlines():
        text = line.split("  #", 1)[0].strip()
        if text and not text.startswith("#"):
            patterns.append(re.compile(text))
    return sorted(patterns, key=lambda pattern: " " not in pattern.pattern)


def _is_latin(word: str) -> bool:
    return bool(_LATIN.search(word)) and not _CYRILLIC.search(word)


def _runs(words: list[str]) -> Iterator[list[str]]:
    """Runs of consecutive words without Cyrillic (numbers inside; stripped of quotes and
    punctuation at their ends; a line or a lone sign such as "·" ends a run) that hold a
    Latin word."""
    run: list[str] = []
    for word in [*words, "\n"]:
        bare = word.strip(_EDGE)
        if word != "\n" and bare and not _CYRILLIC.search(word):
            run.append(bare)
            continue
        if any(_is_latin(w) for w in run):
            yield run
        run = []


def foreign_runs(words: list[str], allowed: list[re.Pattern[str]]) -> Iterator[tuple[str, str]]:
    """(kind, text) of every run of foreign words: ``code`` or ``latin``.

    Within a run of words without Cyrillic, what a pattern matches as whole words is taken
    out (a citation or a name of the demo over several words, a unit, a nuclide); the Latin
    words left are reported together.
    """
    for run in _runs(words):
        text = " ".join(run)
        for pattern in allowed:
            text = re.sub(rf"(?<!\S)(?:{pattern.pattern})(?!\S)", " ", text)
        left = [word for word in text.split() if _is_latin(word)]
        if left:
            kind = "code" if any(_CODE.fullmatch(word) for word in left) else "latin"
            yield kind, " ".join(left)


@dataclass
class _Walk:
    client: TestClient
    headers: dict[str, str]
    allowed: list[re.Pattern[str]]
    limit: int
    seen: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def _local(href: str, here: str) -> str | None:
    target, _ = urldefrag(href)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if _SKIPPED.match(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "") if target != here else None


def _visit(walk: _Walk, path: str) -> list[str]:
    answer = walk.client.get(path, headers=walk.headers, follow_redirects=True)
    if answer.status_code in (403, 404) or answer.status_code >= 500:
        walk.findings.append(Finding(path, f"status {answer.status_code}", ""))
        return []
    if path.endswith(_DOWNLOADS) or "text/html" not in answer.headers.get("content-type", ""):
        return []
    page = _Text()
    page.feed(answer.text)
    for kind, text in foreign_runs(page.words, walk.allowed):
        walk.findings.append(Finding(path, kind, text))
    return [link for href in page.links if (link := _local(href, path))]


def crawl(
    client: TestClient, language: str, starts: list[str], depth: int = 2, limit: int = 80
) -> list[Finding]:
    """Walk from ``starts`` (the dashboard, the day's work) ``depth`` links deep, at most
    ``limit`` pages, in ``language``; every finding on the way."""
    walk = _Walk(client, {"Accept-Language": language}, allowed_patterns(), limit)
    level = list(starts)
    for _ in range(depth + 1):
        following: list[str] = []
        for path in level:
            if path in walk.seen or len(walk.seen) >= walk.limit:
                continue
            walk.seen.add(path)
            following.extend(_visit(walk, path))
        level = following
    return walk.findings
