"""Names of the diagnostic studies of the procedure catalogue, marked for translation.

A dose request's procedure is typed (or brought by an order); where it is the name of a study
of the catalogue (``nucmed/data/procedures.csv``, as the demo and the clinic's orders write
it), pages show that name in the reader's language; anything else is shown as typed. A test
checks that every study of the catalogue has its name here.
"""

from __future__ import annotations

from nucmed.web.labels import N_

__all__ = ["STUDY_NAMES"]

STUDY_NAMES = frozenset(
    (
        N_("Bone scintigraphy (MDP)"),
        N_("Bone scintigraphy (HDP)"),
        N_("Thyroid scintigraphy (pertechnetate)"),
        N_("Thyroid scintigraphy (I-123)"),
        N_("Parathyroid scintigraphy (sestamibi)"),
        N_("Myocardial perfusion SPECT, sestamibi, rest (1-day protocol)"),
        N_("Myocardial perfusion SPECT, sestamibi, stress (1-day protocol)"),
        N_("Myocardial perfusion SPECT, sestamibi, 2-day protocol (each day)"),
        N_("Myocardial perfusion SPECT, tetrofosmin, rest (1-day protocol)"),
        N_("Myocardial perfusion SPECT, tetrofosmin, stress (1-day protocol)"),
        N_("Myocardial perfusion SPECT, Tl-201 (stress)"),
        N_("Equilibrium radionuclide ventriculography (MUGA)"),
        N_("Gastrointestinal bleeding scintigraphy"),
        N_("Dynamic renal scintigraphy (DTPA)"),
        N_("Dynamic renal scintigraphy (MAG3)"),
        N_("Renal cortical scintigraphy (DMSA)"),
        N_("Lung perfusion scintigraphy (MAA)"),
        N_("Hepatobiliary scintigraphy (IDA)"),
        N_("Liver and spleen scintigraphy (colloid)"),
        N_("Ectopic gastric mucosa (Meckel diverticulum)"),
        N_("Brain perfusion SPECT (HMPAO)"),
        N_("Brain perfusion SPECT (ECD)"),
        N_("Sentinel lymph node scintigraphy"),
        N_("FDG PET/CT (oncology)"),
        N_("FDG PET (brain)"),
        N_("Somatostatin receptor PET (Ga-68 DOTATATE)"),
        N_("PSMA PET (Ga-68 PSMA-11)"),
        N_("Diagnostic I-131 whole-body scan (after thyroidectomy)"),
        N_("I-123 MIBG scintigraphy"),
        N_("Cardiac amyloidosis scintigraphy (PYP)"),
    )
)
"""The catalogue's study names (English, as stored), each translated in the catalogues."""
