"""Cut an ingest's input into partitions that cluster workers read themselves.

The planner lists the input without reading it: folders are walked as a local ingest walks them
(:func:`pressmap.readers.walk_folder`), a ``.jsonl`` file larger than ``size`` bytes is cut into
byte ranges of ``size`` bytes (only its first 4 KB are read, to check it is UTF-8 text), other
files are grouped whole, in input order, up to ``size`` bytes or :data:`MAX_FILES` files a group.
Sources that cannot be listed (URLs, missing paths) stay :class:`Local`: the caller reads them.

A range holds the lines that *start* in it: its reader skips the partial line at its start and
finishes the line crossing its end (as Hadoop and Dask do). Line numbers (``file#12`` paths and
ids) are those of the whole file: a range's reader is given the number of newlines before the
range (:func:`count_newlines` of every earlier range).

>>> import tempfile
>>> d = Path(tempfile.mkdtemp()); _ = (d / "a.jsonl").write_text('{"text": "In Baku."}\\n' * 4)
>>> [type(p).__name__ for p in plan([d], size=25)]
['Split']
>>> sp = next(plan([d], size=25)); [(r.start, r.end) for r in sp.ranges][:2], len(sp.ranges)
([(0, 25), (25, 50)], 4)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from pressmap.decoding import bom_encoding, one_line, sniff_binary, utf16_without_bom
from pressmap.model import Article, ReadError
from pressmap.readers import (
    Context,
    FieldMap,
    Limits,
    file_source,
    guard,
    kind_of,
    looks_like_url,
    read_source,
    walk_folder,
)

SIZE = 16 * 2**20  # bytes per partition (a JSONL range, or a group of whole files)
MAX_FILES = 256  # files per group of whole files


@dataclass(frozen=True)
class FileRef:
    """A file as a local ingest names it: ``display`` (Article.path), ``ident`` (id base),
    ``path`` the absolute path to open (the same on every machine of the cluster)."""

    path: str
    display: str
    ident: str
    size: int


@dataclass(frozen=True)
class Whole:
    """Files read whole, one after the other."""

    files: tuple[FileRef, ...]

    def label(self) -> str:
        more = f" (and {len(self.files) - 1} more files)" if len(self.files) > 1 else ""
        return self.files[0].display + more


@dataclass(frozen=True)
class Range:
    """Bytes ``start`` to ``end`` of a JSONL file: the lines that start there."""

    file: FileRef
    index: int
    start: int
    end: int

    def label(self) -> str:
        return f"{self.file.display} (bytes {self.start}-{self.end})"


@dataclass(frozen=True)
class Split:
    """A JSONL file cut into ranges (every range is one partition)."""

    file: FileRef
    ranges: tuple[Range, ...]


@dataclass(frozen=True)
class Local:
    """A source the caller reads itself (a URL, a path that is not a file or folder)."""

    source: str | Path


Planned = Whole | Split | Local | ReadError


def context(limits: Limits | None = None, fields: FieldMap | None = None,
            allow_private: bool = False) -> Context:
    """The reader context :func:`pressmap.readers.iter_articles` builds from its options."""
    return Context(limits or Limits(), fields or FieldMap(), allow_private)


# ---------------------------------------------------------------------------- planning


def plan(sources: Iterable[str | Path], size: int = SIZE,
         limits: Limits | None = None) -> Iterator[Planned]:
    """Partitions of ``sources`` in input order, listed as they are found (a folder of a million
    files is never held whole)."""
    limits = limits or Limits()
    group: list[FileRef] = []
    held = 0
    for item in _listed(sources):
        if isinstance(item, FileRef) and not _splits(item, size, limits):
            group.append(item)
            held += item.size
            if held >= size or len(group) >= MAX_FILES:
                yield Whole(tuple(group))
                group, held = [], 0
            continue
        if group:
            yield Whole(tuple(group))
            group, held = [], 0
        yield split(item, size) if isinstance(item, FileRef) else item
    if group:
        yield Whole(tuple(group))


def split(f: FileRef, size: int) -> Split:
    """``f`` cut into ranges of ``size`` bytes.

    >>> [(r.start, r.end) for r in split(FileRef("/a", "a", "/a", 10), 4).ranges]
    [(0, 4), (4, 8), (8, 10)]
    """
    starts = range(0, f.size, size)
    return Split(f, tuple(Range(f, i, s, min(s + size, f.size)) for i, s in enumerate(starts)))


def _splits(f: FileRef, size: int, limits: Limits) -> bool:
    """True for a JSONL file worth cutting whose reading does not depend on its first bytes
    (UTF-8 or 8-bit text: lines end with a newline byte; not binary; within the size cap)."""
    if kind_of(os.path.basename(f.path)) != "jsonl" or f.size <= size or f.size > limits.max_table_bytes:
        return False
    try:
        with open(f.path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False  # the worker reading it whole says why
    enc = bom_encoding(head) or utf16_without_bom(head)
    return sniff_binary(head) is None and enc in (None, "utf-8-sig")


def _listed(sources: Iterable[str | Path]) -> Iterator[FileRef | Local | ReadError]:
    if isinstance(sources, (str, Path)):
        sources = [sources]
    for src in sources:
        display = str(src)
        if not display.strip() or "\x00" in display or (
                isinstance(src, str) and looks_like_url(src) and not os.path.exists(src)):
            yield Local(src)
            continue
        path = Path(src)
        try:
            st = path.stat()
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode):
            yield _ref(path, display, st.st_size)
        elif st is not None and stat.S_ISDIR(st.st_mode):
            yield from _listed_folder(src, path, display)
        else:
            yield Local(src)  # the local reader says why in one line, reading nothing


def _listed_folder(src: str | Path, root: Path, display: str) -> Iterator[FileRef | Local | ReadError]:
    found = False
    for item in walk_folder(root, display):
        if isinstance(item, ReadError):
            found = True
            yield finish(item)
        elif not isinstance(item, int):
            found = True
            path, p_display = item
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            yield _ref(path, p_display, size)
    if not found:
        yield Local(src)  # the local reader says "no readable files in folder" (reads nothing)


def _ref(path: Path, display: str, size: int) -> FileRef:
    ident = file_source(path, display).ident
    return FileRef(path=str(path.absolute()), display=display, ident=ident, size=size)


# ---------------------------------------------------------------------------- reading


def finish(item: Article | ReadError) -> Article | ReadError:
    """What :func:`pressmap.readers.iter_articles` does to each item it yields."""
    from pressmap.normalize import tidy_article

    if isinstance(item, ReadError):
        if "\n" in item.reason or "\r" in item.reason:
            return ReadError(item.path, one_line(item.reason))
        return item
    return tidy_article(item)


def read_whole(part: Whole, ctx: Context) -> Iterator[Article | ReadError]:
    """The articles of ``part``'s files, as a local ingest reads them."""
    for f in part.files:
        src = file_source(Path(f.path), f.display, ident=f.ident)
        for item in guard(lambda src=src: read_source(src, ctx), f.display):
            yield finish(item)


