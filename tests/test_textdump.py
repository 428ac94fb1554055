"""textdump.extract: the user's sample page, clean text, bad input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pressmap.textdump import extract
from tests.conftest import EXAMPLE

BOILERPLATE_WORDS = ["India", "Poland", "Ukraine", "Qatar", "Turkey", "China", "Pakistan",
                     "Indian", "Pakistani", "Chinese"]


def _example():
    return extract(EXAMPLE.read_text(encoding="utf-8"))


def _story_paragraphs() -> list[str]:
    """The story paragraphs of the sample page, in order, read off the page by hand (first words)."""
    return [
        "The Trump administration is in advanced talks with Azerbaijan",
        "The administration of US President Donald Trump is in discussions with Azerbaijan",
        "As part of the Abraham Accords, signed in 2020 and 2021",
        "Azerbaijan and all Central Asian countries, on the other hand",
        "Such an expansion would demonstrate",
        "The kingdom has repeatedly said",
        "The war in Gaza, where over 60,000 people",
        "Another key sticking point is Azerbaijan",
        "While Trump officials have publicly floated",
        "special envoy for peace missions, Steve Witkoff",
        "As part of the discussions, Azerbaijani officials",
        "The State Department, asked for comment",
        "The Azerbaijani government declined to comment.",
        "The White House, the Israeli foreign ministry",
        "Any new accords would not modify",
        "The original Abraham Accords - inked between Israel",
        "Wedged between Russia to the north and Iran",
        "Expanding the accords to nations that already have",
        "Two sources described the discussions involving Central Asia",
        "But challenges remain and there is no guarantee",
        "The two countries, which both won independence",
        "In 2023, Azerbaijan retook Karabakh",
        "Primarily Christian Armenia and the US have close ties",
        "Still, US officials, including Secretary of State Marco Rubio",
        "“Armenia and Azerbaijan, we worked magic there,”",
    ]


def test_example_keeps_every_story_paragraph_in_order():
    text = " ".join(_example().text.split())
    pos = -1
    for start in _story_paragraphs():
        at = text.find(start, pos + 1)
        assert at > pos, f"missing or out of order: {start!r}"
        pos = at
    assert text.endswith("“And it’s pretty close.”")
    assert text.startswith("The Trump administration is in advanced talks")


def test_example_paragraphs_separated_by_blank_lines():
    paras = _example().text.split("\n\n")
    assert len(paras) >= len(_story_paragraphs())
    assert all(p.strip() == p and p for p in paras)


def test_example_drops_boilerplate():
    ex = _example()
    page = EXAMPLE.read_text(encoding="utf-8")
    on_page = [w for w in BOILERPLATE_WORDS if re.search(rf"\b{w}\b", page)]
    # India, Poland, Ukraine, Qatar, Turkey and China occur on the page, only in boilerplate
    assert {"India", "Poland", "Ukraine", "Qatar", "Turkey", "China"} <= set(on_page)
    for word in BOILERPLATE_WORDS:
        assert not re.search(rf"\b{word}\b", ex.text), word
    for junk in ["Top Stories", "Impact Shorts", "Trending", "More from World", "Advertisement",
                 "STORY CONTINUES BELOW THIS AD", "Whatsapp Facebook Twitter", "Erika Kirk",
                 "Subscribe", "Copyright", "File image"]:
        assert junk not in ex.text, junk


def test_example_metadata():
    ex = _example()
    assert ex.title == (
        "Trump pushes to expand Abraham Accords with Azerbaijan, Central Asian nations, say sources"
    )
    assert ex.published is not None and ex.published.startswith("2025-08-02")
    assert ex.published == "2025-08-02T00:44:00+05:30"
    assert ex.source == "Firstpost"
    assert ex.author == "FP News Desk"


CLEAN = """WASHINGTON (Reuters) - The United States and Azerbaijan held talks on Friday about trade,
officials said, in a meeting that lasted three hours.

"We had a good meeting," a spokesman said. He declined to give details.

Talks resume next week

Negotiators will meet again in Baku on Monday, according to a statement from the ministry.
"""


def test_clean_article_comes_through_whole():
    ex = extract(CLEAN)
    want = "\n\n".join(" ".join(p.split()) for p in CLEAN.split("\n\n"))
    assert ex.text == want.strip()


def test_clean_plain_paragraphs_unchanged():
    text = "First paragraph of the story, with a sentence.\n\nSecond one here, also a sentence."
    assert extract(text).text == text


def test_empty_and_no_article():
    assert extract("").text == ""
    assert extract("   \n\n ").text == ""
    menu = "\n".join(f"  • Section {i}" for i in range(30)) + "\nAdvertisement\nSubscribe\n"
    assert extract(menu).text == ""


def test_site_lines_hook_drops_lines_seen_on_other_pages():
    page = ("Home\n  • World\n\nA headline here for the test\n\n"
            "Leaders met on Friday to open the talks in the capital, officials said.\n\n"
            "The Planet is a member of the Independent Press Standards Organisation, it says.\n\n"
            "Talks go on for a week, a spokesman told reporters in the capital.\n\n  • World\n")
    with_hook = extract(page, site_lines=[
        "The Planet is a member of the Independent Press Standards Organisation, it says."])
    assert "Standards Organisation" in extract(page).text
    assert "Standards Organisation" not in with_hook.text
    assert "Talks go on for a week" in with_hook.text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_str(s):
    ex = extract(s)
    assert isinstance(ex.text, str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["  • Home", "Advertisement", "", "By Ann Lee • May 2, 2025",
                                 "A title line here", "Some prose sentence that goes on for a while, it says.",
                                 "Top Stories", "© 2024 Site", "\u00a0", "\r", "  □ x"]), max_size=40))
def test_never_raises_on_page_like_input(rows):
    extract("\n".join(rows))
