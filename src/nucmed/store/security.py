"""Tables that guard the doors: sign-in attempts and their unlocks (append-only), and the
idempotency keys that let an API client retry a create without doing it twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["IdempotencyKey", "SignInAttempt", "SignInUnlock"]


class SignInAttempt(Base):
    """One sign-in attempt, by the username typed and the client's address; append-only.

    Failures since the last success or unlock decide the delay and the lockout (kept here, so
    that every worker process sees them).
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_username", "username", "at"),
        Index("ix_sign_in_attempts_address", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    username: Mapped[str] = mapped_column(
        String(64)
    )  # as typed (cut to 64), not necessarily a user
    address: Mapped[str] = mapped_column(String(64))  # the client's IP address
    succeeded: Mapped[bool] = mapped_column(Boolean)


class SignInUnlock(Base):
    """An administrator lifts the lockout of an account (or an address); append-only."""

    __tablename__ = "sign_in_unlocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    username: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    unlocked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)


class IdempotencyKey(Base):
    """What an API create answered to a client's ``Idempotency-Key``: a retry with the same
    key (and the same request) gets the same answer instead of a second record. Kept a day."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request body
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
