"""The words the supply pages show for stored codes: an order's or shipment's status, a product's
form, a departure's mode, and why the plan cannot serve an order (translated where shown)."""

from __future__ import annotations

from nucmed.errors import N_
from nucmed.supply.candidates import REASON_TEXT

__all__ = [
    "FORMS",
    "MODES",
    "PACKAGE_TYPES",
    "REASONS",
    "STATUSES",
    "SUPPLY_AUDIT_ACTIONS",
    "SUPPLY_AUDIT_DETAILS",
    "SUPPLY_AUDIT_RECORDS",
]

STATUSES = {
    "ordered": N_("ordered"),
    "cancelled": N_("cancelled"),
    "planned": N_("planned for shipment"),
    "dispatched": N_("dispatched"),
    "in_transit": N_("in transit"),
    "received": N_("received"),
}
FORMS = {
    "generator": N_("generator"),
    "capsule": N_("capsule"),
    "solution": N_("solution (liquid form)"),
}
MODES = {"road": N_("road"), "air": N_("air"), "rail": N_("rail")}
PACKAGE_TYPES = {
    "Excepted": N_("excepted package"),
    "Type A": N_("Type A package"),
    "Type B(U)": N_("Type B(U) package"),
}
"""IAEA SSR-6 package types (``nucmed.safety.transport.classify_package``)."""
REASONS = REASON_TEXT

SUPPLY_AUDIT_ACTIONS = {
    "supply_order.place": N_("Order placed with the producer"),
    "supply_order.amend": N_("Order amended"),
    "supply_order.cancel": N_("Order cancelled"),
    "supply_order.standing": N_("Order made from a standing order"),
    "supply_standing.add": N_("Standing order set up"),
    "supply_standing.stop": N_("Standing order stopped"),
    "supply_shipment.plan": N_("Shipment planned"),
    "supply_shipment.dispatched": N_("Shipment dispatched"),
    "supply_shipment.in_transit": N_("Shipment handed to the carrier"),
    "supply_shipment.received": N_("Shipment matched with its receipt"),
}
"""The audit trail's names of the supply actions (merged into ``AUDIT_ACTION_LABELS``)."""
SUPPLY_AUDIT_RECORDS = {
    "supply_order": N_("Order to the producer"),
    "supply_standing_order": N_("Standing order"),
    "supply_shipment": N_("Shipment"),
}
"""The audit trail's names of the supply records."""
SUPPLY_AUDIT_DETAILS = {
    "version": N_("Version"),
    "product_id": N_("Product"),
    "calibration_at": N_("Calibration"),
    "status": N_("Status"),
    "weekday": N_("Weekday"),
    "minute": N_("Minute of the day"),
    "material_id": N_("Material"),
    "measured_bq": N_("Measured activity"),
    "expected_bq": N_("Expected activity"),
    "discrepancy": N_("Activity discrepancy"),
    "discrepancy_limit": N_("Discrepancy limit"),
    "order": N_("Order"),
    "departure": N_("Departure"),
    "dispatched_bq": N_("Activity dispatched"),
    "package_type": N_("Package type"),
    "a2_mixture_bq": N_("A2 of the contents"),
    "limit_fraction": N_("Fraction of the limit"),
    "limit_basis": N_("Limit basis"),
    "transport_index": N_("Transport index"),
    "exclusive_use": N_("Exclusive use"),
    "un_number": N_("UN number"),
    "proper_shipping_name": N_("Proper shipping name"),
    "surface_dose_rate_sv_per_s": N_("Dose rate at the surface"),
    "one_metre_dose_rate_sv_per_s": N_("Dose rate at 1 m"),
}
"""The audit trail's names of the supply details (``label`` is already named)."""
