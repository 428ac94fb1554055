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


def test_example_has_nothing_but_story_paragraphs_and_its_subheading():
    paras = _example().text.split("\n\n")
    starts = _story_paragraphs()
    extra = [p for p in paras if not any(st in p for st in starts)]
    assert extra == ["Obstacles remain"]  # the story's own subheading; nothing else
    assert len(paras) == len(starts) + 1


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


REUTERS = """Azerbaijan, Armenia sign peace deal at White House

By Jane Doe and John Roe

August 9, 2025 5:41 PM GMT+1

WASHINGTON, Aug 8 (Reuters) - The leaders of Armenia and Azerbaijan signed an agreement at the
White House on Friday that could open the way to ending decades of conflict, officials said.

"We are here today to sign a historic peace declaration," Trump said, flanked by the two leaders.

(Reporting by Jane Doe; Editing by John Roe)
"""


def test_clean_reuters_style_article_whole_with_metadata():
    ex = extract(REUTERS)
    want = "\n\n".join(" ".join(p.split()) for p in REUTERS.strip().split("\n\n"))
    assert ex.text == want
    assert ex.title == "Azerbaijan, Armenia sign peace deal at White House"
    assert ex.author == "Jane Doe and John Roe"
    assert ex.published == "2025-08-09T17:41:00+01:00"


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


STORY = [
    "Leaders from both countries met in the capital on Friday to open talks on a new trade deal, "
    "officials said, after months of preparation by negotiators on both sides.",
    "The talks are expected to last a week and will cover tariffs, energy and transport links, "
    "according to a statement released by the foreign ministry late on Thursday evening.",
    "Analysts said the outcome was far from certain, pointing to disagreements over farm goods "
    "and the pace at which import quotas should be lifted under any final agreement.",
]
MENU = "Home\n  • World\n  • Business\n  • Sport\n  • Culture\n\n"


def test_comments_after_the_story_are_dropped():
    comments = "\n\n".join(
        f"  • reader{i} says:\n\n    November 19, 2019 at 6:3{i} am\n\n"
        f"    I have been following this for years and I think the government is completely wrong "
        f"about it, as anyone who has lived there for a while would tell you, number {i}."
        for i in range(6))
    page = MENU + "Talks open on trade\n\n" + "\n\n".join(STORY) + "\n\n12 Comments\n\n" + comments
    ex = extract(page)
    assert ex.text == "\n\n".join(STORY)
    assert ex.title == "Talks open on trade"


def test_box_of_other_stories_inside_the_story_is_bridged_and_dropped():
    box = ("Trending News\n\n  • Storm hits the coast as thousands flee\n"
           "  • Football club sacks its manager after defeat\n  • Prices rise again in October\n\n")
    page = MENU + "Talks open on trade\n\n" + STORY[0] + "\n\n" + box + "\n\n".join(STORY[1:]) + (
        "\n\nMost Popular\n\n  • Another story\n  • And another one\n")
    ex = extract(page)
    assert ex.text == "\n\n".join(STORY)


def test_teasers_and_calls_to_action_are_dropped():
    tail = ("Sign up for our newsletter to get the best stories delivered to your inbox.\n\n"
            "Follow us on Twitter @planet for the latest news.\n\n"
            "Ford Recalls F-150s Over Loose CableFord is recalling over 168,000 F-150 pickup trucks "
            "because a loose cable can cause stalling.\n\n"
            "Another teaser paragraph that was cut short by the site at exactly this poi...\n")
    page = MENU + "Talks open on trade\n\n" + "\n\n".join(STORY) + "\n\n" + tail
    assert extract(page).text == "\n\n".join(STORY)


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


def test_docstring_examples():
    import doctest

    import pressmap.textdump as mod

    assert doctest.testmod(mod).failed == 0
