"""Imaging: stored absorbed-dose maps (append-only).

Revision ID: 0016_dose_maps
Revises: 0015_safety_records
Create Date: 2026-12-02

Written from nucmed.store.imaging_maps.DoseMap, in the style of 0011. The voxels are a NIfTI
file under the data folder; the row names it with its SHA-256. A map is a record: append-only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0016_dose_maps"
down_revision = "0015_safety_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dose_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("patient_reference", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("shape_i", sa.Integer(), nullable=False),
        sa.Column("shape_j", sa.Integer(), nullable=False),
        sa.Column("shape_k", sa.Integer(), nullable=False),
        sa.Column("voxel_i_m", sa.Float(), nullable=False),
        sa.Column("voxel_j_m", sa.Float(), nullable=False),
        sa.Column("voxel_k_m", sa.Float(), nullable=False),
        sa.Column("max_dose_gy", sa.Float(), nullable=False),
        sa.Column("mask_file", sa.String(length=128), nullable=True),
        sa.Column("mask_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dose_maps_site", "dose_maps", ["site_id", "created_at"])
    protect_append_only("dose_maps")


def downgrade() -> None:
    unprotect_append_only("dose_maps")
    op.drop_index("ix_dose_maps_site", table_name="dose_maps")
    op.drop_table("dose_maps")
