"""The embedded database: one SQLite file holding articles and their country mentions.

Writes are incremental and atomic per batch: an article is stored together with all its
mentions in one transaction, so a killed ingest leaves either the whole article or nothing.

Layout (schema version 7; older files are migrated in place when opened):

- ``articles``: one row per article (text, metadata, content hash); indexed by date, source and
  language; ``articles_fts`` is an FTS5 trigram index over title and text with positions
  (``detail=full``): a search for a string of 3+ characters is a phrase query (the string's
  trigrams in a row, ASCII and other letters folded to lower case), which for an ASCII string is
  the exact substring test, answered without reading any text. New articles are indexed in bulk
  (:meth:`Store.index_text`, every 20,000 articles and at the end of an ingest); until then they
  wait in ``fts_pending`` and searches test them directly, as they test the articles in
  ``fts_recheck`` (a title or text holding a character the index folds to an ASCII letter where
  ``LIKE`` does not: ``ſ``, the Kelvin sign; kept by triggers).
- ``mentions``: one row per country mention (offsets, sentence, kind, confidence), indexed by
  (article, country).
- ``article_country``: one row per (article, country), clustered by country, with the article's
  ``published``/``source``/``language`` copied in, the mention count per kind (``n_<kind>``), their
  total ``n`` and a ``kinds`` bitmask over :data:`pressmap.model.KINDS`, and whether the country
  is a main country of its article: ``main_sets`` for every selection of kinds
  (:func:`selection_bit`), ``main`` for all of them (with a partial index and
  ``country_main_totals`` kept by triggers). Every dashboard count is one pass over the rows of
  this table that pass the filters, with no join and no ``GROUP BY`` per article; one country's
  rows are a contiguous range (snippets, time series).
- ``country_totals``: per country, articles and mentions over the whole corpus, and
  ``country_pairs``: per pair of countries, the articles naming both; both kept by triggers on
  ``article_country``: the unfiltered map and co-mention view are read without scanning anything;
  ``country_days``: per country and publication day, articles and mentions (triggers too): time
  series and date-range maps over all kinds read it instead of every article.

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
import logging
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pressmap.model import KINDS, AnalyzedArticle, Article

DEFAULT_DB = "pressmap.db"
SCHEMA_VERSION = 7

#: ``article_country`` column holding the mention count of each kind.
KIND_COLUMNS = {k: f"n_{k}" for k in KINDS}
#: bit of each kind in ``article_country.kinds``.
KIND_BITS = {k: 1 << i for i, k in enumerate(KINDS)}
#: Every selection of kinds, as the sum of their :data:`KIND_BITS` (1 to 63).
SELECTIONS = range(1, 1 << len(KINDS))
ALL_KINDS = SELECTIONS[-1]


def selection_bit(kinds: Iterable[str]) -> int:
    """The bit of ``article_country.main_sets`` for the selection ``kinds`` (the row is a main
    country of its article when those kinds count), 0 for none.

    >>> selection_bit(["name"]), selection_bit(KINDS) == 1 << (ALL_KINDS - 1)
    (1, True)
    """
    sel = sum(KIND_BITS[k] for k in set(kinds) if k in KIND_BITS)
    return 1 << (sel - 1) if sel else 0


#: ``main_sets`` bit of every kind counted: the ``main`` flag.
EVERY_KIND_BIT = selection_bit(KINDS)

#: Characters the trigram index folds to an ASCII letter (``ſ`` to s, the Kelvin sign to k) where
#: ``LIKE`` does not: articles holding one are listed in ``fts_recheck``.
FOLDED_TO_ASCII = "\u017f\u212a"


def _folded(row: str) -> str:
    """SQL: whether ``row``'s title or text holds a character of :data:`FOLDED_TO_ASCII`."""
    return " OR ".join(
        f"instr({row}.{col}, char({ord(c)}))" for col in ("title", "text") for c in FOLDED_TO_ASCII
    )


