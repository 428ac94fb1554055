"""The folium map, built as pure functions so it can be tested without a browser.

The base map is static (no tiles, Leaflet served from this machine); the shaded countries
are a separate :class:`folium.FeatureGroup`, so a view can re-shade it without remounting
the map and losing its pan and zoom. Only country names (from our geodata) and numbers go
into folium: article text never does, because folium tooltips insert values as HTML.

>>> from pressmap.geodata import load_countries
>>> from pressmap.classify import classify
>>> m = build_map(load_countries(), classify({"AZE": 3}), {"AZE": {"articles": 3, "mentions": 4}})
>>> "cdn" in m.get_root().render().lower()
False
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import folium

from pressmap.classify import NOT_MENTIONED, Classes
from pressmap.wording import counted

LEAFLET_BASE = "/app/static/leaflet"  # where the dashboard serves xstatic-leaflet's files
BACKGROUND = "#cfe3f0"  # sea
SMALL_AREA = 2.0  # square degrees: below this a country also gets a clickable marker
SELECTED_BORDER = "#1d3557"
LINE_COLOUR = "#1d3557"
WORLD = [[-47.0, -172.0], [72.0, 180.0]]  # south-west, north-east corners of the first view


def leaflet_dir() -> str:
    """Folder holding ``leaflet.js`` and ``leaflet.css`` from the xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xl

    return xl.BASE_DIR


def install_leaflet(dest: Path) -> Path:
    """Copy Leaflet's files into ``dest`` (once) so a web server can serve them locally."""
    if not (dest / "leaflet.js").exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(leaflet_dir(), dest, dirs_exist_ok=True)
    return dest


def base_map(leaflet_base: str = LEAFLET_BASE, height: int = 520) -> folium.Map:
    """An empty world map that loads only Leaflet, from ``leaflet_base``, and no tiles."""
    m = folium.Map(
        location=[25, 10],
        zoom_start=2,
        min_zoom=1,
        max_zoom=8,
        tiles=None,
        world_copy_jump=False,
        prefer_canvas=False,
        control_scale=False,
        height=height,
        zoom_snap=0.25,  # fractional zoom, so the whole world fits whatever the map's width
        zoom_delta=0.5,
    )
    # every inhabited longitude at first sight (Japan, New Zealand and the Pacific included)
    m.fit_bounds(WORLD)
    # Instance attributes shadow folium's CDN defaults (jQuery, Bootstrap, Font Awesome...).
    m.default_js = [("leaflet", f"{leaflet_base}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_base}/leaflet.css")]
    m.get_root().header.add_child(
        folium.Element(f"<style>.folium-map, .leaflet-container {{background: {BACKGROUND};}}</style>"),
        name="pressmap_background",
    )
    return m


def country_layer(
    countries: dict,
    classes: Classes,
    counts: dict[str, dict],
    *,
    selected: str | None = None,
    value_label: str = "articles",
    shares: dict[str, float] | None = None,
    pairs: list[dict] | None = None,
) -> folium.FeatureGroup:
    """Shaded country polygons plus a marker for each small mentioned country.

    ``counts`` maps ISO3 to ``{"articles": int, "mentions": int}``; the tooltip shows the
    name and both counts (and the share of articles, in percent, from ``shares``). Clicking a
    polygon or a marker returns its ``iso3`` property. ``pairs`` (``{"a", "b", "articles"}``)
    adds a line between the label points of each co-mentioned pair, wider for more articles.
    """
    fc = copy.deepcopy(countries)
    points = []
    for f in fc["features"]:
        p = f["properties"]
        c = counts.get(p["iso3"], {})
        p["articles"] = int(c.get("articles", 0))
        p["mentions"] = int(c.get("mentions", 0))
        p["summary"] = (f"{counted(p['articles'], 'article')}, {counted(p['mentions'], 'mention')}"
                        if p["articles"] else "not mentioned")
        if shares and p["articles"]:
            p["summary"] += f" ({pct(shares.get(p['iso3'], 0))} of articles)"
        p["fill"] = classes.colour_of(p["iso3"])
        if p.get("area", 99) < SMALL_AREA and p["articles"]:
            points.append({
                "type": "Feature",
                "properties": dict(p),
                "geometry": {"type": "Point", "coordinates": [p["label_lon"], p["label_lat"]]},
            })
    group = folium.FeatureGroup(name="countries")

    def style(feature: dict) -> dict:
        p = feature["properties"]
        sel = p["iso3"] == selected
        return {
            "fillColor": p["fill"],
            "fillOpacity": 0.9 if p["fill"] != NOT_MENTIONED else 0.7,
            "color": SELECTED_BORDER if sel else "#8a8a8a",
            "weight": 2.5 if sel else 0.4,
        }

    # Markers first: every polygon paints over them and wins a click inside it, so a marker
    # only widens the target into the sea or other empty ground (Palestine's dot overlaps
    # Israel until zoomed well in: a click on Israel's shape must be Israel's).
    if points:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": points},
            name="small countries",
            marker=folium.CircleMarker(radius=7, weight=1.5, color="#444", fill=True, fill_opacity=0.95),
            style_function=lambda f: {"fillColor": f["properties"]["fill"],
                                      "color": SELECTED_BORDER if f["properties"]["iso3"] == selected
                                      else "#444"},
            tooltip=folium.GeoJsonTooltip(fields=["name", "summary"], labels=False, sticky=True),
        ).add_to(group)
    tooltip = folium.GeoJsonTooltip(fields=["name", "summary"], labels=False, sticky=True)
    folium.GeoJson(
        fc,
        name="country polygons",
        style_function=style,
        highlight_function=lambda f: {"weight": 2, "color": SELECTED_BORDER},
        tooltip=tooltip,
        smooth_factor=0.5,
    ).add_to(group)
    if pairs:
        comention_lines(countries, pairs).add_to(group)
    return group


def comention_lines(countries: dict, pairs: list[dict]) -> folium.FeatureGroup:
    """Lines between the label points of co-mentioned countries; only names and numbers."""
    where = {f["properties"]["iso3"]: f["properties"] for f in countries["features"]}
    group = folium.FeatureGroup(name="co-mentions")
    top = max((int(p["articles"]) for p in pairs), default=1) or 1
    for pair in pairs:
        a, b = where.get(pair["a"]), where.get(pair["b"])
        if not a or not b:
            continue
        n = int(pair["articles"])
        folium.PolyLine(
            [[a["label_lat"], a["label_lon"]], [b["label_lat"], b["label_lon"]]],
            color=LINE_COLOUR, weight=round(1 + 4 * n / top, 1), opacity=0.55,
            tooltip=f"{_plain(a['name'])} – {_plain(b['name'])}: {counted(n, 'article')}",
            interactive=True,
        ).add_to(group)
    return group


def pct(v: float) -> str:
    """A percentage with enough digits to tell small shares from zero."""
    v = float(v)
    return f"{v:.1f}%" if v >= 1 or v == 0 else f"{v:.2g}%"


def _plain(name: str) -> str:
    """Our own country names, with anything HTML-like dropped (belt and braces)."""
    return "".join(c for c in str(name) if c not in "<>&\"'`")


def build_map(countries: dict, classes: Classes, counts: dict[str, dict], *,
              selected: str | None = None, leaflet_base: str = LEAFLET_BASE) -> folium.Map:
    """The whole map in one object (for static HTML and tests)."""
    m = base_map(leaflet_base)
    country_layer(countries, classes, counts, selected=selected).add_to(m)
    return m
