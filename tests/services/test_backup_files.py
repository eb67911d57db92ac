"""Backups carry the stored dose-map files (issue 18): a map survives backup, the loss of the
data folder and restore, on SQLite and PostgreSQL; a damaged file in the archive is refused."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from nucmed.errors import NucmedInputError
from nucmed.services import backup
from nucmed.services.clock import FixedClock
from nucmed.services.imaging_maps import DoseMapUpload, dose_map, dose_maps, upload_dose_map
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.db import SessionFactory
from nucmed.vocabulary import Role, SiteKind
from tests.imaging.dose_map_factory import dose_bytes, mask_bytes
from tests.training.fixtures import identity_of

TOOLS = backup.Tools(pg_dump=shutil.which("pg_dump"), pg_restore=shutil.which("pg_restore"))
SITE = SiteSpec("BK-BIS", "Backups", SiteKind.DEPARTMENT, "Bishkek", "KG", "Asia/Bishkek")


def _url(factory: SessionFactory) -> str:
    engine: Engine = factory.kw["bind"]
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def installation(
    committing_factory: SessionFactory, clock: FixedClock, tmp_path: Path
) -> tuple[Database, int, Path]:
    """A database with a site and its physicist; the data folder."""
    if backup.kind_of(_url(committing_factory)) == "postgresql" and TOOLS.pg_dump is None:
        pytest.skip("pg_dump is not installed")
    database = Database(committing_factory, clock)
    with transaction(database) as store:
        site = create_site(store, None, SITE)
        person = create_user(store, None, NewUser("phys.b", "Phys B", "correct horse battery"),
                             [(Role.PHYSICIST, site)])  # fmt: skip
        person_id = person.id
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    return database, person_id, data_dir


def _upload(database: Database, person: int, data_dir: Path, label: str) -> int:
    given = DoseMapUpload("P-0042", label, dose_bytes(data_dir), mask_bytes(data_dir))
    return upload_dose_map(database, identity_of(database, person), SITE.code, data_dir,
                           given).id  # fmt: skip


def _stop(database: Database) -> None:
    engine: Engine = database.factory.kw["bind"]
    engine.dispose()


def test_a_dose_map_survives_backup_loss_of_the_data_folder_and_restore(
    installation: tuple[Database, int, Path], tmp_path: Path
) -> None:
    database, person, data_dir = installation
    early = _upload(database, person, data_dir, "cycle 1")
    written = backup.backup(_url(database.factory), tmp_path / "nightly.backup", TOOLS, data_dir)
    assert written.files == 2  # the dose map and its mask
    _upload(database, person, data_dir, "cycle 2")
    shutil.rmtree(data_dir / "dose-maps")  # the disk of the data folder is lost
    _stop(database)
    restored = backup.restore(_url(database.factory), written.path, TOOLS, data_dir)
    assert restored.files == 2
    identity = identity_of(database, person)
    (kept,) = dose_maps(database, identity, SITE.code).maps
    assert kept.id == early
    assert (data_dir / "dose-maps" / f"{kept.sha256}.nii.gz").is_file()
    detail = dose_map(database, identity, SITE.code, data_dir, early)  # checks the SHA-256
    assert [voi.mean_gy for voi in detail.vois] == [2.0, 10.0]


def test_a_backup_without_a_data_folder_carries_no_file(
    installation: tuple[Database, int, Path], tmp_path: Path
) -> None:
    database, person, data_dir = installation
    _upload(database, person, data_dir, "cycle 1")
    written = backup.backup(_url(database.factory), tmp_path / "db-only.backup", TOOLS)
    assert written.files == 0


def _replace_member(path: Path, name: str, content: bytes) -> None:
    with tarfile.open(path, "r:gz") as old:
        members = [(m, old.extractfile(m)) for m in old.getmembers()]
        contents = {m.name: s.read() for m, s in members if s is not None}
    contents[name] = content
    with tarfile.open(path, "w:gz") as new:
        for member, data in contents.items():
            entry = tarfile.TarInfo(member)
            entry.size = len(data)
            new.addfile(entry, io.BytesIO(data))


def test_a_damaged_dose_map_in_the_archive_is_refused_before_the_database_changes(
    installation: tuple[Database, int, Path], tmp_path: Path
) -> None:
    database, person, data_dir = installation
    _upload(database, person, data_dir, "cycle 1")
    written = backup.backup(_url(database.factory), tmp_path / "b.backup", TOOLS, data_dir)
    with tarfile.open(written.path, "r:gz") as archive:
        name = next(n for n in archive.getnames() if n.startswith("dose-maps/"))
    _replace_member(written.path, name, b"not the map")
    _upload(database, person, data_dir, "cycle 2")
    _stop(database)
    with pytest.raises(NucmedInputError, match="is damaged"):
        backup.restore(_url(database.factory), written.path, TOOLS, data_dir)
    identity = identity_of(database, person)
    assert len(dose_maps(database, identity, SITE.code).maps) == 2  # the database is untouched
