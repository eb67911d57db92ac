"""Refusals made below the services (issue 12, item 1): the dispensing, generator and
calibrator errors and the hot lab's reasons reach the reader as translatable parts, with
quantities to 3 significant figures and moments in the site's local time: a Russian or Kazakh
reader sees no English sentence and no ISO 8601 time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from nucmed.errors import Message, Moment, NucmedInputError
from nucmed.physics.calibrator import evaluate_linearity_decay
from nucmed.physics.decay import Activity
from nucmed.physics.generator import elution_history
from nucmed.radiopharmacy.dispensing import activity_at_draw_bq
from nucmed.services.hotlab.doses import plan_with
from nucmed.services.hotlab.materials import Remaining, reason
from nucmed.store.hotlab import DoseRequest, Material
from nucmed.web.i18n import localizer

T0 = datetime(2026, 12, 1, 18, 18, tzinfo=UTC)
"""23:18 in Almaty (UTC+5): the issue's example moment."""

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
ENGLISH = re.compile(r"\b(?:the|vial|holds|cannot|draw|is|after|before|at|not|enough)\b")


def _read(message: str, language: str) -> str:
    return replace(localizer(language), time_zone="Asia/Almaty").message(message)


def _plan_too_much() -> tuple[str, ...]:
    request = DoseRequest(
        nuclide="Tc-99m",
        radiopharmaceutical="mdp",
        prescribed_bq=30e9,
        planned_at=T0 + timedelta(hours=1),
    )
    vial = Material(id=2, nuclide="Tc-99m", product="Tc-99m medronate (MDP)", kit_code="mdp")
    left = Remaining(4688.94e6, 4.30292e-6, T0)
    return plan_with(request, vial, left, [], drawn=False).problems


def test_the_issues_not_enough_in_the_vial_in_english_has_no_iso_time() -> None:
    (problem,) = _plan_too_much()
    assert "30000 MBq" in problem and "4.3 mL" in problem
    assert not ISO.search(problem)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param("ru", "во флаконе", id="ru"),
        pytest.param("kk", "құтыда", id="kk"),
    ],
)
def test_not_enough_in_the_vial_reads_in_the_language_at_the_sites_time(
    language: str, expected: str
) -> None:
    (problem,) = _plan_too_much()
    shown = _read(problem, language)
    assert expected in shown
    assert "4,3 мл" in shown  # decimal comma, the unit in the reader's script
    assert "01.12.2026 23:18" in shown or "02.12.2026" in shown  # the site's clock
    assert not ISO.search(shown)
    assert not ENGLISH.search(shown), shown


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_draw_after_the_administration_is_refused_in_the_language(language: str) -> None:
    prescribed = Activity.of("Tc-99m", 740e6, T0)
    with pytest.raises(NucmedInputError) as caught:
        activity_at_draw_bq(prescribed, T0 + timedelta(minutes=30))
    shown = _read(Message.of(caught.value), language)
    assert "23:48" in shown and "23:18" in shown
    assert not ISO.search(shown) and not ENGLISH.search(shown), shown


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_generator_and_calibrator_refusals_read_in_the_language(language: str) -> None:
    with pytest.raises(NucmedInputError) as elution:
        elution_history(1e9, T0, [(T0 + timedelta(hours=5), 0.9), (T0, 0.9)])
    with pytest.raises(NucmedInputError) as decay:
        evaluate_linearity_decay([(T0, 1e9)])
    for error in (elution.value, decay.value):
        shown = _read(Message.of(error), language)
        assert not ISO.search(shown) and not ENGLISH.search(shown), shown


def test_an_expired_reason_shows_the_sites_time() -> None:
    expired = reason("expired at {at}", at=Moment(T0))
    assert str(expired) == "expired at 01.12.2026 18:18 UTC"
    assert _read(expired, "ru").endswith("01.12.2026 23:18")
