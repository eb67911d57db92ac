"""Kit preparation: labelling a Tc-99m cold kit (or another product) from an eluate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from nucmed.errors import N_, MessagePart, NucmedInputError
from nucmed.radiopharmacy import kits
from nucmed.services.audit import Event, record
from nucmed.services.auth import Identity, actor
from nucmed.services.event_times import check_event_time, record_late_entry
from nucmed.services.hotlab.elution import previous_elution_time
from nucmed.services.hotlab.materials import (
    MaterialView,
    blocking_reasons,
    facts_of,
    material_view,
    parts_of,
    remaining,
)
from nucmed.services.permissions import Permission, row_at_site
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.hotlab import Material
from nucmed.store.models import Site, User
from nucmed.units import BQ_PER_MBQ, SECONDS_PER_HOUR

__all__ = [
    "PreparationInput",
    "PreparationRefusedError",
    "ProductPreparationInput",
    "label_kit",
    "make_product",
    "prepare",
    "prepare_product",
]


class PreparationRefusedError(NucmedInputError):
    """A labelling that a rule forbids (kit limit, unusable eluate): a hard stop."""


def _refused(template: str, **values: object) -> PreparationRefusedError:
    return PreparationRefusedError(parts=((template, values),))


def _unusable(
    headline: MessagePart, not_that_kind: MessagePart, blocked: list[str]
) -> PreparationRefusedError:
    """The source may not be used: its blocking reasons (each translated), or not the kind
    of material asked for. In English "<headline>: <reason>; <reason>"; translated, the
    headline and the reasons are joined by "; "."""
    if not blocked:
        return PreparationRefusedError(parts=(not_that_kind,))
    template, values = headline
    english = f"{template.format(**values)}: {'; '.join(blocked)}"
    return PreparationRefusedError(english, parts=(headline, *parts_of(blocked)))


@dataclass(frozen=True, slots=True)
class PreparationInput:
    """A labelling: the kit (code or name) and the volume of eluate put in it; the activity
    follows from the eluate's decay-corrected concentration.

    ``shelf_life_s`` is needed only when the catalogue has no shelf life for the kit: it is
    read from the kit's leaflet and recorded as such.
    """

    kit: str
    volume_m3: float
    labelled_at: datetime
    shelf_life_s: float | None = None
    late_entry_reason: str | None = None
    """Why the labelling is entered more than the site's late-entry limit after it."""


def _generator_ingrowth_s(store: Store, eluate: Material) -> float | None:
    before = previous_elution_time(store, eluate)
    if before is None:
        return None
    return (eluate.reference_time - before).total_seconds()


def _expiry(kit: kits.Kit, given: PreparationInput, eluate: Material) -> tuple[datetime, str]:
    if kit.shelf_life_s is not None:
        expiry, basis = kits.preparation_expiry(kit, given.labelled_at), "catalogue"
    elif given.shelf_life_s is not None and given.shelf_life_s > 0:
        expiry = given.labelled_at + timedelta(seconds=given.shelf_life_s)
        basis = "entered from the kit's leaflet"
    else:
        raise _refused(
            N_("the catalogue has no shelf life for {kit}: enter the one in the kit's leaflet"),
            kit=kit.code,
        )
    if eluate.expires_at is not None:
        expiry = min(expiry, eluate.expires_at)
    return expiry, basis


def prepare(
    store: Store, actor: User, site: Site, eluate: Material, given: PreparationInput
) -> Material:
    """Label a kit from an eluate; refuse (hard stop) if any rule is broken; audited.

    Refused when the eluate may not be used, holds too little, or the kit's maximum
    activity, volume, eluate age or generator ingrowth is exceeded. Limits the catalogue lacks
    are listed in the record (``unchecked``) so that nobody believes they were checked.
    """
    kit = kits.get_kit(given.kit)
    late = check_event_time(store, site, given.labelled_at, given.late_entry_reason)
    facts = facts_of(store, [eluate])
    blocked = blocking_reasons(store, eluate, given.labelled_at, facts)
    if eluate.kind != "eluate" or blocked:
        raise _unusable(
            (N_("eluate #{id} may not be used"), {"id": eluate.id}),
            (N_("eluate #{id} may not be used: not an eluate"), {"id": eluate.id}),
            blocked,
        )
    left = remaining(store, eluate, given.labelled_at, facts)
    if left.volume_m3 is not None and given.volume_m3 > left.volume_m3 * (1 + 1e-9):
        raise _refused(N_("eluate #{id} holds less than that volume"), id=eluate.id)
    if given.volume_m3 <= 0 or not left.volume_m3:
        raise _refused(N_("give the volume of eluate put in the kit"))
    activity_bq = left.activity_bq * given.volume_m3 / left.volume_m3
    age_s = (given.labelled_at - eluate.reference_time).total_seconds()
    violations = kits.check_labelling(
        kit,
        activity_bq=activity_bq,
        volume_m3=given.volume_m3,
        eluate_age_s=age_s,
        generator_ingrowth_s=_generator_ingrowth_s(store, eluate),
    )
    if violations:
        raise PreparationRefusedError(parts=parts_of(v.message for v in violations))
    expires_at, expiry_basis = _expiry(kit, given, eluate)
    preparation = Material(
        site_id=site.id,
        kind="preparation",
        nuclide="Tc-99m",
        product=kit.name,  # the catalogue's name holds the nuclide: Tc-99m medronate (MDP)
        lot=None,
        supplier=None,
        activity_bq=activity_bq,
        reference_time=given.labelled_at,
        volume_m3=given.volume_m3,
        expires_at=expires_at,
        parent_id=eluate.id,
        kit_code=kit.code,
        details={
            "rcp_min_fraction": kit.rcp_min_fraction,
            "eluate_age_h": age_s / SECONDS_PER_HOUR,
            "expiry_basis": expiry_basis,
            "unchecked": kits.unchecked_limits(kit),
        },
        created_at=store.now(),
        created_by_id=actor.id,
    )
    store.session.add(preparation)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "material.prepare",
            "material",
            preparation.id,
            site_id=site.id,
            details={
                "kit": kit.code,
                "eluate": eluate.id,
                "activity_mbq": activity_bq / BQ_PER_MBQ,
                "unchecked": kits.unchecked_limits(kit),
            },
        ),
    )
    record_late_entry(store, actor, late, "material", preparation.id)
    return preparation


