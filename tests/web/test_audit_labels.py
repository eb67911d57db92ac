"""Every action code, record kind and detail key the services write to the audit trail has a
label (``nucmed.web.labels``), so that the trail page shows no raw code.

The codes are read from the services' source: the literal arguments of every ``Event(...)``
and the literal keys of its ``details`` (a dict written in the call or assigned to a name in
the same function). Codes made at run time are listed in :data:`MADE_AT_RUN_TIME`.
"""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

from nucmed.web.i18n import localizer
from nucmed.web.labels import AUDIT_ACTION_LABELS, AUDIT_DETAIL_LABELS, AUDIT_RECORD_LABELS

MADE_AT_RUN_TIME = {
    "session.open": "services/auth.py: f'{kind}.open'",
    "session.close": "services/auth.py: f'{kind}.close'",
    "api.open": "services/auth.py",
    "api.close": "services/auth.py",
    "calibrator_qc.constancy": "services/hotlab/calibrators.py: f'calibrator_qc.{test}'",
    "calibrator_qc.accuracy": "services/hotlab/calibrators.py",
    "calibrator_qc.linearity": "services/hotlab/calibrators.py",
    "calibrator_qc.geometry": "services/hotlab/calibrators.py",
    "waste.dispose": "services/hotlab/waste.py",
    "waste.survey_failed": "services/hotlab/waste.py",
    "dose.draw": "services/hotlab/doses.py",
    "dose.draw_override": "services/hotlab/doses.py",
    "event.late_entry": "services/event_times.py: LATE_ENTRY_ACTION",
    "sign_in.fail": "services/sign_in.py",
    "sign_in.succeed": "services/sign_in.py",
    "reconciliation.resolve": "services/network/reconciliation.py: _RESOLVE",
    "therapy.cycle": "services/therapy/courses.py",
    "therapy.cycle_override": "services/therapy/courses.py",
}
"""Action codes built from a variable, and where."""


def _services() -> list[Path]:
    root = Path(str(resources.files("nucmed"))) / "services"
    return sorted(root.rglob("*.py"))


def _calls(tree: ast.AST) -> list[tuple[ast.Call, dict[str, ast.Dict]]]:
    """Every ``Event(...)`` call with the dicts assigned to names in its function."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        named = {
            target.id: node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Event":
                found.append((node, named))
    return found


def _written() -> tuple[set[str], set[str], set[str]]:
    actions: set[str] = set()
    records: set[str] = set()
    keys: set[str] = set()
    for path in _services():
        for call, named in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            for index, into in ((0, actions), (1, records)):
                if len(call.args) > index and isinstance(call.args[index], ast.Constant):
                    into.add(str(call.args[index].value))  # type: ignore[attr-defined]
            for keyword in call.keywords:
                value = keyword.value
                if keyword.arg == "details" and isinstance(value, ast.Name):
                    value = named.get(value.id, value)  # type: ignore[assignment]
                if keyword.arg == "details" and isinstance(value, ast.Dict):
                    keys |= {str(k.value) for k in value.keys if isinstance(k, ast.Constant)}
    return actions, records, keys


def test_the_scan_finds_the_trail() -> None:
    actions, records, keys = _written()
    assert {"material.receive", "dose.request", "user.create"} <= actions
    assert {"material", "dose_request", "user"} <= records
    assert {"prescribed_mbq", "activity_bq", "volume_ml"} <= keys


def test_every_action_has_a_label() -> None:
    actions, _, _ = _written()
    assert sorted((actions | set(MADE_AT_RUN_TIME)) - set(AUDIT_ACTION_LABELS)) == []


def test_every_record_kind_and_detail_key_has_a_label() -> None:
    _, records, keys = _written()
    assert sorted(records - set(AUDIT_RECORD_LABELS)) == []
    assert sorted(keys - set(AUDIT_DETAIL_LABELS)) == []


def test_the_labels_are_translated() -> None:
    labels = {*AUDIT_ACTION_LABELS.values(), *AUDIT_RECORD_LABELS.values()}
    labels |= set(AUDIT_DETAIL_LABELS.values()) - {"SHA-256"}
    for language in ("ru", "kk"):
        same = sorted(label for label in labels if localizer(language).gettext(label) == label)
        assert same == [], language
