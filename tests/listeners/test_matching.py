"""An RRDSR of the day's drawn syringe is linked to that draw (the same patient, nuclide and a
syringe live at the injection); one that fits no syringe is recorded without a draw.

Expected values are **analytic** (which draw, or none)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from nucmed.interop.rrdsr import AdministrationRecord, lookup_code, write_rrdsr
from nucmed.services.network import add_node, open_device, receive_object
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.hotlab import Administration
from tests.services.hotlab_fixtures import T0
from tests.services.test_clinic_administrations import _drawn

pytestmark = pytest.mark.usefixtures("t0_evening")


def _sr(agent: str, nuclide: str, event_uid: str) -> bytes:
    record = AdministrationRecord(
        event_uid, lookup_code("radiopharmaceutical", agent), lookup_code("radionuclide",
        nuclide), 7.0e8, T0 + timedelta(hours=2), lookup_code("route", "IV"),
        patient_id="P-1", patient_name="Patient",
    )  # fmt: skip
    out = io.BytesIO()
    write_rrdsr(record).save_as(out, enforce_file_format=True)
    return out.getvalue()


@pytest.mark.parametrize(
    ("given", "linked"),
    [
        pytest.param(("MDP", "Tc-99m"), True, id="the-drawn-syringe"),
        pytest.param(("FDG", "F-18"), False, id="another-nuclide"),
    ],
)
def test_an_rrdsr_is_linked_to_the_syringe_it_was(
    factory: SessionFactory, database: Database, tmp_path: Path, given: tuple[str, str],
    linked: bool,
) -> None:  # fmt: skip
    _, _, draw_id = _drawn(factory, None, None)
    with transaction(database) as store:
        site = store.sites.by_code("H-ALA")
        assert site is not None
        add_node(store, None, site, "SPECTCAM", "SPECT console")
    device = open_device(database, "dicom", "H-ALA")
    got = receive_object(database, device, "SPECTCAM", _sr(*given, "2.25.55"), tmp_path)
    with transaction(database, read_only=True) as store:
        made = store.session.scalars(
            select(Administration).where(Administration.id == got.administration_id)
        ).one()
    assert made.draw_id == (draw_id if linked else None)
