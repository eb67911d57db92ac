"""The sites' names and cities in the readers' languages (issue 12, item 8).

Revision ID: 0017_site_names
Revises: 0016_dose_maps
Create Date: 2026-12-02

One JSON column on ``sites``, ``{"ru": {"name": ..., "city": ...}, "kk": ..., "en": ...}``,
empty for the sites that exist: they keep showing their ``name`` and ``city`` in every
language. Pages show the name in the reader's language where the site has one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_site_names"
down_revision = "0016_dose_maps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sites", sa.Column("names", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
    )


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("names")
