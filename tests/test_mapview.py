"""The folium map as HTML, without a browser (as streamlit-folium's own tests do)."""

from __future__ import annotations

import json
import re

import pytest

from pressmap.classify import NOT_MENTIONED, classify
from pressmap.geodata import load_countries
from pressmap.mapview import build_map, country_layer

COUNTS = {"AZE": {"articles": 5, "mentions": 12}, "BHR": {"articles": 1, "mentions": 1},
          "USA": {"articles": 3, "mentions": 7}}


@pytest.fixture(scope="module")
def html() -> str:
    fc = load_countries()
    values = {k: v["articles"] for k, v in COUNTS.items()}
    return build_map(fc, classify(values), COUNTS, selected="AZE").get_root().render()


def test_no_request_leaves_the_machine(html: str) -> None:
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, flags=re.I) == []
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert srcs == ["/app/static/leaflet/leaflet.js"]


def _features(html: str) -> list[dict]:
    feats = []
    for m in re.finditer(r'geo_json_[0-9a-f]+_add\((\{"bbox".*?|\{"features".*?)\);\n', html, re.S):
        feats += json.loads(m.group(1))["features"]
    return feats


def test_every_country_is_drawn_and_carries_its_counts(html: str) -> None:
    feats = _features(html)
    polys = {f["properties"]["iso3"]: f for f in feats if f["geometry"]["type"] != "Point"}
    assert len(polys) == len(load_countries()["features"])
    assert polys["AZE"]["properties"]["summary"] == "5 articles, 12 mentions"
    assert polys["FRA"]["properties"]["fill"] == NOT_MENTIONED
    assert polys["AZE"]["properties"]["fill"] != NOT_MENTIONED


def test_small_mentioned_countries_get_a_marker(html: str) -> None:
    points = {f["properties"]["iso3"] for f in _features(html) if f["geometry"]["type"] == "Point"}
    assert points == {"BHR"}  # mentioned and small; AZE and USA are large, MLT not mentioned
    assert "new L.CircleMarker" in html and '"fill": true' in html


def test_polygons_are_drawn_over_the_markers(html: str) -> None:
    """Leaflet stacks vector layers in the order they are added: the polygons come after the
    markers, so a click inside a country's polygon is that country's, never a neighbour's dot."""
    layers = [json.loads(m.group(1))["features"] for m in
              re.finditer(r'geo_json_[0-9a-f]+_add\((\{"bbox".*?|\{"features".*?)\);\n', html, re.S)]
    kinds = ["points" if all(f["geometry"]["type"] == "Point" for f in fs) else "polygons"
             for fs in layers]
    assert kinds == ["points", "polygons"]


def test_colours_follow_the_classes() -> None:
    fc = load_countries()
    c = classify({"AZE": 1, "USA": 100})
    layer = country_layer(fc, c, {"AZE": {"articles": 1, "mentions": 1},
                                  "USA": {"articles": 100, "mentions": 100}})
    gj = next(iter(layer._children.values()))
    fills = {f["properties"]["iso3"]: f["properties"]["fill"] for f in gj.data["features"]}
    assert fills["AZE"] != fills["USA"] and NOT_MENTIONED not in (fills["AZE"], fills["USA"])


def test_polygons_keep_small_states() -> None:
    codes = {f["properties"]["iso3"] for f in load_countries()["features"]}
    for iso3 in ["BHR", "SGP", "MLT", "TUV", "VAT", "FRA", "NOR", "XKX", "PSE", "TWN"]:
        assert iso3 in codes
    assert "-99" not in codes


def test_comention_lines_join_label_points_with_numbers_only() -> None:
    fc = load_countries()
    pairs = [{"a": "AZE", "b": "ISR", "articles": 4}, {"a": "ISR", "b": "USA", "articles": 1},
             {"a": "ISR", "b": "ZZZ", "articles": 9}]  # unknown code: skipped
    html = build_map(fc, classify({"AZE": 1}), {"AZE": {"articles": 1, "mentions": 1}}).get_root().render()
    assert "L.polyline" not in html
    from pressmap.mapview import base_map

    m = base_map()
    country_layer(fc, classify({"AZE": 1}), {"AZE": {"articles": 1, "mentions": 1}}, pairs=pairs).add_to(m)
    html = m.get_root().render()
    lines = re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", html, re.S)
    assert len(lines) == 2
    where = {f["properties"]["iso3"]: f["properties"] for f in fc["features"]}
    first = json.loads(lines[0])
    assert first == [[where["AZE"]["label_lat"], where["AZE"]["label_lon"]],
                     [where["ISR"]["label_lat"], where["ISR"]["label_lon"]]]
    assert "Azerbaijan – Israel: 4 articles" in html and "Israel – United States" in html


def test_share_in_tooltip() -> None:
    layer = country_layer(load_countries(), classify({"AZE": 1}), {"AZE": {"articles": 1, "mentions": 2}},
                          shares={"AZE": 0.0123})
    gj = next(iter(layer._children.values()))
    p = next(f["properties"] for f in gj.data["features"] if f["properties"]["iso3"] == "AZE")
    assert p["summary"] == "1 article, 2 mentions (0.012% of articles)"
