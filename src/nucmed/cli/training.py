"""Training programmes on the command line: ``nucmed training curriculum CODE``.

``nucmed training curriculum 7R01108 [--language kk|ru|en] [--json]`` prints the programme's
disciplines (credits, academic hours, component, years, learning outcomes served), the electives
offered and the learning outcomes; ``--json`` prints one object with the keys ``code``,
``title``, ``total_credits``, ``hours_per_credit``, ``disciplines``, ``electives`` and
``learning_outcomes``. An unknown code exits with status 2 and one line naming the codes there
are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nucmed.cli.output import JsonOption, emit

if TYPE_CHECKING:
    from nucmed.training.programme import Discipline, Programme

__all__ = ["register"]


def _row(found: Programme, discipline: Discipline, language: str) -> tuple[str, str]:
    first, last = discipline.years[0], discipline.years[-1]
    years = f"{first}-{last}" if last != first else str(first)
    outcomes = " ".join(discipline.outcomes) or "-"
    return (
        discipline.name.in_language(language),
        f"{discipline.credits} credits ({found.hours(discipline)} h), "
        f"{discipline.component}, year {years}, {outcomes}",
    )


def curriculum(
    code: Annotated[str, typer.Argument(help="The programme's code, e.g. 7R01108.")],
    language: Annotated[
        str, typer.Option("--language", help="Language of the texts: kk, ru or en.")
    ] = "en",
    as_json: JsonOption = False,
) -> None:
    """A programme's curriculum: disciplines, credits, electives, learning outcomes."""
    # Imported here: the data classes are not needed for ``nucmed --help`` (start-up time).
    from nucmed.training.programme import LANGUAGES, programme  # noqa: PLC0415

    if language not in LANGUAGES:
        raise typer.BadParameter(f"--language is one of {', '.join(LANGUAGES)}")
    found = programme(code)
    rows = [
        ("total", f"{found.total_credits} credits, {found.hours_per_credit} h per credit"),
        *(_row(found, d, language) for d in found.disciplines),
        *((f"  elective: {name}", text) for name, text in
          (_row(found, d, language) for d in found.electives)),
        *((o.code, o.title.in_language(language)) for o in found.outcomes),
    ]  # fmt: skip
    title = f"{found.code} {found.title.in_language(language)}"
    emit(title, rows, found.as_json(language), as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the ``training`` command group."""
    group = typer.Typer(
        help="Training: residency programmes.", no_args_is_help=True, rich_markup_mode=None
    )
    group.command("curriculum")(curriculum)
    app.add_typer(group, name="training")
