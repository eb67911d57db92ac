"""The shielding calculator page: TG-108's uptake room in Russian, errors beside the fields in
Kazakh, a translated refusal of the whole design, and sign-in required."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

EXAMPLE_1 = {
    "go": "1", "nuclide_1": "F-18", "kind_1": "patient", "activity_1": "555 MBq",
    "per_week_1": "40", "stay_1": "1 h", "delay_1": "", "distance_1": "4 m",
    "voided_1": "", "material": "lead", "occupancy": "1", "area": "uncontrolled", "goal": "",
}  # fmt: skip


def test_needs_a_signed_in_person(app: FastAPI) -> None:
    page = TestClient(app).get("/calculators/shielding", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/calculators/shielding")


def test_empty_page_has_the_defaults(client: TestClient) -> None:
    page = client.get("/calculators/shielding")
    assert page.status_code == 200
    assert 'value="555 MBq"' in page.text
    assert 'href="/calculators/shielding"' in client.get("/calculators").text


def test_tg108_uptake_room_in_russian(client: TestClient) -> None:
    page = client.get("/calculators/shielding", params=EXAMPLE_1)
    assert page.status_code == 200, page.text
    # PUBLISHED (TG-108 example 1): B = 0.189, 1.2 cm of lead (11.8 mm to 3 digits).
    assert 'data-key="transmission">0,189<' in page.text
    assert 'data-key="thickness">11,8 мм<' in page.text
    assert "Толщина (свинец)" in page.text
    assert "Madsen et al., Med Phys 33(1):4-15 (2006)" in page.text
    assert "transcribed" not in page.text


def test_errors_beside_the_fields_in_kazakh(client: TestClient) -> None:
    bad = {**EXAMPLE_1, "distance_1": "4", "occupancy": "2"}
    page = client.get("/calculators/shielding", params=bad, headers={"Accept-Language": "kk"})
    assert page.status_code == 422
    assert 'value="4"' in page.text
    assert page.text.count('role="alert"') == 2
    assert "has no unit" not in page.text


def test_refusal_of_the_design_is_translated(client: TestClient) -> None:
    tc = {**EXAMPLE_1, "nuclide_1": "Tc-99m", "material": "iron"}
    page = client.get("/calculators/shielding", params=tc)
    assert page.status_code == 422
    assert "Tc-99m" in page.text
    assert "no iron transmission data" not in page.text
