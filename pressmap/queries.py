"""What the dashboard and the CLI ask of the database.

Every query takes a :class:`Filters`; counts are summed from ``article_countries``.

>>> from pressmap.store import Store
>>> from pressmap.analysis import analyze_article
>>> from pressmap.model import Article
>>> s = Store(":memory:"); _ = s.put(analyze_article(Article(id="1", text="Baku and Baku.")))
>>> country_counts(s.conn)
[{'iso3': 'AZE', 'articles': 1, 'mentions': 2}]
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from pressmap.model import KINDS


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = KINDS
    date_from: str | None = None  # inclusive, ISO date
    date_to: str | None = None  # inclusive, ISO date
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    search: str | None = None
    min_mentions: int = 1


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


def _article_filter(f: Filters) -> tuple[str, list]:
    where, args = [], []
    if f.date_from:
        where.append("published >= ?")
        args.append(f.date_from)
    if f.date_to:
        where.append("substr(published, 1, 10) <= ?")
        args.append(f.date_to)
    if f.sources:
        where.append(f"source IN ({','.join('?' * len(f.sources))})")
        args += list(f.sources)
    if f.languages:
        where.append(f"language IN ({','.join('?' * len(f.languages))})")
        args += list(f.languages)
    if f.search:
        where.append("(instr(lower(title), ?) > 0 OR instr(lower(text), ?) > 0)")
        args += [f.search.lower(), f.search.lower()]
    return (" AND ".join(where) or "1"), args


def _per_article(f: Filters) -> tuple[str, list]:
    """SQL for (article, iso3, n) rows that pass the filters."""
    awhere, args = _article_filter(f)
    kinds = tuple(f.kinds) or ("",)
    sql = (
        "SELECT ac.article AS article, ac.iso3 AS iso3, SUM(ac.n) AS n FROM article_countries ac"
        f" WHERE ac.kind IN ({','.join('?' * len(kinds))})"
    )
    args = list(kinds) + args
    if awhere != "1":
        sql += f" AND ac.article IN (SELECT rid FROM articles WHERE {awhere})"
    sql += " GROUP BY ac.article, ac.iso3"
    if f.min_mentions > 1:
        sql += " HAVING SUM(ac.n) >= ?"
        args.append(f.min_mentions)
    return sql, args


def country_counts(conn: sqlite3.Connection, f: Filters = Filters()) -> list[dict]:
    """Per country: articles mentioning it and total mentions, most-covered first."""
    sql, args = _per_article(f)
    rows = conn.execute(
        f"SELECT iso3, COUNT(*), SUM(n) FROM ({sql}) GROUP BY iso3 ORDER BY 2 DESC, 3 DESC, 1",
        args,
    ).fetchall()
    return [{"iso3": r[0], "articles": r[1], "mentions": r[2]} for r in rows]


def matching_articles(conn: sqlite3.Connection, f: Filters = Filters()) -> int:
    awhere, args = _article_filter(f)
    return conn.execute(f"SELECT COUNT(*) FROM articles WHERE {awhere}", args).fetchone()[0]


def snippets(
    conn: sqlite3.Connection, iso3: str, f: Filters = Filters(), *, limit: int = 20, offset: int = 0
) -> list[ArticleSnippets]:
    """Articles mentioning ``iso3`` (newest first), each with its sentences, mentions marked."""
    sql, args = _per_article(f)
    arts = conn.execute(
        f"SELECT a.rid, a.id, a.title, a.published, a.source, a.url, a.path FROM ({sql}) p"
        " JOIN articles a ON a.rid = p.article WHERE p.iso3 = ?"
        " ORDER BY a.published IS NULL, a.published DESC, a.rid LIMIT ? OFFSET ?",
        args + [iso3, limit, offset],
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
    articles, sources, first, last = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT source), MIN(published), MAX(published) FROM articles"
    ).fetchone()
    mentions, countries = conn.execute(
        "SELECT COALESCE(SUM(n), 0), COUNT(DISTINCT iso3) FROM article_countries"
    ).fetchone()
    return {
        "articles": articles,
        "mentions": mentions,
        "countries": countries,
        "sources": sources,
        "first_published": first,
        "last_published": last,
    }


def sources(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY 1")]
