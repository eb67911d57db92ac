"""People: accounts, roles at sites, preferences. Every change is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nucmed.errors import N_, refusal
from nucmed.services.audit import Event, record
from nucmed.services.auth import authenticate, hash_password
from nucmed.services.uow import Store
from nucmed.store.models import Membership, Site, User
from nucmed.vocabulary import Role

__all__ = [
    "ACTIVITY_UNITS",
    "LANGUAGES",
    "Grant",
    "NewUser",
    "change_password",
    "create_user",
    "grant_role",
    "set_preferences",
]

LANGUAGES = ("ru", "kk", "en")
"""Languages of the interface: Russian (the default), Kazakh, English."""

ACTIVITY_UNITS = ("MBq", "mCi")
"""How activities are shown to a user: MBq/GBq (default) or mCi."""


@dataclass(frozen=True, slots=True)
class NewUser:
    """What is needed to create an account."""

    username: str
    full_name: str
    password: str
    language: str | None = None
    activity_unit: str = "MBq"


def _check(new: NewUser) -> None:
    if not new.username.strip() or not new.username.replace(".", "").replace("_", "").isalnum():
        raise refusal(N_("a username is letters, digits, dots and underscores, e.g. a.seitkali"))
    if not new.full_name.strip():
        raise refusal(N_("give the person's full name"))
    if new.language is not None and new.language not in LANGUAGES:
        raise refusal(N_("language must be one of {allowed}"), allowed=", ".join(LANGUAGES))
    if new.activity_unit not in ACTIVITY_UNITS:
        raise refusal(
            N_("activity unit must be one of {allowed}"), allowed=", ".join(ACTIVITY_UNITS)
        )


def create_user(
    store: Store, actor: User | None, new: NewUser, roles: Iterable[tuple[Role, Site | None]]
) -> User:
    """Create an account with roles at sites, in the caller's transaction (audited)."""
    _check(new)
    if store.users.by_username(new.username.strip()) is not None:
        raise refusal(N_("the username '{username}' is taken"), username=new.username)
    user = store.users.add(
        User(
            username=new.username.strip(),
            full_name=new.full_name.strip(),
            password_hash=hash_password(new.password),
            language=new.language,
            activity_unit=new.activity_unit,
            is_active=True,
            created_at=store.now(),
            home_site_id=None,
        )
    )
    granted = []
    for role, site in roles:
        store.users.grant(
            Membership(user_id=user.id, site_id=site.id if site else None, role=role)
        )
        granted.append({"role": role.value, "site": site.code if site else None})
        if site is not None and user.home_site_id is None:
            user.home_site_id = site.id
    record(
        store,
        actor,
        Event(
            "user.create", "user", user.id, details={"username": user.username, "roles": granted}
        ),
    )
    return user


@dataclass(frozen=True, slots=True)
class Grant:
    """A role at a site (None: everywhere) and the reason for giving it."""

    role: Role
    site: Site | None
    reason: str


def grant_role(store: Store, actor: User, user: User, grant: Grant) -> Membership:
    """Give a user a role at a site (or everywhere); needs a reason (audited)."""
    role, site, reason = grant.role, grant.site, grant.reason
    if role in store.users.roles_at(user.id, site.id if site else None):
        raise refusal(
            N_("{username} already holds {role} there"), username=user.username, role=role.value
        )
    record(
        store,
        actor,
        Event(
            "membership.grant",
            "user",
            user.id,
            site_id=site.id if site else None,
            reason=reason,
            details={"role": role.value, "site": site.code if site else None},
        ),
    )
    return store.users.grant(
        Membership(user_id=user.id, site_id=site.id if site else None, role=role)
    )


def set_preferences(store: Store, user: User, language: str | None, activity_unit: str) -> None:
    """Change a user's language (None: follow the browser) and activity unit (audited)."""
    if language is not None and language not in LANGUAGES:
        raise refusal(N_("language must be one of {allowed}"), allowed=", ".join(LANGUAGES))
    if activity_unit not in ACTIVITY_UNITS:
        raise refusal(
            N_("activity unit must be one of {allowed}"), allowed=", ".join(ACTIVITY_UNITS)
        )
    before = {"language": user.language, "activity_unit": user.activity_unit}
    user.language = language
    user.activity_unit = activity_unit
    record(
        store,
        user,
        Event(
            "user.preferences",
            "user",
            user.id,
            details={"from": before, "to": {"language": language, "activity_unit": activity_unit}},
        ),
    )


def change_password(store: Store, user: User, current: str, new: str) -> None:
    """Replace a user's password after checking the current one (audited, no secrets logged).

    Raises
    ------
    nucmed.services.auth.AuthenticationError
        If the current password is wrong.
    NucmedInputError
        If the new password is shorter than ten characters or equals the current one.
    """
    authenticate(store, user.username, current)
    if new == current:
        raise refusal(N_("the new password must differ from the current one"))
    user.password_hash = hash_password(new)
    record(store, user, Event("user.password", "user", user.id))
