"""Untrusted text is shown inert."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from pressmap.render import highlight, inert, safe_url


@given(st.text())
def test_inert_never_leaves_tags_or_links(s: str) -> None:
    out = inert(s)
    bare = re.sub(r"&#\d+;", "", out)
    assert not set(bare) & set("<>&[]()*_`$:\\\n"), bare  # no live HTML or Markdown syntax
    assert html.unescape(out) == s.replace("\r", " ").replace("\n", " ")


@given(st.text(), st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=4))
def test_highlight_only_adds_mark_tags(s: str, spans) -> None:
    spans = [(a, b) for a, b in spans if a <= b <= len(s)]
    out = highlight(s, spans)
    assert re.sub(r"</?mark>", "", out).count("<") == 0


def test_highlight_marks_the_mention() -> None:
    assert highlight("In <b>Baku</b>", [(6, 10)]) == "In &#60;b&#62;<mark>Baku</mark>&#60;&#47;b&#62;"


def test_safe_url() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ["javascript:alert(1)", "data:text/html,<script>", "JaVaScRiPt:x", "//x.org",
                "ftp://x.org", "http://x.org/\"onmouseover=alert(1)", "", None, "file:///etc/passwd"]:
        assert safe_url(bad) is None, bad
