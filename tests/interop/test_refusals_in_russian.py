"""Refusals of the formats at the edge (issue 12, Deliver 1) in the reader's language: an RRDSR
record and SR, an HL7 v2 message, a syringe label, a NIfTI file and a DICOM image series each
refuse with a template and typed values, so that a Russian reader sees a Russian sentence
around the codes (DICOM keywords, HL7 segments), the values as sent and quantities in МБк."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from nucmed.catalogue import in_language, translations
from nucmed.errors import Message, NucmedInputError
from nucmed.interop.hl7v2 import read_message
from nucmed.interop.imaging_dicom import read_series
from nucmed.interop.nifti import read_volume
from nucmed.interop.rrdsr import lookup_code
from nucmed.interop.rrdsr_reading import read_rrdsr
from tests.interop.test_label import make_label

ENGLISH = re.compile(r"\b(?:the|is|not|use|one|of|no|such|file|folder|must|got|unknown)\b")


def _russian(error: NucmedInputError) -> str:
    return in_language(translations("ru").gettext, Message.of(error))


def _unknown_route(_: Path) -> None:
    lookup_code("route", "nasal")


def _not_an_sr(_: Path) -> None:
    read_rrdsr(Dataset())


def _other_message_type(_: Path) -> None:
    read_message("MSH|^~\\&|RIS|H|NM|H|20261122083000+0500||ORU^R01|1|P|2.5\rPID|||1")


def _negative_activity(_: Path) -> None:
    make_label(activity_bq=-7.4e8)


def _no_nifti(folder: Path) -> None:
    read_volume(folder / "absent.nii")


def _no_series(folder: Path) -> None:
    read_series(folder / "absent")


@pytest.mark.parametrize(
    ("refused", "expected"),
    [
        pytest.param(_unknown_route, "неизвестный путь введения «nasal»", id="rrdsr"),
        pytest.param(_not_an_sr, "это не Radiopharmaceutical Radiation Dose SR: нет SOP Class UID",
                     id="rrdsr-reading"),
        pytest.param(_other_message_type, "тип сообщения ORU^R01: nucmed читает", id="hl7v2"),
        pytest.param(_negative_activity, "activity_bq должно быть положительным конечным числом; "
                     "получено -740 МБк", id="label"),
        pytest.param(_no_nifti, "absent.nii: файл не найден", id="nifti"),
        pytest.param(_no_series, "absent: нет такого файла или папки", id="imaging-dicom"),
    ],
)  # fmt: skip
def test_a_refusal_reads_in_russian(
    tmp_path: Path, refused: Callable[[Path], None], expected: str
) -> None:
    with pytest.raises(NucmedInputError) as caught:
        refused(tmp_path)
    assert caught.value.parts, "a refusal carries its template and values"
    shown = _russian(caught.value)
    assert expected in shown, shown
    prose = shown.replace(str(tmp_path), "").replace("Radiopharmaceutical Radiation Dose SR", "")
    assert not ENGLISH.search(prose), shown
