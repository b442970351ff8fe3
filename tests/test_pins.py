"""The GOV.UK packages are pinned as a matched pair, and a fresh clone installs what CI tested."""

from __future__ import annotations

import configparser
import json
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _npm_govuk_frontend() -> tuple[str, str]:
    declared = json.loads((ROOT / "package.json").read_text())["dependencies"]["govuk-frontend"]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/govuk-frontend"]["version"]
    return declared, locked


def _requirement_pin(name: str) -> str:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    for line in config["options"]["install_requires"].splitlines():
        match = re.fullmatch(rf"{re.escape(name)}==(\S+)", line.strip())
        if match:
            return match.group(1)
    raise AssertionError(f"{name} is not pinned exactly in setup.cfg")


def _compatibility_table() -> dict[str, str]:
    """govuk-frontend-jinja's own README table: its release -> the GOV.UK Frontend it renders."""
    readme = metadata.metadata("govuk-frontend-jinja").get_payload()
    rows = re.findall(r"^\|\s*\[(\d+\.\d+\.\d+)\][^|]*\|\s*\[(\d+\.\d+\.\d+)\]", readme, re.M)
    assert rows, "govuk-frontend-jinja's README no longer has its compatibility table"
    return dict(rows)


def test_govuk_frontend_jinja_pin_renders_the_npm_govuk_frontend_version():
    declared, locked = _npm_govuk_frontend()
    assert declared == locked, "package.json pins govuk-frontend exactly, and the lock agrees"
    jinja = _requirement_pin("govuk-frontend-jinja")
    assert metadata.version("govuk-frontend-jinja") == jinja
    assert _compatibility_table()[jinja] == declared


def test_govuk_frontend_wtf_is_pinned_and_installed():
    assert metadata.version("govuk-frontend-wtf") == _requirement_pin("govuk-frontend-wtf")


def test_the_constraints_file_pins_every_installed_requirement():
    """`make` installs with constraints.txt, so a fresh clone gets the versions CI tested."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    for name in ("flask", "sqlalchemy", "weasyprint", "govuk-frontend-jinja", "pytest", "ruff"):
        assert pins.get(name) == metadata.version(name), name
