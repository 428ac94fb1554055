"""Export the view and add articles from the app, in real chromium.

Runs after the other browser tests (file order): adding articles changes the shared database.
"""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from pressmap.classify import NOT_MENTIONED
from tests.browser.conftest import external_hosts, fills

pytestmark = pytest.mark.browser

MALTA = b"Ministers met in Valletta on Monday. Malta hosted the talks with Tunisian envoys.\n"


def _download(pg, label: str) -> str:
    with pg.expect_download(timeout=60_000) as d:
        pg.get_by_role("button", name=label).click()
    return open(d.value.path(), encoding="utf-8").read()


def test_export_current_view(open_app) -> None:
    pg = open_app("?tab=Add+%26+export&country=AZE", wait_map=False, downloads=True)
    pg.get_by_role("heading", name="Export the current view").wait_for(timeout=60_000)
    rows = list(csv.DictReader(io.StringIO(_download(pg, "Country counts (CSV)"))))
    by = {r["iso3"]: r for r in rows}
    assert by["AZE"]["country"] == "Azerbaijan" and by["AZE"]["articles"] == "2"
    assert float(by["AZE"]["share_of_articles"]) == 1.0  # both articles mention it
    gj = json.loads(_download(pg, "Shaded countries (GeoJSON)"))
    props = {f["properties"]["iso3"]: f["properties"] for f in gj["features"]}
    assert set(props) == set(by)
    assert props["AZE"]["fill"] != NOT_MENTIONED and props["AZE"]["articles"] == 2
    mentions = list(csv.DictReader(io.StringIO(_download(pg, "Mentions with snippets (CSV, Azerbaijan)"))))
    assert mentions and {m["iso3"] for m in mentions} == {"AZE"}
    baku = [m for m in mentions if m["surface"] == "Baku"]
    assert baku and all("Baku" in m["snippet"] and m["kind"] == "capital" for m in baku)
    assert external_hosts(pg) == set()


def test_upload_adds_articles_and_reports_each_file(open_app) -> None:
    pg = open_app("?tab=Add+%26+export", wait_map=False)
    pg.get_by_role("heading", name="Add articles").wait_for(timeout=60_000)
    pg.locator("input[type=file]").set_input_files([
        {"name": "malta note.txt", "mimeType": "text/plain", "buffer": MALTA},
        {"name": "broken.jsonl", "mimeType": "application/json", "buffer": b"{not json\n"},
    ])
    pg.get_by_text("malta note.txt").wait_for(timeout=30_000)
    pg.get_by_role("button", name="Add to the database").click()
    report = pg.locator(".pm-ingest")
    report.wait_for(timeout=60_000)
    text = report.inner_text()
    assert "malta_note.txt: added (1 new" in text, text
    assert "broken.jsonl: failed" in text and "–" in text, text  # with a reason
    assert "1 article added or updated" in pg.inner_text("body")

    pg.get_by_role("tab", name="Map").click()  # the map shows the new article
    pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
        "path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    deadline = time.time() + 30
    while time.time() < deadline and fills(pg, "MLT").get("MLT") in (None, NOT_MENTIONED):
        time.sleep(0.3)
    assert fills(pg, "MLT")["MLT"] != NOT_MENTIONED

    # the same file again is recognised
    pg.get_by_role("tab", name="Add & export").click()
    pg.get_by_role("heading", name="Add articles").wait_for(timeout=60_000)
    pg.locator("input[type=file]").set_input_files(
        [{"name": "malta note.txt", "mimeType": "text/plain", "buffer": MALTA}])
    pg.get_by_text("malta note.txt").wait_for(timeout=30_000)
    pg.get_by_role("button", name="Add to the database").click()
    pg.get_by_text("malta_note.txt: unchanged").wait_for(timeout=60_000)
    assert external_hosts(pg) == set()
