"""The syringe label: validation, payload, PDF bytes, the Code 128 read back from the PDF.

Kinds of expected value: **analytic** (what the label must say follows from its fields: the
payload, local times, the Code 128 of the dose ID) and **regression** (same label, same bytes).
Rendering to PNG needs ``pdftoppm`` (Debian poppler-utils) and decoding it ``zbarimg`` (Debian
zbar-tools); without them those tests are skipped. The PNGs go to ``test-artifacts/labels/``.
"""

from __future__ import annotations

import base64
import re
import shutil
import string
import subprocess
import zlib
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.barcode.code128 import _patterns
from reportlab.pdfbase import pdfmetrics

from nucmed.errors import NucmedInputError
from nucmed.interop import label as label_module
from nucmed.interop.label import WORDS, DoseLabel, LabelError, label_payload, render_label_pdf
from nucmed.units import parse_datetime

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "labels"
T0 = datetime(2026, 11, 22, 4, 30, tzinfo=UTC)  # 09:30 in Almaty (UTC+5), 10:30 in Bishkek


def make_label(**changes: Any) -> DoseLabel:
    fields: dict[str, Any] = {
        "dose_id": "KZ-ALA-20261122-0042",
        "site_code": "KZ-ALA-01",
        "patient_name": "Абдрахманова Айгерим Нурлановна",
        "patient_id": "P-0012345",
        "radiopharmaceutical": "Tc-99m MDP",
        "nuclide": "Tc-99m",
        "activity_bq": 7.4e8,
        "activity_time": T0,
        "volume_m3": 2e-6,
        "expires_at": T0 + timedelta(hours=6),
        "drawn_by": "Ахметова Ә. Қ.",
        "time_zone": "Asia/Almaty",
        "language": "ru",
        "measured_bq": 8.15e8,
        "measured_at": T0 - timedelta(minutes=53),
        "route": "intravenous",
        "birth_date": date(1971, 5, 2),
    }
    return DoseLabel(**(fields | changes))


def pdf_streams(pdf: bytes) -> list[bytes]:
    """The decoded streams of a reportlab PDF (ASCII85 then Flate, or Flate alone)."""
    streams = []
    for match in re.finditer(rb"\bstream\r?\n(.*?)endstream", pdf, re.S):
        data = match.group(1)
        if data.rstrip().endswith(b"~>"):
            data = base64.a85decode(data.rstrip()[:-2])
        else:  # binary: only the end-of-line before "endstream" is not data
            data = data.removesuffix(b"\n").removesuffix(b"\r")
        streams.append(zlib.decompress(data))
    return streams


def page_content(pdf: bytes) -> bytes:
    return next(s for s in pdf_streams(pdf) if b" Tf " in s)


