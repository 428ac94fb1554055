"""Turn every input an analyst has into :class:`Article`s or one-line :class:`ReadError`s.

Files (.txt, .html, .jsonl, .json, .csv/.tsv, feeds, .zip/.gz), folders and http(s) URLs.
Nothing here raises on bad input: each failure becomes a ``ReadError(path, reason)`` and
the rest of the batch goes on.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "a.jsonl").write_text('{"id": "x1", "text": "Talks in Baku."}\\n')
>>> [a.id for a in iter_articles([d])]
['x1']
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from pressmap.model import Article, Extracted, ReadError
from pressmap.normalize import tidy_article

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile input bounded in memory and time.

    >>> Limits().max_file_bytes // MB
    20
    """

    max_file_bytes: int = 20 * MB  # one .txt/.html/feed document, or a fetched page
    max_json_bytes: int = 100 * MB  # a whole .json file (parsed in memory)
    max_table_bytes: int = 4096 * MB  # a .jsonl/.csv file (streamed line by line)
    max_line_bytes: int = 20 * MB  # one JSONL line or CSV row
    max_member_bytes: int = 200 * MB  # one archive member, uncompressed
    max_archive_bytes: int = 1024 * MB  # all members of one archive, uncompressed
    max_members: int = 10_000  # members read from one archive
    max_errors_per_file: int = 100  # row errors reported per file before summarising
    max_feed_items: int = 1_000
    fetch_timeout: float = 15.0  # seconds per network operation
    fetch_deadline: float = 60.0  # seconds for a whole page download
    max_redirects: int = 5
    fetch_links: bool = True  # fetch each feed item's link (else use its description)
    feed_fetch_seconds: float = 300.0  # time for fetching one feed's links; then descriptions


@dataclass(frozen=True)
class FieldMap:
    """Names of the fields to use in JSON/CSV rows, overriding the usual guesses.

    Dotted names reach into objects: ``FieldMap(source="source.name")``.

    >>> FieldMap(text="story").text
    'story'
    """

    text: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None
    id: str | None = None


FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "maintext", "fulltext",
             "article_text", "story_text", "bodytext", "body_text"),
    "title": ("title", "headline", "webtitle"),
    "published": ("published", "date", "pubdate", "publish_date", "published_at", "seendate",
                  "date_publish", "pub_date", "publication_date", "publishedat", "datepublished",
                  "date_published", "webpublicationdate", "datetime", "created_at", "timestamp"),
    "url": ("url", "link", "href", "weburl", "source_url", "article_url"),
    "source": ("source", "source_name", "domain", "media_name", "outlet", "site", "publisher",
               "sitename", "site_name"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang"),
    "id": ("id", "guid", "stories_id", "article_id", "_id", "uid"),
}

LIST_KEYS = ("articles", "items", "data", "results", "stories", "entries", "docs", "documents",
             "records", "rows", "hits", "news", "posts")

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson", ".jsonlines"}
JSON_EXT = {".json"}
CSV_EXT = {".csv", ".tsv"}
FEED_EXT = {".xml", ".rss", ".atom"}
ARCHIVE_EXT = {".zip", ".gz", ".tgz", ".tar"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | JSONL_EXT | JSON_EXT | CSV_EXT | FEED_EXT | ARCHIVE_EXT
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3", "-wal", "-shm", "-journal")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]+):")


class ReadFailure(Exception):
    """Raised inside readers; turned into a :class:`ReadError` at the edge."""


# ---------------------------------------------------------------------------- helpers


