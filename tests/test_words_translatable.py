"""Every word passed into a translated sentence is itself translatable (issue 12).

A refusal names its quantity with :class:`~nucmed.errors.Word` (``{name} is {value}; it must be
a fraction from 0 to 1``), and pages translate that word through the catalogue. A word written
as a plain literal (``fraction("lung shunt", ...)``) or as a code (``"rcp_fraction"``) is not in
the catalogue, so a Russian or Kazakh reader would see English or a code inside their sentence.

This test parses every module under ``src/nucmed`` and finds the functions that take a word:
``Word`` itself, each function that passes one of its parameters on to a function that takes a
word (``checks.fraction(name, ...)``, ``bounds.check_id(name, ...)``, a module's own
``_positive(what, ...)``, found again and again until no more are found), and each dataclass
whose methods wrap one of its fields in ``Word`` (``bounds.Range``). At every call of one of
them, the word given must be marked with ``N_`` (a literal or an f-string fails), and each marked
word must have a translation in the Russian and Kazakh catalogues.

Functions are matched by name, not by module (a private one within its module only): two
functions of the same name are treated alike, which at worst asks for ``N_`` where a plain
string would have done. Modules whose words are not marked yet are listed in
:data:`NOT_YET_MARKED` with their count, which may only go down.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.test_refusals_translatable import _name

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
LOCALE = SOURCE / "nucmed" / "locale"

NOT_YET_MARKED: Mapping[str, int] = {}
"""Words still given as plain text or f-strings, by module: none since 2 December 2026. A name
the user wrote (a geometry's label, a nuclide, a scenario file's keys) is never a word: it is a
plain value of the sentence (``geometry '{label}'``, the field's path before the message)."""

Slot = tuple[int | None, str]
"""Where a callable takes a word: its position among the arguments (None: keyword only) and
its parameter's name."""


@dataclass(frozen=True, slots=True)
class Use:
    """A word given to a function that takes a word: where, and as what."""

    where: str
    literal: str | None
    """The text of a plain literal or f-string (not marked with N_)."""
    marked: str | None
    """The text marked with N_."""


def _given(call: ast.Call, slot: Slot) -> ast.expr | None:
    position, keyword = slot
    if position is not None and position < len(call.args):
        argument = call.args[position]
        return None if isinstance(argument, ast.Starred) else argument
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[Slot]:
    positional = [*function.args.posonlyargs, *function.args.args]
    if method and positional and positional[0].arg in {"self", "cls"}:
        positional = positional[1:]
    slots: list[Slot] = [(index, arg.arg) for index, arg in enumerate(positional)]
    return slots + [(None, arg.arg) for arg in function.args.kwonlyargs]


def _functions(
    tree: ast.Module,
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Each function of a module, and whether it is a method."""
    methods: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            methods.update(
                id(item)
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, id(node) in methods


def _dataclass_words(tree: ast.Module) -> Iterator[tuple[str, Slot]]:
    """Dataclasses whose methods wrap a field in ``Word(self.field)``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or not any(
            "dataclass" in ast.unparse(decorator) for decorator in node.decorator_list
        ):
            continue
        fields = [
            item.target.id
            for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        ]
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and _name(call.func) == "Word"
                and call.args
                and isinstance(call.args[0], ast.Attribute)
                and isinstance(call.args[0].value, ast.Name)
                and call.args[0].value.id == "self"
                and call.args[0].attr in fields
            ):
                yield node.name, (fields.index(call.args[0].attr), call.args[0].attr)


def _key(module: str, name: str, method: bool = False) -> str:
    """How a callable is known: a method with a dot before its name (``.check``), a private
    name (``_text``) with its module, as it stands for its own module's function only."""
    name = f".{name}" if method else name
    return f"{module}:{name}" if name.lstrip(".").startswith("_") else name


def _slots(takers: dict[str, set[Slot]], module: str, call: ast.Call) -> set[Slot]:
    """Where the callable called takes a word: ``f(...)`` is a function, ``self.f(...)`` a
    method, ``x.f(...)`` either (a module's function or a method)."""
    func = call.func
    keys = []
    if isinstance(func, ast.Name):
        keys.append(_key(module, func.id))
    elif isinstance(func, ast.Attribute):
        keys.append(_key(module, func.attr, method=True))
        if not (isinstance(func.value, ast.Name) and func.value.id in {"self", "cls"}):
            keys.append(_key(module, func.attr))
    return set().union(*(takers.get(key, set()) for key in keys))


def _passed_on(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    method: bool,
    module: str,
    takers: dict[str, set[Slot]],
) -> set[Slot]:
    """The parameters of a function that it passes on where a callable takes a word."""
    parameters = {name: (index, name) for index, name in _parameters(function, method)}
    found = set()
    for call in ast.walk(function):
        if isinstance(call, ast.Call):
            for slot in _slots(takers, module, call):
                given = _given(call, slot)
                if isinstance(given, ast.Name) and given.id in parameters:
                    found.add(parameters[given.id])
    return found


def word_takers(trees: Mapping[str, ast.Module]) -> dict[str, set[Slot]]:
    """The names of the callables that take a word (a private one with its module before it),
    and where they take it."""
    takers: dict[str, set[Slot]] = {"Word": {(0, "value")}}
    for module, tree in trees.items():
        for name, slot in _dataclass_words(tree):
            takers.setdefault(_key(module, name), set()).add(slot)
    grown = True
    while grown:
        grown = False
        for module, tree in trees.items():
            for function, method in _functions(tree):
                found = _passed_on(function, method, module, takers)
                key = _key(module, function.name, method)
                if not found <= takers.get(key, set()):
                    takers.setdefault(key, set()).update(found)
                    grown = True
    return takers


def _words(given: ast.expr, where: str) -> Iterator[Use]:
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        yield Use(where, given.value, None)
    elif isinstance(given, ast.JoinedStr):
        yield Use(where, ast.unparse(given), None)
    elif isinstance(given, ast.IfExp):
        yield from _words(given.body, where)
        yield from _words(given.orelse, where)
    elif isinstance(given, ast.Call) and _name(given.func) == "N_" and given.args:
        text = given.args[0]
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            yield Use(where, None, text.value)
        else:
            yield Use(where, ast.unparse(text), None)


def word_uses(module: str, tree: ast.Module, takers: dict[str, set[Slot]]) -> list[Use]:
    """Each word given as a literal or marked with N_ to a callable that takes a word."""
    uses: list[Use] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        for slot in _slots(takers, module, call):
            given = _given(call, slot)
            if given is not None:
                uses.extend(_words(given, f"{module}:{call.lineno}"))
    return uses


def _all_uses() -> list[Use]:
    trees = {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((SOURCE / "nucmed").rglob("*.py"))
    }
    takers = word_takers(trees)
    return [use for module, tree in trees.items() for use in word_uses(module, tree, takers)]


SAMPLE = """
from dataclasses import dataclass
from nucmed.errors import N_, Word, refusal

def fraction(name: str, value: float) -> float:
    raise refusal(N_("{name} is {value}"), name=Word(name), value=value)

def _share(what: str, value: float) -> float:
    return fraction(what, value)

@dataclass
class Span:
    unit: str
    name: str

    def check(self) -> None:
        raise refusal(N_("the {name}"), name=Word(self.name))

def plan(value: float, kind: str) -> None:
    fraction("lung shunt", value)
    fraction(N_("lung shunt fraction"), value)
    _share(what="rcp_fraction", value=value)
    _share(N_("radiochemical purity") if value else f"{kind} share", value)
    Span("Bq", "activity").check()
    Span("Bq", name=N_("activity")).check()
    Word(kind)
    refusal(N_("{name}"), name=Word("tumour"))
"""


def test_the_checker_finds_words_not_marked() -> None:
    tree = ast.parse(SAMPLE)
    takers = word_takers({"sample": tree})
    assert takers["fraction"] == {(0, "name")}
    assert takers["sample:_share"] == {(0, "what")}
    assert takers["Span"] == {(1, "name")}
    uses = word_uses("sample", tree, takers)
    assert [(u.where, u.literal) for u in uses if u.literal] == [
        ("sample:20", "lung shunt"),
        ("sample:22", "rcp_fraction"),
        ("sample:23", "f'{kind} share'"),
        ("sample:24", "activity"),
        ("sample:27", "tumour"),
    ]
    assert [u.marked for u in uses if u.marked] == [
        "lung shunt fraction",
        "radiochemical purity",
        "activity",
    ]


def test_every_word_in_a_sentence_is_marked_for_translation() -> None:
    plain = [u for u in _all_uses() if u.literal is not None]
    counts = Counter(u.where.partition(":")[0] for u in plain)
    too_many = [
        f"{u.where} {u.literal!r}"
        for u in plain
        if counts[u.where.partition(":")[0]] > NOT_YET_MARKED.get(u.where.partition(":")[0], 0)
    ]
    assert not too_many, (
        "mark each word with N_ and translate it in ru and kk; NOT_YET_MARKED may only go "
        "down: " + ", ".join(too_many)
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_marked_word_is_translated(language: str) -> None:
    with open(LOCALE / language / "LC_MESSAGES" / "nucmed.po", "rb") as po_file:
        catalogue = read_po(po_file, locale=language, domain="nucmed")
    translated = {str(m.id) for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(
        f"{u.marked!r} ({u.where})"
        for u in _all_uses()
        if u.marked is not None and u.marked not in translated
    )
    assert not missing, f"{language}: translate " + ", ".join(missing)
