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

import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pressmap.decoding import (  # noqa: F401 - re-exported: readers' public helpers
    MB,
    ReadFailure,
    bom_encoding,
    decode_8bit,
    decode_bytes,
    decode_line,
    describe_exception,
    human_size,
    one_line,
    read_capped,
    sniff_binary,
    utf16_without_bom,
)
from pressmap.model import Article, Extracted, ReadError
from pressmap.normalize import tidy_article


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
        from pressmap.rows import read_rows

        yield from read_rows(src, kind, ctx)
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
        from pressmap.rows import read_json

        yield from read_json(data, src, ctx)
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
        if not ex.text.strip() and _one_plain_line(text):
            ex = Extracted(text=text.strip())  # a bare one-line note: nothing around it to drop
    return make_article(ex, ident=src.ident, display=src.display, url=src.url)


def _one_plain_line(text: str) -> bool:
    """True for text that is one line of at least five words, not a list item or a menu.

    >>> _one_plain_line("Kenya and Uganda signed a trade deal"), _one_plain_line("  • Home")
    (True, False)
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (len(lines) == 1 and len(lines[0].split()) >= 5 and len(lines[0]) <= 2000
            and lines[0][0].isalnum())


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


_UNLOADED = object()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from :mod:`pressmap.language` when that module exists, else None."""
    # (A lookup in sys.modules: an import statement per call costs more.)
    module = sys.modules.get("pressmap.language", _UNLOADED)
    if module is _UNLOADED:
        try:
            import pressmap.language as module
        except ImportError:
            return None
    elif module is None:  # (blocked, as in a test)
        return None
    try:
        return module.detect_language(text)
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


