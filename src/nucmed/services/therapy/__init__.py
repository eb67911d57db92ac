"""Therapy use cases: courses, the organ doses of each cycle against limits, patient release."""

__all__: list[str] = []
