"""The CI evaluation gate: document-level country detection scores on GeoVirus and LGL.

Floors sit just below what the detector achieves; a change that lowers them fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pressmap.evaluate_geoparse import evaluate, format_table, main

from .conftest import need_shared

# corpus: (countries F1, explicit F1, explicit precision)
FLOORS = {
    "geovirus.jsonl": (0.982, 0.97, 0.95),
    "lgl.jsonl": (0.875, 0.925, 0.895),
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_scores_above_floor(corpus: str) -> None:
    path = need_shared("eval", "geoparse", corpus)
    res = evaluate(path)
    f1_floor, ex_f1_floor, ex_p_floor = FLOORS[corpus]
    print(format_table(corpus, res))
    assert res["countries"]["f1"] >= f1_floor
    assert res["explicit"]["f1"] >= ex_f1_floor
    assert res["explicit"]["p"] >= ex_p_floor


def test_evaluate_counts_on_a_small_corpus(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "text": "Talks in Baku and Paris.",
            "countries": ["AZE", "FRA"],
            "explicit": [],
        },
        {"id": "b", "text": "Israel and Japan.", "countries": ["ISR"], "explicit": ["ISR"]},
        {"id": "c", "text": "Nothing here.", "countries": ["KEN"], "explicit": ["KEN"]},
    ]
    p = tmp_path / "mini.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = evaluate(p)
    assert res["articles"] == 3
    assert (res["countries"]["tp"], res["countries"]["fp"], res["countries"]["fn"]) == (3, 1, 1)
    assert (res["explicit"]["tp"], res["explicit"]["fp"], res["explicit"]["fn"]) == (1, 1, 1)
    assert res["countries"]["p"] == 0.75
    kinds = {(e["type"], e["iso3"]) for e in res["errors"]}
    assert kinds == {("FP", "JPN"), ("FN", "KEN")}
    assert main([str(p)]) == 0
    for bad in ([], [str(p) + ".missing"]):
        with pytest.raises(SystemExit) as exc:
            main(bad)
        assert exc.value.code == 2
