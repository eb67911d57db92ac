"""Acceptance of issue 12: signed in as each demo role, every page linked from the role's
dashboard (the site's page, the day board and what they link to) reads in Russian and in
Kazakh: no run of Latin words outside the reviewed allow-list (``crawl_allowed.txt``), no raw
code, and no link that answers 403 or 404 to the role that was shown it.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.services.demo import load_demo
from nucmed.services.uow import Database
from nucmed.vocabulary import Role
from tests.web.conftest import sign_in
from tests.web.crawl import Finding, allowed_patterns, crawl, foreign_runs

SITE = "NM-ALA"


@pytest.fixture
def demo(database: Database) -> dict[Role, tuple[str, str]]:
    """The demo network; for each role, one of its accounts (at Almaty) and the password."""
    loaded = load_demo(database)
    assert loaded.password is not None
    chosen: dict[Role, tuple[str, str]] = {}
    for account in loaded.accounts:
        if account.role not in chosen and account.site_code.endswith("ALA"):
            chosen[account.role] = (account.username, loaded.password)
    return chosen


def _report(findings: list[Finding]) -> str:
    grouped: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        grouped[f"{finding.kind}: {finding.text}"[:120]].add(finding.path)
    return "\n".join(
        f"{what}  <- {sorted(paths)[0]}" + (f" (+{len(paths) - 1})" if len(paths) > 1 else "")
        for what, paths in sorted(grouped.items())
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize(
    "role",
    [
        Role.RADIOPHARMACIST,
        Role.PHYSICIAN,
        Role.PHYSICIST,
        Role.RSO,
        Role.RESIDENT,
        Role.SUPERVISOR,
        Role.ORDER_DESK,
    ],
    ids=lambda role: role.value,
)
def test_every_page_of_the_role_reads_in_the_language(
    app: FastAPI, demo: dict[Role, tuple[str, str]], role: Role, language: str
) -> None:
    username, password = demo[role]
    client = sign_in(TestClient(app, raise_server_exceptions=False), username, password)
    findings = crawl(client, language, ["/"])
    assert findings == [], f"{role.value} in {language}:\n{_report(findings)}"


class TestTheCrawlerItself:
    """The crawler finds what it must (so that an empty list means something)."""

    def test_latin_runs_and_codes_are_found_units_and_nuclides_are_not(self) -> None:
        allowed = allowed_patterns()
        words = "Активность 740 MBq Tc-99m · blocked by mo99_breakthrough QC missing".split()
        found = list(foreign_runs(words, allowed))
        assert found == [("code", "blocked by mo99_breakthrough missing")]
        assert list(foreign_runs("Журнал · NM-ALA · Capintec CRC-25R".split(), allowed)) == []
        assert list(foreign_runs("Nuclear medicine department, Almaty".split(), allowed)) == [
            ("latin", "Nuclear medicine department Almaty")
        ]

    def test_a_page_a_role_may_not_open_is_found(
        self, app: FastAPI, demo: dict[Role, tuple[str, str]]
    ) -> None:
        username, password = demo[Role.ORDER_DESK]
        client = sign_in(TestClient(app), username, password)
        findings = crawl(client, "ru", [f"/sites/{SITE}/hotlab"], depth=0)
        assert [finding.kind for finding in findings] == ["status 403"]
