"""Ingest on several processes: same result as one, streamed, incremental."""

from __future__ import annotations

import json
import sqlite3

import pytest

import pressmap.ingest as ingest_mod
from pressmap.detect import default_detector
from pressmap.ingest import IngestSummary, ingest
from pressmap.store import Store

TEXTS = [
    "Officials in Baku met Israeli envoys on Monday.",
    "France and Germany signed a deal in Paris; the Kremlin objected.",
    "Nothing about any country here.",
    "Talks between Japan and South Korea resumed in Tokyo. Chinese officials watched.",
]


def write_corpus(path, n, *, edit: set[int] = frozenset(), bad_json: bool = True):
    with path.open("w") as f:
        for i in range(n):
            text = TEXTS[i % len(TEXTS)] + f" Item {i}." + (" Also Peru." if i in edit else "")
            f.write(json.dumps({"id": f"a{i}", "text": text, "source": "S"}) + "\n")
        if bad_json:
            f.write("{not json\n")
    return path


def dump(db):
    c = sqlite3.connect(db)
    out = (c.execute("SELECT id, content_hash, text, analyzer FROM articles ORDER BY id").fetchall(),
           c.execute('SELECT a.id, m.iso3, m.start, m."end", m.kind, m.confidence, m.sent_start,'
                     " m.sent_end FROM mentions m JOIN articles a ON a.rid = m.article"
                     " ORDER BY 1, 3").fetchall(),
           # articles are stored in input order whatever the number of workers
           c.execute("SELECT id FROM articles ORDER BY rid").fetchall())
    c.close()
    return out


class Exploding:
    """A detector that fails on one text (picklable: module level)."""

    def __init__(self) -> None:
        self.inner = default_detector()
        self.g = self.inner.g

    def detect(self, text, language=None):
        if "Item 13." in text:
            raise ValueError("boom")
        return self.inner.detect(text, language=language)


