"""The syringe label of a drawn dose: what it says, in the reader's language."""

from __future__ import annotations

from typing import cast, get_args

from nucmed.errors import N_
from nucmed.interop.label import DoseLabel, Language
from nucmed.services.auth import Identity
from nucmed.services.hotlab.discards import is_discarded
from nucmed.services.permissions import NotFoundError, Permission, row_at_site
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient

__all__ = ["dose_label"]


def dose_label(database: Database, identity: Identity, draw_id: int, language: str) -> DoseLabel:
    """The syringe label of a draw in ``language`` (``ru``, ``kk`` or ``en``; another
    language gets Russian).

    Raises
    ------
    NotFoundError
        No such draw.
    AccessDeniedError
        The person may not work in the hot lab of the draw's site.
    """
    with transaction(database, read_only=True) as store:
        draw = store.session.get(Draw, draw_id)
        if draw is None or is_discarded(store, draw.id):  # a discarded syringe has no label
            raise NotFoundError(N_("no {what} {id}"), what="draw", id=draw_id)
        site, request = row_at_site(
            store, identity, DoseRequest, draw.request_id, Permission.HOTLAB_WORK
        )
        patient = store.session.get(Patient, request.patient_id)
        drawer = store.users.by_id(draw.drawn_by_id) if draw.drawn_by_id else None
        vial = store.session.get(Material, draw.material_id)
        assert patient is not None and vial is not None
        return DoseLabel(
            dose_id=f"{site.code}-D{draw.id}",
            site_code=site.code,
            patient_name=patient.full_name,
            patient_id=patient.local_id,
            radiopharmaceutical=vial.product,
            nuclide=vial.nuclide,
            activity_bq=request.prescribed_bq,
            activity_time=request.planned_at,
            volume_m3=draw.volume_m3,
            expires_at=draw.expires_at,
            drawn_by=drawer.full_name if drawer else "-",
            time_zone=site.time_zone,
            language=_label_language(language),
        )


def _label_language(language: str) -> Language:
    if language in get_args(Language):
        return cast(Language, language)
    return "ru"
