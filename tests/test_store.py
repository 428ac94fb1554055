"""The SQLite store: incremental, atomic, consistent."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

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
    rows = s.conn.execute("SELECT iso3, n, n_capital FROM article_country").fetchall()
    assert rows == [("AZE", 1, 1)]
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


# -- schema v2: the per-(article, country) layout, its summaries, migration and search ----------

def _random_corpus(seed: int, n: int = 60) -> list[AnalyzedArticle]:
    import random

    from pressmap.model import KINDS

    rnd = random.Random(seed)
    words = ["alpha", "Beta", "gamma", "Delta", "café", "ÇA", "news", "of", "the", "50%", "a_b",
             "axb", "back\\slash", "\u017fays", "\u212aey"]  # ſ, Kelvin: the index folds them
    out = []
    for i in range(n):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 30))) + "."
        hits: dict[str, list[tuple[int, int, str]]] = {}
        for _ in range(rnd.randint(0, 6)):
            iso3 = rnd.choice(["AZE", "FRA", "ISR", "USA"])
            s = rnd.randrange(len(text) - 1)
            hits.setdefault(iso3, []).append((s, s + 1, rnd.choice(KINDS)))
        a = analyzed(f"a{i}", text, hits)
        a.article.published = rnd.choice([None, "2024-01-05", "2024-03-10T08:00:00", "2025-07-01"])
        a.article.source = rnd.choice([None, "Reuters", "AP"])
        a.article.language = rnd.choice([None, "en", "fr"])
        a.article.title = rnd.choice(["Gamma ray", "café news", None])
        out.append(a)
    return out


def _oracle_counts(corpus, f) -> list[dict]:
    """What country_counts must return, computed in Python from the analysed articles."""
    per: dict[str, list[int]] = {}
    for a in corpus:
        art = a.article
        if not _oracle_passes(art, f):
            continue
        by_country: dict[str, int] = {}
        for m in a.mentions:
            if m.kind in f.kinds:
                by_country[m.iso3] = by_country.get(m.iso3, 0) + 1
        for iso3, n in by_country.items():
            if n >= max(f.min_mentions, 1):
                row = per.setdefault(iso3, [0, 0])
                row[0] += 1
                row[1] += n
    rows = [{"iso3": k, "articles": v[0], "mentions": v[1]} for k, v in per.items()]
    return sorted(rows, key=lambda r: (-r["articles"], -r["mentions"], r["iso3"]))


def _oracle_passes(art, f) -> bool:
    def ascii_lower(s):
        return "".join(c.lower() if c.isascii() else c for c in s)

    if f.date_from and not (art.published and art.published >= f.date_from):
        return False
    if f.date_to and not (art.published and art.published[:10] <= f.date_to):
        return False
    if f.sources and art.source not in f.sources:
        return False
    if f.languages and art.language not in f.languages:
        return False
    if f.search:
        s = f.search.lower()
        if s not in ascii_lower(art.title or "\x00") and s not in ascii_lower(art.text):
            return False
    return True


FILTERS = [
    {},
    {"kinds": ("name", "capital")},
    {"kinds": ()},
    {"min_mentions": 2},
    {"date_from": "2024-03-10", "date_to": "2025-06-30"},
    {"sources": ("AP",), "languages": ("fr", "en")},
    {"search": "gamma"},
    {"search": "ca"},
    {"search": "café n"},
    {"search": "ÇA"},
    {"search": 'a"b'},
    {"search": "a_b"},  # "_" and "%" are literal: "axb" must not match
    {"search": "0%"},
    {"search": "%a"},
    {"search": "k\\s"},
    {"search": "says"},  # not in "ſays": the index alone would say it is
    {"search": "KEY"},
    {"search": "a GAMMA"},
    {"search": "ça b"},  # not in "ÇA Beta": LIKE folds ASCII letters only, the index all
    {"kinds": ("demonym", "place", "institution"), "min_mentions": 2, "search": "DELTA"},
]


@pytest.mark.parametrize("common", [False, True])
def test_queries_match_a_python_oracle(tmp_path, monkeypatch, common) -> None:
    """Each query against the oracle; ``common``: with the plans for a string found in most
    articles (the counts less those of the articles without the string; snippets walking the
    country's rows), else those for a rare one."""
    from pressmap import queries as q

    monkeypatch.setattr(q, "_common", lambda conn, s: common)
    monkeypatch.setattr(q, "_few", lambda conn, f: not common)
    corpus = _random_corpus(7)
    s = Store(tmp_path / "q.db")
    for a in corpus:
        s.put(a)
    # update some articles (other mentions, other metadata): totals and copies must follow
    for a in _random_corpus(8, n=20):
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    assert s.pending_text() > 0  # searches first test the articles not yet indexed
    _compare_with_oracle(s, corpus)
    assert s.check() == []  # indexes them
    assert s.pending_text() == 0
    _compare_with_oracle(s, corpus)
    # indexed articles replaced (their index entries go), new ones waiting again
    for a in _random_corpus(9, n=25):
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    _compare_with_oracle(s, corpus)
    assert s.check() == []


def _compare_with_oracle(s, corpus) -> None:
    from pressmap.queries import Filters, country_counts, matching_articles, snippets, stats

    for kw in FILTERS:
        f = Filters(**kw)
        expect = _oracle_counts(corpus, f)
        assert country_counts(s.conn, f) == expect, kw
        n_match = sum(_oracle_passes(a.article, f) for a in corpus)
        assert matching_articles(s.conn, f) == n_match, kw
        for row in expect[:2]:
            groups = snippets(s.conn, row["iso3"], f, limit=1000)
            assert len(groups) == row["articles"], kw
            keys = [(g.published is None, g.published or "", -g.rid) for g in groups]
            assert keys == sorted(keys, key=lambda k: (k[0], _neg(k[1]), -k[2])), kw
            page = snippets(s.conn, row["iso3"], f, limit=3, offset=2)
            assert [g.rid for g in page] == [g.rid for g in groups[2:5]]
    st = stats(s.conn)
    assert st["articles"] == len(corpus)
    assert st["mentions"] == sum(len(a.mentions) for a in corpus)
    assert st["sources"] == len({a.article.source for a in corpus} - {None})


def _neg(s: str) -> tuple:
    return tuple(-ord(c) for c in s) + (1,)


def test_version_1_file_is_migrated(tmp_path) -> None:
    from pressmap.queries import Filters, country_counts, snippets
    from pressmap.store import SCHEMA_V1, SCHEMA_VERSION, connect

    corpus = _random_corpus(3, n=30)
    # a file as pressmap wrote it before: schema version 1, no per-(article, country) table
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA_V1)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    for i, a in enumerate(corpus, 1):
        art = a.article
        conn.execute("INSERT INTO articles (rid, id, content_hash, title, published, source,"
                     " language, text, ingested_at) VALUES (?,?,?,?,?,?,?,?, 'x')",
                     (i, art.id, content_hash(art), art.title, art.published, art.source,
                      art.language, art.text))
        counts: dict = {}
        for m in a.mentions:
            conn.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?)",
                         (i, m.iso3, m.start, m.end, m.surface, m.kind, m.confidence,
                          m.sent_start, m.sent_end))
            counts[(m.iso3, m.kind)] = counts.get((m.iso3, m.kind), 0) + 1
        conn.executemany("INSERT INTO article_countries VALUES (?,?,?,?)",
                         [(i, k[0], k[1], n) for k, n in counts.items()])
    conn.commit()
    conn.close()
    # the dashboard's read-only open migrates it first
    ro = connect(db, readonly=True)
    assert ro.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    _assert_current_layout(ro)
    for kw in FILTERS:
        f = Filters(**kw)
        assert country_counts(ro, f) == _oracle_counts(corpus, f), kw
    for row in _oracle_counts(corpus, Filters(search="gamma")):
        assert len(snippets(ro, row["iso3"], Filters(search="gamma"), limit=100)) == row["articles"]
    ro.close()
    s = Store(db)
    assert s.check() == []
    assert s.put(corpus[0]) == "unchanged"


