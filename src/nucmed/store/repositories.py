"""Repositories: add and read rows. They never commit; the service owns the transaction.

The reads that nearly every request makes (the holder of a token, a site by its code, a
site's settings, a person's roles at a site) are statements built once per process with
bound parameters (``functools.cache``): building a statement and its cache key anew cost
about as much as running it on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from nucmed.store.models import AuditEntry, AuthToken, Membership, Site, SiteSetting, User
from nucmed.vocabulary import Role

__all__ = [
    "AuditRepository",
    "SiteRepository",
    "TokenRepository",
    "UserRepository",
]


_Query = Select[*tuple[Any, ...]]
"""A select of any columns."""


@cache
def _site_by_code() -> _Query:
    return select(Site).where(Site.code == bindparam("code"))


@cache
def _setting_values() -> _Query:
    newest = (
        select(func.max(SiteSetting.id))
        .where(SiteSetting.site_id == bindparam("site_id"))
        .group_by(SiteSetting.key)
    )
    return select(SiteSetting.key, SiteSetting.value).where(SiteSetting.id.in_(newest))


@cache
def _roles_at() -> _Query:
    return select(Membership.role).where(
        Membership.user_id == bindparam("user_id"),
        (Membership.site_id == bindparam("site_id")) | Membership.site_id.is_(None),
    )


@cache
def _token_holder() -> _Query:
    return (
        select(AuthToken, User, Membership.role)
        .join(User, User.id == AuthToken.user_id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .where(
            AuthToken.token_hash == bindparam("token_hash"),
            AuthToken.revoked_at.is_(None),
            AuthToken.expires_at > bindparam("now"),
        )
    )


class SiteRepository:
    """Sites and their append-only settings.

    A site found by its code and a site's setting values are read once per transaction (a
    use case asks for them in several of its checks); a setting added through
    :meth:`add_setting` is read anew.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_code: dict[str, Site] = {}
        self._values: dict[int, dict[str, Any]] = {}

    def add(self, site: Site) -> Site:
        self._session.add(site)
        self._session.flush()
        return site

    def by_code(self, code: str) -> Site | None:
        if code not in self._by_code:
            found = self._session.scalars(_site_by_code(), {"code": code}).one_or_none()
            if found is None:
                return None
            self._by_code[code] = found
        return self._by_code[code]

    def by_id(self, site_id: int) -> Site | None:
        found = self._session.get(Site, site_id)
        if found is not None:  # a site found by its id is then found by its code unread
            self._by_code.setdefault(found.code, found)
        return found

    def all(self) -> Sequence[Site]:
        return self._session.scalars(select(Site).order_by(Site.kind.desc(), Site.name)).all()

    def add_setting(self, setting: SiteSetting) -> SiteSetting:
        self._session.add(setting)
        self._session.flush()
        self._values.pop(setting.site_id, None)
        return setting

    def current_settings(self, site_id: int) -> dict[str, SiteSetting]:
        """The newest value of every setting of a site, by key."""
        newest = (
            select(func.max(SiteSetting.id))
            .where(SiteSetting.site_id == site_id)
            .group_by(SiteSetting.key)
        )
        rows = self._session.scalars(
            select(SiteSetting).where(SiteSetting.id.in_(newest)).order_by(SiteSetting.key)
        )
        return {row.key: row for row in rows}

    def current_values(self, site_id: int) -> dict[str, Any]:
        """The newest value of every setting of a site, by key (the values only: no rows are
        built, for the use cases that read the settings on every request)."""
        if site_id not in self._values:
            rows = self._session.execute(_setting_values(), {"site_id": site_id})
            self._values[site_id] = {str(k): v for k, v in rows}
        return dict(self._values[site_id])

    def setting_history(self, site_id: int, key: str) -> Sequence[SiteSetting]:
        return self._session.scalars(
            select(SiteSetting)
            .where(SiteSetting.site_id == site_id, SiteSetting.key == key)
            .order_by(SiteSetting.id.desc())
        ).all()


class UserRepository:
    """Users and the roles they hold at sites.

    The roles a user holds at a site are read once per transaction (every permission check
    asks); a role granted through :meth:`grant` is read anew.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._roles: dict[tuple[int, int | None], frozenset[Role]] = {}

    def add(self, user: User) -> User:
        self._session.add(user)
        self._session.flush()
        return user

    def by_username(self, username: str) -> User | None:
        return self._session.scalars(select(User).where(User.username == username)).one_or_none()

    def by_id(self, user_id: int) -> User | None:
        return self._session.get(User, user_id)

    def all(self) -> Sequence[User]:
        return self._session.scalars(select(User).order_by(User.username)).all()

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(User)) or 0

    def grant(self, membership: Membership) -> Membership:
        self._session.add(membership)
        self._session.flush()
        self._roles.clear()
        return membership

    def memberships(self, user_id: int) -> Sequence[Membership]:
        return self._session.scalars(
            select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)
        ).all()

    def roles_at(self, user_id: int, site_id: int | None) -> set[Role]:
        """Roles held at the site, plus those held everywhere (site None)."""
        key = (user_id, site_id)
        if key not in self._roles:
            rows = self._session.scalars(_roles_at(), {"user_id": user_id, "site_id": site_id})
            self._roles[key] = frozenset(rows)
        return set(self._roles[key])


class TokenRepository:
    """Web sessions and API tokens (hashes only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token: AuthToken) -> AuthToken:
        self._session.add(token)
        self._session.flush()
        return token

    def live_with_holder(
        self, token_hash: str, now: datetime
    ) -> tuple[AuthToken, User, frozenset[Role]] | None:
        """The live token of that hash, its user and the roles the user holds anywhere (one
        query, a row per role: what every signed-in request reads first)."""
        rows = self._session.execute(_token_holder(), {"token_hash": token_hash, "now": now}).all()
        if not rows:
            return None
        token, user, _ = rows[0]
        return token, user, frozenset(role for _, _, role in rows if role is not None)


class AuditRepository:
    """The append-only audit trail."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entry: AuditEntry) -> AuditEntry:
        self._session.add(entry)
        self._session.flush()
        return entry

    def by_id(self, entry_id: int) -> AuditEntry | None:
        return self._session.get(AuditEntry, entry_id)

    def trail(self, entity: str, entity_id: str) -> Sequence[AuditEntry]:
        """Every entry about one record, oldest first."""
        return self._session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        ).all()

    def recent(self, limit: int = 50) -> Sequence[AuditEntry]:
        return self._session.scalars(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        ).all()
