"""The administrations of therapy cycles and the activities measured after them (append-only).

Revision ID: 0005_therapy_cycles
Revises: 0004_therapy
Create Date: 2026-11-22

Written after Alembic autogenerate from nucmed.store.therapy, then reviewed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0005_therapy_cycles"
down_revision = "0004_therapy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "therapy_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("administered_at", UTCDateTime(), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"]),
        sa.ForeignKeyConstraint(["course_id"], ["therapy_courses.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("administration_id"),
        sa.UniqueConstraint("course_id", "number", name="uq_therapy_cycles_number"),
    )
    op.create_table(
        "therapy_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cycle_id"], ["therapy_cycles.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("therapy_measurements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_therapy_measurements_cycle", ["cycle_id", "region"], unique=False
        )
    protect_append_only("therapy_cycles")
    protect_append_only("therapy_measurements")


def downgrade() -> None:
    unprotect_append_only("therapy_measurements")
    unprotect_append_only("therapy_cycles")
    with op.batch_alter_table("therapy_measurements", schema=None) as batch_op:
        batch_op.drop_index("ix_therapy_measurements_cycle")
    op.drop_table("therapy_measurements")
    op.drop_table("therapy_cycles")
