"""The release decision: which method of NUREG-1556 Vol. 9 Appendix U assesses a patient.

One function, :func:`decide_release`, chooses the method from what is known, for every
interface (the therapy course page, its API and the ``release`` command):

- an I-131 patient with a thyroid condition (``hyperthyroid`` or ``thyroid_cancer``): Eq. U-2
  with Appendix U's kinetics for it, from the activity administered
  (:func:`nucmed.dosimetry.release_iodine.release_i131`);
- otherwise, from the activity in the patient: Table U.1, or Eq. U-1 with an effective
  half-life (:func:`nucmed.dosimetry.release.release_by_activity`);
- or from the dose rate measured at 1 m: Table U.1, or the dose-rate form of Eq. U-1
  (:func:`nucmed.dosimetry.release.release_by_dose_rate`).

A site's (national) rule on the dose rate at 1 m, when set, must hold too.

References
----------
.. [1] US NRC, NUREG-1556 Vol. 9 Rev. 3, "Program-Specific Guidance About Medical Use
   Licenses" (2019), Appendix U, Eq. U-1, Eq. U-2 and Table U.1.
.. [2] 10 CFR 35.75, release of individuals containing unsealed byproduct material.
"""

from __future__ import annotations

from dataclasses import dataclass

from nucmed.dosimetry.release import ReleaseAssessment, release_by_activity, release_by_dose_rate
from nucmed.dosimetry.release_iodine import i131_kinetics, release_i131
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import get_nuclide

__all__ = ["ReleaseQuery", "decide_release"]


@dataclass(frozen=True, slots=True)
class ReleaseQuery:
    """What is known of a patient at release.

    Parameters
    ----------
    nuclide
        Any accepted spelling of the nuclide.
    activity_bq
        Activity in the patient now, in Bq; with ``i131_condition``, the activity administered.
    dose_rate_1m_sv_per_s
        Dose rate measured at 1 m, in Sv/s (instead of the activity).
    effective_half_life_s
        Effective half-life, in s, for a patient-specific Eq. U-1.
    i131_condition
        ``hyperthyroid`` or ``thyroid_cancer``: Eq. U-2 with Appendix U's kinetics.
    max_dose_rate_1m_sv_per_s
        The site's rule: the highest dose rate at 1 m allowed at release, in Sv/s; None when
        no such rule is set.
    """

    nuclide: str
    activity_bq: float | None = None
    dose_rate_1m_sv_per_s: float | None = None
    effective_half_life_s: float | None = None
    i131_condition: str | None = None
    max_dose_rate_1m_sv_per_s: float | None = None


def _by_eq_u2(query: ReleaseQuery) -> ReleaseAssessment:
    if get_nuclide(query.nuclide).name != "I-131":
        raise refusal(N_("the thyroid kinetics of Eq. U-2 are for I-131 only"))
    if query.effective_half_life_s is not None:
        raise refusal(
            N_("give either the I-131 condition (Eq. U-2) or an effective half-life (Eq. U-1)")
        )
    if query.activity_bq is None:
        raise refusal(N_("Eq. U-2 takes the I-131 activity administered, not a dose rate"))
    return release_i131(
        query.activity_bq,
        i131_kinetics(query.i131_condition or ""),
        max_dose_rate_1m_sv_per_s=query.max_dose_rate_1m_sv_per_s,
    )


def decide_release(query: ReleaseQuery) -> ReleaseAssessment:
    """Assess whether the patient may be released, by the method that fits what is known.

    Parameters
    ----------
    query
        The nuclide and either the activity (Bq) or the dose rate at 1 m (Sv/s), with the
        optional effective half-life (s), I-131 condition and site rule (Sv/s).

    Returns
    -------
    ReleaseAssessment
        Releasable or not (with the reasons), the dose to others (Sv), the dose rate at 1 m,
        the half-life and occupancy integrated, the basis and the source.

    Raises
    ------
    NucmedInputError
        Neither or both of the activity and the dose rate; an I-131 condition for another
        nuclide, with an effective half-life or with a dose rate; a non-positive quantity.
    NotCoveredError
        For a pure beta emitter, or a nuclide with no dose-rate constant.

    Examples
    --------
    >>> decide_release(ReleaseQuery("I-131", activity_bq=1.1e9)).releasable
    True
    >>> a = decide_release(ReleaseQuery("I-131", 5.55e9, i131_condition="thyroid_cancer"))
    >>> round(a.dose_to_others_sv * 1e3, 2)
    3.4
    """
    if (query.activity_bq is None) == (query.dose_rate_1m_sv_per_s is None):
        raise refusal(N_("give either the activity in the patient or the dose rate at 1 m"))
    if query.i131_condition:
        return _by_eq_u2(query)
    if query.activity_bq is not None:
        return release_by_activity(
            query.nuclide,
            query.activity_bq,
            effective_half_life_s=query.effective_half_life_s,
            max_dose_rate_1m_sv_per_s=query.max_dose_rate_1m_sv_per_s,
        )
    return release_by_dose_rate(
        query.nuclide,
        query.dose_rate_1m_sv_per_s or 0.0,
        effective_half_life_s=query.effective_half_life_s,
        max_dose_rate_1m_sv_per_s=query.max_dose_rate_1m_sv_per_s,
    )
