"""Database tables (SQLAlchemy 2 declarative models). No business rules here.

Times are stored as timezone-aware UTC (:class:`UTCDateTime`); on SQLite, which has no time
zones, they are written as UTC and read back with the UTC zone attached.

Append-only tables (``audit_entries``, ``site_settings``) are protected by database triggers
made in the migrations: an UPDATE or DELETE on them fails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from nucmed.vocabulary import Role, SiteKind

__all__ = [
    "AuditEntry",
    "AuthToken",
    "Base",
    "Membership",
    "PatientCorrection",
    "Site",
    "SiteSetting",
    "UTCDateTime",
    "User",
]


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC; naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; use UTC")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(kind: type[Role] | type[SiteKind], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=32,
        create_constraint=True,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime()}  # noqa: RUF012


class Site(Base):
    """A producer or a nuclear medicine department, with its own time zone and country."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SiteKind] = mapped_column(_enum(SiteKind, "site_kind"))
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2 (KZ, KG)
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Asia/Almaty
    created_at: Mapped[datetime]
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Postal address as printed on leaflets and documents ('' until an administrator sets it)."""
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """Telephone for patients and carriers, as printed ('' until set)."""
    names: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    """The site's name and city in other languages: ``{"ru": {"name": ..., "city": ...}}``
    (``{}``: ``name`` and ``city`` in every language)."""


class SiteSetting(Base):
    """One value of a site setting (regulatory limit, reference level, ...); append-only.

    A change is a new row that supersedes the previous one; the current value of a key is the
    newest row. Each row keeps the source of the value and who set it, when and why.
    """

    __tablename__ = "site_settings"
    __table_args__ = (Index("ix_site_settings_site_key", "site_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("site_settings.id"))


class User(Base):
    """A person who signs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))  # ru, kk, en; None: the browser's
    activity_unit: Mapped[str] = mapped_column(String(8), default="MBq")  # MBq or mCi
    home_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Membership(Base):
    """A role a user holds at a site (site ``None``: everywhere, for administrators)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "site_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))


class AuthToken(Base):
    """A web session or an API bearer token; only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "session" or "api"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One entry of the audit trail: who did what to which record, when and why; append-only.

    A correction is a new entry whose ``corrects_id`` points to the entry it corrects.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[Any] = mapped_column(JSON)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entries.id"))


# --------------------------------------------------------------------------- patient identity


class PatientCorrection(Base):
    """A correction of a patient's identity (name, birth date, sex): the identity before and
    after, who made it, when and why; append-only. The patient's row shows the newest."""

    __tablename__ = "patient_corrections"
    __table_args__ = (Index("ix_patient_corrections_patient", "patient_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    corrected_at: Mapped[datetime]
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    previous_name: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    previous_birth_date: Mapped[date | None] = mapped_column(Date)
    birth_date: Mapped[date | None] = mapped_column(Date)
    previous_sex: Mapped[str | None] = mapped_column(String(1))
    sex: Mapped[str | None] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
