"""Every refusal is translatable (issue 12, Deliver 1): no ``raise <X>Error("English text")``.

An input error (:class:`~nucmed.errors.NucmedInputError` or a subclass) must carry a message id
and typed values, ``raise refusal(N_("template"), name=value)`` or ``raise
XError(parts=...)``, so that pages and the command line show it in the reader's language. This
test parses every module under ``src/nucmed`` and lists each raise whose first argument is a
string literal or an f-string.

Subclasses with their own ``__init__`` (``OptionError(option, error)``) take something else as
their first argument and are not checked. Modules whose errors are not converted yet are listed
in :data:`NOT_YET_CONVERTED` with their count: a count may only go down (lower it when you
convert one); any other module must have none.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
BASE = "NucmedInputError"

NOT_YET_CONVERTED: Mapping[str, int] = {}
"""Raises of subclasses of NucmedInputError still written as English text (2 December 2026)."""


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def input_errors(trees: Iterable[ast.Module]) -> frozenset[str]:
    """The names of NucmedInputError and its subclasses (by the classes' names) whose first
    argument is a message, i.e. those that do not define their own ``__init__``."""
    bases: dict[str, set[str]] = {}
    own_init: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    name for name in map(_name, node.bases) if name
                )
                if any(
                    isinstance(item, ast.FunctionDef) and item.name == "__init__"
                    for item in node.body
                ):
                    own_init.add(node.name)
    family = {BASE}
    grown = True
    while grown:
        grown = False
        for name, parents in bases.items():
            if name not in family and parents & family:
                family.add(name)
                grown = True
    return frozenset(family - (own_init - {BASE}))


def english_raises(tree: ast.Module, errors: frozenset[str]) -> list[int]:
    """The lines of ``raise X(...)`` (X in ``errors``) whose first argument is a string
    literal or an f-string."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        if _name(call.func) not in errors or not call.args:
            continue
        first = call.args[0]
        if isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        ):
            lines.append(node.lineno)
    return lines


def _offenders() -> dict[str, list[int]]:
    trees = {
        path.relative_to(SOURCE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((SOURCE / "nucmed").rglob("*.py"))
    }
    errors = input_errors(trees.values())
    found = {module: english_raises(tree, errors) for module, tree in trees.items()}
    return {module: lines for module, lines in found.items() if lines}


SAMPLE = '''
from nucmed.errors import N_, NucmedInputError, refusal

class WidgetError(NucmedInputError):
    """A bad widget."""

class WrappedError(NucmedInputError):
    def __init__(self, option: str, error: NucmedInputError) -> None:
        super().__init__(str(error), parts=error.parts)

def check(zone: str, error: NucmedInputError) -> None:
    if zone == "a":
        raise NucmedInputError(f"unknown time zone {zone!r}")
    if zone == "b":
        raise WidgetError("a widget needs a name")
    if zone == "c":
        raise refusal(N_("unknown time zone '{zone}'"), zone=zone)
    if zone == "d":
        raise WidgetError(parts=((N_("a widget needs a name"), {}),))
    if zone == "e":
        raise WrappedError("--zone", error)
    raise ValueError("not an input error")
'''


def test_the_checker_finds_english_raises_and_passes_translatable_ones() -> None:
    tree = ast.parse(SAMPLE)
    errors = input_errors([tree])
    assert errors == {"NucmedInputError", "WidgetError"}
    assert english_raises(tree, errors) == [13, 15]


def test_no_input_error_is_raised_with_english_text() -> None:
    offenders = _offenders()
    counts = Counter({module: len(lines) for module, lines in offenders.items()})
    too_many = [
        f"src/{module}:{line}"
        for module, lines in sorted(offenders.items())
        if counts[module] > NOT_YET_CONVERTED.get(module, 0)
        for line in lines
    ]
    assert not too_many, (
        "raise refusal(N_('...'), name=value) instead of English text; NOT_YET_CONVERTED "
        "may only go down: " + ", ".join(too_many)
    )
