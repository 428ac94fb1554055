"""The same analysis on a Dask cluster, through Parquet.

``pressmap ingest PATHS --scheduler tcp://HOST:8786 --parquet DIR``:

1. this process (the client) lists the input and cuts it into partitions without reading it
   (:mod:`pressmap.partitions`: JSONL files split into byte ranges on line boundaries, other
   files grouped whole);
2. each worker reads its partition from the shared file system, skips the articles whose content
   hash is already in the database (the client sends the stored ``(id, hash)`` pairs once, as
   16-byte digests: :func:`known_keys`), analyses the rest with
   :func:`pressmap.ingest.analyze_chunk` (what a local ingest runs) and writes the partition as
   ``DIR/articles/part-NNNNN.parquet`` and ``DIR/mentions/part-NNNNN.parquet`` (schemas
   :data:`ARTICLES` and :data:`MENTIONS`), which DuckDB (``read_parquet('DIR/mentions/*.parquet')``)
   or Spark read directly; it sends back counts and one-line read errors only;
3. :func:`load_parquet` stores them into the SQLite database (also
   ``python -m pressmap.distributed load DIR --db FILE``).

The input and ``DIR`` must be at the same paths on every machine (a shared file system); the
client checks that every worker sees them first. ``ship_text=True`` (``--ship-text``), and URLs
whatever the mode, take the other road: the client reads, sends text to the workers and writes
the Parquet itself (workers then need no shared storage; the client's reading is the limit).
"""

from __future__ import annotations

import hashlib
import operator
import os
import shutil
import socket
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from pressmap.decoding import describe_exception, one_line
from pressmap.ingest import (
    _UNSTORABLE,
    BATCH,
    TEXT_INDEX_EVERY,
    IngestSummary,
    _chunks,
    _write_batch,
    analyze_chunk,
    analyzer_version,
)
from pressmap.model import Article, ReadError
from pressmap.partitions import (
    SIZE,
    Local,
    Range,
    Split,
    Whole,
    context,
    plan,
    read_range,
    read_whole,
)
from pressmap.store import Store, content_hash

PARTITION = 1000  # articles per task the client ships; per Parquet row group on a worker
PART_BYTES = SIZE  # bytes of input per partition a worker reads
IN_FLIGHT = 3  # tasks in flight per worker thread

ARTICLES = ("id", "content_hash", "path", "title", "published", "source", "url", "author",
            "language", "text", "analyzer", "n_mentions")
MENTIONS = ("article_id", "iso3", "start", "end", "surface", "kind", "confidence", "sent_start",
            "sent_end")


class ClusterError(Exception):
    """The cluster cannot run this ingest (unreachable, another pressmap version, storage not
    shared, output folder in use): one line saying why."""


def _schemas():
    import pyarrow as pa

    s, i, f = pa.string(), pa.int64(), pa.float64()
    articles = pa.schema([(n, i if n == "n_mentions" else s) for n in ARTICLES])
    types = {"start": i, "end": i, "sent_start": i, "sent_end": i, "confidence": f}
    mentions = pa.schema([(n, types.get(n, s)) for n in MENTIONS])
    return articles, mentions


def part_name(n: int) -> str:
    """Name of Parquet part ``n`` (in articles/ and mentions/).

    >>> part_name(7)
    'part-00007.parquet'
    """
    return f"part-{n:05d}.parquet"


