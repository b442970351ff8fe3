"""Charts and PDFs are made once per state of what they show: kept in the process by default,
or in Redis for every app server when one is configured; Redis failing never fails a page."""

from __future__ import annotations

import pytest

from selfassess.documents import charts, national_charts, pdf, shared_cache
from selfassess.documents.charts import Chart
from selfassess.documents.shared_cache import Kept

CHART = Chart(
    svg="<svg>bars</svg>", caption="Ratings by agency", rows=[["Agency", "Red"], ["Police", "2"]]
)


def counting(value):
    made = []

    def make():
        made.append(1)
        return value

    return make, made


@pytest.fixture
def in_memory():
    shared_cache.configure(None)
    yield
    shared_cache.configure(None)


@pytest.fixture
def in_redis(redis_url):
    shared_cache.configure(redis_url, prefix="test:")
    yield redis_url
    shared_cache.configure(None)


def test_in_memory_a_value_is_made_once_per_key_and_the_oldest_are_let_go(in_memory):
    kept = Kept("things", 2, bytes, bytes)
    make, made = counting(b"pdf")
    for _ in range(3):
        assert kept.get_or_make(("assessment", 1), make) == b"pdf"
    assert len(made) == 1
    kept.get_or_make(("assessment", 2), make)
    kept.get_or_make(("assessment", 3), make)
    kept.get_or_make(("assessment", 1), make)  # pushed out by the two newer ones: made again
    assert len(made) == 4 and len(kept) == 2


def test_two_app_servers_share_what_either_made_through_redis(in_redis):
    # Two Kept of the same name stand for the same cache in two processes: nothing in memory.
    first = Kept("report-chart", 4, charts.encode_chart, charts.decode_chart)
    second = Kept("report-chart", 4, charts.encode_chart, charts.decode_chart)
    make, made = counting(CHART)
    assert first.get_or_make(("state", 7), make) == CHART
    assert second.get_or_make(("state", 7), make) == CHART
    assert len(made) == 1
    # A new state of the assessment is a new key: drawn again, never an old picture.
    second.get_or_make(("state", 8), make)
    assert len(made) == 2


def test_a_pdf_and_a_whole_national_picture_come_back_from_redis_as_they_were_made(in_redis):
    make, made = counting(b"%PDF-1.7 report")
    assert pdf.cached_pdf(("report", 1), make) == b"%PDF-1.7 report"
    pdf._pdfs._memory.clear()  # nothing in this process: it must come from Redis
    assert pdf.cached_pdf(("report", 1), make) == b"%PDF-1.7 report" and len(made) == 1

    picture = {("item", "q4"): CHART, ("section", "national-2013", "s1"): None}
    assert national_charts._decode(national_charts._encode(picture)) == picture


def test_redis_that_does_not_answer_means_the_value_is_made_not_an_error(in_memory):
    shared_cache.configure("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    kept = Kept("report-chart", 4, charts.encode_chart, charts.decode_chart)
    make, made = counting(CHART)
    assert kept.get_or_make(("state", 1), make) == CHART
    assert kept.get_or_make(("state", 1), make) == CHART
    assert len(made) == 2


def test_clearing_forgets_the_shared_values_too(in_redis):
    kept = Kept("report-chart", 4, charts.encode_chart, charts.decode_chart)
    make, made = counting(CHART)
    kept.get_or_make(("state", 1), make)
    kept.clear()
    kept.get_or_make(("state", 1), make)
    assert len(made) == 2
