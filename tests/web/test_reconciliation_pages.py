"""The reconciliation page, in the reader's language: a camera sent two dose reports of one
administration, the second with another activity; the physicist (Russian) sees both values and
closes the item with a reason, the physician reads it in Kazakh, a technologist may not.

Expected values are **analytic**: one administration, one item, the activities as sent.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.interop.rrdsr import AdministrationRecord, lookup_code, write_rrdsr
from nucmed.services.clock import FixedClock
from nucmed.services.network import add_node, open_device, receive_object
from nucmed.services.uow import Database, transaction
from nucmed.vocabulary import Role
from tests.web.conftest import csrf_of, sign_in

RU = {"Accept-Language": "ru"}
KK = {"Accept-Language": "kk"}
PAGE = "/sites/T-ALA/reconciliation"


def _sr(clock: FixedClock, activity_bq: float, event_uid: str = "2.25.777",
        name: str = "Sadykov^Timur") -> bytes:  # fmt: skip
    record = AdministrationRecord(
        event_uid, lookup_code("radiopharmaceutical", "MDP"), lookup_code("radionuclide",
        "Tc-99m"), activity_bq, clock.now() - timedelta(minutes=30), lookup_code("route", "IV"),
        patient_id="KZ-7", patient_name=name,
    )  # fmt: skip
    buffer = io.BytesIO()
    write_rrdsr(record).save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


@pytest.fixture
def item(database: Database, people: dict[Role, str], clock: FixedClock, tmp_path: Path) -> int:
    """Two SRs of one event at T-ALA: the second reports 500 MBq instead of 700 MBq."""
    with transaction(database) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        add_node(store, None, site, "SPECTCAM", "SPECT console")
    device = open_device(database, "dicom", "T-ALA")
    receive_object(database, device, "SPECTCAM", _sr(clock, 7.0e8), tmp_path)
    got = receive_object(database, device, "SPECTCAM", _sr(clock, 5.0e8), tmp_path)
    assert got.reconciliation_item_id is not None
    return got.reconciliation_item_id


def test_the_physicist_closes_a_mismatch_with_a_reason(
    app: FastAPI, people: dict[Role, str], item: int
) -> None:
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    page = physicist.get(PAGE, headers=RU)
    assert page.status_code == 200
    assert "Второй отчёт отличается" in page.text and "700 МБк" in page.text
    assert "500 МБк" in page.text and "KZ-7" in page.text and "Sadykov" not in page.text
    action = f"{PAGE}/{item}/resolve"
    empty = physicist.post(action, data={"reason": " ", "csrf_token": csrf_of(physicist, PAGE)},
                           headers=RU, follow_redirects=False)  # fmt: skip
    assert empty.status_code == 422 and "причина" in empty.text
    done = physicist.post(action, headers=RU, follow_redirects=False, data={
        "reason": "Activity checked at the calibrator log: 700 MBq", "csrf_token":
        csrf_of(physicist, PAGE)})  # fmt: skip
    assert done.status_code == 303
    again = physicist.get(PAGE, headers=RU)
    assert "Activity checked at the calibrator log" in again.text
    assert action not in again.text  # closed: no form any more
    listed = physicist.get(f"/api{PAGE}").json()
    assert [(i["kind"], i["activity_bq"], i["resolution"]) for i in listed["items"]] == [
        ("mismatch", {"on_file": 7.0e8, "sent": 5.0e8},
         "Activity checked at the calibrator log: 700 MBq")
    ]  # fmt: skip


def test_the_physician_reads_it_in_kazakh_and_a_technologist_may_not(
    app: FastAPI, people: dict[Role, str], item: int
) -> None:
    physician = sign_in(TestClient(app), people[Role.PHYSICIAN])
    page = physician.get(PAGE, headers=KK)
    assert page.status_code == 200 and f'id="item-{item}"' in page.text
    technologist = sign_in(TestClient(app), people[Role.RADIOPHARMACIST])
    assert technologist.get(PAGE, headers=RU).status_code == 403
    assert technologist.get(f"/api{PAGE}").status_code == 403


def test_an_sr_of_another_patient_is_shown_without_a_record(
    app: FastAPI, people: dict[Role, str], database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    with transaction(database) as store:
        site = store.sites.by_code("T-ALA")
        assert site is not None
        add_node(store, None, site, "SPECTCAM", "SPECT console")
    device = open_device(database, "dicom", "T-ALA")
    receive_object(database, device, "SPECTCAM", _sr(clock, 7.0e8), tmp_path)  # KZ-7 on file
    other = _sr(clock, 7.0e8, event_uid="2.25.778", name="Sadykova^Aliya")
    got = receive_object(database, device, "SPECTCAM", other, tmp_path)
    assert got.administration_id is None and got.reconciliation_item_id is not None
    physicist = sign_in(TestClient(app), people[Role.PHYSICIST])
    page = physicist.get(PAGE, headers=RU)
    assert "Пациент в отчёте не совпадает с пациентом в записи" in page.text
    assert "Sadykova^Aliya" in page.text and "Введение не записано" in page.text