def test_check_finds_inconsistency(tmp_path) -> None:
    s = Store(tmp_path / "c.db")
    for a in _random_corpus(1, n=10):
        s.put(a)
    assert s.check() == []
    s.conn.execute("UPDATE article_country SET n = n + 1 WHERE article = "
                   "(SELECT MIN(article) FROM article_country)")
    s.conn.commit()
    assert s.check()


def test_rebuild_summaries_after_sql_copies(tmp_path) -> None:
    from pressmap.queries import country_counts
    from pressmap.store import rebuild_summaries

    s = Store(tmp_path / "r.db")
    for a in _random_corpus(5, n=20):
        s.put(a)
    before = country_counts(s.conn)
    # copy every article in SQL (as a benchmark replicating a corpus does): summaries lag
    with s.conn:
        for (rid,) in s.conn.execute("SELECT rid FROM articles").fetchall():
            new = s.conn.execute(
                "INSERT INTO articles (id, content_hash, title, published, source, language, text,"
                " ingested_at) SELECT id || '~1', content_hash, title, published, source, language,"
                " text, ingested_at FROM articles WHERE rid = ?", (rid,)).lastrowid
            s.conn.execute("INSERT INTO mentions SELECT ?, iso3, start, \"end\", surface, kind,"
                           " confidence, sent_start, sent_end FROM mentions WHERE article = ?",
                           (new, rid))
    assert s.check()
    rebuild_summaries(s.conn)
    assert s.check() == []
    assert country_counts(s.conn) == [{**r, "articles": 2 * r["articles"],
                                       "mentions": 2 * r["mentions"]} for r in before]