@dataclass(frozen=True, slots=True)
class ProductPreparationInput:
    """A radiopharmaceutical made from a received vial (not a Tc-99m kit): e.g. Lu-177 PSMA
    from Lu-177 chloride. The shelf life and RCP limit come from the product's documentation,
    entered here and recorded as such."""

    product: str
    volume_m3: float
    labelled_at: datetime
    shelf_life_s: float
    rcp_min_fraction: float
    late_entry_reason: str | None = None
    """Why the preparation is entered more than the site's late-entry limit after it."""


def prepare_product(
    store: Store, actor: User, site: Site, source: Material, given: ProductPreparationInput
) -> Material:
    """Make a preparation of any nuclide from a received vial; audited; hard stops as for
    kits (unusable or too small a source; missing shelf life or RCP limit)."""
    late = check_event_time(store, site, given.labelled_at, given.late_entry_reason)
    facts = facts_of(store, [source])
    blocked = blocking_reasons(store, source, given.labelled_at, facts)
    if source.kind != "vial" or blocked:
        raise _unusable(
            (N_("vial #{id} may not be used"), {"id": source.id}),
            (N_("vial #{id} may not be used: not a vial"), {"id": source.id}),
            blocked,
        )
    if not given.product.strip() or given.shelf_life_s <= 0:
        raise _refused(N_("name the product and give its shelf life"))
    if not 0 < given.rcp_min_fraction <= 1:
        raise _refused(N_("the RCP limit is a fraction above 0 and at most 1"))
    left = remaining(store, source, given.labelled_at, facts)
    if not left.volume_m3 or not 0 < given.volume_m3 <= left.volume_m3 * (1 + 1e-9):
        raise _refused(N_("vial #{id} does not hold that volume"), id=source.id)
    activity_bq = left.activity_bq * given.volume_m3 / left.volume_m3
    expires_at = given.labelled_at + timedelta(seconds=given.shelf_life_s)
    if source.expires_at is not None:
        expires_at = min(expires_at, source.expires_at)
    made = Material(
        site_id=site.id,
        kind="preparation",
        nuclide=source.nuclide,
        product=given.product.strip(),
        lot=source.lot,
        supplier=None,
        activity_bq=activity_bq,
        reference_time=given.labelled_at,
        volume_m3=given.volume_m3,
        expires_at=expires_at,
        parent_id=source.id,
        kit_code=None,
        details={
            "rcp_min_fraction": given.rcp_min_fraction,
            "expiry_basis": "entered from the product's documentation",
        },
        created_at=store.now(),
        created_by_id=actor.id,
    )
    store.session.add(made)
    store.session.flush()
    record(
        store,
        actor,
        Event(
            "material.prepare",
            "material",
            made.id,
            site_id=site.id,
            details={
                "product": made.product,
                "source": source.id,
                "activity_mbq": activity_bq / BQ_PER_MBQ,
            },
        ),
    )
    record_late_entry(store, actor, late, "material", made.id)
    return made


def _source(store: Store, identity: Identity, material_id: int) -> tuple[Site, Material]:
    """The source material, its row locked until the transaction ends (what is left in it is
    read and then withdrawn from): the lock a draw from it takes, so preparations and draws
    from one eluate or vial queue and never take more than it holds."""
    return row_at_site(store, identity, Material, material_id, Permission.HOTLAB_WORK, lock=True)


def label_kit(
    database: Database, identity: Identity, eluate_id: int, given: PreparationInput
) -> MaterialView:
    """Label a kit from an eluate (hot-lab work at its site; write-locked; audited): the new
    preparation at its labelling.

    Raises
    ------
    PreparationRefusedError
        A kit or eluate rule is broken (see :func:`prepare`).
    NotFoundError, AccessDeniedError
        No such material, or the person may not work in the hot lab at its site.
    """
    with transaction(database, write_lock=True) as store:
        site, eluate = _source(store, identity, eluate_id)
        made = prepare(store, actor(store, identity), site, eluate, given)
        return material_view(store, site, made, given.labelled_at)


def make_product(
    database: Database, identity: Identity, vial_id: int, given: ProductPreparationInput
) -> MaterialView:
    """Make a preparation of a product from a received vial (hot-lab work at its site;
    write-locked; audited): the new preparation at its labelling.

    Raises
    ------
    PreparationRefusedError
        The vial may not be used or the product's data are missing (see
        :func:`prepare_product`).
    NotFoundError, AccessDeniedError
        No such material, or the person may not work in the hot lab at its site.
    """
    with transaction(database, write_lock=True) as store:
        site, vial = _source(store, identity, vial_id)
        made = prepare_product(store, actor(store, identity), site, vial, given)
        return material_view(store, site, made, given.labelled_at)
