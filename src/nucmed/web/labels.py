"""Names shown for stored codes (roles, setting keys), marked for translation.

The codes themselves never change; what people read is the translation of the code in their
language (the English catalogue gives the English wording). A test checks that every role and
every default setting has its label here.
"""

from __future__ import annotations

from collections.abc import Mapping

from nucmed.web.supply_labels import (
    SUPPLY_AUDIT_ACTIONS,
    SUPPLY_AUDIT_DETAILS,
    SUPPLY_AUDIT_RECORDS,
)

__all__ = [
    "AGENT_LABELS",
    "AUDIT_ACTION_LABELS",
    "AUDIT_DETAIL_LABELS",
    "AUDIT_RECORD_LABELS",
    "CONTACT_GROUP_LABELS",
    "I131_CONDITION_LABELS",
    "KIT_LABELS",
    "KIT_LIMIT_LABELS",
    "MATERIAL_KIND_LABELS",
    "N_",
    "ORGAN_LABELS",
    "QC_TEST_LABELS",
    "ROLE_LABELS",
    "ROUTE_LABELS",
    "SETTING_LABELS",
    "SITE_KIND_LABELS",
    "S_VALUE_METHOD_LABELS",
    "TAC_FIT_LABELS",
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
    N_("event_time_future_tolerance_min"),
    N_("late_entry_after_h"),
    N_("elution_yield_warn_below_percent"),
    N_("elution_yield_warn_above_percent"),
    N_("supply_discrepancy_percent"),
    N_("supply_receiving_margin_min"),
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

TAC_FIT_LABELS = (
    N_("mono-exponential"),
    N_("bi-exponential uptake"),
    N_("bi-exponential clearance"),
    N_("trapezoid with physical tail"),
)
"""Fitted curves as ``nucmed.dosimetry.mird.TacFit.model`` names them (stored and API values;
pages show their translation)."""

S_VALUE_METHOD_LABELS = (N_("table"), N_("mass-scaled"), N_("interpolated"))
"""How an S-value was found (``nucmed.dosimetry.svalues.SValue.method``)."""

I131_CONDITION_LABELS = (N_("hyperthyroid"), N_("thyroid_cancer"))
"""Conditions of ``nureg1556_i131_kinetics.csv`` (Eq. U-2 kinetics)."""

AUDIT_ACTION_LABELS: Mapping[str, str] = {
    "administration.import": N_("Administration imported"),
    "administration.record": N_("Administration recorded"),
    "api.open": N_("API token issued"),
    "api.close": N_("API token revoked"),
    "audit.correct": N_("Audit entry corrected"),
    "calibrator.add": N_("Dose calibrator added"),
    "calibrator_qc.accuracy": N_("Calibrator accuracy test"),
    "calibrator_qc.constancy": N_("Calibrator constancy check"),
    "calibrator_qc.geometry": N_("Calibrator geometry test"),
    "calibrator_qc.linearity": N_("Calibrator linearity test"),
    "camera_calibration.record": N_("Camera calibration recorded"),
    "device.create": N_("Device account created"),
    "dicom.store": N_("DICOM object stored"),
    "dicom_node.add": N_("DICOM node added"),
    "dose_map.upload": N_("Dose map uploaded"),
    "dose.discard": N_("Syringe discarded"),
    "dose.draw": N_("Dose drawn"),
    "dose.draw_override": N_("Dose drawn outside the tolerance"),
    "dose.request": N_("Dose requested"),
    "event.late_entry": N_("Late entry"),
    "hl7.receive": N_("HL7 message received"),
    "licence_limit.set": N_("Licence limit set"),
    "material.duplicate_lot": N_("Duplicate lot received"),
    "material.elute": N_("Generator eluted"),
    "material.prepare": N_("Kit labelled"),
    "material.quarantine": N_("Package quarantined"),
    "material.receive": N_("Delivery received"),
    "material.release": N_("Package released from quarantine"),
    "membership.grant": N_("Role granted"),
    "patient.complete": N_("Patient record completed"),
    "patient.correct": N_("Patient identity corrected"),
    "patient.register": N_("Patient registered"),
    "qc.record": N_("QC result recorded"),
    "reconciliation.open": N_("Dose report set aside for reconciliation"),
    "reconciliation.resolve": N_("Dose report reconciled"),
    "safety_alert.review": N_("Safety alert reviewed"),
    "safety_area.define": N_("Monitored area defined"),
    "safety_decontamination.record": N_("Decontamination recorded"),
    "safety_leak_test.record": N_("Leak test recorded"),
    "safety_source.register": N_("Sealed source registered"),
    "safety_survey.record": N_("Area survey recorded"),
    "safety_dosimeter.issue": N_("Dosimeter issued"),
    "safety_level.set": N_("Investigation level set"),
    "safety_readings.import": N_("Dosimeter readings imported"),
    "safety_worker.register": N_("Radiation worker registered"),
    "safety_pregnancy.declare": N_("Pregnancy declared"),
    "session.open": N_("Signed in"),
    "session.close": N_("Signed out"),
    "sign_in.fail": N_("Sign-in failed"),
    "sign_in.refuse": N_("Sign-in refused (locked out)"),
    "sign_in.succeed": N_("Sign-in succeeded"),
    "sign_in.unlock": N_("Sign-in lockout lifted"),
    "site.create": N_("Site created"),
    "site.contact": N_("Site address and telephone changed"),
    "site_setting.change": N_("Site setting changed"),
    "therapy.course_open": N_("Therapy course opened"),
    "therapy.cycle": N_("Therapy cycle planned"),
    "therapy.cycle_administration": N_("Therapy cycle administered"),
    "therapy.cycle_override": N_("Therapy cycle past an organ limit"),
    "therapy.measurements": N_("Therapy measurements recorded"),
    "therapy.release_record": N_("Patient release recorded with its leaflet"),
    "training.assessment": N_("Resident assessed"),
    "training.attendance": N_("Course attendance marked"),
    "training.case": N_("Logbook case logged"),
    "training.course": N_("Course recorded"),
    "training.credits": N_("Credits recorded"),
    "training.enrol": N_("Resident enrolled"),
    "training.minimum": N_("Programme minimum set"),
    "training.sign_off": N_("Logbook case signed off"),
    "user.create": N_("Account created"),
    "user.deactivate": N_("Account deactivated"),
    "user.password": N_("Password changed"),
    "user.preferences": N_("Preferences changed"),
    "waste.add": N_("Waste added to a container"),
    "waste.create": N_("Waste container opened"),
    "waste.dispose": N_("Waste released"),
    "waste.seal": N_("Waste container sealed"),
    "waste.survey_failed": N_("Waste survey above the release level"),
    **SUPPLY_AUDIT_ACTIONS,
}
"""The name shown for each action code of the audit trail (``nucmed.services.audit``)."""

AUDIT_DETAIL_LABELS: Mapping[str, str] = {
    "activity_bq": N_("Activity"),
    "activity_mbq": N_("Activity"),
    "address": N_("Client address"),
    "administration": N_("Administration"),
    "ae_title": N_("AE title"),
    "agent": N_("Agent"),
    "alerts": N_("Alerts"),
    "attempt": N_("Attempt"),
    "batch": N_("Batch"),
    "calling_ae_title": N_("Calling AE title"),
    "camera": N_("Camera"),
    "code": N_("Code"),
    "correction": N_("Correction"),
    "corrects_id": N_("Corrects entry"),
    "count": N_("Count"),
    "credits": N_("Credits"),
    "cycle": N_("Cycle"),
    "day": N_("Day"),
    "decision": N_("Decision"),
    "deviation": N_("Deviation"),
    "discipline": N_("Discipline"),
    "doses_gy": N_("Organ doses"),
    "draw": N_("Draw"),
    "elective": N_("Elective"),
    "eluate": N_("Eluate"),
    "entered_at": N_("Entered at"),
    "event_at": N_("Happened at"),
    "event_uid": N_("Event UID"),
    "expected_mbq": N_("Expected activity"),
    "extravasation": N_("Extravasation"),
    "findings": N_("Findings"),
    "first": N_("First"),
    "from": N_("From"),
    "generator": N_("Generator"),
    "item": N_("What is counted"),
    "key": N_("Setting"),
    "kind": N_("Kind"),
    "kit": N_("Kit"),
    "label": N_("Label"),
    "late_by_h": N_("Late by"),
    "limit": N_("Limit"),
    "limit_bq": N_("Limit"),
    "lot": N_("Lot"),
    "measured_mbq": N_("Measured activity"),
    "message_type": N_("Message type"),
    "minimum": N_("Minimum"),
    "name": N_("Name"),
    "net_mbq": N_("Net activity"),
    "nuclide": N_("Nuclide"),
    "others": N_("Others"),
    "passed_limits": N_("Limits passed"),
    "passes": N_("Passes"),
    "patient": N_("Patient"),
    "phone": N_("Telephone"),
    "postal_address": N_("Postal address"),
    "previous_phone": N_("Previous telephone"),
    "previous_postal_address": N_("Previous postal address"),
    "predicted_mbq": N_("Predicted activity"),
    "prescribed_mbq": N_("Prescribed activity"),
    "present": N_("Present"),
    "product": N_("Product"),
    "programme": N_("Programme"),
    "qc_id": N_("QC record"),
    "radiopharmaceutical": N_("Radiopharmaceutical"),
    "rating": N_("Rating"),
    "readings": N_("Readings"),
    "reason": N_("Reason"),
    "region": N_("Region"),
    "resident": N_("Resident"),
    "retry_after_s": N_("Retry after"),
    "role": N_("Role"),
    "roles": N_("Roles"),
    "sensitivity_cps_per_bq": N_("Sensitivity"),
    "serial": N_("Serial number"),
    "sha256": N_("SHA-256"),
    "mask_sha256": N_("Mask SHA-256"),
    "activity_sha256": N_("Activity map SHA-256"),
    "map_label": N_("Map label"),
    "max_dose_gy": N_("Maximum dose"),
    "patient_reference": N_("Patient or course"),
    "site": N_("Site"),
    "sop_class_uid": N_("SOP class UID"),
    "source": N_("Source"),
    "declaration": N_("Declaration"),
    "test": N_("Test"),
    "to": N_("To"),
    "type": N_("Type"),
    "unchecked": N_("Limits not checked"),
    "username": N_("Username"),
    "value": N_("Value"),
    "vial": N_("Vial"),
    "volume_ml": N_("Volume"),
    "warnings": N_("Warnings"),
    "window": N_("Window"),
    "yield": N_("Yield"),
    "yield_warning": N_("Yield warning"),
    "side": N_("Side"),
    "over": N_("Above the level"),
    "closes": N_("Closes"),
    "level": N_("Level"),
    **SUPPLY_AUDIT_DETAILS,
}
"""The name shown for each key of an audit entry's details (its unit is in the value)."""

AUDIT_RECORD_LABELS: Mapping[str, str] = {
    "administration": N_("Administration"),
    "calibrator": N_("Dose calibrator"),
    "calibrator_qc": N_("Calibrator QC"),
    "camera_calibration": N_("Camera calibration"),
    "dicom_node": N_("DICOM node"),
    "dose_map": N_("Dose map"),
    "dose_request": N_("Dose request"),
    "draw": N_("Draw"),
    "material": N_("Material"),
    "patient": N_("Patient"),
    "qc_result": N_("QC result"),
    "reconciliation_item": N_("Dose report to reconcile"),
    "safety_alert": N_("Safety alert"),
    "safety_area": N_("Monitored area"),
    "safety_source": N_("Sealed source"),
    "safety_survey": N_("Area survey"),
    "safety_dosimeter": N_("Dosimeter"),
    "safety_level": N_("Investigation level"),
    "safety_worker": N_("Radiation worker"),
    "site": N_("Site"),
    "site_setting": N_("Site setting"),
    "stored_object": N_("Stored DICOM object"),
    "therapy_course": N_("Therapy course"),
    "training_assessment": N_("Assessment"),
    "training_case": N_("Logbook case"),
    "training_course": N_("Course"),
    "training_course_participant": N_("Course participant"),
    "training_credit": N_("Credits"),
    "training_enrolment": N_("Enrolment"),
    "training_requirement": N_("Programme minimum"),
    "user": N_("Account"),
    "waste_container": N_("Waste container"),
    **SUPPLY_AUDIT_RECORDS,
}
"""The name shown for each kind of record the audit trail is about."""

AGENT_LABELS = (
    N_("lu177-psma"),
    N_("lu177-dotatate"),
    N_("sirt"),
    N_("i131-dtc"),
    N_("i131-benign"),
    N_("sm153"),
    N_("ra223"),
    N_("y90-ibritumomab"),
)
"""Therapy agents (``nucmed.services.therapy.courses.AGENTS``; ``other`` is a route's label)."""

SITE_KIND_LABELS = (N_("producer"), N_("department"))
"""Kinds of site (``nucmed.vocabulary.SiteKind``), as the audit trail stores them."""

KIT_LABELS = (
    N_("mdp"),
    N_("hdp"),
    N_("maa"),
    N_("sestamibi"),
    N_("tetrofosmin"),
    N_("dtpa"),
    N_("mag3"),
    N_("dmsa"),
    N_("colloid"),
    N_("hmpao"),
    N_("pyp"),
    N_("rbc"),
)
"""Tc-99m kits by their code (``tc99m_kits.csv``): the radiopharmaceutical's name."""

KIT_LIMIT_LABELS = (
    N_("max_activity_bq"),
    N_("max_volume_m3"),
    N_("max_eluate_age_s"),
    N_("max_generator_ingrowth_s"),
    N_("shelf_life_s"),
    N_("rcp_min_fraction"),
)
"""Limits of a Tc-99m kit (``nucmed.radiopharmacy.kits``), named in records and refusals."""