def _with(pairs: dict, iso3: str) -> list[dict]:
    other = {}
    for (x, y), n in pairs.items():
        if iso3 in (x, y):
            other[y if x == iso3 else x] = n
    return sorted(({"iso3": k, "articles": n} for k, n in other.items()),
                  key=lambda r: (-r["articles"], r["iso3"]))[:20]


def _oracle_series(corpus, f, iso3: str, n: int = 7) -> list[dict]:
    """time_series: per period (the first ``n`` characters of the date), as for the months."""
    per: dict[str, list[int]] = {}
    for a in corpus:
        if not a.article.published or not _oracle_passes(a.article, f):
            continue
        if not all("0" <= c <= "9" for c in a.article.published[:4].ljust(4, "x")):
            continue  # (the query's GLOB '[0-9][0-9][0-9][0-9]*')
        counts = _oracle_rows(a, f)
        if iso3 in counts:
            row = per.setdefault(a.article.published[:n], [0, 0])
            row[0] += 1
            row[1] += counts[iso3]
    return [{"period": k, "articles": v[0], "mentions": v[1]} for k, v in sorted(per.items())]


SERIES_FILTERS = [{}, {"kinds": ("name", "place")}, {"sources": ("AP",)}, {"min_mentions": 2},
                  {"date_from": "2024-03-10"}, {"date_to": "2024-03-10"},
                  {"date_from": "2024-03-10T09"}, {"date_from": "2024-01-05", "sources": ("AP",)},
                  {"search": "gamma"}, {"search": "ca", "min_mentions": 2}]