_SCHEMA_BASE = """
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
CREATE INDEX IF NOT EXISTS mentions_by_country ON mentions (iso3, article);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions (article);
CREATE INDEX IF NOT EXISTS articles_by_date ON articles (published);
"""
# One row per (article, country, kind): versions 1 to 4 (article_country replaced it in 2).
_ARTICLE_COUNTRIES = """
CREATE TABLE IF NOT EXISTS article_countries (
    article INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    iso3 TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (article, iso3, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ac_by_country ON article_countries (iso3, kind, article);
"""
#: The version-1 layout (what the migration tests start from).
SCHEMA_V1 = _SCHEMA_BASE + _ARTICLE_COUNTRIES

_KIND_COLS_SQL = ",\n    ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in KIND_COLUMNS.values())

SCHEMA_V2 = f"""
-- what the queries look mentions up by: one article's (and one country's in it)
DROP INDEX IF EXISTS mentions_by_country;
DROP INDEX IF EXISTS mentions_by_article;
CREATE INDEX IF NOT EXISTS mentions_by_article_country ON mentions (article, iso3);
-- the version-1 table, replaced by article_country (dropped in version 5)
DROP TABLE IF EXISTS article_countries;
CREATE INDEX IF NOT EXISTS articles_by_source ON articles (source);
CREATE INDEX IF NOT EXISTS articles_by_language ON articles (language);
-- One row per (article, country): what every dashboard count is summed from.
CREATE TABLE IF NOT EXISTS article_country (
    iso3 TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    published TEXT, source TEXT, language TEXT,
    kinds INTEGER NOT NULL,
    n INTEGER NOT NULL,
    {_KIND_COLS_SQL},
    main INTEGER NOT NULL DEFAULT 0,
    main_sets INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (iso3, article)
) WITHOUT ROWID;
-- one article's rows; with n, the rows of the articles a search leaves out, without the table
CREATE INDEX IF NOT EXISTS article_country_by_article ON article_country (article, n);
-- newest first within a country: snippets pages and date ranges walk this index
CREATE INDEX IF NOT EXISTS article_country_by_date ON article_country (iso3, published DESC, article);
-- the main countries of each article (every kind counted): the main-country map reads only these
CREATE INDEX IF NOT EXISTS article_country_main ON article_country (iso3, n, article) WHERE main = 1;
CREATE TABLE IF NOT EXISTS country_totals (
    iso3 TEXT PRIMARY KEY, articles INTEGER NOT NULL, mentions INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS article_country_ins AFTER INSERT ON article_country BEGIN
    INSERT INTO country_totals VALUES (new.iso3, 1, new.n)
    ON CONFLICT (iso3) DO UPDATE SET articles = articles + 1, mentions = mentions + new.n;
END;
CREATE TRIGGER IF NOT EXISTS article_country_del AFTER DELETE ON article_country BEGIN
    UPDATE country_totals SET articles = articles - 1, mentions = mentions - old.n
    WHERE iso3 = old.iso3;
END;
-- per country, the articles it is a main country of (every kind counted): the main-country map
CREATE TABLE IF NOT EXISTS country_main_totals (
    iso3 TEXT PRIMARY KEY, articles INTEGER NOT NULL, mentions INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS article_country_main_ins AFTER INSERT ON article_country
WHEN new.main = 1 BEGIN
    INSERT INTO country_main_totals VALUES (new.iso3, 1, new.n)
    ON CONFLICT (iso3) DO UPDATE SET articles = articles + 1, mentions = mentions + new.n;
END;
CREATE TRIGGER IF NOT EXISTS article_country_main_del AFTER DELETE ON article_country
WHEN old.main = 1 BEGIN
    UPDATE country_main_totals SET articles = articles - 1, mentions = mentions - old.n
    WHERE iso3 = old.iso3;
END;
-- per pair of countries (a < b), the articles naming both: the unfiltered co-mention view
CREATE TABLE IF NOT EXISTS country_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, articles INTEGER NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS article_country_pairs_ins AFTER INSERT ON article_country BEGIN
    INSERT INTO country_pairs (a, b, articles)
    SELECT min(new.iso3, o.iso3), max(new.iso3, o.iso3), 1 FROM article_country o
    WHERE o.article = new.article AND o.iso3 != new.iso3
    ON CONFLICT (a, b) DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER IF NOT EXISTS article_country_pairs_del AFTER DELETE ON article_country BEGIN
    UPDATE country_pairs SET articles = articles - 1
    WHERE (a, b) IN (SELECT min(old.iso3, o.iso3), max(old.iso3, o.iso3) FROM article_country o
                     WHERE o.article = old.article AND o.iso3 != old.iso3);
END;
-- per country and publication day (undated articles left out): time series and date ranges
CREATE TABLE IF NOT EXISTS country_days (
    iso3 TEXT NOT NULL, day TEXT NOT NULL, articles INTEGER NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (iso3, day)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS article_country_days_ins AFTER INSERT ON article_country
WHEN new.published IS NOT NULL BEGIN
    INSERT INTO country_days VALUES (new.iso3, substr(new.published, 1, 10), 1, new.n)
    ON CONFLICT (iso3, day) DO UPDATE SET articles = articles + 1, mentions = mentions + new.n;
END;
CREATE TRIGGER IF NOT EXISTS article_country_days_del AFTER DELETE ON article_country
WHEN old.published IS NOT NULL BEGIN
    UPDATE country_days SET articles = articles - 1, mentions = mentions - old.n
    WHERE iso3 = old.iso3 AND day = substr(old.published, 1, 10);
END;
-- positions (detail=full): a phrase query is the exact substring test for an ASCII string
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rid', tokenize='trigram', detail=full
);
-- new articles wait here to be indexed in bulk (Store.index_text): indexing each one as it
-- is written costs more than all the rest of a write; searches also scan the waiting ones
CREATE TABLE IF NOT EXISTS fts_pending (rid INTEGER PRIMARY KEY);
-- articles holding a character the index folds to an ASCII letter where LIKE does not
CREATE TABLE IF NOT EXISTS fts_recheck (rid INTEGER PRIMARY KEY);
DROP TRIGGER IF EXISTS articles_fts_ins;
DROP TRIGGER IF EXISTS articles_fts_del;
DROP TRIGGER IF EXISTS articles_fts_pending;
DROP TRIGGER IF EXISTS articles_fts_delete;
CREATE TRIGGER articles_fts_pending AFTER INSERT ON articles BEGIN
    INSERT INTO fts_pending VALUES (new.rid);
    INSERT INTO fts_recheck SELECT new.rid WHERE {_folded("new")};
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    SELECT 'delete', old.rid, old.title, old.text
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
    DELETE FROM fts_pending WHERE rid = old.rid;
    DELETE FROM fts_recheck WHERE rid = old.rid;
END;
"""