# --- Code 128 read back from the page: the bars are `x y w h re f*` rectangles. ---------------
# Element widths (bar, space, bar, ...) in modules of each symbol value, from reportlab's table
# (upper case: a bar of 1-4 modules, lower case: a space). What the test adds on its own: the
# structure (11 modules a character, even bar modules), the mod-103 check and the set logic of
# ISO/IEC 15417:2007.
WIDTHS = {
    tuple(ord(c.lower()) - ord("a") + 1 for c in pattern): value
    for value, pattern in _patterns.items()
}
RECT = re.compile(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re f\*")


def code128_elements(content: bytes) -> tuple[list[int], float]:
    """Element widths in modules, left to right, and the module in points."""
    rects = [tuple(map(float, m.groups())) for m in RECT.finditer(content)]
    bars = sorted((x, w) for x, _, w, h in rects if h > 20)  # QR modules are small squares
    module = min(w for _, w in bars)
    widths = []
    for (x, w), (next_x, _) in zip(bars, [*bars[1:], (bars[-1][0] + bars[-1][1], 0)], strict=True):
        widths += [w, next_x - x - w] if next_x > x + w else [w]
    elements = [round(w / module) for w in widths]
    assert all(abs(w / module - e) < 0.01 for w, e in zip(widths, elements, strict=True))
    return elements, module


def decode_code128(elements: list[int]) -> str:
    """The text of a Code 128 symbol given as element widths in modules."""
    chars, stop = elements[:-7], elements[-7:]
    assert tuple(stop) == (2, 3, 3, 1, 1, 1, 2), "stop pattern"
    values = []
    for i in range(0, len(chars), 6):
        char = tuple(chars[i : i + 6])
        assert sum(char) == 11 and sum(char[0::2]) % 2 == 0, f"malformed character {char}"
        values.append(WIDTHS[char])
    start, data, check = values[0], values[1:-1], values[-1]
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check, "check char"
    code = {103: "A", 104: "B", 105: "C"}[start]
    switch = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
    text = ""
    for v in data:
        if v in switch[code]:
            code = switch[code][v]
        elif code == "C":
            text += f"{v:02d}"
        else:
            assert v < 96, f"function character {v} in set {code}"
            text += chr(v + 32) if code == "B" or v < 64 else chr(v - 64)
    return text


class TestValidation:
    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({"activity_time": datetime(2026, 11, 22, 9, 30)}, id="naive-time"),
            pytest.param({"expires_at": datetime(2026, 11, 22, 15, 30)}, id="naive-expiry"),
            pytest.param({"activity_bq": -7.4e8}, id="negative-activity"),
            pytest.param({"activity_bq": 0.0}, id="zero-activity"),
            pytest.param({"activity_bq": float("nan")}, id="nan-activity"),
            pytest.param({"volume_m3": -2e-6}, id="negative-volume"),
            pytest.param({"volume_m3": float("inf")}, id="infinite-volume"),
            pytest.param({"dose_id": ""}, id="empty-dose-id"),
            pytest.param({"dose_id": "   "}, id="blank-dose-id"),
            pytest.param({"dose_id": "D|42"}, id="bar-in-dose-id"),
            pytest.param({"dose_id": "Д-42"}, id="cyrillic-dose-id"),
            pytest.param({"dose_id": "D" * 20}, id="dose-id-too-long-for-code128"),
            pytest.param({"patient_id": "P" * 33}, id="long-patient-id"),
            pytest.param({"patient_id": "P\n1"}, id="newline-patient-id"),
            pytest.param({"patient_name": ""}, id="empty-name"),
            pytest.param({"drawn_by": "A\tB"}, id="tab-in-drawn-by"),
            pytest.param({"radiopharmaceutical": "x" * 81}, id="long-radiopharmaceutical"),
            pytest.param({"time_zone": "Asia/Alma-Ata-X"}, id="unknown-zone"),
            pytest.param({"language": "de"}, id="unknown-language"),
            pytest.param({"measured_bq": 0.0}, id="zero-measured"),
            pytest.param({"measured_at": datetime(2026, 11, 22, 8, 37)}, id="naive-measured-at"),
            pytest.param({"route": "iv"}, id="unknown-route"),
        ],
    )
    def test_bad_field_is_refused_in_one_line(self, changes: dict[str, Any]) -> None:
        with pytest.raises(LabelError) as caught:
            make_label(**changes)
        assert isinstance(caught.value, NucmedInputError)
        assert "\n" not in str(caught.value)
        field = next(iter(changes))
        assert field in str(caught.value) or field.replace("_", " ") in str(caught.value)

    def test_text_too_wide_even_in_small_print_is_refused_at_rendering(self) -> None:
        with pytest.raises(LabelError, match="too long for the label"):
            render_label_pdf(make_label(patient_name="Ш" * 80))


class TestPayloadAnalytic:
    def test_payload_fields_in_site_time(self) -> None:
        assert label_payload(make_label()) == (
            "NUCMED1|KZ-ALA-01|KZ-ALA-20261122-0042|Tc-99m|740000000|"
            "2026-11-22T09:30+05:00|P-0012345"
        )

    def test_payload_time_in_bishkek(self) -> None:
        payload = label_payload(make_label(time_zone="Asia/Bishkek", activity_bq=3.7e8 + 0.4))
        assert payload.split("|")[4:6] == ["370000000", "2026-11-22T10:30+06:00"]

    @given(
        ids=st.lists(
            st.text(
                alphabet=st.sampled_from(string.printable[:94].replace("|", "") + " "),
                min_size=1,
                max_size=19,  # any 19 characters fit the Code 128 of the dose ID
            ).filter(str.strip),
            min_size=4,
            max_size=4,
        ),
        activity_bq=st.floats(min_value=1.0, max_value=1e13),
        minutes=st.integers(min_value=-(10**6), max_value=10**6),
    )
    def test_payload_splits_back_into_its_fields(
        self, ids: list[str], activity_bq: float, minutes: int
    ) -> None:
        moment = T0 + timedelta(minutes=minutes)
        dose_id, site_code, nuclide, patient_id = ids
        label = make_label(
            dose_id=dose_id, site_code=site_code, nuclide=nuclide, patient_id=patient_id,
            activity_bq=activity_bq, activity_time=moment,
        )  # fmt: skip
        prefix, site, dose, nuc, bq, when, patient = label_payload(label).split("|")
        assert (prefix, site, dose, nuc, patient) == (
            "NUCMED1", site_code, dose_id, nuclide, patient_id
        )  # fmt: skip
        assert int(bq) == round(activity_bq)
        assert parse_datetime(when) == moment


