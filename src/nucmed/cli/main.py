"""Entry point of the ``nucmed`` command.

Bad input never shows a traceback: it prints one line that says what is wrong and exits with
status 2, as command-line conventions (and Click's own usage errors) do.
"""

from __future__ import annotations

import os
import sys

import typer

from nucmed import __version__
from nucmed.cli import backup, database, dose, physics, rrdsr, serve, therapy
from nucmed.errors import NucmedInputError

__all__ = ["build_app", "main"]

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 1


def build_app() -> typer.Typer:
    """Build the Typer application with every command registered."""
    app = typer.Typer(
        name="nucmed",
        help=f"nucmed {__version__}: nuclear medicine from reactor to patient.",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    physics.register(app)
    therapy.register(app)
    dose.register(app)
    rrdsr.register(app)
    database.register(app)
    backup.register(app)
    serve.register(app)
    return app


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"nucmed: error: {' '.join(message.split())}\n")
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 internal error)."""
    app = build_app()
    try:
        app(args=argv, prog_name="nucmed", standalone_mode=False)
    except NucmedInputError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        return _fail("aborted", EXIT_BAD_INPUT)
    except typer.exceptions.TyperException as error:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        return _fail(f"{message} (see nucmed --help)", EXIT_BAD_INPUT)
    except Exception as error:  # a bug or a busy database, not bad input: one line
        return _unexpected(error)
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
