"""A programme's curriculum as one JSON object, the same for the API and for
``nucmed training curriculum CODE --json`` (:meth:`nucmed.training.programme.Programme.as_json`).
"""

from __future__ import annotations

from nucmed.errors import N_
from nucmed.services.permissions import NotFoundError
from nucmed.training.programme import programme, programme_codes

__all__ = ["curriculum"]


def curriculum(code: str, language: str = "en") -> dict[str, object]:
    """The curriculum of the programme ``code`` with its texts in ``language``.

    Raises
    ------
    NotFoundError
        No programme has that code (the message names the programmes there are).
    """
    if code.strip() not in programme_codes():
        codes = ", ".join(programme_codes())
        raise NotFoundError(
            N_("no programme {code}; the programmes are {codes}"), code=code, codes=codes
        )
    return programme(code).as_json(language)