class PartWriter:
    """Parquet part ``n`` of ``out_dir`` (articles and mentions), one row group per :meth:`add`;
    written under temporary names and renamed by :meth:`close`: a part is whole or absent."""

    def __init__(self, out_dir: Path, n: int, analyzer: str):
        self.out, self.name, self.analyzer = out_dir, part_name(n), analyzer
        self.tmp = f".{self.name}.{uuid.uuid4().hex}.tmp"
        self.written = 0
        self._writers: dict = {}

    def add(self, chunk: list[tuple[Article, str]], results: list[list[tuple] | str]) -> list[ReadError]:
        """Write analysed articles; returns those whose analysis failed."""
        import pyarrow as pa

        errors: list[ReadError] = []
        acols: dict[str, list] = {n: [] for n in ARTICLES}
        mcols: dict[str, list] = {n: [] for n in MENTIONS}
        for (a, h), rows in zip(chunk, results, strict=True):
            if isinstance(rows, str):
                errors.append(ReadError(a.path or a.id, rows))
                continue
            for name, value in zip(ARTICLES, (a.id, h, a.path, a.title, a.published, a.source,
                                              a.url, a.author, a.language, a.text, self.analyzer,
                                              len(rows)), strict=True):
                acols[name].append(value)
            for m in rows:
                mcols["article_id"].append(a.id)
                for name, value in zip(MENTIONS[1:], m, strict=True):
                    mcols[name].append(value)
        if acols["id"]:
            for sub, schema, cols in zip(("articles", "mentions"), _schemas(), (acols, mcols),
                                         strict=True):
                self._writer(sub, schema).write_table(pa.Table.from_pydict(cols, schema=schema))
            self.written += len(acols["id"])
        return errors

    def _writer(self, sub: str, schema):
        import pyarrow.parquet as pq

        if sub not in self._writers:
            (self.out / sub).mkdir(parents=True, exist_ok=True)
            self._writers[sub] = pq.ParquetWriter(self.out / sub / self.tmp, schema)
        return self._writers[sub]

    def close(self) -> int:
        """Finish the part (nothing is written when no article was); returns its articles."""
        for w in self._writers.values():
            w.close()
        for sub in ("mentions", "articles"):  # articles last: the loader starts from them
            if sub in self._writers:
                (self.out / sub / self.tmp).replace(self.out / sub / self.name)
        self._writers = {}
        return self.written

    def abort(self) -> None:
        for sub, w in self._writers.items():
            try:
                w.close()
            finally:
                (self.out / sub / self.tmp).unlink(missing_ok=True)
        self._writers = {}


def write_partition(out_dir: Path, part: int, chunk: list[tuple[Article, str]],
                    results: list[list[tuple] | str], analyzer: str) -> list[ReadError]:
    """Write one analysed chunk as Parquet part ``part``; returns the articles whose analysis
    failed."""
    w = PartWriter(Path(out_dir), part, analyzer)
    try:
        errors = w.add(chunk, results)
        w.close()
    except BaseException:
        w.abort()
        raise
    return errors


# -- articles already stored --------------------------------------------------------------------
def article_key(article_id: str, hash_: str) -> bytes:
    """16-byte digest of an article's id and content hash (what "unchanged" compares).

    >>> len(article_key("a1", "f" * 64))
    16
    """
    data = article_id.encode("utf-8", "surrogatepass") + b"\x00" + hash_.encode()
    return hashlib.blake2b(data, digest_size=16).digest()


def known_keys(store: Store | None):
    """Sorted numpy array of :func:`article_key` for every stored article (16 bytes each), or
    None when there is none."""
    import numpy as np

    if store is None:
        return None
    blocks = []
    cur = store.conn.execute("SELECT id, content_hash FROM articles")
    while rows := cur.fetchmany(65536):
        blocks.append(np.array([article_key(i, h) for i, h in rows], dtype="S16"))
    if not blocks:
        return None
    keys = np.concatenate(blocks)
    keys.sort()
    return keys


def _is_known(known, chunk: list[tuple[Article, str]]) -> list[bool]:
    import numpy as np

    if known is None or not chunk:
        return [False] * len(chunk)
    q = np.array([article_key(a.id, h) for a, h in chunk], dtype="S16")
    at = np.minimum(np.searchsorted(known, q), len(known) - 1)
    return (known[at] == q).tolist()


# -- worker side --------------------------------------------------------------------------------
@dataclass
class PartResult:
    """What a worker sends back for a partition: counts and errors, never text."""

    n: int
    host: str = ""
    read: int = 0
    written: int = 0
    unchanged: int = 0
    unchanged_items: list[tuple[str, str | None]] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)  # read errors (a range: the first ones)
    seen: int = 0  # read errors met (a range: including those not sent)
    failed: list[ReadError] = field(default_factory=list)  # analysis or partition failures


def run_partition(part: Whole | Range, n: int, out_dir: str, analyzer: str, options: dict,
                  known=None, newlines_before: int = 0, want_items: bool = False) -> PartResult:
    """Read, filter, analyse and write one partition (runs on a worker)."""
    res = PartResult(n=n, host=socket.gethostname())
    ctx = context(**options)
    writer = PartWriter(Path(out_dir), n, analyzer)
    limit = ctx.limits.max_errors_per_file if isinstance(part, Range) else None
    try:
        if isinstance(part, Range):
            items = read_range(part, newlines_before, ctx)
        else:
            items = read_whole(part, ctx)
        for chunk in _worker_chunks(items, res, limit):
            todo = _skip_known(chunk, known, res, want_items)
            if todo:
                res.failed.extend(writer.add(todo, analyze_chunk(todo)))
        writer.close()
        res.written = writer.written
    except Exception as exc:  # noqa: BLE001 - e.g. the Parquet folder is full: no part at all
        writer.abort()
        res.written = 0
        res.failed.append(ReadError(part.label(), one_line(
            f"partition failed on {res.host}, nothing of it stored: {describe_exception(exc)}")))
    return res


