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
from functools import lru_cache

from pressmap.metadata import clean_title, source_from_copyright
from pressmap.metadata import find_date as _find_date
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
    r"|(?:want|looking for|like) more (?:stories|news|articles|of this)\b.{0,40}"
    r"|more stories like this\??"
    # the same headings in other languages
    r"|voc[eê] (?:pode|tamb[eé]m pode) gostar.*|veja tamb[eé]m|leia (?:tamb[eé]m|mais)|(?:not[ií]cias|artigos|posts) relacionad[oa]s"
    r"|(?:tambi[eé]n )?te puede interesar|noticias relacionadas|art[ií]culos relacionados|lo m[aá]s le[ií]do"
    r"|potrebbe(?:ro)? interessarti|articoli correlati|leggi anche|(?:[àa] )?lire aussi|articles similaires"
    r"|sur le m[eê]me sujet|das k[oö]nnte sie auch interessieren|mehr zum thema|weitere artikel|[aä]hnliche artikel"
    r"|coment[aá]rios?|comentarios|commenti|commentaires|kommentare|похожие (?:статьи|новости)|читайте также"
    r"|комментарии|関連記事|コメント|관련\s?기사|댓글|相关文章|评论)$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|story|text) )?by[:\s]+(?P<name>[^\d|•,;:()]{3,80}?)"
    r"(?=\s*(?:[|•,;(]|[-–—]\s|\d|updated|published|posted|$))",
    re.I,
)
_NAME = re.compile(
    r"^(?:[A-Z][\w.'’-]*|de|van|von|der|al|bin|da|and|&)(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|al|bin|da|and|&)){0,5}$"
)
_DATE_WORDS = re.compile(r"\b(?:updated|modified|last (?:updated|modified))\b", re.I)
_SEP = re.compile(r"\s*[|•·]\s*|\s+[-–—]\s+")


@dataclass(slots=True)
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
    row: bool = False  # a table row: several tokens, many of them numbers


_ZW_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TRUNC = re.compile(r"(?:\w\.\.\.|\w…|(?:\.\.\.|…)\s*(?:read more|more|\[?\+\]?))$", re.I)
_INNER_END = re.compile(r"[.!?][\"”’']? [A-Z“\"]")  # a sentence ending inside a line
_IMAGE = re.compile(r"^\[[^\]]{0,120}\]$")
_CONSENT = re.compile(
    r"\bcookies?\b.{0,200}\b(?:consent|accept|agree|privacy|browsing experience|personali[sz]e)"
    r"|\b(?:consent|accept|agree)\b.{0,200}\bcookies?\b"
    r"|\bby (?:signing up|subscribing|registering|clicking)\b.{0,80}\b(?:agree|privacy|terms)\b",
    re.I,
)
_IMG_PREFIX = re.compile(r"^(?:\[[^\]]{0,80}\]\s*)+")
_IMG_INLINE = re.compile(r"\[[^\]\s]{6,60}\]")
# Calls to action and credits that sit inside a story's frame (generic English wording).
_CTA = re.compile(
    r"\b(?:subscribe (?:to|now|today)|sign(?:ing)? up (?:for|to|now)|thanks for signing up|newsletters?\b.{0,40}"
    r"\b(?:inbox|sign|subscribe)|(?:in|to) your inbox|delivered (?:to your inbox|weekday|daily|every)"
    r"|follow (?:us|him|her|them|me) (?:on|@)|share (?:it|this)(?: story| article)? with"
    r"|like this (?:article|story|post)\?|error processing your|(?:earn|receive) an? (?:affiliate )?commission"
    r"|affiliate (?:links?|commission)|image credit:|photo credit:|all rights reserved|click here to"
    r"|(?:download|get) (?:our|the) app|join (?:our|the) .{0,30}(?:forums?|community|newsletter)"
    r"|(?:email|contact) (?:\w+ ){0,3}at \S+@|no spam\b|unsubscribe at any time|you can unsubscribe"
    r"|get (?:breaking|the latest) .{0,60}(?:news|updates)|delivered (?:through|to) your (?:letterbox|door)"
    r"|this copy is for your personal|an error (?:has )?occurred|subject to copyright"
    r"|if you (?:click on|buy|purchase) .{0,40}(?:links?|through)|requires javascript|our standards:"
    r"|follow \w+(?: \w+)? on (?:instagram|facebook|twitter|youtube)|information provided on this (?:web)?site"
    r"|results (?:may )?vary|statements have not been evaluated|support \w+ and make a difference"
    r"|every (?:day|week) we send|for your personal,? non-commercial use|opinions expressed by .{0,40}(?:are|do)"
    r"|^(?:additional )?(?:reporting|writing|editing|compiled) by\b|contributed (?:to )?(?:this|the) (?:report|story|article)"
    r"|^home\s*[>»/|›:]|^home (?:news|page)\b)",
    re.I,
)
_CTA_HINTS = (
    "subscri",
    "sign",
    "newsletter",
    "inbox",
    "deliver",
    "follow",
    "share",
    "like this",
    "error",
    "commission",
    "affiliate",
    "credit",
    "rights reserved",
    "click",
    " app",
    "join",
    "mail",
    "contact",
    "spam",
    "breaking",
    "latest",
    "letterbox",
    "personal",
    "copyright",
    "javascript",
    "standards",
    "information provided",
    "results",
    "statements",
    "support",
    "every",
    "opinions",
    "reporting",
    "writing",
    "editing",
    "compiled",
    "contributed",
    "home",
    "buy",
    "purchase",
)
_CTA_HINT = re.compile("|".join(map(re.escape, _CTA_HINTS)))


