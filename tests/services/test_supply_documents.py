"""A dispatched shipment's transport document and label (issue 15, item 4, with issue 14's
renderer), for the order desk and the receiving department, read back with pdftotext; and the
receipt discrepancy limit as the receiving site's setting ``supply_discrepancy_percent``.

Expected values: the classification is the one recorded at dispatch (Type A, II-YELLOW, TI 0.8
for 300 and 8 µSv/h: SSR-6 (2018), as in ``tests/safety/test_transport.py``); the discrepancy is
analytic (a measured fraction of the declared activity decayed to the measurement).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from nucmed.errors import NucmedInputError
from nucmed.services.clock import FixedClock
from nucmed.services.permissions import AccessDeniedError, AtSite, NotFoundError
from nucmed.services.setting_ranges import SettingRangeError
from nucmed.services.sites import SettingChange, change_setting
from nucmed.services.supply import planning, shipments
from nucmed.services.supply.documents import shipment_document_pdf
from nucmed.services.uow import Database, transaction
from tests.services.test_supply_orders import identity_of, loaded  # noqa: F401 - the fixture
from tests.services.test_supply_shipments import (
    USV_H,
    _received,
    _request,
    planned,  # noqa: F401 - the fixture
)

DESK, HOSPITAL = "INP-ALA", "NM-AST"


def _dispatched(loaded: Database, planned: dict[str, int]) -> dict[int, shipments.ShipmentView]:  # noqa: F811
    """Confirm the day's plan and dispatch the noon and evening Astana shipments (300 and
    8 µSv/h); the shipments by order number."""
    desk = identity_of(loaded, "orders.ala")
    planning.confirm_plan(loaded, desk, DESK, _request(planned))
    views = {v.order_number: v for v in shipments.desk_shipments(loaded, desk, DESK)}
    for number in (planned["noon"], planned["evening"]):
        shipments.dispatch_shipment(loaded, desk, AtSite(DESK, views[number].id),
                                    (300 * USV_H, 8 * USV_H))  # fmt: skip
    return {v.order_number: v for v in shipments.desk_shipments(loaded, desk, DESK)}


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftotext", "-layout", str(path), str(path.with_suffix(".txt"))],
                   check=True)  # fmt: skip
    return " ".join(path.with_suffix(".txt").read_text(encoding="utf-8").split())


NAMES = {
    "ru": ("Производитель изотопов, Алматы (демо)", "Отделение ядерной медицины, Астана (демо)"),
    "kk": ("Изотоп өндірушісі, Алматы (демо)", "Ядролық медицина бөлімшесі, Астана (демо)"),
}
"""The demo's producer and Astana department by their names in Russian and in Kazakh."""


@pytest.mark.parametrize(
    "case",
    [
        (
            "ru",
            "Грузополучатель",
            "Категория знака: II-YELLOW",
            "Казахстан",
            "Транспортный индекс",
        ),
        ("kk", "Жүк алушы", "Белгі санаты: II-YELLOW", "Қазақстан", "Тасымалдау индексі"),
    ],
    ids=("ru", "kk"),
)
def test_both_sides_download_the_document_of_a_dispatched_shipment(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],  # noqa: F811
    tmp_path: Path,
    case: tuple[str, str, str, str, str],
) -> None:
    language, consignee, category, country, ti = case
    noon = _dispatched(loaded, planned)[planned["noon"]]
    desk, tech = identity_of(loaded, "orders.ala"), identity_of(loaded, "tech.ast")
    from_desk = shipment_document_pdf(loaded, desk, AtSite(DESK, noon.id), language,
                                      producer=True)  # fmt: skip
    from_hospital = shipment_document_pdf(loaded, tech, AtSite(HOSPITAL, noon.id), language,
                                          producer=False)  # fmt: skip
    assert from_desk == from_hospital  # one document, prepared at the dispatch
    text = _text(from_desk, tmp_path, language)
    producer, department = NAMES[language]  # each party by its name in the document's language
    assert (f"{producer}, 050032, г. Алматы, ул. Ибрагимова, 1 (Институт "
            f"ядерной физики), Алматы, {country} {consignee} {department}, "
            f"г. Астана (демо-адрес), Астана, {country}") in text  # fmt: skip
    assert category in text
    assert "UN 2915" in text
    assert f"{noon.nuclide} {round(noon.dispatched_bq):_} Бк".replace("_", " ") in text
    assert f"{ti} 0,8 " in text  # recorded at dispatch: 0.8


def test_only_a_dispatched_shipment_of_ones_own_has_a_document(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],  # noqa: F811
) -> None:
    desk, tech = identity_of(loaded, "orders.ala"), identity_of(loaded, "tech.ast")
    planning.confirm_plan(loaded, desk, DESK, _request(planned))
    (first, *_) = shipments.desk_shipments(loaded, desk, DESK)
    with pytest.raises(NucmedInputError, match="made when it is dispatched"):
        shipment_document_pdf(loaded, desk, AtSite(DESK, first.id), "ru", producer=True)
    with pytest.raises(AccessDeniedError):
        shipment_document_pdf(loaded, tech, AtSite(DESK, first.id), "ru", producer=True)
    other = identity_of(loaded, "tech.kar")  # a department the shipment does not go to
    with pytest.raises(NotFoundError):
        shipment_document_pdf(loaded, other, AtSite("NM-KAR", first.id), "ru", producer=False)


def _set_limit(loaded: Database, percent: float) -> None:  # noqa: F811
    with transaction(loaded) as store:
        site, user = store.sites.by_code(HOSPITAL), store.users.by_username("tech.ast")
        assert site is not None and user is not None
        wanted = SettingChange("supply_discrepancy_percent", percent, "test", "local rule")
        change_setting(store, user, site, wanted)


def test_the_discrepancy_limit_is_the_receiving_sites_setting(
    loaded: Database,  # noqa: F811
    planned: dict[str, int],  # noqa: F811
    clock: FixedClock,
) -> None:
    views = _dispatched(loaded, planned)
    noon, evening = views[planned["noon"]], views[planned["evening"]]
    with pytest.raises(SettingRangeError, match="1 to 50"):
        _set_limit(loaded, 60)
    _set_limit(loaded, 20)
    tech = identity_of(loaded, "tech.ast")
    within = _received(loaded, clock, noon, 0.85)  # 15 % low: flagged at 10 %, not at 20 %
    assert not shipments.receive_shipment(loaded, tech, HOSPITAL, noon.id, within)
    beyond = _received(loaded, clock, evening, 0.75)  # 25 % low: beyond 20 %
    assert shipments.receive_shipment(loaded, tech, HOSPITAL, evening.id, beyond)
