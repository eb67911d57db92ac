"""What the hot lab's day board shows: its lines and the view of a day (plain values).

:func:`nucmed.services.hotlab.board.read_board` makes them; pages and the API format them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from nucmed.services.clinic.administrations import ROUTES
from nucmed.services.hotlab.doses import DrawPlan
from nucmed.services.hotlab.quarantine import QuarantineRef
from nucmed.services.sites import SiteView

__all__ = [
    "BoardLine",
    "BoardView",
    "CalibratorCheck",
    "DrawnDose",
    "GivenDose",
    "OverdueRef",
    "PatientRef",
    "RequestRef",
    "State",
    "VialRef",
]

State = Literal["given", "drawn", "ready", "blocked"]


@dataclass(frozen=True, slots=True)
class RequestRef:
    """A dose request as the board shows it (prescribed activity in Bq at ``planned_at``)."""

    id: int
    procedure: str
    radiopharmaceutical: str
    prescribed_bq: float
    planned_at: datetime


@dataclass(frozen=True, slots=True)
class PatientRef:
    """A patient as a line names them."""

    id: int
    local_id: str
    full_name: str


@dataclass(frozen=True, slots=True)
class DrawnDose:
    """The draw of a request: measured activity (Bq) and volume drawn (m³)."""

    id: int
    measured_bq: float
    volume_m3: float
    override_reason: str | None


@dataclass(frozen=True, slots=True)
class GivenDose:
    """The administration of a drawn dose: net activity (Bq), when, and any reason."""

    net_activity_bq: float
    administered_at: datetime
    deviation_reason: str | None


@dataclass(frozen=True, slots=True)
class VialRef:
    """The vial a dose is (or would be) drawn from."""

    id: int
    product: str


@dataclass(frozen=True, slots=True)
class CalibratorCheck:
    """A dose calibrator of the site and why it may not be used now (None: it may)."""

    id: int
    name: str
    problem: str | None


@dataclass(frozen=True, slots=True)
class BoardLine:
    """A dose request of the day and its state: given, drawn, ready (with the vial and what
    to draw) or blocked (with the reasons, each keeping its translatable parts).

    ``flagged``: the line's stored numbers cannot be computed or shown (out of any plausible
    range); the line names the patient and the request, keeps its draw (to discard it) and
    shows no number."""

    request: RequestRef
    patient: PatientRef
    state: State
    draw: DrawnDose | None = None
    vial: VialRef | None = None
    plan: DrawPlan | None = None
    blocked: tuple[str, ...] = ()
    """Every reason it is blocked (the API lists them all)."""
    administration: GivenDose | None = None
    flagged: bool = False
    overdue: bool = False
    """Its planned time has passed and no dose is drawn yet."""
    why: tuple[str, ...] = ()
    """The reasons that matter, from ``blocked``: the site's (no calibrator checked), then
    those of the best vial (one that may be used but cannot serve this dose, else the one
    holding the most), or that no vial holds the radiopharmaceutical."""
    others: tuple[str, ...] = ()
    """The rest of ``blocked``: the other vials' reasons, each reason once, naming the vials
    it stops."""
    other_vials: int = 0
    """How many other vials ``others`` speaks of."""


@dataclass(frozen=True, slots=True)
class OverdueRef:
    """A request waiting past its planned time, as the top of the board names it, with the
    page of the board that shows its line."""

    request: RequestRef
    patient: PatientRef
    page: int


@dataclass(frozen=True, slots=True)
class BoardView:
    """One page of the board of one local day at a site, as seen at ``now``; ``routes`` are
    the routes an administration may name."""

    site: SiteView
    day: date
    now: datetime
    lines: tuple[BoardLine, ...]
    """The lines of the page shown."""
    calibrators: tuple[CalibratorCheck, ...]
    routes: tuple[str, ...] = ROUTES
    quarantined: tuple[QuarantineRef, ...] = ()
    """Received packages in quarantine at the site (not usable until the RSO releases them)."""
    page: int = 1
    pages: int = 1
    total: int = 0
    """The lines of the whole board (every page)."""
    overdue: tuple[OverdueRef, ...] = ()
    """The first overdue requests of the whole board (planned time passed, nothing drawn)."""
    overdue_total: int = 0
    """How many requests of the whole board are overdue."""
