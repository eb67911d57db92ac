"""Imaging: a stored dose map may keep the activity map it was computed from.

Revision ID: 0018_dose_map_activity
Revises: 0017_site_names
Create Date: 2026-12-02

Three nullable columns on ``dose_maps`` (written from nucmed.store.imaging_maps.DoseMap): the
activity-concentration map's file name and SHA-256 under the data folder, and its maximum in
Bq/m³. Rows made before have none. The table stays append-only (its triggers are kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only

revision = "0018_dose_map_activity"
down_revision = "0017_site_names"
branch_labels = None
depends_on = None

_COLUMNS = ("activity_file", "activity_sha256", "max_activity_bq_per_m3")


def upgrade() -> None:
    op.add_column("dose_maps", sa.Column("activity_file", sa.String(length=128), nullable=True))
    op.add_column("dose_maps", sa.Column("activity_sha256", sa.String(length=64), nullable=True))
    op.add_column("dose_maps", sa.Column("max_activity_bq_per_m3", sa.Float(), nullable=True))


def downgrade() -> None:
    unprotect_append_only("dose_maps")  # a batch on SQLite copies the table, not its triggers
    with op.batch_alter_table("dose_maps") as batch_op:
        for name in _COLUMNS:
            batch_op.drop_column(name)
    protect_append_only("dose_maps")
