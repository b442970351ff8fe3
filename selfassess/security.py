"""Security headers on every response, with a per-request nonce for the one inline script.

The GOV.UK page template has a single inline script (it marks the page as JavaScript-enabled);
it carries the nonce. Every other script is a file, so the policy allows no other inline script.
"""

from __future__ import annotations

import secrets

from flask import Flask, request

# Inline style attributes stay allowed: charts (SVG) and progress bars use them, and they cannot
# run code. Scripts, frames, forms and everything else are held to this site.
CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def csp_nonce() -> str:
    # Kept on the request environ, not `g`: `g` lives as long as the app context, which can
    # outlast one request.
    environ = request.environ
    if "selfassess.csp_nonce" not in environ:
        environ["selfassess.csp_nonce"] = secrets.token_urlsafe(16)
    return environ["selfassess.csp_nonce"]


def init_app(app: Flask) -> None:
    @app.context_processor
    def nonce_context():
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
