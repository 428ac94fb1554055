"""Country polygons, loaded from the repository's ``geodata/`` by path relative to this module.

>>> fc = load_countries()
>>> sorted(f["properties"]["iso3"] for f in fc["features"])[:2]
['ABW', 'AFG']
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
COUNTRIES_GEOJSON = GEODATA / "countries.geojson"


@lru_cache(maxsize=4)
def load_countries(path: Path = COUNTRIES_GEOJSON) -> dict:
    """The country FeatureCollection: properties ``iso3``, ``name``, ``label_lon``, ``label_lat``, ``area``."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def country_names(fc: dict) -> dict[str, str]:
    """``{iso3: name}`` for every polygon."""
    return {f["properties"]["iso3"]: f["properties"]["name"] for f in fc["features"]}