def _cta(t: str) -> bool:
    """A call to action or credit line (cheap keyword check before the regex)."""
    return bool(_CTA_HINT.search(t.lower())) and bool(_CTA.search(t))


_COMMENT_HEAD = re.compile(r"\b(?:comments?|responses|replies)\b", re.I)
_ABOUT_ORG = re.compile(r"^About (?:[A-Z][\w&.'’-]*\s?){1,3}:?$")  # "About Acme Corp": company boilerplate
_SAYS = re.compile(r" (?:says|said|wrote|commented):$")


def _is_end(t: str, words: int, bullet: bool) -> bool:
    """A heading of the page's tail: other stories, comments, footer."""
    if t[-1] == ":" and _SAYS.search(t[-12:]):
        return True  # "Jo Bloggs on May 2 said:", a comment's header
    if bullet and t[-1] != ":":
        return False
    if t[-1] in ".!" and words > 2 and not t.endswith(".."):
        return False  # a sentence, not a heading ("You may also like..." still is one)
    if words <= 6 and _COMMENT_HEAD.search(t) and not bullet:
        return True
    if words <= 4 and not bullet and _ABOUT_ORG.match(t):
        return True
    return words <= 25 and bool(_END.match(t))


@lru_cache(maxsize=8192)
def find_date(text: str) -> tuple[str, int, int] | None:
    """:func:`pressmap.metadata.find_date`, cached (titles and bylines are probed repeatedly)."""
    return _find_date(text)


def _key(text: str) -> str:
    return text.lower()