@pytest.mark.parametrize("summaries", [True, False])
@pytest.mark.parametrize("common", [False, True])
def test_time_series_and_pairs_match_oracle(tmp_path, monkeypatch, summaries, common) -> None:
    """Both the summary tables and the plain scans of article_country give the oracle's answer,
    with either plan for a search (``common``: the one for a string in most articles)."""
    from itertools import combinations

    from pressmap import queries as q

    if not summaries:
        monkeypatch.setattr(q, "_unfiltered", lambda f: False)
        monkeypatch.setattr(q, "_by_day", lambda f: False)
    monkeypatch.setattr(q, "_common", lambda conn, s: common)
    corpus = _random_corpus(11, n=80)
    s = Store(tmp_path / "p.db")
    for a in corpus:
        s.put(a)
    for a in _random_corpus(12, n=30):  # updates: pairs and totals must follow
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    assert s.check() == []
    for kw in FILTERS:
        assert q.country_counts(s.conn, q.Filters(**kw)) == _oracle_counts(corpus, q.Filters(**kw))
    if hasattr(q, "co_mentions"):
        for f in (q.Filters(), q.Filters(search="gamma"), q.Filters(search="ca")):
            pairs: dict[tuple[str, str], int] = {}
            for a in corpus:
                if _oracle_passes(a.article, f):
                    for x, y in combinations(sorted({m.iso3 for m in a.mentions}), 2):
                        pairs[(x, y)] = pairs.get((x, y), 0) + 1
            expect = sorted(({"a": x, "b": y, "articles": n} for (x, y), n in pairs.items()),
                            key=lambda r: (-r["articles"], r["a"], r["b"]))[:20]
            assert q.co_mentions(s.conn, f) == expect, f
            for iso3 in ("FRA", "USA"):
                assert q.co_mentions(s.conn, f, iso3) == _with(pairs, iso3), f
    if hasattr(q, "time_series"):
        for kw in SERIES_FILTERS:
            f = q.Filters(**kw)
            assert q.time_series(s.conn, "FRA", f, "month") == _oracle_series(corpus, f, "FRA"), kw


def _oracle_rows(a, f) -> dict[str, int]:
    """An article's counted mentions per country (``f.kinds``; countries under
    ``min_mentions`` left out), only its main countries with ``main_only``: the most-mentioned;
    among them those with a counted mention whose surface is in the title, or all of them when
    none is."""
    by_country: dict[str, int] = {}
    for m in a.mentions:
        if m.kind in f.kinds:
            by_country[m.iso3] = by_country.get(m.iso3, 0) + 1
    by_country = {k: n for k, n in by_country.items() if n >= max(f.min_mentions, 1)}
    if not f.main_only or not by_country:
        return by_country
    best = max(by_country.values())
    top = [k for k, n in by_country.items() if n == best]
    title = a.article.title
    named = [k for k in top if title and any(
        m.iso3 == k and m.kind in f.kinds and m.surface in title for m in a.mentions)]
    return {k: best for k in named or top}


def _oracle_main_counts(corpus, f) -> list[dict]:
    """country_counts with ``main_only`` (see :func:`_oracle_rows`)."""
    per: dict[str, list[int]] = {}
    for a in corpus:
        if not _oracle_passes(a.article, f):
            continue
        for k, n in _oracle_rows(a, f).items():
            row = per.setdefault(k, [0, 0])
            row[0] += 1
            row[1] += n
    rows = [{"iso3": k, "articles": v[0], "mentions": v[1]} for k, v in per.items()]
    return sorted(rows, key=lambda r: (-r["articles"], -r["mentions"], r["iso3"]))


PLAN_FILTERS = [
    {"search": "gamma"},
    {"search": "GAMMA", "main_only": True},
    {"search": "the", "date_from": "2024-03-10"},
    {"search": "says", "sources": ("AP",), "languages": ("fr", "en")},
    {"search": "key", "kinds": ("name", "capital"), "min_mentions": 2},
    {"search": "a GAMMA", "main_only": True, "kinds": ("demonym", "place", "institution")},
    {"search": "news", "date_to": "2024-03-10", "main_only": True},
]


