"""Entry point for gunicorn: `gunicorn selfassess.wsgi:app` (see `make serve`)."""

from selfassess import create_app
from selfassess.documents.warm import warm_in_background

app = create_app()
if app.config.get("WARM_DOCUMENTS"):
    # Each server process warms the document machinery once, in the background: the first
    # PDF after a restart is then not the slow one (measured: about 1-2 s of it).
    warm_in_background(app)
