"""Keep the article, drop the page: story text and metadata out of a plain-text page dump.

A dump (``w3m -dump``, "save as text", copy-paste of a whole page) holds the story among menus,
bullet lists, share rows, ads and footers. Each line is scored (length, sentence punctuation,
bullets, repetition on the page, boilerplate markers); the best-scoring contiguous region is the
story; junk lines inside it are then dropped. Clean text (no page furniture) comes through whole.

>>> page = "Home\\n  • News\\n  • Sport\\n\\nBig Talks Open\\n\\nBy Ann Lee • May 2, 2025\\n\\n" + (
...     "Leaders met in Baku on Friday to open the talks, officials said.\\n\\n" * 1
... ) + "Advertisement\\n\\nThe talks will go on for a week, the spokesman told reporters.\\n\\n  • Sport\\n"
>>> ex = extract(page)
>>> ex.title, ex.author, ex.published
('Big Talks Open', 'Ann Lee', '2025-05-02')
>>> ex.text.split("\\n\\n")[1]
'The talks will go on for a week, the spokesman told reporters.'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pressmap.metadata import clean_title, find_date, source_from_copyright
from pressmap.model import Extracted

_BULLET = re.compile(r"^\s*(?:[•□☆◦▪▫■●○◆◇►▸*·]|\d{1,2}\.)\s+")
_END_PUNCT = re.compile(r"[.!?…:;\"”’'»)\]]$")
_SENT_END = re.compile(r"[.!?…][\"”’'»)\]]*$")
# Short lines that mark page furniture wherever they stand (generic, no site names).
_JUNK = re.compile(
    r"^(?:advertisement|advertisment|sponsored(?: content)?|story continues below(?: this)?(?: ad(?:vertisement)?)?"
    r"|continue reading(?: the main story| below)?|article continues below(?: advertisement)?"
    r"|scroll (?:down )?to continue(?: reading)?|ad|ads|skip (?:to|this) .*|share(?: this)?(?: (?:article|story|page|on .*))?"
    r"|(?:whatsapp|facebook|twitter|linkedin|email|e-mail|print|reddit|pinterest|telegram|copy link|x|comments?)"
    r"(?:\s+(?:whatsapp|facebook|twitter|linkedin|email|e-mail|print|reddit|pinterest|telegram|copy link|x|comments?))*"
    r"|subscribe(?: now| today| here)?|sign (?:in|up)|log ?in|register|menu|search|close|back to top"
    r"|image|photo|video|play|watch|listen|loading\.*|read more|see more|show more|load more|more)$",
    re.I,
)
# Headings that open a block of other stories / comments: a strong end-of-story signal.
_SECTION = re.compile(
    r"^(?:end of (?:the )?(?:article|story)|related(?: (?:articles?|stories|news|posts|content|coverage|topics|links|reading))?"
    r"|more (?:from|on|in|about) .{0,40}|more (?:stories|news|articles|shorts)|top (?:stories|news|headlines)"
    r"|latest(?: news| stories| headlines)?|trending(?: now| stories| news| topics)?:?"
    r"|recommended(?: for you| stories| reading)?|(?:you|we think you) (?:may|might|could) (?:also )?(?:like|enjoy|be interested in)"
    r"|read (?:next|also)|also read|most (?:read|popular|viewed|shared|commented)|popular(?: now| stories| news)?"
    r"|editor'?s picks?|what to read next|(?:leave|post|add) a (?:comment|reply)|\d* ?comments?|discussion"
    r"|newsletter|sign up for .{0,60}|get (?:the|our) .{0,40}newsletter|follow us(?: on .{0,30})?|tags?:?|topics:?"
    r"|about (?:the )?author|about us|contact us|quick links|footer|site map|sitemap)$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|story|text) )?by[:\s]+(?P<name>[^\d|•,;:()]{3,80}?)"
    r"(?=\s*(?:[|•,;(]|[-–—]\s|\d|updated|published|posted|$))",
    re.I,
)
_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*|de|van|von|der|al|bin|da|and|&)(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|al|bin|da|and|&)){0,5}$")
_DATE_WORDS = re.compile(r"\b(?:updated|modified|last (?:updated|modified))\b", re.I)
_SEP = re.compile(r"\s*[|•·]\s*|\s+[-–—]\s+")


@dataclass
class _Line:
    text: str  # whitespace-normalised, bullet stripped
    bullet: bool
    words: int
    count: int  # occurrences of this line on the page
    site: bool  # seen on other pages of the same site
    junk: bool  # boilerplate marker
    section: bool  # start of a block of other stories
    sentence: bool  # reads like running prose


def _key(text: str) -> str:
    return text.lower()


def _lines(text: str, site_lines: Iterable[str] | None) -> list[_Line | None]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parsed: list[tuple[str, bool] | None] = []
    for line in raw:
        bullet = bool(_BULLET.match(line))
        if bullet:
            line = _BULLET.sub("", line, count=1)
        t = " ".join(line.split())
        parsed.append((t, bullet) if t else None)
    counts = Counter(_key(p[0]) for p in parsed if p)
    site = {_key(" ".join(s.split())) for s in site_lines} if site_lines else set()
    out: list[_Line | None] = []
    for p in parsed:
        if p is None:
            out.append(None)
            continue
        t, bullet = p
        k = _key(t)
        words = len(t.split())
        count = counts[k]
        sentence = (words >= 8 and bool(_END_PUNCT.search(t))) or (
            words >= 4 and bool(_SENT_END.search(t)) and not t[:1].islower()
        )
        if words >= 10 and not sentence and _self_repeat(t):
            sentence = False
        out.append(
            _Line(t, bullet, words, count, k in site, bool(words <= 8 and _JUNK.match(t)),
                  bool(words <= 12 and _SECTION.match(t)), sentence)
        )
    return out


def _self_repeat(t: str) -> bool:
    """True when a run of six words occurs twice in the line (a doubled link text)."""
    w = t.split()
    seen = set()
    for i in range(len(w) - 5):
        g = " ".join(w[i : i + 6])
        if g in seen:
            return True
        seen.add(g)
    return False


def _score(ln: _Line) -> float:
    """Positive for story-like lines, negative for page furniture."""
    if ln.section:
        return -40.0
    if ln.junk or ln.site:
        return -4.0
    if ln.count >= 2:
        return -12.0 - min(ln.words, 20)
    if ln.bullet:
        return ln.words * 0.5 if ln.sentence and ln.words >= 12 else -6.0
    if ln.sentence:
        return float(ln.words)
    if ln.words >= 10 and not _self_repeat(ln.text):
        return ln.words * 0.3
    return -3.0


def _region(lines: list[_Line | None]) -> tuple[int, int]:
    """Indices ``[start, end)`` of the maximum-sum run of line scores (Kadane)."""
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    for i, ln in enumerate(lines):
        if ln is None:
            continue
        sc = _score(ln)
        if cur <= 0:
            cur, cur_s = 0.0, i
        cur += sc
        if cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e


def _keep(ln: _Line, prev: _Line | None, nxt: _Line | None) -> bool:
    """Whether a line inside the story region is story text."""
    if ln.junk or ln.section or ln.site or ln.count >= 2:
        return False
    if ln.bullet:
        return ln.sentence and ln.words >= 6
    if ln.sentence:
        return True
    if _BYLINE.match(ln.text):
        return False
    # a long line without final punctuation: prose unless it is a doubled link text
    return ln.words >= 12 and not _self_repeat(ln.text)


def _is_clean(lines: list[_Line | None]) -> bool:
    """No page furniture at all: bullets of links, repeated lines, ad/share markers."""
    real = [ln for ln in lines if ln]
    if not real:
        return True
    bad = sum(1 for ln in real if ln.junk or ln.section or ln.site or (ln.count >= 2 and ln.words >= 1)
              or (ln.bullet and not ln.sentence))
    prose = sum(ln.words for ln in real if ln.sentence or ln.words >= 12)
    total = sum(ln.words for ln in real)
    return bad == 0 and prose >= 0.6 * total


def _clean_text(text: str) -> str:
    """Whitespace-normalised text: blocks split at blank lines, hard-wrapped lines joined."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        rows = [" ".join(r.split()) for r in block.split("\n")]
        rows = [r for r in rows if r]
        if not rows:
            continue
        longest = max(len(r) for r in rows)
        wrapped = len(rows) > 1 and longest <= 100 and all(len(r) >= 0.5 * longest for r in rows[:-1])
        blocks.append(" ".join(rows) if wrapped else "\n".join(rows))
    return "\n\n".join(blocks)


