"""Story text and metadata out of a saved HTML page: trafilatura plus metadata fallbacks.

Bytes are decoded carefully (BOM, declared charset, UTF-8, then cp1252). trafilatura finds the
text; title, date, author and source fall back to Open Graph / ``article:*`` meta tags and
JSON-LD when trafilatura has none.

>>> html = ('<html><head><meta property="og:site_name" content="Daily Planet">'
...         '<meta property="article:published_time" content="2025-05-02T10:00:00Z"></head>'
...         '<body><article><h1>Talks open</h1><p>' + 'Leaders met in Baku on Friday. ' * 8 +
...         '</p><p>' + 'The talks go on for a week, officials said. ' * 6 + '</p></article></body></html>')
>>> ex = extract(html)
>>> ex.source, ex.published[:10], ex.text.split("\\n\\n")[-1][:23]
('Daily Planet', '2025-05-02', 'The talks go on for a w')
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from pressmap.metadata import clean_title, parse_date
from pressmap.model import Extracted

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# trafilatura settings that scored best on the evaluation pages (see evaluate_extract)
SHORT = 60  # words: below this, a precision-mode result is checked against the default mode
OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "favor_recall": False,
    "include_comments": False,
    "include_tables": True,
}


def decode(data: str | bytes) -> str:
    """Text of a page given as bytes: BOM, then declared charset, then UTF-8, then cp1252.

    >>> decode('<meta charset="windows-1252">caf\\xe9'.encode("cp1252"))[-4:]
    'café'
    >>> decode(b"\\xef\\xbb\\xbfhi")
    'hi'
    """
    if isinstance(data, str):
        return data
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace")
    m = _CHARSET.search(data[:8192])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        if enc in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            enc = "cp1252"  # what browsers do
        try:
            codecs.lookup(enc)
        except LookupError:
            enc = ""
        if enc and not enc.startswith("utf-16"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _meta(tree: Any) -> dict[str, str]:
    """``<meta>`` values by lower-cased property/name/itemprop (first one wins)."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        val = (el.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _jsonld(tree: Any) -> dict[str, Any]:
    """The first JSON-LD object that looks like an article (or any object with a headline)."""
    found: dict[str, Any] = {}
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text.strip().rstrip(";"))
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(
                    isinstance(k, str) and ("Article" in k or k in ("Report", "BlogPosting"))
                    for k in kinds
                ):
                    return obj
                if not found and "headline" in obj:
                    found = obj
    return found


def _name(value: Any) -> str | None:
    """A person/organisation name out of a JSON-LD value (str, dict or list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:5]) if n]
        return "; ".join(names) or None
    return None


def _tree(text: str) -> Any:
    """Parse with trafilatura's own loader (one parse serves metadata and extraction)."""
    try:
        return load_html(text)
    except Exception:  # noqa: BLE001
        try:
            return lxml_html.fromstring(_XML_DECL.sub("", text, count=1))
        except Exception:  # noqa: BLE001
            return None


_SENTENCE = re.compile(r"\w[^.!?。！？]{10,}[.!?。！？]")


def _is_story(text: str) -> bool:
    """Some running prose, not a lone menu label: 20+ words or a sentence.

    >>> _is_story("Home"), _is_story("The talks went well, officials said.")
    (False, True)
    """
    return len(text.split()) >= 20 or bool(_SENTENCE.search(text))


def extract(html: str | bytes, url: str | None = None) -> Extracted:
    """Story text (paragraphs separated by blank lines) and metadata of a saved HTML page.

    >>> extract(b"").text
    ''
    """
    text = decode(html) if html else ""
    if not text.strip():
        return Extracted(text="", url=url)
    tree = _tree(text)
    if tree is None:
        return Extracted(text="", url=url)
    meta = _meta(tree)
    ld = _jsonld(tree)
    lang = (tree.get("lang") or "").split("-")[0].lower() or None
    body = _body(tree, url, OPTIONS)
    if len(body.split()) < SHORT and OPTIONS.get("favor_precision"):
        # precision mode sometimes keeps only a fragment: take the default mode when it finds more
        other = _body(tree, url, {**OPTIONS, "favor_precision": False})
        if len(other.split()) > 2 * len(body.split()):
            body = other
    if not _is_story(body):
        body = ""
    source = meta.get("og:site_name") or _name(ld.get("publisher")) or meta.get("application-name")
    if source and " | " in source:  # "Site | Section | Section"
        source = source.split(" | ")[0].strip() or source
    title = _title(tree, meta, ld)
    published = _published(tree, meta, ld)
    author = _author(meta, ld)
    if not published:  # htmldate's quick search (what trafilatura uses, minus the slow extras)
        try:
            published = parse_date(
                find_date(tree, url=url, extensive_search=False, original_date=True)
            )
        except Exception:  # noqa: BLE001
            published = None
    if not title:
        try:
            tm = extract_metadata(tree, url, extensive=False)
        except Exception:  # noqa: BLE001
            tm = None
        if tm is not None:
            title, author, source = tm.title, author or tm.author, source or tm.sitename
    return Extracted(
        text=body,
        title=clean_title(title, source) if title else None,
        published=published or parse_date(url_date_path(url)),
        author=author,
        source=source,
        url=url,
        language=lang,
    )


def _body(tree: Any, url: str | None, options: dict[str, Any]) -> str:
    """trafilatura's main text, one paragraph per blank-line-separated block."""
    try:
        doc = trafilatura.bare_extraction(tree, url=url, **options)  # does not modify tree
    except Exception:  # noqa: BLE001 - a broken page must not stop a batch
        return ""
    text = (doc.text or "") if doc is not None else ""
    return "\n\n".join(p.strip() for p in text.split("\n") if p.strip())


def _text_of(tree: Any, xpath: str) -> str | None:
    for el in tree.xpath(xpath)[:1]:
        t = " ".join(el.text_content().split()) if hasattr(el, "text_content") else str(el)
        return t or None
    return None


def _title(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """og:title, twitter:title, JSON-LD headline, the lone <h1>, then <title>."""
    head = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    found = meta.get("og:title") or meta.get("twitter:title") or head
    if found:
        return found
    h1s = tree.xpath("//h1")
    if len(h1s) == 1 and (h1 := " ".join(h1s[0].text_content().split())):
        return h1
    return _text_of(tree, "//title")


_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "article:modified_time",
    "og:updated_time",
)


def _published(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """Publication date from meta tags, JSON-LD, or the first <time datetime>."""
    for key in _DATE_KEYS[:-2]:
        if key in meta and (d := parse_date(meta[key])):
            return d
    for key in ("datePublished", "dateCreated", "uploadDate", "dateModified"):
        if isinstance(ld.get(key), str) and (d := parse_date(ld[key])):
            return d
    for val in tree.xpath("//time/@datetime")[:3]:
        if d := parse_date(str(val)):
            return d
    for key in _DATE_KEYS[-2:]:
        if key in meta and (d := parse_date(meta[key])):
            return d
    return None


def _author(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    for val in (
        _name(ld.get("author")),
        meta.get("author"),
        meta.get("article:author"),
        meta.get("sailthru.author"),
        meta.get("parsely-author"),
        meta.get("dc.creator"),
    ):
        if val and not val.startswith(("http", "www.")) and len(val) < 120:
            return val
    return None


def url_date_path(url: str | None) -> str | None:
    """``YYYY/MM/DD`` out of a URL path, when there is one.

    >>> url_date_path("https://x.com/2019/11/19/story.html")
    '2019/11/19'
    """
    m = re.search(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)", url or "")
    return "/".join(m.groups()) if m else None
