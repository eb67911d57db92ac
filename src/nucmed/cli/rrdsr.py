"""``nucmed rrdsr read`` and ``nucmed rrdsr write``: DICOM Radiopharmaceutical Radiation Dose SRs.

``read FILE`` prints the administration an RRDSR reports, from any vendor (date-times without
an offset are read in ``--tz``, else in the time zone of ``--site`` or of the installation's
first department, and the output names the zone assumed: ``timezone_assumed``); ``write
--json-record RECORD OUT`` writes an RRDSR of an administration record given as JSON. The JSON
of ``read --json`` is a record that ``write`` accepts, so the two round-trip.

The record's keys end in their SI unit (``administered_activity_bq``, ``patient_weight_kg``);
times are ISO 8601 with a UTC offset; codes are a name (``"FDG"``, ``"Tc-99m"``, ``"IV"``, as
``nucmed.interop.rrdsr.lookup_code`` reads them) or, under ``*_code``, an object with ``code``,
``scheme`` and ``meaning``. pydicom and highdicom are imported inside the commands, so that the
rest of the command line starts fast (see ``make bench``).
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from nucmed import units
from nucmed.cli.output import JsonOption, emit
from nucmed.config import load_settings
from nucmed.errors import N_, NucmedInputError, refusal

if TYPE_CHECKING:
    from nucmed.interop.rrdsr import AdministrationRecord, Coded, CodeKind

__all__ = ["register"]

_CODES: tuple[tuple[str, CodeKind | None], ...] = (
    ("radiopharmaceutical", "radiopharmaceutical"), ("radionuclide", "radionuclide"),
    ("route", "route"), ("procedure", None), ("intent", None),
)  # fmt: skip
_NUMBERS = (
    "administered_activity_bq", "patient_weight_kg", "patient_height_m", "effective_dose_sv",
)  # fmt: skip
_TEXTS = (
    "event_uid", "patient_id", "patient_name", "patient_sex", "institution",
    "study_instance_uid", "accession_number", "timezone_assumed",
)  # fmt: skip
_TIMES = ("start_datetime", "end_datetime")
_GIVE_TZ = N_("give --tz (e.g. --tz Asia/Almaty)")


def _zone(name: str | None) -> datetime.tzinfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise refusal(
            N_("--tz: unknown time zone '{zone}'; use an IANA name such as Asia/Almaty"), zone=name
        ) from None


def _code_json(coded: Coded | None) -> dict[str, str] | None:
    return None if coded is None else {"code": coded.code, "scheme": coded.scheme,
                                       "meaning": coded.meaning}  # fmt: skip


def _record_json(record: AdministrationRecord) -> dict[str, object]:
    """The record as the JSON object of ``read --json`` (and the input of ``write``)."""
    from nucmed.interop.rrdsr import code_name  # noqa: PLC0415 - start-up time

    data: dict[str, object] = {}
    for key, kind in _CODES:
        coded = getattr(record, key)
        if kind is not None:
            data[key] = None if coded is None else code_name(kind, coded)
        data[f"{key}_code"] = _code_json(coded)
    data |= {key: getattr(record, key) for key in _NUMBERS}
    data |= {key: getattr(record, key) for key in _TEXTS}
    for key in _TIMES:
        moment = getattr(record, key)
        data[key] = None if moment is None else units.format_datetime(moment)
    birth = record.patient_birth_date
    data["patient_birth_date"] = None if birth is None else birth.isoformat()
    return data


def _coded_from(data: dict[str, Any], key: str, kind: CodeKind | None) -> Coded | None:
    from nucmed.interop.rrdsr import Coded, lookup_code  # noqa: PLC0415 - start-up time

    given = data.get(f"{key}_code")
    if isinstance(given, dict):
        try:
            return Coded(str(given["code"]), str(given["scheme"]), str(given["meaning"]))
        except KeyError as missing:
            raise refusal(
                N_("{key}_code needs code, scheme and meaning; no {missing}"),
                key=key,
                missing=str(missing),
            ) from None
    name = data.get(key)
    if given is not None or (name is not None and not isinstance(name, str)):
        raise refusal(
            N_("{key}: give a name, or {key}_code as {{code, scheme, meaning}}"), key=key
        )
    if name is None or kind is None:
        return None
    return lookup_code(kind, name)


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise refusal(N_("{key} must be a number in the unit its name ends with"), key=key)
    return float(value)


def _record_from_json(data: object) -> AdministrationRecord:
    """An `AdministrationRecord` from the JSON object of ``read --json``."""
    from nucmed.interop.rrdsr import AdministrationRecord  # noqa: PLC0415 - start-up time

    if not isinstance(data, dict):
        raise refusal(N_("the record must be one JSON object"))
    names = (key for key, kind in _CODES if kind is not None)
    allowed = {*names, *(f"{key}_code" for key, _ in _CODES), *_NUMBERS, *_TEXTS, *_TIMES,
               "patient_birth_date"}  # fmt: skip
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise refusal(
            N_("unknown keys {unknown}; allowed: {allowed}"),
            unknown=", ".join(unknown),
            allowed=", ".join(sorted(allowed)),
        )
    for key in ("event_uid", "radiopharmaceutical", "radionuclide", "route",
                "administered_activity_bq", "start_datetime"):  # fmt: skip
        if data.get(key) is None and data.get(f"{key}_code") is None:
            raise refusal(N_("the record needs {key}"), key=key)
    fields: dict[str, Any] = {key: _coded_from(data, key, kind) for key, kind in _CODES}
    fields = {key: value for key, value in fields.items() if value is not None or key == "route"}
    fields |= {key: _number(data, key) for key in _NUMBERS}
    for key in _TEXTS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise refusal(N_("{key} must be text"), key=key)
        fields[key] = data.get(key)
    fields["patient_id"], fields["patient_name"] = (
        data.get("patient_id") or "",
        data.get("patient_name") or "",
    )
    for key in _TIMES:
        text = data.get(key)
        fields[key] = None if text is None else units.parse_datetime(str(text))
    birth = data.get("patient_birth_date")
    try:
        fields["patient_birth_date"] = (
            None if birth is None else datetime.date.fromisoformat(birth)
        )
    except (TypeError, ValueError):
        raise refusal(N_("patient_birth_date '{birth}': write YYYY-MM-DD"), birth=birth) from None
    return AdministrationRecord(**fields)


def _installation_zone(site: str | None) -> datetime.tzinfo:
    """The time zone of ``site`` (or the installation's first department), from the database.

    Raises
    ------
    NucmedInputError
        No database answers, or it has no such site: give ``--tz``.
    """
    from nucmed.services import database  # noqa: PLC0415 - start-up time
    from nucmed.services.network import site_zone  # noqa: PLC0415
    from nucmed.services.permissions import NotFoundError  # noqa: PLC0415

    installation = database.open_database(load_settings().database_url)
    try:
        if not (database.answers(installation) and database.revision(installation).up_to_date):
            raise refusal(
                N_(
                    "the SR's date-times have no UTC offset and the database gives no site's "
                    "time zone; give --tz (e.g. --tz Asia/Almaty)"
                )
            )
        return site_zone(installation.database, site)
    except NotFoundError as missing:
        raise NucmedInputError(parts=(*missing.parts, (_GIVE_TZ, {}))) from None
    finally:
        database.close(installation)


def read(
    file: Annotated[Path, typer.Argument(help="The RRDSR file (DICOM).")],
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Time zone of times without offset, e.g. Asia/Almaty."),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
            help="Else the time zone of this site (default: the first "
            "department of the installation).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read a Radiopharmaceutical Radiation Dose SR from any vendor."""
    from nucmed.interop.rrdsr_reading import (  # noqa: PLC0415 - start-up time
        NoUtcOffsetError,
        read_rrdsr,
    )

    zone = _zone(tz)
    try:
        record = read_rrdsr(file, default_tz=zone)
    except NoUtcOffsetError:
        if zone is not None:
            raise
        record = read_rrdsr(file, default_tz=_installation_zone(site))
    data = _record_json(record)
    rows = [
        ("radiopharmaceutical", str(data["radiopharmaceutical"])),
        ("radionuclide", str(data["radionuclide"])),
        ("activity", units.format_activity(record.administered_activity_bq)),
        ("start", str(data["start_datetime"])),
        ("route", str(data["route"] or "not given")),
        ("event UID", record.event_uid),
        ("patient", f"{record.patient_id} {record.patient_name}".strip() or "not given"),
    ]
    if record.timezone_assumed is not None:
        rows.append(("time zone assumed", record.timezone_assumed))
    if record.patient_weight_kg is not None:
        rows.append(("weight", f"{record.patient_weight_kg:.4g} kg"))
    if record.patient_height_m is not None:
        rows.append(("height", units.format_length(record.patient_height_m, "m")))
    if record.effective_dose_sv is not None:
        rows.append(("effective dose", f"{record.effective_dose_sv / units.SV_PER_MSV:.4g} mSv"))
    emit("Radiopharmaceutical Radiation Dose SR", rows, data, as_json=as_json)


def write(
    out: Annotated[Path, typer.Argument(help="The RRDSR file to write.")],
    json_record: Annotated[
        Path, typer.Option("--json-record", help="Administration record, JSON (see read --json).")
    ],
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Write the date-times in this time zone (the site's), e.g. "
            "Asia/Almaty; default: the zone of the record's start.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a Radiopharmaceutical Radiation Dose SR of one administration."""
    from nucmed.interop.rrdsr import write_rrdsr  # noqa: PLC0415 - start-up time

    try:
        data = json.loads(json_record.read_text(encoding="utf-8"))
    except OSError as error:
        raise refusal(
            N_("--json-record: cannot read {path}: {reason}"),
            path=str(json_record),
            reason=error.strerror,
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise refusal(
            N_("--json-record: {path} is not JSON: {reason}"),
            path=str(json_record),
            reason=str(error),
        ) from None
    sr = write_rrdsr(_record_from_json(data), tz=_zone(tz))
    try:
        sr.save_as(out, enforce_file_format=True)
    except OSError as error:
        raise refusal(
            N_("cannot write {path}: {reason}"), path=str(out), reason=error.strerror or str(error)
        ) from None
    result = {"path": str(out), "sop_instance_uid": str(sr.SOPInstanceUID),
              "event_uid": data.get("event_uid")}  # fmt: skip
    rows = [("file", str(out)), ("SOP Instance UID", result["sop_instance_uid"])]
    emit("Radiopharmaceutical Radiation Dose SR written", rows, result, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``rrdsr`` commands to the application."""
    group = typer.Typer(
        help="DICOM Radiopharmaceutical Radiation Dose SRs: read and write.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command("read")(read)
    group.command("write")(write)
    app.add_typer(group, name="rrdsr")
