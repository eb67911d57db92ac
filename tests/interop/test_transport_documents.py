"""The transport document and label PDF of :mod:`nucmed.interop.transport_documents`: every
label category draws, an excepted package says it has no category label, a Type B(U) package
without its certificate and a nameless party are refused. Read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from nucmed.errors import NucmedInputError
from nucmed.interop.transport_documents import (
    DeclaredContent,
    Party,
    ShippingDocument,
    render_transport_pdf,
)
from nucmed.safety.transport import Content, Packing, classify_package

USV_H = 1e-6 / 3600
KZ = Party("Центр ядерной медицины", "Алматы", "Казахстан", "пр. Абая 2")
KG = Party("Городская больница", "Бишкек", "Кыргызстан")


def _document(activity_bq: float, surface_usv_h: float, one_metre_usv_h: float,
              certificate: str = "") -> ShippingDocument:  # fmt: skip
    result = classify_package([Content("Tc-99m", activity_bq)], surface_usv_h * USV_H,
                              one_metre_usv_h * USV_H)  # fmt: skip
    contents = (DeclaredContent("Tc-99m", activity_bq, f"{activity_bq:g} Bq"),)
    return ShippingDocument(KZ, KG, contents, Packing(), result,
                            datetime(2026, 12, 1, 4, tzinfo=UTC), "Asia/Almaty", "ru",
                            certificate)  # fmt: skip


def _text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)  # fmt: skip
    return done.stdout.decode()


@pytest.mark.parametrize(
    ("surface", "one_metre", "category", "ti"),
    [
        pytest.param(4, 0.4, "I-WHITE", "0", id="I-WHITE"),
        pytest.param(300, 8, "II-YELLOW", "0,8", id="II-YELLOW"),
        pytest.param(1500, 60, "III-YELLOW", "6", id="III-YELLOW"),
    ],
)  # fmt: skip
def test_each_category_is_drawn(surface: float, one_metre: float, category: str,
                                ti: str) -> None:  # fmt: skip
    text = _text(render_transport_pdf(_document(37e9, surface, one_metre)))
    assert f"Категория знака: {category}" in text
    assert re.search(rf"Транспортный индекс\s+{ti}\n", text)
    assert "Центр ядерной медицины, пр. Абая 2, Алматы, Казахстан" in text
    assert "2026-12-01 09:00 +05:00" in text  # 04:00 UTC in Almaty


def test_an_excepted_package_has_no_category_label() -> None:
    text = _text(render_transport_pdf(_document(1e6, 1, 0.1)))
    assert "UN 2910" in text and "нет (освобождённая упаковка)" in text
    assert "Знак категории не нужен" in text and "РАДИОАКТИВНО" not in text


def test_type_b_needs_its_certificate_and_prints_it() -> None:
    with pytest.raises(NucmedInputError, match="certificate"):
        render_transport_pdf(_document(5e12, 300, 8))
    text = _text(render_transport_pdf(_document(5e12, 300, 8, "KZ/12/B(U)-96")))
    assert "UN 2916" in text and "KZ/12/B(U)-96" in text


def test_a_party_needs_a_name() -> None:
    document = _document(37e9, 300, 8)
    nameless = ShippingDocument(Party(" ", "Бишкек", "Кыргызстан"), *(
        getattr(document, f) for f in ("consignee", "contents", "packing", "classification",
                                       "prepared_at", "time_zone", "language")))  # fmt: skip
    with pytest.raises(NucmedInputError, match="consignor"):
        render_transport_pdf(nameless)
