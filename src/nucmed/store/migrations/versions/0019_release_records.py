"""Therapy: recorded releases of patients, each with the leaflet handed over (append-only).

Revision ID: 0019_release_records
Revises: 0018_dose_map_activity
Create Date: 2026-12-02

Written from nucmed.store.therapy.ReleaseRecord: the release assessment as recorded (nuclide,
activity, kinetics, the site rule's verdict, the days of restriction per group) and the PDF
leaflet in the patient's language with its SHA-256.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0019_release_records"
down_revision = "0018_dose_map_activity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("effective_half_life_s", sa.Float(), nullable=True),
        sa.Column("i131_condition", sa.String(length=32), nullable=True),
        sa.Column("releasable", sa.Boolean(), nullable=True),
        sa.Column("restriction_days", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("leaflet_pdf", sa.LargeBinary(), nullable=False),
        sa.Column("leaflet_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["therapy_courses.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_release_records_course", "release_records", ["course_id"], unique=False)
    protect_append_only("release_records")


def downgrade() -> None:
    unprotect_append_only("release_records")
    op.drop_index("ix_release_records_course", table_name="release_records")
    op.drop_table("release_records")
