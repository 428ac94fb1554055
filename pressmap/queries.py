"""What the dashboard and the CLI ask of the database.

Every query takes a :class:`Filters`; counts are summed from ``article_country`` (one row per
article and country, see :mod:`pressmap.store`) or read from ``country_totals``.

>>> from pressmap.store import Store
>>> from pressmap.analysis import analyze_article
>>> from pressmap.model import Article
>>> s = Store(":memory:"); _ = s.put(analyze_article(Article(id="1", text="Baku and Baku.")))
>>> country_counts(s.conn)
[{'iso3': 'AZE', 'articles': 1, 'mentions': 2}]
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations, islice

from pressmap.model import KINDS
from pressmap.store import KIND_COLUMNS, selection_bit


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = KINDS
    date_from: str | None = None  # inclusive, ISO date
    date_to: str | None = None  # inclusive, ISO date
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    search: str | None = None
    min_mentions: int = 1
    # Only each article's main country: the most-mentioned (counting ``kinds``); among tied
    # countries, those with a mention whose surface appears in the title; all still tied are kept.
    main_only: bool = False


@dataclass
class Snippet:
    sentence: str
    highlights: list[tuple[int, int]]  # offsets into ``sentence``
    kinds: list[tuple[str, str]]  # (kind, surface) per highlight


@dataclass
class ArticleSnippets:
    rid: int
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    path: str | None
    snippets: list[Snippet] = field(default_factory=list)


# The exact test: a title or text holding the string, ASCII letters folded to lower case (LIKE
# folds ASCII case only, as lower() does, and is about twice as fast as instr(lower(...)): no
# lower-cased copy of each text). Its arguments: _like(s).
_EXACT = "(title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')"


def _like(s: str) -> list[str]:
    """:data:`_EXACT`'s arguments for the lower-cased string ``s`` (% _ and \\ escaped)."""
    like = "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [like, like]


def _phrase(s: str) -> str:
    """``s`` as one FTS5 string (every character literal): its trigrams in a row."""
    return '"' + s.replace('"', '""') + '"'


def _indexed(s: str) -> bool:
    """Whether the trigram index can look ``s`` up (a NUL ends an FTS5 string)."""
    return len(s) >= 3 and "\x00" not in s


def _search_rids(f: Filters) -> tuple[str, list]:
    """SELECT of the articles passing the :data:`_EXACT` test for ``f.search``, each once.

    A string of 3+ characters is first a phrase query on the trigram index (every letter folded).
    For an ASCII string that is the exact test, except in the articles not indexed yet
    (``fts_pending``) or holding a character the index folds to an ASCII letter
    (``fts_recheck``): those are tested with ``LIKE``, as every candidate is for any other string
    (the index folds case beyond ASCII; ``LIKE`` does not)."""
    s = f.search.lower()
    if not _indexed(s):
        return f"SELECT rid FROM articles WHERE {_EXACT}", _like(s)
    fts = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    if s.isascii():
        return (
            f"{fts} AND rowid NOT IN (SELECT rid FROM fts_recheck)"
            " UNION ALL SELECT rid FROM articles WHERE (rid IN (SELECT rid FROM fts_pending)"
            f" OR rid IN (SELECT rid FROM fts_recheck)) AND {_EXACT}",
            [_phrase(s), *_like(s)],
        )
    return (
        f"SELECT rid FROM articles WHERE (rid IN ({fts})"
        f" OR rid IN (SELECT rid FROM fts_pending)) AND {_EXACT}",
        [_phrase(s), *_like(s)],
    )


