"""Sign-in, web sessions, API tokens and the first administrator.

Passwords are hashed with Argon2id (argon2-cffi defaults, RFC 9106). Session and token secrets
are random (``secrets``); only their SHA-256 is stored, so a copy of the database does not let
anyone sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from nucmed.errors import N_, NucmedInputError, refusal
from nucmed.services.audit import Event, record
from nucmed.services.uow import Database, Store, transaction
from nucmed.store.db import SessionFactory
from nucmed.store.models import AuthToken, Membership, User
from nucmed.vocabulary import Role

__all__ = [
    "AuthenticationError",
    "Credential",
    "Identity",
    "Person",
    "TokenKind",
    "actor",
    "authenticate",
    "ensure_first_admin",
    "generate_password",
    "hash_password",
    "identify",
    "issue_token",
    "resolve_token",
    "revoke_token",
]

TokenKind = Literal["session", "api"]
MIN_PASSWORD_LENGTH = 10


class AuthenticationError(NucmedInputError):
    """Wrong username or password (which of the two is not said)."""


@dataclass(frozen=True, slots=True)
class Person:
    """The signed-in person as the interfaces see them (no database row)."""

    id: int
    username: str
    full_name: str
    language: str | None
    activity_unit: str


@dataclass(frozen=True, slots=True)
class Credential:
    """The session or API token a person came with (its secret is never kept)."""

    id: int
    kind: TokenKind
    csrf_token: str | None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is signed in, through which token, and the roles they hold anywhere."""

    user: Person
    token: Credential
    roles: frozenset[Role]


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Argon2id hash of a password of at least ten characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise refusal(
            N_("a password needs at least {count} characters"), count=MIN_PASSWORD_LENGTH
        )
    return _hasher().hash(password)


def generate_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def authenticate(store: Store, username: str, password: str) -> User:
    """The active user with that username and password.

    Raises
    ------
    AuthenticationError
        If there is no such active user or the password does not match.
    """
    user = store.users.by_username(username.strip())
    if user is None or not user.is_active:
        _hasher().hash(password)  # spend the same time as a real check
        raise AuthenticationError(parts=((N_("wrong username or password"), {}),))
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationError(parts=((N_("wrong username or password"), {}),)) from None
    return user


def issue_token(store: Store, user: User, kind: TokenKind, lifetime_h: float) -> str:
    """Create a session or API token for ``user``; return its secret (shown once)."""
    secret = secrets.token_urlsafe(32)
    now = store.now()
    store.tokens.add(
        AuthToken(
            user_id=user.id,
            kind=kind,
            token_hash=_digest(secret),
            csrf_token=secrets.token_urlsafe(24) if kind == "session" else None,
            created_at=now,
            expires_at=now + timedelta(hours=lifetime_h),
        )
    )
    record(store, user, Event(f"{kind}.open", "user", user.id))
    return secret


def resolve_token(store: Store, secret: str, kind: TokenKind) -> Identity | None:
    """The identity behind a live token of that kind, or None."""
    found = store.tokens.live_with_holder(_digest(secret), store.now())
    if found is None:
        return None
    token, user, roles = found
    if token.kind != kind or not user.is_active:
        return None
    person = Person(user.id, user.username, user.full_name, user.language, user.activity_unit)
    credential = Credential(token.id, token.kind, token.csrf_token)
    return Identity(user=person, token=credential, roles=roles)


def identify(database: Database, bearer: str | None, cookie: str | None) -> Identity | None:
    """Who presents these credentials: a bearer API token first, else a session cookie's
    token; None when neither is live (one transaction)."""
    with transaction(database, read_only=True) as store:
        if bearer is not None:
            return resolve_token(store, bearer, "api")
        if cookie:
            return resolve_token(store, cookie, "session")
    return None


def actor(store: Store, identity: Identity) -> User:
    """The signed-in person as a record of this transaction (who an audit entry names).

    Raises
    ------
    AuthenticationError
        If the account is gone (deleted after the identity was read).
    """
    user = store.users.by_id(identity.user.id)
    if user is None:
        raise AuthenticationError(parts=((N_("wrong username or password"), {}),))
    return user


def revoke_token(store: Store, identity: Identity) -> None:
    """End the identity's session or token now (audited); nothing if it has ended already."""
    token = store.session.get(AuthToken, identity.token.id)
    if token is None or token.revoked_at is not None:
        return
    token.revoked_at = store.now()
    person = actor(store, identity)
    record(store, person, Event(f"{identity.token.kind}.close", "user", person.id))


def ensure_first_admin(database: Database | SessionFactory, username: str = "admin") -> str | None:
    """Create the first administrator if there is no user yet; return the new password.

    The password is generated here and returned once, to be printed once; only its hash is
    stored. Returns None when users already exist.
    """
    with transaction(database) as store:
        if store.users.count() > 0:
            return None
        password = generate_password()
        admin = store.users.add(
            User(
                username=username,
                full_name="Administrator",
                password_hash=hash_password(password),
                language=None,
                activity_unit="MBq",
                is_active=True,
                created_at=store.now(),
            )
        )
        store.users.grant(Membership(user_id=admin.id, site_id=None, role=Role.ADMIN))
        record(
            store,
            None,
            Event(
                "user.create",
                "user",
                admin.id,
                details={"username": username, "roles": [Role.ADMIN.value], "first": True},
            ),
        )
        return password
