"""Receipt survey: declared label category, transport index, exclusive use; quarantine and
its release.

Revision ID: 0008_receipt_survey
Revises: 0007_patient_identity
Create Date: 2026-12-01

Written after Alembic autogenerate from nucmed.store.hotlab, then reviewed. The receipt's
declaration is three nullable columns (receipts recorded before have none); quarantine is an
append-only table of quarantine and release records, not a flag on the material. Dropping the
columns again rebuilds ``receipt_surveys`` on SQLite, so its append-only triggers are lifted for
that and made again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0008_receipt_survey"
down_revision = "0007_patient_identity"
branch_labels = None
depends_on = None

_DECLARED = ("label_category", "transport_index", "exclusive_use")


def upgrade() -> None:
    op.add_column("receipt_surveys", sa.Column("label_category", sa.String(16), nullable=True))
    op.add_column("receipt_surveys", sa.Column("transport_index", sa.Float(), nullable=True))
    op.add_column("receipt_surveys", sa.Column("exclusive_use", sa.Boolean(), nullable=True))
    op.create_table(
        "quarantine_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["material_id"], ["materials.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quarantine_records_material", "quarantine_records", ["material_id", "id"])
    protect_append_only("quarantine_records")


def downgrade() -> None:
    unprotect_append_only("quarantine_records")
    op.drop_index("ix_quarantine_records_material", table_name="quarantine_records")
    op.drop_table("quarantine_records")
    unprotect_append_only("receipt_surveys")
    with op.batch_alter_table("receipt_surveys") as batch_op:
        for column in reversed(_DECLARED):
            batch_op.drop_column(column)
    protect_append_only("receipt_surveys")
