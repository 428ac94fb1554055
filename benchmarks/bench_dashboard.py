"""Dashboard speed in real chromium on a SYNTHETIC corpus of 100,000 articles.

The corpus is benchmarks/make_corpus.py's replication of ../shared/bench/reuters21578.jsonl
(18,398 Reuters-21578 stories) to ``--articles`` articles with distinct ids, synthetic dates and
synthetic source names, ingested with ``pressmap ingest``. It measures, in Debian's chromium
through Playwright:

- time to first map: page load until the shaded polygons are in the Leaflet map;
- click to snippets: a click on a country until its snippet panel shows;
- the "only its main country" filter until the country panel shows the new figures;
- the Overview tab (charts, pairs, the articles table) under that filter.

Figures are printed, never asserted. Skips with a message when ../shared is absent.

    .venv/bin/python benchmarks/bench_dashboard.py [--articles 100000] [--db /tmp/x.db]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "bench" / "reuters21578.jsonl"
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def build_db(db: Path, articles: int) -> None:
    """``pressmap ingest`` of benchmarks/make_corpus.py's synthetic replicated corpus."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus

    jsonl = make_corpus.make(articles)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pressmap.cli", "ingest", str(jsonl), "--db", str(db),
                    "--quiet"], check=True, cwd=ROOT)
    print(f"ingested {articles:,} synthetic articles ({jsonl.name}) in "
          f"{time.perf_counter() - t:.0f} s")


def peak_rss_mb(pid: int) -> float:
    """High-water mark of a process's resident memory (``VmHWM``), in MB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(db: Path, runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    from pressmap.cli import start_dashboard

    log = open(db.parent / "bench-streamlit.log", "w")
    proc, url = start_dashboard(db, log=log, cwd=ROOT, timeout=600)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            for run in range(runs):
                ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
                pg = ctx.new_page()
                t0 = time.perf_counter()
                pg.goto(url)
                pg.wait_for_selector(MAP_FRAME, timeout=300_000)
                frame = pg.frame_locator(MAP_FRAME)
                frame.locator("path.leaflet-interactive").first.wait_for(state="attached",
                                                                          timeout=300_000)
                first_map = time.perf_counter() - t0
                handle = pg.locator(MAP_FRAME).element_handle()
                inner = handle.content_frame()
                xy = inner.evaluate("""() => {
                    let hit = null;
                    window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
                        if (p && p.iso3 === 'USA') hit = p; });
                    const pt = window.map.latLngToContainerPoint([hit.label_lat, hit.label_lon]);
                    return [pt.x, pt.y]; }""")
                box = handle.bounding_box()
                t1 = time.perf_counter()
                pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
                pg.locator(".pm-snippet mark").first.wait_for(timeout=300_000)
                click = time.perf_counter() - t1
                before = pg.locator(".pm-figures").inner_text()
                t2 = time.perf_counter()
                pg.get_by_text("Only its main country").click()
                pg.wait_for_function(
                    "b => { const e = document.querySelector('.pm-figures');"
                    " return e && e.innerText !== b; }", arg=before, timeout=300_000)
                refilter = time.perf_counter() - t2
                t3 = time.perf_counter()
                pg.get_by_role("tab", name="Overview").click()
                pg.locator("[data-testid=stDataFrame]").nth(1).wait_for(timeout=300_000)
                overview = time.perf_counter() - t3
                label = "cold" if run == 0 else "warm"
                print(f"run {run + 1} ({label} cache): first map {first_map:.2f} s, "
                      f"click to snippets {click:.2f} s, main-country filter to updated panel "
                      f"{refilter:.2f} s, overview tab (main-country filter) {overview:.2f} s")
                ctx.close()
            browser.close()
        print(f"dashboard (streamlit) process peak memory: {peak_rss_mb(proc.pid):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None, help="reuse or build this database")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not SOURCE.exists():
        print(f"skipped: {SOURCE} is absent (evaluation data lives in ../shared)")
        return
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is missing (apt-get install chromium)")
        return
    db = args.db or Path(tempfile.mkdtemp(prefix="pressmap-bench-")) / f"synthetic-{args.articles}.db"
    if not db.exists():
        build_db(db, args.articles)
    n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(f"database {db}: {n:,} articles (synthetic)")
    measure(db, args.runs)


if __name__ == "__main__":
    main()