def _count_words(t: str) -> int:
    n = len(t.split())
    if n * 12 < len(t):  # few spaces: CJK or similar script
        n = max(n, len(_CJK.findall(t)) // 2 + n)
    return n


def _lines(text: str, site_lines: Iterable[str] | None) -> list[_Line | None]:
    if _ZW_RE.search(text):
        text = _ZW_RE.sub("", text)
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parsed: list[tuple[str, bool, bool, int] | None] = []
    for line in raw:
        parts = line.split()
        if not parts:
            parsed.append(None)
            continue
        bullet = not parts[0][0].isalpha() and bool(_BULLET.match(line))
        if bullet:
            line = _BULLET.sub("", line, count=1)
            parts = line.split()
        t = " ".join(parts)
        if t and "[" in t and len(t) > 60 and t[-1] != "]":
            t = _IMG_INLINE.sub(" ", _IMG_PREFIX.sub("", t)).strip() or t  # "[photo-alt]Text…"
            parts = t.split()
        parsed.append((t, bullet, line[:2].isspace(), len(parts)) if t else None)
    keys = [p[0].lower() if p else "" for p in parsed]
    counts = Counter(k for k in keys if k)
    site = {_key(" ".join(s.split())) for s in site_lines} if site_lines else set()
    out: list[_Line | None] = []
    for p, k in zip(parsed, keys, strict=True):
        if p is None:
            out.append(None)
            continue
        t, bullet, indent, words = p
        if words * 12 < len(t):  # few spaces: CJK or similar script
            words = _count_words(t)
        last = t[-1]
        teaser = (
            (last in ".…eE" and bool(_TRUNC.search(t[-24:])) and len(_INNER_END.findall(t)) < 2)
            or (last == "]" and bool(_IMAGE.match(t)))
            or (words >= 10 and _fused_headline(t))
        ) and not (words <= 8 and _COMMENT_HEAD.search(t))
        sentence = not teaser and (
            (words >= 8 and bool(_END_PUNCT.search(t[-6:])))
            or (words >= 3 and bool(_SENT_END.search(t[-6:])) and not t[0].islower())
        )
        junk = (
            bool(words <= 8 and _JUNK.match(t))
            or (words >= 8 and ("ookie" in t or "agree" in t) and bool(_CONSENT.search(t)))
            or (3 <= words <= 40 and not bullet and bool(_CTA_HINT.search(k)) and bool(_CTA.search(t)))
        )
        out.append(
            _Line(
                t,
                bullet,
                words,
                counts[k],
                k in site,
                junk,
                bool(words <= 12 and _SECTION.match(t)),
                words <= 25 and _is_end(t, words, bullet),
                sentence,
                teaser,
                indent,
            )
        )
    _mark_rows(out)
    prose = [ln for ln in out if ln and ln.sentence and not ln.bullet]
    if sum(ln.words for ln in prose if ln.indent) > 0.6 * sum(ln.words for ln in prose):
        for ln in prose:  # the whole page is indented: indentation says nothing
            ln.indent = False
    return out


_NUM = re.compile(r"^[\d.,:%+\-–/$€£()]+$")


def _mark_rows(lines: list[_Line | None]) -> None:
    """Flag runs of 3+ table rows (lines of 3+ tokens, a third or more of them numbers)."""
    flags = []
    for ln in lines:
        ok = False
        if ln is not None and not ln.bullet and 3 <= ln.words <= 30:
            toks = ln.text.split()
            ok = sum(1 for t in toks if _NUM.match(t)) * 3 >= len(toks)
        flags.append(ok)
    run: list[int] = []
    for i, ln in enumerate(lines):
        if ln is None:
            continue  # blank lines do not break a table
        if flags[i]:
            run.append(i)
            continue
        _flag_rows(lines, run)
        run = []
    _flag_rows(lines, run)


def _flag_rows(lines: list[_Line | None], run: list[int]) -> None:
    if len(run) >= 3:
        for j in run:
            lines[j].row = True  # type: ignore[union-attr]


_FUSE = re.compile(r"[a-z0-9’'?!)][A-Z][a-z]")


def _fused_headline(t: str) -> bool:
    """A link title run into its teaser ("Ford Recalls F-150sFord is recalling…")."""
    for m in _FUSE.finditer(t, 0, 160):
        head = [w for w in t[: m.start() + 1].split() if w[:1].isalpha()]
        if len(head) >= 5 and sum(1 for w in head if w[:1].isupper()) >= 0.8 * len(head):
            return True
    return False


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
_ROW_W = 0.5
_WALL = -1e9  # a score no story can cross


# line-score weights (words of prose are worth 1 each)
W = {
    "section": 40.0,
    "junk": 4.0,
    "teaser": 5.0,
    "rep": 8.0,
    "bullet": 9.0,
    "long": 0.3,
    "short": 4.0,
}


def _score(ln: _Line) -> float:
    """Positive for story-like lines, negative for page furniture."""
    if ln.end:
        return _WALL
    if ln.section:
        return -W["section"]
    if ln.junk or ln.site:
        return -W["junk"]
    if ln.teaser:
        return -1.0 if ln.words <= 3 else -W["teaser"]
    if ln.count >= 2:
        return ln.words * 0.3 if _long_prose(ln) else -W["rep"] - 0.5 * min(ln.words, 20)
    if ln.bullet:
        return ln.words * 0.5 if ln.sentence and ln.words >= 12 else -W["bullet"]
    if ln.sentence:
        return ln.words * (_INDENT_W if ln.indent else 1.0)
    if ln.row:
        return ln.words * _ROW_W
    if ln.words >= 10 and not _self_repeat(ln.text):
        return ln.words * W["long"]
    return -W["short"]


_COMMENTS = re.compile(r"comment|respons|repl|discussion|conversation|(?:says|said|wrote):$", re.I)


_PROSE_MIN = 50
_TAIL_W = 0.7
# tail headings that introduce other stories: runs after them (once the page had prose) count less
_TAIL = re.compile(r"^(?!latest|trending|top|popular|most)", re.I)
_HARD_END = re.compile(r"^end of|comment|respons|repl|discussion|conversation|:$", re.I)


def _region(lines: list[_Line | None]) -> tuple[int, int]:
    """Indices ``[start, end)`` of the story: the maximum-sum run of line scores (Kadane).

    Tail headings are walls; runs after a comments wall (that follows some prose) count a fifth.
    A box heading ("Trending News") dropped into the story is bridged when prose resumes right
    after it.
    """
    segs: list[list[float]] = []  # [score, start, end, wall index before]
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    weight, seen_prose, wall = 1.0, False, -1
    for i, ln in enumerate(lines + [None]):
        sc = _score(ln) if ln is not None else 0.0
        if i == len(lines) or sc == _WALL:
            if best > 0:
                segs.append([best, best_s, best_e, wall])
            if i == len(lines):
                break
            assert ln is not None
            if seen_prose and _COMMENTS.search(ln.text):
                weight = 0.2
            best, cur, cur_s, wall = 0.0, 0.0, i + 1, i
            continue
        if ln is None:
            continue
        if cur <= 0:
            cur, cur_s = 0.0, i
        cur += sc
        if cur >= _PROSE_MIN:
            seen_prose = True
        if cur * weight > best:
            best, best_s, best_e = cur * weight, cur_s, i + 1
    if not segs:
        return 0, 0
    k = max(range(len(segs)), key=lambda j: segs[j][0])
    start, end = int(segs[k][1]), int(segs[k][2])
    for j in range(k + 1, len(segs)):  # bridge box headings inside the story, forwards ...
        if not _bridge(lines, end, segs[j]):
            break
        end = int(segs[j][2])
    for j in range(k, 0, -1):  # ... and backwards
        prev = segs[j - 1]
        if not _bridge(lines, int(prev[2]), [prev[0], start, end, segs[j][3]], cand=prev):
            break
        start = int(prev[1])
    return start, end


def _bridge(
    lines: list[_Line | None], end: int, seg: list[float], cand: list[float] | None = None
) -> bool:
    """Whether text ending at ``end`` goes on in ``seg`` across the box heading before ``seg``.

    ``cand`` is the run to add (``seg`` itself unless bridging backwards): it must read as
    story prose (paragraphs of 20+ words on average) and score 20+.
    """
    cand = cand or seg
    w = int(seg[3])
    wall = lines[w] if w >= 0 else None
    if wall is None or _HARD_END.search(wall.text) or cand[0] < 20:
        return False
    if sum(1 for x in lines[end : int(seg[1])] if x is not None) > 10:
        return False
    paras = [
        x.words
        for x in lines[int(cand[1]) : int(cand[2])]
        if x is not None and x.sentence and not x.bullet and not x.indent
    ]
    return len(paras) >= 1 and sum(paras) >= 20 * len(paras)


_LONG = 20
_CAPTION = re.compile(
    r"\((?:image|photo|picture|pic|credit|source|video)s?:|\b(?:credit|photo|image|picture|source)s?:\s|"
    r"^(?:read more|read also|also read|see also|related|watch|more|click here)\b|\bgetty\b|\bshutterstock\b"
    r"|^(?:on|related|read|see|more|also|watch|listen|photos?|videos?|gallery|previously|recommended"
    r"|don'?t miss|trending|latest|top|must read|editor'?s pick)\b[^:]{0,40}:\s",
    re.I,
)


_PHOTO = re.compile(
    r"^(?:FILE\s*(?:PHOTO)?\s*[-–—:]|in (?:this|these) (?:[\w,.]+ ){0,6}(?:photos?|images?|pictures?|file)\b"
    r"|(?:this|these) (?:[\w-]+ ){0,3}(?:photos?|images?|pictures?|illustrations?)\b(?! of)"
    r"|(?:photo|image|picture)s? (?:by|via|courtesy)\b|(?:image|media|video|photo) caption\b"
    r"|(?:video|watch|listen|audio|photos?|gallery|graphic|chart|map|illustration|pictured|above|top|below)\s?:"
    r"|an? (?:\w+ ){0,6}(?:standing|sitting|holding|looking|wearing|posing|walking|smiling)\b[^:]{0,60}:)"
    r"|\((?:AP|AFP|Reuters|Getty|EPA|PA)(?: Photo| Images)?[^)]{0,60}\)$|\bphoto/|\b(?:AP|AFP) Photo\b",
    re.I,
)


_SUB_PREV = 6
_SUB_NEXT = 12


def _subheading(ln: _Line, prev: _Line | None, nxt: _Line | None) -> bool:
    """A short heading between two paragraphs of the story (not a caption or link)."""
    return (
        ln.words <= 10
        and (ln.words > 1 or len(ln.text) < 20)
        and not ln.teaser
        and prev is not None
        and nxt is not None
        and (prev.sentence or prev.bullet)
        and prev.words >= _SUB_PREV
        and nxt.sentence
        and not nxt.bullet
        and nxt.words >= _SUB_NEXT
        and not _CAPTION.search(ln.text)
    )


def _keep(ln: _Line, prev: _Line | None, nxt: _Line | None) -> bool:
    """Whether a line inside the story region is story text."""
    if ln.words <= 80 and _PHOTO.search(ln.text):
        return False
    if (
        ln.junk
        or ln.section
        or ln.end
        or ln.site
        or ln.teaser
        or (ln.count >= 2 and not _long_prose(ln))
    ):
        return False
    if ln.bullet:
        return (ln.sentence and ln.words >= 6) or (
            prev is not None and not prev.bullet and _subheading(ln, prev, nxt)
        )
    if ln.sentence or ln.row:
        return True
    if _BYLINE.match(ln.text):
        return False
    if _subheading(ln, prev, nxt):
        return True
    # a long line without final punctuation: prose unless it is a doubled link text
    return ln.words >= _LONG and not _self_repeat(ln.text) and not _CAPTION.search(ln.text)


def _credited(lines: list[_Line | None], idx: list[int]) -> set[int]:
    """Captions shown twice, once with a credit appended ("A view of X." / "A view of X.Credit…")."""
    out: set[int] = set()
    for a, b in zip(idx, idx[1:], strict=False):
        x, y = lines[a], lines[b]
        assert x is not None and y is not None
        short, long_ = (x, y) if len(x.text) <= len(y.text) else (y, x)
        if (
            short.words >= 3
            and long_.text.startswith(short.text)
            and long_.words - short.words <= 12
        ):
            if long_.text != short.text:
                out.update((a, b))
    return out


def _content_lists(lines: list[_Line | None], start: int, end: int) -> set[int]:
    """Indices of bullet lines in story lists: runs of 2+ items averaging 5+ words, not after a heading."""
    out: set[int] = set()
    i = start
    while i < end:
        ln = lines[i]
        if ln is None or not ln.bullet:
            i += 1
            continue
        j = i
        while j < end and lines[j] is not None and lines[j].bullet:  # type: ignore[union-attr]
            j += 1
        run = [x for x in lines[i:j] if x is not None]
        before = next((x for x in reversed(lines[max(0, i - 3) : i]) if x is not None), None)
        if (
            len(run) >= 2
            and sum(x.words for x in run) >= _LIST_WORDS * len(run)
            and not (before and (before.section or before.end))
        ):
            out.update(range(i, j))
        i = j
    return out


_LIST_WORDS = 4


def _mostly_site(lines: list[_Line | None]) -> bool:
    prose = [ln for ln in lines if ln and ln.sentence and not ln.bullet]
    total = sum(ln.words for ln in prose)
    return total > 0 and sum(ln.words for ln in prose if ln.site) > 0.5 * total


def _is_clean(lines: list[_Line | None]) -> bool:
    """No page furniture at all: bullets of links, repeated lines, ad/share markers."""
    real = [ln for ln in lines if ln]
    if not real:
        return True
    bad = sum(
        1
        for ln in real
        if ln.junk
        or ln.section
        or ln.end
        or ln.site
        or (ln.count >= 2 and ln.words >= 1)
        or (ln.bullet and not ln.sentence)
    )
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
        out = rows[0]
        for prev, row in zip(rows, rows[1:], strict=False):
            wrapped = row[0].islower() or not _END_PUNCT.search(prev[-6:])
            out += (" " if wrapped and not _BULLET.match(row) else "\n") + row
        blocks.append(out)
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
    r"|file|caption|video|watch|listen|download|app|skip|toggle|close|open|login|account|chevron\w*"
    r"|profile|sign ?out|logo|flag of|published|updated|ago|header|footer|live|https?|min read|view|welcome)\b"
    r"|https?://|\w(?:Sign|Log|Email|Share)|\wBy [A-Z]|e-?mail\b",
    re.I,
)
_WORD = re.compile(r"\w{4,}")


