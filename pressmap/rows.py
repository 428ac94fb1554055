"""Rows of scraper and news-API exports (JSONL, JSON, CSV/TSV) as articles, taken as clean text.

Fields are found by common names (``text``/``body``/``content``, ``title``/``headline``, ...)
or by a :class:`~pressmap.readers.FieldMap`; a broken line or row is one ``ReadError`` naming
``file#line`` and the rest of the file goes on.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from pressmap.decoding import (
    ReadFailure,
    bom_encoding,
    decode_bytes,
    decode_line,
    human_size,
    one_line,
    sniff_binary,
    utf16_without_bom,
)
from pressmap.model import Article, ReadError
from pressmap.readers import FIELD_NAMES, LIST_KEYS, Context, FieldMap, Source, detect_language

try:  # optional: about twice as fast as json.loads on rows (see _loads_row)
    import orjson
except ImportError:  # pragma: no cover - plain json then
    orjson = None


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


@functools.lru_cache(maxsize=64)
def _overridden(fields: FieldMap) -> frozenset[str]:
    """The fields that ``fields`` names explicitly (the others are guessed from the keys)."""
    return frozenset(f for f in FIELD_NAMES if getattr(fields, f))


def _row_article(row: Any, n: int, src: Source, ctx: Context) -> Article | ReadError:
    display = f"{src.display}#{n}"
    if not isinstance(row, dict):
        return ReadError(display, f"row is a JSON {type(row).__name__}, not an object")
    fields = ctx.fields
    keys = _field_keys(row)
    overridden = _overridden(fields)

    def get(f: str) -> str | None:  # field_value(row, f, fields), without its per-call key map
        if f in overridden:
            return field_value(row, f, fields)
        for k in keys[f]:
            v = row[k]
            v = v.strip() if v.__class__ is str else _as_text(v, f)  # (a string: the usual)
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


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` holds only strings, ints, booleans, None, lists and objects, at most
    50 deep: where orjson and ``json.loads`` are known to build the same value. (orjson reads
    an integer beyond 64 bits as a float, and may round a long decimal differently.)"""
    t = type(value)
    if t is dict or t is list:
        if depth > 50:
            return False
        for v in value.values() if t is dict else value:
            if type(v) is not str and not _plain(v, depth + 1):
                return False
        return True
    return t is str or t is int or t is bool or value is None


def _loads_row(line: str) -> Any:
    """``json.loads(line)``, faster through orjson where it gives the same value; anything
    else (errors included, with their messages) goes through ``json.loads``."""
    if orjson is not None:
        try:
            row = orjson.loads(line)
        except ValueError:
            pass
        else:
            if _plain(row):
                return row
    return json.loads(line)


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


def read_rows(src: Source, kind: str, ctx: Context) -> Iterator[Article | ReadError]:
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
            row = _loads_row(line)
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


def read_json(data: bytes, src: Source, ctx: Context) -> Iterator[Article | ReadError]:
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
                yield from read_rows(in_memory, "jsonl", ctx)
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
