"""Patient identity: corrections of a patient's name, birth date or sex (append-only), and the
route a dose is ordered for (printed on the syringe label).

Revision ID: 0007_patient_identity
Revises: 0006_reliability
Create Date: 2026-12-01

Written after Alembic autogenerate from nucmed.store.models and nucmed.store.hotlab, then
reviewed. Dose requests already stored keep no route (None: not stated, shown as such); the
append-only trigger of ``dose_requests`` stays, adding a nullable column changes no row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0007_patient_identity"
down_revision = "0006_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("corrected_at", UTCDateTime(), nullable=False),
        sa.Column("corrected_by_id", sa.Integer(), nullable=True),
        sa.Column("previous_name", sa.String(length=200), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("previous_birth_date", sa.Date(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("previous_sex", sa.String(length=1), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["corrected_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patient_corrections_patient", "patient_corrections", ["patient_id"])
    protect_append_only("patient_corrections")
    op.add_column("dose_requests", sa.Column("route", sa.String(length=32), nullable=True))


def downgrade() -> None:
    unprotect_append_only("dose_requests")
    with op.batch_alter_table("dose_requests") as batch_op:
        batch_op.drop_column("route")
    protect_append_only("dose_requests")
    unprotect_append_only("patient_corrections")
    op.drop_index("ix_patient_corrections_patient", table_name="patient_corrections")
    op.drop_table("patient_corrections")
