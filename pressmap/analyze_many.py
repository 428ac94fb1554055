"""Analyse a stream of articles on several cores, results in input order.

``pressmap analyze --jobs N`` runs here. The reader stays in this process; chunks of articles go
to ``N`` forked workers that detect and also render each result to its output line, so that
only short strings come back. A bounded window of chunks is in flight, so memory does not grow
with the input, and the output is the same, byte for byte, as with one process.

>>> from pressmap.model import Article
>>> items = [Article(id=str(i), text="Talks in Baku.") for i in range(3)]
>>> [out for _, out in analyze_many(items, render=lambda r: r.article.id, jobs=1)]
['0', '1', '2']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from pressmap import analysis
from pressmap.model import AnalyzedArticle, Article, ReadError
from pressmap.pools import in_order

CHUNK = 64  # articles per task: large enough that sending it costs little beside analysing it
IN_FLIGHT = 3  # tasks queued per worker


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed by a signal or the OOM killer)."""


class AnalysisFailed(str):
    """The one-line reason an article's analysis failed (a ``str``, so it pickles cheaply)."""


Outcome = str | AnalysisFailed | ReadError

# Set in this process before the workers fork; they inherit it without pickling.
_WORK: tuple[object, Callable[[AnalyzedArticle], str]] | None = None


def _one(item: Article | ReadError, detector, render) -> Outcome:
    if isinstance(item, ReadError):
        return item
    try:
        return render(analysis.analyze_article(item, detector))
    except Exception as exc:  # noqa: BLE001 - a detector bug must not end the batch
        return AnalysisFailed(
            f"analysis failed: {type(exc).__name__}: " + " ".join(str(exc).split())[:200]
        )


def _run_chunk(chunk: list[Article | ReadError]) -> list[Outcome]:
    detector, render = _WORK  # type: ignore[misc]
    return [_one(item, detector, render) for item in chunk]


def _fork_context():
    import multiprocessing  # (imported only for --jobs > 1: a one-core run starts faster)

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def analyze_many(
    items: Iterable[Article | ReadError],
    render: Callable[[AnalyzedArticle], str],
    detector=None,
    jobs: int = 1,
    chunk: int = CHUNK,
) -> Iterator[tuple[Article | ReadError, Outcome]]:
    """``(item, outcome)`` for each item, in input order: ``render(result)``, an
    :class:`AnalysisFailed` reason, or the item itself when it is a :class:`ReadError`.

    ``jobs`` > 1 forks that many workers (where the platform can fork); a stream of fewer than
    two chunks is analysed here, with no worker started.
    """
    if detector is None:
        from pressmap.detect import default_detector

        detector = default_detector()
    it = iter(items)
    chunks = iter(lambda: list(islice(it, chunk)), [])
    ctx = _fork_context() if jobs > 1 else None
    first = next(chunks, None)
    second = next(chunks, None) if first is not None else None
    if ctx is None or second is None:
        for c in (first, second):
            for item in c or ():
                yield item, _one(item, detector, render)
        for c in chunks:
            for item in c:
                yield item, _one(item, detector, render)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    _WORK = (detector, render)
    try:
        with ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
            for c, res in in_order(pool, _run_chunk, chain((first, second), chunks),
                                   jobs * IN_FLIGHT):
                yield from zip(c, res, strict=True)
    except BrokenProcessPool:
        raise WorkerDied(
            "an analysing process died (killed, or out of memory); run with --jobs 1 to see"
            " which article"
        ) from None
    finally:
        _WORK = None
