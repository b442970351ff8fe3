# Two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
# Everything either needs is installed here, into .venv, node_modules and static/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GOVUK := node_modules/govuk-frontend/dist/govuk
ROOT := $(shell id -u 2>/dev/null)
# The service runs production settings unless told otherwise; on this machine it is told.
DEV := SELFASSESS_CONFIG=$${SELFASSESS_CONFIG:-development}

.PHONY: run test setup system-deps chromium poppler assets translations messages migrate demo demo-reset lint serve bench clean constraints screenshots

# Where `make run` listens: `make run PORT=5001`, or `HOST=0.0.0.0` so phones on your network can
# join a workshop.
PORT ?= 5000
HOST ?= 127.0.0.1

run: setup migrate demo
	@echo ""
	@echo "selfassess is starting on http://$(HOST):$(PORT) (Ctrl+C stops it)"
	@echo "Demo accounts are listed above and in README.md"
	$(DEV) $(BIN)/selfassess run --host $(HOST) --port $(PORT)

setup: system-deps $(VENV)/.installed static/.built translations

# WeasyPrint needs Pango; install it from Debian when missing and we are root.
system-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then \
	  if [ "$(ROOT)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; \
	  else echo "WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)" >&2; exit 1; fi; \
	fi

$(VENV)/.installed: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# GOV.UK Frontend, pinned in package.json, copied into the ignored static folder.
static/.built: node_modules/.installed
	rm -rf static
	mkdir -p static
	cp $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.js static/
	cp -R $(GOVUK)/assets static/assets
	touch $@

assets: static/.built

# Welsh and English. The .po files are the translations (committed); the .mo files the app reads
# are compiled from them here (never committed).
TRANSLATIONS := selfassess/translations
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
translations: $(CATALOGUES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# After changing any words people read: collects every message from the code and templates into
# messages.pot and adds the new ones to each language's .po for translating.
EXTRACT_KEYWORDS := -k lazy_gettext -k _l -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2
messages: setup
	$(BIN)/pybabel -q extract -F babel.cfg $(EXTRACT_KEYWORDS) --sort-by-file \
	  --project selfassess --no-wrap -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --no-wrap \
	  -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

migrate: setup
	$(DEV) $(BIN)/selfassess db upgrade

# The demo's emails are then written as .eml files (no MAIL_URL here) for the "Emails sent" page.
demo: migrate
	$(DEV) $(BIN)/selfassess demo load
	$(DEV) $(BIN)/selfassess mail send

# Starts the demo over: the local SQLite demo database is dropped, made again and loaded. A
# database named by DATABASE_URL is never dropped from here.
DEMO_DB := $${SELFASSESS_INSTANCE:-instance}/selfassess.sqlite
demo-reset: setup
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "DATABASE_URL is set: demo-reset only starts over the local SQLite demo" >&2; exit 1; fi
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	rm -rf $${SELFASSESS_INSTANCE:-instance}/outbox
	$(DEV) $(BIN)/selfassess db upgrade
	$(DEV) $(BIN)/selfassess demo load
	$(DEV) $(BIN)/selfassess mail send

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$(ROOT)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: apt-get install chromium" >&2; exit 1; fi; \
	fi

# pdftoppm, to turn PDF pages into pictures for `make screenshots`.
poppler:
	@if ! command -v pdftoppm >/dev/null; then \
	  if [ "$(ROOT)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  else echo "make screenshots needs pdftoppm: apt-get install poppler-utils" >&2; exit 1; fi; \
	fi

# PNGs of what users see (the report's summary, its PDF's first pages, a workshop reveal, the
# national picture, a spreadsheet, the printed paper forms), at 1280 and 360 px, into
# screenshots/ (ignored by git). The demo is loaded into a temporary instance: your own database
# is untouched.
screenshots: setup chromium poppler
	$(BIN)/python tools/screenshots.py
	$(BIN)/python tools/paper_form_png.py

# Test processes in parallel: one per core by default (each with its own databases).
TEST_WORKERS ?= auto

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: setup chromium lint
	$(BIN)/selfassess frameworks check
	$(BIN)/pytest -n $(TEST_WORKERS)

# Production shape: gunicorn with several workers against DATABASE_URL (SQLite by default).
WORKERS ?= 4
serve: setup migrate
	SELFASSESS_CONFIG=$${SELFASSESS_CONFIG:-production} $(BIN)/gunicorn --workers $(WORKERS) \
	  --bind $${BIND:-127.0.0.1:8000} --access-logfile - selfassess.wsgi:app

# Figures against floors measured in the same run: bench/results.json and BENCHMARKS.md.
bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static .pytest_cache .ruff_cache

# After changing requirements in setup.cfg: install, test, then record the versions tested.
constraints:
	{ echo "# The versions the whole suite last passed with; make installs with these. Regenerate"; \
	  echo "# with 'make constraints' after changing requirements in setup.cfg."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e ' | sort -f; } > constraints.txt
