"""Radiopharmacy rules: the Tc-99m kit catalogue, labelling limits, dispensing arithmetic.

Pure: no framework, SI units inside.
"""

__all__: list[str] = []
