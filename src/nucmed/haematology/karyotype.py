"""ISCN karyotypes: the short system as cytogenetics reports write it, read for the risk rules.

The parser reads the subset of ISCN 2020/2024 (McGowan-Jordan, Hastings, Moore (eds.), *ISCN
2020: An International System for Human Cytogenomic Nomenclature*, Karger) that AML reports
use: clones separated by ``/`` with their cell counts (``[20]``, ``[cp10]``), the chromosome
number (``46``, ``45~47``, ``69<3n>``), the sex chromosomes, numerical changes (``+8``,
``-7``, ``-Y``), structural changes in the short form (``t(8;21)(q22;q22.1)``,
``inv(16)(p13.1q22)``, ``del(5)(q13q33)``, ``add(17)(p11.2)``, ``i(17)(q10)``,
``der(7)t(7;12)(q22;p13)``, ``r(7)(p22q36)``, ...), markers (``+mar``, ``+2~4mar``), double
minutes, ``idem``/``sl``/``sdl`` and constitutional changes (``+21c``), which are not counted.
It refuses anything else with the position of the first character it cannot read.

Counting follows ELN 2022 (Döhner et al., Blood 2022;140:1345, Table 6): a *complex
karyotype* has three or more unrelated abnormalities, excluding hyperdiploid karyotypes with
three or more trisomies (or polysomies) and no structural abnormality (footnote **); a
*monosomal karyotype* has two or more distinct autosomal monosomies, or one autosomal monosomy
with at least one structural abnormality (footnote ††). The exclusions that need the whole
genetic picture (class-defining abnormalities, core-binding-factor AML) are applied by the
classifier (:mod:`nucmed.haematology.eln2022`). Our readings, where the sources leave room:
an abnormality seen in several clones counts once; a polysomy (``+8,+8``) counts once; markers,
rings, double minutes and additional material are structural abnormalities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from nucmed.errors import N_, NucmedInputError, Word

__all__ = [
    "Abnormality",
    "Clone",
    "Karyotype",
    "KaryotypeError",
    "parse_karyotype",
]

MAX_KARYOTYPE_LENGTH = 2000
"""The longest karyotype text read (a long complex karyotype is a few hundred characters)."""

_KINDS = (
    "idic", "ider", "der", "dic", "dup", "del", "add", "ins", "inv", "trp", "qdp", "hsr",
    "fra", "rob", "tas", "t", "i", "r",
)  # fmt: skip
_CHROMOSOME = re.compile(r"(?:1[0-9]|2[0-2]|[1-9])(?![0-9])|X|Y|\?")
_BAND = re.compile(r"pter|qter|cen|[pq][0-9?]*(?:\.[0-9?]+)?|\?")
_NUMBER = re.compile(r"[0-9]{1,3}")
_SEX = re.compile(r"[XY?]{1,5}c?")
_EXAMPLE = "46,XY,t(8;21)(q22;q22.1)[20]"
DIPLOID = 46
"""Chromosomes of a diploid human cell; more is hyperdiploid (ISCN 2020, 8.1)."""
COMPLEX_MINIMUM = 3
"""Unrelated abnormalities of a complex karyotype (ELN 2022 Table 6, footnote **)."""
HYPERDIPLOID_GAINS = 3
"""Trisomies or polysomies of the hyperdiploid exclusion (ELN 2022 Table 6, footnote **)."""
MONOSOMAL_MINIMUM = 2
"""Autosomal monosomies that alone make a monosomal karyotype (ELN 2022 Table 6, ††)."""


class KaryotypeError(NucmedInputError):
    """A karyotype that cannot be read; ``position`` is the 1-based character of the fault."""

    def __init__(self, text: str, position: int, expected: str) -> None:
        self.position = position + 1
        near = text[position : position + 12] or Word(N_("end"))
        super().__init__(
            parts=(
                (
                    N_(
                        "the karyotype cannot be read at character {position} ('{near}'): "
                        "expected {expected}; write ISCN such as {example}"
                    ),
                    {
                        "position": self.position,
                        "near": near,
                        "expected": Word(expected),
                        "example": _EXAMPLE,
                    },
                ),
            )
        )


@dataclass(frozen=True, slots=True)
class Abnormality:
    """One acquired abnormality as written, with the chromosomes and bands it involves.

    ``kind`` is ``+`` or ``-`` for a whole chromosome gained or lost, ``mar`` for markers,
    ``dmin`` for double minutes, else the ISCN symbol (``t``, ``inv``, ``der``, ...).
    ``breaks`` pairs each chromosome with a band (``(("8", "q22"), ("21", "q22.1"))``); for a
    derivative chromosome, those of the rearrangements that made it.
    """

    text: str
    kind: str
    chromosomes: tuple[str, ...]
    breaks: tuple[tuple[str, str], ...]
    parts: tuple[str, ...] = ()
    constitutional: bool = False

    @property
    def structural(self) -> bool:
        """Whether it is a structural abnormality (anything but a whole-chromosome change)."""
        return self.kind not in {"+", "-"}

    @property
    def autosomal_loss(self) -> bool:
        """Whether it is the loss of a whole autosome (a monosomy, not -X or -Y)."""
        return self.kind == "-" and self.chromosomes[0] not in {"X", "Y", "?"}


@dataclass(frozen=True, slots=True)
class Clone:
    """One clone: its chromosome number as written, sex chromosomes, changes and cells."""

    number: str
    sex: str
    abnormalities: tuple[Abnormality, ...]
    cells: int | None

    @property
    def modal_number(self) -> int:
        """The (lowest) chromosome number written, e.g. 45 for ``45~47``."""
        return int(_NUMBER.match(self.number).group())  # type: ignore[union-attr]


@dataclass(frozen=True)
class Karyotype:
    """A parsed karyotype and the counts the ELN rules need.

    Examples
    --------
    >>> k = parse_karyotype("45,XY,-7,del(5)(q13q33),+8[15]/46,XY[5]")
    >>> k.abnormality_count, k.complex, k.monosomal
    (3, True, True)
    >>> parse_karyotype("50,XY,+8,+10,+21,+22[20]").complex  # hyperdiploid exclusion
    False
    """

    text: str
    clones: tuple[Clone, ...]

    @cached_property
    def abnormalities(self) -> tuple[Abnormality, ...]:
        """The distinct acquired abnormalities of all clones (constitutional ones left out)."""
        seen: dict[str, Abnormality] = {}
        for clone in self.clones:
            for item in clone.abnormalities:
                if not item.constitutional:
                    seen.setdefault(_identity(item), item)
        return tuple(seen.values())

    @property
    def normal(self) -> bool:
        """No acquired abnormality."""
        return not self.abnormalities

    @property
    def abnormality_count(self) -> int:
        """Unrelated (distinct) abnormalities, counted for the complex karyotype."""
        return len(self.abnormalities)

    @property
    def structural_count(self) -> int:
        """Distinct structural abnormalities."""
        return sum(1 for item in self.abnormalities if item.structural)

    @property
    def autosomal_monosomies(self) -> tuple[str, ...]:
        """The autosomes lost as a whole (``-7`` gives ``"7"``)."""
        return tuple(sorted({i.chromosomes[0] for i in self.abnormalities if i.autosomal_loss}))

    @property
    def gains(self) -> tuple[str, ...]:
        """The chromosomes gained as a whole (trisomies and polysomies)."""
        return tuple(sorted({i.chromosomes[0] for i in self.abnormalities if i.kind == "+"}))

    @property
    def hyperdiploid_exclusion(self) -> bool:
        """Hyperdiploid (more than 46 chromosomes) with three or more trisomies or polysomies
        and no structural abnormality: not complex (ELN 2022 Table 6, footnote **)."""
        hyperdiploid = any(c.modal_number > DIPLOID for c in self.clones if c.abnormalities)
        return (
            hyperdiploid and len(self.gains) >= HYPERDIPLOID_GAINS and self.structural_count == 0
        )

    @property
    def complex(self) -> bool:
        """Three or more unrelated abnormalities, hyperdiploid exclusion applied (footnote **;
        the absence of class-defining abnormalities is the classifier's to check)."""
        return self.abnormality_count >= COMPLEX_MINIMUM and not self.hyperdiploid_exclusion

    @property
    def monosomal(self) -> bool:
        """Two or more autosomal monosomies, or one with a structural abnormality (footnote ††;
        the core-binding-factor exclusion is the classifier's)."""
        monosomies = len(self.autosomal_monosomies)
        return monosomies >= MONOSOMAL_MINIMUM or (monosomies == 1 and self.structural_count >= 1)


def _identity(item: Abnormality) -> str:
    """What makes two written abnormalities the same one (a polysomy is one abnormality)."""
    return item.text.removesuffix("c").split("x")[0] if item.kind in {"+", "-"} else item.text


def parse_karyotype(text: str) -> Karyotype:
    """Read an ISCN karyotype (short system).

    Parameters
    ----------
    text
        The karyotype, e.g. ``46,XX,inv(16)(p13.1q22)[18]/46,XX[2]``; spaces after commas and
        slashes are allowed.

    Returns
    -------
    Karyotype
        Its clones and the counts of :class:`Karyotype`.

    Raises
    ------
    KaryotypeError
        The text is empty, too long or not ISCN; the message gives the character position.

    References
    ----------
    ISCN 2020, sections 8 (numerical) and 9 (structural abnormalities), short system.

    Examples
    --------
    >>> parse_karyotype("46,XY,t(8;21)(q22;q22.1)[20]").abnormalities[0].breaks
    (('8', 'q22'), ('21', 'q22.1'))
    >>> parse_karyotype("46,XY,t(8;21)(q22;q22.1")
    Traceback (most recent call last):
    ...
    nucmed.haematology.karyotype.KaryotypeError: the karyotype cannot be read at character 24 \
('end'): expected ')'; write ISCN such as 46,XY,t(8;21)(q22;q22.1)[20]
    """
    stripped = text.strip()
    if not stripped:
        raise KaryotypeError(stripped, 0, N_("a chromosome number such as 46"))
    if len(stripped) > MAX_KARYOTYPE_LENGTH:
        raise KaryotypeError(stripped, MAX_KARYOTYPE_LENGTH, N_("a shorter karyotype"))
    return _Reader(stripped).karyotype()


class _Reader:
    """A recursive-descent reader over the text, keeping the position for errors."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, expected: str) -> KaryotypeError:
        return KaryotypeError(self.text, self.at, expected)

    def peek(self, literal: str | tuple[str, ...]) -> bool:
        return self.text.startswith(literal, self.at)

    def take(self, literal: str) -> bool:
        if self.peek(literal):
            self.at += len(literal)
            return True
        return False

    def expect(self, literal: str) -> None:
        if not self.take(literal):
            raise self.fail(f"'{literal}'")

    def match(self, pattern: re.Pattern[str], expected: str) -> str:
        found = pattern.match(self.text, self.at)
        if found is None or not found.group():
            raise self.fail(expected)
        self.at = found.end()
        return found.group()

    def spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at] == " ":
            self.at += 1

    def karyotype(self) -> Karyotype:
        clones = [self.clone(())]
        while self.take("/"):
            self.spaces()
            clones.append(self.clone(tuple(clones)))
        if self.at != len(self.text):
            raise self.fail(N_("',', '/' or the end"))
        return Karyotype(self.text, tuple(clones))

    def clone(self, before: tuple[Clone, ...]) -> Clone:
        start = self.at
        self.match(_NUMBER, N_("a chromosome number such as 46"))
        if self.take("~"):
            self.match(_NUMBER, N_("a chromosome number after '~'"))
        if self.take("<"):
            self.match(re.compile(r"[0-9]n[+-]?|[0-9]?n"), N_("a ploidy such as <3n>"))
            self.expect(">")
        number = self.text[start : self.at]
        self.expect(",")
        self.spaces()
        items: list[Abnormality] = []
        if before and self.peek(("idem", "sl", "sdl")):
            sex = before[0].sex
            items.extend(self.item(before))
        else:
            sex = self.match(_SEX, N_("the sex chromosomes such as XY or XX"))
        while self.take(","):
            self.spaces()
            items.extend(self.item(before))
        cells = self.cells()
        return Clone(number, sex, tuple(items), cells)

    def cells(self) -> int | None:
        if not self.take("["):
            return None
        self.take("cp")
        count = int(self.match(_NUMBER, N_("a number of cells such as [20]")))
        self.expect("]")
        return count

    def item(self, before: tuple[Clone, ...]) -> tuple[Abnormality, ...]:
        start = self.at
        if self.take("idem") or self.take("sl"):
            return self.stemline(before, 0, start)
        if self.take("sdl"):
            found = _NUMBER.match(self.text, self.at)
            index = int(found.group()) if found else 1
            self.at = found.end() if found else self.at
            return self.stemline(before, index, start)
        if self.take("inc"):
            return ()
        return (self.abnormality(),)

    def stemline(
        self, before: tuple[Clone, ...], index: int, start: int
    ) -> tuple[Abnormality, ...]:
        if index >= len(before):
            self.at = start
            raise self.fail(N_("idem, sl or sdl only after the clone they refer to"))
        return before[index].abnormalities

    def abnormality(self) -> Abnormality:
        start = self.at
        sign = "+" if self.take("+") else ("-" if self.take("-") else "")
        kind, chromosomes, breaks, parts = self.core(sign)
        constitutional = self.take("c")
        if self.take("x"):
            self.match(_NUMBER, N_("a copy number after 'x'"))
        text = self.text[start : self.at]
        return Abnormality(text, kind, chromosomes, breaks, parts, constitutional)

    def core(
        self, sign: str
    ) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
        numbers = re.compile(r"[0-9]{1,2}(?:~[0-9]{1,2})?")
        count = numbers.match(self.text, self.at)
        if count and self.text.startswith(("mar", "dmin"), count.end()):
            self.at = count.end()
        if self.take("mar"):
            self.take_number()
            return "mar", (), (), ()
        if self.take("dmin"):
            return "dmin", (), (), ()
        if sign and _CHROMOSOME.match(self.text, self.at) and not self.starts_kind():
            chromosome = self.match(_CHROMOSOME, "a chromosome")
            return sign, (chromosome,), (), ()
        return self.structural()

    def take_number(self) -> None:
        found = _NUMBER.match(self.text, self.at)
        if found:
            self.at = found.end()

    def starts_kind(self) -> bool:
        return any(self.peek(kind + "(") for kind in _KINDS)

    def structural(
        self,
    ) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
        kind, chromosomes, breaks = self.rearrangement()
        parts: list[str] = []
        all_breaks = list(breaks)
        while kind in {"der", "dic", "ider", "idic", "rob"} and self.starts_kind():
            start = self.at
            _, _, inner = self.rearrangement()
            parts.append(self.text[start : self.at])
            all_breaks.extend(inner)
        return kind, chromosomes, tuple(all_breaks), tuple(parts)

    def rearrangement(self) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
        kind = next((k for k in _KINDS if self.peek(k + "(")), None)
        if kind is None:
            raise self.fail(N_("a change such as +8, -7, t(8;21)(q22;q22.1) or +mar"))
        self.at += len(kind) + 1
        chromosomes = [self.match(_CHROMOSOME, N_("a chromosome (1-22, X, Y or ?)"))]
        while self.take(";"):
            chromosomes.append(self.match(_CHROMOSOME, N_("a chromosome (1-22, X, Y or ?)")))
        self.expect(")")
        if not self.take("("):
            if kind in {"der", "r", "dic", "idic", "ider", "i", "hsr"}:
                return kind, tuple(chromosomes), ()
            raise self.fail(N_("'(' and the bands, e.g. (q22;q22.1)"))
        breaks: list[tuple[str, str]] = []
        for index, chromosome in enumerate(chromosomes):
            if index:
                self.expect(";")
            breaks.extend((chromosome, band) for band in self.bands())
        self.expect(")")
        return kind, tuple(chromosomes), tuple(breaks)

    def bands(self) -> list[str]:
        found = [self.match(_BAND, N_("a band such as q22 or p13.1"))]
        while (band := _BAND.match(self.text, self.at)) is not None and band.group():
            found.append(band.group())
            self.at = band.end()
        return found