def _worker_chunks(items: Iterator[Article | ReadError], res: PartResult,
                   limit: int | None) -> Iterator[list[tuple[Article, str]]]:
    chunk: list[tuple[Article, str]] = []
    for item in items:
        if isinstance(item, ReadError):
            res.seen += 1
            if limit is None or res.seen <= limit:
                res.errors.append(item)
            continue
        res.read += 1
        chunk.append((item, content_hash(item)))
        if len(chunk) >= PARTITION:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _skip_known(chunk: list[tuple[Article, str]], known, res: PartResult,
                want_items: bool) -> list[tuple[Article, str]]:
    todo = []
    for (a, h), hit in zip(chunk, _is_known(known, chunk), strict=True):
        if not hit:
            todo.append((a, h))
            continue
        res.unchanged += 1
        if want_items:
            res.unchanged_items.append((a.id, a.path))
    return todo


def check_worker(token_file: str, token: str, paths: list[str], analyzer: str) -> list[str]:
    """What this worker lacks to read ``paths`` and write beside ``token_file`` (runs on each
    worker before any task)."""
    problems = []
    if analyzer_version() != analyzer:
        problems.append(f"runs {analyzer_version()}, not {analyzer} as this machine")
    folder = os.path.dirname(token_file)
    try:
        seen = Path(token_file).read_text() == token
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".pressmap-write-"):
            pass
    except OSError:
        seen = False
    if not seen:
        problems.append(f"cannot see or write the Parquet folder {folder}")
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        problems.append(f"cannot see the input {missing[0]}{more}")
    return problems


