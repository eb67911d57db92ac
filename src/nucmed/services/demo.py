"""The demo network: a producer in Almaty and five nuclear medicine departments.

Modelled on the region nucmed serves: a research-reactor isotope producer in Almaty (Tc-99m
generators, I-131, Sm-153, Lu-177) delivering to departments in Almaty, Astana, Shymkent and
Semey (Kazakhstan, UTC+5) and across the border to Bishkek (Kyrgyzstan, UTC+6). The names are
marked "demo" ("демо"): they are not the real institutions' accounts. Each site has its name
and city in Russian, Kazakh and English; the people (staff and patients) have invented names in
Cyrillic, and what they typed (reasons, a diagnosis) is in Russian, as a department there
writes its records. The producer's postal address is the Institute of Nuclear Physics'
(Almaty, ul. Ibragimova 1); the departments' addresses say "demo", and every telephone number
is made up (``000`` in the middle).

The Almaty department's hot lab is caught at the moment of loading, read from the clock of
the database it is loaded into (see :mod:`nucmed.services.demo_hotlab`): work done before, three
patients waiting later the same local day. Loading is idempotent: a second load changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from nucmed.services.auth import generate_password
from nucmed.services.demo_hotlab import load_hotlab_morning, load_therapy_course
from nucmed.services.demo_safety import load_safety
from nucmed.services.demo_supply import load_supply
from nucmed.services.demo_training import load_aml_exchange, load_residency
from nucmed.services.network.devices import add_node
from nucmed.services.site_names import SiteName
from nucmed.services.sites import SiteSpec, create_site
from nucmed.services.uow import Database, SessionFactory, transaction
from nucmed.services.users import NewUser, create_user
from nucmed.store.models import Site
from nucmed.vocabulary import Role, SiteKind

__all__ = ["DEMO_SITES", "DemoAccount", "DemoLoad", "load_demo"]


def _names(
    russian: tuple[str, str], kazakh: tuple[str, str], english: tuple[str, str]
) -> tuple[tuple[str, SiteName], ...]:
    """A demo site's (name, city) in Russian, Kazakh and English."""
    return (("en", SiteName(*english)), ("kk", SiteName(*kazakh)), ("ru", SiteName(*russian)))


DEMO_SITES = (
    SiteSpec(
        "INP-ALA",
        "Производитель изотопов, Алматы (демо)",
        SiteKind.PRODUCER,
        "Алматы",
        "KZ",
        "Asia/Almaty",
        "050032, г. Алматы, ул. Ибрагимова, 1 (Институт ядерной физики)",
        "+7 727 000 00 10",
        _names(
            ("Производитель изотопов, Алматы (демо)", "Алматы"),
            ("Изотоп өндірушісі, Алматы (демо)", "Алматы"),
            ("Isotope producer, Almaty (demo)", "Almaty"),
        ),
    ),
    SiteSpec(
        "NM-ALA",
        "Отделение ядерной медицины, Алматы (демо)",
        SiteKind.DEPARTMENT,
        "Алматы",
        "KZ",
        "Asia/Almaty",
        "г. Алматы (демо-адрес)",
        "+7 727 000 00 20",
        _names(
            ("Отделение ядерной медицины, Алматы (демо)", "Алматы"),
            ("Ядролық медицина бөлімшесі, Алматы (демо)", "Алматы"),
            ("Nuclear medicine department, Almaty (demo)", "Almaty"),
        ),
    ),
    SiteSpec(
        "NM-AST",
        "Отделение ядерной медицины, Астана (демо)",
        SiteKind.DEPARTMENT,
        "Астана",
        "KZ",
        "Asia/Almaty",
        "г. Астана (демо-адрес)",
        "+7 717 200 00 30",
        _names(
            ("Отделение ядерной медицины, Астана (демо)", "Астана"),
            ("Ядролық медицина бөлімшесі, Астана (демо)", "Астана"),
            ("Nuclear medicine department, Astana (demo)", "Astana"),
        ),
    ),
    SiteSpec(
        "NM-SHY",
        "Отделение ядерной медицины, Шымкент (демо)",
        SiteKind.DEPARTMENT,
        "Шымкент",
        "KZ",
        "Asia/Almaty",
        "г. Шымкент (демо-адрес)",
        "+7 725 200 00 40",
        _names(
            ("Отделение ядерной медицины, Шымкент (демо)", "Шымкент"),
            ("Ядролық медицина бөлімшесі, Шымкент (демо)", "Шымкент"),
            ("Nuclear medicine department, Shymkent (demo)", "Shymkent"),
        ),
    ),
    SiteSpec(
        "NM-SEM",
        "Отделение ядерной медицины, Семей (демо)",
        SiteKind.DEPARTMENT,
        "Семей",
        "KZ",
        "Asia/Almaty",
        "г. Семей (демо-адрес)",
        "+7 722 200 00 50",
        _names(
            ("Отделение ядерной медицины, Семей (демо)", "Семей"),
            ("Ядролық медицина бөлімшесі, Семей (демо)", "Семей"),
            ("Nuclear medicine department, Semey (demo)", "Semey"),
        ),
    ),
    SiteSpec(
        "NM-BIS",
        "Отделение ядерной медицины, Бишкек (демо)",
        SiteKind.DEPARTMENT,
        "Бишкек",
        "KG",
        "Asia/Bishkek",
        "г. Бишкек (демо-адрес)",
        "+996 312 000 060",
        _names(
            ("Отделение ядерной медицины, Бишкек (демо)", "Бишкек"),
            ("Ядролық медицина бөлімшесі, Бішкек (демо)", "Бішкек"),
            ("Nuclear medicine department, Bishkek (demo)", "Bishkek"),
        ),
    ),
)

