"""A real Streamlit server on a real database, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

# An article whose every field attacks the page. Detection still finds Bahrain and Azerbaijan.
HOSTILE = {
    "id": "hostile-1",
    "title": "<script>window.__pwned='title'</script><img src=x onerror=\"window.__pwned='img'\">",
    "source": "<b onmouseover=alert(1)>Evil Source</b>",
    "url": "javascript:window.__pwned='url'",
    "published": "2025-08-03",
    "text": (
        "Officials in Bahrain said <script>window.__pwned='text'</script> talks went on. "
        "Envoys from Azerbaijan <img src=x onerror=\"window.__pwned='onerror'\"> met in Manama "
        "[click](javascript:alert(1)) and **bold** $x$ :red[red] for hours."
    ),
}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} is missing: apt-get install chromium (Debian) to run browser tests"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return CHROMIUM


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    (d / "example.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = d / "pressmap.db"
    subprocess.run([sys.executable, "-m", "pressmap.cli", "ingest", str(d), "--db", str(db), "--quiet"],
                   check=True, cwd=ROOT)
    return db


@pytest.fixture(scope="session")
def server(corpus_db: Path):
    from pressmap.cli import start_dashboard

    log_path = corpus_db.parent / "streamlit.log"
    with open(log_path, "w") as log:
        try:
            proc, url = start_dashboard(corpus_db, log=log, cwd=ROOT)
        except RuntimeError as e:
            pytest.fail(f"{e}: {log_path.read_text()}")
        yield url
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture()
def open_app(browser, server):
    """``open_app("?country=AZE", wait_map=True)``: a fresh page on the app, requests recorded in
    ``page.requests``, dialogs in ``page.dialogs``; closed after the test."""
    contexts = []

    def _open(query: str = "", *, wait_map: bool = True, downloads: bool = False):
        ctx = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=downloads)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.requests = []
        pg.dialogs = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        pg.goto(server + "/" + query)
        if wait_map:
            pg.wait_for_selector(MAP_FRAME, timeout=60_000)
            pg.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
                state="attached", timeout=60_000)
            pg.wait_for_timeout(500)
        return pg

    yield _open
    for ctx in contexts:
        ctx.close()


def map_frame(pg):
    """The Leaflet map's frame (``window.map`` lives there)."""
    return pg.locator(MAP_FRAME).element_handle().content_frame()


def fills(pg, *codes: str) -> dict:
    """Current fill colour of each country's polygon on the Leaflet map."""
    return map_frame(pg).evaluate(
        """codes => { const out = {};
            window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
                if (p && codes.includes(p.iso3) && !(l instanceof L.CircleMarker))
                    out[p.iso3] = l.options.fillColor; });
            return out; }""",
        list(codes),
    )


def external_hosts(pg) -> set:
    from urllib.parse import urlsplit

    return {urlsplit(u).hostname for u in pg.requests if u.startswith("http")} - {"127.0.0.1", "localhost"}


def settled(pg, timeout: int = 60_000) -> None:
    """Wait until the script run has finished and no element is left stale from the last one."""
    pg.wait_for_timeout(200)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0",
        timeout=timeout)