# -- client side --------------------------------------------------------------------------------
class _Run:
    """The client's loop: submits partitions in input order, a bounded number in flight, and
    takes their results in that order (errors reported in input order)."""

    def __init__(self, client, out: Path, summary: IngestSummary, on_item, analyzer: str,
                 options: dict, known, store, partition: int):
        self.client, self.out, self.summary, self.on_item = client, out, summary, on_item
        self.analyzer, self.options, self.known, self.store = analyzer, options, known, store
        self.partition = partition
        self.window: deque = deque()
        self.limit = max(1, sum(client.nthreads().values())) * IN_FLIGHT
        self.n = 0

    def _queue(self, fut, take: Callable) -> None:
        self.window.append((fut, take))
        while len(self.window) >= self.limit:
            self._pop()

    def _pop(self) -> None:
        fut, take = self.window.popleft()
        if fut is None:
            take(None)
            return
        try:
            result = fut.result()
        except Exception as exc:  # noqa: BLE001 - a worker died, a task was lost: say so
            result = exc
        fut.release()
        take(result)

    def drain(self) -> None:
        while self.window:
            self._pop()

    def fail(self, errors: list[ReadError], notify: bool = True) -> None:
        """Report ``errors`` in their place in the input order."""
        if errors:
            self._queue(None, lambda _: self._failed(errors, notify))

    def _failed(self, errors: list[ReadError], notify: bool = True) -> None:
        self.summary.failed.extend(errors)
        if self.on_item and notify:
            for e in errors:
                self.on_item(e, "failed")

    def _submit_part(self, part: Whole | Range, before=0):
        n, self.n = self.n, self.n + 1
        return self.client.submit(run_partition, part, n, str(self.out), self.analyzer,
                                  self.options, self.known, before, self.on_item is not None,
                                  pure=False)

    def whole(self, part: Whole) -> None:
        self._queue(self._submit_part(part), partial(self._take, part, None))

    def split(self, sp: Split) -> None:
        counts = [self.client.submit(_count, r, pure=False, priority=1) for r in sp.ranges]
        budget = _file_budget(sp.file.display, self.options)
        before = 0
        for r, count in zip(sp.ranges, counts, strict=True):
            last = r is sp.ranges[-1]
            self._queue(self._submit_part(r, before), partial(self._take, r, (budget, last)))
            before = self.client.submit(operator.add, before, count, pure=False, priority=1)

    def local(self, source) -> None:
        """A source this process reads (``--ship-text``, URLs): text goes to the workers."""
        from pressmap.readers import iter_articles

        side = IngestSummary()
        items = iter_articles([source], **self.options)
        for chunk in _chunks(items, self.store, side, self.on_item, size=self.partition):
            self._side(side)
            n, self.n = self.n, self.n + 1
            fut = self.client.submit(analyze_chunk, chunk, pure=False)
            self._queue(fut, partial(self._take_shipped, n, chunk))
        self._side(side)

    def _side(self, side: IngestSummary) -> None:
        self.summary.read += side.read
        self.summary.unchanged += side.unchanged
        self.fail(list(side.failed), notify=False)  # _chunks has called on_item
        side.read = side.unchanged = 0
        side.failed.clear()

    def _take_shipped(self, n: int, chunk: list[tuple[Article, str]], results) -> None:
        if isinstance(results, Exception):
            why = one_line(f"analysis on the cluster failed: {describe_exception(results)}")
            self._failed([ReadError(a.path or a.id, why) for a, _ in chunk])
            return
        try:
            errors = write_partition(self.out, n, chunk, results, self.analyzer)
        except (OSError, ValueError) as exc:  # e.g. the disk is full: this part is not written
            why = one_line(f"could not write its Parquet part: {describe_exception(exc)}")
            self._failed([ReadError(a.path or a.id, why) for a, _ in chunk])
            return
        self.summary.new += len(chunk) - len(errors)
        self._failed(errors)

    def _take(self, part: Whole | Range, budget, res: PartResult | Exception) -> None:
        if isinstance(res, Exception):
            why = one_line(f"failed on the cluster, nothing of it stored: {describe_exception(res)}")
            names = [f.display for f in part.files] if isinstance(part, Whole) else [part.label()]
            self._failed([ReadError(name, why) for name in names])
            return
        s = self.summary
        s.read += res.read
        s.unchanged += res.unchanged
        if self.on_item:
            for i, p in res.unchanged_items:
                self.on_item(Article(id=i, text="", path=p), "unchanged")
        errors = res.errors if budget is None else _merge_budget(budget[0], res, budget[1])
        self._failed(errors + res.failed)
        if res.written:
            self._check_visible(part, res)

    def _check_visible(self, part: Whole | Range, res: PartResult) -> None:
        name = part_name(res.n)
        if all((self.out / sub / name).exists() for sub in ("articles", "mentions")):
            self.summary.new += res.written
            return
        for sub in ("articles", "mentions"):  # half a part must not be loaded
            (self.out / sub / name).unlink(missing_ok=True)
        self._failed([ReadError(part.label(), (
            f"its Parquet part {name}, written on {res.host}, is not in {self.out} on this"
            " machine: the Parquet folder must be on storage shared with the workers"
            " (or use --ship-text)"))])


def _count(r: Range) -> int:
    from pressmap.partitions import count_newlines

    return count_newlines(r.file.path, r.start, r.end)


def _file_budget(display: str, options: dict):
    """The per-file cap on reported row errors, across the ranges of one file."""
    from pressmap.rows import _ErrorBudget

    return _ErrorBudget(SimpleNamespace(display=display),
                        context(**options).limits.max_errors_per_file)


def _merge_budget(budget, res: PartResult, last: bool) -> list[ReadError]:
    out = [e for item in res.errors for e in budget.filter(item)]
    budget.seen += res.seen - len(res.errors)
    budget.rows += res.read
    if last:
        out.extend(budget.summary())
        if budget.rows == 0 and budget.seen == 0:
            out.append(ReadError(budget.src.display, "empty file"))
    return out


def _connect(scheduler):
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler), True
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}:"
                           f" {one_line(describe_exception(exc))}") from None


def _preflight(client, out: Path, sources: list, analyzer: str, shared: bool) -> None:
    """Fail early, in one line, when a worker runs another pressmap or cannot see the input or
    the Parquet folder."""
    token = uuid.uuid4().hex
    token_file = out / f".pressmap-check-{token}"
    token_file.write_text(token)
    paths = [os.path.abspath(s) for s in sources if os.path.exists(s)][:100] if shared else []
    try:
        if not client.nthreads():
            client.wait_for_workers(1, timeout=60)
        found = client.run(check_worker, str(token_file), token, paths, analyzer)
    except TimeoutError:
        raise ClusterError("no worker has joined the Dask scheduler in 60 s") from None
    finally:
        token_file.unlink(missing_ok=True)
    for worker, problems in sorted(found.items()):
        if problems and not shared:
            problems = [p for p in problems if p.startswith("runs ")]
        if problems:
            hint = "" if problems[0].startswith("runs ") else (
                "; inputs and --parquet must be at the same paths on every machine, or use"
                " --ship-text")
            raise ClusterError(f"worker {worker} {problems[0]}{hint}")


