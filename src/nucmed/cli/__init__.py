"""The ``nucmed`` command line (Typer): thin commands that parse, call services and print."""

__all__: list[str] = []
