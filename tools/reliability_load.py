"""The load of ``make reliability``: the hot lab's day at many clients through the JSON API.

:func:`prepare_lab` stocks the demo department (NM-ALA) through the API: a generator, its
eluate with QC, two labelled MDP vials with QC. :func:`run_clients` then runs the mix of the
issue (shared-vial draws, the same request drawn from two vials at once, kit preparations from
one eluate, dose requests for new and existing hospital numbers and for one new number at once,
QC entries, receipts, board, stock and page reads) and keeps every id the server acknowledged;
:func:`verify` looks each one up afterwards and counts what is missing or doubled.

Only the standard library and httpx (the ``httpx2`` distribution).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx

SITE = "NM-ALA"
TC99M_HALF_LIFE_S = 6.015 * 3600  # ICRP-107, Tc-99m (the value the server decays with)
PRESCRIBED_BQ = 20e6
ML = 1e-6
OVERDRAWN_M3 = -1e-12
"""Less than this left in a vial (m³) is an overdraw, not rounding."""
SHARED_NUMBERS = tuple(f"RL-SHARED-{n:02d}" for n in range(10))


def now() -> datetime:
    """The time the clients write into what they send (the tests set it to their clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Lab:
    """The ids the load works with."""

    vials: tuple[int, int]
    eluate: int
    calibrator: int


@dataclass
class Tally:
    """Everything the clients saw, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    connection_errors: int = 0
    refused: int = 0
    acked: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    draws_by_request: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    patients_by_number: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    races_tried: int = 0
    races_doubled: int = 0
    errors_seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    planned: dict[int, datetime] = field(default_factory=dict)
    down: threading.Event = field(default_factory=threading.Event)
    """Set while the server is killed and not yet back (connection errors then expected)."""
    resets: int = 0
    """Connection errors while the server was up: dropped or refused connections."""
    by_route: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    """The latencies of each route (ids in the path replaced by ``{id}``)."""

    def answered(self, seconds: float, response: httpx.Response, what: str) -> None:
        route = re.sub(r"/\d+(?=/|$)", "/{id}", what.split("?", maxsplit=1)[0])
        with self.lock:
            self.latencies.append(seconds)
            self.by_route[route].append(seconds)
            if response.is_server_error:
                self.server_errors += 1
                self.errors_seen[f"{response.status_code} {what}"] += 1
            elif response.is_client_error:
                self.refused += 1

    def lost_connection(self, error: httpx.TransportError, what: str) -> None:
        with self.lock:
            self.connection_errors += 1
            if not self.down.is_set():
                self.resets += 1
                self.errors_seen[f"{type(error).__name__} {what}"] += 1

    def ack(self, kind: str, ident: int) -> None:
        with self.lock:
            self.acked[kind].append(ident)

    @property
    def writes(self) -> int:
        return sum(len(ids) for ids in self.acked.values())


def call(
    client: httpx.Client, tally: Tally, method: str, path: str, body: object = None
) -> httpx.Response | None:
    """One request; its latency and answer counted (None: no answer, the connection failed)."""
    start = time.perf_counter()
    try:
        response = client.request(method, path, json=body)
    except httpx.TransportError as error:
        tally.lost_connection(error, f"{method} {path}")
        return None
    tally.answered(time.perf_counter() - start, response, f"{method} {path}")
    return response


def _created(response: httpx.Response | None) -> dict[str, Any] | None:
    if response is None or response.status_code != httpx.codes.CREATED:
        return None
    data: dict[str, Any] = response.json()
    return data


def _setup_post(client: httpx.Client, path: str, body: dict[str, object]) -> int:
    response = client.post(path, json=body)
    if response.status_code != httpx.codes.CREATED:
        raise RuntimeError(f"setup POST {path}: {response.status_code} {response.text}")
    return int(response.json()["id"])


def prepare_lab(client: httpx.Client) -> Lab:
    """Stock the department for the load (as a technologist): returns the ids to use."""
    at = now()
    generator = _setup_post(client, f"/api/sites/{SITE}/materials", _receipt(at, 200e9))
    eluate = _setup_post(
        client,
        f"/api/materials/{generator}/elutions",
        {"eluted_at": at.isoformat(), "activity_bq": 120e9, "volume_m3": 30 * ML},
    )
    for test, value, method in (("mo99_breakthrough", 1e3, "shield"), ("aluminium", 2e-3, "spot")):
        body = {"test": test, "value": value, "method": method, "measured_at": at.isoformat()}
        _setup_post(client, f"/api/materials/{eluate}/qc", body)
    vials = []
    for _ in range(2):
        body = {"kit": "mdp", "volume_m3": 5 * ML, "labelled_at": at.isoformat()}
        vial = _setup_post(client, f"/api/materials/{eluate}/preparations", body)
        _setup_post(client, f"/api/materials/{vial}/qc", _rcp(at))
        vials.append(vial)
    calibrators = client.get(f"/api/sites/{SITE}/calibrators").json()["calibrators"]
    return Lab((vials[0], vials[1]), eluate, int(calibrators[0]["id"]))


def _receipt(now: datetime, activity_bq: float) -> dict[str, object]:
    return {
        "kind": "generator",
        "nuclide": "Mo-99",
        "product": "Tc-99m generator (load test)",
        "activity_bq": activity_bq,
        "calibration_time": (now - timedelta(hours=24)).isoformat(),
        "measured_at": now.isoformat(),
        "surface_dose_rate_sv_per_s": 4e-9,
        "one_metre_dose_rate_sv_per_s": 1e-10,
        "wipe_bq_per_m2": 10.0,
        "label_category": "II-YELLOW",  # surface 14 µSv/h: above I-WHITE's 5 µSv/h
        "transport_index": 0.1,  # 0.36 µSv/h at 1 m, rounded up to the first decimal
        "lot": "RL",
        "supplier": "load test",
        "expires_at": (now + timedelta(days=7)).isoformat(),
    }


def _rcp(now: datetime) -> dict[str, object]:
    return {"test": "rcp", "value": 0.97, "method": "ITLC", "measured_at": now.isoformat()}


@dataclass
class Worker:
    """One client: its connection, the lab, the shared tally and a private counter."""

    client: httpx.Client
    lab: Lab
    tally: Tally
    name: str
    rng: random.Random
    serial: int = 0

    def number(self) -> str:
        self.serial += 1
        return f"RL-{self.name}-{self.serial}"

    def ask(self, number: str) -> int | None:
        planned = now() + timedelta(minutes=5)
        body = {
            "patient_local_id": number,
            "patient_name": f"Load {number}",
            "procedure": "Bone scintigraphy",
            "radiopharmaceutical": "mdp",
            "nuclide": "Tc-99m",
            "prescribed_bq": PRESCRIBED_BQ,
            "planned_at": planned.isoformat(),
        }
        made = _created(
            call(self.client, self.tally, "POST", f"/api/sites/{SITE}/dose-requests", body)
        )
        if made is None:
            return None
        request_id, patient_id = int(made["id"]), int(made["patient_id"])
        self.tally.ack("dose_request", request_id)
        with self.tally.lock:
            self.tally.patients_by_number[number].add(patient_id)
        with self.tally.lock:
            self.tally.planned[request_id] = planned
        return request_id

    def draw(self, request_id: int, vial: int) -> bool:
        drawn = now()
        planned = self.tally.planned.get(request_id, drawn)
        expected = PRESCRIBED_BQ * 2 ** ((planned - drawn).total_seconds() / TC99M_HALF_LIFE_S)
        body = {
            "vial_id": vial,
            "calibrator_id": self.lab.calibrator,
            "drawn_at": drawn.isoformat(),
            "measured_bq": expected,
        }
        path = f"/api/dose-requests/{request_id}/draws"
        made = _created(call(self.client, self.tally, "POST", path, body))
        if made is None:
            return False
        self.tally.ack("draw", int(made["id"]))
        with self.tally.lock:
            self.tally.draws_by_request[request_id].append(int(made["id"]))
        return True

    def shared_draw(self) -> None:
        request_id = self.ask(self.number())
        if request_id is not None:
            self.draw(request_id, self.rng.choice(self.lab.vials))

    def same_request_race(self) -> None:
        request_id = self.ask(self.number())
        if request_id is None:
            return
        other = Worker(self.client, self.lab, self.tally, self.name, self.rng)
        results: list[bool] = []
        threads = [
            threading.Thread(target=lambda w=w, v=v: results.append(w.draw(request_id, v)))
            for w, v in ((self, self.lab.vials[0]), (other, self.lab.vials[1]))
        ]
        _together(threads)
        with self.tally.lock:
            self.tally.races_tried += 1
            self.tally.races_doubled += sum(results) > 1

    def new_patient_race(self) -> None:
        number = self.number()
        threads = [threading.Thread(target=self.ask, args=(number,)) for _ in range(3)]
        _together(threads)
        with self.tally.lock:
            self.tally.races_tried += 1
            self.tally.races_doubled += len(self.tally.patients_by_number[number]) > 1

    def preparation(self) -> None:
        body = {"kit": "mdp", "volume_m3": 0.1 * ML, "labelled_at": now().isoformat()}
        path = f"/api/materials/{self.lab.eluate}/preparations"
        made = _created(call(self.client, self.tally, "POST", path, body))
        if made is not None:
            self.tally.ack("material", int(made["id"]))

    def new_patient(self) -> None:
        self.ask(self.number())

    def existing_patient(self) -> None:
        self.ask(self.rng.choice(SHARED_NUMBERS))

    def qc(self) -> None:
        path = f"/api/materials/{self.rng.choice(self.lab.vials)}/qc"
        if _created(call(self.client, self.tally, "POST", path, _rcp(now()))) is not None:
            self.tally.ack("qc", 0)

    def receipt(self) -> None:
        body = _receipt(now(), 1e9)
        made = _created(
            call(self.client, self.tally, "POST", f"/api/sites/{SITE}/materials", body)
        )
        if made is not None:
            self.tally.ack("material", int(made["id"]))

    def read(self, path: str) -> Callable[[], None]:
        def get() -> None:
            call(self.client, self.tally, "GET", path)

        return get


def _together(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _mix(worker: Worker) -> list[tuple[Callable[[], None], int]]:
    return [
        (worker.shared_draw, 20),
        (worker.same_request_race, 5),
        (worker.preparation, 10),
        (worker.new_patient, 10),
        (worker.existing_patient, 10),
        (worker.new_patient_race, 3),
        (worker.qc, 10),
        (worker.receipt, 4),
        (worker.read(f"/api/sites/{SITE}/hotlab/board"), 14),
        (worker.read(f"/sites/{SITE}/hotlab"), 7),
        (worker.read(f"/api/sites/{SITE}/stock"), 7),
    ]


@dataclass(frozen=True)
class Target:
    """The server's address and the bearer token the clients use."""

    base_url: str
    token: str


def run_clients(target: Target, lab: Lab, clients: int, until: float, tally: Tally) -> None:
    """Run ``clients`` threads of the mix until the monotonic time ``until``."""

    def loop(index: int) -> None:
        headers = {"Authorization": f"Bearer {target.token}"}
        with httpx.Client(base_url=target.base_url, headers=headers, timeout=60.0) as client:
            worker = Worker(client, lab, tally, f"c{index}", random.Random(index))
            actions, weights = zip(*_mix(worker), strict=True)
            while time.monotonic() < until:
                before = tally.connection_errors
                worker.rng.choices(actions, weights)[0]()
                if tally.connection_errors > before:
                    time.sleep(0.2)  # the server is down: wait for it to come back

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    _together(threads)


@dataclass
class Findings:
    """What the check after the load found."""

    found: int = 0
    lost: int = 0
    doubled: int = 0
    overdrawn: int = 0
    notes: list[str] = field(default_factory=list)


def _board_ids(client: httpx.Client) -> set[int]:
    """The request ids on every page of the day board."""
    ids: set[int] = set()
    page, pages = 1, 1
    while page <= pages:
        path = f"/api/sites/{SITE}/hotlab/board?page={page}&per_page=500"
        board = client.get(path).json()
        ids |= {line["request_id"] for line in board["lines"]}
        page, pages = page + 1, board["pages"]
    return ids


def verify(client: httpx.Client, tally: Tally, lab: Lab) -> Findings:
    """Look up every acknowledged write; count the missing, the doubled and overdrawn vials."""
    findings = Findings()
    on_board = _board_ids(client)
    checks: list[tuple[str, Callable[[int], bool]]] = [
        ("material", lambda i: client.get(f"/api/materials/{i}").status_code == httpx.codes.OK),
        ("draw", lambda i: client.get(f"/draws/{i}/label.pdf").status_code == httpx.codes.OK),
        ("dose_request", lambda i: i in on_board),
    ]
    for kind, exists in checks:
        for ident in tally.acked.get(kind, []):
            if exists(ident):
                findings.found += 1
            else:
                findings.lost += 1
                findings.notes.append(f"{kind} {ident} acknowledged but not found")
    findings.found += len(tally.acked.get("qc", []))  # QC rows have no id to look up
    findings.doubled += sum(len(ids) > 1 for ids in tally.draws_by_request.values())
    findings.doubled += sum(len(ids) > 1 for ids in tally.patients_by_number.values())
    for number in SHARED_NUMBERS:
        answer = client.get(f"/api/sites/{SITE}/patients", params={"q": number}).json()
        same = [p for p in answer["patients"] if p["local_id"] == number]
        findings.doubled += len(same) > 1
    for material in (*lab.vials, lab.eluate):
        left = client.get(f"/api/materials/{material}").json()["now"]["volume_m3"]
        findings.overdrawn += left is not None and left < OVERDRAWN_M3
    return findings
