"""Read, analyse and store articles incrementally.

Unchanged articles (same id, same content hash) are skipped before analysis; each batch of
articles is written in one transaction.

>>> from pressmap.store import Store
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.jsonl").write_text('{"id": "1", "text": "In Baku."}\\n')
>>> s = Store(":memory:")
>>> ingest([d], s).new, ingest([d], s).unchanged
(1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pressmap.analysis import analyze_article
from pressmap.model import Article, ReadError
from pressmap.store import Store, content_hash

BATCH = 200


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
        return (f"read {self.read}, new {self.new}, updated {self.updated}, "
                f"unchanged {self.unchanged}, failed {len(self.failed)}")


def analyzer_version() -> str:
    from pressmap import __version__

    return f"pressmap-{__version__}"


def ingest(
    sources: Iterable[str | Path],
    store: Store,
    *,
    detector=None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    **reader_options,
) -> IngestSummary:
    """Ingest every article found under ``sources`` into ``store``.

    ``on_item(item, outcome)`` is called once per article or error (for progress bars);
    outcome is ``new``, ``updated``, ``unchanged`` or ``failed``.
    """
    from pressmap.readers import iter_articles

    summary = IngestSummary()
    analyzer = analyzer_version()
    pending: list = []

    def flush() -> None:
        if not pending:
            return
        with store.conn:  # one transaction per batch
            for r in pending:
                outcome = store.put(r, analyzer=analyzer, commit=False)
                setattr(summary, outcome, getattr(summary, outcome) + 1)
                if on_item:
                    on_item(r.article, outcome)
        pending.clear()

    for item in iter_articles(list(sources), **reader_options):
        if isinstance(item, ReadError):
            summary.failed.append(item)
            if on_item:
                on_item(item, "failed")
            continue
        summary.read += 1
        if store.stored_hash(item.id) == content_hash(item):
            summary.unchanged += 1
            if on_item:
                on_item(item, "unchanged")
            continue
        try:
            pending.append(analyze_article(item, detector))
        except Exception as exc:  # a detector bug must not lose the batch
            err = ReadError(item.path or item.id, f"analysis failed: {type(exc).__name__}: {exc}")
            summary.failed.append(err)
            if on_item:
                on_item(err, "failed")
            continue
        if len(pending) >= BATCH:
            flush()
    flush()
    return summary
