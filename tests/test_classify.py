from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pressmap.classify import NOT_MENTIONED, classify


@given(st.dictionaries(st.sampled_from(["AZE", "USA", "ISR", "FRA", "BHR", "MLT", "SGP"]),
                       st.integers(0, 10_000)), st.sampled_from(["quantiles", "log", "equal"]))
def test_every_positive_value_gets_a_class_in_order(values, method) -> None:
    c = classify(values, method=method)
    assert c.bounds == sorted(c.bounds)
    for k, v in values.items():
        if v > 0:
            assert c.colour_of(k) != NOT_MENTIONED
            assert v <= c.bounds[c.class_of(k)] + 1e-6
        else:
            assert c.colour_of(k) == NOT_MENTIONED
    # darker (later) classes hold larger values
    ranked = sorted((v, c.class_of(k)) for k, v in values.items() if v > 0)
    assert [cl for _, cl in ranked] == sorted(cl for _, cl in ranked)


def test_legend_lists_bounds_and_not_mentioned() -> None:
    c = classify({"A": 1, "B": 2, "C": 10, "D": 100}, k=4)
    labels = [label for _, label in c.legend()]
    assert labels[-1] == "not mentioned"
    assert labels[0].startswith("1") and labels[-2].endswith("100")


def test_whole_numbers_get_whole_bounds_and_disjoint_labels() -> None:
    c = classify({str(i): v for i, v in enumerate([1, 1, 1, 2, 2, 3, 5, 8, 20, 100, 9744])})
    assert c.integer and all(float(b).is_integer() for b in c.bounds)
    labels = [label for _, label in c.legend()][:-1]
    lows = [int(label.split(" – ")[0]) for label in labels]
    highs = [int(label.split(" – ")[-1]) for label in labels]
    assert lows[0] == 1 and highs[-1] == 9744
    assert all(lo == hi + 1 for lo, hi in zip(lows[1:], highs[:-1], strict=True))  # no overlap, no gap
    shares = classify({"A": 0.5, "B": 2.25, "C": 7.5}, k=3)
    assert not shares.integer and shares.bounds[-1] == 7.5
