"""Settings of an installation read from the environment: defaults, bounds, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient

from nucmed.config import Settings, load_settings
from nucmed.errors import NucmedInputError
from nucmed.web.app import create_app


def test_the_defaults(tmp_path: Path) -> None:
    settings = load_settings({"NUCMED_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'nucmed.sqlite3'}"
    assert (settings.db_pool_size, settings.db_busy_timeout_s) == (10, 10.0)
    assert settings.request_threads == 1


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "201", "many", ""])
def test_request_threads_outside_1_to_200_or_not_whole_are_refused(value: str) -> None:
    with pytest.raises(NucmedInputError, match="NUCMED_REQUEST_THREADS"):
        load_settings({"NUCMED_REQUEST_THREADS": value})


def test_the_server_works_on_as_many_requests_at_once_as_set(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nucmed.sqlite3'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url, request_threads=3))
    with TestClient(app) as client:  # runs the application's start-up
        assert client.portal is not None
        limiter = client.portal.call(to_thread.current_default_thread_limiter)
        assert limiter.total_tokens == 3
