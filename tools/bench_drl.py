"""Benchmark: the DRL audit on a large registry.

Generates 1,000,000 administrations over 5 years and 5 sites in a fresh SQLite database, then
times, for one site and one year: the audit (service), the audit page (HTTP, through the app)
and the yearly CSV and XLSX exports. Target: the audit page answers in under 1 s on SQLite on
the project's 2-core machine. Prints each time and its ratio to the target (below 1.00 meets
it). Run: ``make bench``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from nucmed.config import Settings
from nucmed.services.auth import ensure_first_admin
from nucmed.services.clinic import drl
from nucmed.services.demo import DEMO_SITES
from nucmed.services.sites import create_site
from nucmed.services.uow import transaction
from nucmed.store.db import make_engine, make_session_factory
from nucmed.store.hotlab import Administration, Patient
from nucmed.store.migrate import upgrade
from nucmed.web.app import create_app

TOTAL = 1_000_000
YEARS = 5
TARGET_S = 1.0
PROCEDURES = (
    ("Bone scintigraphy", 700e6),
    ("Myocardial perfusion", 400e6),
    ("Thyroid scintigraphy", 80e6),
    ("Renal MAG3", 100e6),
    ("Lung perfusion", 120e6),
    ("FDG PET", 250e6),
)
BATCH = 50_000
CHILD_SHARE = 0.05
"""Share of generated administrations given to children (so the per-kg audit has data)."""


def _fill(url: str) -> list[int]:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as store:
        sites = [create_site(store, None, spec).id for spec in DEMO_SITES[1:]]
        patients = {site: [] for site in sites}
        for site in sites:
            for number in range(1000):
                row = Patient(
                    site_id=site,
                    local_id=f"B{number}",
                    full_name=f"Bench {number}",
                    birth_date=None,
                    sex=None,
                    created_at=datetime.now(UTC),
                )
                store.session.add(row)
                store.session.flush()
                patients[site].append(row.id)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    span_s = YEARS * 365 * 86400
    rng = random.Random(2026)
    table = Administration.__table__
    with engine.begin() as connection:
        rows = []
        for number in range(TOTAL):
            site = sites[number % len(sites)]
            name, typical = PROCEDURES[rng.randrange(len(PROCEDURES))]
            child = rng.random() < CHILD_SHARE
            rows.append(
                {
                    "site_id": site,
                    "patient_id": rng.choice(patients[site]),
                    "draw_id": None,
                    "event_uid": f"2.25.{number + 1}",
                    "procedure": name,
                    "radiopharmaceutical": name,
                    "nuclide": "Tc-99m",
                    "administered_at": start + timedelta(seconds=rng.randrange(span_s)),
                    "route": "intravenous",
                    "injection_site": None,
                    "net_activity_bq": typical * rng.uniform(0.8, 1.2) * (0.3 if child else 1.0),
                    "residual_bq": None,
                    "prescribed_bq": None,
                    "deviation": None,
                    "deviation_reason": None,
                    "extravasation": False,
                    "pregnancy": "not_applicable",
                    "breastfeeding": None,
                    "patient_weight_kg": 20.0 if child else 72.0,
                    "patient_height_m": None,
                    "patient_age_years": 6.0 if child else 55.0,
                    "effective_dose_sv": None,
                    "origin": "bench",
                    "administered_by_id": None,
                    "recorded_at": datetime.now(UTC),
                }
            )
            if len(rows) == BATCH:
                connection.execute(insert(table), rows)
                rows = []
    engine.dispose()
    return sites


def _timed(label: str, action: object) -> float:
    began = time.perf_counter()
    action()  # type: ignore[operator]
    elapsed = time.perf_counter() - began
    sys.stdout.write(f"{label:<44} {elapsed:>8.3f} s {elapsed / TARGET_S:>6.2f}\n")
    return elapsed


def main() -> int:
    """Build the registry, time the audit; exit 1 if the page misses its target."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        began = time.perf_counter()
        sites = _fill(url)
        sys.stdout.write(
            f"{TOTAL:,} administrations, {len(sites)} sites, {YEARS} years: "
            f"generated in {time.perf_counter() - began:.1f} s\n"
        )
        engine = make_engine(url)
        factory = make_session_factory(engine)
        password = ensure_first_admin(factory)
        with transaction(factory) as store:
            site = store.sites.by_id(sites[0])
            assert site is not None
            year_start, year_end = (
                datetime(2024, 1, 1, tzinfo=UTC),
                datetime(2025, 1, 1, tzinfo=UTC),
            )
            rows = drl.drl_audit(store, site, year_start, year_end)
        sys.stdout.write(f"{'step':<44} {'time':>10} {'ratio':>6}\n")
        with transaction(factory) as store:
            site = store.sites.by_id(sites[0])
            assert site is not None
            _timed(
                "audit, one site-year (service)",
                lambda: drl.drl_audit(store, site, year_start, year_end),
            )
            _timed("yearly CSV export", lambda: drl.audit_csv(rows))
            _timed("yearly XLSX export", lambda: drl.audit_xlsx(rows, "bench"))
            code = site.code
        app = create_app(Settings(data_dir=Path(folder), database_url=url, cookie_secure="never"))
        client = TestClient(app)
        token = client.post("/api/auth/token", json={"username": "admin", "password": password})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = _timed(
            "audit page, one site-year (HTTP)",
            lambda: client.get(f"/sites/{code}/drl?year=2024", headers=auth),
        )
        _timed(
            "CSV download, one site-year (HTTP)",
            lambda: client.get(f"/sites/{code}/drl.csv?year=2024", headers=auth),
        )
        app.state.installation.engine.dispose()
        engine.dispose()
    return 0 if page < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
