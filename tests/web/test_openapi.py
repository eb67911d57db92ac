"""The OpenAPI document lists every answer an operation gives, with the real 422 shape; the
answers a request without a token gets are the ones the document says."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nucmed.vocabulary import Role
from nucmed.web.openapi import INPUT_PROBLEM, PROBLEM, SIGN_IN_PATHS, install
from tests.web.conftest import PASSWORD

Operation = tuple[str, str, dict[str, Any]]
REF = "#/components/schemas/"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def document(app: FastAPI) -> dict[str, Any]:
    install(app)
    found: dict[str, Any] = TestClient(app).get("/openapi.json").json()
    return found


def operations(document: dict[str, Any]) -> list[Operation]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def body_ref(answer: dict[str, Any]) -> str:
    ref: str = answer["content"]["application/json"]["schema"]["$ref"]
    return ref.removeprefix(REF)


def test_the_422_body_is_the_one_the_handlers_give(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    problem = schemas[INPUT_PROBLEM]
    assert problem["required"] == ["detail"]
    item = schemas[problem["properties"]["detail"]["items"]["$ref"].removeprefix(REF)]
    assert item["required"] == ["field", "message"]
    assert {"type": "null"} in item["properties"]["field"]["anyOf"]
    assert item["properties"]["message"]["type"] == "string"
    assert schemas[PROBLEM]["properties"]["detail"]["type"] == "string"


def test_every_operation_lists_its_answers(document: dict[str, Any]) -> None:
    walked = operations(document)
    assert len(walked) > 40
    for method, path, operation in walked:
        answers = operation["responses"]
        where = f"{method.upper()} {path}"
        assert any(status.startswith("2") for status in answers), where
        assert body_ref(answers["503"]) == PROBLEM, where
        assert "Retry-After" in answers["503"]["headers"], where
        if "{" in path:
            assert body_ref(answers["404"]) == PROBLEM, where
        if "requestBody" in operation or operation.get("parameters"):
            assert body_ref(answers["422"]) == INPUT_PROBLEM, where
        if path in SIGN_IN_PATHS:
            assert {"401", "429"} <= set(answers), where
            assert "Retry-After" in answers["429"]["headers"], where


def test_signed_in_operations_say_sign_in_and_role(document: dict[str, Any]) -> None:
    public = {("get", "/health"), *(("post", path) for path in SIGN_IN_PATHS)}
    for method, path, operation in operations(document):
        answers = operation["responses"]
        if (method, path) in public:
            assert "403" not in answers
            continue
        where = f"{method.upper()} {path}"
        assert body_ref(answers["403"]) == PROBLEM, where
        if path.startswith("/api/"):
            assert answers["401"]["headers"]["WWW-Authenticate"], where
        else:
            assert "Location" in answers["303"]["headers"], where


def test_api_creates_document_the_idempotency_key(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if method != "post" or not path.startswith("/api/") or path in SIGN_IN_PATHS:
            continue
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "Idempotency-Key" in names, path
        assert "409" in operation["responses"], path


def _filled(path: str) -> str:
    return re.sub(
        r"\{code\}", "T-ALA", re.sub(r"\{[a-z_]*id\}", "1", re.sub(r"\{key\}", "k", path))
    )


def test_without_a_token_the_answer_is_the_documented_one(
    app: FastAPI, document: dict[str, Any]
) -> None:
    client = TestClient(app)
    for method, path, operation in operations(document):
        answers = operation["responses"]
        if ("401" not in answers and "303" not in answers) or path in SIGN_IN_PATHS:
            continue
        response = client.request(method, _filled(path), json={}, follow_redirects=False)
        assert str(response.status_code) in answers, f"{method.upper()} {path}"
        assert response.status_code in {401, 303}, f"{method.upper()} {path}"


def test_a_wrong_password_gets_the_documented_answer(
    app: FastAPI, document: dict[str, Any]
) -> None:
    response = TestClient(app).post("/api/auth/token", json={"username": "x", "password": "y"})
    assert str(response.status_code) in document["paths"]["/api/auth/token"]["post"]["responses"]
    assert isinstance(response.json()["detail"], str)


def test_a_malformed_body_gets_the_documented_422_shape(app: FastAPI) -> None:
    response = TestClient(app).post("/api/auth/token", json={"username": "x"})
    assert response.status_code == 422
    for problem in response.json()["detail"]:
        assert set(problem) == {"field", "message"}


def test_unknown_records_get_a_documented_answer(
    app: FastAPI, people: dict[Role, str], document: dict[str, Any]
) -> None:
    client = TestClient(app)
    token = client.post(
        "/api/auth/token", json={"username": people[Role.ADMIN], "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    seen = set()
    for method, path, operation in operations(document):
        if method != "get" or "{" not in path or not path.startswith("/api/"):
            continue
        missing = re.sub(r"\{[a-z_]*id\}", "999999", path).replace("{code}", "NOPE")
        response = client.get(re.sub(r"\{key\}", "k", missing), headers=headers)
        assert str(response.status_code) in operation["responses"], f"{path}: {response.text}"
        seen.add(response.status_code)
    assert 404 in seen
    assert seen <= {200, 404, 422}  # an audit trail of an unknown record is empty, not 404
