"""Security headers on every response, with a per-request nonce for the one inline script.

The GOV.UK page template has a single inline script (it marks the page as JavaScript-enabled);
it carries the nonce. Every other script is a file, so the policy allows no other inline script.
"""

from __future__ import annotations

import secrets

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

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


# Files that are the same for everyone; every other answer may hold someone's ratings, evidence
# or name, so no browser or proxy keeps a copy (a shared computer's back button included).
STATIC_ENDPOINTS = frozenset({"static", "main.static", "govuk_assets"})


def csp_nonce() -> str:
    # Kept on the request environ, not `g`: `g` lives as long as the app context, which can
    # outlast one request.
    environ = request.environ
    if "selfassess.csp_nonce" not in environ:
        environ["selfassess.csp_nonce"] = secrets.token_urlsafe(16)
    return environ["selfassess.csp_nonce"]


def init_app(app: Flask) -> None:
    _register_refusal_pages(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Rate limits count per client address, so trust exactly this many proxies' headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

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
        if request.endpoint not in STATIC_ENDPOINTS:
            headers.setdefault("Cache-Control", "private, no-store")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _register_refusal_pages(app: Flask) -> None:
    """GOV.UK pages for what the service refuses: a form without its CSRF token (400), an
    upload over MAX_CONTENT_LENGTH (413), too many attempts at sign-in, invitations or
    workshop join (429)."""

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(413)
    def too_large(error):
        # A page may allow more than the service-wide limit (scanned paper forms).
        limit = request.max_content_length or app.config.get("MAX_CONTENT_LENGTH") or 0
        return render_template("errors/413.html", max_megabytes=round(limit / 1024 / 1024)), 413

    @app.errorhandler(429)
    def too_many(error):
        response = app.make_response((render_template("errors/429.html"), 429))
        response.headers["Retry-After"] = "60"
        return response
