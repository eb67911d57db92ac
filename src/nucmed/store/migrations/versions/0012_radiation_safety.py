"""Radiation safety: workers, their dosimeters and dose readings, the site's investigation
levels, the dose alerts for the radiation safety officer with their reviews; surveyed areas,
their surveys and decontamination follow-up; sealed sources and their leak tests
(append-only).

Revision ID: 0012_radiation_safety
Revises: 0011_imaging
Create Date: 2026-12-01

Written after Alembic autogenerate from nucmed.store.safety, then reviewed. Every table is
append-only: a correction, a changed level or the review of an alert is a new row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0012_radiation_safety"
down_revision = "0011_imaging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_investigation_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.String(length=16), nullable=False),
        sa.Column("level_sv", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_investigation_levels_site",
        "safety_investigation_levels",
        ["site_id", "quantity"],
        unique=False,
    )
    op.create_table(
        "safety_workers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["safety_workers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_workers_site", "safety_workers", ["site_id", "staff_number"], unique=False
    )
    op.create_table(
        "safety_dosimeters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["safety_workers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_dosimeters_serial", "safety_dosimeters", ["site_id", "serial"], unique=False
    )
    op.create_table(
        "safety_dose_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("dosimeter_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("dose_sv", sa.Float(), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["safety_dose_readings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["dosimeter_id"],
            ["safety_dosimeters.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["safety_workers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_dose_readings_worker",
        "safety_dose_readings",
        ["worker_id", "period_end"],
        unique=False,
    )
    op.create_table(
        "safety_dose_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("reading_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value_sv", sa.Float(), nullable=False),
        sa.Column("limit_sv", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reading_id"],
            ["safety_dose_readings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["safety_workers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_safety_dose_alerts_site", "safety_dose_alerts", ["site_id"], unique=False)
    op.create_table(
        "safety_dose_alert_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safety_dose_alerts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_dose_alert_reviews_alert",
        "safety_dose_alert_reviews",
        ["alert_id"],
        unique=False,
    )
    op.create_table(
        "safety_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("dose_rate_action_sv_per_s", sa.Float(), nullable=False),
        sa.Column("wipe_action_bq_per_m2", sa.Float(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["safety_areas.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_safety_areas_site", "safety_areas", ["site_id"], unique=False)
    op.create_table(
        "safety_area_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("action_level", sa.Float(), nullable=False),
        sa.Column("over", sa.Boolean(), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["safety_areas.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_area_surveys_area", "safety_area_surveys", ["area_id"], unique=False
    )
    op.create_table(
        "safety_decontaminations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("value_after", sa.Float(), nullable=False),
        sa.Column("closes", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["safety_area_surveys.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_decontaminations_survey", "safety_decontaminations", ["survey_id"], unique=False
    )
    protect_append_only("safety_areas")
    protect_append_only("safety_area_surveys")
    protect_append_only("safety_decontaminations")
    op.create_table(
        "safety_sealed_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("nuclide", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("activity_bq", sa.Float(), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("leak_test_interval_days", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_sealed_sources_site", "safety_sealed_sources", ["site_id"], unique=False
    )
    op.create_table(
        "safety_leak_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("removable_bq", sa.Float(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["safety_sealed_sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_safety_leak_tests_source", "safety_leak_tests", ["source_id"], unique=False
    )
    protect_append_only("safety_sealed_sources")
    protect_append_only("safety_leak_tests")
    protect_append_only("safety_investigation_levels")
    protect_append_only("safety_workers")
    protect_append_only("safety_dosimeters")
    protect_append_only("safety_dose_readings")
    protect_append_only("safety_dose_alerts")
    protect_append_only("safety_dose_alert_reviews")


def downgrade() -> None:
    unprotect_append_only("safety_leak_tests")
    unprotect_append_only("safety_sealed_sources")
    op.drop_index("ix_safety_leak_tests_source", table_name="safety_leak_tests")
    op.drop_table("safety_leak_tests")
    op.drop_index("ix_safety_sealed_sources_site", table_name="safety_sealed_sources")
    op.drop_table("safety_sealed_sources")
    unprotect_append_only("safety_decontaminations")
    unprotect_append_only("safety_area_surveys")
    unprotect_append_only("safety_areas")
    op.drop_index("ix_safety_decontaminations_survey", table_name="safety_decontaminations")
    op.drop_table("safety_decontaminations")
    op.drop_index("ix_safety_area_surveys_area", table_name="safety_area_surveys")
    op.drop_table("safety_area_surveys")
    op.drop_index("ix_safety_areas_site", table_name="safety_areas")
    op.drop_table("safety_areas")
    unprotect_append_only("safety_dose_alert_reviews")
    unprotect_append_only("safety_dose_alerts")
    unprotect_append_only("safety_dose_readings")
    unprotect_append_only("safety_dosimeters")
    unprotect_append_only("safety_workers")
    unprotect_append_only("safety_investigation_levels")
    op.drop_index("ix_safety_dose_alert_reviews_alert", table_name="safety_dose_alert_reviews")
    op.drop_table("safety_dose_alert_reviews")
    op.drop_index("ix_safety_dose_alerts_site", table_name="safety_dose_alerts")
    op.drop_table("safety_dose_alerts")
    op.drop_index("ix_safety_dose_readings_worker", table_name="safety_dose_readings")
    op.drop_table("safety_dose_readings")
    op.drop_index("ix_safety_dosimeters_serial", table_name="safety_dosimeters")
    op.drop_table("safety_dosimeters")
    op.drop_index("ix_safety_workers_site", table_name="safety_workers")
    op.drop_table("safety_workers")
    op.drop_index("ix_safety_investigation_levels_site", table_name="safety_investigation_levels")
    op.drop_table("safety_investigation_levels")
