"""Read RSS 2.0, RSS 1.0 (RDF) and Atom feeds into Articles, safely.

XML is parsed by lxml with entity resolution, DTD loading and network access off and
``huge_tree`` off; any document that declares entities is refused before parsing, so
entity-expansion bombs ("billion laughs") and external entities (XXE) never expand.
Each item's link is fetched and cleaned when fetching is allowed; otherwise (or when that
fails) the item's own content/description is used, stripped of HTML.

>>> rss = b'<rss><channel><title>Wire</title><item><title>T</title>'
>>> rss += b'<description>&lt;p&gt;Talks in &lt;b&gt;Baku&lt;/b&gt;.&lt;/p&gt;</description></item></channel></rss>'
>>> title, items = parse_feed(rss)
>>> title, items[0].title, strip_html(items[0].summary)
('Wire', 'T', 'Talks in Baku.')
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from lxml import etree

from pressmap.fetch import Fetched
from pressmap.model import Article, Extracted, ReadError
from pressmap.readers import (
    Context,
    ReadFailure,
    Source,
    decode_bytes,
    describe_exception,
    detect_language,
    one_line,
)

# Declared entities in any common encoding: refused outright (bombs, XXE).
_ENTITY_DECL = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"),
                "<!ENTITY".encode("utf-32-le"), "<!ENTITY".encode("utf-32-be"))
_DOCTYPE = tuple("<!DOCTYPE".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le",
                                                   "utf-32-be"))
_ENTITY_REFUSED = "feed declares XML entities; refused (possible entity-expansion or XXE attack)"
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "tr", "table", "section", "article", "pre", "hr", "figure", "figcaption", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object"}


@dataclass
class FeedItem:
    """One item/entry of a feed; ``summary``/``content`` are HTML or text, as found."""

    title: str | None = None
    link: str | None = None
    published: str | None = None
    author: str | None = None
    guid: str | None = None
    summary: str | None = None
    content: str | None = None


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        dtd_validation=False, remove_comments=True, remove_pis=True, recover=recover,
    )


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    s = "".join(el.itertext()).strip()
    return s or None


def _markup(el: etree._Element | None) -> str | None:
    """Content of an element as HTML text (escaped HTML, CDATA or inline XHTML)."""
    if el is None:
        return None
    if len(el) and (el.get("type") == "xhtml" or _local(el[0].tag) in ("div", "p")):
        parts = [etree.tostring(c, encoding="unicode", with_tail=True) for c in el]
        return ((el.text or "") + "".join(parts)).strip() or None
    return _text(el)


def parse_feed(data: bytes) -> tuple[str | None, list[FeedItem]]:
    """Feed title and items of an RSS/Atom document; raises ReadFailure for anything else."""
    if any(d in data[:65536] for d in _DOCTYPE) and any(d in data for d in _ENTITY_DECL):
        raise ReadFailure(_ENTITY_REFUSED)
    try:
        root = etree.fromstring(data, _parser(recover=False))
    except etree.XMLSyntaxError as e:
        strict_error = one_line(str(e), 160)
        low = strict_error.lower()
        if "depth" in low or "huge" in low:
            levels = re.search(r"depth in document: (\d+)", strict_error)
            limit = f" (over {levels.group(1)} levels)" if levels else ""
            raise ReadFailure(f"feed XML nested too deeply{limit}") from None
        if "amplification" in low or ("entity" in low and "loop" in low):
            raise ReadFailure(_ENTITY_REFUSED) from None
        try:
            root = etree.fromstring(data, _parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise ReadFailure(f"invalid XML: {strict_error}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ReadFailure(_ENTITY_REFUSED)
    kind = _local(root.tag)
    if kind == "rss":
        channel = next((c for c in root if _local(c.tag) == "channel"), root)
        title = _text(_child(channel, "title"))
        items = [_rss_item(el) for el in channel.iter() if _local(el.tag) == "item"]
    elif kind == "rdf":
        channel = next((c for c in root if _local(c.tag) == "channel"), None)
        title = _text(_child(channel, "title")) if channel is not None else None
        items = [_rss_item(el) for el in root if _local(el.tag) == "item"]
    elif kind == "feed":
        title = _text(_child(root, "title"))
        items = [_atom_entry(el) for el in root if _local(el.tag) == "entry"]
    else:
        raise ReadFailure(f"XML is not an RSS or Atom feed (root element <{kind or '?'}>)")
    return title, items


def _child(el: etree._Element | None, *names: str) -> etree._Element | None:
    if el is None:
        return None
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def iso_date(value: str | None) -> str | None:
    """RFC 822 feed dates as ISO 8601; other forms kept as found.

    >>> iso_date("Mon, 02 Jun 2025 10:00:00 GMT"), iso_date("2025-06-02")
    ('2025-06-02T10:00:00+00:00', '2025-06-02')
    """
    if not value:
        return None
    if re.match(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}", value):
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            return value
    return value


def _rss_item(el: etree._Element) -> FeedItem:
    guid = _text(_child(el, "guid")) or el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return FeedItem(
        title=_text(_child(el, "title")),
        link=_text(_child(el, "link")),
        published=iso_date(_text(_child(el, "pubdate", "date", "published", "issued", "updated"))),
        author=_text(_child(el, "creator", "author")),
        guid=guid,
        summary=_markup(_child(el, "description", "summary")),
        content=_markup(_child(el, "encoded", "content")),
    )


def _atom_entry(el: etree._Element) -> FeedItem:
    link = None
    for c in el:
        if _local(c.tag) == "link" and c.get("href") and c.get("rel", "alternate") == "alternate":
            link = c.get("href").strip()
            break
    author_el = _child(el, "author")
    author = _text(_child(author_el, "name")) if author_el is not None else None
    return FeedItem(
        title=_text(_child(el, "title")),
        link=link,
        published=_text(_child(el, "published", "updated", "issued")),
        author=author or (_text(author_el) if author_el is not None else None),
        guid=_text(_child(el, "id")),
        summary=_markup(_child(el, "summary")),
        content=_markup(_child(el, "content")),
    )


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def strip_html(html: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept.

    >>> strip_html("<p>One &amp; two</p><p>Three<script>x()</script></p>")
    'One & two\\n\\nThree'
    """
    if not html:
        return ""
    p = _Stripper()
    try:
        p.feed(html)
        p.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; keep what was read
        pass
    text = "".join(p.parts)
    paras = [" ".join(block.split()) for block in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(x for x in paras if x)


def _download(link: str, ctx: Context, deadline: float) -> tuple[Fetched | None, str | None]:
    """Fetch an item link (runs in a worker thread): ``(page, None)`` or ``(None, reason)``."""
    from pressmap.fetch import FetchError, fetch

    if time.monotonic() >= deadline:
        return None, "time for fetching this feed's links ran out"
    try:
        return fetch(link, limits=ctx.limits, allow_private=ctx.allow_private), None
    except FetchError as e:
        return None, str(e)
    except Exception as e:  # noqa: BLE001 - one bad link must not lose the feed
        return None, one_line(f"fetch failed: {type(e).__name__}: {e}")


def _extract_page(page: Fetched) -> tuple[Extracted | None, str | None]:
    """Story text of a fetched page: ``(extracted, None)`` or ``(None, reason)``."""
    ctype = (page.content_type or "").split(";")[0].strip().lower()
    if ctype and ctype not in ("text/html", "application/xhtml+xml", "text/plain"):
        return None, f"link is not a web page ({ctype})"
    try:
        if ctype == "text/plain":
            from pressmap.textdump import extract as extract_text

            ex = extract_text(decode_bytes(page.body))
        else:
            from pressmap.htmlpage import extract

            ex = extract(page.body, url=page.final_url)
    except ImportError:
        return None, "page extraction unavailable"
    except Exception as e:  # noqa: BLE001
        return None, one_line(f"could not extract page: {describe_exception(e)}")
    if not (ex.text or "").strip():
        return None, "no article text found at link"
    return ex, None


def item_article(item: FeedItem, n: int, feed_title: str | None, src: Source,
                 download: tuple[Fetched | None, str | None] = (None, None)) -> Article | ReadError:
    """Article for feed item number ``n``: its fetched page, else its own content."""
    display = f"{src.display}#{n}"
    page, why = download
    ex = None
    if page is not None:
        ex, why = _extract_page(page)
    text = ex.text if ex else strip_html(item.content) or strip_html(item.summary)
    if not text.strip():
        reason = "no article text found"
        if why:
            reason += f" (link: {why}; no description)"
        return ReadError(display, one_line(reason))
    ex = ex or Extracted(text=text)
    return Article(
        id=item.guid or item.link or f"{src.ident}#{n}", text=text,
        title=item.title or ex.title, published=item.published or ex.published,
        source=ex.source or feed_title, url=item.link or ex.url, path=display,
        author=item.author or ex.author, language=ex.language or detect_language(text),
    )


FETCH_WORKERS = 4


def read_feed(data: bytes, src: Source, ctx: Context) -> Iterator[Article | ReadError]:
    """Articles from a feed document, in feed order; one ReadError per bad item.

    Item links are downloaded by a few worker threads; extraction stays in this thread.
    """
    title, items = parse_feed(data)
    if not items:
        raise ReadFailure("feed has no items")
    cap = ctx.limits.max_feed_items
    if len(items) > cap:
        yield ReadError(src.display, f"feed has {len(items)} items; only the first {cap} are read")
    items = items[:cap]
    links = [i.link if ctx.limits.fetch_links and i.link else None for i in items]
    if not any(links):
        for n, item in enumerate(items, 1):
            yield item_article(item, n, title, src)
        return
    deadline = time.monotonic() + ctx.limits.feed_fetch_seconds
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS, thread_name_prefix="pressmap-feed") as pool:
        futures = [pool.submit(_download, link, ctx, deadline) if link else None for link in links]
        try:
            for n, (item, fut) in enumerate(zip(items, futures, strict=True), 1):
                yield item_article(item, n, title, src, fut.result() if fut else (None, None))
        finally:
            for fut in futures:
                if fut:
                    fut.cancel()