def _first_prose(lines: list[_Line | None], start: int, end: int) -> int:
    """Index of the story's first real paragraph (12+ words of prose), else ``start``."""
    for i in range(start, end):
        ln = lines[i]
        if ln is not None and ln.sentence and ln.words >= 12 and not ln.bullet:
            return i
    return start


def _find_title(lines: list[_Line | None], start: int, end: int) -> tuple[str | None, int]:
    """Headline: a title-like line shortly before the story's first paragraph.

    Scored by closeness to the story, a byline/date just below it, words shared with the
    opening paragraphs, title-like shape, and the absence of interface words.
    """
    first = _first_prose(lines, start, end)
    lede: set[str] = set()
    for ln in lines[first : min(end, first + 12)]:
        if ln is not None and ln.sentence:
            lede.update(w.lower() for w in _WORD.findall(ln.text))
    best, best_i, best_sc = None, -1, 3.0
    d = 0
    for i in range(first - 1, -1, -1):
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
            if _DATE_WORDS.search(t[: d[1]]) and not re.search(
                r"published|posted", t[: d[1]], re.I
            ):
                updated = updated or d[0]
            elif published is None:
                published = d[0]
                if author is None and d[1] > 0:
                    head = _SEP.split(t[: d[1]].strip(" |•·-–—,"))[0].strip()
                    head = re.sub(r"^(?:by|posted by|written by)\s+", "", head, flags=re.I)
                    if (
                        head
                        and 2 <= len(head.split()) <= 5
                        and _NAME.match(head)
                        and not re.search(r"published|updated|posted", head, re.I)
                    ):
                        author = head
    return author, published or updated


