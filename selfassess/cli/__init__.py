"""The `selfassess` command: Flask's commands (run, db ...) plus the service's own."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, NoAppException

from selfassess.config import PROJECT_ROOT, UnsafeConfiguration
from selfassess.domain.framework_releases import changed_in_place
from selfassess.domain.frameworks import (
    FrameworkError,
    FrameworkLibrary,
    check_directory,
    load_comparisons,
)


def _create_app():
    from selfassess import create_app

    try:
        return create_app()
    except UnsafeConfiguration as exc:
        # Flask shows this message, without a traceback, even while listing commands for
        # `selfassess --help`; a command that needs the app exits 2 with it.
        raise NoAppException(f"The service cannot start: {exc}") from exc


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """IOM Key Principles self-assessment."""


@cli.group("frameworks")
def frameworks_group() -> None:
    """Framework files: check them, and list their Welsh for review."""


@frameworks_group.command("check", with_appcontext=False)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "questions",
    show_default=True,
    help="Folder of framework YAML files and schema.json.",
)
@click.option(
    "--database",
    envvar="DATABASE_URL",
    help="Database whose answers pin framework versions (default: $DATABASE_URL); versions "
    "it holds must not have been changed in place.",
)
def frameworks_check(directory: Path, database: str | None) -> None:
    """Validate every framework file; exit 1 and list every problem if any is invalid."""
    found, problems = check_directory(directory)
    if not problems and database:
        problems = _changed_in_place(found, database)
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
    for comparison in load_comparisons(directory, found)[0]:
        click.echo(
            f"ok  {comparison.file}: {comparison.earlier} to {comparison.later}, "
            f"{len(comparison.pairs)} items paired"
        )


@frameworks_group.command("translations", with_appcontext=False)
@click.argument("framework_id", required=False)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "questions",
    show_default=True,
    help="Folder of framework YAML files and schema.json.",
)
@click.option("--awaiting", is_flag=True, help="Only the texts a Welsh speaker has yet to check.")
def frameworks_translations(framework_id: str | None, directory: Path, awaiting: bool) -> None:
    """List each framework text's Welsh and its review, for a Welsh speaker to check.

    Each text is listed by file and place (as `frameworks check` names them), with the English,
    the Welsh, and whether it awaits review or who signed it off and when; then the totals.
    """
    found, problems = check_directory(directory)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s) found in {directory}", err=True)
        sys.exit(1)
    chosen = [fw for fw in found if framework_id in (None, fw.id)]
    if framework_id and not chosen:
        known = ", ".join(sorted({fw.id for fw in found}))
        click.echo(f"No framework {framework_id!r} (there are: {known})", err=True)
        sys.exit(1)
    totals = {"texts": 0, "awaiting": 0, "signed": 0}
    for fw in chosen:
        placed = fw.texts.placed("cy")
        if not placed:
            if framework_id:
                click.echo(f"{fw.file}: {fw.id} {fw.version} holds no Welsh")
            continue
        waiting = sum(1 for p in placed if p.translation.awaiting_review)
        totals["texts"] += len(placed)
        totals["awaiting"] += waiting
        totals["signed"] += len(placed) - waiting
        for p in placed:
            t = p.translation
            if awaiting and not t.awaiting_review:
                continue
            state = (
                "awaiting review"
                if t.awaiting_review
                else f"signed off by {t.signed_off_by} on {t.signed_off_on}"
            )
            click.echo(f"{fw.file}: {p.place} ({state})")
            click.echo(f"  en: {p.english}")
            click.echo(f"  cy: {t.text}")
        click.echo(
            f"{fw.file}: {fw.id} {fw.version}: {len(placed)} Welsh texts, {waiting} awaiting "
            f"review, {len(placed) - waiting} signed off"
        )
        click.echo("")
    click.echo(
        f"Total: {totals['texts']} Welsh texts, {totals['awaiting']} awaiting review, "
        f"{totals['signed']} signed off"
    )


def _changed_in_place(found, database: str):
    from sqlalchemy import create_engine

    from selfassess.config import database_url
    from selfassess.queries.framework_releases import held_releases

    engine = create_engine(database_url(database))
    try:
        held = held_releases(engine)
    finally:
        engine.dispose()
    if held is None:
        click.echo("Not compared with the database: it holds no framework versions yet.")
        return []
    return changed_in_place(FrameworkLibrary(found), held)


def register_commands() -> None:
    # Imported late: each module adds its commands to `cli`.
    from selfassess.cli import backup, documents, mail, national, users  # noqa: F401
    from selfassess.demo import national as demo_national  # noqa: F401 - adds `demo national`
    from selfassess.demo import (
        published,  # noqa: F401 - adds `demo published-returns`
        showcase,  # noqa: F401 - adds `demo load`
    )
    from selfassess.demo.partnership import demo_group

    cli.add_command(demo_group)


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