def _check_empty(out: Path) -> None:
    for sub in ("articles", "mentions"):
        if next((out / sub).glob("part-*.parquet"), None) is not None:
            raise ClusterError(f"{out} already holds Parquet parts of an earlier run: give an"
                               " empty or new folder, or remove them")


def analyze_to_parquet(
    sources: Iterable[str | Path],
    out_dir: str | Path,
    *,
    scheduler: str | object,
    store: Store | None = None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    partition: int = PARTITION,
    part_bytes: int = PART_BYTES,
    ship_text: bool = False,
    skip_known: bool = True,
    **reader_options,
) -> IngestSummary:
    """Analyse every article under ``sources`` on the Dask cluster at ``scheduler`` (an address
    or a ``distributed.Client``) and write Parquet parts under ``out_dir`` (which must hold none).

    With ``store``, articles whose content is unchanged there are skipped (counted as such;
    ``skip_known=False`` leaves that to :func:`load_parquet`). ``on_item`` hears of read errors
    and skipped articles (those have no text). The summary's ``new`` counts the articles written.
    """
    out = Path(out_dir).absolute()
    out.mkdir(parents=True, exist_ok=True)
    _check_empty(out)
    sources = [sources] if isinstance(sources, (str, Path)) else list(sources)
    summary = IngestSummary()
    analyzer = analyzer_version()
    client, own = _connect(scheduler)
    try:
        _preflight(client, out, sources, analyzer, shared=not ship_text)
        known = None
        if store is not None and skip_known and not ship_text:
            keys = known_keys(store)
            known = None if keys is None else client.scatter(keys, broadcast=True)
        run = _Run(client, out, summary, on_item, analyzer, reader_options, known,
                   store if skip_known else None, partition)
        _submit_all(run, sources, part_bytes, ship_text)
        run.drain()
    finally:
        if own:
            client.close()
    return summary


def _submit_all(run: _Run, sources: list, part_bytes: int, ship_text: bool) -> None:
    if ship_text:
        for src in sources:
            run.local(src)
        return
    for p in plan(sources, part_bytes, run.options.get("limits")):
        if isinstance(p, ReadError):
            run.fail([p])
        elif isinstance(p, Local):
            run.local(p.source)
        elif isinstance(p, Split):
            run.split(p)
        else:
            run.whole(p)


def parts(parquet_dir: str | Path) -> list[str]:
    """Names of the Parquet parts under ``parquet_dir``, in input order."""
    names = [p.name for p in Path(parquet_dir, "articles").glob("part-*.parquet")]
    return sorted(names, key=lambda s: int(s[5:].split(".")[0]))


def _part_rows(apath: Path, mpath: Path) -> Iterator[tuple[dict, list[tuple]]]:
    """(article row, its mentions as tuples) of one part, streamed."""
    import pyarrow.parquet as pq

    af = pq.ParquetFile(apath)
    mentions = _mention_rows(mpath)
    by_id: dict[str, list[tuple]] | None = None
    if "n_mentions" not in af.schema_arrow.names:  # an older part: mentions matched by id
        by_id = {}
        for m in mentions:
            by_id.setdefault(m[0], []).append(m[1:])
    for batch in af.iter_batches(batch_size=BATCH):
        for r in batch.to_pylist():
            if by_id is not None:
                yield r, by_id.get(r["id"], [])
            else:  # the part lists each article's mentions after the previous article's
                yield r, [next(mentions)[1:] for _ in range(r["n_mentions"])]


def _mention_rows(mpath: Path) -> Iterator[tuple]:
    import pyarrow.parquet as pq

    if not mpath.exists():
        return
    for batch in pq.ParquetFile(mpath).iter_batches(batch_size=10 * BATCH):
        cols = batch.to_pydict()
        yield from zip(*(cols[n] for n in MENTIONS), strict=True)