def _find_source(lines: list[_Line | None]) -> str | None:
    """Outlet name from a copyright line, else from a short first line repeated on the page.

    >>> _find_source(_lines("Daily Planet\\nNews\\n\\nDaily Planet\\n", None))
    'Daily Planet'
    """
    real = [ln for ln in lines if ln]
    for ln in reversed(real[-60:]):
        if ln.words <= 20 and re.search(r"©|copyright|\(c\)", ln.text, re.I):
            name = source_from_copyright(ln.text)
            if name:
                return name
    for ln in real[:3]:  # a masthead: a short first line the page repeats
        if (
            1 <= ln.words <= 4
            and ln.count >= 2
            and not ln.bullet
            and not ln.junk
            and ln.text[0].isupper()
            and not _UI.search(ln.text)
        ):
            return ln.text
    return None


def page_lines(text: str, min_chars: int = 15) -> set[str]:
    r"""The distinct normalised lines of a page, for :func:`extract`'s ``site_lines`` hook.

    Collect them over the *other* pages of a site: a line seen there is boilerplate here.

    >>> sorted(page_lines("Home\n  • About our company and staff\n"))
    ['About our company and staff']
    """
    out = set()
    for line in text.split("\n"):
        t = " ".join(_BULLET.sub("", line, count=1).split())
        if len(t) >= min_chars:
            out.add(t)
    return out


