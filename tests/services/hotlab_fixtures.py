"""Helpers shared by the hot-lab service tests: a site, a technologist, a generator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nucmed.services.hotlab.receiving import Delivery, Survey, receive
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Store
from nucmed.services.users import NewUser, create_user
from nucmed.store.hotlab import Material
from nucmed.store.models import Site, User
from nucmed.vocabulary import Role, SiteKind

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 07:00 in Almaty
SITE = SiteSpec("H-ALA", "Hot lab test", SiteKind.DEPARTMENT, "Almaty", "KZ", "Asia/Almaty")
QUIET = Survey(T0, 1e-9, 1e-10, 0.0)


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
    )
    material, _ = receive(store, tech, site, delivery, QUIET)
    return material
