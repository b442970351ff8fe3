"""Backup and restore commands: every table of the database as one JSON file, and back.

``selfassess dump FILE`` writes what ``selfassess.queries.backup`` reads; ``selfassess restore
FILE`` loads such a file into an empty database through ``selfassess.services.backup``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from selfassess.cli import cli
from selfassess.queries.backup import dump_data
from selfassess.services.backup import RestoreError, restore_data


@cli.command("dump")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-password-hashes",
    is_flag=True,
    help="Keep users' password hashes (without them, everyone sets a password again).",
)
def dump_command(file: Path, with_password_hashes: bool) -> None:
    """Write every table to FILE as JSON ('-' for standard output)."""
    data = dump_data(with_password_hashes)
    body = json.dumps(data, ensure_ascii=False, indent=1)
    if str(file) == "-":
        click.echo(body)
        return
    file.write_text(body, encoding="utf-8")
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in data["tables"].items() if rows)
    click.echo(f"Dumped to {file}: {counts}", err=True)


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load a dump made by 'selfassess dump' into an empty database."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        click.echo(f"Cannot restore {file}: it is not JSON ({exc})", err=True)
        sys.exit(1)
    try:
        counts = restore_data(data)
    except RestoreError as exc:
        click.echo(f"Cannot restore {file}: {exc}", err=True)
        sys.exit(1)
    total = sum(counts.values())
    click.echo(f"Restored {total} rows from {file} into {len(counts)} tables.")
