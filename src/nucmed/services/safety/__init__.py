"""Radiation safety use cases: staff dosimetry and the radiation safety officer's dashboard.

Each use case checks :attr:`~nucmed.services.permissions.Permission.SAFETY_READ` (read) or
:attr:`~nucmed.services.permissions.Permission.SAFETY_WORK` (the radiation safety officer)
and owns its transaction.
"""
