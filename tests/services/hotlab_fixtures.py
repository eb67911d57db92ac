"""Helpers shared by the hot-lab service tests: a site, a technologist, a generator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nucmed.services.hotlab.receiving import Declaration, Delivery, Survey, receive
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Store
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import Material
from nucmed.store.models import Site, User
from nucmed.vocabulary import Role, SiteKind

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 07:00 in Almaty
EVENING = T0 + timedelta(hours=14)
"""21:00 in Almaty on T0's day: where the ``t0_evening`` fixture (tests/conftest.py) puts the
clocks of the tests that record events at fixed times around T0, after every one of them and
less than a day after the first (an event time may not lie ahead of the clock, and one more
than a day back is a late entry: :mod:`nucmed.services.event_times`)."""
SITE = SiteSpec("H-ALA", "Hot lab test", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
QUIET = Survey(T0, 1e-9, 1e-10, 0.0)
WHITE = Declaration("I-WHITE", 0.0)
"""A label that QUIET (3.6 µSv/h at the surface, 0.36 µSv/h at 1 m: TI 0) agrees with."""


def site_and_tech(store: Store) -> tuple[Site, User]:
    site = create_site(store, None, SITE)
    tech = create_user(
        store,
        None,
        NewUser("tech.h", "Technologist", "correct horse battery"),
        [(Role.RADIOPHARMACIST, site)],
    )
    return site, tech


def generator_20_gbq(store: Store, site: Site, tech: User) -> Material:
    """A 20 GBq Mo-99 generator calibrated 12 h before T0 (the producer's last elution)."""
    delivery = Delivery(
        "generator",
        "Mo-99",
        "Tc-99m generator 20 GBq",
        20e9,
        T0 - timedelta(hours=12),
        lot="G-1",
        supplier="INP Almaty",
        expires_at=T0 + timedelta(days=14),
        package=WHITE,
    )
    material, _ = receive(store, tech, site, delivery, QUIET)
    return material
