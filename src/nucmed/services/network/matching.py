"""Which syringe drawn in the hot lab an RRDSR reports: the day's drawn dose of the same
patient (by hospital number at the site) and nuclide, drawn before the injection and not
expired at it, not discarded and not yet given. Only a single such syringe is taken; none or
several leave the administration unmatched (recorded all the same, without its draw)."""

from __future__ import annotations

from sqlalchemy import select

from nucmed.errors import NucmedInputError
from nucmed.interop.rrdsr import AdministrationRecord, code_name
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.uow import Store
from nucmed.store.hotlab import Administration, DoseRequest, Draw, DrawDiscard, Patient
from nucmed.store.models import Site

__all__ = ["drawn_dose"]


def _nuclide(rec: AdministrationRecord) -> str | None:
    try:
        return get_nuclide(code_name("radionuclide", rec.radionuclide)).name
    except NucmedInputError:
        return None


def drawn_dose(store: Store, site: Site, rec: AdministrationRecord) -> int | None:
    """The id of the one live, unused syringe the SR's administration was, else None."""
    nuclide = _nuclide(rec)
    if not rec.patient_id or nuclide is None:
        return None
    given = select(Administration.draw_id).where(Administration.draw_id.is_not(None))
    discarded = select(DrawDiscard.draw_id)
    candidates = store.session.scalars(
        select(Draw.id)
        .join(DoseRequest, DoseRequest.id == Draw.request_id)
        .join(Patient, Patient.id == DoseRequest.patient_id)
        .where(
            DoseRequest.site_id == site.id, Patient.local_id == rec.patient_id,
            DoseRequest.nuclide == nuclide, Draw.drawn_at <= rec.start_datetime,
            Draw.expires_at >= rec.start_datetime, Draw.id.not_in(given),
            Draw.id.not_in(discarded),
        )
    ).all()  # fmt: skip
    return candidates[0] if len(candidates) == 1 else None
