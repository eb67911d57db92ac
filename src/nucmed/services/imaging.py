"""Camera calibration for quantitative SPECT: a camera's sensitivity per nuclide and window.

A physicist (or anyone who may do the hot lab's QC, :data:`Permission.HOTLAB_WORK`) records a
phantom acquisition: the phantom's activity from the dose calibrator at its reference time,
the acquisition's start, duration and counts. The sensitivity (cps/Bq) is computed by
:func:`nucmed.imaging.quantify.sensitivity_cps_per_bq` (MIRD Pamphlet No. 26) and stored with
its inputs, per camera, nuclide and energy window. Records are append-only: a correction is a
new record pointing at the one it corrects, with a reason; the corrected one is superseded.
The sensitivity in use is the newest record (by acquisition time) not superseded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from nucmed.bounds import check_text
from nucmed.checks import aware, positive
from nucmed.errors import N_, refusal
from nucmed.imaging.quantify import sensitivity_cps_per_bq
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.permissions import NotFoundError, Permission, may, site_for
from nucmed.services.site_names import SiteName, local_name, stored_names
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.imaging import CameraCalibration
from nucmed.store.models import Site

__all__ = [
    "CalibrationInput",
    "CalibrationList",
    "CalibrationView",
    "camera_calibrations",
    "current_calibration",
    "installation_sensitivity",
    "record_camera_calibration",
]

_NAME_LENGTH = 64


@dataclass(frozen=True, slots=True)
class CalibrationInput:
    """A phantom acquisition as typed (SI units, aware times).

    ``corrects_id`` and ``reason`` make it a correction of an earlier record;
    ``late_entry_reason`` is needed when the acquisition lies past the site's late-entry limit.
    """

    camera: str
    nuclide: str
    energy_window: str
    phantom_activity_bq: float
    activity_reference_at: datetime
    acquired_at: datetime
    acquisition_duration_s: float
    counts: float
    late_entry_reason: str | None = None
    corrects_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CalibrationView:
    """A recorded calibration; ``superseded`` when a later record corrects it."""

    id: int
    camera: str
    nuclide: str
    energy_window: str
    sensitivity_cps_per_bq: float
    phantom_activity_bq: float
    activity_reference_at: datetime
    acquired_at: datetime
    acquisition_duration_s: float
    counts: float
    recorded_at: datetime
    corrects_id: int | None
    reason: str | None
    superseded: bool


def _view(row: CameraCalibration, superseded: set[int]) -> CalibrationView:
    return CalibrationView(
        row.id, row.camera, row.nuclide, row.energy_window, row.sensitivity_cps_per_bq,
        row.phantom_activity_bq, row.activity_reference_at, row.acquired_at,
        row.acquisition_duration_s, row.counts, row.recorded_at, row.corrects_id, row.reason,
        row.id in superseded,
    )  # fmt: skip


def _rows(store: Store, site: Site) -> list[CameraCalibration]:
    query = select(CameraCalibration).where(CameraCalibration.site_id == site.id)
    return list(store.session.scalars(query.order_by(CameraCalibration.acquired_at.desc(),
                                                     CameraCalibration.id.desc())))  # fmt: skip


def _superseded(rows: list[CameraCalibration]) -> set[int]:
    return {row.corrects_id for row in rows if row.corrects_id is not None}


def _names(given: CalibrationInput) -> tuple[str, str, str]:
    camera = check_text(N_("camera"), given.camera.strip(), _NAME_LENGTH)
    window = check_text(N_("energy window"), given.energy_window.strip(), _NAME_LENGTH)
    if not camera:
        raise refusal(N_("name the camera"))
    if not window:
        raise refusal(N_("name the energy window, e.g. 208 keV 20 %"))
    return camera, get_nuclide(given.nuclide).name, window


def _corrected(store: Store, site: Site, given: CalibrationInput) -> None:
    if given.corrects_id is None:
        return
    target = store.session.get(CameraCalibration, given.corrects_id)
    if target is None or target.site_id != site.id:
        raise NotFoundError(N_("no camera calibration {id} at {site}"), id=given.corrects_id,
                            site=site.code)  # fmt: skip
    if not (given.reason or "").strip():
        raise refusal(N_("a correction needs a reason"))


def _sensitivity(given: CalibrationInput) -> float:
    reference = aware(N_("activity reference time"), given.activity_reference_at)
    acquired = aware(N_("acquisition time"), given.acquired_at)
    if acquired < reference:
        raise refusal(N_("the phantom's activity must be measured before the acquisition"))
    if not (math.isfinite(given.counts) and given.counts > 0):
        raise refusal(N_("the phantom counts must be a number > 0"))
    return sensitivity_cps_per_bq(
        given.counts,
        positive(N_("acquisition duration"), given.acquisition_duration_s, "s"),
        positive(N_("phantom activity"), given.phantom_activity_bq, "Bq"),
        (acquired - reference).total_seconds(),
        get_nuclide(given.nuclide).decay_constant_per_s,
    )


def record_camera_calibration(
    database: Database, identity: Identity, site_code: str, given: CalibrationInput
) -> CalibrationView:
    """Record a phantom acquisition and the camera sensitivity it gives.

    Raises
    ------
    NucmedInputError
        A name missing or too long, an unknown nuclide, a count, duration or activity not
        > 0, an acquisition before the activity's reference time, a time in the future, a
        late entry or a correction without a reason.
    NotFoundError, AccessDeniedError
        No such site (or corrected record), or the person may not do QC there.
    """
    with transaction(database) as store:
        site = site_for(store, identity, site_code, Permission.HOTLAB_WORK)
        person = actor(store, identity)
        camera, nuclide, window = _names(given)
        sensitivity = _sensitivity(given)
        late = check_event_time(store, site, aware(N_("acquisition time"), given.acquired_at),
                                given.late_entry_reason)  # fmt: skip
        _corrected(store, site, given)
        row = CameraCalibration(
            site_id=site.id, camera=camera, nuclide=nuclide, energy_window=window,
            phantom_activity_bq=given.phantom_activity_bq,
            activity_reference_at=given.activity_reference_at, acquired_at=given.acquired_at,
            acquisition_duration_s=given.acquisition_duration_s, counts=given.counts,
            sensitivity_cps_per_bq=sensitivity, recorded_at=store.now(),
            recorded_by_id=person.id, corrects_id=given.corrects_id,
            reason=(given.reason or "").strip() or None,
        )  # fmt: skip
        store.session.add(row)
        store.session.flush()
        record(store, person, Event(
            "camera_calibration.record", "camera_calibration", row.id, site_id=site.id,
            reason=row.reason, details={"camera": camera, "nuclide": nuclide, "window": window,
                                        "sensitivity_cps_per_bq": sensitivity,
                                        "corrects_id": given.corrects_id},
        ))  # fmt: skip
        record_late_entry(store, person, late, "camera_calibration", row.id)
        return _view(row, set())


@dataclass(frozen=True, slots=True)
class CalibrationList:
    """A site's camera calibrations for its page: newest acquisition first."""

    site_code: str
    site_name: str
    time_zone: str
    at: datetime
    may_record: bool
    calibrations: tuple[CalibrationView, ...]
    site_names: tuple[tuple[str, SiteName], ...] = ()
    """The site's name in the readers' languages (``site_name`` for the others)."""

    def site_name_in(self, language: str) -> str:
        """The site's name in ``language``, else ``site_name``."""
        return local_name(self.site_name, "", self.site_names, language).name


