"""The analyst's dashboard in real chromium: filters keep the map's view, the URL holds the
state, a country's panel, the full article with every country coloured, the overview tab."""

from __future__ import annotations

import time

import pytest

from pressmap.classify import NOT_MENTIONED
from tests.browser.conftest import external_hosts, fills, map_frame, settled

pytestmark = pytest.mark.browser


def wait_until(check, timeout: float = 30.0, what: str = "condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}: last {last!r}")


def test_filter_recolours_without_losing_pan_and_zoom(open_app) -> None:
    pg = open_app()
    frame = map_frame(pg)
    assert fills(pg, "ISR")["ISR"] != NOT_MENTIONED  # the example article mentions Israel
    frame.evaluate("window.map.setView([35, 48], 4, {animate: false})")
    pg.wait_for_timeout(300)
    view = frame.evaluate("[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    assert view[0] == 4

    pg.get_by_text("Only its main country").click()  # Azerbaijan is that article's main country
    wait_until(lambda: fills(pg, "ISR").get("ISR") == NOT_MENTIONED, what="Israel unshaded")
    assert fills(pg, "AZE")["AZE"] != NOT_MENTIONED
    frame = map_frame(pg)
    after = frame.evaluate("[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    assert after[0] == view[0] and abs(after[1] - view[1]) < 1e-6 and abs(after[2] - view[2]) < 1e-6
    assert "strength=" in pg.url  # the filter is in the URL

    pg.get_by_text("Total mentions").click()  # and so is the shading
    wait_until(lambda: "shade=" in pg.url, what="shade in the URL")
    after = map_frame(pg).evaluate("window.map.getZoom()")
    assert after == view[0]
    assert external_hosts(pg) == set()


def test_url_restores_filters_country_and_lines(open_app) -> None:
    pg = open_app("?country=AZE&strength=Only+its+main+country&lines=true")
    pg.get_by_role("heading", name="Azerbaijan (AZE)").wait_for(timeout=30_000)
    settled(pg)
    assert pg.get_by_role("radio", name="Only its main country").is_checked()
    # main-country only: Azerbaijan leads the example article but not the hostile one (Bahrain)
    figures = pg.locator(".pm-figures").inner_text()
    assert figures.startswith("1 article ·"), figures
    evidence = " ".join(pg.locator(".pm-evidence").all_inner_texts())
    assert "capital: Baku" in evidence and "name: Azerbaijan" in evidence
    pg.locator("[data-testid=stVegaLiteChart]").first.wait_for(timeout=30_000)  # mentions over time
    lines = map_frame(pg).evaluate(
        "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.Polyline &&"
        " !(l instanceof L.Polygon)) n++; }); return n; }")
    assert lines > 0
    # any mention again: both articles count
    pg.get_by_text("Any mention").click()
    wait_until(lambda: pg.locator(".pm-figures").inner_text().startswith("2 articles"),
               what="two articles")
    assert "country=AZE" in pg.url
    assert external_hosts(pg) == set()


def _read(pg, title_part: str):
    box = (pg.locator("[data-testid=stVerticalBlock]").filter(has_text=title_part)
           .filter(has=pg.get_by_role("button", name="Read article")).last)
    box.get_by_role("button", name="Read article").first.click()
    dialog = pg.get_by_role("dialog")
    dialog.locator(".pm-article-text").wait_for(timeout=30_000)
    return dialog


def test_article_shows_every_country_in_its_own_colour(open_app) -> None:
    pg = open_app("?country=AZE")
    pg.get_by_role("heading", name="Azerbaijan (AZE)").wait_for(timeout=30_000)
    settled(pg)
    dialog = _read(pg, "Trump pushes to expand Abraham Accords")
    marks = dialog.locator(".pm-article-text mark").evaluate_all(
        "ms => ms.map(m => [m.dataset.iso3, m.style.backgroundColor, m.textContent])")
    colour = {}
    for iso3, bg, _ in marks:
        assert colour.setdefault(iso3, bg) == bg  # one colour per country
    assert {"AZE", "ISR", "USA", "ARM", "SAU"} <= set(colour)
    assert len({colour[k] for k in ("AZE", "ISR", "USA", "ARM", "SAU")}) == 5
    assert ("AZE", colour["AZE"], "Baku") in [tuple(m) for m in marks]
    assert "Azerbaijan" in dialog.locator(".pm-chips").inner_text()


def test_hostile_article_text_stays_inert_in_the_reader(open_app) -> None:
    pg = open_app("?country=BHR")
    pg.get_by_role("heading", name="Bahrain (BHR)").wait_for(timeout=30_000)
    settled(pg)
    dialog = _read(pg, "window.__pwned='title'")
    text = dialog.inner_text()
    assert "<script>window.__pwned='text'</script>" in text
    assert "[click](javascript:alert(1))" in text
    assert dialog.locator("img, script, a[href^='javascript:']").count() == 0
    assert dialog.locator(".pm-article-text mark[data-iso3=BHR]").count() >= 2  # Bahrain, Manama
    assert all(f.evaluate("typeof window.__pwned") == "undefined" for f in [pg.main_frame, *pg.frames])
    assert pg.dialogs == []


def test_overview_tab_then_map(open_app) -> None:
    pg = open_app("?tab=Overview", wait_map=False)
    pg.get_by_role("heading", name="Top countries").wait_for(timeout=60_000)
    pg.get_by_role("heading", name="Countries mentioned together").wait_for()
    pg.locator("[data-testid=stVegaLiteChart]").first.wait_for(timeout=30_000)
    pg.locator("[data-testid=stDataFrame]").nth(1).wait_for(timeout=30_000)  # pairs and articles
    body = pg.inner_text("body")
    assert "First published" in body and "2025-08-02" in body
    pg.get_by_role("tab", name="Map").click()
    frame = pg.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=30_000)

    def drawn_width():  # the map was mounted visible: Azerbaijan is drawn at a real size
        try:
            return map_frame(pg).evaluate(
                "() => { let w = 0; window.map.eachLayer(l => { const p = l.feature && l.feature.properties;"
                " if (p && p.iso3 === 'AZE' && l._path) w = l._path.getBoundingClientRect().width; });"
                " return w; }")
        except Exception:  # noqa: BLE001 - the frame may still be loading
            return 0

    assert wait_until(lambda: drawn_width() > 3, what="Azerbaijan drawn")
    assert fills(pg, "AZE")["AZE"] != NOT_MENTIONED
    assert external_hosts(pg) == set()


def test_date_range_and_search_from_the_url(open_app) -> None:
    # the example article is from 2025-08-02, the hostile one from 2025-08-03
    pg = open_app("?dates=2025-08-03&dates=2025-08-03")
    settled(pg)
    assert fills(pg, "ISR")["ISR"] == NOT_MENTIONED and fills(pg, "BHR")["BHR"] != NOT_MENTIONED
    assert "1 article matches the filters" in pg.inner_text("body")
    pg = open_app("?dates=2025-08-02")  # one day
    settled(pg)
    assert fills(pg, "ISR")["ISR"] != NOT_MENTIONED
    assert "1 article matches the filters" in pg.inner_text("body")
    pg = open_app("?q=abraham+accords&country=BHR")  # any case; title or text
    settled(pg)
    assert fills(pg, "ISR")["ISR"] != NOT_MENTIONED
    assert "1 article matches the filters" in pg.inner_text("body")
    assert "Trump pushes to expand Abraham Accords" in pg.inner_text("body")
    assert "window.__pwned='title'" not in pg.inner_text("body")  # the hostile article is out


def test_selecting_a_row_of_the_articles_table_opens_it(open_app) -> None:
    pg = open_app("?tab=Overview", wait_map=False)
    pg.get_by_role("heading", name="Articles").wait_for(timeout=60_000)
    grid = pg.locator("[data-testid=stDataFrame]").nth(1)
    grid.wait_for(timeout=30_000)
    settled(pg)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's selection box
    dialog = pg.get_by_role("dialog")
    dialog.locator(".pm-article-text").wait_for(timeout=30_000)
    # newest first: the hostile article, shown as text
    assert "<script>window.__pwned='title'</script>" in dialog.inner_text()
    assert dialog.locator("img, script").count() == 0
    assert all(f.evaluate("typeof window.__pwned") == "undefined" for f in [pg.main_frame, *pg.frames])
