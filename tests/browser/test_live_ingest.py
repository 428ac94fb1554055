"""The dashboard keeps serving, and shows fresh results, while an ingest writes to its database."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.browser
N = 15000  # synthetic rows, generated here; enough to keep the writer busy for several seconds


def _serve(db):
    from pressmap.cli import start_dashboard

    try:
        return start_dashboard(db, cwd=ROOT)
    except RuntimeError as e:
        pytest.fail(str(e))


def _corpus_shown(pg) -> tuple[int, int]:
    """(articles, countries) from the corpus caption, once the script run has finished."""
    pg.wait_for_selector("text=/[0-9,]+ articles? ·/", timeout=60_000)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0",
        timeout=60_000)
    pg.wait_for_timeout(300)
    m = re.search(r"([0-9,]+) articles? · \S+ sources? · ([0-9,]+) countr(?:y|ies)",
                  pg.inner_text("body"))
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))


def test_dashboard_serves_during_ingest(browser, tmp_path) -> None:
    db = tmp_path / "live.db"
    first = tmp_path / "first"
    first.mkdir()
    (first / "example.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pressmap.cli", "ingest", str(first), "--db", str(db),
                    "--quiet"], check=True, cwd=ROOT)
    rows = tmp_path / "synthetic.jsonl"  # synthetic, generated for this test only
    with rows.open("w") as fh:
        for i in range(N):
            fh.write(json.dumps({"id": f"syn-{i}", "title": f"Synthetic {i}",
                                 "text": f"Report {i}: ministers met in Santiago, Chile, and Lima."})
                     + "\n")
    proc, url = _serve(db)
    ctx = browser.new_context()
    pg = ctx.new_page()
    try:
        pg.goto(url)
        before = _corpus_shown(pg)
        assert before[0] == 1
        writer = subprocess.Popen([sys.executable, "-m", "pressmap.cli", "ingest", str(rows),
                                   "--db", str(db), "--quiet"], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen = []
        while writer.poll() is None and len(seen) < 20:
            pg.reload()
            seen.append(_corpus_shown(pg)[0])
            body = pg.inner_text("body")
            assert "locked" not in body.lower() and "Traceback" not in body
            assert pg.locator("[data-testid='stException']").count() == 0
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert seen, "the ingest ended before the page could be reloaded"
        assert seen == sorted(seen)  # counts only grow: each batch appears whole
        pg.reload()
        after = _corpus_shown(pg)
        assert after[0] == N + 1
        assert after[1] == before[1] + 2  # Chile (and Santiago), Peru (its capital Lima) are new
        print("articles shown while the ingest ran:", seen)
    finally:
        ctx.close()
        proc.terminate()
        proc.wait(10)
