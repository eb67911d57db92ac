"""Hot lab: patients, materials, QC, patient doses, dose calibrators, licence limits, waste.

Revision ID: 0002_hotlab
Revises: 0001_core
Create Date: 2026-11-22

Generated with Alembic autogenerate from nucmed.store.hotlab, then reviewed; every record
table is append-only (triggers), patients excepted (their details may be corrected).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

APPEND_ONLY = (
    "materials",
    "material_closures",
    "receipt_surveys",
    "qc_results",
    "dose_requests",
    "draws",
    "calibrator_qc",
    "licence_limits",
    "waste_items",
    "waste_seals",
    "waste_surveys",
)

revision = "0002_hotlab"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dose_calibrators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        sa.Column("check_source_nuclide", sa.String(length=16), nullable=False),
        sa.Column("check_source_bq", sa.Float(), nullable=False),
        sa.Column("check_source_reference_time", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "local_id"),
    )
    op.create_table(
        "calibrator_qc",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calibrator_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=16), nullable=False),
        sa.Column("performed_at", UTCDateTime(), nullable=False),
        sa.Column("readings", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=False),
        sa.Column("passes", sa.Boolean(), nullable=False),
        sa.Column("performed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["calibrator_id"],
            ["dose_calibrators.id"],
        ),
        sa.ForeignKeyConstraint(
            ["performed_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calibrator_qc", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calibrator_qc", ["calibrator_id", "test", "performed_at"], unique=False
        )

    op.create_table(
        "dose_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=200), nullable=False),
        sa.Column("radiopharmaceutical", sa.String(length=100), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("prescribed_bq", sa.Float(), nullable=False),
        sa.Column("planned_at", UTCDateTime(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "licence_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("limit_bq", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("lot", sa.String(length=64), nullable=True),
        sa.Column("supplier", sa.String(length=200), nullable=True),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("reference_time", UTCDateTime(), nullable=False),
        sa.Column("volume_m3", sa.Float(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kit_code", sa.String(length=32), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["materials.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.create_index("ix_materials_site_kind", ["site_id", "kind"], unique=False)

    op.create_table(
        "waste_containers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("calibrator_id", sa.Integer(), nullable=False),
        sa.Column("drawn_at", UTCDateTime(), nullable=False),
        sa.Column("volume_m3", sa.Float(), nullable=False),
        sa.Column("expected_bq", sa.Float(), nullable=False),
        sa.Column("measured_bq", sa.Float(), nullable=False),
        sa.Column("deviation", sa.Float(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["calibrator_id"],
            ["dose_calibrators.id"],
        ),
        sa.ForeignKeyConstraint(
            ["drawn_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["dose_requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "material_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("material_id"),
    )
    op.create_table(
        "qc_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("passes", sa.Boolean(), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("measured_by_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["qc_results.id"],
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.ForeignKeyConstraint(
            ["measured_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("qc_results", schema=None) as batch_op:
        batch_op.create_index("ix_qc_results_material", ["material_id", "test"], unique=False)

    op.create_table(
        "receipt_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("surface_dose_rate_sv_per_s", sa.Float(), nullable=False),
        sa.Column("one_metre_dose_rate_sv_per_s", sa.Float(), nullable=False),
        sa.Column("wipe_bq_per_m2", sa.Float(), nullable=False),
        sa.Column("measured_activity_bq", sa.Float(), nullable=True),
        sa.Column("expected_activity_bq", sa.Float(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("surveyed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.ForeignKeyConstraint(
            ["surveyed_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waste_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("reference_time", UTCDateTime(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=True),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["waste_containers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waste_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("sealed_at", UTCDateTime(), nullable=False),
        sa.Column("sealed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["waste_containers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sealed_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("container_id"),
    )
    op.create_table(
        "waste_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("dose_rate_sv_per_s", sa.Float(), nullable=False),
        sa.Column("background_sv_per_s", sa.Float(), nullable=False),
        sa.Column("passes", sa.Boolean(), nullable=False),
        sa.Column("disposed", sa.Boolean(), nullable=False),
        sa.Column("surveyed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["waste_containers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["surveyed_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in APPEND_ONLY:
        protect_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        unprotect_append_only(table)
    op.drop_table("waste_surveys")
    op.drop_table("waste_seals")
    op.drop_table("waste_items")
    op.drop_table("receipt_surveys")
    with op.batch_alter_table("qc_results", schema=None) as batch_op:
        batch_op.drop_index("ix_qc_results_material")

    op.drop_table("qc_results")
    op.drop_table("material_closures")
    op.drop_table("draws")
    op.drop_table("waste_containers")
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_index("ix_materials_site_kind")

    op.drop_table("materials")
    op.drop_table("licence_limits")
    op.drop_table("dose_requests")
    with op.batch_alter_table("calibrator_qc", schema=None) as batch_op:
        batch_op.drop_index("ix_calibrator_qc")

    op.drop_table("calibrator_qc")
    op.drop_table("patients")
    op.drop_table("dose_calibrators")
