"""htmlpage.extract: decoding, text, metadata fallbacks, bad input."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pressmap.htmlpage import decode, extract
from pressmap.metadata import same_day
from tests.conftest import need_shared

PARAS = [
    "Leaders from Azerbaijan and Armenia met in Washington on Friday to sign a peace agreement, "
    "officials said, ending decades of conflict over the mountainous region.",
    "The deal, brokered over several months, opens a transit corridor and restores trade links, "
    "according to a joint statement released after the ceremony at the White House.",
    "Critics said the agreement left many questions open, including the return of refugees and "
    "the demarcation of the border, which will be negotiated by a joint commission next year.",
]


def page(head: str = "", body_extra: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    ps = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head>{meta}<title>Peace deal signed | Daily Planet</title>{head}</head><body>"
            f"<nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav>"
            f"<article><h1>Peace deal signed</h1>{ps}{body_extra}</article>"
            f"<footer>© 2025 Daily Planet. All rights reserved.</footer></body></html>")


def test_text_paragraphs_separated_by_blank_lines():
    ex = extract(page())
    for p in PARAS:
        assert p in ex.text
    assert PARAS[0] + "\n\n" + PARAS[1] in ex.text
    assert "Home" not in ex.text and "rights reserved" not in ex.text


def test_metadata_fallbacks_og_article_jsonld():
    head = ('<meta property="og:site_name" content="Daily Planet">'
            '<meta property="article:published_time" content="2025-08-02T00:44:00+05:30">')
    ex = extract(page(head))
    assert ex.source == "Daily Planet"
    assert ex.published == "2025-08-02T00:44:00+05:30"
    assert ex.title == "Peace deal signed"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Peace deal signed",
          "datePublished": "2024-03-12T10:05:00Z", "author": {"@type": "Person", "name": "Ann Lee"},
          "publisher": {"@type": "Organization", "name": "The Planet"}}
    ex = extract(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert ex.published.startswith("2024-03-12")
    assert ex.author == "Ann Lee"
    assert ex.source == "The Planet"


def test_url_kept():
    assert extract(page(), url="https://example.com/a").url == "https://example.com/a"


def test_decode_bom_meta_utf8_cp1252():
    assert decode("café".encode("utf-8-sig")) == "café"
    assert decode("café".encode("utf-16")) == "café"
    assert decode('<meta charset="windows-1252">café “q”'.encode("cp1252")).endswith("café “q”")
    assert decode('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">caf\xe9'
                  .encode("latin-1")).endswith("café")
    assert decode("café, naïve".encode()) == "café, naïve"  # undeclared UTF-8
    assert decode("café “q”".encode("cp1252")) == "café “q”"  # undeclared, not UTF-8
    assert decode('<meta charset="bogus-enc">café'.encode()) .endswith("café")


def test_bytes_in_declared_encoding():
    html = page(charset="windows-1252").replace("Friday", "Friday – café").encode("cp1252")
    ex = extract(html)
    assert "Friday – café" in ex.text


def test_bytes_with_xml_declaration():
    html = '<?xml version="1.0" encoding="utf-8"?>' + page()
    assert PARAS[0] in extract(html.encode("utf-8")).text
    assert PARAS[0] in extract(html).text


def test_empty_and_no_article():
    assert extract("").text == ""
    assert extract(b"").text == ""
    assert extract("<html><body><nav><a href='/'>Home</a></nav></body></html>").text == ""
    assert extract("not html at all").text in ("", "not html at all")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.binary()))
def test_never_raises(data):
    ex = extract(data)
    assert isinstance(ex.text, str)


def test_shared_pages_story_and_metadata():
    """The first pages of the evaluation set (read at run time): text close to the true body,
    paragraphs split, a title, and the date the URL carries."""
    from pressmap import evaluate_extract as ev

    data = need_shared("eval", "extract")
    rows = ev.load(data)[:12]
    f1s = []
    for row in rows:
        ex = extract((data / "pages" / f"{row['id']}.html").read_bytes(), url=row["url"])
        f1s.append(ev.prf(*ev.match(ex.text, row["body"]))[2])
        assert ex.title
        if ev.url_date(row["url"]):
            assert same_day(ex.published, ev.url_date(row["url"])), row["id"]
        if len(row["body"].split("\n\n")) > 3:
            assert "\n\n" in ex.text
    assert sum(f1s) / len(f1s) >= 0.9


def test_docstring_examples():
    import doctest

    import pressmap.htmlpage as mod

    assert doctest.testmod(mod).failed == 0