@pytest.mark.parametrize("indexed", [False, True])
def test_every_view_is_the_same_under_both_search_plans(tmp_path, monkeypatch, indexed) -> None:
    """Each view with a search gives the same answer with the plan for a string in most articles
    (``rid NOT IN`` the articles without it) as with the other (``rid IN`` those with it), and
    the oracle's where there is one; articles waiting for the index or not."""
    from itertools import combinations

    from pressmap import queries as q

    corpus = _random_corpus(21, n=90)
    s = Store(tmp_path / "v.db")
    for a in corpus:
        s.put(a)
    if indexed:
        s.index_text()
    for a in _random_corpus(22, n=30):  # replaced articles: some indexed, the new ones waiting
        s.put(a)
        corpus[int(a.article.id[1:])] = a

    def views(f: q.Filters) -> dict:
        return {
            "counts": q.country_counts(s.conn, f),
            "main": q.country_counts(s.conn, replace(f, main_only=True)),
            "matching": q.matching_articles(s.conn, f),
            "pairs": q.co_mentions(s.conn, f, limit=100),
            "with": {iso3: q.co_mentions(s.conn, f, iso3, limit=100) for iso3 in ("FRA", "USA")},
            "series": {iso3: q.time_series(s.conn, iso3, f, "month") for iso3 in ("FRA", "USA")},
            "table": q.articles_table(s.conn, f),
            # (order among mentions at one offset is not defined)
            "rows": sorted(tuple(r.values()) for r in q.mention_rows(s.conn, f)),
            "snippets": {iso3: [(g.rid, [(x.sentence, x.highlights) for x in g.snippets])
                                for g in q.snippets(s.conn, iso3, f, limit=1000)]
                         for iso3 in ("FRA", "USA")},
        }

    for kw in FILTERS + PLAN_FILTERS:
        f = q.Filters(**kw)
        got = {}
        for common in (False, True):
            monkeypatch.setattr(q, "_common", lambda conn, s, c=common: c)
            monkeypatch.setattr(q, "_few", lambda conn, f, c=common: not c)
            got[common] = views(f)
        assert got[True] == got[False], kw
        if f.main_only:
            continue
        v = got[True]
        assert v["counts"] == _oracle_counts(corpus, f), kw
        assert v["main"] == _oracle_main_counts(corpus, replace(f, main_only=True)), kw
        assert v["matching"] == sum(_oracle_passes(a.article, f) for a in corpus), kw
        assert v["series"]["FRA"] == _oracle_series(corpus, f, "FRA"), kw
        pairs: dict[tuple[str, str], int] = {}
        for a in corpus:
            if _oracle_passes(a.article, f):
                ok = {m.iso3 for m in a.mentions if m.kind in f.kinds}
                ok = {k for k in ok if sum(m.iso3 == k and m.kind in f.kinds
                                           for m in a.mentions) >= max(f.min_mentions, 1)}
                for x, y in combinations(sorted(ok), 2):
                    pairs[(x, y)] = pairs.get((x, y), 0) + 1
        expect = sorted(({"a": x, "b": y, "articles": n} for (x, y), n in pairs.items()),
                        key=lambda r: (-r["articles"], r["a"], r["b"]))[:100]
        assert v["pairs"] == expect, kw
        assert {r["id"] for r in v["table"]} == {
            a.article.id for a in corpus if _oracle_passes(a.article, f) and any(
                sum(m.iso3 == k and m.kind in f.kinds for m in a.mentions)
                >= max(f.min_mentions, 1) for k in {m.iso3 for m in a.mentions})}, kw


def test_main_only_filter(tmp_path) -> None:
    """Main country: the most-mentioned; among ties, those named in the title; else all tied."""
    from pressmap import queries as q

    if "main_only" not in q.Filters.__dataclass_fields__:
        pytest.skip("no main_only filter")
    s = Store(tmp_path / "m.db")
    a1 = analyzed("m1", "Paris Paris Baku.", {"FRA": [(0, 5, "capital"), (6, 11, "capital")],
                                              "AZE": [(12, 16, "capital")]})
    a2 = analyzed("m2", "Baku Paris.", {"AZE": [(0, 4, "capital")], "FRA": [(5, 10, "capital")]})
    a2.article.title = "Baku talks"
    a3 = analyzed("m3", "Baku Paris.", {"AZE": [(0, 4, "capital")], "FRA": [(5, 10, "capital")]})
    a3.article.title = "Talks"
    for a in (a1, a2, a3):
        s.put(a)
    got = {r["iso3"]: r["articles"] for r in q.country_counts(s.conn, q.Filters(main_only=True))}
    assert got == {"FRA": 2, "AZE": 2}  # m1 -> FRA; m2 -> AZE (title); m3 -> both (tied)
    assert [g.id for g in q.snippets(s.conn, "AZE", q.Filters(main_only=True))] == ["m2", "m3"]


