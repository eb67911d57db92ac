"""Idempotency keys: an API client that retries a create with the same ``Idempotency-Key``
gets the first answer again instead of a second record, whichever worker answers.

A request with a key first :func:`claim` s it (a row of
:class:`~nucmed.store.security.IdempotencyKey`, unique per person and key, marked pending);
the interface then runs the request and :func:`remember` s its answer (status and body), or
:func:`release` s the key when there is no answer to keep (a server error), so that the
retry runs. A retry with the same key and the same request (method, path and the SHA-256 of
the body) gets the stored answer; with another request it is refused. Keys are kept a day:
older ones are ignored and deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from nucmed.errors import N_, refusal
from nucmed.services.auth import Identity
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.security import IdempotencyKey

__all__ = [
    "ABANDONED",
    "KEEP",
    "MAX_KEY_LENGTH",
    "Answer",
    "KeyInUseError",
    "Keyed",
    "claim",
    "release",
    "remember",
]

KEEP = timedelta(days=1)
"""How long a key and its answer are kept."""
MAX_KEY_LENGTH = 200
"""The longest key accepted (the column's length)."""
PENDING = 0
"""The status of a claimed key whose answer is not stored yet."""
ABANDONED = timedelta(minutes=5)
"""A key pending this long is taken to be abandoned (its worker died): a retry runs again."""
_PATH_LENGTH = 500


class KeyInUseError(Exception):
    """Another request with the same key is being answered now (HTTP 409)."""


@dataclass(frozen=True, slots=True)
class Keyed:
    """A request that came with an ``Idempotency-Key``: the key, the method, the path and
    the raw body."""

    key: str
    method: str
    path: str
    body: bytes

    def digest(self) -> str:
        """The SHA-256 of the body, in hexadecimal."""
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """The stored answer to a key: its HTTP status and body (text)."""

    status_code: int
    body: str


def _checked(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise refusal(
            N_("an Idempotency-Key has 1 to {most} printable characters"), most=MAX_KEY_LENGTH
        )
    return key


def _row(store: Store, identity: Identity, key: str) -> IdempotencyKey | None:
    return store.session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == identity.user.id, IdempotencyKey.key == key
        )
    ).one_or_none()


def _replay(store: Store, row: IdempotencyKey, request: Keyed) -> Answer | None:
    same = (row.method, row.path, row.request_hash) == (
        request.method,
        request.path[:_PATH_LENGTH],
        request.digest(),
    )
    if not same:
        raise refusal(
            N_("this Idempotency-Key was used for another request: use a new key for each one")
        )
    if row.status_code != PENDING:
        return Answer(row.status_code, row.body)
    if store.now() - row.created_at < ABANDONED:
        raise KeyInUseError(request.key)
    row.created_at = store.now()  # taken over: the request runs again
    return None


def claim(database: Database, identity: Identity, request: Keyed) -> Answer | None:
    """The stored answer to the person's key, or None after claiming the key for this
    request (then the caller runs it and calls :func:`remember` or :func:`release`).

    Raises
    ------
    NucmedInputError
        The key is empty, longer than :data:`MAX_KEY_LENGTH` or not printable, or it was used
        for another request (another method, path or body) within the day.
    KeyInUseError
        Another request with this key is being answered now.
    """
    key = _checked(request.key)
    try:
        with transaction(database) as store:
            now = store.now()
            store.session.execute(
                delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEEP)
            )
            row = _row(store, identity, key)
            if row is not None:
                return _replay(store, row, request)
            store.session.add(
                IdempotencyKey(
                    user_id=identity.user.id,
                    key=key,
                    method=request.method,
                    path=request.path[:_PATH_LENGTH],
                    request_hash=request.digest(),
                    status_code=PENDING,
                    body="",
                    created_at=now,
                )
            )
            store.session.flush()
    except IntegrityError:
        raise KeyInUseError(key) from None  # claimed at the same moment by another request
    return None


def remember(database: Database, identity: Identity, key: str, answer: Answer) -> None:
    """Store the answer to a claimed key (nothing if the key is gone)."""
    with transaction(database) as store:
        row = _row(store, identity, key)
        if row is not None:
            row.status_code, row.body = answer.status_code, answer.body


def release(database: Database, identity: Identity, key: str) -> None:
    """Forget a claimed key that has no answer to keep, so that a retry runs again."""
    with transaction(database) as store:
        store.session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.user_id == identity.user.id,
                IdempotencyKey.key == key,
                IdempotencyKey.status_code == PENDING,
            )
        )
