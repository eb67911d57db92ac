"""A person's own account as the interfaces use it: sign in and out, their roles, their
preferences and password. Each function is one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from nucmed.services import users
from nucmed.services.auth import Identity, TokenKind, actor, revoke_token
from nucmed.services.sign_in import Credentials, attempt
from nucmed.services.uow import Database, Store, transaction

__all__ = [
    "AccountView",
    "RoleAt",
    "change_my_password",
    "my_account",
    "roles_of",
    "save_preferences",
    "sign_in",
    "sign_out",
]


def sign_in(
    database: Database, username: str, password: str, kind: TokenKind, lifetime_h: float
) -> str:
    """Check the password and open a web session or an API token that lasts ``lifetime_h``
    hours from now (the installation's clock); its secret, shown once. The attempt counts
    against the limits of :mod:`nucmed.services.sign_in` from the address ``local`` (the
    interfaces that know the client's address call :func:`nucmed.services.sign_in.attempt`).

    Raises
    ------
    nucmed.services.sign_in.SignInRefusedError
        Too many failed attempts on the account.
    nucmed.services.auth.AuthenticationError
        No such active user, or a wrong password (which of the two is not said).
    """
    return attempt(database, Credentials(username, password, "local"), kind, lifetime_h)


def sign_out(database: Database, identity: Identity) -> None:
    """End the session or token the person came with (audited)."""
    with transaction(database) as store:
        revoke_token(store, identity)


@dataclass(frozen=True, slots=True)
class RoleAt:
    """A role (its value, e.g. ``physicist``) at a site (its code; None: everywhere)."""

    role: str
    site: str | None


@dataclass(frozen=True, slots=True)
class AccountView:
    """Who a person is, how they like things shown, and their roles at each site."""

    username: str
    full_name: str
    language: str | None
    """None: follow the browser."""
    activity_unit: str
    roles: tuple[RoleAt, ...]


def roles_of(store: Store, user_id: int) -> tuple[RoleAt, ...]:
    """A user's roles with the codes of their sites."""
    codes = {site.id: site.code for site in store.sites.all()}
    return tuple(
        RoleAt(m.role.value, codes.get(m.site_id) if m.site_id else None)
        for m in store.users.memberships(user_id)
    )


def _account(store: Store, identity: Identity) -> AccountView:
    user = actor(store, identity)
    return AccountView(
        user.username, user.full_name, user.language, user.activity_unit, roles_of(store, user.id)
    )


def my_account(database: Database, identity: Identity) -> AccountView:
    """The signed-in person's account and roles."""
    with transaction(database, read_only=True) as store:
        return _account(store, identity)


def save_preferences(
    database: Database, identity: Identity, language: str | None, activity_unit: str
) -> AccountView:
    """Set one's language (None: follow the browser) and activity unit (audited).

    Raises
    ------
    NucmedInputError
        A language or unit nucmed does not offer.
    """
    with transaction(database) as store:
        users.set_preferences(store, actor(store, identity), language, activity_unit)
        return _account(store, identity)


def change_my_password(database: Database, identity: Identity, current: str, new: str) -> None:
    """Replace one's password after checking the current one (audited, no secret logged).

    Raises
    ------
    nucmed.services.auth.AuthenticationError
        The current password is wrong.
    NucmedInputError
        The new one is shorter than ten characters or the same as the current one.
    """
    with transaction(database) as store:
        users.change_password(store, actor(store, identity), current, new)
