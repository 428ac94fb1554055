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
_END_PUNCT = re.compile(r"[.!?…:;。！？][\"”’'»)\]」』]*$")
_SENT_END = re.compile(r"[.!?…。！？][\"”’'»)\]」』]*$")
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
# Headings inserted in a story (inline link boxes): a soft boundary.
_SECTION = re.compile(
    r"^(?:related(?: (?:articles?|stories|news|posts|content|coverage|topics|links|reading|video))?:?"
    r"|more (?:from|on|in|about) .{0,40}|more (?:stories|news|articles|shorts|videos?)|also read:?|read also:?"
    r"|trending:?|latest|popular|follow us(?: on .{0,30})?|topics:?|see also:?|recommended|watch:?)$",
    re.I,
)
# Headings that open the page's tail (other stories, comments, footer): the story cannot cross them.
_END = re.compile(
    r"^(?:end of (?:the )?(?:article|story)|top (?:stories|news|headlines)|latest (?:news|stories|headlines|articles)"
    r"|trending (?:now|stories|news|topics|articles)|recommended (?:for you|stories|reading|articles)"
    r"|(?:you|we think you) (?:may|might|could|will) (?:also )?(?:like|enjoy|love|be interested in)"
    r"|read (?:next|this next)|most (?:read|popular|viewed|shared|commented)(?: stories| articles| news)?"
    r"|popular (?:now|stories|news|articles)|editor'?s picks?|what to read next|(?:leave|post|add|write) a (?:comment|reply)"
    r"|\d+ (?:comments?|responses?|replies|reactions)\b.{0,120}|comments?|discussion|join the (?:conversation|discussion)"
    r"|about (?:the )?authors?|about us|contact us|quick links|site ?map|more (?:top )?stories|tags:?"
    r"|(?:sign up for|subscribe to) (?:our|the) .{0,40}newsletters?|newsletters?"
    r"|.{1,60} (?:says|said|wrote|commented):)$",
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
    bullet: bool  # a list item (w3m "  • ") or text indented under one
    words: int  # word count (CJK text: about two characters a word)
    count: int  # occurrences of this line on the page
    site: bool  # seen on other pages of the same site
    junk: bool  # boilerplate marker
    section: bool  # heading of an inline box of other stories
    end: bool  # heading of the page's tail (comments, other stories)
    sentence: bool  # reads like running prose
    teaser: bool  # truncated ("…") or an image placeholder ("[photo]")
    indent: bool  # indented: inside a list item or box (w3m), rarely the story itself


_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TRUNC = re.compile(r"(?:\w\.\.\.|\w…|\.\.\.\s*(?:read more|more)?|…\s*(?:read more|more)?)$", re.I)
_IMAGE = re.compile(r"^\[[^\]]{0,120}\]$")


_CONSENT = re.compile(
    r"\bcookies?\b.{0,200}\b(?:consent|accept|agree|privacy|browsing experience|personali[sz]e)"
    r"|\b(?:consent|accept|agree)\b.{0,200}\bcookies?\b"
    r"|\bby (?:signing up|subscribing|registering|clicking)\b.{0,80}\b(?:agree|privacy|terms)\b",
    re.I,
)
_COMMENT_HEAD = re.compile(r"\b(?:comments?|responses|replies)\b", re.I)


def _is_end(t: str, words: int, bullet: bool) -> bool:
    """A heading of the page's tail: other stories, comments, footer."""
    if words <= 6 and not _SENT_END.search(t) and _COMMENT_HEAD.search(t) and not bullet:
        return True
    return words <= 25 and bool(_END.match(t)) and (not bullet or t.endswith(":"))


def _key(text: str) -> str:
    return text.lower()


def _count_words(t: str) -> int:
    n = len(t.split())
    if n * 12 < len(t):  # few spaces: CJK or similar script
        n = max(n, len(_CJK.findall(t)) // 2 + n)
    return n


def _lines(text: str, site_lines: Iterable[str] | None) -> list[_Line | None]:
    raw = text.translate(_ZW).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parsed: list[tuple[str, bool, bool] | None] = []
    for line in raw:
        bullet = bool(_BULLET.match(line))
        if bullet:
            line = _BULLET.sub("", line, count=1)
        t = " ".join(line.split())
        parsed.append((t, bullet, line[:2].isspace()) if t else None)
    counts = Counter(_key(p[0]) for p in parsed if p)
    site = {_key(" ".join(s.split())) for s in site_lines} if site_lines else set()
    out: list[_Line | None] = []
    for p in parsed:
        if p is None:
            out.append(None)
            continue
        t, bullet, indent = p
        k = _key(t)
        words = _count_words(t)
        teaser = bool(_TRUNC.search(t) or _IMAGE.match(t)) and not _COMMENT_HEAD.search(t)
        sentence = not teaser and (
            (words >= 8 and bool(_END_PUNCT.search(t)))
            or (words >= 3 and bool(_SENT_END.search(t)) and not t[:1].islower())
        )
        out.append(
            _Line(t, bullet, words, counts[k], k in site,
                  bool(words <= 8 and _JUNK.match(t)) or bool(_CONSENT.search(t)),
                  bool(words <= 12 and _SECTION.match(t)), _is_end(t, words, bullet),
                  sentence, teaser, indent)
        )
    prose = [ln for ln in out if ln and ln.sentence and not ln.bullet]
    if sum(ln.words for ln in prose if ln.indent) > 0.6 * sum(ln.words for ln in prose):
        for ln in prose:  # the whole page is indented: indentation says nothing
            ln.indent = False
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


def _long_prose(ln: _Line) -> bool:
    return ln.sentence and ln.words >= 15


_INDENT_W = 0.1
_WALL = -1e9  # a score no story can cross


def _score(ln: _Line) -> float:
    """Positive for story-like lines, negative for page furniture."""
    if ln.end:
        return _WALL
    if ln.section:
        return -40.0
    if ln.junk or ln.site:
        return -4.0
    if ln.teaser:
        return -1.0 if ln.words <= 3 else -5.0
    if ln.count >= 2:
        return ln.words * 0.3 if _long_prose(ln) else -4.0 - 0.5 * min(ln.words, 20)
    if ln.bullet:
        return ln.words * 0.5 if ln.sentence and ln.words >= 12 else -6.0
    if ln.sentence:
        return ln.words * (_INDENT_W if ln.indent else 1.0)
    if ln.words >= 10 and not _self_repeat(ln.text):
        return ln.words * 0.3
    return -2.0


_COMMENTS = re.compile(r"comment|respons|repl|discussion|conversation|(?:says|said|wrote):$", re.I)


def _region(lines: list[_Line | None]) -> tuple[int, int]:
    """Indices ``[start, end)`` of the story: the maximum-sum run of line scores (Kadane).

    Tail headings are walls; runs after a comments wall (that follows some prose) count a fifth.
    """
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    weight, seen_prose = 1.0, False
    for i, ln in enumerate(lines):
        if ln is None:
            continue
        sc = _score(ln)
        if sc == _WALL:
            if seen_prose and _COMMENTS.search(ln.text):
                weight = 0.2
            cur, cur_s = 0.0, i + 1
            continue
        if cur <= 0:
            cur, cur_s = 0.0, i
        cur += sc
        if cur >= 50:
            seen_prose = True
        if cur * weight > best:
            best, best_s, best_e = cur * weight, cur_s, i + 1
    return best_s, best_e


_LONG = 20
_CAPTION = re.compile(
    r"\((?:image|photo|picture|pic|credit|source|video)s?:|\b(?:credit|photo|image|picture|source)s?:\s|"
    r"^(?:read more|read also|also read|see also|related|watch|more|click here)\b|\bgetty\b|\bshutterstock\b",
    re.I,
)


def _keep(ln: _Line, prev: _Line | None, nxt: _Line | None) -> bool:
    """Whether a line inside the story region is story text."""
    if ln.junk or ln.section or ln.end or ln.site or ln.teaser or (ln.count >= 2 and not _long_prose(ln)):
        return False
    if ln.bullet:
        return ln.sentence and ln.words >= 6
    if ln.sentence:
        return True
    if _BYLINE.match(ln.text):
        return False
    # a long line without final punctuation: prose unless it is a doubled link text
    return ln.words >= _LONG and not _self_repeat(ln.text) and not _CAPTION.search(ln.text)


def _is_clean(lines: list[_Line | None]) -> bool:
    """No page furniture at all: bullets of links, repeated lines, ad/share markers."""
    real = [ln for ln in lines if ln]
    if not real:
        return True
    bad = sum(1 for ln in real if ln.junk or ln.section or ln.end or ln.site or (ln.count >= 2 and ln.words >= 1)
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
        and not ln.junk
        and not ln.section
        and not ln.end
        and not _BYLINE.match(ln.text)
        and find_date(ln.text) is None
        and not ln.text.startswith(("©", "Copyright", "http"))
    )


_UI = re.compile(
    r"\b(?:share|sharing|shares|sign(?:ed)? (?:in|up)|log ?in|subscribe|newsletters?|e-?mail|posted|homepage"
    r"|url|browse|menu|search|cookies?|click|follow|advertis\w*|comments?|print|photo|image|credits?|getty"
    r"|file|caption|video|watch|listen|download|app|skip|toggle|close|open|login|account|chevron\w*)\b",
    re.I,
)
_WORD = re.compile(r"\w{4,}")


def _find_title(lines: list[_Line | None], start: int, end: int) -> tuple[str | None, int]:
    """Headline: a title-like line shortly before the story.

    Scored by closeness to the story, a byline/date just below it, words shared with the
    opening paragraphs, title-like shape, and the absence of interface words.
    """
    lede: set[str] = set()
    for ln in lines[start : min(end, start + 12)]:
        if ln is not None and ln.sentence:
            lede.update(w.lower() for w in _WORD.findall(ln.text))
    best, best_i, best_sc = None, -1, 3.0
    d = 0
    for i in range(start - 1, -1, -1):
        ln = lines[i]
        if ln is None:
            continue
        d += 1
        if d > 60:
            break
        if ln.bullet or not _title_like(ln):
            continue
        sc = 8.0 / (1 + d / 4)
        after = [x for x in lines[i + 1 : i + 12] if x is not None][:4]
        if any(_BYLINE.match(x.text) or (x.words <= 25 and find_date(x.text)) for x in after):
            sc += 6
        words = [w.lower() for w in _WORD.findall(ln.text)]
        if words and lede:
            sc += 8.0 * sum(1 for w in words if w in lede) / len(words)
        if ln.count >= 2:
            sc += 2
        if 4 <= ln.words <= 25:
            sc += 2
        if _UI.search(ln.text):
            sc -= 6
        if ln.text.endswith((".", "!")) or ln.teaser:
            sc -= 4
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
        if seen > 15 or ln.section or ln.end or ln.bullet or _BYLINE.match(ln.text):
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
    title, ti = _find_title(lines, start, end)
    start = _extend_back(lines, start)
    kept: list[str] = []
    seen: set[str] = set()
    idx = [i for i in range(start, end) if lines[i] is not None]
    for j, i in enumerate(idx):
        ln = lines[i]
        assert ln is not None
        prev = lines[idx[j - 1]] if j else None
        nxt = lines[idx[j + 1]] if j + 1 < len(idx) else None
        if _keep(ln, prev, nxt) and ln.text not in seen:
            kept.append(ln.text)
            seen.add(ln.text)
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
