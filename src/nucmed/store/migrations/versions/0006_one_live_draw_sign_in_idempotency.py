"""One live draw per dose request (attempts and discards), sign-in attempts and unlocks,
idempotency keys of API creates.

Revision ID: 0006_reliability
Revises: 0005_therapy_cycles
Create Date: 2026-12-01

Written after Alembic autogenerate from nucmed.store.hotlab and nucmed.store.security, then
reviewed. Draws already stored get their attempt numbers in the order they were drawn (a request
drawn twice by the race this revision closes keeps both syringes on record, as attempts 1 and
2), so that the unique index can be made; the append-only trigger of ``draws`` is lifted for that
one statement and made again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nucmed.store.migrate import protect_append_only, unprotect_append_only
from nucmed.store.models import UTCDateTime

revision = "0006_reliability"
down_revision = "0005_therapy_cycles"
branch_labels = None
depends_on = None

_NUMBER_EARLIER_ATTEMPTS = """
UPDATE draws SET attempt = (
    SELECT COUNT(*) FROM draws AS earlier
    WHERE earlier.request_id = draws.request_id AND earlier.id <= draws.id
)
"""


def upgrade() -> None:
    op.add_column("draws", sa.Column("attempt", sa.Integer(), server_default="1", nullable=False))
    unprotect_append_only("draws")
    op.execute(_NUMBER_EARLIER_ATTEMPTS)
    protect_append_only("draws")
    op.create_index("uq_draws_request_attempt", "draws", ["request_id", "attempt"], unique=True)
    op.create_table(
        "draw_discards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("discarded_at", UTCDateTime(), nullable=False),
        sa.Column("discarded_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["discarded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["draw_id"], ["draws.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draw_id"),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_attempts_username", "sign_in_attempts", ["username", "at"])
    op.create_index("ix_sign_in_attempts_address", "sign_in_attempts", ["address", "at"])
    op.create_table(
        "sign_in_unlocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("unlocked_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["unlocked_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
    )
    for table in ("draw_discards", "sign_in_attempts", "sign_in_unlocks"):
        protect_append_only(table)


def downgrade() -> None:
    for table in ("sign_in_unlocks", "sign_in_attempts", "draw_discards"):
        unprotect_append_only(table)
    op.drop_table("idempotency_keys")
    op.drop_table("sign_in_unlocks")
    op.drop_index("ix_sign_in_attempts_address", table_name="sign_in_attempts")
    op.drop_index("ix_sign_in_attempts_username", table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
    op.drop_table("draw_discards")
    op.drop_index("uq_draws_request_attempt", table_name="draws")
    unprotect_append_only("draws")
    with op.batch_alter_table("draws") as batch_op:
        batch_op.drop_column("attempt")
    protect_append_only("draws")