SCHEMA = _SCHEMA_BASE + SCHEMA_V2

_KIND_SUMS = ", ".join(f"SUM(m.kind = '{k}')" for k in KINDS)
_KIND_MASK = " | ".join(
    f"MAX(CASE WHEN m.kind = '{k}' THEN {b} ELSE 0 END)" for k, b in KIND_BITS.items()
)
# article_country's counts, from mentions: (iso3, article, kinds, n, n_<kind>...)
_COUNTS_FROM_MENTIONS = (
    f"SELECT m.iso3, m.article, {_KIND_MASK}, COUNT(*), {_KIND_SUMS} FROM mentions m"
    " GROUP BY m.iso3, m.article"
)
# Fill article_country from mentions (migration of a v1 file; its triggers fill the summaries).
_FILL_ARTICLE_COUNTRY = f"""
INSERT INTO article_country (iso3, article, kinds, n, {", ".join(KIND_COLUMNS.values())},
                             published, source, language)
SELECT c.*, a.published, a.source, a.language
FROM ({_COUNTS_FROM_MENTIONS}) c JOIN articles a ON a.rid = c.article;
"""
def main_rows_sql(rows: str, kind_test: str = "") -> str:
    """SQL of the main (article, iso3, n) among ``rows`` (a SELECT of article, iso3, n): each
    article's most-mentioned countries; among them, those named in its title (a mention of
    theirs, ``kind_test`` passing, found in it) if any is. Window functions, one sort: each
    article's rows by ``n`` descending give its top count and whether another row ties it; only
    tied rows are looked for in the title, and only they are grouped again. Stored per
    selection of kinds as article_country.main_sets (version 7; see :data:`_MAIN_SETS`).

    >>> "PARTITION BY article" in main_rows_sql("SELECT article, iso3, n FROM article_country")
    True
    """
    return (
        f"WITH p AS MATERIALIZED ({rows}),"
        " w AS MATERIALIZED (SELECT article, iso3, n, FIRST_VALUE(n) OVER a AS best,"
        "   NTH_VALUE(n, 2) OVER a AS second FROM p WINDOW a AS (PARTITION BY article"
        "   ORDER BY n DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),"
        " t AS (SELECT article, iso3, n, EXISTS (SELECT 1 FROM mentions m"
        "   JOIN articles a ON a.rid = m.article WHERE m.article = w.article"
        f"   AND m.iso3 = w.iso3 {kind_test} AND instr(a.title, m.surface) > 0) AS in_title"
        "   FROM w WHERE n = best AND second = best),"
        " u AS (SELECT article, iso3, n, in_title,"
        "   MAX(in_title) OVER (PARTITION BY article) AS any_title FROM t)"
        " SELECT article, iso3, n FROM w WHERE n = best AND second IS NOT best"
        " UNION ALL SELECT article, iso3, n FROM u WHERE in_title OR NOT any_title"
    )


