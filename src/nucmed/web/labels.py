"""Names shown for stored codes (roles, setting keys), marked for translation.

The codes themselves never change; what people read is the translation of the code in their
language (the English catalogue gives the English wording). A test checks that every role and
every default setting has its label here.
"""

from __future__ import annotations

__all__ = [
    "CONTACT_GROUP_LABELS",
    "I131_CONDITION_LABELS",
    "MATERIAL_KIND_LABELS",
    "N_",
    "ORGAN_LABELS",
    "QC_TEST_LABELS",
    "ROLE_LABELS",
    "ROUTE_LABELS",
    "SETTING_LABELS",
    "TAC_MODEL_LABELS",
    "UNIT_LABELS",
]


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated when shown (templates call ``_``)."""
    return message


ROLE_LABELS = (
    N_("radiopharmacist"),
    N_("physician"),
    N_("physicist"),
    N_("rso"),
    N_("resident"),
    N_("supervisor"),
    N_("order_desk"),
    N_("admin"),
)

SETTING_LABELS = (
    N_("worker_effective_dose_limit_msv_per_y"),
    N_("worker_effective_dose_single_year_max_msv"),
    N_("worker_lens_dose_limit_msv_per_y"),
    N_("worker_skin_dose_limit_msv_per_y"),
    N_("worker_extremity_dose_limit_msv_per_y"),
    N_("public_effective_dose_limit_msv_per_y"),
    N_("pregnant_worker_embryo_dose_msv"),
    N_("mo99_breakthrough_limit_kbq_per_mbq"),
    N_("eluate_aluminium_limit_ug_per_ml"),
    N_("eluate_expiry_h"),
    N_("dispensing_tolerance_percent"),
    N_("receipt_surface_dose_rate_limit_usv_per_h"),
    N_("receipt_one_metre_dose_rate_limit_usv_per_h"),
    N_("receipt_wipe_limit_bq_per_cm2"),
    N_("waste_release_half_lives"),
    N_("waste_release_by_clearance"),
    N_("waste_release_margin_usv_per_h"),
    N_("pregnancy_question_until_age_y"),
    N_("therapy_kidney_limit_gy"),
    N_("therapy_lung_limit_per_treatment_gy"),
    N_("therapy_lung_limit_cumulative_gy"),
    N_("therapy_red_marrow_limit_gy"),
    N_("release_dose_rate_1m_usv_per_h"),
)

UNIT_LABELS = (
    N_("Bq"),
    N_("kBq"),
    N_("MBq"),
    N_("GBq"),
    N_("TBq"),
    N_("mCi"),
    N_("mL"),
    N_("g"),
    N_("h"),
    N_("Gy"),
    N_("mGy"),
    N_("µGy"),
    N_("Sv"),
    N_("mSv"),
    N_("µSv"),
    N_("µSv/h"),
    N_("MBq·h"),
)
"""Unit symbols the localizer writes; Russian and Kazakh write them in Cyrillic (МБк, мл,
мЗв, мкЗв/ч)."""

MATERIAL_KIND_LABELS = (
    N_("generator"),
    N_("vial"),
    N_("capsule"),
    N_("check_source"),
    N_("eluate"),
    N_("preparation"),
)
"""Kinds of radioactive material on site (``nucmed.services.hotlab.materials.KINDS``)."""

QC_TEST_LABELS = (
    N_("mo99_breakthrough"),
    N_("aluminium"),
    N_("rcp"),
    N_("constancy"),
    N_("accuracy"),
    N_("linearity"),
    N_("geometry"),
)
"""QC tests of materials and of dose calibrators."""

ROUTE_LABELS = (
    N_("intravenous"),
    N_("oral"),
    N_("inhalation"),
    N_("subcutaneous"),
    N_("intradermal"),
    N_("intra-arterial"),
    N_("intraperitoneal"),
    N_("other"),
)
"""Routes of administration (``nucmed.services.clinic.administrations.ROUTES``)."""

ORGAN_LABELS = (
    N_("kidneys"),
    N_("red_marrow"),
    N_("lungs"),
    N_("liver"),
    N_("spleen"),
    N_("thyroid"),
    N_("salivary_glands"),
)
"""Organs of the therapy limits and of the S-value table (``svalues_organs.csv``)."""

CONTACT_GROUP_LABELS = (N_("partner"), N_("children"), N_("pregnant_women"))
"""Groups of ``release_contact_groups.csv`` named in the release instructions."""

TAC_MODEL_LABELS = (N_("mono"), N_("bi_uptake"), N_("bi_clearance"), N_("trapezoid"))
"""Time-activity curves of ``nucmed.dosimetry.region_dose.MODELS``."""

I131_CONDITION_LABELS = (N_("hyperthyroid"), N_("thyroid_cancer"))
"""Conditions of ``nureg1556_i131_kinetics.csv`` (Eq. U-2 kinetics)."""
