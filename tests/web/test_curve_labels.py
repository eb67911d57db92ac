"""Every fitted curve that a page names (``TacFit.model``, a stored and API value) has its
translatable label in :data:`nucmed.web.labels.TAC_FIT_LABELS` (issue 12), so that Russian
and Kazakh pages never show "mono-exponential"."""

from __future__ import annotations

import math

import pytest

from nucmed.catalogue import translations
from nucmed.dosimetry.mird import fit_bi_exponential, fit_mono_exponential, trapezoid_with_tail
from nucmed.web.labels import TAC_FIT_LABELS

HOUR = 3600.0
TIMES_S = [h * HOUR for h in (1.0, 4.0, 24.0, 72.0, 168.0)]
UPTAKE = [1e6 * (math.exp(-t / 4e5) - math.exp(-t / 4e3)) for t in TIMES_S]
CLEARANCE = [1e6 * math.exp(-t / 4e5) + 2e6 * math.exp(-t / 2e4) for t in TIMES_S]


def test_every_fitted_curve_has_its_label() -> None:
    models = {
        fit_mono_exponential(TIMES_S, CLEARANCE).model,
        fit_bi_exponential(TIMES_S, UPTAKE, form="uptake").model,
        fit_bi_exponential(TIMES_S, CLEARANCE, form="clearance").model,
        trapezoid_with_tail(TIMES_S, CLEARANCE, "Lu-177").model,
    }
    assert models == set(TAC_FIT_LABELS)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_labels_are_translated(language: str) -> None:
    say = translations(language).gettext
    assert all(say(label) != label for label in TAC_FIT_LABELS)
