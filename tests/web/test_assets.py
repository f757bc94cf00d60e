"""The chart library is served by the app itself (offline): no CDN anywhere."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_vega_embed_is_served_with_a_validator(client) -> None:
    response = client.get("/assets/vega-embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"window.vegaEmbed=" in response.content
    again = client.get("/assets/vega-embed.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_pages_load_scripts_only_from_this_server(client) -> None:
    from wijkzicht.web.data import figures

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{figures().gemeente.name}" in html  # the store's own city, not a fixed name
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]
    assert "script-src 'self'" in response["Content-Security-Policy"]
