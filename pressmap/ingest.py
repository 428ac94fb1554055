"""Read, analyse and store articles incrementally, on every core.

Unchanged articles (same id, same content hash) are skipped before analysis. Analysis runs in a
pool of worker processes (``jobs``, default: every core); the calling process reads the input
as a stream, sends it to the workers in chunks with a bounded number in flight (memory does not
grow with the corpus) and is the only writer: each batch of results is stored in one transaction,
in input order; the text index is brought up to date every 20,000 articles and at the end.

>>> from pressmap.store import Store
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.jsonl").write_text('{"id": "1", "text": "In Baku."}\\n')
>>> s = Store(":memory:")
>>> ingest([d], s).new, ingest([d], s).unchanged
(1, 1)
"""

from __future__ import annotations

import multiprocessing
import pickle
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pressmap.analysis import analyze_article
from pressmap.model import Article, ReadError
from pressmap.pools import default_jobs, in_order
from pressmap.store import Store, content_hash

BATCH = 500  # articles per write transaction
CHUNK = 64  # articles per task sent to a worker
IN_FLIGHT = 4  # chunks in flight per worker
TEXT_INDEX_EVERY = 20000  # articles written between two bulk updates of the text index


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[ReadError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "read": self.read,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": len(self.failed),
            "failures": [{"path": e.path, "reason": e.reason} for e in self.failed],
        }

    def line(self) -> str:
        return (
            f"read {self.read}, new {self.new}, updated {self.updated}, "
            f"unchanged {self.unchanged}, failed {len(self.failed)}"
        )


def analyzer_version() -> str:
    from pressmap import __version__

    return f"pressmap-{__version__}"


# -- worker side ------------------------------------------------------------------------------
_DETECTOR = None


def _init_worker(detector_bytes: bytes | None) -> None:
    global _DETECTOR
    _DETECTOR = pickle.loads(detector_bytes) if detector_bytes else None


def analyze_chunk(chunk: list[tuple[Article, str]], detector=None) -> list[list[tuple] | str]:
    """Analyse a chunk of (article, content hash): per article, its mentions as tuples
    ``(iso3, start, end, surface, kind, confidence, sent_start, sent_end)`` (cheap to send back
    to the writer), or the reason analysis failed."""
    det = detector if detector is not None else _DETECTOR
    out: list[list[tuple] | str] = []
    for article, _ in chunk:
        try:
            r = analyze_article(article, det)
        except Exception as exc:  # a detector bug must not lose the batch
            out.append(f"analysis failed: {type(exc).__name__}: {exc}")
            continue
        out.append(
            [
                (m.iso3, m.start, m.end, m.surface, m.kind, m.confidence, m.sent_start, m.sent_end)
                for m in r.mentions
            ]
        )
    return out


# -- writer side ------------------------------------------------------------------------------
def _chunks(
    items: Iterator[Article | ReadError],
    store,
    summary: IngestSummary,
    on_item,
    size: int | None = None,
    skip_unchanged: bool = True,
    inflight: Counter[str] | None = None,
) -> Iterator[list[tuple[Article, str]]]:
    """Chunks of articles that need analysis; read errors and unchanged articles are counted
    on the way (their callbacks run here, before the chunk holding later articles).
    ``skip_unchanged=False`` sends unchanged articles to analysis too (re-analysis).
    ``inflight`` counts the ids sent on and not yet written: an article whose id is still in
    flight is never skipped, so that when an id repeats in the input its last copy is stored."""
    size = size or CHUNK
    chunk: list[tuple[Article, str]] = []
    for item in items:
        if isinstance(item, ReadError):
            summary.failed.append(item)
            if on_item:
                on_item(item, "failed")
            continue
        summary.read += 1
        h = content_hash(item)
        if (
            skip_unchanged
            and store is not None
            and not (inflight and inflight.get(item.id))
            and store.stored_hash(item.id) == h
        ):
            summary.unchanged += 1
            if on_item:
                on_item(item, "unchanged")
            continue
        if inflight is not None:
            inflight[item.id] += 1
        chunk.append((item, h))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# what one bad article (e.g. text with a lone surrogate) makes the database raise
_UNSTORABLE = (UnicodeError, ValueError, OverflowError, sqlite3.IntegrityError,
               sqlite3.InterfaceError, sqlite3.DataError)


