"""Imaging tables: camera calibration factors (sensitivity) per camera, nuclide and window.

No business rules here (see :mod:`nucmed.services.imaging`). The table is a record:
append-only; a correction is a new row pointing at the row it corrects (``corrects_id``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["CameraCalibration"]


class CameraCalibration(Base):
    """A camera's sensitivity for one nuclide and energy window, from a phantom acquisition
    (MIRD Pamphlet No. 26): the phantom's activity at a reference time, the acquisition's
    start, duration and counts, and the sensitivity computed from them."""

    __tablename__ = "camera_calibrations"
    __table_args__ = (
        Index("ix_camera_calibrations", "site_id", "camera", "nuclide", "acquired_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    camera: Mapped[str] = mapped_column(String(64))
    nuclide: Mapped[str] = mapped_column(String(16))
    energy_window: Mapped[str] = mapped_column(String(64))
    phantom_activity_bq: Mapped[float] = mapped_column(Float)
    activity_reference_at: Mapped[datetime]
    acquired_at: Mapped[datetime]
    acquisition_duration_s: Mapped[float] = mapped_column(Float)
    counts: Mapped[float] = mapped_column(Float)
    sensitivity_cps_per_bq: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("camera_calibrations.id"))
    reason: Mapped[str | None] = mapped_column(Text)
