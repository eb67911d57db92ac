"""The supply network: the producer's catalogue and departures, the hospitals' orders and
standing weekly orders, and the shipments made from a confirmed plan with their status events
(append-only).

Revision ID: 0014_supply
Revises: 0013_site_address
Create Date: 2026-12-02

Written after Alembic autogenerate from nucmed.store.supply, then reviewed. Every table is
append-only: an amended or cancelled order, a stopped standing order and a shipment's new status
are new rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0014_supply"
down_revision = "0013_site_address"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supply_departures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("depart_at", UTCDateTime(), nullable=False),
        sa.Column("arrive_at", UTCDateTime(), nullable=False),
        sa.Column("accepts_radioactive", sa.Boolean(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_supply_departures_depart",
        "supply_departures",
        ["producer_id", "depart_at"],
        unique=False,
    )
    op.create_table(
        "supply_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("form", sa.String(length=16), nullable=False),
        sa.Column("standard_activities_bq", sa.JSON(), nullable=False),
        sa.Column("shelf_life_s", sa.Float(), nullable=False),
        sa.Column("production_weekdays", sa.JSON(), nullable=False),
        sa.Column("cutoff_before_s", sa.Float(), nullable=False),
        sa.Column("batch_capacity_bq", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_supply_products_code", "supply_products", ["producer_id", "code"], unique=False
    )
    op.create_table(
        "supply_standing_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("calibration_minute", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["supply_standing_orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["supply_products.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_supply_standing_orders_site", "supply_standing_orders", ["site_id"], unique=False
    )
    op.create_table(
        "supply_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("calibration_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("standing_order_id", sa.Integer(), nullable=True),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["amends_id"],
            ["supply_orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["supply_products.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["root_id"],
            ["supply_orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standing_order_id"],
            ["supply_standing_orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_supply_orders_root", "supply_orders", ["root_id"], unique=False)
    op.create_index(
        "ix_supply_orders_site", "supply_orders", ["site_id", "calibration_at"], unique=False
    )
    op.create_table(
        "supply_shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("departure_id", sa.Integer(), nullable=False),
        sa.Column("depart_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_bq", sa.Float(), nullable=False),
        sa.Column("decay_factor", sa.Float(), nullable=False),
        sa.Column("margin_fraction", sa.Float(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["departure_id"],
            ["supply_departures.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["supply_orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_supply_shipments_producer",
        "supply_shipments",
        ["producer_id", "depart_at"],
        unique=False,
    )
    op.create_index("ix_supply_shipments_site", "supply_shipments", ["site_id"], unique=False)
    op.create_table(
        "supply_shipment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=True),
        sa.Column("measured_bq", sa.Float(), nullable=True),
        sa.Column("expected_bq", sa.Float(), nullable=True),
        sa.Column("discrepancy", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["supply_shipments.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_supply_shipment_events_shipment",
        "supply_shipment_events",
        ["shipment_id"],
        unique=False,
    )
    protect_append_only("supply_products")
    protect_append_only("supply_departures")
    protect_append_only("supply_standing_orders")
    protect_append_only("supply_orders")
    protect_append_only("supply_shipments")
    protect_append_only("supply_shipment_events")


def downgrade() -> None:
    unprotect_append_only("supply_shipment_events")
    unprotect_append_only("supply_shipments")
    unprotect_append_only("supply_orders")
    unprotect_append_only("supply_standing_orders")
    unprotect_append_only("supply_departures")
    unprotect_append_only("supply_products")
    op.drop_index("ix_supply_shipment_events_shipment", table_name="supply_shipment_events")
    op.drop_table("supply_shipment_events")
    op.drop_index("ix_supply_shipments_site", table_name="supply_shipments")
    op.drop_index("ix_supply_shipments_producer", table_name="supply_shipments")
    op.drop_table("supply_shipments")
    op.drop_index("ix_supply_orders_site", table_name="supply_orders")
    op.drop_index("ix_supply_orders_root", table_name="supply_orders")
    op.drop_table("supply_orders")
    op.drop_index("ix_supply_standing_orders_site", table_name="supply_standing_orders")
    op.drop_table("supply_standing_orders")
    op.drop_index("ix_supply_products_code", table_name="supply_products")
    op.drop_table("supply_products")
    op.drop_index("ix_supply_departures_depart", table_name="supply_departures")
    op.drop_table("supply_departures")
