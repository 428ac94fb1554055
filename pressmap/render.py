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
