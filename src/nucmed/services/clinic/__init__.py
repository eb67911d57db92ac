"""Clinic use cases: administrations of radiopharmaceuticals to patients and the audits of
the administered activities against diagnostic reference levels."""

__all__: list[str] = []
