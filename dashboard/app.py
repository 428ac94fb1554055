"""pressmap dashboard: a thin Streamlit view over the ``pressmap`` package.

Run with ``pressmap dashboard`` (or ``make run``); the database comes from ``$PRESSMAP_DB``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from pressmap import queries
from pressmap.classify import METHODS, classify
from pressmap.geodata import country_names, load_countries
from pressmap.mapview import base_map, country_layer, leaflet_dir
from pressmap.model import KINDS
from pressmap.render import highlight, inert, safe_url
from pressmap.store import connect, default_db_path

STATIC = Path(__file__).resolve().parent / "static" / "leaflet"
SHADE_BY = {
    "Articles mentioning the country": "articles",
    "Total mentions": "mentions",
    "Share of articles (%)": "share",
}
PAGE = 10


def ensure_leaflet() -> None:
    """Serve Leaflet from this machine: copy xstatic-leaflet's files under ``static/``."""
    if (STATIC / "leaflet.js").exists():
        return
    STATIC.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(leaflet_dir(), STATIC, dirs_exist_ok=True)


@st.cache_resource
def countries() -> dict:
    return load_countries()


def sidebar(conn) -> tuple[queries.Filters, str, str]:
    st.sidebar.header("Filters")
    shade = st.sidebar.radio("Shade by", list(SHADE_BY), key="shade")
    method = st.sidebar.selectbox("Classes", METHODS, key="method")
    kinds = st.sidebar.multiselect("Mention kinds that count", KINDS, default=list(KINDS), key="kinds")
    srcs = queries.sources(conn)
    chosen = st.sidebar.multiselect("Sources", srcs, key="sources") if srcs else []
    search = st.sidebar.text_input("Search titles and text", key="search")
    min_n = st.sidebar.number_input("At least N mentions per article", 1, 100, 1, key="min_n")
    f = queries.Filters(kinds=tuple(kinds), sources=tuple(chosen), search=search or None,
                        min_mentions=int(min_n))
    return f, SHADE_BY[shade], method


def legend(classes, label: str) -> None:
    items = "".join(
        f'<span style="display:inline-block;margin-right:12px">'
        f'<span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'border:1px solid #888;vertical-align:middle"></span> {inert(text)}</span>'
        for c, text in classes.legend()
    )
    st.markdown(f"<div class='pm-legend'><b>{inert(label)}</b>: {items}</div>",
                unsafe_allow_html=True)


def show_snippets(conn, iso3: str, name: str, f: queries.Filters, total: dict) -> None:
    st.subheader(f"{name} ({iso3})")
    st.caption(f"{total.get('articles', 0)} articles, {total.get('mentions', 0)} mentions")
    n_articles = total.get("articles", 0)
    pages = max(1, -(-n_articles // PAGE))
    page = st.number_input("Page", 1, pages, 1, key=f"page_{iso3}") if pages > 1 else 1
    for group in queries.snippets(conn, iso3, f, limit=PAGE, offset=(page - 1) * PAGE):
        box = st.container(border=True)
        meta = " · ".join(inert(x) for x in (group.published and group.published[:10],
                                              group.source) if x)
        box.markdown(f"<div class='pm-article'><b>{inert(group.title or group.id)}</b><br>"
                     f"<small>{meta}</small></div>", unsafe_allow_html=True)
        for snip in group.snippets:
            kinds = ", ".join(f"{inert(k)}: {inert(s)}" for k, s in dict.fromkeys(snip.kinds))
            box.markdown(f"<div class='pm-snippet'>{highlight(snip.sentence, snip.highlights)}"
                         f"<br><small>{kinds}</small></div>", unsafe_allow_html=True)
        url = safe_url(group.url)
        if url:
            box.link_button("Open original", url)


def main() -> None:
    st.set_page_config(page_title="pressmap", layout="wide")
    ensure_leaflet()
    db = default_db_path()
    if not Path(db).exists():
        st.error(f"No database at {db}. Run `pressmap ingest articles/ --db {db}` first.")
        return
    conn = connect(db, readonly=True)
    f, shade, method = sidebar(conn)
    fc = countries()
    names = country_names(fc)
    counts = {r["iso3"]: r for r in queries.country_counts(conn, f)}
    n_articles = queries.matching_articles(conn, f)
    values = {
        k: (v[shade] if shade != "share" else 100 * v["articles"] / max(n_articles, 1))
        for k, v in counts.items()
    }
    classes = classify(values, method=method)
    st.title("pressmap: who is in the news")
    s = queries.stats(conn)
    st.caption(f"{s['articles']} articles · {s['sources']} sources · {s['countries']} countries · "
               f"{n_articles} articles match the filters")

    left, right = st.columns([3, 2])
    with left:
        selected = st.session_state.get("selected")
        layer = country_layer(fc, classes, counts, selected=selected)
        out = st_folium(base_map(), feature_group_to_add=layer, height=520,
                        use_container_width=True, returned_objects=["last_active_drawing"],
                        key="map")
        clicked = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
        if clicked.get("iso3") and clicked.get("iso3") != st.session_state.get("last_click"):
            st.session_state["last_click"] = clicked["iso3"]
            st.session_state["selected"] = clicked["iso3"]
            st.rerun()
        legend(classes, [k for k, v in SHADE_BY.items() if v == shade][0])
        table = [{"country": names.get(k, k), "iso3": k, "articles": v["articles"],
                  "mentions": v["mentions"]} for k, v in counts.items()]
        st.dataframe(table, hide_index=True, use_container_width=True)
    with right:
        options = [""] + sorted(counts, key=lambda k: names.get(k, k))
        current = st.session_state.get("selected")
        idx = options.index(current) if current in options else 0
        pick = st.selectbox("Country", options, index=idx,
                            format_func=lambda k: names.get(k, k) if k else "Click a country on the map")
        if pick != (current or ""):
            st.session_state["selected"] = pick or None
            st.rerun()
        if current:
            show_snippets(conn, current, names.get(current, current), f, counts.get(current, {}))
        else:
            st.info("Click a country on the map, or pick one above, to see the sentences that mention it.")
    conn.close()


main()
