"""Paediatric administered activities: the EANM dosage card and the North American guidelines.

- EANM paediatric dosage card (2016 issue) [1]_: A = baseline × multiple(weight, class), and not
  less than the minimum recommended activity. The multiple comes from the card's weight table
  for the radiopharmaceutical's class (A, B or C); a weight between two rows of the table takes
  the lower row (the card gives no values in between), and the card covers 3 to 68 kg.
- North American consensus guidelines (2011 table, 2016 update) [2]_ [3]_: A = MBq/kg × weight,
  raised to the minimum and lowered to the maximum where the guideline sets them.

The numbers are data (``eanm_dosage_card_2016.csv``, ``eanm_dosage_card_2016_weights.csv``,
``na_consensus_2016.csv`` in ``nucmed/data``), each row with its source and status; a result
carries the weakest status of the numbers it used. See ``docs/dosimetry/paediatric.md``.

References
----------
.. [1] M. Lassmann, L. Biassoni, M. Monsieurs, C. Franzius, F. Jacobs, "The new EANM paediatric
   dosage card", Eur. J. Nucl. Med. Mol. Imaging 34, 796 (2007), with the additional notes of
   35, 1666 and 1748 (2008); harmonised by M. Lassmann, S. T. Treves, EJNMMI 41, 1036 (2014);
   card issue of August 2016 (eanm.org).
.. [2] M. J. Gelfand, M. T. Parisi, S. T. Treves, "Pediatric radiopharmaceutical administered
   doses: 2010 North American consensus guidelines", J. Nucl. Med. 52, 318 (2011), Table 1.
.. [3] S. T. Treves et al., "2016 update of the North American consensus guidelines for
   pediatric administered radiopharmaceutical activities", J. Nucl. Med. 57, 15N (2016).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal, Protocol, TypeVar

from nucmed.data import Status, read_rows, weakest
from nucmed.dosimetry.diagnostic import DoseInputError, get_radiopharmaceutical
from nucmed.errors import N_, Word
from nucmed.units import BQ_PER_MBQ

__all__ = [
    "EANM_MAX_WEIGHT_KG",
    "EANM_MIN_WEIGHT_KG",
    "GUIDELINES",
    "Guideline",
    "PaediatricActivity",
    "PaediatricInputError",
    "guideline_from_text",
    "paediatric_activity",
]

Guideline = Literal["eanm", "na"]
GUIDELINES: tuple[Guideline, ...] = ("eanm", "na")
"""``eanm``: EANM dosage card 2016; ``na``: North American consensus guidelines 2011/2016."""

EANM_MIN_WEIGHT_KG = 3.0
"""Lightest weight of the EANM dosage card, kg."""

EANM_MAX_WEIGHT_KG = 68.0
"""Heaviest weight of the EANM dosage card, kg; above it the adult activity applies."""

_GUIDELINE_NAMES = {
    "eanm": N_("EANM paediatric dosage card (2016)"),
    "na": N_("North American consensus guidelines (2011, 2016 update)"),
}
"""The guidelines as a refusal names them, words pages translate (the citation kept)."""
_WEIGHTS_SOURCE = "EANM dosage card 2016, weight multiples table"


class PaediatricInputError(DoseInputError):
    """A weight, guideline or indication the paediatric calculators cannot use."""


@dataclass(frozen=True, slots=True)
class PaediatricActivity:
    """The activity to administer to a child, by one guideline.

    Parameters
    ----------
    activity_bq
        Activity to administer, in Bq.
    guideline
        ``eanm`` or ``na``.
    minimum_applied
        True when the weight-based activity was below the guideline's minimum and the minimum
        is given instead.
    maximum_applied
        True when it was above the guideline's maximum and the maximum is given instead.
    source
        Citation of the numbers used (guideline, table, row).
    status
        Weakest status of the numbers used (:func:`nucmed.data.weakest`).
    radiopharmaceutical
        Code of the radiopharmaceutical.
    indication
        The guideline row's indication (e.g. ``thyroid``), or None for a single row.
    activity_max_bq
        Upper end where the guideline gives a range per kg (NA, FDG body), in Bq; else None.
    note
        Limits of the row (disagreements, numbers not applied).

    Examples
    --------
    >>> a = paediatric_activity("Tc-99m MDP", 20.0, "eanm")
    >>> round(a.activity_bq / 1e6, 1), a.minimum_applied
    (170.1, False)
    """

    activity_bq: float
    guideline: Guideline
    minimum_applied: bool
    maximum_applied: bool
    source: str
    status: Status = Status.RECALLED
    radiopharmaceutical: str = ""
    indication: str | None = None
    activity_max_bq: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class _EanmRow:
    key: str
    codes: tuple[str, ...]
    indication: str
    default: bool
    klass: str
    baseline_bq: float
    minimum_bq: float
    source: str
    status: Status
    note: str


@dataclass(frozen=True, slots=True)
class _NaRow:
    key: str
    codes: tuple[str, ...]
    indication: str
    default: bool
    per_kg_bq: float
    per_kg_max_bq: float | None
    minimum_bq: float
    maximum_bq: float | None
    source: str
    status: Status
    note: str


@dataclass(frozen=True, slots=True)
class _WeightRow:
    weight_kg: float
    multiples: dict[str, float]
    status: Status


class _Row(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def codes(self) -> tuple[str, ...]: ...
    @property
    def indication(self) -> str: ...
    @property
    def default(self) -> bool: ...


R = TypeVar("R", bound=_Row)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split("|") if code.strip())


def _mbq(text: str) -> float | None:
    return float(text) * BQ_PER_MBQ if text.strip() else None


@cache
def _eanm_rows() -> tuple[_EanmRow, ...]:
    return tuple(
        _EanmRow(
            key=row["key"], codes=_codes(row["radiopharmaceuticals"]),
            indication=row["indication"], default=row["default"] == "yes", klass=row["class"],
            baseline_bq=float(row["baseline_mbq"]) * BQ_PER_MBQ,
            minimum_bq=float(row["minimum_mbq"]) * BQ_PER_MBQ,
            source=row["source"], status=Status(row["status"]), note=row["note"],
        )
        for row in read_rows("eanm_dosage_card_2016.csv")
    )  # fmt: skip


@cache
def _na_rows() -> tuple[_NaRow, ...]:
    return tuple(
        _NaRow(
            key=row["key"], codes=_codes(row["radiopharmaceuticals"]),
            indication=row["indication"], default=row["default"] == "yes",
            per_kg_bq=float(row["mbq_per_kg"]) * BQ_PER_MBQ,
            per_kg_max_bq=_mbq(row["mbq_per_kg_max"]),
            minimum_bq=float(row["minimum_mbq"]) * BQ_PER_MBQ, maximum_bq=_mbq(row["maximum_mbq"]),
            source=row["source"], status=Status(row["status"]), note=row["note"],
        )
        for row in read_rows("na_consensus_2016.csv")
    )  # fmt: skip


@cache
def _weight_rows() -> tuple[_WeightRow, ...]:
    rows = (
        _WeightRow(
            weight_kg=float(row["weight_kg"]),
            multiples={k: float(row[f"class_{k.lower()}"]) for k in ("A", "B", "C")},
            status=Status(row["status"]),
        )
        for row in read_rows("eanm_dosage_card_2016_weights.csv")
    )
    return tuple(sorted(rows, key=lambda row: row.weight_kg))


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _select(rows: Sequence[R], code: str, name: str, indication: str | None, guide: str) -> R:
    """The row of a radiopharmaceutical: its default row, or the row of that indication."""
    own = [row for row in rows if code in row.codes]
    if not own:
        raise PaediatricInputError(
            parts=(
                (
                    N_("the {guideline} has no row for {name}"),
                    {"guideline": Word(_GUIDELINE_NAMES[guide]), "name": name},
                ),
            )
        )
    if indication is None:
        return next(row for row in own if row.default)
    wanted = _words(indication)
    for row in own:
        if wanted in (_words(row.key), _words(row.indication)):
            return row
    allowed = ", ".join(repr(row.indication or row.key) for row in own)
    raise PaediatricInputError(
        parts=(
            (
                N_(
                    "unknown indication '{indication}' for {name} in the {guideline}; "
                    "allowed: {allowed}"
                ),
                {
                    "indication": indication,
                    "name": name,
                    "guideline": Word(_GUIDELINE_NAMES[guide]),
                    "allowed": allowed,
                },
            ),
        )
    )


def _eanm(row: _EanmRow, weight_kg: float) -> PaediatricActivity:
    if not EANM_MIN_WEIGHT_KG <= weight_kg <= EANM_MAX_WEIGHT_KG:
        raise PaediatricInputError(
            parts=(
                (
                    N_(
                        "the EANM dosage card covers {least} to {most} kg, got {weight} kg; "
                        "above it the adult activity applies"
                    ),
                    {
                        "least": f"{EANM_MIN_WEIGHT_KG:g}",
                        "most": f"{EANM_MAX_WEIGHT_KG:g}",
                        "weight": f"{weight_kg:g}",
                    },
                ),
            )
        )
    table_row = [row for row in _weight_rows() if row.weight_kg <= weight_kg][-1]
    activity = row.baseline_bq * table_row.multiples[row.klass]
    minimum_applied = activity < row.minimum_bq
    source = (
        f"{row.source}: class {row.klass}, baseline {row.baseline_bq / BQ_PER_MBQ:g} MBq, "
        f"minimum {row.minimum_bq / BQ_PER_MBQ:g} MBq; {_WEIGHTS_SOURCE}, row "
        f"{table_row.weight_kg:g} kg (multiple {table_row.multiples[row.klass]:g})"
    )
    return PaediatricActivity(
        activity_bq=max(activity, row.minimum_bq), guideline="eanm",
        minimum_applied=minimum_applied, maximum_applied=False, source=source,
        status=weakest(row.status, table_row.status), indication=row.indication or None,
        note=row.note,
    )  # fmt: skip


def _clamp(value: float, low: float, high: float | None) -> float:
    return min(max(value, low), math.inf if high is None else high)


def _na(row: _NaRow, weight_kg: float) -> PaediatricActivity:
    activity = row.per_kg_bq * weight_kg
    top = None if row.per_kg_max_bq is None else row.per_kg_max_bq * weight_kg
    minimum_applied = activity < row.minimum_bq
    maximum_applied = row.maximum_bq is not None and activity > row.maximum_bq
    per_kg = f"{row.per_kg_bq / BQ_PER_MBQ:g}"
    if row.per_kg_max_bq is not None:
        per_kg += f"-{row.per_kg_max_bq / BQ_PER_MBQ:g}"
    limits = f"minimum {row.minimum_bq / BQ_PER_MBQ:g} MBq"
    if row.maximum_bq is not None:
        limits += f", maximum {row.maximum_bq / BQ_PER_MBQ:g} MBq"
    return PaediatricActivity(
        activity_bq=_clamp(activity, row.minimum_bq, row.maximum_bq), guideline="na",
        minimum_applied=minimum_applied, maximum_applied=maximum_applied,
        source=f"{row.source}: {per_kg} MBq/kg, {limits}", status=row.status,
        indication=row.indication or None,
        activity_max_bq=None if top is None else _clamp(top, row.minimum_bq, row.maximum_bq),
        note=row.note,
    )  # fmt: skip


def guideline_from_text(text: str) -> Guideline:
    """Return the guideline named by ``text`` (``eanm`` or ``na``, case-insensitive).

    Parameters
    ----------
    text
        ``eanm`` or ``na``.

    Returns
    -------
    Guideline
        The guideline.

    Raises
    ------
    PaediatricInputError
        For another name.

    Examples
    --------
    >>> guideline_from_text(" NA ")
    'na'
    """
    wanted = text.strip().lower()
    for guideline in GUIDELINES:
        if guideline == wanted:
            return guideline
    raise PaediatricInputError(
        parts=((N_("unknown guideline '{text}'; allowed: eanm (EANM dosage card 2016), "
                   "na (North American consensus guidelines)"), {"text": text[:40]}),)
    )  # fmt: skip


def paediatric_activity(
    radiopharmaceutical: str,
    weight_kg: float,
    guideline: Guideline = "eanm",
    *,
    indication: str | None = None,
) -> PaediatricActivity:
    """Return the activity for a child of a given weight by the EANM card or the NA guidelines.

    EANM: A = baseline × multiple(weight, class), at least the minimum. NA: A = MBq/kg × weight,
    within the minimum and maximum.

    Parameters
    ----------
    radiopharmaceutical
        Name, alias or code (see `nucmed.dosimetry.diagnostic.get_radiopharmaceutical`).
    weight_kg
        Body weight, in kg (> 0; 3 to 68 kg for the EANM card).
    guideline
        ``eanm`` (EANM dosage card 2016) or ``na`` (North American consensus guidelines).
    indication
        The row's indication or key where the guideline has several rows for the
        radiopharmaceutical (e.g. ``thyroid``, ``with flow study``); None takes its default.

    Returns
    -------
    PaediatricActivity
        The activity in Bq, whether the minimum or maximum applied, source and status.

    Raises
    ------
    PaediatricInputError
        For a weight that is not a finite number > 0 or is outside the card's 3 to 68 kg, an
        unknown guideline or indication, or a radiopharmaceutical the guideline has no row for.
    UnknownRadiopharmaceuticalError
        For an unknown name (the message lists near matches).

    References
    ----------
    .. [1] EANM paediatric dosage card (2016); Lassmann et al., EJNMMI 34:796 (2007).
    .. [2] Gelfand, Parisi, Treves, J. Nucl. Med. 52:318 (2011), Table 1; Treves et al.,
       J. Nucl. Med. 57:15N (2016).

    Examples
    --------
    >>> round(paediatric_activity("Tc-99m MAG3", 10.0, "eanm").activity_bq / 1e6, 2)
    23.09
    >>> a = paediatric_activity("Tc-99m MAG3", 50.0, "na", indication="with flow study")
    >>> a.activity_bq / 1e6, a.maximum_applied
    (148.0, True)
    """
    chosen = guideline_from_text(str(guideline))
    rp = get_radiopharmaceutical(radiopharmaceutical)
    if not (math.isfinite(weight_kg) and weight_kg > 0.0):
        raise PaediatricInputError(
            parts=(
                (
                    N_("body weight must be a finite number > 0 kg, got {value}"),
                    {"value": repr(weight_kg)},
                ),
            )
        )
    if chosen == "eanm":
        result = _eanm(_select(_eanm_rows(), rp.code, rp.name, indication, chosen), weight_kg)
    else:
        result = _na(_select(_na_rows(), rp.code, rp.name, indication, chosen), weight_kg)
    return replace(result, radiopharmaceutical=rp.code)