def one_line(reason: str, limit: int = 300) -> str:
    """Collapse whitespace so a reason fits on one line.

    >>> one_line("bad\\n  thing")
    'bad thing'
    """
    s = " ".join(str(reason).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def describe_exception(e: BaseException) -> str:
    """A short one-line description of an unexpected exception."""
    if isinstance(e, RecursionError):
        return "input nested too deeply (RecursionError)"
    if isinstance(e, MemoryError):
        return "out of memory while reading"
    if isinstance(e, OSError) and e.strerror:
        return one_line(e.strerror.lower())
    msg = one_line(str(e), 200)
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


def human_size(n: int) -> str:
    """Size for messages.

    >>> human_size(30 * MB)
    '30.0 MB'
    """
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 10_000 else f"{n} bytes"


_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "zip archive"), (b"\x1f\x8b", "gzip data"), (b"SQLite format 3", "SQLite database"),
    (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"BZh", "bzip2 data"), (b"\xfd7zXZ", "xz data"), (b"7z\xbc\xaf", "7z archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """Encoding named by a byte-order mark, if any.

    >>> bom_encoding(b"\\xff\\xfeh\\x00")
    'utf-16'
    """
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """Guess BOM-less UTF-16 from NULs in every other byte (mostly-ASCII text)."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff_binary(head: bytes) -> str | None:
    """Reason why ``head`` is not text, or None when it may be text.

    >>> sniff_binary(b"%PDF-1.4 ...")
    'binary file (looks like PDF), not text'
    >>> sniff_binary(b"Hello") is None
    True
    """
    if bom_encoding(head) or utf16_without_bom(head):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file (looks like {what}), not text"
    if b"\x00" in head[:65536]:
        return "binary file (contains NUL bytes), not text"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) in ("Cc", "Cs", "Co"))
    return bad / len(sample)


