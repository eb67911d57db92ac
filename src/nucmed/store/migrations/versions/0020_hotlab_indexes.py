"""Hot lab: indexes for the day board's counts and for what a container has given.

Revision ID: 0020_hotlab_indexes
Revises: 0019_release_records
Create Date: 2026-12-02

The day board counts and pages a site's dose requests by planned time
(``ix_dose_requests_site_planned``); what is left in a vial or an eluate sums the draws and the
preparations taken from it (``ix_draws_material``, ``ix_materials_parent``). Without them each
of these read every row of its table (issue #10: the board's cost grew with the day).
"""

from __future__ import annotations

from alembic import op

revision = "0020_hotlab_indexes"
down_revision = "0019_release_records"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_dose_requests_site_planned", "dose_requests", ["site_id", "planned_at"]),
    ("ix_draws_material", "draws", ["material_id"]),
    ("ix_materials_parent", "materials", ["parent_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