def _selection_rows(sel: int) -> str:
    """``main_rows_sql`` for the selection of kinds ``sel`` (a sum of :data:`KIND_BITS`)."""
    kinds = [k for k in KINDS if KIND_BITS[k] & sel]
    n = " + ".join(KIND_COLUMNS[k] for k in kinds)
    return main_rows_sql(
        f"SELECT article, iso3, {n} AS n FROM article_country WHERE {n} >= 1",
        "AND m.kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")",
    )


#: (article, iso3, main_sets) by :func:`main_rows_sql`, for each selection of kinds: what
#: ``put`` stores (computed in Python there), filled in SQL for older files and checked.
_MAIN_SETS = (
    "SELECT article, iso3, SUM(bit) AS bits FROM ("
    + " UNION ALL ".join(
        f"SELECT article, iso3, {1 << (sel - 1)} AS bit FROM ({_selection_rows(sel)})"
        for sel in SELECTIONS
    )
    + ") GROUP BY article, iso3"
)
# The main countries of every row, for older files: main_sets, then main (every kind) from it.
_FILL_MAIN = f"""
DROP TABLE IF EXISTS temp.pressmap_sets;
CREATE TEMP TABLE pressmap_sets AS {_MAIN_SETS};
UPDATE article_country SET main_sets = 0 WHERE main_sets != 0;
UPDATE article_country SET main_sets = s.bits FROM temp.pressmap_sets s
WHERE s.article = article_country.article AND s.iso3 = article_country.iso3;
DROP TABLE temp.pressmap_sets;
UPDATE article_country SET main = (main_sets & {EVERY_KIND_BIT}) != 0;
DELETE FROM country_main_totals;
INSERT INTO country_main_totals
SELECT iso3, COUNT(*), SUM(n) FROM article_country WHERE main = 1 GROUP BY iso3;
"""
# Index every article's text anew (and list those to recheck).
_REBUILD_TEXT_INDEX = f"""
DELETE FROM fts_pending;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
DELETE FROM fts_recheck;
INSERT INTO fts_recheck SELECT rid FROM articles a WHERE {_folded("a")};
"""


# For the kinds present in one row (a sum of KIND_BITS): the selections counting one of them.
_SELECTIONS_MET = [
    sum(1 << (sel - 1) for sel in SELECTIONS if sel & present) for present in range(ALL_KINDS + 1)
]


