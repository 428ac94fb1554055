"""Read articles inside .zip, .gz and .tar(.gz) archives, in memory, within caps.

Nothing is extracted to disk. Members are streamed in chunks and counted as they are read
(header sizes are not trusted), so a zip bomb stops at the cap. Member names that are
absolute or climb out with ``..`` are refused with a reason; hidden members are skipped;
archives inside archives are not opened.

>>> safe_member_name("../etc/passwd"), safe_member_name("news/a.txt")
(False, True)
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from pressmap.model import Article, ReadError
from pressmap.readers import (
    Context,
    Limits,
    ReadFailure,
    Source,
    guard,
    human_size,
    kind_of,
    read_source,
)

_DRIVE = re.compile(r"^[a-zA-Z]:")


def safe_member_name(name: str) -> bool:
    """False for absolute names, drive letters and any ``..`` component.

    >>> safe_member_name("/abs.txt"), safe_member_name("a\\\\..\\\\b.txt"), safe_member_name("C:x.txt")
    (False, False, False)
    """
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name) or "\x00" in name:
        return False
    return ".." not in re.split(r"[/\\]", name)


def hidden_member(name: str) -> bool:
    """Hidden files and macOS resource forks (``__MACOSX/``, ``._x``, ``.git/``) are skipped."""
    parts = [p for p in re.split(r"[/\\]", name) if p]
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


@dataclass
class Budget:
    """Uncompressed bytes read so far from one archive, against a total cap."""

    cap: int
    used: int = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.cap:
            raise ArchiveFull(
                f"archive holds more than the {human_size(self.cap)} total uncompressed cap; rest not read"
            )


class ArchiveFull(ReadFailure):
    """The archive's total uncompressed cap was reached."""


class CountedStream(io.RawIOBase):
    """A read-only stream that charges every byte read to a :class:`Budget`."""

    def __init__(self, inner: IO[bytes], budget: Budget):
        super().__init__()
        self._inner, self._budget = inner, budget

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self._inner.read(len(b))
        n = len(data)
        b[:n] = data
        self._budget.spend(n)
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def _member_source(src: Source, name: str, opener, ctx: Context, budget: Budget) -> Source:
    def open_member() -> IO[bytes]:
        return io.BufferedReader(CountedStream(opener(), budget))

    return Source(
        display=f"{src.display}!{name}", ident=f"{src.ident}!{name}", name=name,
        open=open_member, size=None, url=None, doc_cap=ctx.limits.max_file_bytes,
        table_cap=ctx.limits.max_member_bytes, depth=src.depth + 1,
    )


def read_archive(src: Source, kind: str, ctx: Context) -> Iterator[Article | ReadError]:
    """Articles in a .zip / .gz / .tar archive; one ReadError per bad member."""
    if src.depth > 0:
        raise ReadFailure("archive inside an archive is not opened")
    cap = ctx.limits.max_archive_bytes
    if src.size is not None and src.size > cap:
        raise ReadFailure(f"archive too large: {human_size(src.size)} (cap {human_size(cap)})")
    lower = src.name.lower()
    if kind == "zip":
        yield from _read_zip(src, ctx)
    elif kind == "tar" or lower.endswith((".tgz", ".tar.gz")) or _is_tar_gz(src):
        yield from _read_tar(src, ctx)
    else:
        yield from _read_gz(src, ctx)


def _is_tar_gz(src: Source) -> bool:
    with src.open() as raw, gzip.GzipFile(fileobj=raw) as gz:
        try:
            head = gz.read(512)
        except (OSError, EOFError):
            return False
    return len(head) == 512 and head[257:262] == b"ustar"


