"""Use cases of nucmed, shared by the command line and the web application."""

__all__: list[str] = []
