"""The same analysis on a Dask cluster, through Parquet.

``pressmap ingest PATHS --scheduler tcp://HOST:8786 [--parquet DIR]``:

1. this process (the client) reads the input as a stream and skips articles whose content hash
   is already in the database, exactly as a local ingest does;
2. the articles left are cut into partitions (``PARTITION`` articles each) sent to the cluster's
   workers, a bounded number in flight; each worker runs :func:`pressmap.ingest.analyze_chunk`
   (the function a local ingest runs in its process pool);
3. each finished partition is written as two Parquet files, ``DIR/articles/part-NNNNN.parquet``
   and ``DIR/mentions/part-NNNNN.parquet`` (schemas :data:`ARTICLES` and :data:`MENTIONS`),
   which DuckDB (``read_parquet('DIR/mentions/*.parquet')``) or Spark read directly;
4. :func:`load_parquet` stores them into the SQLite database (also
   ``python -m pressmap.distributed load DIR --db FILE``).

Workers need only ``pressmap`` installed (same version): no shared file system, since the client
sends the text and writes the Parquet.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pressmap.ingest import IngestSummary, _chunks, analyze_chunk, analyzer_version
from pressmap.model import Article, ReadError
from pressmap.store import Store

PARTITION = 1000  # articles per task sent to a worker
IN_FLIGHT = 3  # tasks in flight per worker thread


def _schemas():
    import pyarrow as pa

    articles = pa.schema([
        ("id", pa.string()), ("content_hash", pa.string()), ("path", pa.string()),
        ("title", pa.string()), ("published", pa.string()), ("source", pa.string()),
        ("url", pa.string()), ("author", pa.string()), ("language", pa.string()),
        ("text", pa.string()), ("analyzer", pa.string()),
    ])
    mentions = pa.schema([
        ("article_id", pa.string()), ("iso3", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("surface", pa.string()), ("kind", pa.string()),
        ("confidence", pa.float64()), ("sent_start", pa.int64()), ("sent_end", pa.int64()),
    ])
    return articles, mentions


def write_partition(out_dir: Path, part: int, chunk: list[tuple[Article, str]],
                    results: list[list[tuple] | str], analyzer: str) -> list[ReadError]:
    """Write one analysed partition as Parquet; returns the articles whose analysis failed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    articles_schema, mentions_schema = _schemas()
    errors: list[ReadError] = []
    acols: dict[str, list] = {n: [] for n in articles_schema.names}
    mcols: dict[str, list] = {n: [] for n in mentions_schema.names}
    for (a, h), rows in zip(chunk, results, strict=True):
        if isinstance(rows, str):
            errors.append(ReadError(a.path or a.id, rows))
            continue
        for name, value in (("id", a.id), ("content_hash", h), ("path", a.path),
                            ("title", a.title), ("published", a.published),
                            ("source", a.source), ("url", a.url), ("author", a.author),
                            ("language", a.language), ("text", a.text), ("analyzer", analyzer)):
            acols[name].append(value)
        for m in rows:
            mcols["article_id"].append(a.id)
            for name, value in zip(mentions_schema.names[1:], m, strict=True):
                mcols[name].append(value)
    name = f"part-{part:05d}.parquet"
    for sub, schema, cols in (("articles", articles_schema, acols),
                              ("mentions", mentions_schema, mcols)):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        tmp = out_dir / sub / (name + ".tmp")
        pq.write_table(pa.Table.from_pydict(cols, schema=schema), tmp)
        tmp.replace(out_dir / sub / name)  # a partition appears whole or not at all
    return errors


