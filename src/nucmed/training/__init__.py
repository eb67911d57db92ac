"""Training of nuclear medicine physicians: residency programmes, logbook rules, attestation.

Pure: no framework, no I/O beyond the shipped data files. :mod:`programme` reads a programme
(disciplines, credits, electives, learning outcomes) and checks it against its document's
totals; :mod:`logbook` holds the closed vocabularies of the logbook and assessments;
:mod:`progress` counts signed cases against minimums and decides the attestation gate.
"""

__all__: list[str] = []
