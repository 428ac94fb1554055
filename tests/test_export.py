"""Exports of the current view, without a browser."""

from __future__ import annotations

import csv
import io
import json

from pressmap import queries as q
from pressmap.analysis import analyze_article
from pressmap.classify import NOT_MENTIONED, classify
from pressmap.export import counts_csv, mentions_csv, shaded_geojson
from pressmap.geodata import country_names, load_countries
from pressmap.model import Article
from pressmap.store import Store


def _db():
    s = Store(":memory:")
    s.put(analyze_article(Article(id="1", title="=HYPERLINK(\"http://x\")", text="Talks in Baku. Azerbaijan and Malta.")))
    s.put(analyze_article(Article(id="2", title="-2+3", text="Malta said so.", published="2025-01-02")))
    return s.conn


def test_counts_csv_round_trips() -> None:
    conn = _db()
    names = country_names(load_countries())
    rows = q.country_counts(conn)
    out = list(csv.DictReader(io.StringIO(counts_csv(rows, names, q.matching_articles(conn)))))
    by = {r["iso3"]: r for r in out}
    assert by["MLT"] == {"iso3": "MLT", "country": "Malta", "articles": "2", "mentions": "2",
                         "share_of_articles": "1.0"}
    assert by["AZE"]["articles"] == "1" and by["AZE"]["mentions"] == "2"
    assert float(by["AZE"]["share_of_articles"]) == 0.5


def test_mentions_csv_neutralises_formulas_and_keeps_snippets() -> None:
    conn = _db()
    names = country_names(load_countries())
    out = list(csv.DictReader(io.StringIO(mentions_csv(q.mention_rows(conn), names))))
    assert {r["surface"] for r in out} == {"Baku", "Azerbaijan", "Malta"}
    titles = {r["title"] for r in out}
    assert titles == {"'=HYPERLINK(\"http://x\")", "'-2+3"}  # never a live formula
    baku = next(r for r in out if r["surface"] == "Baku")
    assert baku["snippet"] == "Talks in Baku." and baku["kind"] == "capital" and baku["country"] == "Azerbaijan"


def test_shaded_geojson_has_only_mentioned_countries_with_their_class() -> None:
    fc = load_countries()
    counts = {"AZE": {"articles": 1, "mentions": 2}, "MLT": {"articles": 5, "mentions": 9}}
    values = {k: v["articles"] for k, v in counts.items()}
    classes = classify(values)
    gj = json.loads(shaded_geojson(fc, classes, counts, values))
    props = {f["properties"]["iso3"]: f["properties"] for f in gj["features"]}
    assert set(props) == {"AZE", "MLT"}
    assert props["MLT"]["articles"] == 5 and props["MLT"]["value"] == 5
    assert props["MLT"]["fill"] != props["AZE"]["fill"] and NOT_MENTIONED not in (
        props["MLT"]["fill"], props["AZE"]["fill"])
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in gj["features"])
