"""Haematology decision support: ISCN karyotypes and the ELN genetic risk of AML.

Pure: no framework, no I/O. :mod:`karyotype` reads ISCN, :mod:`genetics` names the lesions and
mutations, :mod:`eln2022` and :mod:`eln2024` classify, :mod:`rules` holds every rule with its
source.
"""

__all__: list[str] = []
