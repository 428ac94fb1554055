"""Counts in words, for captions and tooltips.

>>> counted(1, "article"), counted(12_500, "article"), counted(2, "country", "countries")
('1 article', '12,500 articles', '2 countries')
"""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with thousands separators and ``noun``, plural unless ``n`` is 1."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