def camera_calibrations(database: Database, identity: Identity, site_code: str) -> CalibrationList:
    """Every camera calibration of a site, newest acquisition first.

    Raises
    ------
    NotFoundError, AccessDeniedError
        No such site, or the person may not look at the hot lab there.
    """
    with transaction(database, read_only=True) as store:
        site = site_for(store, identity, site_code, Permission.HOTLAB_READ)
        rows = _rows(store, site)
        superseded = _superseded(rows)
        return CalibrationList(
            site.code, site.name, site.time_zone, store.now(),
            may(store, identity, site, Permission.HOTLAB_WORK),
            tuple(_view(row, superseded) for row in rows), stored_names(site),
        )  # fmt: skip


def current_calibration(
    database: Database, identity: Identity, site_code: str, camera: str, nuclide: str
) -> CalibrationView:
    """The sensitivity in use for a camera and nuclide: the newest record not superseded.

    Raises
    ------
    NotFoundError
        No such site, or no calibration of that camera for that nuclide there.
    AccessDeniedError
        The person may not look at the hot lab there.
    """
    name = get_nuclide(nuclide).name
    for view in camera_calibrations(database, identity, site_code).calibrations:
        if view.camera == camera.strip() and view.nuclide == name and not view.superseded:
            return view
    raise NotFoundError(N_("no calibration of camera {camera} for {nuclide} at {site}"),
                        camera=camera.strip(), nuclide=name, site=site_code)  # fmt: skip


def installation_sensitivity(
    database: Database, camera: str, nuclide: str, site_code: str | None = None
) -> CalibrationView:
    """The sensitivity in use for a camera and nuclide, for the installation's operator.

    The command line (``nucmed dosimetry voxel --camera``) runs as the installation's
    operator, without a signed-in person, like :func:`nucmed.services.network.devices.site_zone`:
    a read, not audited. Without ``site_code`` the camera is looked for at every site, and a
    camera name found at more than one site is refused (give the site).

    Raises
    ------
    NotFoundError
        No such site, or no calibration of that camera for that nuclide.
    NucmedInputError
        The camera is calibrated at several sites and no site was given.
    """
    name, wanted = get_nuclide(nuclide).name, camera.strip()
    with transaction(database, read_only=True) as store:
        sites = store.sites.all()
        if site_code is not None:
            sites = [site for site in sites if site.code == site_code]
            if not sites:
                raise NotFoundError(N_("no site {code}"), code=site_code)
        found: list[tuple[Site, CalibrationView]] = []
        for site in sites:
            rows = _rows(store, site)
            superseded = _superseded(rows)
            found += [
                (site, _view(row, superseded)) for row in rows
                if row.camera == wanted and row.nuclide == name and row.id not in superseded
            ][:1]  # fmt: skip
    if not found:
        raise NotFoundError(N_("no calibration of camera {camera} for {nuclide} at {site}"),
                            camera=wanted, nuclide=name,
                            site=site_code or "any site")  # fmt: skip
    if len(found) > 1:
        raise refusal(N_("camera {camera} is calibrated at several sites ({sites}): give --site"),
                      camera=wanted, sites=", ".join(site.code for site, _ in found))  # fmt: skip
    return found[0][1]
