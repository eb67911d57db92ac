"""Training: residents' enrolments, the logbook and its sign-offs, credits, minimums,
workplace-based assessments, and courses with sessions, participants and attendance
(append-only).

Revision ID: 0009_training
Revises: 0008_receipt_survey
Create Date: 2026-12-01

Written after Alembic autogenerate from nucmed.store.training, then reviewed. Every table is
append-only: a sign-off, a correction, a changed minimum or attendance mark is a new row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0009_training"
down_revision = "0008_receipt_survey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("outcomes", sa.String(length=100), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assessor_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["corrects_id"], ["training_assessments.id"]),
        sa.ForeignKeyConstraint(["resident_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_assessments_resident",
        "training_assessments",
        ["resident_id", "site_id"],
        unique=False,
    )
    op.create_table(
        "training_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title_kk", sa.String(length=300), nullable=False),
        sa.Column("title_ru", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("organiser_kk", sa.String(length=300), nullable=False),
        sa.Column("organiser_ru", sa.String(length=300), nullable=False),
        sa.Column("organiser_en", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "training_credits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("discipline_code", sa.String(length=64), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["corrects_id"], ["training_credits.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["resident_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_credits_resident",
        "training_credits",
        ["resident_id", "site_id"],
        unique=False,
    )
    op.create_table(
        "training_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("elective_code", sa.String(length=64), nullable=True),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["corrects_id"], ["training_enrolments.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["resident_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.ForeignKeyConstraint(["supervisor_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_enrolments_resident",
        "training_enrolments",
        ["resident_id", "site_id"],
        unique=False,
    )
    op.create_table(
        "training_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_requirements_site",
        "training_requirements",
        ["site_id", "programme_code"],
        unique=False,
    )
    op.create_table(
        "training_course_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["training_courses.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_course_participants_course_id",
        "training_course_participants",
        ["course_id"],
        unique=False,
    )
    op.create_table(
        "training_course_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("topic_kk", sa.String(length=300), nullable=False),
        sa.Column("topic_ru", sa.String(length=300), nullable=False),
        sa.Column("topic_en", sa.String(length=300), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["training_courses.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_course_sessions_course_id",
        "training_course_sessions",
        ["course_id"],
        unique=False,
    )
    op.create_table(
        "training_course_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["training_course_participants.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_course_attendance",
        "training_course_attendance",
        ["participant_id", "day"],
        unique=False,
    )
    op.create_table(
        "training_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("programme_code", sa.String(length=32), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("procedure_type", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("discipline_code", sa.String(length=64), nullable=False),
        sa.Column("outcomes", sa.String(length=100), nullable=False),
        sa.Column("paediatric", sa.Boolean(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=True),
        sa.Column("therapy_course_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["administration_id"], ["administrations.id"]),
        sa.ForeignKeyConstraint(["corrects_id"], ["training_cases.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["resident_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"]),
        sa.ForeignKeyConstraint(["therapy_course_id"], ["therapy_courses.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_cases_resident", "training_cases", ["resident_id", "site_id"], unique=False
    )
    op.create_table(
        "training_sign_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["training_cases.id"]),
        sa.ForeignKeyConstraint(["signed_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_sign_offs_case", "training_sign_offs", ["case_id"], unique=False)
    protect_append_only("training_assessments")
    protect_append_only("training_courses")
    protect_append_only("training_credits")
    protect_append_only("training_enrolments")
    protect_append_only("training_requirements")
    protect_append_only("training_course_participants")
    protect_append_only("training_course_sessions")
    protect_append_only("training_course_attendance")
    protect_append_only("training_cases")
    protect_append_only("training_sign_offs")


def downgrade() -> None:
    unprotect_append_only("training_sign_offs")
    unprotect_append_only("training_cases")
    unprotect_append_only("training_course_attendance")
    unprotect_append_only("training_course_sessions")
    unprotect_append_only("training_course_participants")
    unprotect_append_only("training_requirements")
    unprotect_append_only("training_enrolments")
    unprotect_append_only("training_credits")
    unprotect_append_only("training_courses")
    unprotect_append_only("training_assessments")
    op.drop_index("ix_training_sign_offs_case", table_name="training_sign_offs")
    op.drop_table("training_sign_offs")
    op.drop_index("ix_training_cases_resident", table_name="training_cases")
    op.drop_table("training_cases")
    op.drop_index("ix_training_course_attendance", table_name="training_course_attendance")
    op.drop_table("training_course_attendance")
    op.drop_index("ix_training_course_sessions_course_id", table_name="training_course_sessions")
    op.drop_table("training_course_sessions")
    op.drop_index(
        "ix_training_course_participants_course_id", table_name="training_course_participants"
    )
    op.drop_table("training_course_participants")
    op.drop_index("ix_training_requirements_site", table_name="training_requirements")
    op.drop_table("training_requirements")
    op.drop_index("ix_training_enrolments_resident", table_name="training_enrolments")
    op.drop_table("training_enrolments")
    op.drop_index("ix_training_credits_resident", table_name="training_credits")
    op.drop_table("training_credits")
    op.drop_table("training_courses")
    op.drop_index("ix_training_assessments_resident", table_name="training_assessments")
    op.drop_table("training_assessments")
