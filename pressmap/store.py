"""The embedded database: one SQLite file holding articles and their country mentions.

Writes are incremental and atomic per batch: an article is stored together with all its
mentions in one transaction, so a killed ingest leaves either the whole article or nothing.

>>> from pressmap.model import Article
>>> from pressmap.analysis import analyze_article
>>> s = Store(":memory:")
>>> s.put(analyze_article(Article(id="a1", text="Talks in Baku.")))
'new'
>>> s.put(analyze_article(Article(id="a1", text="Talks in Baku.")))
'unchanged'
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from pressmap.model import AnalyzedArticle, Article

DEFAULT_DB = "pressmap.db"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    path TEXT, title TEXT, published TEXT, source TEXT, url TEXT, author TEXT, language TEXT,
    text TEXT NOT NULL,
    analyzer TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    article INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    iso3 TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    surface TEXT NOT NULL, kind TEXT NOT NULL, confidence REAL NOT NULL,
    sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL
);
-- One row per (article, country, kind): what every count on the dashboard is summed from.
CREATE TABLE IF NOT EXISTS article_countries (
    article INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    iso3 TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (article, iso3, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_by_country ON mentions (iso3, article);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions (article);
CREATE INDEX IF NOT EXISTS ac_by_country ON article_countries (iso3, kind, article);
CREATE INDEX IF NOT EXISTS articles_by_date ON articles (published);
"""


def default_db_path() -> str:
    """``$PRESSMAP_DB`` or ``pressmap.db`` in the current folder."""
    return os.environ.get("PRESSMAP_DB") or DEFAULT_DB


def content_hash(article: Article) -> str:
    """Hash of everything stored about an article except its id and path."""
    h = hashlib.sha256()
    for part in (article.text, article.title, article.published, article.source, article.url,
                 article.author, article.language):
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database (WAL, foreign keys, a generous busy timeout)."""
    path = str(path)
    if readonly and path != ":memory:":
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly and path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Store:
    """Articles and mentions in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self.conn = connect(self.path)
        self.conn.executescript(SCHEMA)
        self.conn.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reads used by ingest -------------------------------------------------------------
    def stored_hash(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    # -- writes ---------------------------------------------------------------------------
    def put(self, result: AnalyzedArticle, *, analyzer: str = "", commit: bool = True) -> str:
        """Store one analysed article; returns ``new``, ``updated`` or ``unchanged``."""
        a = result.article
        h = content_hash(a)
        old = self.stored_hash(a.id)
        if old == h:
            return "unchanged"
        cur = self.conn.cursor()
        if old is not None:
            cur.execute("DELETE FROM articles WHERE id = ?", (a.id,))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        cur.execute(
            "INSERT INTO articles (id, content_hash, path, title, published, source, url, author,"
            " language, text, analyzer, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, h, a.path, a.title, a.published, a.source, a.url, a.author, a.language,
             a.text, analyzer, now),
        )
        rid = cur.lastrowid
        ms = result.mentions
        cur.executemany(
            'INSERT INTO mentions (article, iso3, start, "end", surface, kind, confidence,'
            " sent_start, sent_end) VALUES (?,?,?,?,?,?,?,?,?)",
            [(rid, m.iso3, m.start, m.end, m.surface, m.kind, m.confidence, m.sent_start,
              m.sent_end) for m in ms],
        )
        counts: dict[tuple[str, str], int] = {}
        for m in ms:
            counts[(m.iso3, m.kind)] = counts.get((m.iso3, m.kind), 0) + 1
        cur.executemany(
            "INSERT INTO article_countries (article, iso3, kind, n) VALUES (?,?,?,?)",
            [(rid, iso3, kind, n) for (iso3, kind), n in counts.items()],
        )
        if commit:
            self.conn.commit()
        return "updated" if old is not None else "new"

    def put_many(self, results: Iterable[AnalyzedArticle], *, analyzer: str = "") -> dict[str, int]:
        """Store a batch in one transaction; returns counts per outcome."""
        out = {"new": 0, "updated": 0, "unchanged": 0}
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for r in results:
                out[self.put(r, analyzer=analyzer, commit=False)] += 1
        return out
