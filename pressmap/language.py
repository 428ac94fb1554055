"""Offline, light language identification: script detection plus stopword profiles.

>>> detect_language("The talks between the two countries were held in Baku on Monday.")
'en'
>>> detect_language("Les négociations entre les deux pays ont eu lieu à Bakou et le président a parlé.")
'fr'
>>> detect_language("中国和美国的关系")
'zh'
"""

from __future__ import annotations

import re

SAMPLE = 2000  # characters looked at: enough for a stable vote, cheap on long texts

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for it was with as on by at from this are be have has had not "
        "but were which an they their its been would will said who he she his her".split()
    ),
    "fr": frozenset(
        "le la les des et est une un du dans que qui pour pas sur au aux avec ce cette il elle "
        "sont ont été par mais plus ses leur nous vous être".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den dem des mit sich auf für von im auch es "
        "wird wurde sind hat haben bei nach aus wie oder aber dass".split()
    ),
    "es": frozenset(
        "el la los las de y en que es un una por con para del al se su sus como más pero "
        "fue son está han ha este esta entre sobre".split()
    ),
    "pt": frozenset(
        "o a os as de e em que é um uma do da dos das para com não por no na nos nas se ao "
        "mais foi são está pelo pela como".split()
    ),
    "it": frozenset(
        "il lo la i gli le di e che è un una per con non del della dei delle nel nella sono "
        "al alla si ha anche come più ma questo".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS = (
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
# Distinctive letters that break near-ties between Romance languages.
_HINTS = {"pt": re.compile(r"[ãõç]"), "es": re.compile(r"[ñ¿¡]"), "fr": re.compile(r"[èêàùç]")}


_EN_FAST = (" the ", " of ", " and ", " to ", " in ", " is ", " for ")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]")


# Each stopword -> the languages it belongs to (one pass over the words scores them all).
_STOP_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _STOP_LANGS[_w] = (*_STOP_LANGS.get(_w, ()), _lang)
# ASCII texts are split as bytes (several times faster): every non-letter byte becomes a space,
# and the stopwords are looked up as bytes (an ASCII text holds only the ASCII ones).
_ASCII_GAPS = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))
_STOP_LANGS_ASCII = {w.encode(): langs for w, langs in _STOP_LANGS.items() if w.isascii()}
# The texts last asked about and their answers, by identity: an article whose language stays
# unknown is asked again by the detector, after the reader (which runs up to two chunks of
# articles ahead of the analysis, see analyze_many). Long texts are not kept (memory).
_recent: dict[int, tuple[str, str | None]] = {}
_RECENT = 256
_RECENT_CHARS = 20_000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language (en fr de es pt it ru ar zh), or None if unsure."""
    seen = _recent.get(id(text))
    if seen is not None and seen[0] is text:
        return seen[1]  # the same article asked again (reader, then detector)
    found = _detect(text)
    if len(text) <= _RECENT_CHARS:
        if len(_recent) >= _RECENT:
            _recent.pop(next(iter(_recent), None), None)  # the oldest (no error if gone)
        _recent[id(text)] = (text, found)
    return found


def _detect(text: str) -> str | None:
    sample = text[:SAMPLE]
    ascii_only = sample.isascii()
    if not ascii_only and _NON_LATIN.search(sample):
        letters = len(_WORD.findall(sample))
        for code, rx in _SCRIPTS:
            n = len(rx.findall(sample))
            if n and (code == "zh" and n * 2 >= letters or n >= 10 or n * 3 >= len(sample.strip())):
                return code
    lower = sample.lower()
    # Fast path: text full of English function words is English (stop counting once enough).
    need = max(3, -(-len(sample) // 60))  # en >= 3 and en * 60 >= len(sample)
    en = 0
    for w in _EN_FAST:
        en += lower.count(w)
        if en >= need:
            return "en"
    # ASCII: the letter runs are what is left between non-letters (same words, faster).
    if ascii_only:
        words = lower.encode("ascii").translate(_ASCII_GAPS).split()
        stop = _STOP_LANGS_ASCII
    else:
        words = _WORD.findall(lower)
        stop = _STOP_LANGS
    if not words:
        return None
    scores = dict.fromkeys(_STOPWORDS, 0)
    # Each stopword occurrence scores its languages: the words are looked up in C (map), and
    # only the stopwords among them reach the loop (a Counter costs more on short texts).
    for langs in filter(None, map(stop.get, words)):
        for lang in langs:
            scores[lang] += 1
    if not ascii_only:  # the hint letters are all non-ASCII
        for lang, rx in _HINTS.items():
            scores[lang] += len(rx.findall(sample)) // 3
    best = max(scores, key=lambda k: scores[k])
    if best != "en" and scores[best] < 1.5 * scores["en"]:
        best = "en"
    if scores[best] < 2 and scores[best] * 10 < len(words):
        return None
    return best