def _main_sets(per_country: dict[str, list[int]], mentions: list[tuple],
               title: str | None) -> dict[str, int]:
    """``article_country.main_sets`` of one article's rows: bit ``sel - 1`` set where the row
    is a main country when the kinds of selection ``sel`` count: among the countries with a
    mention of those kinds, the most-mentioned; among them those named in the title (a mention
    of theirs of those kinds found in it), if any is. ``per_country`` maps ISO3 to its
    ``article_country`` counts (``[kinds, n, per kind...]``), ``mentions`` are tuples (ISO3
    first, surface fourth, kind fifth).

    >>> sets = _main_sets({"FRA": [1, 2, 2, 0, 0, 0, 0, 0], "DEU": [5, 2, 1, 0, 1, 0, 0, 0]},
    ...                   [("DEU", 0, 6, "German", "demonym")], "German talks")
    >>> [c for c, b in sorted(sets.items()) if b & selection_bit(KINDS)]  # tied: the title's
    ['DEU']
    >>> [c for c, b in sorted(sets.items()) if b & selection_bit(["name"])]
    ['FRA']
    """
    if len(per_country) == 1:  # the only country: main wherever one of its kinds counts
        ((iso3, row),) = per_country.items()
        return {iso3: _SELECTIONS_MET[row[0]]}
    named: dict[str, int] = {}  # kinds of each country's mentions found in the title
    if title:
        for m in mentions:
            if m[3] in title:
                named[m[0]] = named.get(m[0], 0) | KIND_BITS.get(m[4], 0)
    sums = []  # per country, its count for every selection (one addition each)
    for iso3, row in per_country.items():
        by_sel = [0] * (ALL_KINDS + 1)
        for sel in SELECTIONS:
            low = sel & -sel
            by_sel[sel] = by_sel[sel ^ low] + row[1 + low.bit_length()]
        sums.append((iso3, by_sel))
    out = dict.fromkeys(per_country, 0)
    for sel in SELECTIONS:
        best, top = 0, []
        for iso3, by_sel in sums:
            v = by_sel[sel]
            if v > best:
                best, top = v, [iso3]
            elif v == best and v:
                top.append(iso3)
        if len(top) > 1:
            top = [c for c in top if named.get(c, 0) & sel] or top
        for iso3 in top:
            out[iso3] |= 1 << (sel - 1)
    return out


def rebuild_summaries(conn: sqlite3.Connection) -> None:
    """Recompute ``article_country``, ``country_totals`` and the text index from ``articles`` and
    ``mentions`` (for code that copies rows in SQL, e.g. a benchmark replicating a corpus,
    instead of going through :meth:`Store.put`). One transaction."""
    with conn:
        conn.execute("DELETE FROM article_country")
        conn.execute("DELETE FROM country_totals")
        conn.execute("DELETE FROM country_pairs")
        conn.execute("DELETE FROM country_days")
        for stmt in _statements(
            _FILL_ARTICLE_COUNTRY + _FILL_MAIN + _REBUILD_TEXT_INDEX
        ):
            conn.execute(stmt)


# Version 2 files (this layout without country_days) gain it.
_MIGRATE_V2 = """
INSERT INTO country_days
SELECT iso3, substr(published, 1, 10), COUNT(*), SUM(n) FROM article_country
WHERE published IS NOT NULL GROUP BY 1, 2;
"""


def default_db_path() -> str:
    """``$PRESSMAP_DB`` or ``pressmap.db`` in the current folder."""
    return os.environ.get("PRESSMAP_DB") or DEFAULT_DB


def content_hash(article: Article) -> str:
    """Hash of everything stored about an article except its id and path."""
    h = hashlib.sha256()
    for part in (
        article.text,
        article.title,
        article.published,
        article.source,
        article.url,
        article.author,
        article.language,
    ):
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _schema_version(conn: sqlite3.Connection) -> int | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no meta table: a new (or foreign) file
        return None
    return int(row[0]) if row else None