def test_parallel_equals_single_process(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(ingest_mod, "CHUNK", 8)  # many chunks from a small corpus
    src = write_corpus(tmp_path / "in.jsonl", 150)
    seen: dict[str, list] = {}
    results = {}
    for jobs in (1, 2):
        with Store(tmp_path / f"j{jobs}.db") as s:
            seen[jobs] = []
            results[jobs] = ingest([src], s, jobs=jobs, detector=Exploding(),
                                   on_item=lambda item, outcome, j=jobs: seen[j].append(outcome))
            assert s.check() == []
    for jobs in (1, 2):
        r = results[jobs]
        assert (r.read, r.new, r.updated, r.unchanged) == (150, 149, 0, 0)
        assert sorted(e.reason for e in r.failed)[0].startswith("analysis failed: ValueError")
        assert len(r.failed) == 2  # the broken line and the exploding article
        assert len(seen[jobs]) == 151 and seen[jobs].count("new") == 149
    assert dump(tmp_path / "j1.db") == dump(tmp_path / "j2.db")
    assert len(dump(tmp_path / "j1.db")[1]) > 150


def test_reingest_skips_unchanged_without_analysis(tmp_path) -> None:
    src = write_corpus(tmp_path / "in.jsonl", 40, bad_json=False)
    calls = []

    class Counting:
        def __init__(self) -> None:
            self.inner = default_detector()
            self.g = self.inner.g

        def detect(self, text, language=None):
            calls.append(text)
            return self.inner.detect(text, language=language)

    with Store(tmp_path / "p.db") as s:
        first = ingest([src], s, jobs=2)
        assert first.new == 40
        det = Counting()
        again = ingest([src], s, jobs=1, detector=det)
        assert (again.unchanged, again.new, again.updated, calls) == (40, 0, 0, [])
        write_corpus(src, 40, edit={3, 7}, bad_json=False)
        changed = ingest([src], s, jobs=1, detector=det)
        assert (changed.unchanged, changed.updated, len(calls)) == (38, 2, 2)
        assert s.check() == []
        n = s.conn.execute("SELECT COUNT(*) FROM article_country WHERE iso3 = 'PER'").fetchone()[0]
        assert n == 2


def test_input_is_streamed_with_bounded_work_in_flight(tmp_path, monkeypatch) -> None:
    """Writes start long before the input is read to the end (a million-article input is never
    held in memory): at most jobs * IN_FLIGHT chunks plus one write batch are ahead."""
    import pressmap.readers as readers
    from pressmap.model import Article

    monkeypatch.setattr(ingest_mod, "CHUNK", 5)
    monkeypatch.setattr(ingest_mod, "BATCH", 10)
    produced = {"n": 0}
    ahead = []

    def fake_iter(sources, **_):
        for i in range(400):
            produced["n"] += 1
            yield Article(id=f"x{i}", text=TEXTS[i % len(TEXTS)])

    monkeypatch.setattr(readers, "iter_articles", fake_iter)
    stored = {"n": 0}

    def on_item(item, outcome):
        if outcome == "new":
            stored["n"] += 1
            ahead.append(produced["n"] - stored["n"])

    with Store(tmp_path / "s.db") as s:
        r = ingest(["ignored"], s, jobs=2, on_item=on_item)
    assert r.new == 400
    bound = 2 * ingest_mod.IN_FLIGHT * 5 + 10 + 5
    assert max(ahead) <= bound, max(ahead)
    assert ahead[0] < 400


def test_summary_shape_kept() -> None:
    s = IngestSummary(read=3, new=1, updated=1, unchanged=1)
    assert s.line() == "read 3, new 1, updated 1, unchanged 1, failed 0"
    assert s.as_dict()["failed"] == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_small_input_and_cli_jobs(tmp_path, jobs) -> None:
    from click.testing import CliRunner

    from pressmap.cli import main

    src = write_corpus(tmp_path / "in.jsonl", 3, bad_json=False)
    res = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "c.db"),
                                    "--jobs", str(jobs), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.splitlines()[-1])["new"] == 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unstorable_article_fails_alone(tmp_path, monkeypatch, jobs) -> None:
    """Text the database refuses (a lone surrogate) fails that article, not its batch."""
    import pressmap.readers as readers
    from pressmap.model import Article

    monkeypatch.setattr(ingest_mod, "CHUNK", 5)

    def fake_iter(sources, **_):
        for i in range(30):
            text = TEXTS[i % len(TEXTS)] + (" \ud800" if i == 7 else "")
            yield Article(id=f"u{i}", text=text, path=f"u{i}.txt")

    monkeypatch.setattr(readers, "iter_articles", fake_iter)
    with Store(tmp_path / "u.db") as s:
        r = ingest(["ignored"], s, jobs=jobs)
        assert (r.new, [e.path for e in r.failed]) == (29, ["u7.txt"])
        assert "cannot be stored" in r.failed[0].reason
        assert s.check() == []
        assert s.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 29


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_repeated_id_stores_its_last_copy(tmp_path, jobs) -> None:
    """The stored copy of an id that repeats in the input is always the last one, even when the
    last copy equals what is stored and an earlier copy is still being analysed."""
    src = tmp_path / "in.jsonl"

    def write(texts: list[tuple[str, str]]) -> None:
        src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in texts),
                       encoding="utf-8")

    fillers = [(f"f{i}", f"Talks number {i} were held in Lima.") for i in range(150)]
    with Store(tmp_path / "p.db") as s:
        write([("x", "Officials in Kenya met.")])
        ingest([src], s, jobs=jobs)
        write([("x", "Officials in Chad met."), *fillers, ("x", "Officials in Kenya met.")])
        ingest([src], s, jobs=jobs)
        text = s.conn.execute("SELECT text FROM articles WHERE id = 'x'").fetchone()[0]
        assert text == "Officials in Kenya met."
        isos = {r[0] for r in s.conn.execute(
            "SELECT iso3 FROM article_country JOIN articles ON rid = article WHERE id = 'x'")}
        assert isos == {"KEN"}
        assert s.check() == []