def load_parquet(parquet_dir: str | Path, store: Store,
                 on_item: Callable[[Article | ReadError, str], None] | None = None
                 ) -> IngestSummary:
    """Store the articles and mentions of a Parquet output folder, part by part in input order,
    in transactions of ``BATCH`` articles; unchanged articles are skipped as in a local ingest,
    and an article the database refuses is a failure, not the end of the load."""
    summary = IngestSummary()
    root = Path(parquet_dir)
    pending: list[tuple[Article, str, list[tuple]]] = []
    state = {"analyzer": "", "written": 0}

    def flush() -> None:
        if pending:
            _store_batch(store, pending, state["analyzer"], summary, on_item)
            state["written"] += len(pending)
            pending.clear()
        if state["written"] >= TEXT_INDEX_EVERY:
            store.index_text()
            state["written"] = 0

    for name in parts(root):
        for r, mentions in _part_rows(root / "articles" / name, root / "mentions" / name):
            if (r["analyzer"] or "") != state["analyzer"] or len(pending) >= BATCH:
                flush()
                state["analyzer"] = r["analyzer"] or ""
            a = Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"],
                        source=r["source"], url=r["url"], path=r["path"], author=r["author"],
                        language=r["language"])
            pending.append((a, r["content_hash"], mentions))
    flush()
    store.index_text()
    return summary


def _store_batch(store: Store, batch: list, analyzer: str, summary: IngestSummary,
                 on_item) -> None:
    try:
        outcomes = _write_batch(store, batch, analyzer, one_by_one=False)
    except _UNSTORABLE:  # an article the database refuses: the others are still stored
        outcomes = _write_batch(store, batch, analyzer, one_by_one=True)
    for (a, _, _), outcome in zip(batch, outcomes, strict=True):
        summary.read += 1
        if isinstance(outcome, ReadError):
            summary.failed.append(outcome)
            item, outcome = outcome, "failed"
        else:
            item = a
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if on_item:
            on_item(item, outcome)


def ingest_distributed(
    sources: Iterable[str | Path],
    store: Store,
    *,
    scheduler: str | object,
    parquet_dir: str | Path | None = None,
    on_item: Callable[[Article | ReadError, str], None] | None = None,
    **options,
) -> IngestSummary:
    """:func:`analyze_to_parquet` then :func:`load_parquet`: the cluster's version of
    :func:`pressmap.ingest.ingest` (same options, plus those of :func:`analyze_to_parquet`).
    Without ``parquet_dir`` the Parquet goes to a temporary folder beside the database, removed
    afterwards (workers on other machines cannot see it: give ``parquet_dir`` there)."""
    tmp = None
    if parquet_dir is None:
        tmp = tempfile.mkdtemp(prefix="pressmap-parquet-",
                               dir=str(Path(store.path).resolve().parent)
                               if store.path != ":memory:" else None)
        parquet_dir = tmp
    try:
        first = analyze_to_parquet(sources, parquet_dir, scheduler=scheduler, store=store,
                                   on_item=on_item, **options)
        loaded = load_parquet(parquet_dir, store, on_item=on_item)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return IngestSummary(read=first.read, new=loaded.new, updated=loaded.updated,
                         unchanged=first.unchanged + loaded.unchanged,
                         failed=first.failed + loaded.failed)


def main(argv: list[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m pressmap.distributed")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("analyze", help="analyse PATHS on a cluster into Parquet")
    a.add_argument("paths", nargs="+")
    a.add_argument("--scheduler", required=True)
    a.add_argument("--out", required=True, help="an empty or new folder, shared with the workers")
    a.add_argument("--db", help="skip articles unchanged in this database")
    a.add_argument("--ship-text", action="store_true",
                   help="read the input here and send its text (input or --out not shared)")
    a.add_argument("--partition-mb", type=float, default=PART_BYTES / 2**20,
                   help="input per partition a worker reads (default %(default)s)")
    ld = sub.add_parser("load", help="store a Parquet folder into the database")
    ld.add_argument("dir")
    ld.add_argument("--db", required=True)
    args = p.parse_args(argv)
    try:
        if args.cmd == "analyze":
            store = Store(args.db) if args.db else None
            s = analyze_to_parquet(args.paths, args.out, scheduler=args.scheduler, store=store,
                                   ship_text=args.ship_text,
                                   part_bytes=max(1, int(args.partition_mb * 2**20)))
        else:
            with Store(args.db) as store:
                s = load_parquet(args.dir, store)
    except ClusterError as exc:
        raise SystemExit(f"error: {exc}") from None
    for e in s.failed:
        print(f"failed {e}")
    print(s.line())


if __name__ == "__main__":
    main()