def _byte_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable bytes one by one as cp1252, else Latin-1."""
    assert isinstance(err, UnicodeDecodeError)
    out = []
    for b in err.object[err.start:err.end]:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), err.end


codecs.register_error("pressmap-cp1252", _byte_fallback)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_8bit(data: bytes) -> tuple[str, str]:
    """Decode BOM-less 8-bit text: ``(text, encoding)``. Never fails.

    UTF-8 when valid; UTF-8 with stray bytes taken as cp1252 when it holds real UTF-8
    sequences; else cp1252 (Latin-1 for the five bytes cp1252 leaves undefined).

    >>> decode_8bit("Côte d’Ivoire".encode("cp1252"))
    ('Côte d’Ivoire', 'cp1252')
    >>> decode_8bit("Côte".encode() + b" \\x92s")
    ('Côte ’s', 'utf-8')
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data[: 1 << 20]):
        return data.decode("utf-8", errors="pressmap-cp1252"), "utf-8"
    return data.decode("cp1252", errors="pressmap-cp1252"), "cp1252"


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: BOMs (UTF-8/16/32), UTF-8, else cp1252 (see :func:`decode_8bit`).

    Raises :class:`ReadFailure` for binary or undecodable data.

    >>> decode_bytes("Côte d'Ivoire".encode("cp1252"))
    "Côte d'Ivoire"
    >>> decode_bytes("Côte".encode("utf-16"))
    'Côte'
    """
    why = sniff_binary(data)
    if why:
        raise ReadFailure(why)
    enc = bom_encoding(data) or utf16_without_bom(data)
    if enc:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            if e.start < len(data) - 4:
                raise ReadFailure(f"undecodable: broken {enc} text at byte {e.start}") from None
            text = data.decode(enc, errors="replace")  # truncated last character only
    else:
        text, enc = decode_8bit(data)
    ratio = _control_ratio(text)
    if ratio > 0.05:
        if enc in ("utf-8", "utf-8-sig"):
            raise ReadFailure(f"binary file ({ratio:.0%} control characters), not text")
        raise ReadFailure(
            f"undecodable: not UTF-8, UTF-16 or cp1252 text ({ratio:.0%} control characters)"
        )
    return text


def decode_line(data: bytes) -> str:
    """Decode one line of a row file (see :func:`decode_8bit`)."""
    return decode_8bit(data)[0]


def read_capped(stream: IO[bytes], cap: int, what: str = "file") -> bytes:
    """Read at most ``cap`` bytes in chunks; raise :class:`ReadFailure` beyond it.

    >>> read_capped(io.BytesIO(b"abc"), 10)
    b'abc'
    """
    buf = bytearray()
    while True:
        chunk = stream.read(min(1 << 20, cap + 1 - len(buf)))
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > cap:
            raise ReadFailure(f"{what} larger than the {human_size(cap)} cap")


# ---------------------------------------------------------------------------- sources


@dataclass
class Source:
    """One input to read: how to open it, how to name it, how to id what it holds.

    ``display`` is the path as given (Article.path / ReadError.path), ``ident`` the id base
    (resolved path, ``archive!member`` or URL), ``name`` decides the type by extension.
    """

    display: str
    ident: str
    name: str
    open: Callable[[], IO[bytes]]
    size: int | None = None
    url: str | None = None
    doc_cap: int | None = None  # cap for documents read whole (txt/html/feed/json)
    table_cap: int | None = None  # cap for streamed row files
    content_type: str | None = None
    depth: int = 0  # archive nesting level


@dataclass
class Context:
    limits: Limits
    fields: FieldMap
    allow_private: bool


def kind_of(name: str) -> str | None:
    """Type of input from its file name, or None when unknown.

    >>> kind_of("a/b.JSONL"), kind_of("x.csv.gz"), kind_of("x.bin")
    ('jsonl', 'gz', None)
    """
    ext = os.path.splitext(name.lower())[1]
    for exts, kind in ((TEXT_EXT, "text"), (HTML_EXT, "html"), (JSONL_EXT, "jsonl"), (JSON_EXT, "json"),
                       (CSV_EXT, "csv"), (FEED_EXT, "feed")):
        if ext in exts:
            return kind
    if ext == ".zip":
        return "zip"
    if ext in (".gz", ".tgz"):
        return "gz"
    if ext == ".tar":
        return "tar"
    return None


def sniff_kind(head: bytes, content_type: str | None = None) -> str:
    """Guess the type of a document from its first bytes (and HTTP content type).

    >>> sniff_kind(b'<?xml version="1.0"?><rss>'), sniff_kind(b"<!doctype html><p>"), sniff_kind(b"Hi")
    ('feed', 'html', 'text')
    """
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if ct in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    if ct == "application/json":
        return "json"
    if ct == "text/csv":
        return "csv"
    if ct == "application/zip":
        return "zip"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    enc = bom_encoding(head) or utf16_without_bom(head)
    try:
        text = head.decode(enc or "latin-1", errors="ignore")
    except LookupError:  # pragma: no cover
        text = ""
    start = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if start.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)[\s>]", start):
            return "feed"
        if start.startswith("<?xml") and "<html" not in start:
            return "feed"
        return "html"
    if start.startswith("{"):
        first = start.split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") and "\n{" in start else "json"
    if start.startswith("["):
        return "json"
    if ct in ("application/xml", "text/xml"):
        return "feed"
    return "text"


def file_source(path: Path, display: str, *, ident: str | None = None) -> Source:
    """A :class:`Source` for a file on disk; ``ident`` defaults to its resolved path."""
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    return Source(display=display, ident=ident or str(path.resolve()), name=path.name,
                  open=lambda: open(path, "rb"), size=size)


# ---------------------------------------------------------------------------- entry points


def iter_articles(
    sources: Iterable[str | Path],
    *,
    limits: Limits | None = None,
    fields: FieldMap | None = None,
    allow_private: bool = False,
) -> Iterator[Article | ReadError]:
    """Read every source (files, folders, http(s) URLs) into Articles or ReadErrors.

    Never raises for bad input; a failing source yields one ReadError and the batch goes on.
    """
    ctx = Context(limits or Limits(), fields or FieldMap(), allow_private)
    if isinstance(sources, (str, Path)):  # one source given bare, not a list of characters
        sources = [sources]
    for src in sources:
        display = str(src)
        for item in guard(lambda src=src: _read_any(src, ctx), display):
            if isinstance(item, ReadError):
                if "\n" in item.reason or "\r" in item.reason:
                    item = ReadError(item.path, one_line(item.reason))
            else:
                item = tidy_article(item)
            yield item


def read_path(path: str | Path, **options: Any) -> Iterator[Article | ReadError]:
    """Read one file, folder or URL; same options as :func:`iter_articles`."""
    return iter_articles([path], **options)


def guard(make: Callable[[], Iterable[Article | ReadError]], display: str) -> Iterator[Article | ReadError]:
    """Run a reader, turning any exception into one ReadError for ``display``."""
    try:
        yield from make()
    except ReadFailure as e:
        yield ReadError(display, one_line(str(e)))
    except Exception as e:  # noqa: BLE001 - the batch must go on
        yield ReadError(display, one_line(describe_exception(e)))


def looks_like_url(s: str) -> bool:
    """True for strings with a URL scheme (``http:``, ``file:``, ``javascript:`` ...).

    >>> looks_like_url("https://x.org"), looks_like_url("C:/data"), looks_like_url("a/b.txt")
    (True, False, False)
    """
    return bool(_SCHEME.match(s))


def _read_any(src: str | Path, ctx: Context) -> Iterator[Article | ReadError]:
    display = str(src)
    if not display.strip():
        raise ReadFailure("empty path")
    if "\x00" in display:
        raise ReadFailure("path contains a NUL byte")
    if isinstance(src, str) and looks_like_url(src) and not os.path.exists(src):
        yield from _read_url(src, ctx)
        return
    path = Path(src)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadFailure("broken symlink (target does not exist)") from None
        raise ReadFailure("no such file or directory") from None
    except PermissionError:
        raise ReadFailure("permission denied") from None
    except OSError as e:
        if e.errno == 40:  # ELOOP
            raise ReadFailure("symlink loop") from None
        raise ReadFailure(one_line(e.strerror or str(e))) from None
    if stat.S_ISDIR(st.st_mode):
        yield from _read_dir(path, display, ctx)
    elif stat.S_ISREG(st.st_mode):
        yield from read_source(file_source(path, display), ctx)
    else:
        raise ReadFailure("not a regular file or folder")


def _read_url(url: str, ctx: Context) -> Iterator[Article | ReadError]:
    from pressmap.fetch import FetchError, fetch

    try:
        page = fetch(url, limits=ctx.limits, allow_private=ctx.allow_private)
    except FetchError as e:
        raise ReadFailure(str(e)) from None
    body = page.body
    name = page.final_url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    src = Source(display=url, ident=url, name=name if kind_of(name) else "",
                 open=lambda: io.BytesIO(body), size=len(body), url=page.final_url,
                 content_type=page.content_type)
    yield from read_source(src, ctx)


# ---------------------------------------------------------------------------- folders


def _skip_name(name: str) -> bool:
    low = name.lower()
    return name.startswith(".") or low.endswith(DB_SUFFIXES) or name.endswith("~")


def walk_folder(root: Path, display: str) -> Iterator[tuple[Path, str] | ReadError | int]:
    """Files under ``root`` in sorted order, as ``(path, display)``.

    Skips hidden names and database files; yields a ReadError for symlink loops and
    unreadable folders, and an ``int`` 1 for each file skipped as an unknown type.
    """
    seen_files: set[Path] = set()
    # stack of ("dir", path, display, ancestors) / ("file", path, display, ()); popped in order
    stack: list[tuple[str, Path, str, tuple[Path, ...]]] = [("dir", root, display, ())]
    while stack:
        what, d, d_display, ancestors = stack.pop()
        if what == "file":
            yield (d, d_display)
            continue
        try:
            real = d.resolve(strict=True)
        except (OSError, RuntimeError):
            yield ReadError(d_display, "symlink loop")
            continue
        if real in ancestors:
            yield ReadError(d_display, f"symlink loop (points back to {real}); skipped")
            continue
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except PermissionError:
            yield ReadError(d_display, "permission denied")
            continue
        except OSError as e:
            yield ReadError(d_display, one_line(e.strerror or str(e)))
            continue
        chain = (*ancestors, real)
        pending: list[tuple[str, Path, str, tuple[Path, ...]]] = []
        for entry in entries:
            if _skip_name(entry.name):
                continue
            p = Path(entry.path)
            p_display = os.path.join(d_display, entry.name)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError:
                is_dir = is_file = False
            if is_dir:
                pending.append(("dir", p, p_display, chain))
            elif is_file:
                if kind_of(entry.name) is None:
                    yield 1
                    continue
                try:
                    rp = p.resolve(strict=True)
                except (OSError, RuntimeError):
                    pending.append(("error", p, p_display, ()))
                    continue
                if rp in seen_files:
                    continue
                seen_files.add(rp)
                pending.append(("file", p, p_display, ()))
            elif entry.is_symlink():
                try:
                    os.stat(entry.path)
                    yield ReadError(p_display, "not a regular file")
                except OSError as e:
                    reason = "symlink loop" if e.errno == 40 else "broken symlink (target does not exist)"
                    yield ReadError(p_display, reason)
        for item in pending:
            if item[0] == "error":
                yield ReadError(item[2], "symlink loop")
            else:
                stack.append(item)


def _read_dir(root: Path, display: str, ctx: Context) -> Iterator[Article | ReadError]:
    files = skipped = reported = 0
    for item in walk_folder(root, display):
        if isinstance(item, int):
            skipped += item
        elif isinstance(item, ReadError):
            reported += 1
            yield item
        else:
            files += 1
            path, p_display = item
            yield from guard(lambda path=path, p_display=p_display: read_source(
                file_source(path, p_display), ctx), p_display)
    if files == 0 and reported == 0:
        extra = f" ({skipped} files of unknown type skipped)" if skipped else ""
        yield ReadError(display, f"no readable files in folder{extra}")


# ---------------------------------------------------------------------------- dispatch


def read_source(src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    """Read one :class:`Source` by type (from its name, else sniffed from its content)."""
    kind = kind_of(src.name)
    if kind is None or kind == "feed" or (src.url and kind in ("text", "html")):
        with src.open() as f:
            head = f.read(4096)
        if kind != "feed":
            kind = sniff_kind(head, src.content_type)
        elif sniff_kind(head) == "html":  # XHTML page saved as .xml
            kind = "html"
    if kind in ("jsonl", "csv"):
        yield from _read_rows(src, kind, ctx)
        return
    if kind in ("zip", "gz", "tar"):
        from pressmap.archives import read_archive

        yield from read_archive(src, kind, ctx)
        return
    cap = src.doc_cap or (ctx.limits.max_json_bytes if kind == "json" else ctx.limits.max_file_bytes)
    if src.size is not None and src.size > cap:
        raise ReadFailure(f"file too large: {human_size(src.size)} (cap {human_size(cap)})")
    with src.open() as f:
        data = read_capped(f, cap, "decompressed data" if src.depth else "file")
    if not data.strip():
        raise ReadFailure("empty file")
    if kind == "html":
        yield _html_article(data, src)
    elif kind == "feed":
        from pressmap.feeds import read_feed

        yield from read_feed(data, src, ctx)
    elif kind == "json":
        yield from _read_json(data, src, ctx)
    else:
        yield _text_article(data, src)


def _text_article(data: bytes, src: Source) -> Article | ReadError:
    text = decode_bytes(data)
    if not text.strip():
        return ReadError(src.display, "empty file (only whitespace)")
    try:
        from pressmap.textdump import extract
    except ImportError:
        ex = Extracted(text=text.strip())
    else:
        ex = extract(text)
    return make_article(ex, ident=src.ident, display=src.display, url=src.url)


def _html_article(data: bytes, src: Source) -> Article | ReadError:
    why = sniff_binary(data)
    if why:
        raise ReadFailure(why)
    try:
        from pressmap.htmlpage import extract
    except ImportError:
        raise ReadFailure("HTML extraction unavailable (pressmap.htmlpage missing)") from None
    try:
        ex = extract(data, url=src.url)
    except RecursionError:
        raise ReadFailure("HTML nested too deeply to parse (RecursionError)") from None
    except Exception as e:  # noqa: BLE001
        raise ReadFailure(f"could not extract HTML: {describe_exception(e)}") from None
    if not (ex.text or "").strip() and html_depth(data) > MAX_HTML_DEPTH:
        raise ReadFailure(f"no article text found (HTML nested more than {MAX_HTML_DEPTH} levels deep)")
    return make_article(ex, ident=src.ident, display=src.display, url=src.url)


MAX_HTML_DEPTH = 1000
_TAG = re.compile(rb"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
         b"param", b"source", b"track", b"wbr", b"p", b"li", b"option", b"td", b"tr"}


def html_depth(data: bytes, stop: int = MAX_HTML_DEPTH) -> int:
    """Rough element nesting depth of an HTML page (stops counting past ``stop``).

    >>> html_depth(b"<html><body>" + b"<div>" * 5 + b"</div>" * 5 + b"</body></html>")
    7
    """
    depth = deepest = 0
    for m in _TAG.finditer(data):
        name = m.group(2).lower()
        if m.group(3) or name in _VOID:
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from :mod:`pressmap.language` when that module exists, else None."""
    try:
        from pressmap.language import detect_language as detect
    except ImportError:
        return None
    try:
        return detect(text)
    except Exception:  # noqa: BLE001 - language is optional metadata
        return None


