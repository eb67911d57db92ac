"""Imaging: camera calibration factors per camera and nuclide.

Revision ID: 0011_imaging
Revises: 0010_dicom_network
Create Date: 2026-12-01

Written from nucmed.store.imaging, in the style of 0006. Camera calibrations are records:
append-only; a correction is a new row pointing at the one it corrects.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0011_imaging"
down_revision = "0010_dicom_network"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camera_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("camera", sa.String(length=64), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("energy_window", sa.String(length=64), nullable=False),
        sa.Column("phantom_activity_bq", sa.Float(), nullable=False),
        sa.Column("activity_reference_at", UTCDateTime(), nullable=False),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.Column("acquisition_duration_s", sa.Float(), nullable=False),
        sa.Column("counts", sa.Float(), nullable=False),
        sa.Column("sensitivity_cps_per_bq", sa.Float(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["corrects_id"], ["camera_calibrations.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_camera_calibrations",
        "camera_calibrations",
        ["site_id", "camera", "nuclide", "acquired_at"],
    )
    protect_append_only("camera_calibrations")


def downgrade() -> None:
    unprotect_append_only("camera_calibrations")
    op.drop_index("ix_camera_calibrations", table_name="camera_calibrations")
    op.drop_table("camera_calibrations")
