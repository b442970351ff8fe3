"""Entry point for gunicorn: `gunicorn selfassess.wsgi:app` (see `make serve`)."""

from selfassess import create_app

app = create_app()