def extract(text: str, site_lines: Iterable[str] | None = None) -> Extracted:
    """Story text and metadata out of a plain-text page dump; ``Extracted(text="")`` if none.

    ``site_lines``: optional lines seen on other pages of the same site (treated as boilerplate).

    >>> extract("").text
    ''
    """
    if not isinstance(text, str) or not text.strip():
        return Extracted(text="")
    lines = _lines(text, site_lines)
    if site_lines and _mostly_site(lines):  # the same story on another page: hook says nothing
        lines = _lines(text, None)
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
    lists = _content_lists(lines, start, end)
    captions = _credited(lines, idx)
    for j, i in enumerate(idx):
        ln = lines[i]
        assert ln is not None
        prev = lines[idx[j - 1]] if j else None
        nxt = lines[idx[j + 1]] if j + 1 < len(idx) else None
        keep = _keep(ln, prev, nxt) or (
            i in lists and not (ln.junk or ln.end or ln.section or ln.site or ln.count >= 2)
        )
        if keep and ln.text not in seen and i not in captions and ln.text != title:
            kept.append(ln.text)
            seen.add(ln.text)
    body = "\n\n".join(kept)
    first = _first_prose(lines, start, end)
    author, published = _find_byline(
        lines, ti if 0 <= ti < first else max(0, first - 15), first + 3
    )
    if published is None:  # a dateline further up the page, or in the story's first lines
        author2, published = _find_byline(lines, 0, first + 10)
        author = author or author2
    source = _find_source(lines)
    return Extracted(
        text=body,
        title=clean_title(title, source) if title else None,
        published=published,
        author=author,
        source=source,
    )