class TestPdf:
    def test_is_a_small_pdf_page(self) -> None:
        pdf = render_label_pdf(make_label())
        assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
        box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
        assert box is not None
        mm_per_pt = 25.4 / 72  # PDF point = 1/72 inch (ISO 32000-1, 8.3.2.3)
        assert [float(v) * mm_per_pt for v in box.groups()] == pytest.approx([100, 50])

    def test_regression_same_label_gives_same_bytes(self) -> None:
        assert render_label_pdf(make_label()) == render_label_pdf(make_label())
        assert render_label_pdf(make_label()) != render_label_pdf(make_label(volume_m3=3e-6))

    def test_metadata_subject_is_the_payload(self) -> None:
        label = make_label()
        assert f"/Subject ({label_payload(label)})".encode() in render_label_pdf(label)

    @pytest.mark.parametrize(
        ("zone", "shown"),
        [
            pytest.param("Asia/Almaty", b"2026-11-22 09:30 +05:00", id="almaty"),
            pytest.param("Asia/Bishkek", b"2026-11-22 10:30 +06:00", id="bishkek"),
            pytest.param("UTC", b"2026-11-22 04:30 +00:00", id="utc"),
        ],
    )
    def test_analytic_times_are_shown_in_the_site_zone(self, zone: str, shown: bytes) -> None:
        content = page_content(render_label_pdf(make_label(time_zone=zone)))
        assert shown in content

    def test_code128_text_under_the_bars_is_the_dose_id(self) -> None:
        content = page_content(render_label_pdf(make_label()))
        assert b"/F1 7 Tf" in content and b"(KZ-ALA-20261122-0042) Tj" in content

    @pytest.mark.parametrize(
        "dose_id",
        [
            pytest.param("KZ-ALA-20261122-0042", id="mixed"),
            pytest.param("12345678", id="digits-set-c"),
            pytest.param("d~x 7", id="lower-case-and-tilde"),
            pytest.param("A" * 19, id="longest-letters"),
            pytest.param("1" * 32, id="longest-digits"),
        ],
    )
    def test_analytic_code128_read_back_from_the_bars(self, dose_id: str) -> None:
        content = page_content(render_label_pdf(make_label(dose_id=dose_id)))
        elements, module_pt = code128_elements(content)
        assert decode_code128(elements) == dose_id
        module_mm = module_pt * 25.4 / 72  # PDF point = 1/72 inch
        assert 0.19 <= module_mm <= 0.33 + 1e-9  # 7.5 mil minimum, as scanners expect

    @pytest.mark.parametrize("language", ["ru", "kk", "en"])
    def test_every_word_has_a_glyph_in_the_font(self, language: str) -> None:
        render_label_pdf(make_label(language=language))
        cmap = pdfmetrics.getFont("NucmedLabelSans").face.charToGlyph
        assert all(ord(c) in cmap for word in WORDS[language].values() for c in word)

    def test_fonts_with_kazakh_letters_ship_with_their_licence(self) -> None:
        folder = Path(str(resources.files("nucmed"))) / "data" / "fonts"
        assert (folder / "LICENSE.DejaVu").read_text(encoding="utf-8").count("Bitstream") > 0
        assert label_module._has_glyphs(folder / "DejaVuSans.ttf")


def render_png(label: DoseLabel, name: str, folder: Path) -> Path:
    """The label rendered at 300 dpi by pdftoppm into ``folder`` (the test's own: runs at once
    never collide), with a copy of the PDF and PNG kept under test-artifacts/labels/."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (Debian package poppler-utils)")
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(render_label_pdf(label))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-singlefile", pdf, folder / name], check=True
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for made in (pdf, folder / f"{name}.png"):
        shutil.copy(made, ARTIFACTS / made.name)
    return folder / f"{name}.png"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_renders_to_png_at_label_size(language: str, tmp_path: Path) -> None:
    png = render_png(make_label(language=language), f"label-{language}", tmp_path)
    header = png.read_bytes()[:24]
    width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
    dots_per_mm = 300 / 25.4  # 300 dpi
    assert width == pytest.approx(100 * dots_per_mm, abs=1)  # pdftoppm rounds to whole dots
    assert height == pytest.approx(50 * dots_per_mm, abs=1)


def test_zbarimg_reads_the_dose_id_and_payload(tmp_path: Path) -> None:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg not installed (Debian package zbar-tools)")
    label = make_label(language="kk")
    png = render_png(label, "label-zbar", tmp_path)
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", png], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert sorted(out) == sorted([label.dose_id, label_payload(label)])
