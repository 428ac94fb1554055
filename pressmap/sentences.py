"""Sentence bounds around an offset, for snippets.

>>> text = "First one. Talks in Baku went well. Last."
>>> s, e = sentence_span(text, text.index("Baku"), text.index("Baku") + 4)
>>> text[s:e]
'Talks in Baku went well.'
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace,
# or at a line break. Abbreviations such as "U.S." or "Mr." do not end a sentence when the next
# word starts in lower case or the token is a known abbreviation.
# Written as one character class first (same matches as r"[.!?][\"'”’)\]]*(?=\s)|\n") so the
# engine skips straight to the next candidate character: faster on long texts.
_END = re.compile(r"[\n.!?](?:(?<=\n)|[\"'”’)\]]*(?=\s))")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "st", "jr", "sr",
    "no", "vs", "inc", "corp", "co", "ltd", "u.s", "u.k", "u.n", "e.g", "i.e", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "pres",
}
MAX_SNIPPET = 600


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    if m.group() == "\n":
        return True
    i = m.start()
    j = i
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    token = text[j:i].lower().lstrip("(\"'“‘")
    if token in _ABBREV or (len(token) == 1 and token.isalpha()):
        return False
    k = m.end()
    while k < len(text) and text[k].isspace():
        k += 1
    return not (k < len(text) and text[k].islower())


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return ``(s, e)`` of the sentence holding ``text[start:end]``, stripped, at most ~600 chars."""
    lo = max(0, start - MAX_SNIPPET)
    s = lo
    for m in _END.finditer(text, lo, start):
        if _is_boundary(text, m):
            s = m.end()
    e = min(len(text), end + MAX_SNIPPET)
    for m in _END.finditer(text, end, e):
        if _is_boundary(text, m):
            e = m.end() if m.group() != "\n" else m.start()
            break
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e
