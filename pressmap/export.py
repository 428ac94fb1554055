"""Exports of the dashboard's current view: pure functions from query results to text.

Cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR at the
start) are prefixed with ``'`` in CSV: article text is untrusted and analysts open CSVs in Excel.

>>> counts_csv([{"iso3": "AZE", "articles": 2, "mentions": 3}], {"AZE": "Azerbaijan"}, 4)
'iso3,country,articles,mentions,share_of_articles\\r\\nAZE,Azerbaijan,2,3,0.5\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json

from pressmap.classify import Classes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MENTION_FIELDS = ("article_id", "published", "source", "title", "url", "iso3", "country", "kind",
                  "surface", "start", "end", "confidence", "snippet")


def _cell(v):
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def _csv(header: list[str] | tuple[str, ...], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow([_cell(x) for x in r])
    return buf.getvalue()


def counts_csv(counts: list[dict], names: dict[str, str], total_articles: int) -> str:
    """Per country: articles, mentions and share of the matching articles (0..1)."""
    return _csv(
        ["iso3", "country", "articles", "mentions", "share_of_articles"],
        ([c["iso3"], names.get(c["iso3"], c["iso3"]), c["articles"], c["mentions"],
          round(c["articles"] / total_articles, 6) if total_articles else 0] for c in counts),
    )


def mentions_csv(rows: list[dict], names: dict[str, str]) -> str:
    """One line per mention (from :func:`pressmap.queries.mention_rows`), sentence included."""
    return _csv(MENTION_FIELDS, ([r.get(k) if k != "country" else names.get(r["iso3"], r["iso3"])
                                  for k in MENTION_FIELDS] for r in rows))


def shaded_geojson(countries: dict, classes: Classes, counts: dict[str, dict],
                   values: dict[str, float], *, value_name: str = "articles") -> str:
    """The mentioned countries' polygons with their counts, shading value, class and colour."""
    feats = []
    for f in countries["features"]:
        p = f["properties"]
        c = counts.get(p["iso3"])
        if not c:
            continue
        feats.append({
            "type": "Feature",
            "properties": {
                "iso3": p["iso3"], "name": p["name"], "articles": int(c["articles"]),
                "mentions": int(c["mentions"]), "value": values.get(p["iso3"], 0),
                "value_name": value_name, "class": classes.class_of(p["iso3"]),
                "fill": classes.colour_of(p["iso3"]),
            },
            "geometry": f["geometry"],
        })
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))
