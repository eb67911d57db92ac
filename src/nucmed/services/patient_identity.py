"""Who a patient is: the hospital number names one patient at a site, and a second entry of
that number must name the same person.

A hospital number already on file, entered with the same name (trimmed, any case, any
spacing, HL7's ``^`` read as a space) and, where both are known, the same birth date and sex,
is that patient; a birth date or sex known only now is added to the record (audited). With
another name, birth date or sex it is refused, both identities side by side in the message,
unless the caller says explicitly that it is the same person whose identity was corrected and
why: that writes an append-only :class:`~nucmed.store.models.PatientCorrection` (the old
identity stays in the history) and an audit entry, and the record shows the corrected one.
Letters that only look alike (Cyrillic ``А`` and Latin ``A``) are different letters: such names
are refused too, with a word that they look alike.

Every path that creates or finds a patient (registration, dose request, HL7 v2 ADT and ORM,
RRDSR import) calls :func:`register_patient` inside its own transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nucmed import bounds
from nucmed.errors import N_, MessagePart, NucmedInputError, Word, refusal
from nucmed.services.audit import Event, record
from nucmed.services.uow import Store
from nucmed.store.hotlab import Patient
from nucmed.store.models import PatientCorrection, Site, User

__all__ = [
    "SEX_WORDS",
    "PatientIdentity",
    "PatientIdentityError",
    "PatientInput",
    "birth_date_from",
    "name_key",
    "register_patient",
]

SEX_WORDS = {"F": N_("female"), "M": N_("male"), "O": N_("other")}
"""The word shown for a stored sex (HL7 v2 PID-8)."""

_LOOK_ALIKES = str.maketrans("авсеһіјкмнортухё", "abcehijkmhoptyxe")
"""Cyrillic small letters that look like Latin ones (after case folding): only to say that two
names look alike, never to take them as equal."""


@dataclass(frozen=True, slots=True)
class PatientInput:
    """A patient as entered: the hospital's number, the name, and the birth date and sex if
    known (sex F, M or O as HL7 v2 PID-8; U: unknown).

    ``corrected`` says that a number on file with another name, birth date or sex is the same
    person whose identity was corrected; ``reason`` says why (required with it)."""

    local_id: str
    full_name: str
    birth_date: date | None = None
    sex: str | None = None
    corrected: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PatientIdentity:
    """A name, birth date and sex (None: not known), as shown side by side."""

    full_name: str
    birth_date: date | None
    sex: str | None

    def text(self) -> str:
        """``Name, 1971-05-02`` (the birth date if known)."""
        born = f", {self.birth_date.isoformat()}" if self.birth_date else ""
        return f"{self.full_name}{born}"


class PatientIdentityError(NucmedInputError):
    """A hospital number on file entered with another identity: both are kept for the page,
    with the fields that differ (``full_name``, ``birth_date``, ``sex``) and whether the
    refusal is of a correction without a reason (``reason_missing``)."""

    def __init__(
        self,
        local_id: str,
        on_file: PatientIdentity,
        given: PatientIdentity,
        *,
        reason_missing: bool = False,
    ) -> None:
        self.local_id = local_id
        self.on_file = on_file
        self.given = given
        self.differing = _differing(on_file, given)
        self.reason_missing = reason_missing
        parts = _conflict_parts(local_id, on_file, given)
        if reason_missing:
            parts = (_NO_REASON, *parts[:-1])
        super().__init__(parts=parts)


_NO_REASON: MessagePart = (N_("say why the name, birth date or sex on file is corrected"), {})


def birth_date_from(text: str) -> date | None:
    """A birth date typed as ``1960-03-27`` (None when empty), within 1900 to 2100.

    Raises
    ------
    NucmedInputError
        Not such a date.
    """
    if not text.strip():
        return None
    try:
        born = date.fromisoformat(text.strip())
    except ValueError:
        raise refusal(
            N_("'{text}' is not a date: write it as 1960-03-27"), text=text.strip()
        ) from None
    return bounds.check_date(N_("birth date"), born)


def name_key(name: str) -> str:
    """A name as compared: Unicode NFC, HL7 ``^`` as a space, one space between words, any
    case (``"  ИВАНОВ^Иван "`` -> ``"иванов иван"``)."""
    words = unicodedata.normalize("NFC", name).replace("^", " ").split()
    return " ".join(words).casefold()


def _look_alike(first: str, second: str) -> bool:
    return first.translate(_LOOK_ALIKES) == second.translate(_LOOK_ALIKES)


def _conflict_parts(
    local_id: str, on_file: PatientIdentity, given: PatientIdentity
) -> tuple[MessagePart, ...]:
    parts: list[MessagePart] = [
        (
            N_("hospital number {number} is on file as {on_file} but was entered as {given}"),
            {"number": local_id, "on_file": on_file.text(), "given": given.text()},
        )
    ]
    if on_file.sex and given.sex and on_file.sex != given.sex:
        parts.append(
            (
                N_("sex on file: {on_file}, entered: {given}"),
                {"on_file": Word(SEX_WORDS[on_file.sex]), "given": Word(SEX_WORDS[given.sex])},
            )
        )
    first, second = name_key(on_file.full_name), name_key(given.full_name)
    if first != second and _look_alike(first, second):
        parts.append((N_("the names look alike but mix Latin and Cyrillic letters"), {}))
    parts.append(
        (
            N_(
                "check the number; if it is the same person whose name or birth date was "
                "corrected, say so and give the reason"
            ),
            {},
        )
    )
    return tuple(parts)


def _patient_at(store: Store, site: Site, local_id: str) -> Patient | None:
    return store.session.scalars(
        select(Patient).where(Patient.site_id == site.id, Patient.local_id == local_id)
    ).one_or_none()


def _sex(text: str | None) -> str | None:
    """F, M or O; None for unknown (empty or U)."""
    sex = (text or "").strip().upper()[:1] or None
    if sex not in (None, "F", "M", "O", "U"):
        raise refusal(N_("sex is F, M, O (other) or U (unknown)"))
    return None if sex == "U" else sex


def _differing(on_file: PatientIdentity, given: PatientIdentity) -> tuple[str, ...]:
    """The fields of two identities that differ (a birth date or sex known on one side only
    does not differ)."""

    def known_and_unequal(first: object, second: object) -> bool:
        return first is not None and second is not None and first != second

    fields = (
        ("full_name", name_key(on_file.full_name) != name_key(given.full_name)),
        ("birth_date", known_and_unequal(on_file.birth_date, given.birth_date)),
        ("sex", known_and_unequal(on_file.sex, given.sex)),
    )
    return tuple(name for name, differs in fields if differs)


def _identity(patient: Patient) -> PatientIdentity:
    return PatientIdentity(patient.full_name, patient.birth_date, patient.sex)


def register_patient(store: Store, actor: User, site: Site, given: PatientInput) -> Patient:
    """The patient with that hospital number at the site, registered now if new (audited),
    checked against what was entered (see the module docstring).

    Two registrations of one new hospital number at once make one patient: the insert runs in
    a savepoint, and when the unique (site, local ID) index refuses it the patient the other
    transaction registered is read back and checked like any patient on file.

    Raises
    ------
    PatientIdentityError
        The number is on file with another name, birth date or sex, and ``given.corrected``
        is not set (or is set without a reason).
    NucmedInputError
        No number or name, or a sex that is not F, M, O or U.
    """
    local_id, name = given.local_id.strip(), " ".join(given.full_name.split())
    if not local_id or not name:
        raise refusal(N_("a patient needs the hospital's patient number and a name"))
    entered = PatientIdentity(name, given.birth_date, _sex(given.sex))
    found = _patient_at(store, site, local_id) or _insert(store, actor, site, local_id, entered)
    return _checked(store, actor, site, found, _Entry(entered, given.corrected, given.reason))


def _insert(
    store: Store, actor: User, site: Site, local_id: str, entered: PatientIdentity
) -> Patient:
    patient = Patient(
        site_id=site.id,
        local_id=local_id,
        full_name=entered.full_name,
        birth_date=entered.birth_date,
        sex=entered.sex,
        created_at=store.now(),
    )
    try:
        with store.session.begin_nested():
            store.session.add(patient)
    except IntegrityError:  # registered at the same moment by another transaction
        found = _patient_at(store, site, local_id)
        if found is None:
            raise
        return found
    record(store, actor, Event("patient.register", "patient", patient.id, site_id=site.id))
    return patient


@dataclass(frozen=True, slots=True)
class _Entry:
    """What was entered, and whether (and why) it corrects the identity on file."""

    identity: PatientIdentity
    corrected: bool
    reason: str | None


def _checked(store: Store, actor: User, site: Site, patient: Patient, entry: _Entry) -> Patient:
    on_file = _identity(patient)
    if not _differing(on_file, entry.identity):
        _complete(store, actor, site, patient, entry.identity)
        return patient
    if not entry.corrected or not (entry.reason or "").strip():
        raise PatientIdentityError(
            patient.local_id, on_file, entry.identity, reason_missing=entry.corrected
        )
    _correct(store, actor, site, patient, entry)
    return patient


def _complete(
    store: Store, actor: User, site: Site, patient: Patient, entered: PatientIdentity
) -> None:
    """Add a birth date or sex that the record lacks and the entry gives (audited)."""
    added: dict[str, str] = {}
    if patient.birth_date is None and entered.birth_date is not None:
        patient.birth_date = entered.birth_date
        added["birth_date"] = entered.birth_date.isoformat()
    if patient.sex is None and entered.sex is not None:
        patient.sex = entered.sex
        added["sex"] = entered.sex
    if added:
        event = Event("patient.complete", "patient", patient.id, site_id=site.id, details=added)
        record(store, actor, event)


def _correct(store: Store, actor: User, site: Site, patient: Patient, entry: _Entry) -> None:
    """Write the correction record and the audit entry; the record shows the new identity
    (a birth date or sex not entered stays as it was)."""
    entered, reason = entry.identity, (entry.reason or "").strip()
    birth_date = entered.birth_date or patient.birth_date
    sex = entered.sex or patient.sex
    row = PatientCorrection(
        patient_id=patient.id,
        corrected_at=store.now(),
        corrected_by_id=actor.id,
        previous_name=patient.full_name,
        full_name=entered.full_name,
        previous_birth_date=patient.birth_date,
        birth_date=birth_date,
        previous_sex=patient.sex,
        sex=sex,
        reason=reason,
    )
    store.session.add(row)
    details = {
        "previous": _identity(patient).text(),
        "corrected": PatientIdentity(entered.full_name, birth_date, sex).text(),
        "previous_sex": patient.sex,
        "sex": sex,
    }
    patient.full_name, patient.birth_date, patient.sex = entered.full_name, birth_date, sex
    store.session.flush()
    event = Event(
        "patient.correct",
        "patient",
        patient.id,
        site_id=site.id,
        reason=reason,
        details={**details, "correction": row.id},
    )
    record(store, actor, event)
