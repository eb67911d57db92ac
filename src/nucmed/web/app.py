"""The application factory. Nothing happens at import: ``create_app()`` builds the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from importlib import resources

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from nucmed import __version__
from nucmed.config import Settings, load_settings
from nucmed.errors import NucmedInputError
from nucmed.services import database as database_service
from nucmed.services.clock import Clock
from nucmed.services.permissions import AccessDeniedError, NotFoundError
from nucmed.services.uow import DatabaseBusyError
from nucmed.web import (
    account,
    administration,
    calculators,
    calibration,
    calibration_api,
    clinic,
    dispensary,
    dispensary_api,
    errors,
    haematology,
    hotlab,
    hotlab_api,
    imaging,
    imaging_viewer,
    limits,
    openapi,
    patients,
    preparations,
    quarantine,
    radiation_safety,
    reconciliation,
    safety_exports,
    safety_forms,
    safety_transport,
    security,
    shielding,
    sites,
    supply_api,
    supply_desk,
    supply_orders,
    therapy,
    therapy_release,
    training,
    training_api,
    training_attendance,
    training_enrolment,
    waste,
)
from nucmed.web.deps import SignInRequiredError
from nucmed.web.i18n import choose_language, load_languages, localizer
from nucmed.web.templating import compile_templates

__all__ = ["create_app", "routers", "served_app"]


def served_app() -> FastAPI:
    """The application as a server process runs it (``nucmed serve``): :func:`create_app`,
    then what first requests would otherwise load done at once, every page template compiled
    and every language's catalogue read, so that the first requests after a start or a
    restart (after ``kill -9``, with every client waiting) take no longer than later ones.
    The hot lab's page took 0.4 s the first time against 0.1 s later (2026-12-03)."""
    app = create_app()
    compile_templates()
    load_languages()
    return app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build the nucmed web application for an installation.

    Parameters
    ----------
    settings
        The installation's settings; read from the environment when not given.
    clock
        The clock every use case reads "now" from (the system's when not given).

    Returns
    -------
    FastAPI
        The application: pages, the JSON API under ``/api`` (OpenAPI at ``/openapi.json``)
        and ``/health``. The database must have been migrated (``nucmed db upgrade``).
    """
    config = settings or load_settings()
    installation = database_service.open_database(config.database_url, clock, _limits(config))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The threads that run requests (anyio's default limiter, 40; nucmed's 1): see
        # NUCMED_REQUEST_THREADS in nucmed.config.
        to_thread.current_default_thread_limiter().total_tokens = config.request_threads
        yield
        database_service.close(installation)

    app = FastAPI(
        title="nucmed",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = config
    app.state.installation = installation
    app.state.database = installation.database
    static = resources.files("nucmed.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _add_handlers(app)
    limits.register(app)
    errors.register(app)

    @app.get("/health", tags=["system"])
    def health(request: Request) -> JSONResponse:
        """Report the application's version and whether the database answers."""
        answered = database_service.answers(request.app.state.installation)
        database = "ok" if answered else "unavailable"
        status = "ok" if database == "ok" else "degraded"
        body = {
            "status": status,
            "application": "nucmed",
            "version": __version__,
            "database": database,
        }
        return JSONResponse(body, status_code=200 if status == "ok" else 503)

    for router in routers():
        app.include_router(router)
    openapi.install(app)
    security.protect(app)
    return app


def routers() -> tuple[APIRouter, ...]:
    """Every router of the application, in the order they are included."""
    return (
        account.router,
        sites.router,
        administration.router,
        hotlab.router,
        calibration.router,
        calibration_api.router,
        waste.router,
        dispensary.router,
        dispensary_api.router,
        hotlab_api.router,
        preparations.router,
        clinic.router,
        patients.router,
        therapy.router,
        therapy_release.router,
        calculators.pages,
        calculators.api,
        shielding.router,
        haematology.router,
        quarantine.router,
        radiation_safety.router,
        safety_transport.router,
        safety_exports.router,
        safety_forms.router,
        reconciliation.router,
        training.router,
        training_enrolment.router,
        training_attendance.router,
        training_api.router,
        imaging.router,
        imaging_viewer.router,
        supply_orders.router,
        supply_desk.router,
        supply_api.router,
    )


def _limits(config: Settings) -> database_service.EngineLimits:
    """The server's database limits: pool size, lock and statement timeouts."""
    return database_service.EngineLimits(
        busy_timeout_s=config.db_busy_timeout_s,
        statement_timeout_s=config.db_statement_timeout_s,
        pool_size=config.db_pool_size,
    )


def _busy(request: Request, error: DatabaseBusyError) -> Response:
    """503 with ``Retry-After``: JSON under /api, a short page in the reader's language
    (from the identity already read, if any, else the browser's; the database is not asked)."""
    headers = {"Retry-After": str(error.retry_after_s)}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(error)}, status_code=503, headers=headers)
    identity = getattr(request.state, "identity", None)
    language = choose_language(
        identity.user.language if identity else None, request.headers.get("accept-language")
    )
    text = escape(localizer(language).gettext(str(error)))
    page = f'<!doctype html><html lang="{language}"><title>nucmed</title><p>{text}</p></html>'
    return HTMLResponse(page, status_code=503, headers=headers)


def _add_handlers(app: FastAPI) -> None:
    app.exception_handler(DatabaseBusyError)(_busy)

    @app.exception_handler(SignInRequiredError)
    def sign_in(request: Request, _error: SignInRequiredError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": "sign in first"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(AccessDeniedError)
    def denied(_request: Request, error: AccessDeniedError) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=403)

    @app.exception_handler(NotFoundError)
    def not_found(_request: Request, error: NotFoundError) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(NucmedInputError)
    def bad_input(_request: Request, error: NucmedInputError) -> Response:
        return JSONResponse({"detail": [{"field": None, "message": str(error)}]}, status_code=422)
