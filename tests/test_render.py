"""Untrusted text is shown inert."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from pressmap.render import (
    COUNTRY_PALETTE,
    article_colours,
    country_colour,
    highlight,
    highlight_multi,
    inert,
    safe_url,
)


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


@given(st.text(), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60),
                                     st.sampled_from(["AZE", "ISR", "<b>", "x\" onload=\"y"])),
                           max_size=5))
def test_highlight_multi_only_adds_coloured_marks(s: str, spans) -> None:
    out = highlight_multi(s, spans)
    bare = re.sub(r'<mark class="pm-c" data-iso3="[A-Z?]{1,3}" title="[A-Z?]{1,3}" '
                  r'style="background:#[0-9a-f]{6}">|</mark>|<br>', "", out)
    assert "<" not in bare and ">" not in bare, bare
    assert html.unescape(re.sub(r"<[^>]+>", "", out.replace("<br>", "\n"))) == s.replace("\r\n", "\n").replace("\r", "\n")


def test_highlight_multi_colours_by_country() -> None:
    out = highlight_multi("Baku, Israel and Baku.\nNext", [(0, 4, "AZE"), (6, 12, "ISR"), (17, 21, "AZE")])
    marks = re.findall(r'data-iso3="(\w+)"[^>]*background:(#\w+)">([^<]+)</mark>', out)
    assert [(m[0], m[2]) for m in marks] == [("AZE", "Baku"), ("ISR", "Israel"), ("AZE", "Baku")]
    assert marks[0][1] == marks[2][1] == country_colour("AZE")
    assert "<br>" in out
    colours = article_colours(["AZE", "ARM", "ISR", "USA", "SAU", "IRN"])
    assert len(set(colours.values())) == 6 and set(colours.values()) <= set(COUNTRY_PALETTE)
    out = highlight_multi("Baku", [(0, 4, "AZE")], colours={"AZE": "red;background:url(x)"})
    assert country_colour("AZE") in out and "url(" not in out  # only palette colours