def make_article(ex: Extracted, *, ident: str, display: str, url: str | None = None) -> Article | ReadError:
    """Article from extracted text, or ReadError when there is no text."""
    if ex is None or not (ex.text or "").strip():
        return ReadError(display, "no article text found")
    text = ex.text
    return Article(
        id=ident, text=text, title=ex.title or None, published=ex.published or None,
        source=ex.source or None, url=ex.url or url, path=display, author=ex.author or None,
        language=ex.language or detect_language(text),
    )


# ---------------------------------------------------------------------------- rows


def _get_path(row: dict, dotted: str) -> Any:
    cur: Any = row
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        if part in cur:
            cur = cur[part]
            continue
        low = {str(k).lower(): k for k in cur}
        if part.lower() not in low:
            return None
        cur = cur[low[part.lower()]]
    return cur


def _as_text(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        s = value.strip()
        return s or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for k in ("name", "title", "text", "value", "domain", "url", "href"):
            if k in value:
                return _as_text(value[k], field)
        return None
    if isinstance(value, (list, tuple)):
        parts = [p for p in (_as_text(v, field) for v in value) if p]
        sep = "\n\n" if field == "text" else ", "
        return sep.join(parts) or None
    return one_line(str(value)) or None


def field_value(row: dict, field: str, fields: FieldMap) -> str | None:
    """Value of ``field`` in ``row``: the FieldMap name if set, else the first common name.

    >>> field_value({"Headline": "Hi"}, "title", FieldMap())
    'Hi'
    """
    override = getattr(fields, field)
    if override:
        value = row[override] if override in row else _get_path(row, override)
        return _as_text(value, field)
    low = {str(k).lower(): k for k in row}
    for name in FIELD_NAMES[field]:
        if name in low:
            v = _as_text(row[low[name]], field)
            if v:
                return v
    return None


def row_article(row: Any, n: int, src: Source, ctx: Context) -> Article | ReadError:
    """Article from one JSON object or CSV row number ``n``."""
    try:
        return _row_article(row, n, src, ctx)
    except RecursionError:
        return ReadError(f"{src.display}#{n}", "JSON nested too deeply")


_KEY_MAPS: dict[tuple, dict[str, tuple]] = {}


def _field_keys(row: dict) -> dict[str, tuple]:
    """Per field, the keys of ``row`` that :func:`field_value` tries, in its order. Rows of one
    file share their keys, so this is worked out once per set of keys."""
    sig = tuple(row) if len(row) <= 64 else None  # huge rows: not cached (memory)
    found = _KEY_MAPS.get(sig) if sig is not None else None
    if found is None:
        low = {str(k).lower(): k for k in row}
        found = {f: tuple(low[n] for n in names if n in low) for f, names in FIELD_NAMES.items()}
        if sig is not None:
            if len(_KEY_MAPS) >= 512:
                _KEY_MAPS.clear()
            _KEY_MAPS[sig] = found
    return found


def _row_article(row: Any, n: int, src: Source, ctx: Context) -> Article | ReadError:
    display = f"{src.display}#{n}"
    if not isinstance(row, dict):
        return ReadError(display, f"row is a JSON {type(row).__name__}, not an object")
    fields = ctx.fields
    keys = _field_keys(row)

    def get(f: str) -> str | None:  # field_value(row, f, fields), without its per-call key map
        if getattr(fields, f):
            return field_value(row, f, fields)
        for k in keys[f]:
            v = _as_text(row[k], f)
            if v:
                return v
        return None

    text = get("text")
    if not text:
        shown = ", ".join(str(k) for k in list(row)[:20]) or "none"
        looked = ctx.fields.text or "/".join(FIELD_NAMES["text"][:6])
        return ReadError(display, f"no text (looked for {looked}; keys: {shown})")
    rid, url = get("id"), get("url")
    return Article(
        id=rid or url or f"{src.ident}#{n}", text=text, title=get("title"),
        published=get("published"), source=get("source"), url=url, path=display,
        author=get("author"), language=get("language") or detect_language(text),
    )


class _ErrorBudget:
    """Passes row errors through until ``limit``; then counts the rest."""

    def __init__(self, src: Source, limit: int):
        self.src, self.limit, self.seen, self.rows = src, limit, 0, 0

    def filter(self, item: Article | ReadError) -> Iterator[Article | ReadError]:
        if isinstance(item, ReadError):
            self.seen += 1
            if self.seen > self.limit:
                return
        else:
            self.rows += 1
        yield item

    def summary(self) -> Iterator[ReadError]:
        if self.seen > self.limit:
            yield ReadError(self.src.display, f"{self.seen - self.limit} more bad rows not reported")


def _iter_lines(f: IO[bytes], src: Source, ctx: Context) -> Iterator[tuple[int, str | None]]:
    """Numbered decoded lines; ``None`` for a line over the cap (its bytes are skipped)."""
    cap = ctx.limits.max_line_bytes
    total_cap = src.table_cap or ctx.limits.max_table_bytes
    head = f.peek(4096)[:4096] if hasattr(f, "peek") else b""
    why = sniff_binary(head)
    if why:
        raise ReadFailure(why)
    enc = bom_encoding(head) or utf16_without_bom(head)
    total = 0
    if enc and enc != "utf-8-sig":
        text_f = io.TextIOWrapper(f, encoding=enc, errors="replace", newline="")
        n = 0
        while True:
            line = text_f.readline(cap)
            if not line:
                return
            n += 1
            total += len(line) * 2
            if total > total_cap:
                raise ReadFailure(f"file larger than the {human_size(total_cap)} cap")
            if len(line) >= cap and not line.endswith("\n"):
                while line and not line.endswith("\n"):
                    line = text_f.readline(cap)
                yield n, None
            else:
                yield n, line
    n = 0
    while True:
        raw = f.readline(cap + 1)
        if not raw:
            return
        n += 1
        total += len(raw)
        if total > total_cap:
            raise ReadFailure(f"file larger than the {human_size(total_cap)} cap")
        if len(raw) > cap:
            while raw and not raw.endswith(b"\n"):
                raw = f.readline(cap + 1)
                total += len(raw)
            yield n, None
            continue
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        if b"\x00" in raw:
            yield n, "\x00"
            continue
        yield n, decode_line(raw)


def _open_buffered(src: Source) -> IO[bytes]:
    f = src.open()
    return f if hasattr(f, "peek") else io.BufferedReader(f)  # type: ignore[arg-type]


def _read_rows(src: Source, kind: str, ctx: Context) -> Iterator[Article | ReadError]:
    cap = src.table_cap or ctx.limits.max_table_bytes
    if src.size is not None and src.size > cap:
        raise ReadFailure(f"file too large: {human_size(src.size)} (cap {human_size(cap)})")
    budget = _ErrorBudget(src, ctx.limits.max_errors_per_file)
    with _open_buffered(src) as f:
        rows = _jsonl_rows(f, src, ctx) if kind == "jsonl" else _csv_rows(f, src, ctx)
        for item in rows:
            yield from budget.filter(item)
    yield from budget.summary()
    if budget.rows == 0 and budget.seen == 0:
        yield ReadError(src.display, "empty file" if kind == "jsonl" else "no data rows")


def _jsonl_rows(f: IO[bytes], src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    for n, line in _iter_lines(f, src, ctx):
        where = f"{src.display}#{n}"
        if line is None:
            yield ReadError(where, f"line longer than the {human_size(ctx.limits.max_line_bytes)} cap")
            continue
        if line == "\x00":
            yield ReadError(where, "binary data (NUL bytes) in line")
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except RecursionError:
            yield ReadError(where, "JSON nested too deeply")
            continue
        except ValueError as e:
            msg = e.msg.removesuffix(" at") if isinstance(e, json.JSONDecodeError) else str(e)
            col = f" at column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
            yield ReadError(where, one_line(f"invalid JSON: {msg}{col}"))
            continue
        yield row_article(row, n, src, ctx)


def _csv_rows(f: IO[bytes], src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    csv.field_size_limit(max(ctx.limits.max_line_bytes, 131072))
    lines = _iter_lines(f, src, ctx)
    state = {"n": 0}

    def text_lines() -> Iterator[str]:
        for n, line in lines:
            state["n"] = n
            if line is None:
                raise ReadFailure(f"line {n} longer than the {human_size(ctx.limits.max_line_bytes)} cap")
            if line == "\x00":
                raise ReadFailure(f"binary data (NUL bytes) at line {n}")
            yield line

    it = text_lines()
    first = next(it, None)
    while first is not None and not first.strip():
        first = next(it, None)
    if first is None:
        raise ReadFailure("empty file")
    delim = "\t" if src.name.lower().endswith(".tsv") else _guess_delimiter(first)
    header = next(csv.reader([first], delimiter=delim), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    probe = {h: "x" for h in header if h}
    if not field_value(probe, "text", ctx.fields):
        found = ", ".join(repr(h) for h in header[:30]) or "none"
        want = ctx.fields.text or ", ".join(FIELD_NAMES["text"][:6])
        raise ReadFailure(f"no text column (looked for {want}; columns found: {found})")
    reader = csv.reader(it, delimiter=delim)
    while True:
        start = state["n"] + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield ReadError(f"{src.display}#{start}", one_line(f"bad CSV row: {e}"))
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            yield ReadError(f"{src.display}#{start}",
                            f"row has {len(values)} fields, header has {len(header)}")
            continue
        row = {h: v for h, v in zip(header, values, strict=False) if h}
        yield row_article(row, start, src, ctx)


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _read_json(data: bytes, src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    text = decode_bytes(data)
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ReadFailure("JSON nested too deeply") from None
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError):
            lines = text.lstrip().splitlines()
            if len(lines) > 1 and e.msg == "Extra data":  # JSON Lines saved as .json
                in_memory = replace(src, open=lambda: io.BytesIO(data), size=len(data))
                yield from _read_rows(in_memory, "jsonl", ctx)
                return
            raise ReadFailure(one_line(f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")) from None
        raise ReadFailure(one_line(f"invalid JSON: {e}")) from None
    items = _json_items(doc, ctx)
    if items is None:
        if isinstance(doc, dict):
            art = row_article(doc, 1, src, ctx)
            if isinstance(art, Article):
                if art.id == f"{src.ident}#1":
                    art.id = src.ident
                art.path = src.display
                yield art
                return
            keys = ", ".join(str(k) for k in list(doc)[:20]) or "none"
            raise ReadFailure(f"no list of articles and no text field (top-level keys: {keys})")
        raise ReadFailure(f"JSON holds a {type(doc).__name__}, not articles")
    if not items:
        raise ReadFailure("no articles (empty list)")
    budget = _ErrorBudget(src, ctx.limits.max_errors_per_file)
    for i, row in enumerate(items, 1):
        yield from budget.filter(row_article(row, i, src, ctx))
    yield from budget.summary()


def _json_items(doc: Any, ctx: Context, depth: int = 0) -> list | None:
    """The list of article objects in a JSON document, or None when there is none.

    A top-level list; else a list under a common key (``articles``, ``items``, ``results``
    ...), looked for up to three objects deep (``{"response": {"results": [...]}}``).
    """
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict) or depth > 3:
        return None
    if field_value(doc, "text", ctx.fields):
        return None
    low = {str(k).lower(): k for k in doc}
    for key in LIST_KEYS:
        if key in low and isinstance(doc[low[key]], list):
            return doc[low[key]]
    for value in doc.values():
        if isinstance(value, dict):
            inner = _json_items(value, ctx, depth + 1)
            if inner is not None:
                return inner
    return None
