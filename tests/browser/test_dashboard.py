"""The real app in real chromium: the map draws offline, clicks show snippets, nothing runs."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import map_frame, settled

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
    pg = ctx.new_page()
    pg.requests = []
    pg.dialogs = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(server)
    pg.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = pg.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    pg.wait_for_timeout(500)
    yield pg
    ctx.close()


def click_country(pg, iso3: str) -> None:
    """Click the country's label point (inside it; a marker sits there for small countries)."""
    handle = pg.locator(MAP_FRAME).element_handle()
    frame = handle.content_frame()
    xy = frame.evaluate(
        """iso3 => {
            let hit = null;
            window.map.eachLayer(l => {
                const p = l.feature && l.feature.properties;
                if (p && p.iso3 === iso3 && (!hit || l instanceof L.CircleMarker)) hit = p;
            });
            if (!hit) return null;
            const pt = window.map.latLngToContainerPoint([hit.label_lat, hit.label_lon]);
            return [pt.x, pt.y];
        }""",
        iso3,
    )
    assert xy, f"{iso3} is not on the map"
    box = handle.bounding_box()
    pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])


def test_offline_map_and_click_large_and_small_country(page) -> None:
    hosts = {urlsplit(u).hostname for u in page.requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in page.requests)

    click_country(page, "AZE")
    page.get_by_role("heading", name="Azerbaijan (AZE)").wait_for(timeout=30_000)
    page.locator(".pm-snippet mark", has_text="Baku").first.wait_for(timeout=30_000)
    marks = page.locator(".pm-snippet mark").all_inner_texts()
    assert "Azerbaijan" in marks and "Baku" in marks
    assert "Trump pushes to expand Abraham Accords" in page.inner_text("body")
    assert "country=AZE" in page.url  # the selection is in the URL, to bookmark or share

    click_country(page, "BHR")  # a dot at the default zoom
    page.get_by_role("heading", name="Bahrain (BHR)").wait_for(timeout=30_000)
    # the panel's earlier elements update first: wait for the snippets to be Bahrain's
    page.locator(".pm-snippet mark", has_text="Bahrain").first.wait_for(timeout=30_000)
    marks = page.locator(".pm-snippet mark").all_inner_texts()
    assert "Bahrain" in marks

    # Zoomed in one step, Israel is a few pixels wide and the dots of Palestine and Israel overlap
    # at its label point: the polygon under the pointer must win, not a neighbour's dot.
    map_frame(page).evaluate("() => window.map.setView([31.5, 35.0], 2, {animate: false})")
    page.wait_for_timeout(500)
    click_country(page, "ISR")
    page.get_by_role("heading", name="Israel (ISR)").wait_for(timeout=30_000)

    hosts = {urlsplit(u).hostname for u in page.requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_hostile_article_is_shown_as_text_and_never_runs(page) -> None:
    click_country(page, "BHR")
    page.get_by_role("heading", name="Bahrain (BHR)").wait_for(timeout=30_000)
    settled(page)
    body = page.inner_text("body")
    assert "<script>window.__pwned='title'</script>" in body  # the title, shown literally
    assert "<script>window.__pwned='text'</script>" in body
    assert "[click](javascript:alert(1))" in body and "**bold**" in body
    assert "Evil Source" in body
    frames = [page.main_frame, *page.frames]
    assert all(f.evaluate("typeof window.__pwned") == "undefined" for f in frames)
    assert page.dialogs == []
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".pm-snippet img, .pm-article img, .pm-article script").count() == 0
