"""Dosimetry: diagnostic doses, paediatric dosing, MIRD, therapy prescriptions, patient release.

Pure: numpy/scipy, SI units inside, no I/O beyond the shipped data files.
"""

__all__: list[str] = []
