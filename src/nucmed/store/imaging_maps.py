"""Stored absorbed-dose maps: one row per uploaded map, the voxels in a NIfTI file.

No business rules here (see :mod:`nucmed.services.imaging_maps`). The voxel data live under the
installation's data folder as ``dose-maps/<sha256>.nii.gz`` (with the optional mask and activity
map); the row keeps each file's name and SHA-256 (checked on every read), the grid and the
maximum dose. A map is a record: append-only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from nucmed.store.models import Base

__all__ = ["DoseMap"]


class DoseMap(Base):
    """An absorbed-dose map (Gy per voxel) uploaded for a patient or a therapy course.

    ``patient_reference`` is the patient's local id or the course reference as typed; the
    voxel size is in m; ``mask_file``/``mask_sha256`` name an optional label map on the same
    grid (0 outside, 1, 2, ... per volume of interest); ``activity_file``/``activity_sha256``
    an optional activity-concentration map on the same grid (the first time point of the
    study), whose largest value is ``max_activity_bq_per_m3``.
    """

    __tablename__ = "dose_maps"
    __table_args__ = (Index("ix_dose_maps_site", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    patient_reference: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    shape_i: Mapped[int] = mapped_column(Integer)
    shape_j: Mapped[int] = mapped_column(Integer)
    shape_k: Mapped[int] = mapped_column(Integer)
    voxel_i_m: Mapped[float] = mapped_column(Float)
    voxel_j_m: Mapped[float] = mapped_column(Float)
    voxel_k_m: Mapped[float] = mapped_column(Float)
    max_dose_gy: Mapped[float] = mapped_column(Float)
    mask_file: Mapped[str | None] = mapped_column(String(128))
    mask_sha256: Mapped[str | None] = mapped_column(String(64))
    activity_file: Mapped[str | None] = mapped_column(String(128))
    activity_sha256: Mapped[str | None] = mapped_column(String(64))
    max_activity_bq_per_m3: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
