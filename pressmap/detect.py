"""Country detection: one compiled regex over the gazetteer, then context checks on the hits.

>>> d = default_detector()
>>> [(m.iso3, m.surface, m.kind) for m in d.detect("Talks in Baku with Israeli and U.S. envoys.")]
[('AZE', 'Baku', 'capital'), ('ISR', 'Israeli', 'demonym'), ('USA', 'U.S.', 'abbreviation')]
>>> sorted({m.iso3 for m in d.detect("Michael Jordan ate turkey in Paris, Texas.")})
['USA']
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pressmap.gazetteer import Entry, Gazetteer, load_gazetteer
from pressmap.language import detect_language
from pressmap.model import KINDS, Mention
from pressmap.sentences import MAX_SNIPPET, sentence_span

_KIND_RANK = {"name": 0, "abbreviation": 1, "demonym": 2, "institution": 3, "capital": 3, "place": 4}
_CONFIDENCE = {
    "name": 0.95, "abbreviation": 0.9, "demonym": 0.85, "institution": 0.8, "capital": 0.85,
    "place": 0.75,
}
# Words after a demonym that show it names a language, not a nation.
_LANGUAGE_NEXT = frozenset(
    "language languages speaker speakers speaking translation translations version subtitles "
    "dialect dialects accent lessons lesson classes class teacher teachers course courses text "
    "texts word words term terms phrase phrases literature grammar alphabet script-language "
    "-language -speaking -speaker -speakers".split()
)
_LANGUAGE_PREV = frozenset(
    "speak speaks spoke speaking spoken learn learning learned learnt teach teaches taught "
    "fluent study studied studying translated translate translating understand understands "
    "read reads write writes written subtitled dubbed".split()
)
# After a demonym: cuisine, species and diseases named after a nation, not the nation itself.
_THING_NEXT = frozenset(
    "restaurant restaurants food foods cuisine dish dishes cooking takeaway encephalitis flu "
    "influenza measles goose geese fruit bat bats mastiff shepherd terrier bulldog poodle "
    "setter pointer spaniel cockroach cockroaches ivy lettuce dressing".split()
)
_SPEECH_NEXT = frozenset("said says told added asked explained noted wrote stated replied".split())
# After "Indian": Native American senses, no country.
_INDIAN_NEXT = frozenset(
    "reservation reservations tribe tribes tribal nation nations casino casinos affairs Affairs "
    "Health Reservation Reservations Tribe Tribes Nation Nations Country Ocean River Creek "
    "Community Lake Head Hill Hills Springs Wells School".split()
)
# Capitalised words that may precede a country name without making it a person's name.
_PRE_OK = frozenset(
    "Northern Southern Eastern Western Central North South East West Upper Lower Greater Modern "
    "Ancient Communist Soviet Imperial Democratic Republican Socialist Islamic Federal Coastal "
    "Rural Urban Mainland Occupied Independent Free Old Neighbouring Neighboring Rebel Royal "
    "The A An In On At To From For By With Of And Or But As If When While After Before Since "
    "Both Only Also Then Than Even Like Unlike Across Into Inside Outside Near Between Against "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec Today Yesterday Tomorrow Meanwhile However Although Though Why How What Where "
    "Who Which That This These Those Said Says Visit Visiting Leave Leaving Left Hit Invade "
    "Invaded Attack Attacked Beat Beats Beaten Against Versus Vs Like Including Tonight".split()
)
# Capitalised words that may follow a country name without making it a person's or an
# organisation's name ("Israel Defense Forces" is still Israel).
_POST_OK = frozenset(
    "Defense Defence Army Navy Government Ministry Embassy Border Forces Police Parliament "
    "President Prime Minister King Queen Said Says Is Was Has Had Will Would And Or But On In "
    "At To For From With Of As After Before During Since Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April June July August September October November "
    "December I It He She They We You The This That These Those".split()
)
# After a foreign place name, these show a US local street/county/school name: no country.
_LOCAL_NEXT = frozenset(
    "County Township Twp Parish Borough Village High Middle Elementary School Street St Road Rd "
    "Avenue Ave Boulevard Blvd Drive Dr Lane Ln Pike Highway Hwy Court Ct Mall Plaza Heights "
    "Terrace Circle Place Trail Park Crossing Junction Baptist Methodist Presbyterian".split()
)
_US_PRONOUN_PREV = frozenset(
    "LET TO FOR WITH OF AMONG JOIN HELP GIVE TELL SHOW ABOUT BY ALL FROM ON AT BEFORE BEHIND "
    "AGAINST TOLD GAVE MAKE MAKES MADE LIKE SEND CALL".split()
)
_AP_STATES = (
    "Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. "
    "Mich. Minn. Miss. Mo. Mont. Neb. Nebr. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. "
    "R.I. S.C. S.D. Tenn. Tex. Vt. Va. Wash. W.Va. Wis. Wyo."
).split()
_DATELINE = re.compile(r"\s*(?:,|\(|—|–|-\s)")
_PREPOSITIONS = frozenset("of in to from into at across throughout near".split())
_TOKEN = re.compile(r"[\w.\-'’]+")


@dataclass
class _Hit:
    start: int
    end: int
    surface: str
    readings: list[Entry]
    chosen: Entry | None = None
    confidence: float = 1.0
    notes: set[str] = field(default_factory=set)


@dataclass
class _Compiled:
    rx: re.Pattern[str]
    extra_rx: re.Pattern[str] | None
    table: dict[str, list[Entry]]


_COUNTY = re.compile(r"(?<![\w])[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:County|Parish)(?![\w])")
_HEAD = 300  # all-caps forms are looked for in the headline and dateline only
_CAPS_RUN = re.compile(r"[A-Z]{4}")


def _drop_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Sort by start; where hits overlap keep the longest (then the earliest)."""
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[_Hit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            if h.end - h.start > out[-1].end - out[-1].start:
                out[-1] = h
            continue
        out.append(h)
    return out


def _trie_pattern(words: Iterable[str]) -> str:
    """Regex alternation over ``words`` as a character trie: longest match first at each start."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def rec(node: dict) -> str:
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        alts = [re.escape(k) + rec(node[k]) for k in keys]
        single = [a for a in alts if len(a) == 1]
        if len(single) > 1 and len(single) == len(alts):
            body = "[" + "".join(single) + "]"
        else:
            body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return rec(trie)


def _ru_stem(word: str) -> str:
    """Cut a Russian name's final vowel/soft sign so that case endings can follow it."""
    if len(word) > 4 and word[-1] in "аяоеийь":
        return word[:-1]
    return word


def _load_overrides(path: Path | None) -> dict[str, str]:
    """Read ``[phrases]`` (or top-level) ``"phrase" = "ISO3" | "none"`` from a TOML file."""
    if path is None or not Path(path).exists():
        return {}
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    table = data.get("phrases", data)
    return {str(k): str(v) for k, v in table.items() if isinstance(v, str)}


class Detector:
    """Find country mentions in text.

    ``kinds`` restricts the returned mention kinds; ``overrides`` is a TOML file mapping a phrase
    to an ISO3 code or to ``"none"``, re-read whenever it changes.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        kinds: Iterable[str] | None = None,
        overrides: Path | None = None,
    ) -> None:
        self.g = gazetteer or load_gazetteer()
        self.kinds = frozenset(kinds) if kinds is not None else frozenset(KINDS)
        unknown = self.kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown mention kinds: {sorted(unknown)}")
        self.overrides_path = Path(overrides) if overrides is not None else None
        self._ov_stamp: tuple[float, int] | None = None
        self._overrides: dict[str, str] = {}
        self._compiled: dict[str, _Compiled] = {}
        self._upper_rx: tuple[re.Pattern[str], dict[str, list[Entry]]] | None = None
        self._us_after = re.compile(
            r",\s*(?:"
            + "|".join(re.escape(s) for s in sorted(self.g.us_states, key=len, reverse=True))
            + "|"
            + "|".join(re.escape(s) for s in _AP_STATES)
            + "|"
            + "|".join(sorted(set(self.g.us_states.values())))
            + r")(?![\w])"
        )

    # -- compilation ---------------------------------------------------------------------------

    def _refresh_overrides(self) -> None:
        if self.overrides_path is None:
            return
        try:
            st = self.overrides_path.stat()
            stamp: tuple[float, int] | None = (st.st_mtime, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._ov_stamp:
            self._ov_stamp = stamp
            self._overrides = _load_overrides(self.overrides_path) if stamp else {}
            self._compiled.clear()

    def _table(self, lang: str) -> _Compiled:
        if lang in self._compiled:
            return self._compiled[lang]
        table: dict[str, list[Entry]] = {k: list(v) for k, v in self.g.surfaces("en").items()}
        other: dict[str, list[Entry]] = {}
        if lang != "en":
            for surface, entries in self.g.surfaces(lang).items():
                other.setdefault(surface, []).extend(entries)
        for phrase, target in self._overrides.items():
            iso3 = "" if target.lower() in ("none", "") else target.upper()
            table[phrase] = [Entry(phrase, iso3, "name" if iso3 else "stop", 10**7, "o")]
        stems: set[str] = set()
        extra: set[str] = set()
        for surface, entries in other.items():
            if lang == "ru":
                stem = _ru_stem(surface)
                stems.add(stem)
                table.setdefault(stem, []).extend(entries)
            elif lang in ("zh", "ar") or not surface[:1].isupper():
                extra.add(surface)
                table.setdefault(surface, []).extend(entries)
            else:
                table.setdefault(surface, []).extend(entries)
        # The main pattern holds only capitalised surfaces and has no look-behind, so that the
        # regex engine can skip ahead to upper-case letters; the left word boundary is checked
        # on each match instead.
        main = [w for w in table if w[:1].isupper() and w not in stems]
        rx = re.compile("(?:" + _trie_pattern(main) + r")(?![\w])")
        parts = []
        if stems:
            parts.append(r"(?<![\w])(?:" + _trie_pattern(stems) + r")[а-яё]{0,3}(?![\w])")
        if lang == "ar" and extra:
            parts.append(
                r"(?:(?<![\w])|(?<=(?<![\w])[وبفلك]))(?:" + _trie_pattern(extra) + r")(?![\w])"
            )
        elif lang == "zh" and extra:
            parts.append("(?:" + _trie_pattern(extra) + ")")
        elif extra:
            parts.append(r"(?<![\w])(?:" + _trie_pattern(extra) + r")(?![\w])")
        extra_rx = re.compile("|".join(parts)) if parts else None
        compiled = _Compiled(rx, extra_rx, table)
        self._compiled[lang] = compiled
        return compiled

    def _upper(self) -> tuple[re.Pattern[str], dict[str, list[Entry]]]:
        """All-caps forms of names and places, for datelines and headlines ("PARIS, Feb 26 -")."""
        if self._upper_rx is None:
            upper: dict[str, list[Entry]] = {}
            for surface, entries in self.g.surfaces("en").items():
                up = surface.upper()
                if len(surface) < 4 or up == surface or up in self.g.surfaces("en"):
                    continue
                keep = [e for e in entries if e.kind in ("name", "capital", "place") and "t" not in e.flags]
                if keep:
                    upper[up] = keep
            self._upper_rx = (re.compile("(?:" + _trie_pattern(upper) + r")(?![\w])"), upper)
        return self._upper_rx

    # -- detection -----------------------------------------------------------------------------

    def detect(self, text: str, language: str | None = None) -> list[Mention]:
        """Country mentions in ``text``, sorted by start. ``language`` is ISO 639-1 or guessed."""
        if not text:
            return []
        self._refresh_overrides()
        lang = language or detect_language(text) or "en"
        if lang not in self.g.by_lang:
            lang = "en"
        c = self._table(lang)
        table = c.table
        hits: list[_Hit] = []
        for m in c.rx.finditer(text):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                continue
            surface = m.group()
            hits.append(_Hit(s, m.end(), surface, table[surface]))
        if c.extra_rx is not None:
            for m in c.extra_rx.finditer(text):
                surface = m.group()
                readings = table.get(surface)
                if readings is None:  # Russian case ending after a stem
                    for cut in (1, 2, 3):
                        readings = table.get(surface[:-cut])
                        if readings:
                            break
                if readings:
                    hits.append(_Hit(m.start(), m.end(), surface, readings))
        if " County" in text or " Parish" in text:
            for m in _COUNTY.finditer(text):
                hits.append(_Hit(m.start(), m.end(), m.group(), [Entry(m.group(), "USA", "place", 0, "c")]))
        head = text[:_HEAD]
        if _CAPS_RUN.search(head):
            urx, utable = self._upper()
            for m in urx.finditer(head):
                s = m.start()
                if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                    continue
                hits.append(_Hit(s, m.end(), m.group(), utable[m.group()]))
        if len(hits) > 1:
            hits = _drop_overlaps(hits)
        if not hits:
            return []
        self._filter(text, hits)
        self._resolve(text, hits)
        out = []
        s0 = s1 = -1
        for h in hits:
            e = h.chosen
            if e is None or not e.iso3 or e.kind not in self.kinds:
                continue
            # Reuse the previous sentence when it holds this hit and both ends are within
            # sentence_span's look-around window (it would find the same bounds).
            if not (
                s0 <= h.start
                and h.end <= s1
                and h.start - s0 < MAX_SNIPPET
                and s1 - h.end < MAX_SNIPPET
            ):
                s0, s1 = sentence_span(text, h.start, h.end)
            conf = round(min(1.0, max(0.0, _CONFIDENCE[e.kind] * h.confidence)), 3)
            out.append(Mention(e.iso3, h.start, h.end, h.surface, e.kind, conf, s0, s1))
        return out

    def _filter(self, text: str, hits: list[_Hit]) -> None:
        """Drop readings that the words around a hit rule out (case, persons, languages...)."""
        persons: set[str] = set()
        for h in hits:
            if any(e.kind == "stop" for e in h.readings) and not any(
                "o" in e.flags and e.iso3 for e in h.readings
            ):
                h.readings = []
                continue
            s, e = h.start, h.end
            after = text[e : e + 1]
            if h.surface.isupper() and h.readings[0].surface != h.surface:
                # All-caps form of a name: only in datelines and all-caps headlines.
                if not _DATELINE.match(text, e) and _has_lower(text, s, e):
                    h.readings = []
                    continue
            prev_word, prev_gap = _prev_word(text, s)
            next_word, next_gap = _next_word(text, e)
            keep = []
            for r in h.readings:
                if r.kind == "abbreviation":
                    if after == "$" or (after == "-" and text[e + 1 : e + 2] == "$"):
                        continue
                    if h.surface.isupper() and len(h.surface) <= 3 and not _has_lower(text, s, e):
                        if prev_word.upper() in _US_PRONOUN_PREV:
                            continue
                elif r.kind == "demonym":
                    if _is_language(prev_word, next_word, next_gap, after):
                        continue
                    if h.surface.startswith("Indian") and next_word in _INDIAN_NEXT:
                        continue
                    if next_word.lower() in _THING_NEXT:
                        continue
                    if next_word in _SPEECH_NEXT or _capitalised_name(prev_word, prev_gap, self.g):
                        persons.add(h.surface)  # "Monica French said", "French said"
                        continue
                keep.append(r)
            h.readings = keep
            if not keep:
                continue
            # "City, State" (Paris, Texas; Lebanon, Ohio): a US place.
            if after == "," and self._us_after.match(text, e):
                h.readings = [Entry(h.surface, "USA", "place", 0, "p")]
                h.notes.add("us-pattern")
                continue
            if next_gap == " " and next_word in _LOCAL_NEXT and h.surface not in self.g.us_states:
                h.readings = [r for r in keep if r.iso3 == "USA" and "s" in r.flags]
                h.notes.add("local")
                continue
            if _looks_like_person(prev_word, prev_gap, next_word, next_gap, self.g, text, s):
                if h.surface in self.g.person_names:
                    persons.add(h.surface)
                    h.readings = []
                    continue
                h.notes.add("person")
            if _sentence_initial(text, s):
                h.notes.add("initial")
        # A name once used for a person stays a person in the article, unless a preposition
        # in front ("in Jordan") shows a place.
        if persons:
            for h in hits:
                if h.readings and h.surface in persons:
                    pw, _ = _prev_word(text, h.start)
                    if pw.lower() not in _PREPOSITIONS:
                        h.readings = []

    def _resolve(self, text: str, hits: list[_Hit]) -> None:
        """Pick one reading per hit, using what the rest of the article says."""
        g = self.g
        evidence: Counter[str] = Counter()  # anchors: names, demonyms, capitals, big places
        places: dict[str, set[str]] = {}  # iso3 -> distinct place surfaces that may support it
        for h in hits:
            isos = {r.iso3 for r in h.readings if r.iso3}
            if len(isos) == 1:
                (iso,) = isos
                kinds = {r.kind for r in h.readings}
                if kinds & {"name", "abbreviation", "demonym", "institution", "capital"}:
                    evidence[iso] += 1
                elif any(_strong_place(r, g) for r in h.readings):
                    evidence[iso] += 1
            for r in h.readings:
                if (
                    r.kind == "place"
                    and r.iso3
                    and not ({"u", "c"} & set(r.flags))
                    and r.surface not in g.weak
                    and "person" not in h.notes
                    and (len(isos) == 1 or "s" in r.flags)
                ):
                    places.setdefault(r.iso3, set()).add(h.surface.lower())
        # Local-news style (phone numbers, street addresses, sheriffs...) points to a US town.
        us_style_cache: list[int] = []

        def us_style() -> int:
            if not us_style_cache:
                us_style_cache.append(_us_style(text))
            return us_style_cache[0]

        per_surface: Counter[tuple[str, str]] = Counter()
        for h in hits:
            for iso in {r.iso3 for r in h.readings if r.iso3}:
                per_surface[(h.surface, iso)] += 1

        def other_evidence(iso: str, surface: str) -> int:
            """Anchors for ``iso`` elsewhere in the article, plus other places in it."""
            n = max(evidence[iso] - per_surface[(surface, iso)], 0)
            n += len(places.get(iso, set()) - {surface.lower()})
            if iso == "USA" and n < 2:
                n += us_style()
            return n

        foreign_any = any(n > 0 for iso, n in evidence.items() if iso != "USA")
        for h in hits:
            if not h.readings:
                continue
            if "us-pattern" in h.notes or any("o" in r.flags for r in h.readings):
                h.chosen = h.readings[0]
                continue
            best: tuple[float, Entry] | None = None
            isos = {r.iso3 for r in h.readings}
            for r in h.readings:
                if not r.iso3:
                    continue
                other = other_evidence(r.iso3, h.surface)
                score = 10.0 - _KIND_RANK.get(r.kind, 5)
                us_town = r.iso3 == "USA" and r.kind == "place" and bool({"u", "s", "t"} & set(r.flags))
                if us_town and len(isos) > 1:
                    # US state/town reading of a foreign name: needs US local evidence and
                    # no sign of the foreign country elsewhere. A country's name needs US places.
                    foreign = max((other_evidence(i, h.surface) for i in isos if i != "USA"), default=0)
                    need = 1 if "s" in r.flags else 2
                    support = other
                    if any(x.kind == "name" for x in h.readings):
                        support = len(places.get("USA", set()) - {h.surface.lower()})
                    if support >= need and foreign <= 0:
                        score += 20
                    else:
                        continue
                elif "c" in r.flags:  # "X County": US unless the article is about elsewhere
                    if foreign_any and other <= 0:
                        continue
                elif r.kind == "place" and not _strong_place(r, g):
                    if other <= 0 or "u" in r.flags or "person" in h.notes:
                        continue
                    if r.surface in g.weak and evidence[r.iso3] - per_surface[(h.surface, r.iso3)] <= 0:
                        continue
                    score -= 1
                elif r.kind == "capital" and r.surface in g.weak and other <= 0:
                    continue
                if r.surface in g.weak and "initial" in h.notes:
                    continue
                if other > 0:
                    score += 5
                score += min(r.population, 10**7) / 10**8
                if best is None or score > best[0]:
                    best = (score, r)
            if best is None:
                continue
            h.chosen = best[1]
            if len(isos) > 1:
                h.confidence *= 0.85
            if "initial" in h.notes and h.surface in g.person_names:
                h.confidence *= 0.9
            if "c" in h.chosen.flags or "t" in h.chosen.flags:
                h.confidence *= 0.8


_US_STYLE = re.compile(
    r"(?P<phone>\(\d{3}\) ?\d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b)"
    r"|(?P<address>\b\d{2,5} (?:[NSEW]\. )?[A-Z][a-z]+ (?:St|Ave|Rd|Blvd|Dr|Ln|Hwy)\b)"
    r"|(?P<sheriff>\b[Ss]heriff)"
    r"|(?P<politics>\b(?:[RD]-[A-Z][a-z]|state (?:Sen|Rep)\.|Gov\. [A-Z]))"
    r"|(?P<local>\b(?:School District|Police Department|Fire Department|Township|City Council|"
    r"County Commission|school board|Board of Supervisors|Chamber of Commerce)\b)"
)


def _us_style(text: str) -> int:
    """0, 1 or 2: how strongly the article reads like US local news (distinct cue types)."""
    kinds = {m.lastgroup for m in _US_STYLE.finditer(text)}
    return min(len(kinds), 2)


def _strong_place(r: Entry, g: Gazetteer) -> bool:
    """A place that counts without support: curated regions, US states, big non-weak cities."""
    if r.kind != "place" or {"u", "t", "c"} & set(r.flags) or r.surface in g.weak:
        return False
    if r.surface in g.person_names and r.population > 0:
        return False
    if r.population == 0 or "s" in r.flags:
        return True
    return r.population >= g.standalone_population and r.surface not in g.weak


def _prev_word(text: str, s: int) -> tuple[str, str]:
    """The word before offset ``s`` and the characters between it and ``s``."""
    i = s
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    gap = text[i:s]
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".-'’"):
        j -= 1
    return text[j:i], gap


def _next_word(text: str, e: int) -> tuple[str, str]:
    """The word after offset ``e`` and the characters between ``e`` and it."""
    i = e
    while i < len(text) and text[i] in " \t":
        i += 1
    gap = text[e:i]
    if not gap and i < len(text) and text[i] == "-":
        m = _TOKEN.match(text, i)
        return (m.group() if m else ""), ""
    m = _TOKEN.match(text, i)
    word = m.group() if m else ""
    return word.rstrip(".,'’"), gap


def _has_lower(text: str, s: int, e: int) -> bool:
    window = text[max(0, s - 40) : e + 40]
    return any(c.islower() for c in window)


def _sentence_initial(text: str, s: int) -> bool:
    i = s
    while i > 0 and text[i - 1] in " \t\"'“‘(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:"


def _is_language(prev_word: str, next_word: str, next_gap: str, after: str) -> bool:
    if next_word.lower() in _LANGUAGE_NEXT:
        return True
    pw = prev_word.lower()
    if pw in _LANGUAGE_PREV:
        return True
    if pw in ("in", "into", "from") and (not next_gap or after in ",.;:)" or next_word in ("and", "or")):
        return after in ",.;:)\"" or next_word in ("and", "or")
    return False


def _capitalised_name(prev_word: str, prev_gap: str, g: Gazetteer) -> bool:
    """True when ``prev_word`` looks like a given name right before the hit ("Michael Jordan")."""
    return (
        prev_gap == " "
        and prev_word[:1].isupper()
        and prev_word.isalpha()
        and prev_word not in _PRE_OK
        and not prev_word.isupper()
        and not g.lookup(prev_word)
    )


def _looks_like_person(
    prev_word: str, prev_gap: str, next_word: str, next_gap: str, g: Gazetteer, text: str, s: int
) -> bool:
    """True when a capitalised name stands right next to the hit ("Michael Jordan", "Chad Smith")."""
    if (
        next_gap == " "
        and next_word[:1].isupper()
        and next_word[1:2].islower()
        and next_word not in _POST_OK
        and not g.lookup(next_word)
    ):
        return True
    return _capitalised_name(prev_word, prev_gap, g)


@functools.lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The shared detector over the committed gazetteer (built once per process)."""
    return Detector()
