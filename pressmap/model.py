"""Plain data types shared by every pipeline stage.

>>> Mention("AZE", 10, 14, "Baku", "capital", 0.9, 0, 20).surface
'Baku'
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("name", "abbreviation", "demonym", "capital", "place", "institution")
EXPLICIT_KINDS = ("name", "abbreviation", "demonym")


@dataclass
class Article:
    """One article: clean text plus metadata. ``text`` is what offsets index into."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as found
    source: str | None = None  # site / outlet name
    url: str | None = None
    path: str | None = None  # file it came from (with ``#line`` for JSONL rows)
    author: str | None = None
    language: str | None = None  # ISO 639-1


@dataclass(frozen=True)
class Mention:
    """One reference to a country. ``text[start:end] == surface``.

    ``sent_start``/``sent_end`` delimit the sentence holding the mention (the snippet).
    """

    iso3: str
    start: int
    end: int
    surface: str
    kind: str  # one of KINDS
    confidence: float
    sent_start: int
    sent_end: int


@dataclass
class CountryHits:
    """All mentions of one country in one article."""

    iso3: str
    name: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass
class AnalyzedArticle:
    article: Article
    countries: list[CountryHits]

    @property
    def mentions(self) -> list[Mention]:
        return [m for c in self.countries for m in c.mentions]


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read: ``path`` and a one-line ``reason``."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Extracted:
    """What an extractor keeps of a page: the story text and its metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
