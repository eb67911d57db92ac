"""The demo's radiation safety: monitored workers of the Almaty department with their
dosimeters, and the site's investigation level for a monthly whole-body reading.

The level is the demo's own choice, not a rule: 1 mSv in one monthly reading (a site sets its
levels from its own experience, IAEA GSR Part 3 para. 3.100); the RSO changes it with a reason.
"""

from __future__ import annotations

from datetime import datetime

from nucmed.services.uow import Store
from nucmed.store.models import Site, User
from nucmed.store.safety import Dosimeter, InvestigationLevel, Worker
from nucmed.units import SV_PER_MSV

__all__ = ["DEMO_WORKERS", "load_safety"]

DEMO_WORKERS = (
    ("T-101", "Айгерим Сапарова", (("WB-101", "whole_body"), ("R-101", "ring"))),
    ("T-102", "Ерлан Абдрахманов", (("WB-102", "whole_body"), ("E-102", "eye"))),
    ("T-103", "Ольга Ким", (("WB-103", "whole_body"),)),
)
"""Staff number, name, and the serial and kind of each dosimeter (demo people)."""
_LEVEL_SV = 1.0 * SV_PER_MSV


def load_safety(store: Store, site: Site, rso: User, now: datetime) -> None:
    """Register the demo workers and their dosimeters, and the demo investigation level."""
    for number, name, dosimeters in DEMO_WORKERS:
        worker = Worker(site_id=site.id, staff_number=number, name=name, active=True,
                        recorded_at=now, recorded_by_id=rso.id)  # fmt: skip
        store.session.add(worker)
        store.session.flush()
        for serial, kind in dosimeters:
            store.session.add(
                Dosimeter(
                    site_id=site.id,
                    worker_id=worker.id,
                    serial=serial,
                    kind=kind,
                    issued_on=now.date(),
                    recorded_at=now,
                    recorded_by_id=rso.id,
                )
            )
    store.session.add(
        InvestigationLevel(
            site_id=site.id,
            quantity="effective",
            level_sv=_LEVEL_SV,
            reason="Демо: 1 mSv за один месячный замер дозиметра всего тела",
            recorded_at=now,
            recorded_by_id=rso.id,
        )
    )
    store.session.flush()
