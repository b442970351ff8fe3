"""The dataset for analysis packages: a row per return and a row per IOM arrangement, each
answer coded with its label; SPSS and Stata files read back with pyreadstat, labels and all;
CSV and XLSX with a codebook; from the collection page and the command line, analysts only.

Returns are the known marginals of tests/national_helpers.py (ten returns, 13 arrangements).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pyreadstat
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from selfassess.cli import cli, register_commands
from selfassess.services.collections import create_collection
from tests.factories import make_partnership, make_user
from tests.national_helpers import KP, REGIONS, S, import_rows, known_returns
from tests.test_national_pages import _analyst, sign_in


@pytest.fixture
def national(app):
    partnerships = [make_partnership(region=region) for region in REGIONS]
    collection = create_collection(
        "Returns 2013", "tables-2013", [KP, S], date(2013, 4, 1), date(2013, 5, 31),
        expected=partnerships,
    )  # fmt: skip
    import_rows(collection, known_returns([p.code for p in partnerships]))
    return collection, [p.code for p in partnerships]


def _unzip(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _read(tmp_path, name: str, body: bytes, reader):
    path = tmp_path / name
    path.write_bytes(body)
    return reader(str(path))


@pytest.mark.parametrize(
    ("fmt", "ext", "reader"),
    [("spss", "sav", pyreadstat.read_sav), ("stata", "dta", pyreadstat.read_dta)],
)
def test_spss_and_stata_files_read_back_with_their_labels(
    client, national, tmp_path, fmt, ext, reader
):
    collection, codes = national
    _analyst(client)
    page = BeautifulSoup(client.get("/national/collections/tables-2013").data, "html.parser")
    link = next(a for a in page.select("#analysis-tables a") if f".{ext}" in a.text)
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f'filename="tables-2013-tables.{ext}.zip"' in response.headers["Content-Disposition"]
    files = _unzip(response.data)
    assert sorted(files) == [f"tables-2013-arrangements.{ext}", f"tables-2013-returns.{ext}"]

    df, meta = _read(tmp_path, f"r.{ext}", files[f"tables-2013-returns.{ext}"], reader)
    assert len(df) == 10 and sorted(df["partnership_code"]) == sorted(codes)
    labels = meta.column_names_to_labels
    assert labels["q1"].startswith("q1. Does your CSP have Integrated Offender Management")
    assert meta.variable_value_labels["q1"] == {1: "Yes", 2: "No"}
    assert sorted(df["q1"].tolist()) == [1] * 8 + [2] * 2
    # A multi-choice item: one 0/1 variable per option, blank where the item was not answered.
    assert meta.variable_value_labels["q13_none"] == {0: "Not chosen", 1: "Chosen"}
    assert labels["q13_iom_key_principles"].startswith("q13 IOM Key Principles: Which IOM")
    assert df["q13_iom_key_principles"].sum() == 5 and df["q13_none"].sum() == 2
    assert df["q13_none"].notna().sum() == 7  # answered by 7
    # A rated item: the scale's position, labelled.
    rated = next(n for n in df.columns if n.endswith("1_1"))
    assert meta.variable_value_labels[rated][3] == "Green"
    assert (df[rated] == 3).sum() == 4

    arr, meta_a = _read(tmp_path, f"a.{ext}", files[f"tables-2013-arrangements.{ext}"], reader)
    assert len(arr) == 11  # r1-r6 one arrangement each, r7 two, r8 three
    assert meta_a.column_names_to_labels["arrangement"].startswith("IOM arrangement")
    assert arr["q6_police"].sum() == 10 and arr["q6_housing_services"].sum() == 3
    assert arr["q6_police"].notna().sum() == 10  # r8's third arrangement did not answer


def test_csv_and_xlsx_carry_labels_and_a_codebook(client, national):
    _analyst(client)
    files = _unzip(client.get("/national/collections/tables-2013/tables/csv").data)
    returns = list(csv.DictReader(io.StringIO(files["tables-2013-returns.csv"].decode("utf-8"))))
    assert list(returns[0])[:2] == ["collection", "partnership_code"]
    assert sorted(r["q1"] for r in returns) == ["No"] * 2 + ["Yes"] * 8  # by its label
    assert sum(int(r["q13_none"] or 0) for r in returns) == 2  # 0/1, to add up
    codebook = files["tables-2013-codebook.csv"].decode("utf-8")
    assert '"returns","q1","q1. Does your CSP' in codebook and '"1","Yes"' in codebook
    workbook = load_workbook(
        io.BytesIO(client.get("/national/collections/tables-2013/tables/xlsx").data)
    )
    assert workbook.sheetnames == ["returns", "arrangements", "codebook"]
    assert workbook["arrangements"].max_row == 12  # header and 11 arrangements


def test_the_command_line_writes_the_same_files(app, national, tmp_path):
    register_commands()
    out = tmp_path / "tables.sav.zip"
    result = app.test_cli_runner().invoke(
        cli,
        [
            "national",
            "dataset",
            "--collection",
            "tables-2013",
            "--format",
            "spss",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    files = _unzip(out.read_bytes())
    _, meta = _read(tmp_path, "r.sav", files["tables-2013-returns.sav"], pyreadstat.read_sav)
    assert meta.variable_value_labels["q1"] == {1: "Yes", 2: "No"}


def test_only_analysts_download_the_tables(client, national):
    lead = make_user(None, agency=None)
    sign_in(client, lead)
    for fmt in ("spss", "stata", "csv", "xlsx"):
        response = client.get(f"/national/collections/tables-2013/tables/{fmt}")
        assert response.status_code in (403, 404), fmt
        assert b"Yes" not in response.data
    _analyst(client)
    assert client.get("/national/collections/tables-2013/tables/sas").status_code == 404