def _missing_rids(s: str) -> tuple[str, list]:
    """SELECT of the articles failing the test for the ASCII string ``s`` (3+ characters), in id
    order: the indexed articles (ids from the index's own ``articles_fts_docsize``) less the
    phrase's matches, both read in id order and merged (no lookup per match), and the articles
    tested directly (see :func:`_search_rids`) that fail."""
    return (
        "SELECT id FROM articles_fts_docsize WHERE id NOT IN (SELECT rid FROM fts_recheck)"
        " EXCEPT SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        " UNION ALL SELECT rid FROM articles WHERE (rid IN (SELECT rid FROM fts_pending)"
        f" OR rid IN (SELECT rid FROM fts_recheck)) AND {_EXACT} IS NOT 1 ORDER BY 1",
        [_phrase(s), *_like(s)],
    )


def _first_matches(conn: sqlite3.Connection, s: str, k: int) -> tuple[int, int | None]:
    """How many articles the index matches for the indexed string ``s``, counting up to ``k``,
    and the last id among them (ids ascending; a cheap look: the index reads no further)."""
    return conn.execute(
        "SELECT COUNT(*), MAX(rowid) FROM (SELECT rowid FROM articles_fts"
        " WHERE articles_fts MATCH ? LIMIT ?)",
        [_phrase(s), k],
    ).fetchone()


def _common(conn: sqlite3.Connection, s: str) -> bool:
    """Whether the indexed string ``s`` is in most articles, judged from how close together its
    first 1,000 matches are."""
    n, last = _first_matches(conn, s, 1000)
    return n == 1000 and n >= 0.5 * last


def _few(conn: sqlite3.Connection, f: Filters) -> bool:
    """Whether ``f.search`` is in fewer than 10,000 articles (as the index tells): then its
    articles are looked up one by one rather than each row of a country tested."""
    s = (f.search or "").lower()
    return _indexed(s) and _first_matches(conn, s, 10000)[0] < 10000


def _by_complement(conn: sqlite3.Connection, f: Filters) -> bool:
    """Whether ``f.search`` is best filtered by its complement: an ASCII string the index looks
    up (so :func:`_missing_rids` lists exactly the articles without it) that is in most articles
    (a few times fewer articles to list and test against than those with it). The public queries
    decide this once. The map and the main-country map (:func:`_counts_by_complement`), and
    with no other filter the co-mentions and (dates allowed) the time series, subtract the share
    of the articles without the string from the counts without the search; otherwise it is
    passed down as ``complement`` (matching articles with another filter, a country's time
    series or co-mentions, the main countries for a kinds selection). Not the mention rows or
    the snippets (``NOT IN`` was no faster there); the articles table tests each article it
    walks (:func:`_newest_page`)."""
    s = (f.search or "").lower()
    return _indexed(s) and s.isascii() and _common(conn, s)


def _counts_by_complement(conn: sqlite3.Connection, f: Filters) -> list[dict] | None:
    """:func:`country_counts` for an ASCII string in most articles: the counts without the
    search, less those of the articles without the string (a few times fewer rows to read than
    those with it); None for any other search."""
    if not _by_complement(conn, f):
        return None
    s = f.search.lower()
    rest = replace(f, search=None)
    per = _rows_where(rest, prefix="p.")
    if per is None:
        return []
    where, args, n = per
    main, mainargs = _main_test(f, "p.")
    missing, margs = _missing_rids(s)
    out = {r["iso3"]: r for r in country_counts(conn, rest)}
    for iso3, articles, mentions in conn.execute(
        f"SELECT p.iso3, COUNT(*), SUM({n}) FROM ({missing}) x"
        f" CROSS JOIN article_country p ON p.article = x.id WHERE {where}{main} GROUP BY p.iso3",
        margs + args + mainargs,
    ):
        out[iso3]["articles"] -= articles
        out[iso3]["mentions"] -= mentions
    rows = [r for r in out.values() if r["articles"] > 0]
    return sorted(rows, key=lambda r: (-r["articles"], -r["mentions"], r["iso3"]))


def _article_filter(
    f: Filters, rid: str = "rid", prefix: str = "", complement: bool = False,
    missing: bool = False,
) -> tuple[str, list]:
    """WHERE clause over ``published``, ``source``, ``language`` (named ``prefix`` + column: those
    of ``articles`` and of ``article_country`` alike) and the article id column ``rid``.

    The search is ``rid IN (<the articles with it>)``, or with ``complement`` (only for a string
    :func:`_by_complement` accepts) ``rid NOT IN (<the articles without it>)``: SQLite builds the
    subquery's ephemeral index once per statement, from a few times fewer ids. ``missing``
    keeps the articles *without* the string instead (to subtract their share)."""
    where, args = [], []
    if f.date_from:
        where.append(f"{prefix}published >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append(f"substr({prefix}published, 1, 10) <= ?")
        args.append(f.date_to)
    if f.sources:
        where.append(f"{prefix}source IN ({','.join('?' * len(f.sources))})")
        args += list(f.sources)
    if f.languages:
        where.append(f"{prefix}language IN ({','.join('?' * len(f.languages))})")
        args += list(f.languages)
    if f.search and (complement or missing):
        sql, sargs = _missing_rids(f.search.lower())
        where.append(f"{prefix}{rid} {'IN' if missing else 'NOT IN'} ({sql})")
        args += sargs
    elif f.search:
        sql, sargs = _search_rids(f)
        where.append(f"{prefix}{rid} IN ({sql})")
        args += sargs
    return (" AND ".join(where) or "1"), args


def _selected(f: Filters, prefix: str = "") -> str | None:
    """SQL for an ``article_country`` row's mentions of the chosen kinds (None: no kind chosen)."""
    kinds = [k for k in KINDS if k in f.kinds]
    if not kinds:
        return None
    if len(kinds) == len(KINDS):
        return f"{prefix}n"
    return "(" + " + ".join(prefix + KIND_COLUMNS[k] for k in kinds) + ")"


def _rows_where(
    f: Filters, prefix: str = "", complement: bool = False, missing: bool = False
) -> tuple[str, list] | None:
    """WHERE clause picking the ``article_country`` rows (one per article and country) that pass
    every filter but ``main_only``, and their count of chosen mentions; None: none can pass."""
    n = _selected(f, prefix)
    if n is None:
        return None
    awhere, args = _article_filter(f, rid="article", prefix=prefix, complement=complement,
                                   missing=missing)
    return f"{n} >= ? AND {awhere}", [max(f.min_mentions, 1), *args], n


def _per_article(
    f: Filters, complement: bool = False, missing: bool = False, among: list[int] | None = None
) -> tuple[str, list]:
    """SQL for (article, iso3, n) rows that pass the filters (``complement``: see
    :func:`_article_filter`), of the articles ``among`` only if given.

    One row per (article, country) is stored in ``article_country`` with the article's date,
    source and language, so this is a single indexed pass, no join and no grouping. With
    ``main_only``, the main countries are those stored at ingest (``main`` for every kind,
    ``main_sets`` for a selection of kinds): a filter on articles leaves each article's main
    countries as they are, and a minimum of mentions only drops those under it (it never
    removes an article's top rows but all of them)."""
    per = _rows_where(f, complement=complement, missing=missing)
    if per is None:
        return "SELECT 0 AS article, '' AS iso3, 0 AS n WHERE 0", []
    where, args, n = per
    if among is not None:
        where += " AND article IN (SELECT value FROM json_each(?))"
        args = [*args, json.dumps(among)]
    main, margs = _main_test(f)
    return f"SELECT article, iso3, {n} AS n FROM article_country WHERE {where}{main}", args + margs


def _main_test(f: Filters, prefix: str = "") -> tuple[str, list]:
    """`` AND`` the ``article_country`` row is a main country of its article, for
    ``f.main_only``: the flags stored at ingest (``main`` for every kind, ``main_sets`` for a
    selection of kinds); nothing otherwise."""
    if not f.main_only:
        return "", []
    if _selected(f) == "n":  # every kind ("+": rows in clustered order, not the partial index)
        return f" AND +{prefix}main = 1", []
    return f" AND {prefix}main_sets & ? != 0", [selection_bit(f.kinds)]


def _unfiltered(f: Filters) -> bool:
    return (
        _selected(f) == "n"
        and f.min_mentions <= 1
        and not f.date_from
        and not f.date_to
        and not f.sources
        and not f.languages
        and not f.search
        and not f.main_only
    )


def _iso_day(d: str | None) -> bool:
    return d is None or (len(d) == 10 and d[4] == "-" and d[7] == "-" and d.isascii())


def _by_day(f: Filters) -> bool:
    """Whether ``country_days`` answers: every kind, no per-article filter but the date range,
    given as ISO days (then ``published >= d`` is ``substr(published, 1, 10) >= d``)."""
    return (
        _selected(f) == "n"
        and f.min_mentions <= 1
        and not f.sources
        and not f.languages
        and not f.search
        and not f.main_only
        and _iso_day(f.date_from)
        and _iso_day(f.date_to)
    )


def _day_where(f: Filters) -> tuple[str, list]:
    where, args = [], []
    if f.date_from:
        where.append("day >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append("day <= ?")
        args.append(f.date_to)
    return " AND ".join(where) or "1", args


def country_counts(conn: sqlite3.Connection, f: Filters = Filters()) -> list[dict]:
    """Per country: articles mentioning it and total mentions, most-covered first."""
    if _unfiltered(f):  # the whole corpus: kept up to date by triggers
        rows = conn.execute(
            "SELECT iso3, articles, mentions FROM country_totals WHERE articles > 0"
            " ORDER BY 2 DESC, 3 DESC, 1"
        ).fetchall()
    elif _by_day(f):  # a date range only: sums of the days in it
        where, args = _day_where(f)
        rows = conn.execute(
            f"SELECT iso3, SUM(articles), SUM(mentions) FROM country_days WHERE {where}"
            " GROUP BY iso3 HAVING SUM(articles) > 0 ORDER BY 2 DESC, 3 DESC, 1",
            args,
        ).fetchall()
    elif (rows := _main_by_totals(conn, f)) is None:
        if f.search and (counted := _counts_by_complement(conn, f)) is not None:
            return counted
        # one pass over the rows that pass (main countries: the flags stored at ingest),
        # grouped in clustered order
        sql, args = _per_article(f)
        rows = conn.execute(
            f"SELECT iso3, COUNT(*), SUM(n) FROM ({sql}) GROUP BY iso3 ORDER BY 2 DESC, 3 DESC, 1",
            args,
        ).fetchall()
    return [{"iso3": r[0], "articles": r[1], "mentions": r[2]} for r in rows]


def _main_by_totals(conn: sqlite3.Connection, f: Filters) -> list[tuple] | None:
    """The main-country map of the whole corpus, every kind counted: ``country_main_totals``
    (kept by triggers); None for any other filters (a search is subtracted from it, see
    :func:`_counts_by_complement`)."""
    if not f.main_only or not _unfiltered(replace(f, main_only=False)):
        return None
    return conn.execute(
        "SELECT iso3, articles, mentions FROM country_main_totals WHERE articles > 0"
        " ORDER BY 2 DESC, 3 DESC, 1"
    ).fetchall()


def matching_articles(conn: sqlite3.Connection, f: Filters = Filters()) -> int:
    if f.search and not (f.date_from or f.date_to or f.sources or f.languages):
        sql, args = _search_rids(f)  # the search alone: count its articles, no lookup
        return conn.execute(f"SELECT COUNT(*) FROM ({sql})", args).fetchone()[0]
    awhere, args = _article_filter(f, complement=_by_complement(conn, f))
    return conn.execute(f"SELECT COUNT(*) FROM articles WHERE {awhere}", args).fetchone()[0]


def snippets(
    conn: sqlite3.Connection, iso3: str, f: Filters = Filters(), *, limit: int = 20, offset: int = 0
) -> list[ArticleSnippets]:
    """Articles mentioning ``iso3`` (newest first), each with its sentences, mentions marked."""
    per = _rows_where(f, prefix="p.")  # (the page is found as fast either way: no complement)
    if per is None:
        return []
    if f.main_only:
        sql, args = _per_article(f)
        arts = conn.execute(
            f"SELECT a.rid, a.id, a.title, a.published, a.source, a.url, a.path FROM ({sql}) p"
            " JOIN articles a ON a.rid = p.article WHERE p.iso3 = ?"
            " ORDER BY a.published IS NULL, a.published DESC, a.rid LIMIT ? OFFSET ?",
            args + [iso3, limit, offset],
        ).fetchall()
    else:
        where, args, _ = per
        # NULL dates sort last under DESC: index article_country_by_date walks in this order,
        # testing each row; for a rare string ("+": not by that index) its articles are looked
        # up and sorted instead (walking a country's rows for a page it cannot fill reads all)
        country = "+p.iso3" if _few(conn, f) else "p.iso3"
        arts = conn.execute(
            "SELECT a.rid, a.id, a.title, a.published, a.source, a.url, a.path"
            " FROM article_country p JOIN articles a ON a.rid = p.article"
            f" WHERE {country} = ? AND {where}"
            " ORDER BY p.published DESC, p.article LIMIT ? OFFSET ?",
            [iso3, *args, limit, offset],
        ).fetchall()
    out = []
    kinds = tuple(f.kinds) or ("",)
    for rid, aid, title, published, source, url, path in arts:
        group = ArticleSnippets(rid, aid, title, published, source, url, path)
        rows = conn.execute(
            'SELECT m.start, m."end", m.kind, m.surface, m.sent_start, m.sent_end,'
            " substr(a.text, m.sent_start + 1, m.sent_end - m.sent_start)"
            " FROM mentions m JOIN articles a ON a.rid = m.article"
            f" WHERE m.article = ? AND m.iso3 = ? AND m.kind IN ({','.join('?' * len(kinds))})"
            " ORDER BY m.start",
            [rid, iso3, *kinds],
        ).fetchall()
        by_sentence: dict[tuple[int, int], Snippet] = {}
        for start, end, kind, surface, s0, s1, sentence in rows:
            snip = by_sentence.get((s0, s1))
            if snip is None:
                snip = by_sentence[(s0, s1)] = Snippet(sentence, [], [])
            snip.highlights.append((start - s0, end - s0))
            snip.kinds.append((kind, surface))
        group.snippets = list(by_sentence.values())
        out.append(group)
    return out


def stats(conn: sqlite3.Connection) -> dict:
    """Corpus figures: articles, mentions, countries, sources and the date span."""
    # each figure from an index or a summary table (no full scan of a big table)
    articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    first = conn.execute("SELECT MIN(published) FROM articles").fetchone()[0]
    last = conn.execute("SELECT MAX(published) FROM articles").fetchone()[0]
    mentions, countries = conn.execute(
        "SELECT COALESCE(SUM(mentions), 0), COUNT(*) FROM country_totals WHERE articles > 0"
    ).fetchone()
    return {
        "articles": articles,
        "mentions": mentions,
        "countries": countries,
        "sources": len(sources(conn)),
        "first_published": first,
        "last_published": last,
    }


def sources(conn: sqlite3.Connection) -> list[str]:
    # a skip-scan of the articles_by_source index: one seek per distinct source
    return [
        r[0]
        for r in conn.execute(
            "WITH RECURSIVE s(x) AS (SELECT MIN(source) FROM articles"
            " UNION ALL SELECT (SELECT MIN(source) FROM articles WHERE source > s.x) FROM s"
            " WHERE s.x IS NOT NULL) SELECT x FROM s WHERE x IS NOT NULL"
        )
    ]


def languages(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL AND language != ''"
            " ORDER BY 1"
        )
    ]


def date_span(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """First and last publication day (``YYYY-MM-DD``) in the corpus, or ``(None, None)``."""
    day = "published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
    lo, hi = conn.execute(
        f"SELECT MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM articles WHERE {day}"
    ).fetchone()
    # An impossible day ("2024-13-45") stored by an older reader: step past it (index on published).
    while lo is not None and not _real_day(lo):
        lo = conn.execute(f"SELECT MIN(substr(published, 1, 10)) FROM articles WHERE {day}"
                          " AND published > ?", (lo + "~",)).fetchone()[0]
    while hi is not None and not _real_day(hi):
        hi = conn.execute(f"SELECT MAX(substr(published, 1, 10)) FROM articles WHERE {day}"
                          " AND published < ?", (hi,)).fetchone()[0]
    return lo, hi


def _real_day(day: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


PERIODS = {"day": 10, "month": 7, "year": 4}


def period_for(first: str | None, last: str | None) -> str:
    """A time-series granularity giving a readable number of bars for the span."""
    from datetime import date

    try:
        days = (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    except (TypeError, ValueError):
        return "month"
    return "day" if days <= 120 else "month" if days <= 365 * 6 else "year"


def time_series(
    conn: sqlite3.Connection, iso3: str, f: Filters = Filters(), period: str = "month"
) -> list[dict]:
    """Per period (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``): articles mentioning ``iso3`` and
    their mentions of it. Undated articles are left out."""
    n = PERIODS[period]
    complement = _by_complement(conn, f)
    if complement and _by_day(replace(f, search=None)):
        return _series_by_complement(conn, iso3, f, n)
    per = _rows_where(f, complement=complement)
    if _by_day(f):  # the country's days: a few thousand rows whatever the corpus size
        where, args = _day_where(f)
        rows = conn.execute(
            f"SELECT substr(day, 1, {n}) AS p, SUM(articles), SUM(mentions) FROM country_days"
            f" WHERE iso3 = ? AND articles > 0 AND day GLOB '[0-9][0-9][0-9][0-9]*' AND {where}"
            " GROUP BY p ORDER BY p",
            [iso3, *args],
        ).fetchall()
    elif f.main_only or per is None:
        sql, args = _per_article(f, complement)
        rows = conn.execute(
            f"SELECT substr(a.published, 1, {n}) AS p, COUNT(*), SUM(x.n) FROM ({sql}) x"
            " JOIN articles a ON a.rid = x.article"
            " WHERE x.iso3 = ? AND a.published GLOB '[0-9][0-9][0-9][0-9]*' GROUP BY p ORDER BY p",
            args + [iso3],
        ).fetchall()
    else:  # the country's range of article_country (published is in the row): no join
        where, args, cnt = per
        rows = conn.execute(
            f"SELECT substr(published, 1, {n}) AS p, COUNT(*), SUM({cnt}) FROM article_country"
            f" WHERE iso3 = ? AND {where} AND published GLOB '[0-9][0-9][0-9][0-9]*'"
            " GROUP BY p ORDER BY p",
            [iso3, *args],
        ).fetchall()
    return [{"period": r[0], "articles": r[1], "mentions": r[2]} for r in rows]


def _series_by_complement(
    conn: sqlite3.Connection, iso3: str, f: Filters, n: int
) -> list[dict]:
    """:func:`time_series` for a string in most articles and no other filter but dates (ISO
    days): the country's days (``country_days``) less its rows in the articles without the
    string, each looked up by its key (a few times fewer than the rows of those with it)."""
    rest = replace(f, search=None)
    where, args = _day_where(rest)
    out = {p: [a, m] for p, a, m in conn.execute(
        f"SELECT substr(day, 1, {n}) AS p, SUM(articles), SUM(mentions) FROM country_days"
        f" WHERE iso3 = ? AND articles > 0 AND day GLOB '[0-9][0-9][0-9][0-9]*' AND {where}"
        " GROUP BY p",
        [iso3, *args],
    )}
    pwhere, pargs, _ = _rows_where(rest, prefix="p.")
    missing, margs = _missing_rids(f.search.lower())
    for p, articles, mentions in conn.execute(
        f"SELECT substr(p.published, 1, {n}) AS per, COUNT(*), SUM(p.n) FROM ({missing}) x"
        " CROSS JOIN article_country p ON p.iso3 = ? AND p.article = x.id"
        f" WHERE {pwhere} AND p.published GLOB '[0-9][0-9][0-9][0-9]*' GROUP BY per",
        [*margs, iso3, *pargs],
    ):
        out[p][0] -= articles
        out[p][1] -= mentions
    return [{"period": p, "articles": a, "mentions": m} for p, (a, m) in sorted(out.items())
            if a > 0]


def fill_periods(
    series: list[dict], first: str | None, last: str | None, period: str
) -> list[dict]:
    """``series`` with a zero row for every empty period from ``first`` to ``last`` (so a chart's
    gaps show as gaps, not as neighbours). Periods outside that span are kept as they are.

    >>> [r["period"] for r in fill_periods([{"period": "2024-11", "articles": 1, "mentions": 1}],
    ...                                    "2024-10-05", "2025-01-02", "month")]
    ['2024-10', '2024-11', '2024-12', '2025-01']
    """
    from datetime import date, timedelta

    if not first or not last:
        return series
    have = {r["period"]: r for r in series}
    keys = []
    try:
        a, b = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    except ValueError:
        return series
    if period == "day":
        if (b - a).days > 5000:
            return series
        keys = [(a + timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]
    elif period == "month":
        y, m = a.year, a.month
        while (y, m) <= (b.year, b.month):
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        keys = [f"{y:04d}" for y in range(a.year, b.year + 1)]
    out = [have.pop(k, {"period": k, "articles": 0, "mentions": 0}) for k in keys]
    return sorted(out + list(have.values()), key=lambda r: r["period"])


def co_mentions(
    conn: sqlite3.Connection, f: Filters = Filters(), iso3: str | None = None, *, limit: int = 20
) -> list[dict]:
    """Countries that appear in the same articles.

    With ``iso3``: the countries most often mentioned in articles where ``iso3`` passes the
    filters (``{"iso3", "articles"}``); a companion counts with any mention of a counted kind.
    Without: the most frequent pairs ``{"a", "b", "articles"}`` (``a < b``), both countries
    passing the filters (``main_only`` is ignored for pairs: a main country has no partner).
    """
    if iso3 and _unfiltered(f):  # kept by triggers
        rows = conn.execute(
            "SELECT CASE WHEN a = ? THEN b ELSE a END AS other, articles FROM country_pairs"
            " WHERE (a = ? OR b = ?) AND articles > 0 ORDER BY 2 DESC, 1 LIMIT ?",
            (iso3, iso3, iso3, limit),
        ).fetchall()
        return [{"iso3": r[0], "articles": r[1]} for r in rows]
    subtract = (
        f.search is not None
        and _unfiltered(replace(f, search=None))
        and _by_complement(conn, f)
    )
    if subtract:  # all articles' pairs (kept by triggers) less those of the articles without it
        return _co_mentions_by_complement(conn, f, iso3, limit)
    if iso3:
        complement = _by_complement(conn, f)
        left, largs = _per_article(f, complement)
        right, rargs = _per_article(
            Filters(**{**f.__dict__, "main_only": False, "min_mentions": 1}), complement
        )
        rows = conn.execute(
            f"SELECT r.iso3, COUNT(*) FROM ({left}) l JOIN ({right}) r ON r.article = l.article"
            " WHERE l.iso3 = ? AND r.iso3 != ? GROUP BY r.iso3 ORDER BY 2 DESC, 1 LIMIT ?",
            largs + rargs + [iso3, iso3, limit],
        ).fetchall()
        return [{"iso3": r[0], "articles": r[1]} for r in rows]
    if _unfiltered(Filters(**{**f.__dict__, "main_only": False})):  # kept by triggers
        rows = conn.execute(
            "SELECT a, b, articles FROM country_pairs WHERE articles > 0"
            " ORDER BY 3 DESC, 1, 2 LIMIT ?",
            (limit,),
        ).fetchall()
        return [{"a": r[0], "b": r[1], "articles": r[2]} for r in rows]
    # (no complement: joining the rows to themselves costs the time, not the search)
    per, args = _per_article(Filters(**{**f.__dict__, "main_only": False}))
    rows = conn.execute(
        f"WITH p AS MATERIALIZED ({per})"
        " SELECT l.iso3, r.iso3, COUNT(*) FROM p l JOIN p r ON r.article = l.article AND r.iso3 > l.iso3"
        " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
        args + [limit],
    ).fetchall()
    return [{"a": r[0], "b": r[1], "articles": r[2]} for r in rows]


def _co_mentions_by_complement(
    conn: sqlite3.Connection, f: Filters, iso3: str | None, limit: int
) -> list[dict]:
    """:func:`co_mentions` for a search alone, for a string in most articles: the pairs of the
    whole corpus (``country_pairs``, kept by triggers) less the pairs of the articles without
    the string (a few times fewer articles), each article's countries read together (its rows
    are next to each other in ``article_country_by_article``) and paired here."""
    total: dict[tuple[str, str], int] = {
        (a, b): n for a, b, n in conn.execute(
            "SELECT a, b, articles FROM country_pairs WHERE articles > 0"
            + (" AND (a = ? OR b = ?)" if iso3 else ""),
            (iso3, iso3) if iso3 else (),
        )
    }
    per, args = _per_article(f, missing=True)
    having = " AND SUM(iso3 = ?) > 0" if iso3 else ""
    for (countries,) in conn.execute(  # each article's countries, if more than one
        f"SELECT json_group_array(iso3) FROM ({per}) GROUP BY article HAVING COUNT(*) > 1{having}",
        args + ([iso3] if iso3 else []),
    ):
        for a, b in combinations(sorted(json.loads(countries)), 2):
            if not iso3 or iso3 in (a, b):
                total[(a, b)] -= 1
    if iso3:
        others = [(b if a == iso3 else a, n) for (a, b), n in total.items() if n > 0]
        others.sort(key=lambda r: (-r[1], r[0]))
        return [{"iso3": o, "articles": n} for o, n in others[:limit]]
    pairs = sorted(((a, b, n) for (a, b), n in total.items() if n > 0),
                   key=lambda r: (-r[2], r[0], r[1]))
    return [{"a": a, "b": b, "articles": n} for a, b, n in pairs[:limit]]


#: The articles table walks articles newest first (:func:`_newest_page`) while the articles it
#: can expect to walk before the page is full stay under this many times those passing in all
#: (what :func:`_table_by_grouping` reads instead: each walked article measured 2-4 times the
#: cost of a grouped one).
_WALK_BUDGET = 0.5


def articles_table(
    conn: sqlite3.Connection, f: Filters = Filters(), *, limit: int = 5000
) -> list[dict]:
    """Articles that pass the filters and mention a country, newest first, with their countries
    (most-mentioned first, ``ISO3:n``) and total counted mentions."""
    page = _newest_page(conn, f, limit) if _walks(conn, f, limit) else None
    if page is None:
        return _table_by_grouping(conn, f, limit)
    return _table_rows(conn, f, page)


def _walks(conn: sqlite3.Connection, f: Filters, limit: int) -> bool:
    """Whether the articles table first walks articles newest first: no search, a string in most
    articles, or one the index cannot look up (every article is tested with ``LIKE`` anyway)."""
    s = (f.search or "").lower()
    return limit >= 1 and (not s or not _indexed(s) or _common(conn, s))


def _table_by_grouping(conn: sqlite3.Connection, f: Filters, limit: int) -> list[dict]:
    """:func:`articles_table` by grouping every passing row per article, then sorting."""
    per, args = _per_article(f)
    rows = conn.execute(
        "SELECT a.rid, a.id, a.published, a.title, a.source, a.language, a.url, g.c, g.m FROM ("
        "  SELECT article, group_concat(iso3 || ':' || n, ' ') AS c, SUM(n) AS m FROM ("
        f"   SELECT article, iso3, n FROM ({per}) ORDER BY article, n DESC, iso3)"
        "  GROUP BY article) g JOIN articles a ON a.rid = g.article"
        " ORDER BY a.published IS NULL, a.published DESC, a.rid LIMIT ?",
        args + [limit],
    ).fetchall()
    return [dict(zip(_TABLE_KEYS, r, strict=True)) for r in rows]


_TABLE_KEYS = ("rid", "id", "published", "title", "source", "language", "url", "countries",
               "mentions")


def _newest_page(conn: sqlite3.Connection, f: Filters, limit: int) -> list[tuple] | None:
    """The first ``limit`` articles of :func:`articles_table` (or all there are) as rows of
    :data:`_ARTICLE_COLUMNS`: articles taken newest first (:func:`_newest_rids`) in chunks of
    what the page lacks at the share passing so far (and a margin), each chunk's articles
    tested at once (filters, a counted row, the search's exact ``LIKE`` test: no list of the
    articles holding the string). None as soon as the walk is not worth going on with
    (:func:`_worth_walking`)."""
    test = _page_test(f)
    if test is None:
        return []
    sql, args = test
    total = conn.execute("SELECT MAX(rid) FROM articles").fetchone()[0] or 0
    walk, page, walked = _newest_rids(conn, f), [], 0
    while len(page) < limit:
        need = limit - len(page)
        size = need * walked // len(page) if page else min(need, 1000)
        chunk = list(islice(walk, size + size // 4 + 16))
        if not chunk:
            break
        walked += len(chunk)
        passed = {r[0]: r for r in conn.execute(sql, [json.dumps(chunk), *args])}
        page += [passed[r] for r in chunk if r in passed][:need]
        if len(page) < limit and not _worth_walking(walked, len(page), limit, total):
            return None
    return page


def _worth_walking(walked: int, found: int, limit: int, total: int) -> bool:
    """Whether the articles table's walk should go on: the articles it can expect to walk in all
    (at the share passing so far) against ``_WALK_BUDGET`` times the articles passing in all
    (that share of ``total``, about the number of articles stored)."""
    share = found / walked
    return found > 0 and walked + (limit - found) / share <= _WALK_BUDGET * share * total


_ARTICLE_COLUMNS = "a.rid, a.id, a.published, a.title, a.source, a.language, a.url"


def _page_test(f: Filters) -> tuple[str, list] | None:
    """SELECT of :data:`_ARTICLE_COLUMNS` of the articles among a JSON list of ids that belong
    in the articles table: they pass the filters and have a row counting (so a main country
    too); None: no kind chosen."""
    n = _selected(f, "p.")
    if n is None:
        return None
    awhere, args = _article_filter(replace(f, search=None), prefix="a.")
    sql = (
        f"SELECT {_ARTICLE_COLUMNS} FROM json_each(?) j CROSS JOIN articles a ON a.rid = j.value"
        f" WHERE {awhere} AND EXISTS (SELECT 1 FROM article_country p"
        f" WHERE p.article = a.rid AND {n} >= ?)"
    )
    args = [*args, max(f.min_mentions, 1)]
    if f.search:
        sql += f" AND {_EXACT}"
        args += _like(f.search.lower())
    return sql, args


def _newest_rids(conn: sqlite3.Connection, f: Filters) -> Iterator[int]:
    """Article ids in the table's order (newest first, undated last, ties by id) from the date
    index, read as needed (only a day's articles are sorted, by id), within ``f``'s dates."""
    where, args = "published IS NOT NULL", []
    if f.date_from:
        where += " AND published >= ?"
        args.append(f.date_from)
    if (bound := _above(f.date_to)) is not None:
        where += " AND published < ?"
        args.append(bound)
    for (rid,) in conn.execute(
        f"SELECT rid FROM articles WHERE {where} ORDER BY published DESC, rid", args
    ):
        yield rid
    if not (f.date_from or f.date_to):  # (a date filter passes no undated article)
        for (rid,) in conn.execute("SELECT rid FROM articles WHERE published IS NULL ORDER BY rid"):
            yield rid


def _above(day: str | None) -> str | None:
    """A string greater than every ``published`` whose first 10 characters are at most ``day``
    (the date filter's test, see :func:`_article_filter`), so the date index can skip what
    comes after; None when there is no such bound to give (no ``day``, or longer than 10).

    >>> _above("2024-03-31")
    '2024-03-32'
    """
    if not day or len(day) > 10 or day[-1] in ("\U0010ffff", "\ud7ff"):
        return None
    return day[:-1] + chr(ord(day[-1]) + 1)


def _table_rows(conn: sqlite3.Connection, f: Filters, page: list[tuple]) -> list[dict]:
    """:func:`articles_table`'s rows for the articles ``page`` (rows of
    :data:`_ARTICLE_COLUMNS`, in order): their countries added."""
    per, args = _per_article(replace(f, search=None), among=[r[0] for r in page])
    countries: dict[int, list[str]] = {}
    mentions: dict[int, int] = {}
    for article, iso3, n in conn.execute(
        f"SELECT article, iso3, n FROM ({per}) ORDER BY article, n DESC, iso3", args
    ):
        countries.setdefault(article, []).append(f"{iso3}:{n}")
        mentions[article] = mentions.get(article, 0) + n
    return [
        dict(zip(_TABLE_KEYS, (*r, " ".join(countries[r[0]]), mentions[r[0]]), strict=True))
        for r in page
        if r[0] in countries  # (there, unless a write came in between)
    ]


@dataclass
class ArticleText:
    rid: int
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    language: str | None
    text: str
    mentions: list[dict]  # {"start", "end", "iso3", "kind", "surface"}, by offset


def article_text(
    conn: sqlite3.Connection, rid: int, kinds: tuple[str, ...] = KINDS
) -> ArticleText | None:
    """One article's clean text with every country mention of a counted kind."""
    row = conn.execute(
        "SELECT rid, id, title, published, source, url, language, text FROM articles WHERE rid = ?",
        (rid,),
    ).fetchone()
    if row is None:
        return None
    kinds = tuple(kinds) or ("",)
    ms = conn.execute(
        'SELECT start, "end", iso3, kind, surface FROM mentions WHERE article = ?'
        f' AND kind IN ({",".join("?" * len(kinds))}) ORDER BY start, "end" DESC',
        [rid, *kinds],
    ).fetchall()
    keys = ("start", "end", "iso3", "kind", "surface")
    return ArticleText(*row, mentions=[dict(zip(keys, m, strict=True)) for m in ms])


def mention_rows(
    conn: sqlite3.Connection,
    f: Filters = Filters(),
    iso3: str | None = None,
    *,
    limit: int | None = None,
) -> list[dict]:
    """Every counted mention in the filtered view (optionally of one country), with its
    article's metadata and the sentence holding it: what the mentions export writes."""
    per, args = _per_article(f)
    kinds = tuple(f.kinds) or ("",)
    sql = (
        "SELECT a.id, a.published, a.source, a.title, a.url, m.iso3, m.kind, m.surface, m.start,"
        ' m."end", m.confidence, substr(a.text, m.sent_start + 1, m.sent_end - m.sent_start)'
        f" FROM ({per}) p JOIN mentions m ON m.article = p.article AND m.iso3 = p.iso3"
        " JOIN articles a ON a.rid = p.article"
        f" WHERE m.kind IN ({','.join('?' * len(kinds))})"
    )
    args = args + list(kinds)
    if iso3:
        sql += " AND p.iso3 = ?"
        args.append(iso3)
    sql += " ORDER BY a.published IS NULL, a.published DESC, a.rid, m.start"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    keys = (
        "article_id",
        "published",
        "source",
        "title",
        "url",
        "iso3",
        "kind",
        "surface",
        "start",
        "end",
        "confidence",
        "snippet",
    )
    return [dict(zip(keys, r, strict=True)) for r in conn.execute(sql, args)]
