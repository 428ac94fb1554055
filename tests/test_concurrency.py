"""Killed ingests, concurrent ingests, and the dashboard reading while an ingest writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from pressmap.queries import Filters, country_counts, matching_articles, snippets, stats
from pressmap.store import Store, connect

SENTENCES = [
    "Officials in Baku met Israeli envoys on Monday.",
    "France and Germany signed a deal in Paris; the Kremlin objected.",
    "Talks between Japan and South Korea resumed in Tokyo.",
    "Chinese officials watched the talks closely.",
    "Turkish troops crossed into Syria, Ankara said.",
    "Markets were calm in London and New York.",
    "Brazil's president flew to Buenos Aires for the summit.",
    "Nothing else happened that day.",
]


def corpus(path, ids, seed=0):
    rnd = random.Random(seed)
    with path.open("w") as f:
        for i in ids:
            text = " ".join(rnd.choice(SENTENCES) for _ in range(12)) + f" Item {i}."
            f.write(json.dumps({"id": f"c{i}", "text": text, "title": f"Story {i}",
                                "source": ["AP", "Reuters", "AFP"][i % 3],
                                "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}) + "\n")
    return path


def start_ingest(src, db, jobs=2):
    return subprocess.Popen(
        [sys.executable, "-m", "pressmap.cli", "ingest", str(src), "--db", str(db),
         "--jobs", str(jobs), "--quiet", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_group(p) -> None:
    """SIGKILL the ingest and its analysing workers (a power cut, as far as the file knows)."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def assert_consistent(db) -> int:
    with Store(db) as s:
        assert s.check() == []
        ids = [r[0] for r in s.conn.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids))
        # every stored article has its mentions (each text names countries)
        bare = s.conn.execute("SELECT COUNT(*) FROM articles WHERE rid NOT IN"
                              " (SELECT article FROM mentions)").fetchone()[0]
        assert bare == 0
        return len(ids)


def test_sigkill_at_random_moments_then_rerun(tmp_path) -> None:
    n = 6000  # commits every ~500 articles; kills come before half is stored, leaving seconds of work
    src = corpus(tmp_path / "in.jsonl", range(n))
    db = tmp_path / "k.db"
    Store(db).close()
    rnd = random.Random()
    # kill once the store holds a random number of articles, plus a random delay: lands
    # anywhere in a batch (during analysis, during a write transaction, between them)
    thresholds = sorted(rnd.sample(range(1, n // 2), 4))
    seen = []
    for k in thresholds:
        p = start_ingest(src, db)
        watch = connect(db, readonly=True)
        while p.poll() is None and \
                watch.execute("SELECT COUNT(*) FROM articles").fetchone()[0] < k:
            time.sleep(0.01)
        watch.close()
        time.sleep(rnd.uniform(0, 0.05))  # less than a batch takes, on a fast machine too
        kill_group(p)
        stored = assert_consistent(db)
        assert stored >= (seen[-1] if seen else 0)  # committed batches stay committed
        seen.append(stored)
    assert 0 < seen[0] and seen[-1] < n, seen  # the kills did land mid-ingest
    p = start_ingest(src, db)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    summary = json.loads(out.splitlines()[-1])
    assert summary["read"] == n and summary["failed"] == 0
    assert summary["new"] + summary["unchanged"] == n and summary["updated"] == 0
    assert summary["unchanged"] == seen[-1]
    assert assert_consistent(db) == n
    with Store(db) as s:
        ids = {r[0] for r in s.conn.execute("SELECT id FROM articles")}
    assert ids == {f"c{i}" for i in range(n)}


def test_two_ingests_at_once(tmp_path) -> None:
    a = corpus(tmp_path / "a.jsonl", range(0, 700))
    b = corpus(tmp_path / "b.jsonl", range(400, 1100))  # 300 articles in both
    db = tmp_path / "two.db"
    Store(db).close()
    pa, pb = start_ingest(a, db, jobs=1), start_ingest(b, db, jobs=1)
    results = []
    for p in (pa, pb):
        out, err = p.communicate(timeout=300)
        # one waits for the other's write lock; if it ever gave up it would say why
        assert p.returncode == 0 or "another process" in err, err
        results.append(p.returncode)
    assert results == [0, 0]
    assert assert_consistent(db) == 1100


def test_dashboard_queries_while_ingesting(tmp_path) -> None:
    src = corpus(tmp_path / "in.jsonl", range(1500))
    db = tmp_path / "live.db"
    Store(db).close()
    p = start_ingest(src, db)
    conn = connect(db, readonly=True)
    filters = [Filters(), Filters(sources=("AP",), date_from="2024-03-01"),
               Filters(search="kremlin", min_mentions=2), Filters(kinds=("capital",))]
    counts, queries = [], 0
    try:
        while p.poll() is None:
            for f in filters:
                rows = country_counts(conn, f)
                matching_articles(conn, f)
                if rows:
                    snippets(conn, rows[0]["iso3"], f, limit=5)
                queries += 1
            counts.append(stats(conn)["articles"])
    finally:
        if p.poll() is None:
            kill_group(p)
    out, err = p.communicate()
    assert p.returncode == 0, err
    assert queries > 8  # the queries did run during the ingest, none raised "locked"
    assert any(0 < c < 1500 for c in counts), counts  # ... and saw it half done
    assert counts == sorted(counts)
    assert stats(conn)["articles"] == 1500
    # what the reader sees at the end is what a fresh reader sees
    fresh = connect(db, readonly=True)
    assert country_counts(conn, filters[1]) == country_counts(fresh, filters[1])
    conn.close()
    fresh.close()
