"""Therapy courses and the organ doses of each cycle (append-only).

Revision ID: 0004_therapy
Revises: 0003_administrations
Create Date: 2026-11-22

Generated with Alembic autogenerate from nucmed.store.hotlab, then reviewed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0004_therapy"
down_revision = "0003_administrations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "therapy_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("indication", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=False),
        sa.Column("planned_cycles", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
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
    )
    op.create_table(
        "organ_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("organ", sa.String(length=32), nullable=False),
        sa.Column("absorbed_dose_gy", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["administrations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["therapy_courses.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organ_doses", schema=None) as batch_op:
        batch_op.create_index("ix_organ_doses_course", ["course_id", "organ"], unique=False)
    protect_append_only("organ_doses")


def downgrade() -> None:
    unprotect_append_only("organ_doses")
    with op.batch_alter_table("organ_doses", schema=None) as batch_op:
        batch_op.drop_index("ix_organ_doses_course")

    op.drop_table("organ_doses")
    op.drop_table("therapy_courses")