def _title_like(ln: _Line) -> bool:
    return (
        3 <= ln.words <= 40
        and not _SENT_END.search(ln.text.rstrip("?!"))
        and not ln.junk
        and not ln.section
        and not _BYLINE.match(ln.text)
        and find_date(ln.text) is None
        and not ln.text.startswith(("©", "Copyright", "http"))
    )


def _find_title(lines: list[_Line | None], start: int) -> tuple[str | None, int]:
    """Headline: a title-like line shortly before the story, favouring lines repeated on the page."""
    best, best_i, best_sc = None, -1, 0.0
    norm_all = [ln.text.lower() for ln in lines if ln]
    lo = max(0, start - 80)
    for i in range(start - 1, lo - 1, -1):
        ln = lines[i]
        if ln is None or ln.bullet or not _title_like(ln):
            continue
        dist = start - i
        low = ln.text.lower()
        mentions = sum(1 for o in norm_all if low in o) if len(low) > 15 else ln.count
        sc = 10.0 / (1 + dist / 6) + min(mentions, 4) * 2 + min(ln.words, 12) * 0.3
        if sc > best_sc:
            best, best_i, best_sc = ln.text, i, sc
    return best, best_i


def _extend_back(lines: list[_Line | None], start: int) -> int:
    """Pull the story start back over a short run of furniture to a lede cut off by ads.

    Walks back at most 15 lines, never past a byline/date line, bullets or a
    section heading.
    """
    new = start
    seen = 0
    for i in range(start - 1, -1, -1):
        ln = lines[i]
        if ln is None:
            continue
        seen += 1
        if seen > 15 or ln.section or ln.bullet or _BYLINE.match(ln.text):
            break
        if ln.words <= 25 and find_date(ln.text):
            break
        if ln.sentence and ln.count == 1 and ln.words >= 12:
            new = i
            seen = 0
    return new


