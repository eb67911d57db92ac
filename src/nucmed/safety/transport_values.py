"""Basic radionuclide values for transport: IAEA SSR-6 (2018) Tables 2 and 3.

A1 (special form), A2 (other forms) and the exemption values of each nuclide, read from
``nucmed/data/ssr6_a1_a2.csv`` (each row with its source and status), in SI.

References
----------
.. [1] IAEA, Regulations for the Safe Transport of Radioactive Material, 2018 Edition, SSR-6
   (Rev. 1): Table 2, Table 3 and para. 403-404 (nuclides Table 2 does not list), para. 222
   (fissile nuclides).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nucmed.data import Status, read_rows
from nucmed.errors import N_, refusal
from nucmed.physics.nuclides import get_nuclide
from nucmed.safety.transport_limits import emits_alpha
from nucmed.units import BQ_PER_TBQ, KG_PER_G

__all__ = ["NuclideValues", "nuclide_values"]

_FILE = "ssr6_a1_a2.csv"
_FISSILE = frozenset({"U-233", "U-235", "Pu-239", "Pu-241"})
"""Fissile nuclides (SSR-6 para. 222): their packages follow rules nucmed does not hold."""


@dataclass(frozen=True, slots=True)
class NuclideValues:
    """A nuclide's basic values of SSR-6 Table 2 (or Table 3 for an unlisted nuclide), in SI."""

    nuclide: str
    a1_bq: float
    a2_bq: float
    exempt_concentration_bq_per_kg: float
    exempt_consignment_bq: float
    includes_progeny: bool
    source: str
    status: Status


@cache
def _table() -> dict[str, NuclideValues]:
    return {
        row["nuclide"]: NuclideValues(
            nuclide=row["nuclide"],
            a1_bq=float(row["a1_tbq"]) * BQ_PER_TBQ,
            a2_bq=float(row["a2_tbq"]) * BQ_PER_TBQ,
            exempt_concentration_bq_per_kg=float(row["exempt_concentration_bq_per_g"]) / KG_PER_G,
            exempt_consignment_bq=float(row["exempt_consignment_bq"]),
            includes_progeny=row["progeny"] == "a",
            source=row["source"],
            status=Status(row["status"]),
        )
        for row in read_rows(_FILE)
    }


def nuclide_values(nuclide: str) -> NuclideValues:
    """A nuclide's A1, A2 and exemption values (SSR-6 Table 2; Table 3 when not listed).

    A nuclide Table 2 does not list takes the Table 3 row for unknown nuclides (para. 403-404):
    alpha emitters the alpha row, any other the beta-gamma row; its ``nuclide`` keeps the
    asked name and its ``source`` says which row was used.

    Raises
    ------
    NucmedInputError
        An unknown nuclide, or a fissile one (its packages need rules not held here).

    Examples
    --------
    >>> values = nuclide_values("Tc-99m")
    >>> values.a1_bq / 1e12, values.a2_bq / 1e12
    (10.0, 4.0)
    >>> round(nuclide_values("O-15").a2_bq / 1e12, 6)  # not in Table 2: Table 3 beta-gamma row
    0.02
    """
    name = get_nuclide(nuclide).name
    if name in _FISSILE:
        raise refusal(
            N_(
                "{nuclide} is fissile; its packages are outside this classification (SSR-6 "
                "para. 222, 673-686)"
            ),
            nuclide=name,
        )
    table = _table()
    if name in table:
        return table[name]
    row = table["*alpha" if emits_alpha(name) else "*beta-gamma"]
    return NuclideValues(
        name,
        row.a1_bq,
        row.a2_bq,
        row.exempt_concentration_bq_per_kg,
        row.exempt_consignment_bq,
        False,
        f"{name} is not in SSR-6 Table 2: {row.source}",
        row.status,
    )
