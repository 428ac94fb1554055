"""Results of a process pool in input order, with a bounded number of tasks in flight.

Both ``pressmap ingest`` and ``pressmap analyze --jobs`` send chunks of articles to workers this
way: the input is read only as results are taken, so memory does not grow with it.

>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     list(in_order(pool, sum, [[1, 2], [3], [4, 5]], limit=2))
[([1, 2], 3), ([3], 3), ([4, 5], 9)]
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def in_order(
    pool: Executor, fn: Callable[[T], R], chunks: Iterable[T], limit: int
) -> Iterator[tuple[T, R]]:
    """``(chunk, fn(chunk))`` for each chunk, in input order, computed by ``pool``; once
    ``limit`` chunks are in flight, the oldest is waited for before the next is read.
    Chunks still in flight when the caller stops are cancelled."""
    window: deque[tuple[T, Future[R]]] = deque()
    try:
        for chunk in chunks:
            window.append((chunk, pool.submit(fn, chunk)))
            while len(window) >= limit:
                done, fut = window.popleft()
                yield done, fut.result()
        while window:
            done, fut = window.popleft()
            yield done, fut.result()
    finally:
        for _, fut in window:
            fut.cancel()
