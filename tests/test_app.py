"""The application factory, its configuration and its refusal to start when something is wrong."""

import gc
import logging
import os
import shutil
import subprocess
import sys
import types
import uuid

import flask.templating
import pytest
from flask import Flask, render_template, render_template_string
from jinja2 import Environment, PackageLoader, PrefixLoader, UndefinedError, meta
from werkzeug.local import LocalProxy

from selfassess import create_app
from selfassess.config import PROJECT_ROOT, ProductionConfig, TestConfig, database_url
from selfassess.domain.frameworks import FrameworkError
from selfassess.web import templating
from tests.authz.harness import KP, build_world, client_as


def test_production_refuses_the_default_secret_key(monkeypatch):
    class Prod(ProductionConfig):
        SECRET_KEY = "development-only-not-secret"

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(Prod, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_sets_secure_cookies():
    class Prod(ProductionConfig):
        SECRET_KEY = "a-real-secret-from-the-environment"

    app = create_app(Prod, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_database_url_uses_psycopg_3():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url(None) is None


def test_sqlite_in_the_instance_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFASSESS_INSTANCE", str(tmp_path))

    class NoUrl(TestConfig):
        SQLALCHEMY_DATABASE_URI = None

    app = create_app(NoUrl)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'selfassess.sqlite'}"


def test_templates_use_flasks_own_environment(app):
    # Flask's environment as Flask builds it: no subclass, no replaced Jinja internals.
    assert type(app.jinja_env) is flask.templating.Environment
    assert app.jinja_env.undefined is templating.CheckedUndefined
    with app.test_request_context():
        html = render_template_string(
            '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
            "{{ govukButton({'text': 'Save'}) }}"
        )
    assert 'class="govuk-button"' in html and "Save" in html


def test_undefined_template_variables_fail_loudly(app):
    # errors/413.html prints max_megabytes, which its view always gives.
    with app.test_request_context(), pytest.raises(UndefinedError, match="max_megabytes"):
        render_template("errors/413.html")
    with app.test_request_context(), pytest.raises(UndefinedError):
        render_template_string("{{ no_such_variable }}")
    with app.test_request_context():
        # Optional keys of a dict stay falsy, as the GOV.UK macros rely on.
        assert render_template_string("{{ 'yes' if params.missing else 'no' }}", params={}) == "no"


def test_production_logs_an_undefined_name_with_its_template_and_still_serves(caplog):
    class Prod(ProductionConfig):
        SECRET_KEY = "a-real-secret-from-the-environment"

    app = create_app(Prod, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.jinja_env.undefined is templating.CheckedUndefined  # the class tests use
    with app.test_request_context(), caplog.at_level(logging.WARNING, logger=app.logger.name):
        html = render_template("errors/413.html")
    assert "larger than  MB" in html
    assert [r.getMessage() for r in caplog.records] == [
        "Template errors/413.html uses 'max_megabytes', which is undefined; rendered empty"
    ]


def test_only_the_names_the_govuk_macros_read_may_be_undefined_quietly():
    # What the installed GOV.UK templates read before setting; our templates may not rely on
    # any other name being undefined.
    env = Environment(
        loader=PrefixLoader(
            {name: PackageLoader(name) for name in ("govuk_frontend_jinja", "govuk_frontend_wtf")}
        ),
        extensions=["jinja2.ext.do"],
        autoescape=True,  # only parsed here, never rendered
    )
    read = set()
    for name in env.list_templates():
        read |= meta.find_undeclared_variables(env.parse(env.loader.get_source(env, name)[0]))
    defined = set(templating.GOVUK_TEMPLATE_DEFAULTS)
    assert read - defined == set(templating.GOVUK_OPTIONAL_NAMES)


def _holds_text(roots, marker: str) -> bool:
    """Whether marker is in any string reachable from roots, not following modules, code,
    classes, the app itself or request proxies (those reach everything, the database session
    included)."""
    skip = (types.ModuleType, type, types.CodeType, Flask, LocalProxy, types.FrameType)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            if marker in obj:
                return True
        elif isinstance(obj, types.FunctionType):
            # a function's closure and defaults, not its module's globals
            stack.extend(c.cell_contents for c in obj.__closure__ or () if c.cell_contents)
            stack.extend([obj.__defaults__, obj.__kwdefaults__, obj.__dict__])
        else:
            stack.extend(gc.get_referents(obj))
    return False


def test_no_page_with_typed_evidence_is_kept_after_its_request(app):
    # Evidence may be marked OFFICIAL-SENSITIVE: once the question page showing it is sent,
    # nothing in the template set-up keeps its HTML for the next request or person.
    world = build_world()
    marker = f"Evidence {uuid.uuid4().hex} for the board"
    member = client_as(app, world, "member")
    url = f"/assessments/{world.assessment.id}/rate/{KP}/1"
    with app.app_context():
        saved = member.post(url, data={"item-1-2-value": "amber", "item-1-2-evidence": marker})
        assert saved.status_code == 302
        page = member.get(url)
    assert marker in page.get_data(as_text=True)
    del page
    gc.collect()
    owned = [o for o in gc.get_objects() if type(o).__module__ == "selfassess.web.templating"]
    roots = [*vars(templating).values(), app.jinja_env, *owned]
    assert not _holds_text(roots, marker)


@pytest.fixture
def broken_questions(tmp_path):
    target = tmp_path / "questions"
    shutil.copytree(PROJECT_ROOT / "questions", target)
    path = target / "dip.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8"
    )
    return target


def test_app_refuses_to_start_on_an_invalid_framework(broken_questions):
    with pytest.raises(FrameworkError) as raised:
        create_app(TestConfig, FRAMEWORKS_DIR=str(broken_questions))
    assert "dip.yaml: (top level): unknown key 'titel'" in str(raised.value)


def _selfassess(*args, env=None):
    command = [os.path.join(os.path.dirname(sys.executable), "selfassess"), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_frameworks_check_command_passes_on_shipped_files():
    result = _selfassess("frameworks", "check")
    assert result.returncode == 0, result.stderr
    assert (
        "ok  iom-key-principles.yaml: iom-key-principles 2010.1, 5 sections, 32 items"
        in result.stdout
    )


def test_frameworks_check_command_fails_naming_file_and_place(broken_questions):
    result = _selfassess("frameworks", "check", "--dir", str(broken_questions))
    assert result.returncode == 1
    assert "dip.yaml: (top level): unknown key 'titel'" in result.stderr
    assert "2 problem(s) found" in result.stderr  # unknown titel, missing title


def test_serving_refuses_to_start_with_the_same_message(broken_questions, tmp_path):
    env = dict(
        os.environ,
        FRAMEWORKS_DIR=str(broken_questions),
        SELFASSESS_INSTANCE=str(tmp_path),
        SELFASSESS_CONFIG="development",
    )
    result = _selfassess("routes", env=env)
    assert result.returncode == 2
    assert "The service cannot start: a framework file is invalid." in result.stderr
    assert "dip.yaml: (top level): unknown key 'titel'" in result.stderr


def test_sqlite_files_use_wal_and_a_busy_timeout(tmp_path):
    from selfassess.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.sqlite'}")
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def _import_wsgi(tmp_path, **env):
    """Import the WSGI entry point as gunicorn would, with only the given environment."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(PROJECT_ROOT),
        "SELFASSESS_INSTANCE": str(tmp_path),
        **env,
    }
    code = "import selfassess.wsgi as w; print('debug', w.app.debug, w.app.testing)"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_the_server_entry_point_refuses_to_start_without_a_secret_key(tmp_path):
    result = _import_wsgi(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set: production refuses the development key" in result.stderr


def test_the_server_entry_point_runs_production_settings_by_default(tmp_path):
    result = _import_wsgi(tmp_path, SECRET_KEY="a-real-secret-from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "debug False False"


def test_the_command_lines_help_lists_its_commands_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SELFASSESS_CONFIG")}
    result = _selfassess("--help", env={**env, "SELFASSESS_INSTANCE": str(tmp_path)})
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "The service cannot start: SECRET_KEY is not set" in result.stderr
    for command in ("frameworks", "national", "demo", "users"):
        assert f"  {command} " in result.stdout


def test_the_command_line_refuses_to_serve_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SELFASSESS_CONFIG")}
    result = _selfassess("routes", env={**env, "SELFASSESS_INSTANCE": str(tmp_path)})
    assert result.returncode == 2
    assert "The service cannot start: SECRET_KEY is not set" in result.stderr
    result = _selfassess(
        "routes",
        env={**env, "SELFASSESS_INSTANCE": str(tmp_path), "SELFASSESS_CONFIG": "development"},
    )
    assert result.returncode == 0, result.stderr
    assert "/sign-in" in result.stdout
