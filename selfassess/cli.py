"""The `selfassess` command: Flask's commands (run, db ...) plus the service's own."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup

from selfassess.config import PROJECT_ROOT, UnsafeConfiguration
from selfassess.domain.frameworks import FrameworkError, check_directory


def _create_app():
    from selfassess import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """IOM Key Principles self-assessment."""


@cli.group("frameworks")
def frameworks_group() -> None:
    """Framework files: check them."""


@frameworks_group.command("check", with_appcontext=False)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "questions",
    show_default=True,
    help="Folder of framework YAML files and schema.json.",
)
def frameworks_check(directory: Path) -> None:
    """Validate every framework file; exit 1 and list every problem if any is invalid."""
    found, problems = check_directory(directory)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found in {directory}", err=True)
        sys.exit(1)
    for fw in found:
        click.echo(
            f"ok  {fw.file}: {fw.id} {fw.version}, {len(fw.sections)} sections, "
            f"{len(fw.items)} items"
        )


def register_commands() -> None:
    # Imported late: each module adds its commands to `cli`.
    from selfassess import backup, demo, demo_national, national_cli, users_cli  # noqa: F401


def main() -> None:
    register_commands()
    try:
        cli.main(prog_name="selfassess")
    except FrameworkError as exc:
        click.echo("The service cannot start: a framework file is invalid.", err=True)
        click.echo(str(exc), err=True)
        sys.exit(2)
    except UnsafeConfiguration as exc:
        click.echo(f"The service cannot start: {exc}", err=True)
        sys.exit(2)
