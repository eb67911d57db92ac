"""Radiation safety rules: waste decay-in-storage, transport classification, dose limits.

Pure: no framework, SI units inside.
"""

__all__: list[str] = []
