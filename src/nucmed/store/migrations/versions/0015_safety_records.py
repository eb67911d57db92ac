"""Radiation safety records: declared pregnancies of workers (append-only).

Revision ID: 0015_safety_records
Revises: 0014_supply
Create Date: 2026-12-02

Written from nucmed.store.safety.PregnancyDeclaration. A changed expected date is a new row
that corrects the last.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0015_safety_records"
down_revision = "0014_supply"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_pregnancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["corrects_id"], ["safety_pregnancies.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.ForeignKeyConstraint(["worker_id"], ["safety_workers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_pregnancies_worker", "safety_pregnancies", ["worker_id"], unique=False
    )
    protect_append_only("safety_pregnancies")


def downgrade() -> None:
    unprotect_append_only("safety_pregnancies")
    op.drop_index("ix_safety_pregnancies_worker", table_name="safety_pregnancies")
    op.drop_table("safety_pregnancies")
