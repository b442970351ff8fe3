"""Commands for national collections: import returns, print the national picture, open one."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from selfassess.cli import cli
from selfassess.documents.picture_rows import compared_with, national_picture
from selfassess.domain.expected_partnerships import parse_expected
from selfassess.domain.returns_import import parse_returns
from selfassess.queries.national import (
    all_codes,
    collection_frameworks,
    collection_or_none,
    existing_codes,
    expected_codes,
)
from selfassess.services.collections import ExpectedRefused, create_collection, load_expected
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
@click.option(
    "--add-expected",
    is_flag=True,
    help="Add partnerships the collection does not expect yet to its expected partnerships.",
)
def import_command(file: Path, slug: str, replace: bool, add_expected: bool) -> None:
    """Import returns from a CSV, XLSX or JSON file: all of them, or none if any is wrong.

    Every partnership in the file must be one the collection expects (load them with
    `selfassess national expected load`), unless --add-expected is given."""
    collection = _collection(slug)
    result = parse_returns(
        file.name,
        file.read_bytes(),
        collection_frameworks(collection),
        all_codes(),
        existing_codes(collection),
        replace=replace,
        expected_codes=expected_codes(collection),
        add_expected=add_expected,
    )
    if not result.ok:
        _refuse(result.errors, result.error_count, file.name)
    total = len(result.returns)
    if total >= PROGRESS_FROM:
        with click.progressbar(length=total, label="Importing returns", file=sys.stderr) as bar:
            count = import_returns(
                collection,
                result,
                None,
                progress=lambda code: bar.update(1),
                add_expected=add_expected,
            )
    else:
        count = import_returns(collection, result, None, add_expected=add_expected)
    click.echo(f"Imported {count} return(s) into {collection.slug}.")


def _refuse(problems, total: int, name: str) -> None:
    """List a file's problems (the first of them, the rest counted) and exit 1."""
    for problem in problems:
        click.echo(format_problem(problem), err=True)
    more = total - len(problems)
    if more:
        click.echo(f"and {more:,} more error(s), not listed here", err=True)
    click.echo(f"{total:,} error(s) in {name}: nothing was imported.", err=True)
    sys.exit(1)


@national_group.group("expected")
def expected_group() -> None:
    """The partnerships a collection expects returns from."""


@expected_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", "slug", required=True, help="The collection's slug.")
@click.option(
    "--replace",
    is_flag=True,
    help="Make the expected partnerships exactly the file's (others stop being expected).",
)
def expected_load_command(file: Path, slug: str, replace: bool) -> None:
    """Load expected partnerships from a CSV of name, code, region, police_force_area: all of
    them, or none if any row is wrong. Partnerships the tool does not know are created; the
    name, region and police force area of those it knows are updated to the file's."""
    collection = _collection(slug)
    rows, problems = parse_expected(file.read_bytes(), file.name)
    if problems:
        _refuse(problems, getattr(problems, "total", len(problems)), file.name)
    try:
        loaded = load_expected(collection, rows, None, replace=replace)
    except ExpectedRefused as exc:
        click.echo(f"{exc}. Nothing was loaded.", err=True)
        sys.exit(1)
    click.echo(
        f"{collection.slug} now expects {loaded.expected} partnership(s): {loaded.added} added "
        f"({loaded.created} new to the tool), {loaded.updated} updated, {loaded.removed} removed."
    )


@national_group.command("report")
@click.option("--collection", "slug", required=True, help="The collection's slug.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--detail", is_flag=True, help="Add asked counts, changes and section RAGs.")
@click.option(
    "--compare",
    "earlier_slug",
    help="An earlier collection to compare with, on the mapping between their surveys "
    "(questions/comparisons/): adds a 'comparison' key.",
)
def report_command(slug: str, fmt: str, detail: bool, earlier_slug: str | None) -> None:
    """Print the national picture of a collection."""
    collection = _collection(slug)
    picture = national_picture(collection)
    out = picture.to_json(detail=detail)
    if earlier_slug:
        comparison = compared_with(collection, _collection(earlier_slug), picture)
        if comparison is None:
            click.echo(
                f"No mapping in questions/comparisons/ joins {earlier_slug}'s surveys to {slug}'s.",
                err=True,
            )
            sys.exit(1)
        out["comparison"] = comparison.to_json()
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


@national_group.command("dataset")
@click.option("--collection", "slug", required=True, help="The collection's slug.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["spss", "stata", "csv", "xlsx"]),
    required=True,
    help="spss: .sav files, stata: .dta files, csv: CSV files and a codebook (each a zip of "
    "the returns table and the arrangements table); xlsx: one workbook, a sheet each.",
)
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def dataset_command(slug: str, fmt: str, output: Path) -> None:
    """Write the dataset for analysis: a row per return and a row per IOM arrangement."""
    from selfassess.documents.national_tables import dataset_file

    output.write_bytes(dataset_file(_collection(slug), fmt))
    click.echo(f"Wrote {output}.")


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
