"""Last tidy-up of every Article a reader yields, so the store and the dashboard can trust it.

- lone UTF-16 surrogates (from JSON escapes such as ``"\\ud800"``) become U+FFFD, one
  character for one, so offsets are unchanged and SQLite can store the text;
- ``published`` becomes ISO 8601 when it can be read as a date, is dropped when it names an
  impossible one ("2024-13-45"), and is kept as given when it cannot be read at all.

>>> a = tidy_article(Article(id="1", text="Baku \\ud800", published="2024-13-45"))
>>> a.text, a.published
('Baku \\ufffd', None)
>>> tidy_article(Article(id="2", text="x", published="Tue, 10 Mar 2020 10:00:00 GMT")).published
'2020-03-10T10:00:00+00:00'
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from pressmap.model import Article

_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR_FIELDS = ("id", "text", "title", "source", "url", "path", "author", "language")


def _unsurrogate(s: str | None) -> str | None:
    if s is None or s.isascii():
        return s
    return _SURROGATE.sub("\ufffd", s)


def normalize_published(value: str | None) -> str | None:
    """ISO 8601 for ``value`` when readable; ``None`` for an impossible ISO day; else ``value``."""
    if not value:
        return None
    value = value.strip()
    if _ISO_DAY.match(value):
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            return None
        return value
    from pressmap.metadata import parse_date

    try:
        return parse_date(value) or value
    except Exception:  # noqa: BLE001 - keep what we cannot read
        return value


def tidy_article(a: Article) -> Article:
    """``a`` with storable strings and a checked ``published`` (a new object only when needed)."""
    # Fast path: every string ASCII (no surrogates) and ``published`` absent or already clean.
    p = a.published
    if p is None or (
        p.__class__ is str and p.isascii() and _ISO_DAY.match(p) and normalize_published(p) == p
    ):
        for f in _STR_FIELDS:
            v = getattr(a, f)
            if v is not None and not (v.__class__ is str and v.isascii()):
                break
        else:
            return a
    changes = {}
    for f in _STR_FIELDS:
        v = getattr(a, f)
        if isinstance(v, str):
            w = _unsurrogate(v)
            if w is not v:
                changes[f] = w
    published = _unsurrogate(a.published)
    published = normalize_published(published)
    if published != a.published:
        changes["published"] = published
    return dataclasses.replace(a, **changes) if changes else a
