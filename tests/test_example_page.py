"""End to end on the user's own example page: exactly the countries its story refers to."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from pressmap.cli import main
from tests.conftest import EXAMPLE

# Read by a person from the story's own paragraphs (title, byline and body).
STORY_COUNTRIES = {
    "ARE", "ARM", "AZE", "BHR", "CAN", "FRA", "GBR", "IRN", "ISR", "KAZ", "KGZ", "MAR", "PSE",
    "RUS", "SAU", "SDN", "TJK", "TKM", "USA", "UZB",
}
# These appear on the page only in menus, trending lists, "Top Stories" and "Impact Shorts".
BOILERPLATE_ONLY = {"IND", "POL", "UKR", "QAT", "TUR", "CHN", "PAK"}
BOILERPLATE_MARKERS = ["STORY CONTINUES", "Advertisement", "Impact Shorts", "Top Stories",
                       "Whatsapp", "Subscribe", "More from World", "Trending", "Firstpost Logo"]


def analyzed() -> dict:
    r = CliRunner().invoke(main, ["analyze", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 0, r.output
    [rec] = json.loads(r.stdout)
    return rec


def test_countries_are_exactly_the_story_ones() -> None:
    rec = analyzed()
    found = {c["iso3"] for c in rec["countries"]}
    assert found == STORY_COUNTRIES
    assert not found & BOILERPLATE_ONLY


def test_counts_match_the_clean_text() -> None:
    rec = analyzed()
    text = rec["text"]
    counts = {c["iso3"]: c["count"] for c in rec["countries"]}
    assert counts["ISR"] == len(re.findall(r"\bIsraeli?\b", text))
    assert counts["KAZ"] == len(re.findall(r"\bKazakhstan(i)?\b", text))
    azerbaijan = len(re.findall(r"\bAzerbaijan(i)?\b|\bBaku\b|\bKarabakh\b", text))
    assert counts["AZE"] == azerbaijan
    assert max(counts, key=counts.get) == "AZE"


def test_metadata_and_clean_snippets() -> None:
    rec = analyzed()
    assert rec["title"] == ("Trump pushes to expand Abraham Accords with Azerbaijan, "
                            "Central Asian nations, say sources")
    assert rec["published"].startswith("2025-08-02")
    assert rec["source"] == "Firstpost"
    text = rec["text"]
    for c in rec["countries"]:
        for m in c["mentions"]:
            assert text[m["start"]:m["end"]] == m["surface"]
            assert m["snippet"] in text
            assert not any(b.lower() in m["snippet"].lower() for b in BOILERPLATE_MARKERS), m
    # every story paragraph, in order
    firsts = ["The Trump administration is in advanced talks", "The administration of US President",
              "As part of the Abraham Accords, signed", "Azerbaijan and all Central Asian countries",
              "Such an expansion would demonstrate", "Another key sticking point",
              "Trump’s special envoy", "The White House, the Israeli foreign ministry",
              "Wedged between Russia", "In 2023, Azerbaijan retook Karabakh",
              "“Armenia and Azerbaijan, we worked magic there,”"]
    positions = [text.find(f) for f in firsts]
    assert -1 not in positions and positions == sorted(positions)
