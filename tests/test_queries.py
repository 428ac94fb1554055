"""The dashboard's queries on a small database built from hand-written sentences."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pressmap import queries as q
from pressmap.analysis import analyze_article
from pressmap.model import Article
from pressmap.store import Store

ARTICLES = [
    # Iran and Israel tie (2 each); only Israel is in the title, so Israel is the main country.
    Article(id="a1", title="Israel warns", text="Iran and Israel traded threats. Iran denied it. "
            "Israel said more.", published="2025-01-10", source="Wire", language="en"),
    # Azerbaijan (2) leads Israel (1); Baku is a capital.
    Article(id="a2", title="Summit", text="Officials in Baku met Israeli envoys. Azerbaijan hosted.",
            published="2025-02-03", source="Daily", language="en"),
    # France and Germany tie, neither in the title: both are kept as main countries.
    Article(id="a3", title="Europe talks", text="France and Germany met. France and Germany agreed.",
            published="2025-02-20", source="Daily", language="fr"),
    # Undated, no source.
    Article(id="a4", title=None, text="Kenya exported tea to Pakistan.", language="en"),
]


@pytest.fixture(scope="module")
def conn():
    s = Store(":memory:")
    for a in ARTICLES:
        s.put(analyze_article(a))
    return s.conn


def counts(conn, **kw) -> dict[str, tuple[int, int]]:
    return {r["iso3"]: (r["articles"], r["mentions"]) for r in q.country_counts(conn, q.Filters(**kw))}


def test_counts_and_filters(conn) -> None:
    c = counts(conn)
    assert c["ISR"] == (2, 3) and c["AZE"] == (1, 2) and c["FRA"] == (1, 2)
    assert set(counts(conn, sources=("Daily",))) == {"AZE", "ISR", "FRA", "DEU"}
    assert set(counts(conn, languages=("fr",))) == {"FRA", "DEU"}
    assert set(counts(conn, date_from="2025-02-01", date_to="2025-02-10")) == {"AZE", "ISR"}
    assert set(counts(conn, search="tea")) == {"KEN", "PAK"}
    assert set(counts(conn, search="SUMMIT")) == {"AZE", "ISR"}  # titles too, any case
    assert counts(conn, kinds=("capital",)) == {"AZE": (1, 1)}
    assert set(counts(conn, min_mentions=2)) == {"IRN", "ISR", "AZE", "FRA", "DEU"}


def test_main_country_ties_broken_by_title(conn) -> None:
    c = counts(conn, main_only=True)
    assert "IRN" not in c and c["ISR"] == (1, 2)  # tie with Iran, Israel in the title
    assert c["AZE"] == (1, 2)
    assert c["FRA"] == (1, 2) and c["DEU"] == (1, 2)  # still tied: both kept
    assert c["KEN"] == (1, 1) and c["PAK"] == (1, 1)
    # counting only capitals, Azerbaijan is the only country in a2 and its main one
    assert counts(conn, main_only=True, kinds=("capital",)) == {"AZE": (1, 1)}


def test_time_series_and_fill(conn) -> None:
    ts = q.time_series(conn, "ISR", q.Filters(), "month")
    assert ts == [{"period": "2025-01", "articles": 1, "mentions": 2},
                  {"period": "2025-02", "articles": 1, "mentions": 1}]
    filled = q.fill_periods(q.time_series(conn, "AZE", q.Filters(), "month"), "2024-12-01",
                            "2025-03-01", "month")
    assert [(r["period"], r["articles"]) for r in filled] == [
        ("2024-12", 0), ("2025-01", 0), ("2025-02", 1), ("2025-03", 0)]
    assert q.time_series(conn, "KEN", q.Filters(), "day") == []  # undated
    assert q.period_for("2025-01-01", "2025-02-01") == "day"
    assert q.period_for("2020-01-01", "2025-02-01") == "month"


def test_co_mentions(conn) -> None:
    pairs = {(p["a"], p["b"]): p["articles"] for p in q.co_mentions(conn)}
    assert pairs == {("AZE", "ISR"): 1, ("IRN", "ISR"): 1, ("DEU", "FRA"): 1, ("KEN", "PAK"): 1}
    with_isr = {r["iso3"]: r["articles"] for r in q.co_mentions(conn, iso3="ISR")}
    assert with_isr == {"AZE": 1, "IRN": 1}
    # Israel is a main country only in a1; its companions there still count
    assert {r["iso3"] for r in q.co_mentions(conn, q.Filters(main_only=True), iso3="ISR")} == {"IRN"}


def test_snippets_newest_first_and_article_text(conn) -> None:
    got = q.snippets(conn, "ISR")
    assert [g.id for g in got] == ["a2", "a1"]
    assert got[0].snippets[0].kinds == [("demonym", "Israeli")]
    art = q.article_text(conn, got[1].rid)
    assert {m["iso3"] for m in art.mentions} == {"IRN", "ISR"}
    assert all(art.text[m["start"]:m["end"]] == m["surface"] for m in art.mentions)
    only = q.article_text(conn, got[0].rid, kinds=("capital",))
    assert [m["surface"] for m in only.mentions] == ["Baku"]
    assert q.article_text(conn, 999) is None


def test_lists_span_table_and_mention_rows(conn) -> None:
    assert q.languages(conn) == ["en", "fr"]
    assert q.sources(conn) == ["Daily", "Wire"]
    assert q.date_span(conn) == ("2025-01-10", "2025-02-20")
    table = q.articles_table(conn, q.Filters(sources=("Daily",)))
    assert [r["id"] for r in table] == ["a3", "a2"]
    assert table[1]["countries"].split() == ["AZE:2", "ISR:1"] and table[1]["mentions"] == 3
    rows = q.mention_rows(conn, q.Filters(), "AZE")
    assert [(r["surface"], r["kind"]) for r in rows] == [("Baku", "capital"), ("Azerbaijan", "name")]
    assert rows[0]["snippet"] == "Officials in Baku met Israeli envoys."
    assert len(q.mention_rows(conn, q.Filters(kinds=("name",)))) == sum(
        1 for r in q.mention_rows(conn) if r["kind"] == "name")


# -- text search against a plain-Python oracle ----------------------------------------------------

# ASCII case, LIKE's wildcards and escape, FTS5 query syntax, letters the index folds where LIKE
# does not (Ç/ç, the Kelvin sign, ſ), and NUL (SQLite's LIKE and the index stop reading there)
ALPHABET = "aAbBkKsS _%\\\"*-()^:+.ÇçéſK\x00"
WORDS = ["said", "SAID", "ſaid", "Kelvin", "ÇA", "Ça", "café", "CAFÉ", "OR", "AND", "NOT",
         "NEAR(", "NEAR(a b, 2)", '"', '""', "*", "-", "title:", "{a b}", "a_b", "50%"]
WILD = ["%", "_", "\\", "%a", "a_", "a%b", "\\_", '"', '"a"', "ſ", "K", "Ç"]
PIECES = st.lists(st.one_of(st.text(ALPHABET, max_size=4), st.sampled_from(WORDS)), max_size=6)
TEXTS = PIECES.map("".join)


def _like_sees(field: str | None, s: str) -> bool:
    """``s`` in ``field`` as SQLite's LIKE sees it: up to a NUL, ASCII letters folded."""
    if field is None:
        return False
    field = field.split("\x00", 1)[0]
    return s in "".join(c.lower() if c.isascii() else c for c in field)


