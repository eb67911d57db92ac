"""The syringe label of a drawn dose: what it says, in the reader's language.

The label prints the activity measured in the dose calibrator at the time of the draw, and the
same activity decay-corrected to the planned time of administration (not the prescription);
the route ordered; the patient's name, birth date and hospital number; and the
radiopharmaceutical's name with its nuclide once (``Tc-99m medronate (MDP)``).
"""

from __future__ import annotations

from typing import cast, get_args

from nucmed.errors import N_
from nucmed.interop.label import DoseLabel, Language
from nucmed.physics.decay import Activity
from nucmed.services.auth import Identity
from nucmed.services.hotlab.discards import is_discarded
from nucmed.services.permissions import NotFoundError, Permission, row_at_site
from nucmed.services.uow import Database, transaction
from nucmed.store.hotlab import DoseRequest, Draw, Material, Patient

__all__ = ["dose_label", "shown_name"]


def shown_name(product: str, nuclide: str) -> str:
    """The radiopharmaceutical's name with its nuclide written once, in front.

    Examples
    --------
    >>> shown_name("Tc-99m Tc-99m medronate (MDP)", "Tc-99m")
    'Tc-99m medronate (MDP)'
    >>> shown_name("MDP", "Tc-99m")
    'Tc-99m MDP'
    >>> shown_name("Lu-177 PSMA-617", "Lu-177")
    'Lu-177 PSMA-617'
    """
    words = product.split()
    while len(words) > 1 and words[0].casefold() == words[1].casefold() == nuclide.casefold():
        words.pop(0)
    if not words or words[0].casefold() != nuclide.casefold():
        words.insert(0, nuclide)
    return " ".join(words)


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
        measured = Activity.of(request.nuclide, draw.measured_bq, draw.drawn_at)
        return DoseLabel(
            dose_id=f"{site.code}-D{draw.id}",
            site_code=site.code,
            patient_name=patient.full_name,
            patient_id=patient.local_id,
            radiopharmaceutical=shown_name(vial.product, vial.nuclide),
            nuclide=vial.nuclide,
            activity_bq=measured.activity_at(request.planned_at),
            activity_time=request.planned_at,
            volume_m3=draw.volume_m3,
            expires_at=draw.expires_at,
            drawn_by=drawer.full_name if drawer else "-",
            time_zone=site.time_zone,
            language=_label_language(language),
            measured_bq=draw.measured_bq,
            measured_at=draw.drawn_at,
            route=request.route,
            birth_date=patient.birth_date,
        )


def _label_language(language: str) -> Language:
    if language in get_args(Language):
        return cast(Language, language)
    return "ru"
