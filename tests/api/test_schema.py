"""The OpenAPI schema (zero warnings) and the interactive docs served without any CDN."""

import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_schema_validates_with_zero_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    operations = [(method, path) for path, item in schema["paths"].items() for method in item]
    assert len(operations) >= 50
    assert all(path.startswith("/api/v1/") for _, path in operations)


@pytest.fixture(scope="module")
def schema() -> dict:
    return APIClient().get("/api/schema/?format=json").json()


@pytest.mark.django_db
def test_every_operation_documents_the_error_format(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "429"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path)
            assert operation.get("summary"), (method, path)


@pytest.mark.django_db
def test_the_schema_names_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }
    assert "cookieAuth" in schemes


@pytest.mark.django_db
def test_the_docs_page_uses_only_local_assets(client, settings, db):
    # Static files come from the installed apps, as in development (nothing is collected here).
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "an external asset"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert any("swagger-ui-bundle.js" in a for a in assets)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        # Read it through the test client's wrapper: response.close() would send
        # request_finished, whose handler closes the test's open database transaction.
        assert b"".join(served.streaming_content), asset
    script = re.search(r"<script src=\"([^\"]+script=[^\"]*)\"", html)
    assert script, "the init script is a separate file (no inline script)"
    init = client.get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200
    assert "/api/schema/" in init.content.decode()
    assert "<script>" not in html.replace("<script src=", "")