def _oracle_table(corpus, rids: dict[str, int], f, limit: int) -> list[dict]:
    """articles_table: the articles passing ``f`` with a counted country (see
    :func:`_oracle_rows`), newest first, undated last, ties by ``rid``; countries most-mentioned
    first (``ISO3:n``)."""
    rows = []
    for a in corpus:
        counts = _oracle_rows(a, f) if _oracle_passes(a.article, f) else {}
        if counts:
            art = a.article
            rows.append({
                "rid": rids[art.id], "id": art.id, "published": art.published, "title": art.title,
                "source": art.source, "language": art.language, "url": art.url,
                "countries": " ".join(f"{k}:{n}" for k, n in sorted(
                    counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                "mentions": sum(counts.values()),
            })
    rows.sort(key=lambda r: r["rid"])
    rows.sort(key=lambda r: (r["published"] is not None, r["published"] or ""), reverse=True)
    return rows[:limit]


TABLE_FILTERS = FILTERS + [
    {"date_to": "2024-03-10"},  # "2024-03-10T08:00:00" passes: the walk's bound must keep it
    {"date_from": "2024-03-10T07", "date_to": "2024-03"},
    {"date_to": "2024-03-10T07"},  # longer than a day: no bound ("2024-03-10T08:00:00" passes)
    {"date_from": "2025-07-01", "kinds": ("name", "place")},  # a stored date: it passes
    {"main_only": True},
    {"main_only": True, "min_mentions": 2, "sources": ("AP",)},
    {"main_only": True, "search": "gamma", "date_from": "2024-01-05"},
    {"main_only": True, "kinds": ("name", "capital")},
    {"main_only": True, "kinds": ("demonym", "place", "institution"), "search": "a"},
    {"search": "e", "languages": ("en",)},  # one character: every article tested with LIKE
]


@pytest.mark.parametrize("plan", ["walk", "walk, then grouping", "grouping"])
@pytest.mark.parametrize("common", [False, True])
def test_articles_table_matches_oracle(tmp_path, monkeypatch, plan, common) -> None:
    """articles_table, walking articles newest first (a page of any size, chunk by chunk), giving
    up on the walk after its budget, or grouping every row: the oracle's rows, in its order."""
    from pressmap import queries as q

    monkeypatch.setattr(q, "_common", lambda conn, s: common)
    if plan == "walk":  # never given up: the grouping plan must not run where the walk does
        monkeypatch.setattr(q, "_worth_walking", lambda *a: True)
        grouping = q._table_by_grouping

        def only_if_not_walked(conn, f, limit):
            assert not q._walks(conn, f, limit), f
            return grouping(conn, f, limit)

        monkeypatch.setattr(q, "_table_by_grouping", only_if_not_walked)
    elif plan == "walk, then grouping":
        monkeypatch.setattr(q, "_WALK_BUDGET", 0)  # given up after a first chunk falling short
    else:
        monkeypatch.setattr(q, "_walks", lambda conn, f, limit: False)
    corpus = _random_corpus(31, n=90)
    s = Store(tmp_path / "t.db")
    for a in corpus:
        s.put(a)
    s.index_text()
    for a in _random_corpus(32, n=30):  # replaced articles: new ids, waiting for the index
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    rids = dict(s.conn.execute("SELECT id, rid FROM articles"))
    for kw in TABLE_FILTERS:
        f = q.Filters(**kw)
        for limit in (1, 3, 10, 1000):
            assert q.articles_table(s.conn, f, limit=limit) == _oracle_table(
                corpus, rids, f, limit), (kw, limit)


@pytest.mark.parametrize("period, n", [("day", 10), ("month", 7), ("year", 4)])
def test_series_by_complement_matches_oracle(tmp_path, monkeypatch, period, n) -> None:
    """A country's time series for a string in most articles, dates the only other filter: its
    days less its rows in the articles without the string, per period."""
    from pressmap import queries as q

    monkeypatch.setattr(q, "_common", lambda conn, s: True)
    used = []
    by_complement = q._series_by_complement
    monkeypatch.setattr(q, "_series_by_complement",
                        lambda *a: used.append(1) or by_complement(*a))
    corpus = _random_corpus(41, n=90)
    s = Store(tmp_path / "s.db")
    for a in corpus:
        s.put(a)
    s.index_text()
    for a in _random_corpus(42, n=30):
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    for kw in ({"search": "gamma"}, {"search": "The", "date_from": "2024-03-10"},
               {"search": "news", "date_to": "2024-03-10"},
               {"search": "alpha beta"},  # in a few articles: some periods left with none
               {"search": "a", "date_to": "2025-06-30"}):  # (not indexed: no complement)
        f = q.Filters(**kw)
        for iso3 in ("FRA", "USA", "AZE"):
            assert q.time_series(s.conn, iso3, f, period) == _oracle_series(corpus, f, iso3, n), kw
    assert len(used) == 12


@pytest.mark.parametrize("seed", [51, 52])
def test_main_rows_sql_is_the_rule_stored_at_ingest(tmp_path, seed) -> None:
    """``store.main_rows_sql`` (one sort; the title looked at for tied rows only), over every
    kind, selects the main countries ``put`` stores (``store._main_countries``, in Python),
    whatever the rows, ties included. The queries use it for a kinds selection."""
    from pressmap.store import main_rows_sql

    s = Store(tmp_path / "r.db")
    for a in _random_corpus(seed, n=150):
        s.put(a)
    sql = main_rows_sql("SELECT article, iso3, n FROM article_country")
    got = sorted(s.conn.execute(f"SELECT article, iso3 FROM ({sql})").fetchall())
    stored = sorted(s.conn.execute("SELECT article, iso3 FROM article_country WHERE main = 1"))
    assert got == stored
    assert len(got) > len({a for a, _ in got})  # articles keeping several main countries


def _drop_main_countries(c: sqlite3.Connection) -> None:
    """What version 5 lacked: the main countries (version 6), of every kinds selection (7)."""
    c.execute("DROP INDEX article_country_main")
    c.execute("DROP TRIGGER article_country_main_ins")
    c.execute("DROP TRIGGER article_country_main_del")
    c.execute("DROP TABLE country_main_totals")
    c.execute("ALTER TABLE article_country DROP COLUMN main")
    c.execute("ALTER TABLE article_country DROP COLUMN main_sets")


def _as_version_4(c: sqlite3.Connection) -> None:
    """Turn a current file into what pressmap wrote at schema version 4: the v1 table
    ``article_countries`` written too, a text index without positions, no ``fts_recheck``."""
    from pressmap.store import SCHEMA_V1

    c.executescript(SCHEMA_V1)
    c.execute("INSERT INTO article_countries SELECT article, iso3, kind, COUNT(*) FROM mentions"
              " GROUP BY 1, 2, 3")
    c.execute("DROP INDEX mentions_by_country")
    c.execute("DROP INDEX mentions_by_article")
    c.execute("DROP INDEX ac_by_country")
    c.execute("DROP TABLE articles_fts")
    c.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',"
              " content_rowid='rid', tokenize='trigram', detail=none)")
    c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    c.execute("DELETE FROM fts_pending")
    _drop_main_countries(c)
    c.execute("DROP TABLE fts_recheck")
    c.execute("DROP TRIGGER articles_fts_pending")
    c.execute("DROP TRIGGER articles_fts_delete")
    c.execute("CREATE TRIGGER articles_fts_pending AFTER INSERT ON articles BEGIN"
              " INSERT INTO fts_pending VALUES (new.rid); END")
    c.execute("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
              " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
              " SELECT 'delete', old.rid, old.title, old.text"
              " WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);"
              " DELETE FROM fts_pending WHERE rid = old.rid; END")


@pytest.mark.parametrize("version", [2, 3, 4])
def test_versions_2_to_4_are_migrated(tmp_path, version) -> None:
    """Files of the intermediate layouts (no country_days in 2; text indexed by a trigger on
    every insert in 2 and 3; the v1 table article_countries and a text index without positions
    up to 4) open, gain what they lack, lose what is gone, and stay consistent."""
    from pressmap.store import SCHEMA_VERSION

    db = tmp_path / f"v{version}.db"
    corpus = _random_corpus(4, n=30)
    s = Store(db)
    for a in corpus:
        s.put(a)
    s.index_text()
    c = s.conn
    with c:
        _as_version_4(c)
        if version < 4:
            c.execute("DROP TRIGGER articles_fts_pending")
            c.execute("DROP TRIGGER articles_fts_delete")
            c.execute("DROP TABLE fts_pending")
            c.execute("CREATE TRIGGER articles_fts_ins AFTER INSERT ON articles BEGIN INSERT INTO"
                      " articles_fts (rowid, title, text) VALUES (new.rid, new.title, new.text);"
                      " END")
            c.execute("CREATE TRIGGER articles_fts_del AFTER DELETE ON articles BEGIN INSERT INTO"
                      " articles_fts (articles_fts, rowid, title, text)"
                      " VALUES ('delete', old.rid, old.title, old.text); END")
        if version == 2:
            c.execute("DROP TRIGGER article_country_days_ins")
            c.execute("DROP TRIGGER article_country_days_del")
            c.execute("DROP TABLE country_days")
        c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    s.close()
    s = Store(db)
    assert s.conn.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    _assert_current_layout(s.conn)
    assert s.check() == []
    _compare_with_oracle(s, corpus)
    for a in _random_corpus(5, n=10):  # updates after the migration: new triggers at work
        s.put(a)
        corpus[int(a.article.id[1:])] = a
    assert s.check() == []
    _compare_with_oracle(s, corpus)


@pytest.mark.parametrize("version", [5, 6])
def test_versions_5_and_6_are_migrated(tmp_path, version) -> None:
    """A version-6 file (no ``main_sets``) gains the main countries of every selection of kinds,
    filled in SQL (``store.main_rows_sql`` per selection) as ``put`` computes them in Python; a
    version-5 file also gains ``main``. The main-country map for a kinds selection then equals
    the oracle's."""
    from pressmap import queries as q
    from pressmap.store import SCHEMA_VERSION

    db = tmp_path / f"v{version}.db"
    corpus = _random_corpus(53, n=80)
    s = Store(db)
    for a in corpus:
        s.put(a)
    want = {kinds: q.country_counts(s.conn, q.Filters(main_only=True, kinds=kinds))
            for kinds in (("name",), ("name", "demonym"), ("capital", "place", "institution"))}
    c = s.conn
    with c:
        if version == 5:
            _drop_main_countries(c)
        else:
            c.execute("ALTER TABLE article_country DROP COLUMN main_sets")
        c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    s.close()
    s = Store(db)
    assert s.conn.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    assert s.conn.execute("SELECT COUNT(*) FROM article_country WHERE main_sets != 0"
                          ).fetchone()[0] > 0
    assert s.check() == []
    for kinds, rows in want.items():
        assert q.country_counts(s.conn, q.Filters(main_only=True, kinds=kinds)) == rows
    _compare_with_oracle(s, corpus)


def _assert_current_layout(c: sqlite3.Connection) -> None:
    names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
    assert "article_countries" not in names and "fts_recheck" in names
    fts = c.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    assert "detail=full" in fts
    assert c.execute("SELECT COUNT(*) FROM fts_recheck").fetchone()[0] > 0  # ſ and K in texts
