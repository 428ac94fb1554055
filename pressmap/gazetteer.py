"""The country gazetteer: names, abbreviations, demonyms, capitals and places per country.

Built by ``geodata/build_gazetteer.py`` into ``geodata/gazetteer.json``.

>>> g = load_gazetteer()
>>> g.name("USA"), g.name("XKX")
('United States', 'Kosovo')
>>> [(e.iso3, e.kind) for e in g.lookup("Baku")]
[('AZE', 'capital')]
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer.json"


@dataclass(frozen=True)
class Entry:
    """One reading of a surface form. ``iso3`` is "" for phrases that name no country."""

    surface: str
    iso3: str
    kind: str  # one of model.KINDS, or "stop"
    population: int = 0
    flags: str = ""  # s: US state; u: US town named after a foreign place; t: small US town;
    # r: curated region; c: "X County"; o: user override


class Gazetteer:
    """Lookup tables over the built gazetteer JSON."""

    def __init__(self, data: dict) -> None:
        self.countries: dict[str, dict] = data["countries"]
        self.by_lang: dict[str, dict[str, list[Entry]]] = {}
        for lang, rows in data["entries"].items():
            table: dict[str, list[Entry]] = {}
            for surface, iso3, kind, pop, flags in rows:
                table.setdefault(surface, []).append(Entry(surface, iso3, kind, pop, flags))
            self.by_lang[lang] = table
        self.us_states: dict[str, str] = data.get("us_states", {})
        self.person_names: frozenset[str] = frozenset(data.get("person_names", ()))
        self.weak: frozenset[str] = frozenset(data.get("weak", ()))
        self.standalone_population: int = int(data.get("standalone_population", 1_000_000))

    def name(self, iso3: str) -> str:
        """English short common name, e.g. ``name("RUS") == "Russia"``; the code if unknown."""
        c = self.countries.get(iso3)
        return c["name"] if c else iso3

    def iso3_codes(self) -> list[str]:
        """All country codes the gazetteer knows, sorted."""
        return sorted(self.countries)

    def languages(self) -> list[str]:
        return sorted(self.by_lang)

    def surfaces(self, lang: str = "en") -> dict[str, list[Entry]]:
        """Surface form -> readings for one language (English holds places and institutions)."""
        return self.by_lang.get(lang, {})

    def lookup(self, surface: str, lang: str = "en") -> list[Entry]:
        """Readings of ``surface`` in ``lang`` then English."""
        found = list(self.by_lang.get(lang, {}).get(surface, []))
        if lang != "en":
            found += self.by_lang.get("en", {}).get(surface, [])
        return found


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load the gazetteer JSON at ``path`` (default: the committed one, cached)."""
    if path is None:
        return _default()
    return Gazetteer(json.loads(Path(path).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return Gazetteer(json.loads(DEFAULT_PATH.read_text(encoding="utf-8")))
