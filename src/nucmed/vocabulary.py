"""Closed vocabularies shared by every layer: what a person does (roles) and what a site is.

They are stored in the database (`nucmed.store`) and checked by the permission model
(`nucmed.services.permissions`); the interfaces read them from there."""

from __future__ import annotations

import enum

__all__ = ["Role", "SiteKind"]


class Role(enum.StrEnum):
    """What a person does; every endpoint states the roles it admits."""

    RADIOPHARMACIST = "radiopharmacist"
    """Radiopharmacist or nuclear medicine technologist (hot lab)."""
    PHYSICIAN = "physician"
    PHYSICIST = "physicist"
    """Medical physicist."""
    RSO = "rso"
    """Radiation safety officer."""
    RESIDENT = "resident"
    SUPERVISOR = "supervisor"
    """Supervisor of residents."""
    ORDER_DESK = "order_desk"
    """The producer's order desk."""
    ADMIN = "admin"
    """Administrator of the installation."""


class SiteKind(enum.StrEnum):
    """What a site is."""

    PRODUCER = "producer"
    """A radiopharmaceutical producer (reactor institute)."""
    DEPARTMENT = "department"
    """A hospital nuclear medicine department."""