_DEPARTMENT_STAFF = (
    (Role.RADIOPHARMACIST, "tech", "Ахметова"),
    (Role.PHYSICIAN, "doctor", "Сейткалиев"),
    (Role.PHYSICIST, "physicist", "Ким"),
    (Role.RSO, "rso", "Орлов"),
    (Role.RESIDENT, "resident", "Нурланова"),
    (Role.SUPERVISOR, "supervisor", "Бекмуратов"),
)
"""Role, username prefix and surname of each demo department's staff (invented)."""
_PRODUCER_STAFF = ((Role.ORDER_DESK, "orders", "Жумабаева"),)
_INITIALS = {
    "INP-ALA": "Г",
    "NM-ALA": "А",
    "NM-AST": "Е",
    "NM-SHY": "Д",
    "NM-SEM": "С",
    "NM-BIS": "Т",
}
"""The initial of the demo staff's given names at each site (a full name is unique)."""


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo user: username, role and site code."""

    username: str
    role: Role
    site_code: str


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What a demo load did: the accounts made and their shared password (shown once)."""

    created: bool
    password: str | None
    accounts: tuple[DemoAccount, ...]


_DEMO_CAMERAS = (("SPECTCAM", "ОФЭКТ/КТ, консоль (демо)"), ("PETCT", "ПЭТ/КТ, консоль (демо)"))


def _staff(site: Site) -> tuple[tuple[Role, str, str], ...]:
    return _PRODUCER_STAFF if site.kind is SiteKind.PRODUCER else _DEPARTMENT_STAFF


def load_demo(database: Database | SessionFactory) -> DemoLoad:
    """Load the demo network once, in one transaction; a second call does nothing.

    Parameters
    ----------
    database
        The installation's database and clock (a bare session factory: the system clock);
        the demo's hot lab is placed at the clock's "now".

    Returns
    -------
    DemoLoad
        Whether it was loaded now, and the accounts made with their shared password.
    """
    with transaction(database) as store:
        if store.sites.by_code(DEMO_SITES[0].code) is not None:
            return DemoLoad(created=False, password=None, accounts=())
        password = generate_password()
        accounts = []
        for spec in DEMO_SITES:
            site = create_site(store, None, spec)
            city = spec.code.split("-")[1].lower()
            for role, prefix, surname in _staff(site):
                username = f"{prefix}.{city}"
                full_name = f"{surname} {_INITIALS[spec.code]}. (демо)"
                create_user(store, None, NewUser(username, full_name, password), [(role, site)])
                accounts.append(DemoAccount(username, role, site.code))
        now = store.now()
        almaty = store.sites.by_code("NM-ALA")
        tech = store.users.by_username("tech.ala")
        if almaty is not None and tech is not None:
            load_hotlab_morning(store, almaty, tech, now)
        if almaty is not None:  # the cameras that may send to the department's DICOM node
            for ae_title, what in _DEMO_CAMERAS:
                add_node(store, None, almaty, ae_title, what)
        doctor = store.users.by_username("doctor.ala")
        if almaty is not None and doctor is not None:
            load_therapy_course(store, almaty, doctor, now)
        resident = store.users.by_username("resident.ala")
        supervisor = store.users.by_username("supervisor.ala")
        if almaty is not None and resident is not None and supervisor is not None:
            load_residency(store, almaty, resident, supervisor)
            load_aml_exchange(store, almaty, supervisor)
        rso = store.users.by_username("rso.ala")
        if almaty is not None and rso is not None:
            load_safety(store, almaty, rso, now)
        load_supply(store, now)
        return DemoLoad(created=True, password=password, accounts=tuple(accounts))
