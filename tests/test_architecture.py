"""The house rules that import-linter cannot see by itself: every page module is named in the
independence contract, the interfaces read no clock of their own, and no module passes 800
lines."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from fastapi.routing import APIRoute

from nucmed.web.app import routers

ROOT = Path(__file__).resolve().parents[1]


def _contract(name_start: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith(name_start))


def test_every_module_with_routes_is_in_the_independence_contract() -> None:
    with_routes = {
        route.endpoint.__module__
        for router in routers()
        for route in router.routes
        if isinstance(route, APIRoute)
    }
    assert with_routes == set(_contract("Page modules")["modules"])  # type: ignore[arg-type]


def test_interfaces_and_services_never_read_the_computer_clock() -> None:
    """ "Now" comes from the injected clock (nucmed.services.clock) only."""
    offenders = []
    for folder in ("web", "cli", "listeners", "services"):
        for path in sorted((ROOT / "src" / "nucmed" / folder).rglob("*.py")):
            if path.name == "clock.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in {"now", "today", "utcnow"}
                    and isinstance(node.value, ast.Name)
                    and node.value.id in {"datetime", "date"}
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


MOST_LINES = 800
"""No module may pass this many lines (the house rule: a new room at about 400, never 800)."""


def test_no_module_passes_the_most_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "src" / "nucmed").rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not too_long, f"split these modules (lines): {too_long}"