def _case_mix(data, s: str) -> str:
    flips = data.draw(st.lists(st.booleans(), min_size=len(s), max_size=len(s)))
    return "".join(c.swapcase() if f else c for c, f in zip(s, flips, strict=True))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_search_matches_a_substring_oracle(data) -> None:
    """Every search path (1-2 characters, ASCII, other strings; articles indexed, waiting for the
    index, or holding a letter the index folds; each query plan for common and rare strings)
    gives exactly the substring test's answer."""
    from unittest import mock

    from pressmap.model import AnalyzedArticle, CountryHits, Mention

    rows = data.draw(st.lists(st.tuples(st.none() | TEXTS, TEXTS.filter(bool)), min_size=1,
                              max_size=6))
    indexed = data.draw(st.integers(0, len(rows)))  # the others wait in fts_pending
    s = Store(":memory:")
    for i, (title, text) in enumerate(rows):
        if i == indexed:
            s.index_text()
        iso3 = ("FRA", "DEU")[i % 2]
        m = Mention(iso3, 0, 1, text[0], "name", 1.0, 0, len(text))
        s.put(AnalyzedArticle(Article(id=str(i), title=title, text=text),
                              [CountryHits(iso3, iso3, [m])]))
    if indexed == len(rows):
        s.index_text()
    # the search: a piece of a stored title or text (case changed, maybe ſ and K folded), or
    # anything
    field = data.draw(st.sampled_from([f for row in rows for f in row if f]))
    a = data.draw(st.integers(0, len(field)))
    piece = field[a:data.draw(st.integers(a, min(len(field), a + 8)))]
    folded = piece.replace("\u017f", "s").replace("\u212a", "k")  # as the index sees it
    search = data.draw(st.one_of(st.sampled_from([piece, folded]), TEXTS, st.sampled_from(WILD)))
    search = search.replace("\x00", "")
    search = _case_mix(data, search)
    assume(search)
    match = [str(i) for i, (title, text) in enumerate(rows)
             if _like_sees(title, search.lower()) or _like_sees(text, search.lower())]
    f = q.Filters(search=search)
    expect = {}
    for i in match:
        iso3 = ("FRA", "DEU")[int(i) % 2]
        expect[iso3] = (expect.get(iso3, (0, 0))[0] + 1,) * 2
    common = data.draw(st.booleans())  # the plans for a string in most articles, or the others
    with (mock.patch.object(q, "_common", lambda conn, s: common),
          mock.patch.object(q, "_few", lambda conn, f: not common)):
        assert q.matching_articles(s.conn, f) == len(match)
        assert counts(s.conn, search=search) == expect
        got = {g.id for iso3 in ("FRA", "DEU") for g in q.snippets(s.conn, iso3, f, limit=100)}
        assert got == set(match)
        # the other views (one country per article: it is the main one)
        assert counts(s.conn, search=search, main_only=True) == expect
        main = replace(f, main_only=True)
        got = {g.id for iso3 in ("FRA", "DEU") for g in q.snippets(s.conn, iso3, main, limit=100)}
        assert got == set(match)
        # (undated: in id order; walked from the first, a page of one is the table's first row)
        table = q.articles_table(s.conn, f)
        assert [r["id"] for r in table] == match
        assert q.articles_table(s.conn, f, limit=1) == table[:1]
        assert {r["article_id"] for r in q.mention_rows(s.conn, f)} == set(match)
        assert q.matching_articles(s.conn, replace(f, languages=("en",))) == 0
        assert q.matching_articles(s.conn, replace(f, date_to="9999-12-31")) == 0  # undated


def test_only_the_listed_letters_fold_to_ascii_in_the_index() -> None:
    """The ASCII search path trusts the index except for articles holding one of
    ``FOLDED_TO_ASCII``: no other character may fold to an ASCII one. (FTS5 folds no code point
    above the BMP to one below it.)"""
    import sqlite3

    from pressmap.store import FOLDED_TO_ASCII

    c = sqlite3.connect(":memory:")
    c.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='trigram', detail=none)")
    c.executemany("INSERT INTO f (rowid, t) VALUES (?, ?)",
                  [(cp, chr(cp) * 3) for cp in range(128, 0x10000) if not 0xD800 <= cp < 0xE000])
    folded = {chr(cp) for ch in map(chr, range(1, 128)) for (cp,) in c.execute(
        "SELECT rowid FROM f WHERE f MATCH ?", ('"' + (ch * 3).replace('"', '""') + '"',))}
    assert folded == set(FOLDED_TO_ASCII)


def test_search_with_nul_does_not_fail(conn) -> None:
    assert q.matching_articles(conn, q.Filters(search="te\x00a")) >= 0


def test_docstring_examples() -> None:
    import doctest

    assert doctest.testmod(q).failed == 0
