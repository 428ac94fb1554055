"""Take the README's screenshots: the dashboard on the sample corpus, a country's snippets open.

    python scripts/screenshot.py [--country AZE] [--out docs/screenshot.png]

Starts a real Streamlit server on a fresh database of ``articles/`` and drives Debian's chromium.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pressmap.cli import start_dashboard  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.test_dashboard import MAP_FRAME, click_country  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--country", default="AZE")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    ap.add_argument("--corpus", default=str(ROOT / "articles"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "shot.db"
        subprocess.run([sys.executable, "-m", "pressmap.cli", "ingest", args.corpus, "--db", str(db),
                        "--quiet"], check=True)
        proc, url = start_dashboard(db)
        try:
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                pg = b.new_page(viewport={"width": 1500, "height": 1500})
                pg.goto(url)
                pg.wait_for_selector(MAP_FRAME, timeout=60_000)
                pg.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
                    state="attached", timeout=60_000)
                pg.wait_for_timeout(800)
                click_country(pg, args.country)
                pg.locator(".pm-snippet mark").first.wait_for(timeout=30_000)
                pg.wait_for_timeout(1500)
                pg.screenshot(path=args.out, full_page=False)
                b.close()
        finally:
            proc.terminate()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
