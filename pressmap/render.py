"""Untrusted text made safe for display: HTML-escaped and Markdown-inert.

Streamlit's ``st.markdown(..., unsafe_allow_html=True)`` parses Markdown and HTML; every
piece of article text passes through :func:`inert` first, so it can only ever show as text.

>>> inert("<b>*x*</b>")
'&#60;b&#62;&#42;x&#42;&#60;&#47;b&#62;'
>>> highlight("Talks in Baku", [(9, 13)])
'Talks in <mark>Baku</mark>'
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Characters that HTML or Markdown (CommonMark, GFM, Streamlit's extensions: $math$,
# :emoji:, :color[...]) may treat as syntax. Each becomes a numeric character reference, which
# both parsers decode to the literal character and never read as syntax.
_SPECIAL = set("<>&\"'\\`*_{}[]()#+-.!|~$:=^@/")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}


def inert(text: str | None) -> str:
    """Escape ``text`` so Markdown and HTML both render it literally."""
    if not text:
        return ""
    return text.replace("\r", " ").replace("\n", " ").translate(_TABLE)


def highlight(sentence: str, spans: list[tuple[int, int]], tag: str = "mark") -> str:
    """``sentence`` made inert with each ``(start, end)`` span wrapped in ``<mark>``."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out.append(inert(sentence[pos:s]))
        out.append(f"<{tag}>{inert(sentence[s:e])}</{tag}>")
        pos = e
    out.append(inert(sentence[pos:]))
    return "".join(out)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL with a host, else ``None`` (no javascript:, data:...)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in ' "\'<>`\\\n\r\t'):
        return None
    return url


# Twenty light background colours that keep black text readable (ColorBrewer Set3 and
# Pastel1, matplotlib tab20's light half). A country's colour depends only on its ISO3 code.
COUNTRY_PALETTE = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
                   "#b3de69", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#aec7e8",
                   "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
                   "#dbdb8d", "#9edae5")


def country_colour(iso3: str) -> str:
    """A fixed palette colour for ``iso3`` (stable across runs: a hash of its letters).

    >>> country_colour("AZE") == country_colour("AZE"), country_colour("AZE").startswith("#")
    (True, True)
    """
    return COUNTRY_PALETTE[sum(ord(c) * (31 ** i) for i, c in enumerate(iso3 or "")) % len(COUNTRY_PALETTE)]


def article_colours(codes: list[str]) -> dict[str, str]:
    """Distinct colours for the countries of one article: each takes its own
    :func:`country_colour` unless an earlier code (most-mentioned first) took it, then the next
    free palette colour; past twenty countries colours repeat.

    >>> c = article_colours(["AZE", "ARM", "ISR"]); len(set(c.values()))
    3
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    n = len(COUNTRY_PALETTE)
    for code in codes:
        first = COUNTRY_PALETTE.index(country_colour(code))
        pick = next((COUNTRY_PALETTE[(first + i) % n] for i in range(n)
                     if COUNTRY_PALETTE[(first + i) % n] not in used), country_colour(code))
        used.add(pick)
        out[code] = pick
    return out


def _is_code(s: str) -> bool:
    return isinstance(s, str) and 2 <= len(s) <= 8 and all(c.isascii() and (c.isalnum() or c == "-") for c in s)


def highlight_multi(text: str, spans: list[tuple[int, int, str]], *, paragraphs: bool = True,
                    colours: dict[str, str] | None = None) -> str:
    """``text`` made inert with each ``(start, end, iso3)`` span in a ``<mark>`` coloured by
    ``colours[iso3]`` when it is a palette colour, else :func:`country_colour`, and titled with
    the code; overlapping spans keep the first.

    With ``paragraphs``, line breaks become ``<br>`` (after escaping; the text stays inert).

    >>> highlight_multi("Baku and Israel", [(0, 4, "AZE"), (9, 15, "ISR")]).count("<mark")
    2
    """
    out, pos = [], 0

    def plain(s: str) -> str:
        if not paragraphs:
            return inert(s)
        lines = s.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "<br>".join(inert(x) for x in lines)

    for s, e, iso3 in sorted(spans, key=lambda x: (x[0], -x[1])):
        if s < pos or e <= s or s < 0 or e > len(text):
            continue
        code = iso3 if _is_code(iso3) else "?"
        colour = (colours or {}).get(code)
        colour = colour if colour in COUNTRY_PALETTE else country_colour(code)
        out.append(plain(text[pos:s]))
        out.append(f'<mark class="pm-c" data-iso3="{code}" title="{code}" '
                   f'style="background:{colour}">{plain(text[s:e])}</mark>')
        pos = e
    out.append(plain(text[pos:]))
    return "".join(out)
