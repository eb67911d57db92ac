"""Administrations (append-only, one per event UID) and the patient's sex.

Revision ID: 0003_administrations
Revises: 0002_hotlab
Create Date: 2026-11-22

Generated with Alembic autogenerate from nucmed.store.hotlab, then reviewed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0003_administrations"
down_revision = "0002_hotlab"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "administrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=True),
        sa.Column("event_uid", sa.String(length=64), nullable=False),
        sa.Column("procedure", sa.String(length=200), nullable=False),
        sa.Column("radiopharmaceutical", sa.String(length=100), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("administered_at", UTCDateTime(), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("injection_site", sa.String(length=100), nullable=True),
        sa.Column("net_activity_bq", sa.Float(), nullable=False),
        sa.Column("residual_bq", sa.Float(), nullable=True),
        sa.Column("prescribed_bq", sa.Float(), nullable=True),
        sa.Column("deviation", sa.Float(), nullable=True),
        sa.Column("deviation_reason", sa.Text(), nullable=True),
        sa.Column("extravasation", sa.Boolean(), nullable=False),
        sa.Column("pregnancy", sa.String(length=16), nullable=False),
        sa.Column("breastfeeding", sa.Boolean(), nullable=True),
        sa.Column("patient_weight_kg", sa.Float(), nullable=True),
        sa.Column("patient_height_m", sa.Float(), nullable=True),
        sa.Column("patient_age_years", sa.Float(), nullable=True),
        sa.Column("effective_dose_sv", sa.Float(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("administered_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["administered_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["draws.id"],
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draw_id"),
        sa.UniqueConstraint("event_uid"),
    )
    with op.batch_alter_table("administrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_administrations_audit", ["site_id", "procedure", "administered_at"], unique=False
        )

    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
    protect_append_only("administrations")


def downgrade() -> None:
    unprotect_append_only("administrations")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("sex")

    with op.batch_alter_table("administrations", schema=None) as batch_op:
        batch_op.drop_index("ix_administrations_audit")

    op.drop_table("administrations")
