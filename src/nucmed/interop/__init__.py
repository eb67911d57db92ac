"""Formats at the edge of nucmed: PDF syringe labels, DICOM Radiopharmaceutical Radiation Dose
SR, FHIR R4 resources and HL7 v2 messages.

Units are converted here (MBq in a DICOM tag, Bq inside) and nowhere else but the CLI and web.
"""

__all__: list[str] = []
