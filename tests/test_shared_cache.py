"""Charts and PDFs are made once per state of what they show: kept in the process by default,
or in Redis for every app server when one is configured; Redis failing never fails a page."""

from __future__ import annotations

import threading
import time

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


def _at_once(asks: list) -> list:
    """Run each ask on its own thread, all at the same moment; their answers in order."""
    start = threading.Barrier(len(asks))
    answers: list = [None] * len(asks)

    def ask(i):
        start.wait()
        answers[i] = asks[i]()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(asks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def slow(value, made):
    def make():
        made.append(1)
        time.sleep(0.3)
        return value

    return make


def test_asked_for_by_several_at_once_a_value_is_made_once_and_all_wait_for_it(in_memory):
    kept = Kept("national-charts", 4, bytes, bytes)
    made: list = []
    answers = _at_once([lambda: kept.get_or_make(("picture", 1), slow(b"charts", made))] * 4)
    assert answers == [b"charts"] * 4 and len(made) == 1


def test_when_the_first_maker_fails_the_one_waiting_makes_it_itself(in_memory):
    kept = Kept("pdf", 4, bytes, bytes)

    def fails():
        time.sleep(0.2)
        raise RuntimeError("WeasyPrint gave up")

    def first():
        try:
            return kept.get_or_make(("report", 1), fails)
        except RuntimeError as error:
            return str(error)

    def second():
        time.sleep(0.05)  # asks while the first is still making it
        return kept.get_or_make(("report", 1), lambda: b"%PDF")

    assert _at_once([first, second]) == ["WeasyPrint gave up", b"%PDF"]


def test_app_servers_asking_at_once_share_one_making_through_redis(in_redis):
    servers = [Kept("national-charts", 4, bytes, bytes) for _ in range(3)]
    made: list = []
    answers = _at_once(
        [lambda k=k: k.get_or_make(("picture", 2), slow(b"charts", made)) for k in servers]
    )
    assert answers == [b"charts"] * 3 and len(made) == 1
