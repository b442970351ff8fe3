"""The national dataset's two analysis tables (``selfassess.domain.national_tables``) as files
analysts open in the package they use: CSV and XLSX with a codebook, SPSS .sav and Stata .dta
with variable and value labels (pyreadstat).

Every format is one download holding both tables, a zip except XLSX (one workbook, a sheet
each): the returns and the arrangements are one dataset, joined on ``partnership_code``, and
neither is complete without the other.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from flask_babel import gettext

from selfassess.documents.language import local
from selfassess.domain.national_tables import Table, build_tables
from selfassess.domain.returns_writing import rows_to_csv
from selfassess.domain.spreadsheet_safety import safe_row, xlsx_row
from selfassess.models import Collection
from selfassess.queries import national_dataset as q

FORMATS = {
    "csv": ("application/zip", "csv.zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "spss": ("application/zip", "sav.zip"),
    "stata": ("application/zip", "dta.zip"),
}


def tables_of(collection: Collection) -> tuple[Table, Table]:
    items = q.dataset_items(collection)
    # Labelled in the reader's language; the names and codes are the same in every language.
    return build_tables(
        items,
        q.dataset_returns(collection),
        q.dataset_rows(collection),
        words=gettext,
        local=lambda text: str(local(text)),
    )


def _text_rows(table: Table) -> list[list]:
    """The table with each code read as its label (what a spreadsheet reader wants); a
    multi-choice option's 0/1 stays a number, to add up."""
    out = [[v.name for v in table.variables]]
    for row in table.rows:
        cells = []
        for v in table.variables:
            value = row.get(v.name)
            # A multi-choice option's codes are 0 and 1; an answer's start at 1.
            if value is not None and v.value_labels and 0 not in v.value_labels:
                value = v.value_labels.get(value, value)
            cells.append("" if value is None else value)
        out.append(cells)
    return out


def _codebook(tables: tuple[Table, ...]) -> list[list]:
    rows = [["table", "variable", "label", "code", "code label"]]
    for table in tables:
        for v in table.variables:
            if not v.value_labels:
                rows.append([table.name, v.name, v.label, "", ""])
            for code, label in v.value_labels.items():
                rows.append([table.name, v.name, v.label, code, label])
    return rows


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def _frame(table: Table):
    import pandas as pd

    columns = {}
    for v in table.variables:
        values = table.column(v.name)
        if v.numeric:
            columns[v.name] = pd.Series(
                [float("nan") if x is None else float(x) for x in values], dtype="float64"
            )
        else:
            columns[v.name] = pd.Series(["" if x is None else str(x) for x in values], dtype=object)
    return pd.DataFrame(columns)


def _labelled(table: Table, kind: str) -> bytes:
    import pyreadstat

    labels = [v.label for v in table.variables]
    values = {v.name: {float(k): t for k, t in v.value_labels.items()} for v in table.variables}
    values = {k: v for k, v in values.items() if v}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{table.name}.{kind}"
        if kind == "sav":
            pyreadstat.write_sav(
                _frame(table), str(path), column_labels=labels, variable_value_labels=values
            )
        else:
            pyreadstat.write_dta(
                _frame(table),
                str(path),
                column_labels=[_cut(label, 80) for label in labels],
                variable_value_labels=values,
                version=15,
            )
        return path.read_bytes()


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` bytes of UTF-8 (Stata's limit on a variable label), whole characters."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def dataset_file(collection: Collection, fmt: str) -> bytes:
    """The two tables in one file of the format (csv, xlsx, spss or stata)."""
    tables = tables_of(collection)
    stem = collection.slug
    if fmt == "csv":
        files = {
            f"{stem}-{t.name}.csv": rows_to_csv(
                [_text_rows(t)[0], *(safe_row(r) for r in _text_rows(t)[1:])]
            ).encode("utf-8")
            for t in tables
        }
        files[f"{stem}-codebook.csv"] = rows_to_csv(
            [_codebook(tables)[0], *(safe_row(r) for r in _codebook(tables)[1:])]
        ).encode("utf-8")
        return _zip(files)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for name, rows in [
            *((t.name, _text_rows(t)) for t in tables),
            ("codebook", _codebook(tables)),
        ]:
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(xlsx_row(sheet, row))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    kind = {"spss": "sav", "stata": "dta"}[fmt]
    return _zip({f"{stem}-{t.name}.{kind}": _labelled(t, kind) for t in tables})
