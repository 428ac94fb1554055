"""The SQLite store: incremental, atomic, consistent."""

from __future__ import annotations

import sqlite3

from pressmap.model import AnalyzedArticle, Article, CountryHits, Mention
from pressmap.store import Store, content_hash


def analyzed(aid: str, text: str, hits: dict[str, list[tuple[int, int, str]]]) -> AnalyzedArticle:
    countries = [
        CountryHits(iso3, iso3, [Mention(iso3, s, e, text[s:e], kind, 0.9, 0, len(text))
                                 for s, e, kind in spans])
        for iso3, spans in hits.items()
    ]
    return AnalyzedArticle(Article(id=aid, text=text, title=f"T {aid}"), countries)


def test_put_new_unchanged_updated() -> None:
    s = Store(":memory:")
    a = analyzed("a", "Baku and Paris.", {"AZE": [(0, 4, "capital")], "FRA": [(9, 14, "capital")]})
    assert s.put(a) == "new"
    assert s.put(a) == "unchanged"
    b = analyzed("a", "Baku only.", {"AZE": [(0, 4, "capital")]})
    assert s.put(b) == "updated"
    rows = s.conn.execute("SELECT iso3, kind, n FROM article_countries").fetchall()
    assert rows == [("AZE", "capital", 1)]
    assert s.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == 1
    assert s.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


def test_hash_depends_on_content_not_path() -> None:
    a = Article(id="x", text="t", path="one.txt")
    b = Article(id="x", text="t", path="two.txt")
    c = Article(id="x", text="t2", path="one.txt")
    assert content_hash(a) == content_hash(b) != content_hash(c)


def test_failed_batch_rolls_back(tmp_path) -> None:
    db = tmp_path / "p.db"
    s = Store(db)
    s.put(analyzed("keep", "Baku.", {"AZE": [(0, 4, "capital")]}))

    def bad():
        yield analyzed("b1", "Paris.", {"FRA": [(0, 5, "capital")]})
        raise RuntimeError("boom")

    try:
        s.put_many(bad())
    except RuntimeError:
        pass
    s.close()
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert ids == ["keep"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_snippet_offsets_survive_non_ascii(tmp_path) -> None:
    from pressmap.queries import snippets

    text = "Ça va. Talks in Bakú — Azərbaycan’s “capital” Baku hosted 🌍 envoys. End."
    i = text.index("Baku ")
    sent = (text.index("Talks"), text.index("envoys.") + len("envoys."))
    s = Store(tmp_path / "u.db")
    a = AnalyzedArticle(Article(id="u", text=text), [CountryHits("AZE", "Azerbaijan", [
        Mention("AZE", i, i + 4, "Baku", "capital", 1.0, *sent)])])
    s.put(a)
    [group] = snippets(s.conn, "AZE")
    [snip] = group.snippets
    assert snip.sentence == text[sent[0]:sent[1]]
    (hs, he), = snip.highlights
    assert snip.sentence[hs:he] == "Baku"