def _read_gz(src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    inner = src.name[:-3] if src.name.lower().endswith(".gz") else src.name
    budget = Budget(ctx.limits.max_member_bytes)

    def open_inner() -> IO[bytes]:
        raw = src.open()
        return io.BufferedReader(CountedStream(gzip.GzipFile(fileobj=raw), budget))

    member = Source(display=src.display, ident=src.ident, name=inner, open=open_inner,
                    size=None, url=src.url, doc_cap=ctx.limits.max_file_bytes,
                    table_cap=ctx.limits.max_member_bytes, depth=src.depth + 1)
    if kind_of(inner) in ("zip", "gz", "tar"):
        raise ReadFailure("archive inside an archive is not opened")
    try:
        yield from read_source(member, ctx)
    except (gzip.BadGzipFile, EOFError, OSError) as e:
        raise ReadFailure(f"corrupt gzip data: {e}") from None


def _read_zip(src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    limits = ctx.limits
    with src.open() as f:
        listed = _zip_entry_count(f)
        if listed is not None and listed > 10 * limits.max_members:
            raise ReadFailure(f"zip lists {listed} members, more than {10 * limits.max_members}; "
                              "not opened")
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise ReadFailure(f"not a valid zip archive: {e}") from None
        with zf:
            infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
            yield from _read_members(
                src, ctx, [(i.filename, i) for i in infos],
                open_member=lambda info: zf.open(info),
                encrypted=lambda info: bool(info.flag_bits & 0x1),
                declared=lambda info: info.file_size,
                limits=limits,
            )


def _zip_entry_count(f: IO[bytes]) -> int | None:
    """Members a zip's end record declares, read before the directory is loaded into memory."""
    try:
        end = zipfile._EndRecData(f)  # type: ignore[attr-defined]
        f.seek(0)
    except (OSError, AttributeError, ValueError):
        return None
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else None  # type: ignore[attr-defined]


def _read_tar(src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    """Tar (optionally gzipped), streamed in archive order; every byte counts to the cap."""
    budget = Budget(ctx.limits.max_archive_bytes)
    with src.open() as raw:
        head = raw.read(2)
        raw.seek(0)
        inner: IO[bytes] = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
        stream = io.BufferedReader(CountedStream(inner, budget))
        try:
            tf = tarfile.open(fileobj=stream, mode="r|")
        except (tarfile.TarError, OSError, EOFError) as e:
            raise ReadFailure(f"not a valid tar archive: {e}") from None
        with tf:
            def members() -> Iterator[tuple[str, tarfile.TarInfo | None]]:
                try:
                    for m in tf:
                        if m.isfile():
                            yield m.name, m
                        elif m.issym() or m.islnk():
                            yield m.name, None
                except (tarfile.TarError, EOFError, zlib.error) as e:
                    raise ReadFailure(f"corrupt tar archive: {e}") from None

            yield from _read_members(
                src, ctx, members(),
                open_member=lambda m: tf.extractfile(m) or io.BytesIO(b""),
                encrypted=lambda m: False,
                declared=lambda m: m.size,
                limits=ctx.limits,
                budget=budget,
            )


def _read_members(
    src: Source, ctx: Context, members: Iterable[tuple[str, Any]], *,
    open_member: Callable[[Any], IO[bytes]], encrypted: Callable[[Any], bool],
    declared: Callable[[Any], int], limits: Limits, budget: Budget | None = None,
) -> Iterator[Article | ReadError]:
    """Read each ``(name, info)`` member; ``info`` None marks a link member (refused)."""
    budget = budget or Budget(limits.max_archive_bytes)
    readable = skipped = reported = 0
    for count, (name, info) in enumerate(members, 1):
        if count > limits.max_members:
            yield ReadError(src.display, f"archive has more than {limits.max_members} members; "
                                         "the rest are not read")
            return
        m_display = f"{src.display}!{name}"
        if not safe_member_name(name):
            reported += 1
            yield ReadError(m_display, "unsafe member path (absolute or '..'); not read")
            continue
        if hidden_member(name):
            continue
        if info is None:
            reported += 1
            yield ReadError(m_display, "link member in archive; not followed")
            continue
        kind = kind_of(name)
        if kind is None:
            skipped += 1
            continue
        readable += 1
        if kind in ("zip", "gz", "tar"):
            yield ReadError(m_display, "archive inside an archive is not opened")
            continue
        if encrypted(info):
            yield ReadError(m_display, "encrypted member; not read")
            continue
        member_cap = limits.max_file_bytes if kind in ("text", "html", "feed", "json") else limits.max_member_bytes
        size = declared(info)
        if size > member_cap:
            yield ReadError(m_display, f"member too large: {human_size(size)} uncompressed "
                                       f"(cap {human_size(member_cap)})")
            continue
        member = _member_source(src, name, lambda info=info: open_member(info), ctx, budget)
        full = False
        for item in guard(lambda member=member: _read_member(member, ctx), m_display):
            yield item
            if isinstance(item, ReadError) and "total uncompressed cap" in item.reason:
                full = True
        if full:
            return
    if readable == 0 and reported == 0:
        extra = f" ({skipped} of unknown type skipped)" if skipped else ""
        yield ReadError(src.display, f"no readable files in archive{extra}")


def _read_member(member: Source, ctx: Context) -> Iterator[Article | ReadError]:
    try:
        yield from read_source(member, ctx)
    except (zipfile.BadZipFile, EOFError) as e:
        raise ReadFailure(f"corrupt archive member: {e}") from None
    except NotImplementedError as e:
        raise ReadFailure(f"unsupported compression: {e}") from None
    except RuntimeError as e:
        if isinstance(e, RecursionError):
            raise
        raise ReadFailure(f"cannot read member: {e}") from None
