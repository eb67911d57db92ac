"""Entry point of the ``nucmed`` command.

Bad input never shows a traceback: it prints one line that says what is wrong and exits with
status 2, as command-line conventions (and Click's own usage errors) do.
"""

from __future__ import annotations

import os
import sys

import typer

from nucmed import __version__
from nucmed.cli import (
    backup,
    database,
    dicom,
    dose,
    haematology,
    hl7,
    imaging,
    physics,
    rrdsr,
    serve,
    shielding,
    supply,
    therapy,
    training,
    transport,
)
from nucmed.cli import lang as cli_lang
from nucmed.errors import N_, NucmedInputError

__all__ = ["build_app", "main"]

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 1


def build_app() -> typer.Typer:
    """Build the Typer application with every command registered."""
    app = typer.Typer(
        name="nucmed",
        help=f"nucmed {__version__}: nuclear medicine from reactor to patient. "
        "--lang ru|kk|en (before or after the command) sets the language of messages and "
        "tables; without it LC_ALL, LC_MESSAGES or LANG does, else English.",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    physics.register(app)
    therapy.register(app)
    dose.register(app)
    haematology.register(app)
    training.register(app)
    transport.register(app)
    shielding.register(app)
    supply.register(app)
    rrdsr.register(app)
    dicom.register(app)
    hl7.register(app)
    imaging.register(app)
    database.register(app)
    backup.register(app)
    serve.register(app)
    return app


def _fail(message: str, status: int) -> int:
    said = " ".join(message.split())
    label = cli_lang.tr(N_("error"))
    sys.stderr.write(f"nucmed: {label}: {said}\n")
    return status


def _unexpected(error: Exception) -> int:
    """One line for an error that is not bad input; exit status 1.

    A database that stayed locked past its busy timeout is said so (try again later); any
    other error is a bug (``NUCMED_DEBUG=1`` re-raises it for the traceback). The unit of
    work is imported only here, on failure, to keep the start-up time.
    """
    from nucmed.services.uow import DatabaseBusyError  # noqa: PLC0415

    if isinstance(error, DatabaseBusyError):
        return _fail(str(error), EXIT_INTERNAL_ERROR)
    if os.environ.get("NUCMED_DEBUG"):
        raise error
    return _fail(
        f"internal error {type(error).__name__}: {error}; rerun with NUCMED_DEBUG=1 "
        "for details and please report it",
        EXIT_INTERNAL_ERROR,
    )


def _language_taken(argv: list[str]) -> list[str]:
    """Set the run's language (``--lang``, else the environment) and return the arguments
    without the option."""
    language, arguments = cli_lang.take_language(argv, os.environ)
    cli_lang.use(language)
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 internal error)."""
    app = build_app()
    try:
        arguments = _language_taken(sys.argv[1:] if argv is None else argv)
        app(args=arguments, prog_name="nucmed", standalone_mode=False)
    except NucmedInputError as error:
        return _fail(cli_lang.tr_error(error), EXIT_BAD_INPUT)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        return _fail("aborted", EXIT_BAD_INPUT)
    except typer.exceptions.TyperException as error:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        return _fail(f"{message} (see nucmed --help)", EXIT_BAD_INPUT)
    except Exception as error:  # a bug or a busy database, not bad input: one line
        return _unexpected(error)
    finally:
        cli_lang.use("en")  # the next run in this process chooses again
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