def count_newlines(path: str, start: int, end: int, block: int = 2**24) -> int:
    """Newline bytes in ``path[start:end]``.

    >>> import tempfile; p = tempfile.mktemp(); _ = open(p, "wb").write(b"a\\nb\\nc")
    >>> count_newlines(p, 0, 5), count_newlines(p, 2, 5)
    (2, 1)
    """
    n = 0
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            data = f.read(min(block, left))
            if not data:
                break
            n += data.count(b"\n")
            left -= len(data)
    return n


class RangeFile:
    """The lines of ``raw`` that start in bytes ``start`` to ``end`` (readline/peek, what
    :mod:`pressmap.rows` reads). ``first`` is the number of the first of those lines, given the
    newlines before ``start``. For a range not at the start of the file, one blank line comes
    first, numbered ``first - 1`` (readers skip blank lines; a line starting with a byte-order
    mark is then read as in the whole file, where only line 1 drops it)."""

    def __init__(self, raw: IO[bytes], start: int, end: int, newlines_before: int):
        self._raw, self._end = raw, end
        self._lead = start > 0
        self.first = newlines_before + 1
        self._pos = start
        if start > 0:
            raw.seek(start - 1)
            skipped = self._skip_line()
            self._pos = start - 1 + skipped
            self.first += skipped > 1  # the newline ending the partial line is inside the range
        self._at_line_start = True

    def _skip_line(self) -> int:
        n = 0
        while True:
            part = self._raw.readline(2**20)
            n += len(part)
            if not part or part.endswith(b"\n"):
                return n

    def peek(self, size: int = 0) -> bytes:
        return b""  # the planner checked the file's head: plain UTF-8 text

    def readline(self, size: int = -1) -> bytes:
        if self._lead:
            self._lead = False
            return b"\n"
        if self._at_line_start and self._pos >= self._end:
            return b""
        line = self._raw.readline(size)
        self._pos += len(line)
        self._at_line_start = line.endswith(b"\n")
        return line


def read_range(r: Range, newlines_before: int, ctx: Context) -> Iterator[Article | ReadError]:
    """The articles and row errors of range ``r``, numbered as in the whole file. File-level
    checks (size cap, empty file, the cap on reported errors) are the caller's."""
    return guard(lambda: _range_items(r, newlines_before, ctx), r.file.display)


def _range_items(r: Range, newlines_before: int, ctx: Context) -> Iterator[Article | ReadError]:
    from pressmap.rows import _jsonl_rows

    f = r.file
    # the row reader names rows "<display>#<n>" and ids "<ident>#<n>"; it is given unique
    # names, then n is shifted to the line number in the whole file
    tag = f"\x00pressmap-range-{os.getpid()}-{id(r)}"
    src = file_source(Path(f.path), tag, ident=tag + "i")
    with open(f.path, "rb") as raw:
        lines = RangeFile(raw, r.start, r.end, newlines_before)
        shift = lines.first - 1 - (r.start > 0)
        for item in _jsonl_rows(lines, src, ctx):  # type: ignore[arg-type]
            yield finish(_renumber(item, tag, f, shift))


def _renumber(item: Article | ReadError, tag: str, f: FileRef, shift: int) -> Article | ReadError:
    def fix(name: str | None, base: str, to: str) -> str | None:
        if name is None or not name.startswith(base + "#"):
            return name
        return f"{to}#{int(name[len(base) + 1:]) + shift}"

    if isinstance(item, ReadError):
        path = f.display if item.path == tag else fix(item.path, tag, f.display)
        return ReadError(path or f.display, item.reason)
    return replace(item, path=fix(item.path, tag, f.display), id=fix(item.id, tag + "i", f.ident))
