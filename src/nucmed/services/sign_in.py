"""Sign-in with limits: every attempt recorded and audited, a growing delay after a few
failures and a lockout after many, per account and per client address.

The attempts are rows of the database (:class:`~nucmed.store.security.SignInAttempt`), so
every worker process sees the same counts; "now" is the installation's clock. The failures
that count are those since the last success or the last unlock (by an administrator,
:class:`~nucmed.store.security.SignInUnlock`) of the same account or address. After
:attr:`Limits.free_failures` failures an attempt is refused (never slept on) until
``last failure + base_delay * 2 ** (failures - free_failures)`` (at most
:attr:`Limits.max_delay_s`); after :attr:`Limits.lockout_failures` failures it is refused
until an administrator lifts the lockout. A refused attempt checks no password and does not
count as a failure; it is audited (``sign_in.refuse``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import (
    AuthenticationError,
    Identity,
    TokenKind,
    actor,
    authenticate,
    issue_token,
)
from nucmed.services.permissions import PERMISSIONS, AccessDeniedError, Permission
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.models import User
from nucmed.store.security import SignInAttempt, SignInUnlock

__all__ = [
    "LIMITS",
    "Credentials",
    "Limits",
    "Lockout",
    "SignInRefusedError",
    "attempt",
    "current_lockouts",
    "lift_lockout",
    "lockouts",
]

KEY_LENGTH = 64
"""Usernames and addresses are kept cut to their column's length."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How many failures are free, the delay after them, and when the lockout comes."""

    free_failures: int = 5
    base_delay_s: float = 1.0
    max_delay_s: float = 900.0
    lockout_failures: int = 20


LIMITS = Limits()
"""The installation's limits: 5 free failures, then 1 s doubling (at most 15 min), locked at
20."""


class SignInRefusedError(Exception):
    """Too many failed sign-ins: refused until ``retry_at`` (None: until an administrator
    lifts the lockout). No password was checked."""

    def __init__(self, retry_at: datetime | None, now: datetime) -> None:
        self.retry_at = retry_at
        self.retry_after_s = 0 if retry_at is None else max(1, _ceil_s(retry_at - now))
        when = "an administrator lifts the lockout" if retry_at is None else retry_at.isoformat()
        super().__init__(f"too many failed sign-ins: refused until {when}")


