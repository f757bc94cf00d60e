"""The OpenAPI document: generated from the views, committed as docs/openapi.json (a golden
file: this test fails when the two drift), valid OpenAPI 3, served without authentication."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from drf_spectacular.validation import validate_schema

from wijkzicht.cli.openapi import command
from wijkzicht.web.api import VERSION
from wijkzicht.web.api.schema import document, text

pytestmark = pytest.mark.django_db
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "wijkzicht openapi > docs/openapi.json "


def operations(doc: dict):
    for route, ops in doc["paths"].items():
        for method, op in ops.items():
            yield route, method, op


def test_committed_document_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == text(), (
        f"docs/openapi.json is out of date with the API views; regenerate it: {REGENERATE}"
    )


def test_document_is_valid_openapi_3() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.")
    validate_schema(doc)  # drf-spectacular's bundled OpenAPI 3 JSON Schema
    assert doc["info"]["version"] == VERSION and doc["info"]["contact"]["name"]
    assert doc["servers"] == [{"url": "/api/v1", "description": "This server"}]


def test_document_follows_the_design_rules() -> None:
    doc = document()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["in"] == "header" and schemes["cookieAuth"]["in"] == "cookie"
    for route, method, op in operations(doc):
        assert method == "get"
        assert not route.endswith("/") and re.fullmatch(r"(/[a-z0-9-]+|/\{[a-z]+\})+", route)
        assert {} in op["security"], f"{route} must be readable without credentials"
        for status, response in op["responses"].items():
            assert response["headers"]["API-Version"], (route, status)
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (route, status)
    public_only = [r for r, _, op in operations(doc) if op["security"] == [{}]]
    assert "/gebieden" in public_only and "/indicatoren" in public_only
    waarden = doc["paths"]["/indicatoren/{naam}/waarden"]["get"]
    assert {"tokenAuth": []} in waarden["security"] and "401" in waarden["responses"]


def test_document_is_served_at_the_base_path_without_auth(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["API-Version"] == VERSION
    assert response.content.decode("utf-8") == text()
    assert json.loads(response.content)["info"]["title"] == "Wijkzicht API"


def test_cli_prints_the_document(tmp_path) -> None:
    result = CliRunner().invoke(command, [])
    assert result.exit_code == 0, result.output
    assert result.output == text()
    out = tmp_path / "openapi.json"
    assert CliRunner().invoke(command, ["--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == text()
    assert "Example" in CliRunner().invoke(command, ["--help"]).output
