"""Security headers on every response; the one inline script carries the request's nonce."""

import re

from bs4 import BeautifulSoup


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/frameworks/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    page = BeautifulSoup(response.data, "html.parser")
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert inline, "the GOV.UK template's js-enabled script is expected"
    assert all(s.get("nonce") == nonce for s in inline)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_each_request_gets_a_new_nonce(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_errors_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_hsts_only_when_cookies_are_secure(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_are_not_stored_but_static_files_may_be(client):
    assert "no-store" in client.get("/frameworks/").headers["Cache-Control"]
    assert "no-store" in client.get("/no-such-page").headers["Cache-Control"]
    for url in ("/static/govuk-frontend.min.css", "/assets/manifest.json", "/app-assets/app.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