def _find_byline(lines: list[_Line | None], lo: int, hi: int) -> tuple[str | None, str | None]:
    """Author and date from the lines between the title and a little into the story."""
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    for i in range(max(lo, 0), min(hi, len(lines))):
        ln = lines[i]
        if ln is None or ln.words > 25:
            continue
        t = ln.text
        m = _BYLINE.match(t)
        if m and author is None:
            name = m.group("name").strip(" .")
            if _NAME.match(name):
                author = name
        d = find_date(t)
        if d:
            if _DATE_WORDS.search(t[: d[1]]) and not re.search(r"published|posted", t[: d[1]], re.I):
                updated = updated or d[0]
            elif published is None:
                published = d[0]
                if author is None and d[1] > 0:
                    head = _SEP.split(t[: d[1]].strip(" |•·-–—,"))[0].strip()
                    head = re.sub(r"^(?:by|posted by|written by)\s+", "", head, flags=re.I)
                    if head and 2 <= len(head.split()) <= 5 and _NAME.match(head) and not re.search(
                        r"published|updated|posted", head, re.I
                    ):
                        author = head
    return author, published or updated


def _find_source(lines: list[_Line | None]) -> str | None:
    """Outlet name from a copyright line, else from a short first line repeated on the page."""
    real = [ln for ln in lines if ln]
    for ln in reversed(real[-60:]):
        if ln.words <= 20 and re.search(r"©|copyright|\(c\)", ln.text, re.I):
            name = source_from_copyright(ln.text)
            if name:
                return name
    for ln in real[:3]:
        if 1 <= ln.words <= 4 and not ln.bullet and not ln.junk and ln.text[0].isupper():
            return ln.text
    return None


def extract(text: str, site_lines: Iterable[str] | None = None) -> Extracted:
    """Story text and metadata out of a plain-text page dump; ``Extracted(text="")`` if none.

    ``site_lines``: optional lines seen on other pages of the same site (treated as boilerplate).

    >>> extract("").text
    ''
    """
    if not isinstance(text, str) or not text.strip():
        return Extracted(text="")
    lines = _lines(text, site_lines)
    if _is_clean(lines):
        body = _clean_text(text)
        first = next((ln for ln in lines if ln), None)
        title = first.text if first and _title_like(first) and first.words <= 25 else None
        author, published = _find_byline(lines, 0, 12)
        return Extracted(text=body, title=title, published=published, author=author)
    start, end = _region(lines)
    title, ti = _find_title(lines, start)
    start = _extend_back(lines, start)
    kept: list[str] = []
    idx = [i for i in range(start, end) if lines[i] is not None]
    for j, i in enumerate(idx):
        ln = lines[i]
        assert ln is not None
        prev = lines[idx[j - 1]] if j else None
        nxt = lines[idx[j + 1]] if j + 1 < len(idx) else None
        if _keep(ln, prev, nxt):
            kept.append(ln.text)
    body = "\n\n".join(kept)
    author, published = _find_byline(lines, ti if ti >= 0 else max(0, start - 15), start + 3)
    if published is None:
        author2, published = _find_byline(lines, 0, start + 10)
        author = author or author2
    source = _find_source(lines)
    return Extracted(
        text=body,
        title=clean_title(title, source) if title else None,
        published=published,
        author=author,
        source=source,
    )
