"""The whole schema: importing this module registers every table on ``metadata``."""

from __future__ import annotations

from nucmed.store import (
    hotlab,
    imaging,
    imaging_maps,
    models,
    network,
    safety,
    security,
    supply,
    therapy,
    training,
)

__all__ = ["metadata"]

metadata = models.Base.metadata
_TABLE_MODULES = (
    models,
    hotlab,
    therapy,
    security,
    network,
    training,
    safety,
    imaging,
    imaging_maps,
    supply,
)