def analyze_to_parquet(
    sources: Iterable[str | Path],
    out_dir: str | Path,
    *,
    scheduler: str | object,
    store: Store | None = None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    partition: int = PARTITION,
    **reader_options,
) -> IngestSummary:
    """Analyse every article under ``sources`` on the Dask cluster at ``scheduler`` (an address
    or a ``distributed.Client``) and write Parquet partitions under ``out_dir``.

    With ``store``, articles whose content is unchanged there are skipped (counted as such).
    The summary's ``new`` counts the articles written to Parquet.
    """
    from distributed import Client

    from pressmap.readers import iter_articles

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary()
    analyzer = analyzer_version()
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        workers = max(1, sum(client.nthreads().values()))
        items = iter_articles(list(sources), **reader_options)
        chunks: Iterator = _chunks(items, store, summary, on_item, size=partition)
        window: deque = deque()
        part = 0

        def finish(entry) -> None:
            n, chunk, fut = entry
            errors = write_partition(out, n, chunk, fut.result(), analyzer)
            fut.release()
            failed = {e.path for e in errors}
            summary.failed.extend(errors)
            summary.new += len(chunk) - len(errors)
            if on_item:
                for e in errors:
                    on_item(e, "failed")
                for a, _ in chunk:
                    if (a.path or a.id) not in failed:
                        on_item(a, "new")

        for chunk in chunks:
            window.append((part, chunk, client.submit(analyze_chunk, chunk, pure=False)))
            part += 1
            while len(window) >= workers * IN_FLIGHT:
                finish(window.popleft())
        while window:
            finish(window.popleft())
    finally:
        if client is not scheduler:
            client.close()
    return summary


def load_parquet(parquet_dir: str | Path, store: Store,
                 on_item: Callable[[Article | ReadError, str], None] | None = None
                 ) -> IngestSummary:
    """Store the articles and mentions of a Parquet output folder (partition by partition, one
    transaction per partition); unchanged articles are skipped as in a local ingest."""
    import pyarrow.parquet as pq

    summary = IngestSummary()
    root = Path(parquet_dir)
    for apath in sorted((root / "articles").glob("part-*.parquet")):
        arts = pq.read_table(apath).to_pylist()
        mpath = root / "mentions" / apath.name
        by_article: dict[str, list[tuple]] = {}
        if mpath.exists():
            for m in pq.read_table(mpath).to_pylist():
                by_article.setdefault(m["article_id"], []).append(
                    (m["iso3"], m["start"], m["end"], m["surface"], m["kind"], m["confidence"],
                     m["sent_start"], m["sent_end"]))
        done = []
        with store.conn:
            store.conn.execute("BEGIN IMMEDIATE")
            for r in arts:
                a = Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"],
                            source=r["source"], url=r["url"], path=r["path"], author=r["author"],
                            language=r["language"])
                outcome = store.put_rows(a, by_article.get(a.id, []), analyzer=r["analyzer"] or "",
                                         commit=False, hash_=r["content_hash"])
                done.append((a, outcome))
        for a, outcome in done:
            summary.read += 1
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            if on_item:
                on_item(a, outcome)
    store.index_text()
    return summary


def ingest_distributed(
    sources: Iterable[str | Path],
    store: Store,
    *,
    scheduler: str | object,
    parquet_dir: str | Path | None = None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    **reader_options,
) -> IngestSummary:
    """:func:`analyze_to_parquet` then :func:`load_parquet`: the cluster's version of
    :func:`pressmap.ingest.ingest`. Without ``parquet_dir`` the Parquet goes to a temporary
    folder removed afterwards."""
    tmp = None
    if parquet_dir is None:
        tmp = tempfile.mkdtemp(prefix="pressmap-parquet-",
                               dir=str(Path(store.path).resolve().parent)
                               if store.path != ":memory:" else None)
        parquet_dir = tmp
    try:
        first = analyze_to_parquet(sources, parquet_dir, scheduler=scheduler, store=store,
                                   **reader_options)
        loaded = load_parquet(parquet_dir, store, on_item=on_item)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return IngestSummary(read=first.read, new=loaded.new, updated=loaded.updated,
                         unchanged=first.unchanged + loaded.unchanged, failed=first.failed)


def main(argv: list[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m pressmap.distributed")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("analyze", help="analyse PATHS on a cluster into Parquet")
    a.add_argument("paths", nargs="+")
    a.add_argument("--scheduler", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--db", help="skip articles unchanged in this database")
    ld = sub.add_parser("load", help="store a Parquet folder into the database")
    ld.add_argument("dir")
    ld.add_argument("--db", required=True)
    args = p.parse_args(argv)
    if args.cmd == "analyze":
        store = Store(args.db) if args.db else None
        s = analyze_to_parquet(args.paths, args.out, scheduler=args.scheduler, store=store)
    else:
        with Store(args.db) as store:
            s = load_parquet(args.dir, store)
    for e in s.failed:
        print(f"failed {e}")
    print(s.line())


if __name__ == "__main__":
    main()
