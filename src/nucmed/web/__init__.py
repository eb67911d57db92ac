"""The web application: FastAPI serving JSON under /api and server-rendered pages."""

__all__: list[str] = []
