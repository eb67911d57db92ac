"""The sites' postal address and telephone (for leaflets, labels and shipping documents).

Revision ID: 0013_site_address
Revises: 0012_radiation_safety
Create Date: 2026-12-02

Two columns on ``sites``, empty for the sites that exist: an administrator fills them on the
site's settings page (audited as ``site.contact``). The sites table is not append-only (a
site's details change in place, each change audited with its old and new values).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_site_address"
down_revision = "0012_radiation_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("address", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "sites", sa.Column("phone", sa.String(length=40), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("address")
