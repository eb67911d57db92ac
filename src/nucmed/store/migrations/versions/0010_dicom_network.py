"""DICOM and HL7 network: calling AE titles per site, device accounts, the index of the
objects received, reconciliation items; the accession number and station of a dose request.

Revision ID: 0010_dicom_network
Revises: 0009_training
Create Date: 2026-12-01

Written from nucmed.store.network and the two new columns of nucmed.store.hotlab.DoseRequest,
in the style of 0006. The index of stored objects and the reconciliation items are records:
append-only, like the administrations they point to.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0010_dicom_network"
down_revision = "0009_training"
branch_labels = None
depends_on = None

_RECORDS = ("stored_objects", "reconciliation_items")


def upgrade() -> None:
    op.add_column("dose_requests", sa.Column("accession_number", sa.String(16), nullable=True))
    op.add_column("dose_requests", sa.Column("station_ae_title", sa.String(16), nullable=True))
    op.create_table(
        "dicom_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("ae_title", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "ae_title"),
    )
    op.create_table(
        "device_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "kind"),
        sa.UniqueConstraint("user_id"),
    )
    op.create_table(
        "stored_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("study_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("series_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("patient_key", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("calling_ae_title", sa.String(length=16), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"]),
        sa.ForeignKeyConstraint(["received_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sop_instance_uid"),
    )
    op.create_index("ix_stored_objects_patient_key", "stored_objects", ["patient_key"])
    op.create_index("ix_stored_objects_study_instance_uid", "stored_objects",
                    ["study_instance_uid"])  # fmt: skip
    op.create_table(
        "reconciliation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event_uid", sa.String(length=64), nullable=False),
        sa.Column("stored_object_id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.ForeignKeyConstraint(["stored_object_id"], ["stored_objects.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reconciliation_items_event_uid", "reconciliation_items", ["event_uid"])
    for table in _RECORDS:
        protect_append_only(table)


def downgrade() -> None:
    for table in _RECORDS:
        unprotect_append_only(table)
    op.drop_index("ix_reconciliation_items_event_uid", table_name="reconciliation_items")
    op.drop_table("reconciliation_items")
    op.drop_index("ix_stored_objects_study_instance_uid", table_name="stored_objects")
    op.drop_index("ix_stored_objects_patient_key", table_name="stored_objects")
    op.drop_table("stored_objects")
    op.drop_table("device_accounts")
    op.drop_table("dicom_nodes")
    unprotect_append_only("dose_requests")
    with op.batch_alter_table("dose_requests") as batch_op:
        batch_op.drop_column("station_ae_title")
        batch_op.drop_column("accession_number")
    protect_append_only("dose_requests")
