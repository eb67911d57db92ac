"""Clinic use cases: administrations of radiopharmaceuticals to patients, the audits of the
administered activities against diagnostic reference levels, and the exchange of dose records.
Each use case opens its own unit of work and checks its permission; the store-level steps
(``administer``, ``drl_audit``, ``import_rrdsr``) run inside a caller's transaction."""

__all__: list[str] = []
