"""Evaluation gate: extraction quality on ../shared/eval/extract must not fall below these floors.

Floors sit just below the figures reached when they were set (benchmark-style F1: mean per-page
precision and recall, F1 of the means; see pressmap.evaluate_extract). Raise them as scores improve.
"""

from __future__ import annotations

import pytest

from pressmap import evaluate_extract as ev
from tests.conftest import need_shared

HTML_F1_FLOOR = 0.965  # reached 0.969 (trafilatura.extract alone: 0.953)
HTML_POOLED_F1_FLOOR = 0.970  # reached 0.973
TXT_F1_FLOOR = 0.930  # reached 0.9335 (whole dump: about 0.64)
TXT_POOLED_F1_FLOOR = 0.938  # reached 0.942
TXT_TITLE_FLOOR = 0.70  # reached 0.724 (agreement with the HTML page's own title)
HTML_DATE_FLOOR = 0.95  # reached 45/45 pages whose URL carries a date
TXT_DATE_FLOOR = 0.72  # reached 0.743 (agreement with the HTML page's own date)


@pytest.fixture(scope="module")
def data():
    return need_shared("eval", "extract")


@pytest.fixture(scope="module")
def rows(data):
    return ev.load(data)


def test_metric_is_the_benchmark_metric():
    assert ev.prf(*ev.match("a b c d e", "a b c d e")) == (1.0, 1.0, 1.0)
    tp, fp, fn = ev.match("w x y z", "a b c d")
    assert (tp, fp, fn) == (0, 1, 1)
    rep = ev.Report("t")
    rep.add("1", "a b c d e", "a b c d e f")
    rep.add("2", "", "a b c d")  # empty prediction: no precision, zero recall
    p, r, _ = rep.bench()
    assert p == 1.0  # the empty page has no precision to average (as in the benchmark)
    assert r == pytest.approx((2 / 3 + 0) / 2)
    assert rep.pooled() == pytest.approx((1.0, 2 / 4, 2 / 3))


def test_html_path_gate(data, rows):
    rep = ev.run("html", data, rows)
    assert len(rep.rows) == len(rows) > 100
    assert rep.bench()[2] >= HTML_F1_FLOOR, rep.summary()
    assert rep.pooled()[2] >= HTML_POOLED_F1_FLOOR, rep.summary()
    hit, n = rep.share("date_ok")
    assert n and hit / n >= HTML_DATE_FLOOR, rep.summary()


def test_txt_path_gate(data, rows):
    meta = ev.html_metadata(data, rows)
    rep = ev.run("txt", data, rows, html_meta=meta)
    assert rep.bench()[2] >= TXT_F1_FLOOR, rep.summary()
    assert rep.pooled()[2] >= TXT_POOLED_F1_FLOOR, rep.summary()
    hit, n = rep.share("title_ok")
    assert n and hit / n >= TXT_TITLE_FLOOR, rep.summary()
    hit, n = rep.share("date_meta_ok")
    assert n and hit / n >= TXT_DATE_FLOOR, rep.summary()


def test_docstring_examples():
    import doctest

    import pressmap.evaluate_extract as mod

    assert doctest.testmod(mod).failed == 0