def _ceil_s(delta: timedelta) -> int:
    return -int(-delta.total_seconds() // 1)


@dataclass(frozen=True, slots=True)
class Lockout:
    """A locked account (``username``) or client address (``address``), with its failures
    since the last success or unlock and the last of them (UTC)."""

    username: str | None
    address: str | None
    failures: int
    last_failure: datetime


@dataclass(frozen=True, slots=True)
class _Failures:
    count: int
    last: datetime | None


def _since_reset(store: Store, username: str | None, address: str | None) -> _Failures:
    """Failures of one account (``username``) or one address since its last success or
    unlock."""
    if username is not None:
        attempts, unlocks = SignInAttempt.username == username, SignInUnlock.username == username
    else:
        attempts, unlocks = SignInAttempt.address == address, SignInUnlock.address == address
    success = store.session.scalar(
        select(func.max(SignInAttempt.at)).where(attempts, SignInAttempt.succeeded)
    )
    unlock = store.session.scalar(select(func.max(SignInUnlock.at)).where(unlocks))
    resets = [moment for moment in (success, unlock) if moment is not None]
    query = select(func.count(), func.max(SignInAttempt.at)).where(
        attempts, SignInAttempt.succeeded.is_(False)
    )
    if resets:
        query = query.where(SignInAttempt.at > max(resets))
    count, last = store.session.execute(query).one()
    return _Failures(int(count), last)


def _until(failures: _Failures, limits: Limits) -> datetime | None:
    """When the next attempt may come after ``free_failures`` or more failures (None: not
    before an unlock)."""
    if failures.count >= limits.lockout_failures or failures.last is None:
        return None
    delay = limits.base_delay_s * 2.0 ** (failures.count - limits.free_failures)
    return failures.last + timedelta(seconds=min(delay, limits.max_delay_s))


def _check(store: Store, username: str, address: str, limits: Limits) -> None:
    """Refuse when the account or the address is locked or still waiting.

    Raises
    ------
    SignInRefusedError
        With the moment the next attempt may come.
    """
    now = store.now()
    for failures in (_since_reset(store, username, None), _since_reset(store, None, address)):
        if failures.count < limits.free_failures:
            continue
        until = _until(failures, limits)
        if until is None or until > now:
            raise SignInRefusedError(until, now)


def _note(store: Store, username: str, address: str, user: User | None, *, ok: bool) -> None:
    store.session.add(
        SignInAttempt(at=store.now(), username=username, address=address, succeeded=ok)
    )
    action = "sign_in.succeed" if ok else "sign_in.fail"
    subject = user.id if user is not None else username
    details = {"username": username, "address": address}
    record(store, user if ok else None, Event(action, "user", subject, details=details))


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a person typed to sign in, and the client address it came from."""

    username: str
    password: str
    address: str


def attempt(
    database: Database,
    given: Credentials,
    kind: TokenKind,
    lifetime_h: float,
    limits: Limits = LIMITS,
) -> str:
    """Sign in: check the limits, then the password; record the attempt and audit it (never
    the password); open a session or API token and return its secret.

    One write-locked transaction, so that concurrent attempts are counted one after another.

    Raises
    ------
    SignInRefusedError
        Too many failures of the account or the address (no password checked).
    nucmed.services.auth.AuthenticationError
        No such active user, or a wrong password (recorded as a failure).
    """
    name, place = given.username.strip()[:KEY_LENGTH], given.address[:KEY_LENGTH]
    failed: Exception | None = None
    with transaction(database, write_lock=True) as store:
        _lock_account(store, name)
        try:
            _check(store, name, place, limits)
            user = authenticate(store, given.username, given.password)
        except SignInRefusedError as refused:
            details = {"username": name, "address": place, "retry_after_s": refused.retry_after_s}
            record(store, None, Event("sign_in.refuse", "user", name, details=details))
            failed = refused
        except AuthenticationError as wrong:
            _note(store, name, place, store.users.by_username(name), ok=False)
            failed = wrong
        else:
            _note(store, name, place, user, ok=True)
            return issue_token(store, user, kind, lifetime_h)
    assert failed is not None
    raise failed


def _lock_account(store: Store, username: str) -> None:
    """On PostgreSQL, hold the account's row until the end of the attempt, so that parallel
    attempts on one account are counted one after another (SQLite: the write lock does it)."""
    if store.session.get_bind().dialect.name == "postgresql":
        store.session.execute(select(User.id).where(User.username == username).with_for_update())


def _candidates(store: Store, column: InstrumentedAttribute[str], limits: Limits) -> list[str]:
    found = store.session.scalars(
        select(column)
        .where(SignInAttempt.succeeded.is_(False))
        .group_by(column)
        .having(func.count() >= limits.lockout_failures)
    )
    return list(found)


def current_lockouts(store: Store, limits: Limits = LIMITS) -> tuple[Lockout, ...]:
    """The accounts and addresses locked now, in the caller's transaction."""
    found = []
    for username in _candidates(store, SignInAttempt.username, limits):
        failures = _since_reset(store, username, None)
        if failures.count >= limits.lockout_failures and failures.last is not None:
            found.append(Lockout(username, None, failures.count, failures.last))
    for address in _candidates(store, SignInAttempt.address, limits):
        failures = _since_reset(store, None, address)
        if failures.count >= limits.lockout_failures and failures.last is not None:
            found.append(Lockout(None, address, failures.count, failures.last))
    return tuple(found)


def _administrator(store: Store, identity: Identity) -> User:
    held = {m.role for m in store.users.memberships(identity.user.id)}
    if not held & PERMISSIONS[Permission.USERS_ADMIN]:
        raise AccessDeniedError(N_("your role at this site does not allow this"))
    return actor(store, identity)


def lockouts(
    database: Database, identity: Identity, limits: Limits = LIMITS
) -> tuple[Lockout, ...]:
    """The accounts and addresses locked now (:data:`Permission.USERS_ADMIN`).

    Raises
    ------
    AccessDeniedError
        The person may not administer accounts.
    """
    with transaction(database, read_only=True) as store:
        _administrator(store, identity)
        return current_lockouts(store, limits)


def lift_lockout(
    database: Database,
    identity: Identity,
    username: str | None,
    address: str | None,
    reason: str,
) -> None:
    """Lift the lockout of an account or a client address (:data:`Permission.USERS_ADMIN`),
    with a reason; audited (``sign_in.unlock``). Its failures no longer count.

    Raises
    ------
    AccessDeniedError
        The person may not administer accounts.
    NucmedInputError
        Neither or both of account and address, or no reason.
    """
    name = (username or "").strip()[:KEY_LENGTH] or None
    place = (address or "").strip()[:KEY_LENGTH] or None
    if (name is None) == (place is None):
        raise refusal(N_("name either an account or a client address to unlock"))
    why = reason.strip()
    if not why:
        raise refusal(N_("say why the lockout is lifted"))
    with transaction(database) as store:
        admin = _administrator(store, identity)
        store.session.add(
            SignInUnlock(
                at=store.now(), username=name, address=place, unlocked_by_id=admin.id, reason=why
            )
        )
        details = {"username": name, "address": place}
        record(
            store,
            admin,
            Event("sign_in.unlock", "user", name or place or "", reason=why, details=details),
        )
