"""Lot numbers of received material: a package whose lot is already on another in stock.

A lot number names one production batch, so a second package with a lot already in stock is
usually a lot number copied from the last delivery (a new generator entered with last week's
lot). It is a warning, not a refusal: a supplier may deliver several vials, or generators, of
one batch. Packages of one batch (same kind, nuclide, product and calibration time) are taken
as legitimate and not warned about; any other open received material at the site with the
same lot (spaces at the ends and letter case ignored) is. The warning is shown on the
material's page (and in the API's answer) as long as both are in stock, and the receipt that
made it is audited (``material.duplicate_lot``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from nucmed.errors import N_, Message, refusal
from nucmed.services.audit import Event, record
from nucmed.services.uow import Store
from nucmed.store.hotlab import Material, MaterialClosure
from nucmed.store.models import Site, User

__all__ = ["lot_warnings", "note_duplicate_lot", "same_lot_in_stock"]

_RECEIVED = ("generator", "vial", "capsule", "check_source")
"""Kinds received from a supplier (eluates and preparations carry their source's lot)."""


def _same_batch(one: Material, other: Material) -> bool:
    return (one.kind, one.nuclide, one.product, one.reference_time) == (
        other.kind,
        other.nuclide,
        other.product,
        other.reference_time,
    )


def same_lot_in_stock(store: Store, site: Site, material: Material) -> list[Material]:
    """Other open received materials at the site with the material's lot, not of its batch.

    Parameters
    ----------
    store, site
        The unit of work and the material's site.
    material
        A received material (others, and one without a lot, have none).

    Returns
    -------
    list of Material
        Oldest first.
    """
    lot = (material.lot or "").strip().lower()
    if not lot or material.kind not in _RECEIVED or material.parent_id is not None:
        return []
    closed = select(MaterialClosure.material_id)
    rows = store.session.scalars(
        select(Material)
        .where(
            Material.site_id == site.id,
            Material.id != material.id,
            Material.parent_id.is_(None),
            Material.kind.in_(_RECEIVED),
            func.lower(func.trim(Material.lot)) == lot,
            Material.id.not_in(closed),
        )
        .order_by(Material.id)
    )
    return [row for row in rows if not _same_batch(row, material)]


def lot_warnings(store: Store, site: Site, material: Material) -> list[str]:
    """The duplicate-lot warning of a material, translatable (empty: none).

    Returns
    -------
    list of str
        Each a :class:`~nucmed.errors.Message` keeping its translatable parts.
    """
    others = same_lot_in_stock(store, site, material)
    if not others:
        return []
    warning = refusal(
        N_(
            "lot {lot} is also on {others} in stock: check the lot number on the package "
            "(packages of one batch share it only with the same product and calibration time)"
        ),
        lot=material.lot,
        others=", ".join(f"#{other.id} {other.product}" for other in others),
    )
    return [Message.of(warning)]


def note_duplicate_lot(store: Store, actor: User, site: Site, material: Material) -> None:
    """Audit a receipt whose lot is already in stock (``material.duplicate_lot``); no-op
    otherwise. Call after the material is flushed (it needs its id)."""
    others = same_lot_in_stock(store, site, material)
    if others:
        details = {"lot": material.lot, "others": [other.id for other in others]}
        event = Event("material.duplicate_lot", "material", material.id, site.id, details=details)
        record(store, actor, event)
