"""Training use cases: enrolment and minimums (:mod:`enrolment`), the logbook and its
sign-offs (:mod:`logbook`), workplace-based assessments (:mod:`assessments`), dashboards
(:mod:`dashboards`), and courses with attendance and certificates (:mod:`courses`)."""

__all__: list[str] = []
