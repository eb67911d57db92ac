"""Listeners: the department's wires as interfaces, like the web and the command line.

Each listener parses what a peer sends (a DICOM association, an HL7 v2 message over MLLP),
calls one service of :mod:`nucmed.services.network` as its site's device account and answers
the peer. They hold no database session and import no SQLAlchemy (import-linter checks it); they
log every association and message without patient names.
"""

__all__: list[str] = []
