"""Commands for national collections: import returns, print the national picture, open one."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from selfassess.cli import cli
from selfassess.domain.returns_import import parse_returns
from selfassess.queries.national import (
    all_codes,
    collection_frameworks,
    collection_or_none,
    existing_codes,
    national_picture,
)
from selfassess.services.collections import create_collection
from selfassess.services.returns import import_returns

PROGRESS_FROM = 50  # returns: smaller files import without a progress bar


@cli.group("national")
def national_group() -> None:
    """National collections: returns, the national picture."""


def _collection(slug: str):
    collection = collection_or_none(slug)
    if collection is None:
        click.echo(f"There is no collection {slug!r}.", err=True)
        sys.exit(1)
    return collection


def format_problem(problem) -> str:
    where = []
    if problem.row is not None:
        where.append(f"row {problem.row}")
    if problem.column:
        where.append(f"column {problem.column}")
    return f"{', '.join(where) or 'file'}: {problem.message}"


@national_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", "slug", required=True, help="The collection's slug.")
@click.option("--replace", is_flag=True, help="Replace returns the collection already has.")
def import_command(file: Path, slug: str, replace: bool) -> None:
    """Import returns from a CSV, XLSX or JSON file: all of them, or none if any is wrong."""
    collection = _collection(slug)
    result = parse_returns(
        file.name,
        file.read_bytes(),
        collection_frameworks(collection),
        all_codes(),
        existing_codes(collection),
        replace=replace,
    )
    if not result.ok:
        for problem in result.errors:
            click.echo(format_problem(problem), err=True)
        more = result.error_count - len(result.errors)
        if more:
            click.echo(f"and {more:,} more error(s), not listed here", err=True)
        click.echo(
            f"{result.error_count:,} error(s) in {file.name}: nothing was imported.", err=True
        )
        sys.exit(1)
    total = len(result.returns)
    if total >= PROGRESS_FROM:
        with click.progressbar(length=total, label="Importing returns", file=sys.stderr) as bar:
            count = import_returns(collection, result, None, progress=lambda code: bar.update(1))
    else:
        count = import_returns(collection, result, None)
    click.echo(f"Imported {count} return(s) into {collection.slug}.")


@national_group.command("report")
@click.option("--collection", "slug", required=True, help="The collection's slug.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--detail", is_flag=True, help="Add asked counts, changes and section RAGs.")
def report_command(slug: str, fmt: str, detail: bool) -> None:
    """Print the national picture of a collection."""
    picture = national_picture(_collection(slug))
    click.echo(json.dumps(picture.to_json(detail=detail), indent=2, ensure_ascii=False))


@national_group.command("create-collection")
@click.option("--slug", required=True)
@click.option("--title", required=True)
@click.option("--framework", "framework_ids", multiple=True, required=True)
@click.option("--opens", "opens_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--closes", "closes_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
def create_collection_command(slug, title, framework_ids, opens_on, closes_on) -> None:
    """Open a collection collecting the given frameworks between two dates (YYYY-MM-DD)."""
    from selfassess.extensions import frameworks

    lib = frameworks()
    for fid in framework_ids:
        if fid not in lib or lib.get(fid).kind not in ("rag", "survey"):
            raise click.BadParameter(f"{fid} is not a rated or survey framework", "--framework")
    if collection_or_none(slug) is not None:
        raise click.BadParameter(f"a collection {slug!r} exists already", param_hint="--slug")
    opens: date = opens_on.date()
    closes: date = closes_on.date()
    if closes < opens:
        raise click.BadParameter("closes before it opens", param_hint="--closes")
    create_collection(title, slug, framework_ids, opens, closes)
    click.echo(f"Collection {slug} created.")
