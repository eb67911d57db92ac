"""The backup file: one gzip-compressed tar archive with the database and the stored files.

A backup made by ``nucmed backup`` holds

- ``manifest.json``: the archive's format, the database's kind and schema revision, and the
  names of the files it carries;
- ``database.sqlite3`` (SQLite's backup API) or ``database.dump`` (``pg_dump -Fc``);
- the files kept under the installation's data folder that records point at:
  ``dose-maps/<sha256>.nii.gz`` (:mod:`nucmed.services.imaging_maps`). Such files are named by
  their SHA-256 and never change, so a copy taken *after* the database snapshot holds every
  file the snapshot's records name (a file is written before its record is committed), and
  restoring one is checked against its name.

Backups made before the archive (the bare database file) are still restored by
:mod:`nucmed.services.backup`; they carry no files.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from nucmed.errors import N_, refusal

__all__ = [
    "ARCHIVE_FORMAT",
    "FILE_FOLDERS",
    "GZIP_MAGIC",
    "Unpacked",
    "pack",
    "restore_files",
    "unpacked",
]

Kind = Literal["sqlite", "postgresql"]

ARCHIVE_FORMAT = "nucmed-backup/1"
GZIP_MAGIC = b"\x1f\x8b"
FILE_FOLDERS = ("dose-maps",)
"""The data folder's subfolders a backup carries (content-addressed files only)."""
MANIFEST = "manifest.json"
DATABASE_MEMBER: dict[Kind, str] = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
_FILE_NAME = re.compile(r"^(?P<sha>[0-9a-f]{64})\.nii\.gz$")
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Unpacked:
    """An archive opened for restoring: its database's kind and revision (from the manifest),
    the database extracted to a private file, and the data files it carries."""

    kind: Kind
    revision: str
    database: Path
    files: tuple[str, ...]


def _data_files(data_dir: Path | None) -> list[tuple[str, Path]]:
    """The content-addressed files under ``data_dir``: (name in the archive, path), sorted."""
    if data_dir is None:
        return []
    found = []
    for folder in FILE_FOLDERS:
        where = data_dir / folder
        if where.is_dir():
            found += [
                (f"{folder}/{path.name}", path)
                for path in sorted(where.iterdir())
                if _FILE_NAME.match(path.name) and path.is_file()
            ]
    return found


def pack(target: Path, kind: Kind, revision: str, database: Path, data_dir: Path | None) -> int:
    """Write the archive ``target``: the manifest, the database file ``database`` and the
    files under ``data_dir`` (none when None); return the number of files carried."""
    files = _data_files(data_dir)
    manifest = {
        "format": ARCHIVE_FORMAT,
        "kind": kind,
        "revision": revision,
        "files": [name for name, _ in files],
    }
    raw = json.dumps(manifest, indent=1).encode()
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        entry = tarfile.TarInfo(MANIFEST)
        entry.size, entry.mode = len(raw), 0o600
        archive.addfile(entry, io.BytesIO(raw))
        archive.add(database, DATABASE_MEMBER[kind], recursive=False)
        for name, path in files:
            archive.add(path, name, recursive=False)
    return len(files)


def _not_a_backup(path: Path) -> Exception:
    return refusal(N_("{path} is not a nucmed backup (made by nucmed backup)"), path=str(path))


def _member(archive: tarfile.TarFile, name: str, source: Path) -> IO[bytes]:
    try:
        stream = archive.extractfile(name)
    except KeyError:
        stream = None
    if stream is None:
        raise _not_a_backup(source)
    return stream


def _manifest(archive: tarfile.TarFile, source: Path) -> tuple[Kind, str, tuple[str, ...]]:
    try:
        manifest = json.loads(_member(archive, MANIFEST, source).read())
        kind, revision, files = manifest["kind"], manifest["revision"], manifest["files"]
        sound = manifest["format"] == ARCHIVE_FORMAT and kind in DATABASE_MEMBER
    except (ValueError, KeyError, TypeError):
        raise _not_a_backup(source) from None
    names = tuple(str(name) for name in files) if isinstance(files, list) else ()
    if not sound or not isinstance(revision, str) or not all(map(_allowed, names)):
        raise _not_a_backup(source)
    return kind, revision, names


def _allowed(name: str) -> bool:
    """Whether ``name`` is a data file a backup may carry (no other path is ever written)."""
    folder, _, file_name = name.partition("/")
    return folder in FILE_FOLDERS and _FILE_NAME.match(file_name) is not None


def _copy(stream: IO[bytes], out: IO[bytes]) -> str:
    """Copy ``stream`` into ``out``; return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(_BLOCK), b""):
        digest.update(block)
        out.write(block)
    return digest.hexdigest()


def unpacked(source: Path, scratch: Path) -> Unpacked:
    """Open the archive ``source`` and extract its database into the folder ``scratch``.

    Raises
    ------
    NucmedInputError
        If ``source`` is not an archive made by ``nucmed backup`` (or is damaged).
    """
    try:
        with tarfile.open(source, "r:gz") as archive:
            kind, revision, files = _manifest(archive, source)
            database = scratch / DATABASE_MEMBER[kind]
            with database.open("wb") as out:
                _copy(_member(archive, DATABASE_MEMBER[kind], source), out)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
        raise _not_a_backup(source) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise refusal(N_("cannot read {path}: {reason}"), path=str(source),
                      reason=reason) from None  # fmt: skip
    return Unpacked(kind, revision, database, files)


def restore_files(source: Path, files: tuple[str, ...], data_dir: Path) -> int:
    """Copy the data files ``files`` of the archive ``source`` into ``data_dir``, each checked
    against the SHA-256 its name carries (one already there is replaced by the same
    content). Return their number.

    Raises
    ------
    NucmedInputError
        If a file is missing from the archive or its content does not match its name.
    """
    try:
        with tarfile.open(source, "r:gz") as archive:
            for name in files:
                _restore_file(archive, source, name, data_dir)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
        raise _not_a_backup(source) from None
    return len(files)


def _restore_file(archive: tarfile.TarFile, source: Path, name: str, data_dir: Path) -> None:
    """Copy the member ``name`` into ``data_dir`` if its content matches its name."""
    folder, _, file_name = name.partition("/")
    final = data_dir / folder / file_name
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{file_name}.", dir=final.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            sha = _copy(_member(archive, name, source), out)
        if f"{sha}.nii.gz" != file_name:
            raise refusal(N_("{path}: the file {name} is damaged"), path=str(source),
                          name=name)  # fmt: skip
        Path(partial).replace(final)
    finally:
        Path(partial).unlink(missing_ok=True)
