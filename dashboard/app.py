"""pressmap dashboard: a thin Streamlit view over the ``pressmap`` package.

Run with ``pressmap dashboard`` (or ``make run``); the database comes from ``$PRESSMAP_DB``.
Every filter, the map options, the selected country and the open tab are bound to the URL
(``bind="query-params"``), so a view can be bookmarked and shared.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import uploads  # noqa: E402
from pressmap import export, queries  # noqa: E402
from pressmap.classify import NOT_MENTIONED, classify  # noqa: E402
from pressmap.geodata import country_names, load_countries  # noqa: E402
from pressmap.mapview import base_map, country_layer, install_leaflet, pct  # noqa: E402
from pressmap.model import KINDS  # noqa: E402
from pressmap.render import article_colours, highlight, highlight_multi, inert, safe_url  # noqa: E402
from pressmap.store import Store, connect, default_db_path  # noqa: E402
from pressmap.wording import counted  # noqa: E402

STATIC = Path(__file__).resolve().parent / "static" / "leaflet"
SHADE_BY = {
    "articles": "Articles mentioning the country",
    "mentions": "Total mentions",
    "share": "Share of articles (%)",
}
CLASSES = {"quantiles": "Quantiles", "log": "Log scale", "equal": "Equal intervals"}
STRENGTH = {
    "any": "Any mention",
    "min": "At least N mentions",
    "main": "Only its main country",
}
TABS = ["Map", "Overview", "Add & export"]
PAGE = 10
CSS = """
<style>
.pm-snippet mark {background: #ffe066; padding: 0 2px;}
.pm-article-text {line-height: 1.6; max-height: 60vh; overflow-y: auto;}
.pm-article-text mark {padding: 0 2px; border-radius: 2px;}
.pm-chip {display: inline-block; margin: 0 8px 4px 0; padding: 0 6px; border-radius: 3px;}
</style>
"""


def ensure_leaflet() -> None:
    """Serve Leaflet from this machine: copy xstatic-leaflet's files under ``static/``."""
    install_leaflet(STATIC)


@st.cache_resource
def countries() -> dict:
    return load_countries()


def db_signature(db: str) -> tuple:
    """Changes whenever the database does (the WAL file too): the cache key for queries."""
    sig = []
    for suffix in ("", "-wal"):
        try:
            s = os.stat(db + suffix)
            sig.append((s.st_mtime_ns, s.st_size))
        except OSError:
            sig.append(None)
    return tuple(sig)


@st.cache_data(max_entries=512, show_spinner=False)
def q(name: str, db: str, sig: tuple, *args, **kwargs):
    """``queries.<name>(conn, *args, **kwargs)`` on a read-only connection, cached per DB state."""
    conn = connect(db, readonly=True)
    try:
        return getattr(queries, name)(conn, *args, **kwargs)
    finally:
        conn.close()


class DB:
    """The database path and its current signature; ``db.x(...)`` runs ``queries.x`` cached."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sig = db_signature(path)

    def __getattr__(self, name: str):
        return lambda *a, **k: q(name, self.path, self.sig, *a, **k)


# ---------------------------------------------------------------------------- sidebar


def map_click(out) -> tuple:
    """``(iso3, lat, lng)`` of the map's last click on a country (lat/lng tell clicks apart)."""
    out = out if isinstance(out, dict) else {}
    clicked = (out.get("last_active_drawing") or {}).get("properties") or {}
    where = out.get("last_object_clicked") or {}
    return clicked.get("iso3"), where.get("lat"), where.get("lng")


def country_picker(names: dict[str, str]) -> str | None:
    """The selected country: a sidebar picker, kept in the URL as ``?country=AZE`` (by hand: a
    bound selectbox would put the label there). A map click arrives as ``pending_country``."""
    click = map_click(st.session_state.get("map"))
    if click[0] and click != st.session_state.get("last_click"):
        # the map's last click, read before anything is drawn: one script run, not two
        st.session_state["last_click"] = click
        if click[0] in names:
            st.session_state["country"] = click[0]
    elif "pending_country" in st.session_state:
        st.session_state["country"] = st.session_state.pop("pending_country")
    elif "country" not in st.session_state:  # a new session: take the country from the URL
        wanted = st.query_params.get("country", "").upper()
        st.session_state["country"] = wanted if wanted in names else None
    options = sorted(names, key=lambda k: names[k])
    current = st.sidebar.selectbox("Country", options, key="country",
                                   format_func=lambda k: f"{names.get(k, k)} ({k})",
                                   placeholder="Click a country on the map, or pick one here")
    if current:
        st.query_params["country"] = current
    else:
        st.query_params.pop("country", None)
    return current


def sidebar(db: DB) -> tuple[queries.Filters, str, str, bool]:
    sb = st.sidebar
    sb.header("Filters")
    lo, hi = db.date_span()
    date_from = date_to = None
    if lo and hi:
        first, last = date.fromisoformat(lo), date.fromisoformat(hi)
        picked = sb.date_input("Published between", value=(first, last), min_value=first,
                               max_value=last, key="dates", bind="query-params")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        if len(picked) == 2 and picked != (first, last):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
        elif len(picked) == 1 and picked[0]:  # one day (the URL keeps a one-day range so)
            date_from = date_to = picked[0].isoformat()
    srcs = db.sources()
    chosen = sb.multiselect("Sources", srcs, key="source", bind="query-params") if srcs else []
    langs = db.languages()
    chosen_langs = (sb.multiselect("Languages", langs, key="lang", bind="query-params")
                    if langs else [])
    search = sb.text_input("Search titles and text", key="q", bind="query-params")
    kinds = sb.multiselect("Mention kinds that count", list(KINDS), default=list(KINDS),
                           key="kinds", bind="query-params")
    strength = sb.radio("An article counts for a country with", list(STRENGTH),
                        format_func=STRENGTH.get, key="strength", bind="query-params",
                        help="Main country: the most-mentioned in the article; among tied "
                             "countries, those named in the title; any still tied all count.")
    min_n = 1
    if strength == "min":
        min_n = int(sb.number_input("N", 2, 1000, 2, key="n", bind="query-params"))
    sb.header("Map")
    shade = sb.radio("Shade by", list(SHADE_BY), format_func=SHADE_BY.get, key="shade",
                     bind="query-params")
    method = sb.selectbox("Classes", list(CLASSES), format_func=CLASSES.get, key="classes",
                          bind="query-params")
    lines = sb.checkbox("Co-mention lines (top 15 pairs)", key="lines", bind="query-params")
    f = queries.Filters(kinds=tuple(k for k in KINDS if k in kinds), date_from=date_from,
                        date_to=date_to, sources=tuple(chosen), languages=tuple(chosen_langs),
                        search=search.strip() or None, min_mentions=min_n,
                        main_only=strength == "main")
    return f, shade, method, lines


def legend(classes, label: str) -> None:
    items = "".join(
        f'<span class="pm-legend-item" style="display:inline-block;margin-right:12px">'
        f'<span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'border:1px solid #888;vertical-align:middle"></span> {inert(text)}</span>'
        for c, text in (classes.legend() or [(NOT_MENTIONED, "not mentioned")])
    )
    st.markdown(f"<div class='pm-legend'><b>{inert(label)}</b>: {items}</div>",
                unsafe_allow_html=True)


# ---------------------------------------------------------------------------- country panel


def evidence(kinds: list[tuple[str, str]]) -> str:
    return ", ".join(f"{inert(k)}: {inert(s)}" for k, s in dict.fromkeys(kinds))


@st.dialog("Article", width="large")
def show_article(db: DB, rid: int, kinds: tuple[str, ...], names: dict[str, str]) -> None:
    art = db.article_text(rid, kinds)
    if art is None:
        st.warning("This article is no longer in the database.")
        return
    meta = " · ".join(inert(x) for x in (art.published and art.published[:10], art.source,
                                          art.language) if x)
    st.markdown(f"<div class='pm-article'><h4>{inert(art.title or art.id)}</h4>"
                f"<small>{meta}</small></div>", unsafe_allow_html=True)
    url = safe_url(art.url)
    if url:
        st.link_button("Open original", url)
    found: dict[str, int] = {}
    for m in art.mentions:
        found[m["iso3"]] = found.get(m["iso3"], 0) + 1
    ranked = sorted(found, key=lambda k: (-found[k], k))
    colours = article_colours(ranked)
    chips = "".join(
        f"<span class='pm-chip' style='background:{colours[k]}'>"
        f"{inert(names.get(k, k))} {found[k]}</span>" for k in ranked
    )
    st.markdown(f"<div class='pm-chips'>{chips}</div>", unsafe_allow_html=True)
    spans = [(m["start"], m["end"], m["iso3"]) for m in art.mentions]
    body = highlight_multi(art.text, spans, colours=colours)
    st.markdown(f"<div class='pm-article-text'>{body}</div>", unsafe_allow_html=True)


def country_panel(db: DB, iso3: str, name: str, f: queries.Filters, counts: dict,
                  values: dict[str, float], n_articles: int, names: dict[str, str]) -> None:
    st.subheader(f"{name} ({iso3})")
    total = counts.get(iso3, {})
    n = total.get("articles", 0)
    if iso3 in values:  # competition ranking: countries with equal values share a rank
        ahead = sum(1 for v in values.values() if v > values[iso3])
        tied = sum(1 for v in values.values() if v == values[iso3]) > 1
        rank = f"rank **{ahead + 1}**{' (tied)' if tied else ''} of {len(values)}"
    else:
        rank = "not ranked"
    m = total.get("mentions", 0)
    st.markdown(f"<div class='pm-figures'>\n\n**{n:,}** article{'s' if n != 1 else ''} · "
                f"**{m:,}** mention{'s' if m != 1 else ''} · "
                f"**{pct(100 * n / max(n_articles, 1))}** of matching articles · "
                f"{rank}\n\n</div>", unsafe_allow_html=True)
    if not n:
        st.info("No article in the current filters mentions this country.")
        return
    lo, hi = db.date_span()
    period = queries.period_for(lo, hi)
    series = queries.fill_periods(db.time_series(iso3, f, period), lo, hi, period)
    if series:
        st.caption(f"Mentions of {inert(name)} per {period} (bars) and articles mentioning it"
                   " (line)")
        base = alt.Chart(alt.Data(values=series)).encode(
            x=alt.X("period:O", title=None),
            tooltip=["period:O", "mentions:Q", "articles:Q"])
        chart = (base.mark_bar(color="#fd8d3c").encode(y=alt.Y("mentions:Q", title="count"))
                 + base.mark_line(color="#1d3557", point=True).encode(y="articles:Q")
                 ).properties(height=170)
        st.altair_chart(chart, width="stretch")
    with_it = db.co_mentions(f, iso3, limit=10)
    if with_it:
        st.caption("Most often mentioned with it")
        st.dataframe([{"country": names.get(r["iso3"], r["iso3"]), "articles": r["articles"]}
                      for r in with_it], hide_index=True, width="stretch", height=200)
    pages = max(1, -(-n // PAGE))
    page = (st.number_input(f"Page (of {pages}, {n} articles, newest first)", 1, pages, 1,
                            key=f"page_{iso3}") if pages > 1 else 1)
    for group in db.snippets(iso3, f, limit=PAGE, offset=(page - 1) * PAGE):
        box = st.container(border=True)
        meta = " · ".join(inert(x) for x in (group.published and group.published[:10],
                                              group.source) if x)
        box.markdown(f"<div class='pm-article'><b>{inert(group.title or group.id)}</b><br>"
                     f"<small>{meta}</small></div>", unsafe_allow_html=True)
        for snip in group.snippets:
            box.markdown(f"<div class='pm-snippet'>{highlight(snip.sentence, snip.highlights)}"
                         f"<br><small class='pm-evidence'>{evidence(snip.kinds)}</small></div>",
                         unsafe_allow_html=True)
        b1, b2 = box.columns(2)
        if b1.button("Read article", key=f"read_{group.rid}"):
            show_article(db, group.rid, f.kinds, names)
        url = safe_url(group.url)
        if url:
            b2.link_button("Open original", url)


# ---------------------------------------------------------------------------- tabs


def map_tab(db: DB, f, shade, method, lines, fc, names, counts, n_articles) -> None:
    shares = {k: 100 * v["articles"] / max(n_articles, 1) for k, v in counts.items()}
    values = {k: (shares[k] if shade == "share" else v[shade]) for k, v in counts.items()}
    classes = classify(values, method=method)
    left, right = st.columns([3, 2])
    selected = st.session_state.get("country")
    with left:
        pairs = db.co_mentions(f, limit=15) if lines else None
        layer = country_layer(fc, classes, counts, selected=selected, shares=shares, pairs=pairs)
        out = st_folium(base_map(), feature_group_to_add=layer, height=520,
                        use_container_width=True,
                        returned_objects=["last_active_drawing", "last_object_clicked"], key="map")
        click = map_click(out)
        if click[0] and click != st.session_state.get("last_click"):  # not seen at the top
            st.session_state["last_click"] = click
            if click[0] in names and click[0] != selected:
                st.session_state["pending_country"] = click[0]  # the picker is already drawn
                st.rerun()
        legend(classes, SHADE_BY[shade])
    with right:
        current = selected
        if current:
            country_panel(db, current, names.get(current, current), f, counts, values,
                          n_articles, names)
        else:
            st.info("Click a country on the map, or pick one in the sidebar, to see the sentences"
                    " that mention it.")


def overview_tab(db: DB, f, shade, counts, n_articles, names, stats) -> None:
    lo, hi = db.date_span()
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Articles", f"{n_articles:,}", help=f"matching the filters, of {stats['articles']:,}")
    c2.metric("Sources", stats["sources"])
    c3.metric("Countries mentioned", len(counts))
    c4.metric("First published", lo or "–")
    c5.metric("Last published", hi or "–")
    left, right = st.columns(2)
    with left:
        st.subheader("Top countries")
        key = "articles" if shade == "share" else shade
        top = [{"country": names.get(r["iso3"], r["iso3"]), key: r[key]}
               for r in sorted(counts.values(), key=lambda r: -r[key])[:25]]
        if top:
            chart = alt.Chart(alt.Data(values=top)).mark_bar(color="#f03b20").encode(
                x=alt.X(f"{key}:Q"),
                y=alt.Y("country:N", sort="-x", title=None,
                        axis=alt.Axis(labelLimit=220, labelOverlap=False)),
                tooltip=["country:N", f"{key}:Q"],
            ).properties(height=max(120, 20 * len(top)))
            st.altair_chart(chart, width="stretch")
    with right:
        st.subheader("Countries mentioned together")
        pairs = db.co_mentions(f, limit=50)
        st.dataframe([{"country": names.get(p["a"], p["a"]), "with": names.get(p["b"], p["b"]),
                       "articles": p["articles"]} for p in pairs],
                     hide_index=True, width="stretch", height=420)
    st.subheader("Articles")
    rows = db.articles_table(f, limit=5000)
    st.caption(f"{len(rows):,} articles mentioning a country"
               + (" (the newest 5,000)" if len(rows) >= 5000 else "")
               + " · sort by clicking a column, search with the table's magnifier,"
               " select a row to read the article")
    event = st.dataframe(
        [{"published": (r["published"] or "")[:10], "title": r["title"] or r["id"],
          "source": r["source"], "language": r["language"], "countries": r["countries"],
          "mentions": r["mentions"], "url": safe_url(r["url"])} for r in rows],
        hide_index=True, width="stretch",
        column_config={"url": st.column_config.LinkColumn("original")},
        on_select="rerun", selection_mode="single-row", key="articles_table",
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if picked and picked[0] < len(rows):  # positions in the data as given, whatever the sort
        rid = rows[picked[0]]["rid"]
        if st.session_state.get("opened_row") != rid:  # open once per new selection
            st.session_state["opened_row"] = rid
            show_article(db, rid, f.kinds, names)
    else:
        st.session_state.pop("opened_row", None)


def add_export_tab(db: DB, f, shade, method, fc, names, counts, n_articles) -> None:
    st.subheader("Export the current view")
    shares = {k: 100 * v["articles"] / max(n_articles, 1) for k, v in counts.items()}
    values = {k: (shares[k] if shade == "share" else v[shade]) for k, v in counts.items()}
    rows = list(counts.values())
    c1, c2, c3 = st.columns(3)
    c1.download_button("Country counts (CSV)", export.counts_csv(rows, names, n_articles),
                       file_name="pressmap-countries.csv", mime="text/csv", key="dl_counts", on_click="ignore")
    c2.download_button(
        "Shaded countries (GeoJSON)",
        lambda: export.shaded_geojson(fc, classify(values, method=method), counts, values,
                                      value_name=shade),
        file_name="pressmap-countries.geojson", mime="application/geo+json", key="dl_geojson", on_click="ignore")
    selected = st.session_state.get("country")
    c3.download_button(
        f"Mentions with snippets (CSV{', ' + names.get(selected, selected) if selected else ''})",
        lambda: export.mentions_csv(db.mention_rows(f, selected), names),
        file_name=f"pressmap-mentions{'-' + selected if selected else ''}.csv", mime="text/csv",
        key="dl_mentions", on_click="ignore")

    st.subheader("Add articles")
    n = st.session_state.setdefault("upload_round", 0)
    with st.form(f"add_{n}"):
        files = st.file_uploader(
            f"Files (txt, html, jsonl, json, csv, zip, feeds; up to {uploads.MAX_FILES} files of "
            f"{uploads.MAX_FILE_MB} MB)", type=list(uploads.ACCEPTED), accept_multiple_files=True,
            key=f"files_{n}")
        urls = st.text_area("Article or feed URLs, one per line", key=f"urls_{n}")
        go = st.form_submit_button("Add to the database", type="primary")
    if go:
        results = add_articles(db, files or [], urls)
        st.session_state["ingest_results"] = results
        st.session_state["upload_round"] = n + 1
        st.cache_data.clear()
        st.rerun()
    results = st.session_state.get("ingest_results")
    if results:
        added = sum(r["new"] + r["updated"] for r in results)
        st.success(f"{counted(added, 'article')} added or updated; the map shows"
                   " them.")
        lines = "".join(
            f"<li><code>{inert(r['input'])}</code>: <b>{inert(r['result'])}</b>"
            f" ({r['new']} new, {r['updated']} updated, {r['unchanged']} unchanged,"
            f" {r['failed']} failed){' – ' + inert(r['reason']) if r['reason'] else ''}</li>"
            for r in results)
        st.markdown(f"<ul class='pm-ingest'>{lines}</ul>", unsafe_allow_html=True)


def add_articles(db: DB, files, urls: str) -> list[dict]:
    """Stage uploads and URLs, ingest each with a progress bar; one result row per input."""
    from pressmap.ingest import ingest

    staged, total = [], 0
    for i, f in enumerate(files):
        total += f.size
        if i >= uploads.MAX_FILES:
            staged.append(uploads.Staged(uploads.safe_filename(f.name), None,
                                         f"over the {uploads.MAX_FILES}-file limit"))
        elif total > uploads.MAX_TOTAL_MB * 1024 * 1024:
            staged.append(uploads.Staged(uploads.safe_filename(f.name), None,
                                         f"over the {uploads.MAX_TOTAL_MB} MB limit per upload"))
        else:
            staged.append(uploads.stage_upload(f.name, f.getvalue()))
    staged += uploads.parse_urls(urls)
    results = []
    bar = st.progress(0.0, text="Reading…")
    with Store(db.path) as store:
        for i, item in enumerate(staged):
            bar.progress(i / max(len(staged), 1), text=f"Reading {inert(item.name)}")
            row = {"input": item.name, "result": "failed", "new": 0, "updated": 0,
                   "unchanged": 0, "failed": 0, "reason": item.reason}
            if item.source:
                try:
                    # jobs=1: never fork worker processes inside the threaded web server
                    s = ingest([item.source], store, jobs=1)
                except Exception as e:  # noqa: BLE001 - one input must not stop the rest
                    row["reason"] = f"{type(e).__name__}: {e}"
                else:
                    row.update(new=s.new, updated=s.updated, unchanged=s.unchanged,
                               failed=len(s.failed),
                               reason="; ".join(e.reason for e in s.failed[:3]))
                    row["result"] = ("added" if s.new + s.updated else
                                     "unchanged" if s.unchanged else "failed")
                    if s.failed and s.new + s.updated + s.unchanged:
                        row["result"] += f" ({len(s.failed)} failed)"
                    if row["result"] == "failed" and not row["reason"]:
                        row["reason"] = "no article found"
            else:
                row["failed"] = 1
            if item.source and not uploads.looks_remote(item.source):
                uploads.discard(item.source)
            results.append(row)
    bar.progress(1.0, text=f"Done: {len(staged)} inputs")
    return results


# ---------------------------------------------------------------------------- main


def main() -> None:
    st.set_page_config(page_title="pressmap", layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    ensure_leaflet()
    path = default_db_path()
    if not Path(path).exists():
        st.error(f"No database at {path}. Run `pressmap ingest articles/ --db {path}` first.")
        return
    db = DB(path)
    fc = countries()
    names = country_names(fc)
    country_picker(names)
    f, shade, method, lines = sidebar(db)
    counts = {r["iso3"]: r for r in db.country_counts(f)}
    n_articles = db.matching_articles(f)
    stats = db.stats()
    st.title("pressmap: who is in the news")
    match = "matches" if n_articles == 1 else "match"
    st.caption(f"{counted(stats['articles'], 'article')} · {counted(stats['sources'], 'source')} · "
               f"{counted(stats['countries'], 'country', 'countries')} · "
               f"{counted(n_articles, 'article')} {match} the filters · "
               f"{counted(len(counts), 'country', 'countries')} in view")
    tab_map, tab_overview, tab_add = st.tabs(TABS, key="tab", on_change="rerun",
                                             bind="query-params")
    if tab_map.open:  # a map drawn in a hidden tab has no size, so Leaflet mis-draws it
        with tab_map:
            map_tab(db, f, shade, method, lines, fc, names, counts, n_articles)
    if tab_overview.open:
        with tab_overview:
            overview_tab(db, f, shade, counts, n_articles, names, stats)
    if tab_add.open:
        with tab_add:
            add_export_tab(db, f, shade, method, fc, names, counts, n_articles)


main()
