"""metadata: date parsing to ISO 8601, title cleaning, source names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressmap.metadata import (
    clean_title,
    find_date,
    norm,
    parse_date,
    same_day,
    source_from_copyright,
    titles_match,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("August 2, 2025, 00:44:00 IST", "2025-08-02T00:44:00+05:30"),
        ("Updated: 12 Mar 2024 10:05 am", "2024-03-12T10:05:00"),
        ("2024-03-12", "2024-03-12"),
        ("2019-11-19T17:39:00Z", "2019-11-19T17:39:00+00:00"),
        ("2019-11-20T03:01:00+0000", "2019-11-20T03:01:00+00:00"),
        ("Nov. 19, 2019 5:39 pm ET", "2019-11-19T17:39:00-05:00"),
        ("Tuesday, 19 November 2019", "2019-11-19"),
        ("PUBLISHED: 10:48, Tue, Nov 19, 2019", "2019-11-19"),
        ("12.03.2024", "2024-03-12"),
        ("03/25/2024", "2024-03-25"),
        ("Posted 12:00 pm, March 3rd, 2021", "2021-03-03"),
        ("August 9, 2025 5:41 PM GMT+1", "2025-08-09T17:41:00+01:00"),
        ("2025-08-09 10:00 UTC+05:30", "2025-08-09T10:00:00+05:30"),
        ("Published Wed, Nov 20 20194:29 AM EST", "2019-11-20T04:29:00-05:00"),  # year run into time
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["", "no date here", "2024-13-45", "Feb 30, 2024", "99/99/2024", None])
def test_parse_date_none(text):
    assert parse_date(text) is None


def test_find_date_span():
    text = "FP News Desk • August 2, 2025, 00:44:00 IST"
    iso, start, end = find_date(text)
    assert text[start:end].startswith("August 2, 2025")
    assert iso.startswith("2025-08-02")


def test_same_day_across_time_zones():
    assert same_day("2019-11-19T07:03:25+00:00", "2019-11-18T23:03:00")
    assert not same_day("2019-11-19", "2019-11-18")
    assert not same_day(None, "2019-11-18")


def test_titles():
    assert clean_title("Trump pushes to expand Abraham Accords | Firstpost", "Firstpost") == (
        "Trump pushes to expand Abraham Accords"
    )
    assert clean_title("A plain title with no site") == "A plain title with no site"
    assert titles_match("Opinion | Republicans Are Following Trump", "Republicans are following Trump")
    assert not titles_match("Weather today", "Election results tonight")
    assert norm("Trump’s  Plan!") == "trump s plan"


def test_source_from_copyright():
    assert source_from_copyright("Copyright @ 2024. Firstpost - All Rights Reserved") == "Firstpost"
    assert source_from_copyright("© 2019 MSPoweruser - All rights reserved") == "MSPoweruser"
    assert source_from_copyright("Nothing to see") is None


@given(st.text())
def test_never_raises(s):
    parse_date(s)
    clean_title(s, s[:5])
    source_from_copyright(s)


def test_docstring_examples():
    import doctest

    import pressmap.metadata as mod

    assert doctest.testmod(mod).failed == 0