def _write_batch(store: Store, batch: list[tuple[Article, str, list[tuple]]], analyzer: str,
                 one_by_one: bool, force: bool = False) -> list[str | ReadError]:
    """Store a batch in one transaction. ``one_by_one``: each article in a savepoint, an article
    that cannot be stored becomes a :class:`ReadError` and the rest are kept."""
    outcomes: list[str | ReadError] = []
    with store.conn:
        store.conn.execute("BEGIN IMMEDIATE")
        for a, h, rows in batch:
            if not one_by_one:
                outcomes.append(store.put_rows(a, rows, analyzer=analyzer, commit=False, hash_=h,
                                                force=force))
                continue
            store.conn.execute("SAVEPOINT article")
            try:
                outcomes.append(store.put_rows(a, rows, analyzer=analyzer, commit=False, hash_=h,
                                                force=force))
            except _UNSTORABLE as exc:
                store.conn.execute("ROLLBACK TO article")
                outcomes.append(ReadError(a.path or a.id,
                                          f"cannot be stored: {type(exc).__name__}: {exc}"))
            store.conn.execute("RELEASE article")
    return outcomes


def ingest(
    sources: Iterable[str | Path],
    store: Store,
    *,
    detector=None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    jobs: int | None = None,
    reanalyze: bool = False,
    **reader_options,
) -> IngestSummary:
    """Ingest every article found under ``sources`` into ``store``.

    ``reanalyze``: analyse unchanged articles again too, and rewrite those whose mentions
    changed (after a gazetteer or overrides change); they count as ``updated``.

    ``on_item(item, outcome)`` is called once per article or error (for progress bars);
    outcome is ``new``, ``updated``, ``unchanged`` or ``failed``. ``jobs`` is the number of
    analysing processes (default: every core; 1 analyses in this process). A small input (up to
    two chunks) is analysed here whatever ``jobs`` says: starting workers would cost more.
    """
    from pressmap.readers import iter_articles

    summary = IngestSummary()
    analyzer = analyzer_version()
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    pending: list[tuple[Article, str, list[tuple]]] = []

    def flush() -> None:
        if not pending:
            return
        try:
            outcomes = _write_batch(store, pending, analyzer, one_by_one=False, force=reanalyze)
        except _UNSTORABLE:  # an article the database refuses: the others are still stored
            outcomes = _write_batch(store, pending, analyzer, one_by_one=True, force=reanalyze)
        for (a, _, _), outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, ReadError):
                summary.failed.append(outcome)
                if on_item:
                    on_item(outcome, "failed")
                continue
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            if on_item:
                on_item(a, outcome)
        for a, _, _ in pending:
            landed(a.id)
        pending.clear()
        written[0] += len(outcomes)
        if written[0] >= TEXT_INDEX_EVERY:  # text index in bulk: much cheaper than per article
            store.index_text()
            written[0] = 0

    written = [0]
    inflight: Counter[str] = Counter()

    def landed(article_id: str) -> None:
        inflight[article_id] -= 1
        if inflight[article_id] <= 0:
            del inflight[article_id]

    def take(chunk: list[tuple[Article, str]], results: list[list[tuple] | str]) -> None:
        for (a, h), r in zip(chunk, results, strict=True):
            if isinstance(r, str):
                landed(a.id)
                err = ReadError(a.path or a.id, r)
                summary.failed.append(err)
                if on_item:
                    on_item(err, "failed")
                continue
            pending.append((a, h, r))
        if len(pending) >= BATCH:
            flush()

    chunks = _chunks(iter_articles(list(sources), **reader_options), store, summary, on_item,
                     skip_unchanged=not reanalyze, inflight=inflight)
    first = next(chunks, None)
    second = next(chunks, None) if first is not None else None
    det_bytes = None
    if detector is not None and jobs > 1 and second is not None:
        try:
            det_bytes = pickle.dumps(detector)
        except Exception:  # a detector that cannot travel to workers: analyse here
            jobs = 1
    if jobs == 1 or second is None:
        for chunk in (c for c in (first, second) if c is not None):
            take(chunk, analyze_chunk(chunk, detector))
        for chunk in chunks:
            take(chunk, analyze_chunk(chunk, detector))
        flush()
        store.index_text()
        return summary

    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(
        jobs, mp_context=ctx, initializer=_init_worker, initargs=(det_bytes,)
    ) as pool:
        for done, res in in_order(pool, analyze_chunk, chain((first, second), chunks),
                                  jobs * IN_FLIGHT):  # bounded: the input is read as results come
            take(done, res)
    flush()
    store.index_text()
    return summary
