"""The national picture's charts: what they show follows the returns, even though each worker
keeps the charts it has drawn."""

from __future__ import annotations

import io

from tests.factories import make_partnership
from tests.test_national_pages import _analyst, _open_collection


def _upload(client, codes, answers, replace=False):
    lines = ["partnership_code,arrangement,q1"]
    for code, answer in zip(codes, answers, strict=True):
        lines.append(f"{code},,{answer}")
        if answer == "yes":  # a partnership with IOM has at least one arrangement
            lines.append(f"{code},1,")
    data = {"returns_file": (io.BytesIO(("\n".join(lines) + "\n").encode()), "returns.csv")}
    if replace:
        data["replace"] = "y"
    response = client.post(
        "/national/collections/charts/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _q1_chart(get_page):
    figure = get_page("/national/collections/charts/picture").select_one("#item-q1 figure")
    texts = [t.text for t in figure.select("svg text")]
    # Each figure once: the chart's figures are behind "Show the figures", right after it.
    details = figure.find_next("details")
    assert details.summary.get_text(strip=True) == "Show the figures"
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in details.select("tbody tr")
    }
    return texts, rows


def test_a_new_or_replaced_return_redraws_the_chart(client, get_page):
    _analyst(client)
    partnerships = [make_partnership(region="north_west") for _ in range(4)]
    _open_collection(partnerships, slug="charts")
    codes = [p.code for p in partnerships]

    _upload(client, codes[:3], ["yes", "yes", "yes"])
    texts, rows = _q1_chart(get_page)
    assert "100%" in texts and "Percentage of partnerships (n = 3)" in texts
    assert rows["Yes"] == "3" and rows["No"] == "0"
    assert _q1_chart(get_page)[0] == texts  # drawn once, shown again

    # One partnership's return is replaced: the same number of returns, other answers.
    _upload(client, codes[:1], ["no"], replace=True)
    texts, rows = _q1_chart(get_page)
    assert "67%" in texts and "33%" in texts and "100%" not in texts[:4]
    assert rows["Yes"] == "2" and rows["No"] == "1"

    # A new return.
    _upload(client, codes[3:], ["no"])
    texts, rows = _q1_chart(get_page)
    assert "50%" in texts and "Percentage of partnerships (n = 4)" in texts
    assert rows["Yes"] == "2" and rows["No"] == "2"
