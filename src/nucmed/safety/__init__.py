"""Radiation safety rules: waste decay-in-storage, transport classification, dose limits.

Pure: no framework, SI units inside. The limits a received package is checked against (IAEA
SSR-6) are in :mod:`nucmed.safety.transport_limits`, exported here; a package's classification
for transport (type, TI, label, UN number) is in :mod:`nucmed.safety.transport`.
"""

from nucmed.safety.transport import Classification, Content, classify_package
from nucmed.safety.transport_limits import (
    CATEGORIES,
    ActionLevels,
    Category,
    Declaration,
    Finding,
    PackageCheck,
    Survey,
    check_package,
    non_fixed_limit_bq_per_m2,
    transport_index,
)

__all__ = [
    "CATEGORIES",
    "ActionLevels",
    "Category",
    "Classification",
    "Content",
    "Declaration",
    "Finding",
    "PackageCheck",
    "Survey",
    "check_package",
    "classify_package",
    "non_fixed_limit_bq_per_m2",
    "transport_index",
]