def _ours_or_empty(conn: sqlite3.Connection) -> bool:
    """True for a pressmap database or a file with no tables yet (never another program's)."""
    if _schema_version(conn) is not None:
        return True
    return conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database (WAL, foreign keys, a generous busy timeout).

    A read-only open of a file written by an older pressmap first migrates it (when the file is
    writable), so the dashboard's queries find the current layout.
    """
    path = str(path)
    if readonly and path != ":memory:":
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False
        )
        version = _schema_version(conn)
        if version is not None and version < SCHEMA_VERSION and os.access(path, os.W_OK):
            conn.close()
            Store(path).close()
            conn = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False
            )
        if os.access(path, os.W_OK):
            # A mode=ro connection cannot take part in WAL's shared memory properly: once the
            # writer exits and removes the -wal/-shm files, a long-lived process that opened the
            # file read-only can keep seeing an old snapshot. Read through an ordinary
            # connection that refuses writes instead.
            conn.close()
            conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
    else:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly and path != ":memory:" and _ours_or_empty(conn):
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Create the tables, or bring an older file up to :data:`SCHEMA_VERSION`, in one transaction."""
    if _schema_version(conn) == SCHEMA_VERSION:  # the common case: no write lock taken
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _schema_version(conn)
        if version == SCHEMA_VERSION:
            conn.rollback()
            return
        if version is None and not _ours_or_empty(conn):
            names = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 5")]
            raise RuntimeError(
                "not a pressmap database (another program's SQLite file? it holds tables "
                f"{', '.join(names) or 'of its own'}); the file was left untouched"
            )
        if version is not None and version > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema version {version} is newer than this pressmap "
                f"({SCHEMA_VERSION}): upgrade pressmap"
            )
        if version is not None and 2 <= version < 6 and "main" not in {
            r[1] for r in conn.execute("PRAGMA table_info(article_country)")
        }:  # main countries: version 6
            conn.execute("ALTER TABLE article_country ADD COLUMN main INTEGER NOT NULL DEFAULT 0")
        if version is not None and 2 <= version < 7 and "main_sets" not in {
            r[1] for r in conn.execute("PRAGMA table_info(article_country)")
        }:  # main countries of every selection of kinds: version 7
            conn.execute(
                "ALTER TABLE article_country ADD COLUMN main_sets INTEGER NOT NULL DEFAULT 0"
            )
        if version is not None and version < 5:  # made anew below, as version 5 has them
            n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            if n >= 20_000:  # about 6 minutes per million articles here: say why it waits
                logging.getLogger("pressmap").warning(
                    "upgrading the database from schema %s to %s: rebuilding the text index of"
                    " %s articles (a few minutes per million; once)", version, SCHEMA_VERSION, n)
            conn.execute("DROP TABLE IF EXISTS articles_fts")  # had no positions
            conn.execute("DROP INDEX IF EXISTS article_country_by_article")  # had no n
        for stmt in _statements(SCHEMA):
            conn.execute(stmt)
        if version is not None and version < 2:
            for stmt in _statements(_FILL_ARTICLE_COUNTRY):  # its triggers fill the summaries
                conn.execute(stmt)
        elif version == 2:
            for stmt in _statements(_MIGRATE_V2):
                conn.execute(stmt)
        if version is not None and version < 7:  # main countries: versions 6 and 7
            n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            if n >= 20_000:
                logging.getLogger("pressmap").warning(
                    "upgrading the database to schema %s: the main countries of every selection"
                    " of kinds, for %s articles (about two minutes per million; once)",
                    SCHEMA_VERSION, n)
            for stmt in _statements(_FILL_MAIN):
                conn.execute(stmt)
        if version is not None and version < 5:
            for stmt in _statements(_REBUILD_TEXT_INDEX):
                conn.execute(stmt)
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _statements(script: str) -> list[str]:
    """Split a script into statements (triggers hold ``;`` inside ``BEGIN ... END``)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


class Store:
    """Articles and mentions in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self.conn = connect(self.path)
        _migrate(self.conn)

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
    def put(
        self,
        result: AnalyzedArticle,
        *,
        analyzer: str = "",
        commit: bool = True,
        hash_: str | None = None,
    ) -> str:
        """Store one analysed article; returns ``new``, ``updated`` or ``unchanged``."""
        rows = [
            (m.iso3, m.start, m.end, m.surface, m.kind, m.confidence, m.sent_start, m.sent_end)
            for m in result.mentions
        ]
        return self.put_rows(result.article, rows, analyzer=analyzer, commit=commit, hash_=hash_)

    def _same_mentions(self, article_id: str, mentions: list[tuple]) -> bool:
        stored = self.conn.execute(
            'SELECT m.iso3, m.start, m."end", m.surface, m.kind, m.confidence, m.sent_start,'
            " m.sent_end FROM mentions m JOIN articles a ON a.rid = m.article WHERE a.id = ?",
            (article_id,),
        ).fetchall()
        return sorted(stored) == sorted(tuple(m) for m in mentions)

    def put_rows(
        self,
        a: Article,
        mentions: list[tuple],
        *,
        analyzer: str = "",
        commit: bool = True,
        hash_: str | None = None,
        force: bool = False,
    ) -> str:
        """:meth:`put` with the mentions as tuples ``(iso3, start, end, surface, kind,
        confidence, sent_start, sent_end)`` (what ingest workers send back).

        ``force``: an article whose content is unchanged is still rewritten when its mentions
        differ from the stored ones (re-analysis after a gazetteer or overrides change)."""
        h = hash_ or content_hash(a)
        old = self.stored_hash(a.id)
        if old == h and (not force or self._same_mentions(a.id, mentions)):
            return "unchanged"
        cur = self.conn.cursor()
        if old is not None:
            rid = cur.execute("SELECT rid FROM articles WHERE id = ?", (a.id,)).fetchone()[0]
            # children first (explicitly, so the totals triggers see every row go)
            cur.execute("DELETE FROM article_country WHERE article = ?", (rid,))
            cur.execute("DELETE FROM articles WHERE rid = ?", (rid,))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cur.execute(
            "INSERT INTO articles (id, content_hash, path, title, published, source, url, author,"
            " language, text, analyzer, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.id,
                h,
                a.path,
                a.title,
                a.published,
                a.source,
                a.url,
                a.author,
                a.language,
                a.text,
                analyzer,
                now,
            ),
        )
        rid = cur.lastrowid
        cur.executemany(
            'INSERT INTO mentions (article, iso3, start, "end", surface, kind, confidence,'
            " sent_start, sent_end) VALUES (?,?,?,?,?,?,?,?,?)",
            [(rid, *m) for m in mentions],
        )
        counts: dict[tuple[str, str], int] = {}
        for m in mentions:
            counts[(m[0], m[4])] = counts.get((m[0], m[4]), 0) + 1
        per_country: dict[str, list[int]] = {}
        for (iso3, kind), n in counts.items():
            row = per_country.setdefault(iso3, [0] * (len(KINDS) + 2))
            if kind in KIND_BITS:
                row[0] |= KIND_BITS[kind]
                row[2 + KINDS.index(kind)] += n
            row[1] += n
        sets = _main_sets(per_country, mentions, a.title)
        cur.executemany(
            "INSERT INTO article_country (iso3, article, published, source, language, kinds, n, "
            f"{', '.join(KIND_COLUMNS.values())}, main, main_sets)"
            f" VALUES (?,?,?,?,?{',?' * (len(KINDS) + 4)})",
            [
                (iso3, rid, a.published, a.source, a.language, *row,
                 sets[iso3] & EVERY_KIND_BIT > 0, sets[iso3])
                for iso3, row in per_country.items()
            ],
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

    def index_text(self, per_transaction: int = 20000) -> int:
        """Add the articles waiting in ``fts_pending`` to the text index, a transaction per
        ``per_transaction`` articles; returns how many were indexed."""
        done = 0
        while True:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                rids = [r[0] for r in self.conn.execute(
                    "SELECT rid FROM fts_pending ORDER BY rid LIMIT ?", (per_transaction,))]
                if not rids:
                    return done
                lo, hi = rids[0], rids[-1]
                self.conn.execute(
                    "INSERT INTO articles_fts (rowid, title, text) SELECT a.rid, a.title, a.text"
                    " FROM fts_pending p JOIN articles a ON a.rid = p.rid"
                    " WHERE p.rid BETWEEN ? AND ?", (lo, hi))
                self.conn.execute("DELETE FROM fts_pending WHERE rid BETWEEN ? AND ?", (lo, hi))
            done += len(rids)

    def pending_text(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM fts_pending").fetchone()[0]

    def check(self) -> list[str]:
        """Consistency problems (empty when the file is sound): integrity, and every summary
        table agreeing with ``mentions``. Indexes the articles waiting for the text index first
        (the index is checked against every article)."""
        c = self.conn
        self.index_text()
        problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
        counts = f"iso3, article, kinds, n, {', '.join(KIND_COLUMNS.values())}"
        checks = {
            "article_country differs from mentions": f"{_COUNTS_FROM_MENTIONS}"
            f" EXCEPT SELECT {counts} FROM article_country",
            "article_country rows without mentions": f"SELECT {counts} FROM article_country"
            f" EXCEPT {_COUNTS_FROM_MENTIONS}",
            "article_country metadata differs from articles": "SELECT 1 FROM article_country ac JOIN articles a ON a.rid = ac.article"
            " WHERE ac.published IS NOT a.published OR ac.source IS NOT a.source"
            " OR ac.language IS NOT a.language",
            "country_totals differ": "SELECT iso3, COUNT(*), SUM(n) FROM article_country GROUP BY 1"
            " EXCEPT SELECT iso3, articles, mentions FROM country_totals WHERE articles > 0",
            "country_totals has extra rows": "SELECT iso3, articles, mentions FROM country_totals WHERE articles > 0"
            " EXCEPT SELECT iso3, COUNT(*), SUM(n) FROM article_country GROUP BY 1",
            "country_pairs differ": "SELECT x.iso3, y.iso3, COUNT(*) FROM article_country x JOIN article_country y"
            " ON y.article = x.article AND y.iso3 > x.iso3 GROUP BY 1, 2"
            " EXCEPT SELECT a, b, articles FROM country_pairs WHERE articles > 0",
            "country_pairs has extra rows": "SELECT a, b, articles FROM country_pairs WHERE articles > 0 EXCEPT"
            " SELECT x.iso3, y.iso3, COUNT(*) FROM article_country x JOIN article_country y"
            " ON y.article = x.article AND y.iso3 > x.iso3 GROUP BY 1, 2",
            "country_days differ": "SELECT iso3, substr(published, 1, 10), COUNT(*), SUM(n) FROM article_country"
            " WHERE published IS NOT NULL GROUP BY 1, 2"
            " EXCEPT SELECT iso3, day, articles, mentions FROM country_days WHERE articles > 0",
            "country_days has extra rows": "SELECT iso3, day, articles, mentions FROM country_days WHERE articles > 0 EXCEPT"
            " SELECT iso3, substr(published, 1, 10), COUNT(*), SUM(n) FROM article_country"
            " WHERE published IS NOT NULL GROUP BY 1, 2",
            "article_country main_sets differ": f"SELECT article, iso3, bits FROM ({_MAIN_SETS})"
            " EXCEPT SELECT article, iso3, main_sets FROM article_country WHERE main_sets != 0",
            "article_country has extra main_sets": "SELECT article, iso3, main_sets"
            f" FROM article_country WHERE main_sets != 0 EXCEPT SELECT * FROM ({_MAIN_SETS})",
            "main differs from main_sets": "SELECT 1 FROM article_country"
            f" WHERE main != ((main_sets & {EVERY_KIND_BIT}) != 0)",
            "country_main_totals differ": "SELECT iso3, COUNT(*), SUM(n) FROM article_country"
            " WHERE main = 1 GROUP BY 1 EXCEPT SELECT iso3, articles, mentions"
            " FROM country_main_totals WHERE articles > 0",
            "country_main_totals has extra rows": "SELECT iso3, articles, mentions"
            " FROM country_main_totals WHERE articles > 0 EXCEPT SELECT iso3, COUNT(*), SUM(n)"
            " FROM article_country WHERE main = 1 GROUP BY 1",
            "orphan mentions": "SELECT 1 FROM mentions WHERE article NOT IN (SELECT rid FROM articles)",
            "articles waiting for the text index are missing":
                "SELECT 1 FROM fts_pending WHERE rid NOT IN (SELECT rid FROM articles)",
            "fts_recheck differs from the articles' text": "SELECT 1 FROM articles a"
            f" WHERE COALESCE({_folded('a')}, 0) != (rid IN (SELECT rid FROM fts_recheck))"
            " UNION ALL SELECT 1 FROM fts_recheck WHERE rid NOT IN (SELECT rid FROM articles)",
        }
        for what, sql in checks.items():
            if c.execute(sql).fetchone() is not None:
                problems.append(what)
        try:
            with c:
                c.execute(
                    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
                )
        except sqlite3.DatabaseError as exc:
            problems.append(f"text index: {exc}")
        return problems
