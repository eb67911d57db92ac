"""The syringe label of a drawn dose (issue 11): the measured activity at the time of the draw
and decay-corrected to the planned time (not the prescription), the route, the patient's name
and birth date, the radiopharmaceutical's name with its nuclide once; the barcodes read back.

Kinds of expected value: **analytic** (A(t) = A0 · 2^(-t/T½), Tc-99m T½ = 6.0067 h, ICRP
Publication 107; the label writes the formula's number to 4 significant figures).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from nucmed.interop.label import label_payload, render_label_pdf
from nucmed.physics.nuclides import get_nuclide
from nucmed.services.hotlab import doses, labels
from nucmed.services.uow import Database, transaction
from nucmed.store.db import SessionFactory
from tests.services.hotlab_fixtures import T0, site_and_tech
from tests.services.test_hotlab_doses import _calibrator, _mdp, draw_as, identity_of

pytestmark = pytest.mark.usefixtures("t0_evening")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "labels"
MEASURED_BQ = 815e6
DRAWN_AT = T0 + timedelta(hours=1)
PLANNED_AT = T0 + timedelta(hours=1, minutes=53)


def _drawn(factory: SessionFactory) -> tuple[int, int]:
    """An MDP dose for a woman born 1971-05-02, ordered intravenous, drawn 53 min before the
    planned time and measured at 815 MBq; (tech id, draw id)."""
    with transaction(factory) as store:
        site, tech = site_and_tech(store)
        mdp, device = _mdp(store, site, tech), _calibrator(store, site, tech)
        patient = doses.register_patient(
            store, tech, site, doses.PatientInput("A-0100", "Ахметова Айгуль", date(1971, 5, 2))
        )
        order = doses.RequestInput(
            patient.id, "Bone scan", "mdp", "Tc-99m", 740e6, PLANNED_AT, "intravenous"
        )
        request = doses.request_dose(store, tech, site, order)
        ids = (tech.id, request.id, mdp.id, device.id)
    given = doses.DrawInput(ids[1], ids[2], ids[3], DRAWN_AT, MEASURED_BQ)
    return ids[0], draw_as(factory, ids[0], given).id


def _planned_bq() -> float:
    half_life_s = get_nuclide("Tc-99m").half_life_s
    return MEASURED_BQ * 2 ** (-(PLANNED_AT - DRAWN_AT).total_seconds() / half_life_s)


def test_analytic_label_values(factory: SessionFactory, database: Database) -> None:
    tech_id, draw_id = _drawn(factory)
    label = labels.dose_label(database, identity_of(factory, tech_id), draw_id, "ru")
    assert label.measured_bq == MEASURED_BQ and label.measured_at == DRAWN_AT
    assert label.activity_bq == pytest.approx(_planned_bq(), rel=1e-12)
    assert round(label.activity_bq / 1e6) == 736  # the 815 MBq at 22:38 -> 23:31
    assert label.activity_time == PLANNED_AT
    assert label.route == "intravenous" and label.birth_date == date(1971, 5, 2)
    assert label.radiopharmaceutical == "Tc-99m medronate (MDP)"
    assert label_payload(label).split("|")[4] == str(round(_planned_bq()))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        pytest.param("ru", ("Измерено: 815 МБк", "Путь введения: внутривенно"), id="ru"),
        pytest.param("kk", ("Өлшенді: 815 МБк", "Енгізу жолы: көктамыр ішіне"), id="kk"),
    ],
)
def test_the_pdf_says_measured_and_planned_activity_birth_date_and_route(
    factory: SessionFactory,
    database: Database,
    language: str,
    words: tuple[str, ...],
    tmp_path: Path,
) -> None:
    """Rendered and read back under the test's own folder (runs at once never collide), then
    kept under ``test-artifacts/labels/`` for a person to look at."""
    if shutil.which("pdftotext") is None or shutil.which("zbarimg") is None:
        pytest.skip("pdftotext and zbarimg needed (Debian poppler-utils, zbar-tools)")
    tech_id, draw_id = _drawn(factory)
    label = labels.dose_label(database, identity_of(factory, tech_id), draw_id, language)
    pdf = tmp_path / f"dose-label-{language}.pdf"
    pdf.write_bytes(render_label_pdf(label))
    shown = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    planned = f"{_planned_bq() / 1e6:.4g}".replace(".", ",")  # 736,1: 4 significant figures
    assert f"{planned} МБк" in shown and "740 МБк" not in shown  # not the prescription
    assert all(word in shown for word in words)
    assert "1971-05-02" in shown and "Ахметова Айгуль" in shown
    assert "Tc-99m medronate (MDP)" in shown and "Tc-99m Tc-99m" not in shown
    png = tmp_path / f"dose-label-{language}"
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", pdf, png], check=True)
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{png}.png"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert sorted(read) == sorted([label.dose_id, label_payload(label)])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for made in (pdf, Path(f"{png}.png")):
        shutil.copy(made, ARTIFACTS / made.name)
