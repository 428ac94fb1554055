"""Country detection: one compiled regex over the gazetteer, then context checks on the hits.

>>> d = default_detector()
>>> [(m.iso3, m.surface, m.kind) for m in d.detect("Talks in Baku with Israeli and U.S. envoys.")]
[('AZE', 'Baku', 'capital'), ('ISR', 'Israeli', 'demonym'), ('USA', 'U.S.', 'abbreviation')]
>>> sorted({m.iso3 for m in d.detect("Michael Jordan ate turkey in Paris, Texas.")})
['USA']
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # (no stubs: the regex engine itself)
import array
import bisect
import functools
import hashlib
import marshal
import os
import re
import sys
import threading
import tomllib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from pressmap.gazetteer import Entry, Gazetteer, load_gazetteer
from pressmap.language import detect_language
from pressmap.model import KINDS, Mention
from pressmap.sentences import _END, MAX_SNIPPET, _is_boundary

_ANCHOR_KINDS = frozenset(("name", "abbreviation", "demonym", "institution", "capital"))
_KIND_RANK = {
    "name": 0,
    "abbreviation": 1,
    "demonym": 2,
    "institution": 3,
    "capital": 3,
    "place": 4,
}
_CONFIDENCE = {
    "name": 0.95,
    "abbreviation": 0.9,
    "demonym": 0.85,
    "institution": 0.8,
    "capital": 0.85,
    "place": 0.75,
}
_CONFIDENCE_ROUNDED = {k: round(min(1.0, max(0.0, v * 1.0)), 3) for k, v in _CONFIDENCE.items()}
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
    "setter pointer spaniel cocker cockroach cockroaches ivy lettuce dressing heritage ancestry "
    "descent pub pubs sausage sausages festival grill bakery songs song music dance dancing "
    "folk immersion whiskey stew rock pop punk jazz reggae".split()
)
# After a place's name: a disease or a round of trade talks named after it ("Hong Kong flu",
# "the Uruguay round"), not the place.
_NAMED_FOR_NEXT = frozenset("flu influenza measles encephalitis fever round".split())
# A treaty named after the city where it was signed names no country ("the Oslo Accords", "the
# Kyoto Protocol", "the Minsk agreements"); one named after a region or state concerns it ("the
# Gaza agreement").
# ("Convention" is left out: "the Dublin Convention and Visitors Bureau" is the town's.)
_TREATY_NEXT = frozenset(
    "accord accords agreement agreements protocol protocols treaty declaration process".split()
)
_TREATY_WORDS = sorted({w for t in _TREATY_NEXT for w in (t, t.capitalize())}, key=len, reverse=True)
_TREATY_AFTER = re.compile(rf" (?:{'|'.join(_TREATY_WORDS)})(?![\w])")
# A country's name that ends a US state's name stands for the state inside a company's name in
# a story about that state: "Jersey Central Power", "United Jersey Banks" (New Jersey).
_NEW_JERSEY = ("New Jersey", "N.J.", "NEW JERSEY")
_STATE_TAIL = {"Jersey": _NEW_JERSEY, "JERSEY": _NEW_JERSEY}
# A capitalised run after a name or demonym that ends in one of these names an institution of
# that country ("Philippine Department of Agriculture"): kind "institution".
_STATE_BODY = frozenset(
    "Department Ministry Government Embassy Consulate Army Navy Police Parliament Senate "
    "Congress Agency Commission Court Cabinet Military Forces Guard".split()
)
# "US-24", "U.S. Highway 82", "U.S. Route 1": a road, a place in the country.
_ROAD_AFTER = re.compile(r"-\d|\s(?:Highway|Route|Hwy\.?)\s?\d")
# ... or an organisation named after it ("American Diabetes Association"): no country.
_ORG_SUFFIX = frozenset(
    "Association Associations Society Group Bank Inc Corp Corporation Company Co Ltd Airlines "
    "Airways Express Foundation Institute Academy College University School League Club Church "
    "Martyrs Grill Restaurant Pub Mortgage Insurance Apartments Oaks Service Services Act Party "
    "Orchard Eagle Motors Press Times Post Herald Tribune Journal Network Channel Open Cup "
    "Federation Union Chamber Center Centre Council Festival Farms Farm Telecom Industries "
    "Holdings Partners Brothers Bros Trust Securities Capital Resources Petroleum".split()
)
# Companies named after a town ("Burlington Industries", "Kidder, Peabody and Co"): for towns
# only these count, as schools and churches named after a town are in that town.
_COMPANY_SUFFIX = frozenset(
    "Inc Corp Corporation Co Company Ltd Industries Holdings Partners Brothers Bros Trust "
    "Securities Capital Resources Petroleum Bank Group Airlines Airways Insurance Mortgage "
    "Motors Interbank Restaurant Grill Cafe Café Bakery Pizza Pizzeria Bistro Deli Buffet "
    "Diner Steakhouse".split()  # "Yokohama Japanese Restaurant" is in its own town
    # and legal forms of companies elsewhere ("Redland Plc"; not the all-caps NV, SA or AG:
    # see _ORG_WORDS_HAVE_LOWER)
    + "Plc GmbH SpA Oy".split()
)
# Schools, churches and hospitals named after a saint ("St. John's Lutheran School"), not
# after the city of that name.
_SAINT_BODY = frozenset(
    "School Schools Church Cathedral Chapel Parish Hospital Health Medical Lutheran Catholic "
    "Episcopal Methodist Baptist Presbyterian Orthodox Academy College University Seminary "
    "Cemetery Home".split()
)
_SPACE_DASH = re.compile(r"[ \n\-]")
# Capitalised words after a name, up to seven, over a line break too ("Kawasaki Heavy\n
# Industries Inc" in hard-wrapped text).
_CAP_RUN = re.compile(r"(?:[ \n\-](?:[A-Z][\w'’&.]*|of|and|for|the|&)){1,7}")
# Every noun above has a lower-case letter, so an all-caps run of words holds none of them; a
# company in an all-caps headline is told by its legal form instead ("DONEGAL GROUP INC").
_ORG_WORDS_HAVE_LOWER = all(
    any(c.islower() for c in w) for w in _STATE_BODY | _ORG_SUFFIX | _COMPANY_SUFFIX
)
_CAPS_COMPANY = frozenset("INC CORP CORPORATION LTD PLC CO".split())
_TICKER_AFTER = re.compile(r" <[A-Z][A-Z.]{0,9}>")  # "Donegal <DGIC>": a stock ticker after it
# Words that start a longer place name around a country or city name ("St. Paris").
_NAME_PREFIX = frozenset(
    "St. St Ste. Saint Sainte San Santa Fort Ft. Mount Mt. Port Lake Little Old "
    "ST. SAINT FORT MOUNT PORT LAKE".split()
)
# After a town's name, not a country's ("a Lebanon woman" vs "a Lebanese woman").
_TOWN_USE_NEXT = frozenset(
    "man woman men women resident residents native teen teenager boy girl couple family police "
    "mayor city council school schools elementary middle township officials alderman aldermen "
    "firefighters".split()
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
    "Department Ministry Embassy Consulate Agency Commission Court Cabinet Military Guard "
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
# AP's abbreviations of the states, and older ones Reuters uses ("Penn.", "Ia.", "W. Va.").
_AP_STATES = [
    a.replace("_", " ")
    for a in (
        "Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. "
        "Mich. Minn. Miss. Mo. Mont. Neb. Nebr. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. "
        "Pa. R.I. S.C. S.D. Tenn. Tex. Vt. Va. Wash. W.Va. Wis. Wyo. Penn. Penna. Me. Dela. Ia. "
        "Il. W._Va."
    ).split()
]
_ORG_OF = re.compile(r"\b[A-Z][a-z]+(?:ers|ts|ns) of (?:the )?\Z")
_ADDRESS_COMMA = re.compile(r"\b(?:St|Ave|Rd|Blvd|Dr|Ln|Hwy|Street|Avenue|Road)\.?, \Z")
_NEXT_TO_COUNTY = re.compile(r"(?:-|,? and |, )(?:Mc|De)?[A-Z][a-z]+ (?:County|Parish)\b")
_GOVERNOR_OF = re.compile(r"\b(?:[Gg]overnor|[Ll]egislature) of \Z")  # a state's offices
_AGE_OF = re.compile(r", \d{1,3}, (?:of )?\Z")  # "Ashley Evans, 26, of Paris": a local town
# "The driver, Galen Miller of Palestine": a person's first and last name, not after a title
# ("Prime Minister Ehud Olmert of Israel"), then "of": where the person lives.
_RESIDENT_OF = re.compile(
    r"(?:^|[,;:(] |[.!?\n] ?|\b[a-z]+ )[A-Z][a-z]+ (?:[A-Z]\. )?([A-Z][a-z]+) of \Z"
)
# ", B.C.", ", Que.", ", Ont.": a Canadian province's abbreviation after a town.
_CA_PROVINCES = (
    r"B\.C\.|Que\.|QUE\.|Ont\.|ONT\.|Alta\.|ALTA\.|Sask\.|SASK\.|Man\.|MAN\.|N\.S\."
    r"|N\.B\.|Nfld\.|NFLD\.|P\.E\.I\."
)
_CA_AFTER = re.compile(rf",\s*(?:{_CA_PROVINCES})(?![\w])")
# A dateline's date or agency right after a place's name in mixed case ("Toronto, March 10",
# "Lebanon (AP)"); a line that starts "Israel, Morocco - ..." is none.
_DATED = re.compile(r",\s*[A-Z][a-z]{2,}\.?\s+\d|\s*\((?:AP|Reuters|UPI|AFP)\)")
_REGION_AFTER = re.compile(r",\s*([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})")
_UNIVERSITY_OF = re.compile(r"[Uu]niversit(?:y|ies) of \Z")
_DATELINE = re.compile(r"\s*(?:,|\(|—|–|-\s)")
# What follows a dateline's place for certain: "(AP)", a dash, or after the comma a date
# ("Feb 26 -") or a region and then a bracket or dash ("Minn. (AP) -", "Georgia --").
_FULL_DATELINE = re.compile(
    r"\s*(?:\(|—|–|-\s)|,\s*(?:[A-Z][a-z]{2,}\.?\s+\d|[A-Z][\w.' ]{1,30}?\s*[(—–-])"
)
_PREPOSITIONS = frozenset("of in to from into at across throughout near".split())
_TOKEN = re.compile(r"[\w.\-'’]+")


class _Hit:
    """One regex match and its candidate readings while an article is being resolved."""

    __slots__ = (
        "start", "end", "surface", "readings", "chosen", "confidence", "notes", "fast", "may_stop"
    )

    def __init__(
        self, start: int, end: int, surface: str, readings: list[Entry], fast: bool = False
    ) -> None:
        self.start = start
        self.end = end
        self.surface = surface
        self.readings = readings
        self.chosen: Entry | None = readings[0] if fast else None
        self.confidence = 1.0
        self.notes: set[str] = set()
        self.fast = fast  # one unambiguous country-level reading: no context checks needed
        self.may_stop = False  # readings may include "stop" ones (others were checked already)

    def drop(self) -> None:
        """Leave the hit without a reading: it names no country."""
        self.readings = []
        self.chosen = None
        self.fast = False


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass
class _Compiled:
    rx: re.Pattern[str]
    table: dict[str, list[Entry]]
    lang_only: dict[str, frozenset[str]]
    fast: dict[str, Entry]  # surface -> its reading wherever the context is plain
    stop: frozenset[str]  # phrases that name no country: matched only to swallow their words
    overrides_rx: re.Pattern[str] | None = None  # user phrases that start in lower case
    ascii_rx: re.Pattern[str] | None = None  # ``rx`` over the surfaces with an ASCII initial
    initials: frozenset[str] = frozenset()  # the other surfaces' initials

    def scanner(self, text: str) -> re.Pattern[str]:
        """``rx``, or the faster ``ascii_rx`` where it finds the same matches in ``text``."""
        if self.ascii_rx is None:
            return self.rx
        if not text.isascii():
            initials = self.initials
            if any(ch in initials for ch in set(_NON_ASCII.findall(text))):
                return self.rx
        return self.ascii_rx


_LATIN_LANGS = ("fr", "de", "es", "pt", "it")


_COUNTY = re.compile(
    r"(?<![\w])(?!The )(?:Mc|Mac|De|La|Le)?[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:County|Parish|Township|Twp\.)(?![\w])"
)
# Up to three capitalised words before ", State"; a word with a full stop inside the name is an
# abbreviation ("St.", "Ft."), never a sentence's last word ("Arms Charges. TBILISI, Georgia").
# Same matches as r"(?:(?:[A-Z][A-Za-z]?\.|[A-Z][A-Za-z'’\-]+) ){0,2}[A-Z][A-Za-z'’.\-]+\Z",
# about 1.5x faster: with the capital first the search skips to the next capital, and the
# possessive "++" gives a word back to no later part (none could use it: the next character
# must be a space, or the end).
_TOWN_BEFORE = re.compile(r"[A-Z](?:(?:[A-Za-z]?\.|[A-Za-z'’\-]++) [A-Z]){0,2}[A-Za-z'’.\-]++\Z")
_US_STANDALONE = 300_000  # US cities this big count alone (local news rarely says "USA")
_US_CITY = 100_000  # below this a US place is a town (the gazetteer's smallest city elsewhere)
_new = object.__new__
_setattr = object.__setattr__

_HEAD = 300  # all-caps forms are looked for in the headline and dateline only
_CAPS_RUN = re.compile(r"[A-Z]{4}")
# Same matches as r"(?<![\w'’])[A-Z][A-Z'’.&\-]+"; with the capital first the engine skips to
# the next capital instead of trying the look-behind at every position (about 1.5x faster), and
# with the second character before the look-behind a capitalised word ("The") fails sooner.
_CAPS_WORD = re.compile(r"[A-Z][A-Z'’.&\-](?<![\w'’][A-Z].)[A-Z'’.&\-]*")


_STOP_CHAR = re.compile(r"[.!?]")
_SPACES = re.compile(r"\s*")


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """Same answer as ``sentence_span``, faster: the sentence start is sought backwards, so only
    the last few candidate ends before the hit are checked."""
    return _span_raw(text, start, end)[2:]


def _span_raw(
    text: str, start: int, end: int, seen: dict[tuple[int, int], bool] | None = None
) -> tuple[int, int, int, int]:
    """``(raw_start, raw_end, start, end)``: raw bounds are -1 when the window cut them.

    ``seen`` caches ``_is_boundary`` per candidate end, for texts with many hits."""
    lo = start - MAX_SNIPPET
    if lo < 0:
        lo = 0
    # A line break always ends a sentence, so nothing before the last one needs a look; and
    # with no . ! ? after it, that line break is the sentence start.
    nl = text.rfind("\n", lo, start)
    if nl >= 0 and _STOP_CHAR.search(text, nl, start) is None:
        s = raw_s = nl + 1
    else:
        s = lo
        raw_s = 0 if lo == 0 else -1
        if seen is None:
            seen = {}
        for m in reversed(list(_END.finditer(text, max(lo, nl), start))):
            key = m.span()
            ok = seen.get(key)
            if ok is None:
                ok = seen[key] = _is_boundary(text, m)
            if ok:
                s = raw_s = m.end()
                break
    n = len(text)
    e = end + MAX_SNIPPET
    if e > n:
        e = n
    nl = text.find("\n", end, e)
    if nl >= 0 and _STOP_CHAR.search(text, end, nl) is None:
        e = raw_e = nl  # the next line break comes first
    else:
        raw_e = n if e == n else -1
        for m in _END.finditer(text, end, e if nl < 0 else nl + 1):
            if _is_boundary(text, m):
                e = m.end() if m.group() != "\n" else m.start()
                raw_e = m.start()
                break
    if s < start and text[s].isspace():
        s = _SPACES.match(text, s, start).end()  # type: ignore[union-attr]
    while e > end and text[e - 1].isspace():
        e -= 1
    return raw_s, raw_e, s, e


class _Spans:
    """Sentence spans for the hits of one text, in order of position.

    A hit inside the previous hit's sentence gets the same span without a new search when
    ``sentence_span`` would provably find the same bounds: both raw bounds were real sentence
    ends inside its look-around window, and no candidate end lies between the two hits.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.prev: tuple[int, int, int, int, int] | None = None  # hit start, raw s/e, s, e
        self.seen: dict[tuple[int, int], bool] = {}

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        p = self.prev
        if (
            p is not None
            and p[1] >= 0
            and p[2] >= 0
            and end <= p[2]
            and start - p[1] < MAX_SNIPPET
            and p[2] - end < MAX_SNIPPET
        ):
            between = self.text[p[0] : end]
            if "." not in between and "!" not in between and "?" not in between:
                if "\n" not in between:
                    return p[3], p[4]  # no candidate sentence end can start between the hits
        raw_s, raw_e, s, e = _span_raw(self.text, start, end, self.seen)
        self.prev = (start, raw_s, raw_e, s, e)
        return s, e


# "Tokyo, New York and Sydney" lists cities: a state named like a city, followed by the next
# item of a list, locates nothing.
_CITY_NAMED_STATES = frozenset(("New York", "Washington"))
_LIST_GOES_ON = re.compile(r"(?:,? (?:and|or) |, ?)[A-Z]")


def _city_in_a_list(text: str, name: str, end: int) -> bool:
    """Whether ``name``, ending at ``end`` after a comma, is a state named like a city that the
    next item of a list follows ("Tokyo, New York and Sydney"): a city, locating nothing."""
    return name in _CITY_NAMED_STATES and _LIST_GOES_ON.match(text, end) is not None


def _a_state(text: str, m: re.Match[str] | None) -> bool:
    """Whether ``m``, a match of ``Detector._us_after`` (", Texas"), names the state a town is
    in ("Paris, Texas"), rather than the next city of a list ("Tokyo, New York and Sydney")."""
    return m is not None and not _city_in_a_list(text, m.group()[1:].strip(), m.end())


_WRAPPED_SPACE = "[ \n]"  # between a name's words: a space, or a line break in wrapped text
_TOWN_KINDS = frozenset(("capital", "place"))  # readings "City, State" turns into a US town
_COUNTRY_KINDS = frozenset(("name", "demonym", "abbreviation"))


def _abbreviation_use(text: str, e: int) -> str | None:
    """The kind an abbreviation ending at ``e`` takes from the words after it: "place" for a
    road ("U.S. Highway 82", "US-24"), else None. (An agency, "U.S. Army", stays an
    abbreviation: the gold corpora count it as naming the country.)"""
    nxt = text[e : e + 1]
    if (nxt == "-" or nxt == " ") and _ROAD_AFTER.match(text, e):
        return "place"
    return None


def _foreign_county(county: str, table: dict[str, list[Entry]]) -> list[Entry] | None:
    """None when "X County" (or Parish, Township) is a US county; else it names one outside the
    USA, as X, or "County X", is a place, region or name the gazetteer knows only elsewhere
    ("Cork County Council"), and the answer is the readings of "County X" (Ireland's County
    Mayo for "Mayo County Council"), empty when the gazetteer has none or it is no "County".
    (Renfrew, not in it, still makes a US county.)"""
    name, word = county.rsplit(" ", 1)
    county_x = table.get("County " + name, [])
    readings = [r for rs in (table.get(name, ()), county_x) for r in rs if r.iso3]
    if not readings or any(r.iso3 == "USA" for r in readings):
        return None
    return county_x if word == "County" else []


def _spread_located(hits: list[_Hit]) -> None:
    """One sense per article: a city once located by the words after it ("Belgrade, Minn.",
    "ST. JOHN'S, Newfoundland") is that city wherever else the article names it. A US town
    replaces every reading unless one is a country's name, demonym or abbreviation: such a name
    ("Palestine, Texas") is marked as used like a town, and is the town unless the article
    points to the country elsewhere. Outside the USA the readings in that country are kept."""
    located = {
        h.surface.lower(): h.readings[0].iso3
        for h in hits
        if "located" in h.notes and len(h.readings) == 1 and h.readings[0].iso3
    }
    if not located:
        return
    for h in hits:
        iso3 = located.get(h.surface.lower())
        if iso3 is None or not h.readings or "located" in h.notes:
            continue
        if iso3 == "USA":
            if any(r.kind in _COUNTRY_KINDS for r in h.readings):
                if any(r.iso3 == "USA" and r.kind == "place" for r in h.readings):
                    h.notes.add("town-use")
                continue
            keep = [Entry(h.surface, "USA", "place", 0, "p")]
        else:
            keep = [r for r in h.readings if r.iso3 == iso3]
            if not keep:
                continue
        h.readings = keep
        h.fast = False
        h.chosen = None
        h.notes.add("located")


_BRITAIN_KINDS = frozenset(("name", "demonym", "abbreviation", "capital", "place"))


def _university_of_kentucky(hits: list[_Hit]) -> None:
    """In an article naming Kentucky, "UK" is the University of Kentucky ("a UK spokesperson")
    unless the article names Britain some other way (British, England, London...)."""
    for h in hits:
        if h.surface != "UK" and any(
            r.iso3 == "GBR" and r.kind in _BRITAIN_KINDS for r in h.readings
        ):
            return
    for h in hits:
        if h.surface == "UK":
            h.drop()



def _counties_in(places: dict[str, set[str]]) -> int:
    """How many US counties the article names ("Laurel County", "Clay County"). Two or more
    are local news, like its style; one is common in business news ("Washoe County, Nev.")."""
    return sum(p.endswith((" county", " parish")) for p in places.get("USA", ()))


_NAME_PARTICLES = frozenset(("de", "del", "da", "di", "do", "dos", "das", "du", "des"))
_CITY_KINDS = frozenset(("capital", "place"))


def _capitalised_before(text: str, i: int) -> bool:
    """Whether a capitalised word ends right before offset ``i`` (one space between)."""
    word, gap = _prev_word(text, i)
    return gap == " " and word[:1].isupper()


def _foreign_region(readings: list[Entry]) -> bool:
    """Whether every reading is a curated region outside the USA ("Lancashire": its "County
    Council" is that county's)."""
    return bool(readings) and all(r.iso3 != "USA" and "r" in r.flags for r in readings)


def _dateline_rank(r: Entry) -> tuple[int, int]:
    """The reading a dateline's place takes among those of one country: the most
    country-like kind, then the biggest place."""
    return _KIND_RANK.get(r.kind, 5), -r.population


# Capitalised words that start a sentence, not a town's name ("In Houston, Texas").
_NOT_A_TOWN_WORD = frozenset(
    "In At From To Of The A An And But For By On Near Outside Inside Around Across Like "
    "IN AT FROM TO OF THE AND BUT FOR BY ON NEAR".split()
)


def _town_span(t: re.Match[str]) -> tuple[int, int, str]:
    """``(start, end, name)`` of the town ``_TOWN_BEFORE`` found, without a first word that
    only starts the sentence ("In Houston" -> "Houston")."""
    s, name = t.start(), t.group()
    first, _, rest = name.partition(" ")
    if rest and first in _NOT_A_TOWN_WORD:
        s += len(first) + 1
        name = rest
    return s, t.end(), name


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


_START = attrgetter("start")


def _insert_head_hits(hits: list[_Hit], n: int) -> list[_Hit]:
    """Same result as ``_drop_overlaps(hits)`` where ``hits[:n]`` (the main scan's) and
    ``hits[n:]`` (the all-caps head's) are each in order and free of overlaps, faster: each
    head hit is put in its place, and only where one overlaps a hit does ``_drop_overlaps``
    decide."""
    out = hits[:n]
    for h in hits[n:]:
        i = bisect.bisect_left(out, h.start, key=_START)  # the first hit starting at or after h
        if (i and out[i - 1].end > h.start) or (i < len(out) and out[i].start < h.end):
            return _drop_overlaps(hits)
        out.insert(i, h)
    return out


_NEXT_LOWER = re.compile(r" ([a-z]+)")
_DEMONYM_NEXT_BLOCK = (
    _LANGUAGE_NEXT | _THING_NEXT | _SPEECH_NEXT | _TOWN_USE_NEXT | frozenset(("and", "or"))
)
# Between a speech or study verb and a language: "spoke only French", "speaks fluent Arabic".
_LANGUAGE_BETWEEN = frozenset(
    "only fluent little some good perfect broken mostly mainly no basic conversational "
    "excellent poor native".split()
)
_DEMONYM_PREV_BLOCK = (
    _LANGUAGE_PREV | _LANGUAGE_BETWEEN | frozenset(("in", "into", "from", "and", "or"))
)


def _plain_context(text: str, s: int, e: int, kind: str, town: bool = False) -> bool:
    """True when nothing around a hit calls for the context checks of ``_filter``.

    Abbreviations: no "$" or ">" after. Others: no capitalised word right after or before (an
    organisation, a person), no name prefix ("St."). Demonyms: a lower-case word after that is
    no language, thing or person cue. ``town``: no sign of a US town's use ("a Lebanon man",
    "City of Paris", "Paris, Texas").
    """
    # (The next character sliced once, and conditional expressions rather than max(): this
    # runs for most hits.)
    nxt = text[e : e + 2]
    after = nxt[:1]
    if after == "$" or after == ">" or nxt == "-$" or nxt == " <":  # "US$5", "Union Carbide
        return False  # <UK>" (a ticker), "Donegal <DGIC>" (a company before its ticker)
    if kind == "abbreviation":
        return True
    if (after == " " or after == "-") and (
        nxt[1:].isupper() or text.startswith(" round", e)  # "the Uruguay round" of trade talks
    ):
        return False
    if (kind == "capital" or kind == "place") and _TREATY_AFTER.match(text, e):
        return False  # "the Oslo accords"
    if town and (
        after == "," or text[s - 8 if s > 8 else 0 : s] in ("City of ", "town of ", "Town of ")
    ):
        return False
    if s:
        before = text[s - 1]
        if before != " ":
            if before not in "\n(\"'“‘":
                return False
        else:
            j = text.rfind(" ", s - 30 if s > 30 else 0, s - 1)
            prev = text[j + 1 : s - 1]
            if (prev[:1].isupper() and prev not in _PRE_OK) or prev in _NAME_PARTICLES:
                return False
            if kind == "demonym" and (prev in _DEMONYM_PREV_BLOCK or prev.endswith("-grade")):
                return False
    if kind == "demonym" or town:
        m = _NEXT_LOWER.match(text, e, e + _WORD_MAX)
        if m is None:
            # Punctuation after: fine, except "-speaking" and the like.
            return kind != "demonym" or after not in ("-", " ")
        word = m.group(1)
        if word in (_DEMONYM_NEXT_BLOCK if kind == "demonym" else _TOWN_USE_NEXT):
            return False
    return True


def _hides_a_name(phrase: str, table: dict[str, list[Entry]]) -> bool:
    """True when some run of words inside ``phrase`` is itself a surface with a country."""
    words = re.split(r"[ \-]", phrase)
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            sub = " ".join(words[i:j])
            if sub != phrase and any(r.kind != "stop" for r in table.get(sub, ())):
                return True
            sub = "-".join(words[i:j])
            if sub != phrase and any(r.kind != "stop" for r in table.get(sub, ())):
                return True
    return False


def _trie_pattern(words: Iterable[str], space: str | None = None) -> str:
    """Regex alternation over ``words`` as a character trie: longest match first at each start.
    ``space``: the pattern a space between words stands for (else a space)."""
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
        alts = [(space if k == " " and space else re.escape(k)) + rec(node[k]) for k in keys]
        single = [a for a in alts if len(a) == 1]
        if len(single) > 1 and len(single) == len(alts):
            body = "[" + "".join(single) + "]"
        else:
            body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return rec(trie)


# Compiling the big trie patterns costs about 0.3 s of CPU per process (the pure-Python parser
# and code generator of ``re``). The generated code is cached on disk, keyed by the word list,
# this file's source and the interpreter; a missing or unusable cache falls back to compiling.
_CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    """Folder for compiled-pattern caches: ``$PRESSMAP_CACHE_DIR`` (empty: no cache), else
    ``$XDG_CACHE_HOME/pressmap`` or ``~/.cache/pressmap``."""
    d = os.environ.get("PRESSMAP_CACHE_DIR")
    if d is not None:
        return Path(d) if d else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pressmap"


@functools.lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    h = hashlib.sha256()
    h.update(f"{_CACHE_FORMAT} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}\n".encode())
    h.update(Path(__file__).read_bytes())
    return h.digest()


def _compile_trie(
    words: Iterable[str], head: str = "(?:", tail: str = r")(?![\w])", space: str | None = None
) -> re.Pattern[str]:
    """``re.compile(head + _trie_pattern(words, space) + tail)``, through the on-disk cache."""
    words = sorted(set(words))
    folder = cache_dir()
    if folder is None or _sre.CODESIZE != 4:
        return re.compile(head + _trie_pattern(words, space) + tail)
    h = hashlib.sha256(_code_stamp())
    h.update(f"{head}\x00{tail}\x00{space}\x00".encode())
    h.update("\x00".join(words).encode("utf-8", "surrogatepass"))
    key = h.hexdigest()[:40]
    path = folder / f"re-{key}.bin"
    try:
        fmt, k, pattern, flags, code, groups, groupindex, indexgroup = marshal.loads(
            path.read_bytes()
        )
        if fmt == _CACHE_FORMAT and k == key:
            return _sre.compile(
                pattern, flags, array.array("I", code).tolist(), groups, groupindex, indexgroup
            )
    except Exception:  # noqa: BLE001, S110 - no cache or an unusable one: compile below
        pass
    pattern = head + _trie_pattern(words, space) + tail
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, 0)
        code_list = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        rx = _sre.compile(
            pattern,
            parsed.state.flags,
            code_list,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        blob = marshal.dumps(
            (
                _CACHE_FORMAT,
                key,
                pattern,
                parsed.state.flags,
                array.array("I", code_list).tobytes(),
                parsed.state.groups - 1,
                groupindex,
                tuple(indexgroup),
            )
        )
    except Exception:  # noqa: BLE001 - another interpreter's internals: no caching
        return re.compile(pattern)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".re-{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            tmp.write_bytes(blob)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        _prune_cache(folder)
    except OSError:
        pass
    return rx


_CACHE_KEEP = 128  # pattern files kept: every edit or build of this module writes a new set


def _prune_cache(folder: Path, keep: int = _CACHE_KEEP) -> None:
    """Remove all but the ``keep`` newest pattern files (run after each new one is written, so
    the cache does not grow by a set per code version). A file another process is about to read
    may go: that process then compiles its pattern, as with no cache."""
    try:
        files = [(f.stat().st_mtime, f) for f in folder.glob("re-*.bin")]
    except OSError:
        return
    if len(files) <= keep:
        return
    files.sort(key=lambda t: t[0], reverse=True)
    for _, f in files[keep:]:
        try:
            f.unlink()
        except OSError:
            pass


def _ru_stem(word: str) -> str:
    """Cut a Russian name's final vowel/soft sign so that case endings can follow it."""
    if len(word) > 4 and word[-1] in "аяоеийь":
        return word[:-1]
    return word


def _load_overrides(path: Path) -> dict[str, tuple[str, str]]:
    """Read a user overrides file: phrase -> (ISO3 or "" for no country, mention kind).

    TOML, under ``[phrases]`` (or at top level)::

        "Gotham" = "USA"                              # a name of the USA
        "Turkey Creek" = "none"                       # not a country
        "Foggy Bottom" = { iso3 = "USA", kind = "institution" }
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    table = data.get("phrases", data)
    out: dict[str, tuple[str, str]] = {}
    for phrase, v in table.items():
        if isinstance(v, str):
            iso3, kind = v, "name"
        elif isinstance(v, dict):
            iso3, kind = str(v.get("iso3", v.get("country", ""))), str(v.get("kind", "name"))
        else:
            continue
        iso3 = "" if iso3.strip().lower() in ("", "none") else iso3.strip().upper()
        out[str(phrase)] = (iso3, kind if kind in KINDS else "name")
    return out


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
        self._overrides: dict[str, tuple[str, str]] = {}
        self._main: _Compiled | None = None
        self._extras: dict[str, tuple[re.Pattern[str], dict[str, list[Entry]]]] = {}
        self._upper_rx: tuple[re.Pattern[str], dict[str, list[Entry]]] | None = None
        self._upper_first: frozenset[str] | None = None
        self._upper_fast: dict[str, Entry] = {}
        # ", Texas", ", Tex.", ", TX": only whether it matches at a comma is used.
        # Reuters drops the full stop before a comma ("BEDFORD, Mass, March 12"): those forms
        # count only with the comma after them.
        bare = [a.rstrip(".") + "," for a in _AP_STATES]
        states = [*self.g.us_states, *_AP_STATES, *bare]
        self._us_after = _compile_trie(  # and "BIRMINGHAM, MICH.," in all-caps datelines
            [*states, *(s.upper() for s in states), *self.g.us_states.values()], r",\s*(?:"
        )
        # States named like a country ("Georgia"): "TBILISI, Georgia" is in that country.
        self._state_countries = {
            form: r.iso3
            for st in self.g.us_states
            for r in self.g.lookup(st)
            if r.kind == "name" and r.iso3 != "USA"
            for form in (st, st.upper())
        }

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
            try:
                loaded = _load_overrides(self.overrides_path) if stamp else {}
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                warnings.warn(
                    f"overrides file {self.overrides_path} unreadable ({exc}); keeping the last one",
                    stacklevel=3,
                )
                return
            unknown = sorted(
                {iso for iso, _ in loaded.values() if iso and iso not in self.g.countries}
            )
            if unknown:
                warnings.warn(f"overrides: unknown country codes ignored: {unknown}", stacklevel=3)
            self._overrides = {
                k: v for k, v in loaded.items() if not v[0] or v[0] in self.g.countries
            }
            self._main = None

    def _table(self) -> _Compiled:
        """The main pattern: English surfaces plus the Latin-script languages' country names.

        It holds only capitalised surfaces and has no look-behind, so that the regex engine can
        skip ahead to upper-case letters; the left word boundary is checked on each match.
        A surface known only in other languages counts only in an article of such a language.
        """
        if self._main is not None:
            return self._main
        table: dict[str, list[Entry]] = {k: list(v) for k, v in self.g.surfaces("en").items()}
        lang_only: dict[str, set[str]] = {}
        for lang in _LATIN_LANGS:
            for surface, entries in self.g.surfaces(lang).items():
                if surface[:1].isupper() and (surface not in table or surface in lang_only):
                    if surface not in table:
                        table[surface] = list(entries)
                    lang_only.setdefault(surface, set()).add(lang)
        for phrase, (iso3, kind) in self._overrides.items():
            table[phrase] = [Entry(phrase, iso3, kind if iso3 else "stop", 10**7, "o")]
            lang_only.pop(phrase, None)
        lower = [w for w in self._overrides if w and not w[:1].isupper()]
        ov_rx = _compile_trie(lower, r"(?<![\w])(?:") if lower else None
        # A stop phrase is only needed where it hides a name inside it ("Air France").
        main = [
            w
            for w, rs in table.items()
            if w[:1].isupper() and (rs[0].kind != "stop" or len(rs) > 1 or _hides_a_name(w, table))
        ]
        # A name's words may be split by a line break in hard-wrapped text ("New\nYork").
        rx = _compile_trie(main, space=_WRAPPED_SPACE)
        # The same trie over the surfaces that start with an ASCII letter: where a text holds
        # none of the other initials it finds exactly the same matches, and the engine skips
        # ahead to [A-Z] far faster than to a set of 60 initials from several scripts.
        ascii_rx = _compile_trie((w for w in main if w[0].isascii()), space=_WRAPPED_SPACE)
        initials = frozenset(w[0] for w in main if not w[0].isascii())
        g = self.g
        fast: dict[str, Entry] = {}
        for w, rs in table.items():
            r = rs[0]
            if not r.iso3 or w in g.weak or w in g.person_names or "o" in r.flags:
                continue
            if len(rs) > 1:
                # A country's name that is also a US town's: the town only where used like one.
                if r.kind == "name" and all(
                    x.iso3 == "USA" and x.kind == "place" and ("u" in x.flags or "t" in x.flags)
                    for x in rs[1:]
                ):
                    fast[w] = r
                continue
            if (
                r.kind in ("name", "capital", "institution")
                or (r.kind == "abbreviation" and w != "US")
                or (r.kind == "demonym" and not w.startswith("Indian"))
                or (r.kind == "place" and _strong_place(r, g))
            ):
                fast[w] = r
        stop = frozenset(
            w
            for w, rs in table.items()
            if any(r.kind == "stop" for r in rs) and not any("o" in r.flags and r.iso3 for r in rs)
        )
        self._main = _Compiled(
            rx, table, {k: frozenset(v) for k, v in lang_only.items()}, fast, stop, ov_rx,
            ascii_rx, initials,
        )
        return self._main

    def _extra(self, lang: str) -> tuple[re.Pattern[str], dict[str, list[Entry]]] | None:
        """Pattern for Russian (stems + case endings), Arabic (after clitics) or Chinese names."""
        if lang not in ("ru", "ar", "zh"):
            return None
        if lang in self._extras:
            return self._extras[lang]
        table: dict[str, list[Entry]] = {}
        for surface, entries in self.g.surfaces(lang).items():
            key = _ru_stem(surface) if lang == "ru" else surface
            table.setdefault(key, []).extend(entries)
        if lang == "ru":
            rx = _compile_trie(table, r"(?<![\w])(?:", r")[а-яё]{0,3}(?![\w])")
        elif lang == "ar":
            rx = _compile_trie(table, r"(?:(?<![\w])|(?<=(?<![\w])[وبفلك]))(?:")
        else:
            rx = _compile_trie(table, "(?:", ")")
        self._extras[lang] = (rx, table)
        return self._extras[lang]

    def _upper(self) -> tuple[re.Pattern[str], dict[str, list[Entry]]]:
        """All-caps forms of names and places, for datelines and headlines ("PARIS, Feb 26 -")."""
        if self._upper_rx is None:
            upper: dict[str, list[Entry]] = {}
            for surface, entries in self.g.surfaces("en").items():
                up = surface.upper()
                if len(surface) < 4 or up == surface or up in self.g.surfaces("en"):
                    continue
                keep = [e for e in entries if e.kind in ("name", "capital", "place")]
                if keep:
                    upper[up] = keep
            # Every all-caps surface is 4+ characters long: a word starting otherwise can't match.
            self._upper_first = frozenset(u[:4] for u in upper if len(u) >= 4)
            if any(len(u) < 4 for u in upper):
                self._upper_first = None
            self._upper_rx = (_compile_trie(upper), upper)
            g = self.g
            # All-caps forms that need no context check at the head of a dateline
            # ("NEW YORK, March 3 -"): one unambiguous country-level reading.
            self._upper_fast = {
                u: rs[0]
                for u, rs in upper.items()
                if len(rs) == 1
                and rs[0].iso3
                and not ("u" in rs[0].flags or "t" in rs[0].flags)
                and rs[0].surface not in g.weak
                and rs[0].surface not in g.person_names
                and (rs[0].kind in ("name", "capital") or _strong_place(rs[0], g))
            }
        return self._upper_rx

    def _in_named_country(self, m: re.Match[str] | None, readings: Iterable[Entry]) -> bool:
        """Whether the state ``m`` matched after a comma is also the name of a country that
        one of ``readings`` lies in ("TBILISI, Georgia" is the country)."""
        iso3 = self._state_countries.get(m.group()[1:].strip()) if m is not None else None
        return iso3 is not None and any(r.iso3 == iso3 for r in readings)

    def _town_before(
        self, text: str, m: re.Match[str], table: dict[str, list[Entry]], iso3: str
    ) -> tuple[_Hit | None, Iterable[Entry]]:
        """A hit for the town named right before ``m`` (", La.", ", Que."), located in
        ``iso3``, and the readings its last word already has. None when no town comes before,
        or when its name is another country's name, demonym or abbreviation."""
        t = _TOWN_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if t is None or (t.start() and text[t.start() - 1].isalnum()):
            return None, ()
        ts, te, town = _town_span(t)
        last = town.split()[-1]
        known: list[Entry] = table.get(last) or []
        if not known and last.isupper():
            known = self._upper()[1].get(last) or []
        if any(r.kind in _COUNTRY_KINDS and r.iso3 != iso3 for r in known):
            return None, known
        hit = _Hit(ts, te, town, [Entry(town, iso3, "place", 0, "p")])
        hit.notes.add("located")
        return hit, known

    _state_or_province_rx: re.Pattern[str] | None = None  # built on first use

    def _state_or_province(self) -> re.Pattern[str]:
        """``_us_after`` and ``_CA_AFTER`` in one pattern, for one pass over a text's commas;
        group "ca" holds a province. (No state's form is a province's: a test checks.)

        Every form starts with a capital (a test checks), so at a comma followed by anything
        else, as most are, the match fails at once; and the spaces after the comma are never
        given back ("\\s*+"): no form starts with one."""
        if self._state_or_province_rx is None:
            us = self._us_after.pattern
            assert us.startswith(r",\s*(?:") and us.endswith(r")(?![\w])")
            states = us[len(r",\s*") :]  # r"(?:...)(?![\w])"
            # (Through _compile_trie's disk cache, with no words: the head is all the pattern.)
            self._state_or_province_rx = _compile_trie(
                (), rf",\s*+(?=[A-Z])(?:(?P<ca>{_CA_PROVINCES})(?![\w])|{states})", ""
            )
        return self._state_or_province_rx

    def _region_after(self, text: str, e: int) -> str | None:
        """ISO3 of a region, state or country named right after ", " at ``e``, else None."""
        if _CA_AFTER.match(text, e):
            return "CAN"  # "VANCOUVER, B.C.", "London, Ont."
        m = _REGION_AFTER.match(text, e, e + 120)
        if not m:
            return None
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            for r in self.g.lookup(name):
                if r.iso3 and (r.kind == "name" or "r" in r.flags or "s" in r.flags):
                    if _city_in_a_list(text, name, m.start(1) + len(name)):
                        return None  # "London, New York and Tokyo": a list of cities
                    return r.iso3
        return None

    # -- detection -----------------------------------------------------------------------------

    def detect(self, text: str, language: str | None = None) -> list[Mention]:
        """Country mentions in ``text``, sorted by start. ``language`` is ISO 639-1 or guessed."""
        if not text:
            return []
        self._refresh_overrides()
        lang = language or detect_language(text) or "en"
        if lang not in self.g.by_lang:
            lang = "en"
        c = self._table()
        table = c.table
        lang_only = c.lang_only
        fast = c.fast
        stop = c.stop
        us_after = self._us_after.match  # "Belgrade, Minn.": a US town, whatever else it names
        hits: list[_Hit] = []
        located = False  # some hit has a "located" note: the words after it placed it
        for m in c.scanner(text).finditer(text):
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                continue
            surface = m.group()
            if "\n" in surface:
                surface = surface.replace("\n", " ")  # "New\nYork": the name, unwrapped
            if surface in stop or (surface in lang_only and lang not in lang_only[surface]):
                continue
            r = fast.get(surface)
            if (
                r is not None
                and _plain_context(text, s, e, r.kind, len(table[surface]) > 1)
                and not (
                    text[e : e + 1] == ","
                    and r.kind in _TOWN_KINDS
                    and _a_state(text, us_after(text, e))
                )
            ):
                if r.kind == "abbreviation" and text[e : e + 1] in " -":
                    use = _abbreviation_use(text, e)
                    if use is not None:
                        r = Entry(r.surface, r.iso3, use, r.population, r.flags)
                hits.append(_Hit(s, e, surface, [r], True))
            else:
                hits.append(_Hit(s, e, surface, table[surface]))
        scanned = len(hits)  # the main scan's hits: in order and never overlapping
        if c.overrides_rx is not None:
            for m in c.overrides_rx.finditer(text):
                hit = _Hit(m.start(), m.end(), m.group(), table[m.group()])
                hit.may_stop = True
                hits.append(hit)
        extra = self._extra(lang)
        if extra is not None:
            xrx, xtable = extra
            for m in xrx.finditer(text):
                surface = m.group()
                readings = xtable.get(surface)
                if readings is None:  # Russian case ending after a stem
                    for cut in (1, 2, 3):
                        readings = xtable.get(surface[:-cut])
                        if readings:
                            break
                if readings:
                    hit = _Hit(m.start(), m.end(), surface, readings)
                    hit.may_stop = True
                    hits.append(hit)
        if " County" in text or " Parish" in text or " Township" in text or " Twp." in text:
            for m in _COUNTY.finditer(text):
                foreign = _foreign_county(m.group(), table)
                if foreign is not None:
                    if foreign:  # "Mayo County Council": Ireland's County Mayo
                        hits.append(_Hit(m.start(), m.end(), m.group(), foreign))
                    continue
                hits.append(
                    _Hit(m.start(), m.end(), m.group(), [Entry(m.group(), "USA", "place", 0, "c")])
                )
        if ", " in text:
            # One pass over the commas for states and provinces: the towns' hits come in the
            # text's order, not the states' first (_drop_overlaps below sorts them anyway).
            for m in self._state_or_province().finditer(text):
                province = m if m.group("ca") is not None else None
                if province is None:
                    # "Pineville, La.", "CHARLESTON, W.Va.": any town before a US state is in
                    # the USA.
                    if _a_state(text, m):
                        town, known = self._town_before(text, m, table, "USA")
                        if town is not None and not self._in_named_country(m, known):
                            hits.append(town)
                            located = True
                    if text[m.end() - 1] == ",":
                        # The state's form took the comma after it ("BEDFORD, Mass, March 12"):
                        # a province may still follow that comma.
                        province = _CA_AFTER.match(text, m.end() - 1)
                if province is not None:
                    # "MURDOCHVILLE, Que.", "Kanata, Ont.": a town before a province is Canadian.
                    town, _ = self._town_before(text, province, table, "CAN")
                    if town is not None:
                        hits.append(town)
                        located = True
        before_head = len(hits)
        head = text[:_HEAD]
        if _CAPS_RUN.search(head):
            # Try the all-caps pattern only where an all-caps word starts.
            urx, utable = self._upper()
            first = self._upper_first
            done = 0
            for w in _CAPS_WORD.finditer(head):
                s = w.start()
                if s < done or (first is not None and head[s : s + 4] not in first):
                    continue
                um = urx.match(head, s)
                if um:
                    done = e = um.end()
                    up = um.group()
                    r = self._upper_fast.get(up)
                    if (
                        r is not None
                        and (s == 0 or head[s - 1] == "\n")
                        and _DATELINE.match(text, e)
                        and not _a_state(text, self._us_after.match(text, e))
                    ):
                        # What _filter and _resolve would conclude, without their checks.
                        hits.append(_Hit(s, e, up, [r], True))
                    else:
                        hits.append(_Hit(s, e, up, utable[up]))
        if len(hits) > scanned:
            if before_head == scanned:  # only the head scan added hits
                hits = _insert_head_hits(hits, scanned)
            else:
                hits = _drop_overlaps(hits)
        if not hits:
            return []
        self._filter(text, hits, located)
        if "Kentucky" in text and "UK" in text and any(
            h.surface in ("Kentucky", "KENTUCKY") and h.readings for h in hits
        ):
            _university_of_kentucky(hits)
        self._resolve(text, hits)
        out = []
        spans = _Spans(text)
        kinds = self.kinds
        for h in hits:
            ch = h.chosen
            if ch is None or not ch.iso3 or ch.kind not in kinds:
                continue
            s0, s1 = spans(h.start, h.end)
            if h.confidence == 1.0:
                conf = _CONFIDENCE_ROUNDED[ch.kind]
            else:
                conf = round(min(1.0, max(0.0, _CONFIDENCE[ch.kind] * h.confidence)), 3)
            # Mention(...) without the frozen dataclass's per-field object.__setattr__ calls.
            mention = _new(Mention)
            _setattr(
                mention,
                "__dict__",
                {
                    "iso3": ch.iso3,
                    "start": h.start,
                    "end": h.end,
                    "surface": text[h.start : h.end],
                    "kind": ch.kind,
                    "confidence": conf,
                    "sent_start": s0,
                    "sent_end": s1,
                },
            )
            out.append(mention)
        return out

    def _filter(self, text: str, hits: list[_Hit], located: bool = True) -> None:
        """Drop readings that the words around a hit rule out (case, persons, languages...).

        ``located``: some hit may come with a "located" note (False lets the one-sense pass
        over located cities be skipped when no hit gets one here)."""
        persons: set[str] = set()
        orgs: set[str] = set()  # cities' names used for companies, in lower case
        town_use = False  # some hit got a "town-use" note (hits come without one)
        last_language = -100
        univ = "niversit" in text  # else "University of" cannot precede any hit
        for h in hits:
            if h.fast:
                continue
            if (
                h.may_stop
                and any(e.kind == "stop" for e in h.readings)
                and not any("o" in e.flags and e.iso3 for e in h.readings)
            ):
                h.readings = []
                continue
            s, e = h.start, h.end
            after = text[e : e + 1]
            if (
                after == " "
                and _TICKER_AFTER.match(text, e)
                and _prev_word(text, s)[0].lower() not in ("of", "de")
            ):
                # "DONEGAL <DGIC> PROJECTS RESULTS": a company, its ticker after ("Porsche Ag of
                # Germany <PSHG.F>" says where the company is)
                h.readings = []
                continue
            caps = h.surface.isupper() and h.readings[0].surface != h.surface
            # All-caps form of a name: only in datelines and all-caps headlines.
            if caps and not _DATELINE.match(text, e) and not _caps_line(text, s, e):
                h.readings = []
                continue
            line_head = s == 0 or text[s - 1] == "\n"
            if (
                caps
                and (line_head or _sentence_initial(text, s))
                and _DATELINE.match(text, e)
            ) or (not caps and line_head and _DATED.match(text, e)):
                # "HOUSTON, March 5 -", "Toronto, March 10 -": a dateline names a place, not
                # a person
                h.notes.add("dateline")
                if line_head:
                    h.notes.add("line-dateline")
                full = line_head and _FULL_DATELINE.match(text, e)
                if full:
                    h.notes.add("full-dateline")  # no common word: "BOSTON, March 3 -"
                if (
                    any(r.kind == "name" for r in h.readings)
                    and any("u" in r.flags or "t" in r.flags for r in h.readings)
                    and _FULL_DATELINE.match(text, e)
                ):
                    # "LEBANON (AP) -": datelines name towns (a headline "CHINA, TAIWAN
                    # TRADE ..." is no dateline)
                    h.notes.add("town-use")
                    town_use = True
                if (
                    full
                    and len({r.iso3 for r in h.readings}) == 1
                    and h.readings[0].iso3
                    and not any("c" in r.flags for r in h.readings)
                    and not _a_state(text, self._us_after.match(text, e))
                    and not (
                        after == ","
                        and (region := self._region_after(text, e)) is not None
                        and region != h.readings[0].iso3
                    )
                ):
                    # "BOSTON, March 3 -", "WELLINGTON, March 3 -": a dateline at the
                    # head of a line names its city, even one named like a common word or a
                    # person, when every reading is in one country.
                    h.readings = [min(h.readings, key=_dateline_rank)]
                    h.notes.add("located")  # a located reading: no further evidence
                    located = True
                    continue
            prev_word, prev_gap = _prev_word(text, s)
            next_word, next_gap = _next_word(text, e)
            next_low = next_word.lower()
            if (
                h.surface in _STATE_TAIL
                and (prev_word[:1].isupper() and prev_gap == " " or next_word[:1].isupper())
                and any(name in text for name in _STATE_TAIL[h.surface])
            ):
                h.readings = []
                continue
            # _ORG_OF ends in "of " or "of the ": without either no search is needed.
            of_before = text[s - 3 : s] == "of " or text[s - 4 : s] == "the "
            keep = []
            for r in h.readings:
                if r.kind == "abbreviation":
                    if after == "$" or (after == "-" and text[e + 1 : e + 2] == "$"):
                        continue
                    if after == ">" and text[s - 1 : s] == "<":
                        continue  # "Union Carbide Corp <UK>": a stock ticker
                    if h.surface.isupper() and len(h.surface) <= 3 and not _has_lower(text, s, e):
                        if prev_word.upper() in _US_PRONOUN_PREV:
                            continue
                    use = _abbreviation_use(text, e)
                    if use is not None:
                        keep.append(Entry(r.surface, r.iso3, use, r.population, r.flags))
                        continue
                if next_word in _SAINT_BODY and h.surface.startswith(("St. ", "Saint ")):
                    continue
                if (
                    prev_word in _NAME_PARTICLES
                    and r.kind == "place"
                    and _capitalised_before(text, s - len(prev_gap) - len(prev_word))
                ):
                    continue  # "the villages of Ceamurlia de Jos": part of a longer name
                if r.kind == "name" and of_before and _ORG_OF.search(text, max(0, s - 30), s):
                    continue  # "Future Farmers of America", "Boy Scouts of America"
                if next_low in _NAMED_FOR_NEXT:
                    continue  # "Hong Kong flu", "Japanese encephalitis", "the Uruguay round"
                if (
                    next_low in _TREATY_NEXT
                    and next_gap == " "
                    and (
                        r.kind == "capital"
                        or r.kind == "place" and "r" not in r.flags and "s" not in r.flags
                    )
                ):
                    continue  # "the Oslo Accords", "the Kyoto Protocol": where it was signed
                if (
                    r.kind != "abbreviation"
                    # "Greek and Italian Grill": a demonym joined to the next one by "and".
                    and (
                        next_word[:1].isupper()
                        or (r.kind == "demonym" and next_word in ("and", "&"))
                        # a capitalised word on the next line ("Champlin\nPetroleum's")
                        or (after == "\n" and text[e + 1 : e + 2].isupper())
                    )
                    and "o" not in r.flags
                ):
                    org = _org_after(text, e, r.kind in ("name", "demonym"))
                    if org == "org":
                        if all(
                            x.kind == "place" and "s" not in x.flags and "r" not in x.flags
                            for x in h.readings
                        ):
                            orgs.add(h.surface.lower())  # only a city's name, no country's
                        continue  # "American Diabetes Association", "Burlington Industries"
                    if (
                        org == "state"
                        and r.kind in ("name", "demonym")
                        # "Georgia Public Service Commission" may be the US state's: the
                        # rest of the article decides
                        and not any("s" in x.flags for x in h.readings)
                    ):
                        r = Entry(r.surface, r.iso3, "institution", r.population, r.flags)
                        keep.append(r)
                        continue
                if r.kind == "demonym":
                    if _is_language(prev_word, next_word, next_gap, after) or (
                        prev_gap == " " and _language_two_back(text, s - 1 - len(prev_word),
                                                               prev_word)
                    ):
                        last_language = e
                        continue
                    if prev_word in ("and", "or") and 0 <= s - last_language < 8:
                        continue  # "in English and Spanish"
                    if h.surface.startswith("Indian") and next_word in _INDIAN_NEXT:
                        continue
                    if next_low in _THING_NEXT:
                        continue
                    if next_word in _SPEECH_NEXT or _capitalised_name(prev_word, prev_gap, self.g):
                        persons.add(h.surface)  # "Monica French said", "French said"
                        continue
                keep.append(r)
            h.readings = keep
            if not keep:
                continue
            if (
                univ
                and _UNIVERSITY_OF.search(text, max(0, s - 20), s)
                and any("s" in r.flags for r in keep)
            ):
                keep = h.readings = [r for r in keep if "s" in r.flags]  # University of Georgia
            if (
                of_before
                and any("s" in r.flags for r in keep)
                and _GOVERNOR_OF.search(text, max(0, s - 25), s)
                and not text.startswith(("'s", "’s"), e)
            ):
                # "the governor of Georgia": a US state, and so through the article
                h.readings = [r for r in keep if "s" in r.flags]
                h.notes.add("located")
                located = True
                continue
            # "City, Region" or "City, Country" (London, Ontario; Perth, Scotland): that one.
            if after == "," and len({r.iso3 for r in keep}) > 1:
                region = self._region_after(text, e)
                if region and any(r.iso3 == region for r in keep):
                    keep = h.readings = [r for r in keep if r.iso3 == region]
                    h.notes.add("located")  # a located reading: no further evidence needed
                    located = True
                    continue
            # "City, State" (Paris, Texas; Lebanon, Ohio): a US place.
            state = self._us_after.match(text, e) if after == "," else None
            if (
                state is not None
                and _a_state(text, state)
                and not self._in_named_country(state, keep)
                and (
                    not any(r.kind in _COUNTRY_KINDS for r in keep)
                    or any(r.iso3 == "USA" and ("u" in r.flags or "t" in r.flags) for r in keep)
                )
            ):
                h.readings = [Entry(h.surface, "USA", "place", 0, "p")]
                h.notes.add("located")
                located = True
                continue
            if (
                next_gap == " "
                and next_word in _LOCAL_NEXT
                and h.surface not in self.g.us_states
                and not (next_word == "County" and _foreign_region(keep))
            ):
                h.readings = [r for r in keep if r.iso3 == "USA" and "s" in r.flags]
                h.notes.add("local")
                continue
            if (
                h.surface in self.g.person_names or any(r.kind == "place" for r in keep)
            ) and _looks_like_person(prev_word, prev_gap, next_word, next_gap, self.g, text, s):
                if h.surface in self.g.person_names:
                    persons.add(h.surface)
                    h.readings = []
                    continue
                h.notes.add("person")
            if prev_gap == " " and prev_word in _NAME_PREFIX and h.surface not in self.g.us_states:
                h.readings = []  # "St. Paris", "New Berlin", "Fort Jordan": another place
                continue
            if (
                next_gap == " "
                and next_word in _SPEECH_NEXT
                and keep
                and all(r.kind == "place" and not ("s" in r.flags or "r" in r.flags) for r in keep)
                and prev_word.lower() not in _PREPOSITIONS  # "officials in Peking said"
            ):
                # '"... never recovered," Montgomery said': a city does not speak (a capital
                # may: "Moscow said"), so a person does
                h.readings = []
                continue
            if _sentence_initial(text, s):
                h.notes.add("initial")
            if any("u" in r.flags or "t" in r.flags for r in keep) and (
                next_low in _TOWN_USE_NEXT
                and not next_gap == ""
                or text[max(0, s - 8) : s] in ("City of ", "town of ", "Town of ")
                or _ADDRESS_COMMA.search(text, max(0, s - 12), s)
                or (
                    # "Athens, McMinn County"; but "to Mexico, Orange County officials said"
                    (m2 := _NEXT_TO_COUNTY.match(text, e, e + 80)) is not None
                    and (
                        not m2.group().startswith(", ")
                        or not any(r.kind in _COUNTRY_KINDS for r in keep)
                    )
                )
                or _AGE_OF.search(text, max(0, s - 10), s)
            ):
                h.notes.add("town-use")
                town_use = True
            elif of_before and _resident(text, s):
                h.notes.add("resident")
        if located:
            _spread_located(hits)
            town_use = True  # (it marks a country's name located as a US town as used like one)
        # One sense per article: a name once used like a US town's is that town throughout.
        town_used = {h.surface.lower() for h in hits if "town-use" in h.notes} if town_use else ()
        if town_used and self._main is not None:
            for h in hits:
                if h.fast and h.surface.lower() in town_used:
                    h.fast = False
                    h.chosen = None
                    h.readings = self._main.table.get(h.surface, h.readings)
                    h.notes.add("town-use")
        # A name once used for a person stays a person in the article, unless a preposition
        # in front ("in Jordan") shows a place.
        if persons:
            for h in hits:
                if h.readings and h.surface in persons:
                    pw, _ = _prev_word(text, h.start)
                    if pw.lower() not in _PREPOSITIONS:
                        h.drop()
        # A city's name once used for a company ("Burlington Industries Inc") is the company
        # in the article ("Burlington's stock rose", "shares of Bethlehem's stock"), unless a
        # preposition or a comma after shows the place ("in Burlington", "Burlington, Vt.").
        if orgs:
            for h in hits:
                if h.readings and h.surface.lower() in orgs and text[h.end : h.end + 1] != ",":
                    pw, _ = _prev_word(text, h.start)
                    if pw.lower() not in _PREPOSITIONS or text.startswith(("'s", "’s"), h.end):
                        h.drop()

    def _resolve(self, text: str, hits: list[_Hit]) -> None:
        """Pick one reading per hit, using what the rest of the article says."""
        g = self.g
        rest = []
        for h in hits:
            if h.fast or not h.readings:
                continue
            if len(h.readings) == 1:
                r = h.readings[0]
                if (
                    r.kind in _ANCHOR_KINDS
                    and r.iso3
                    and r.surface not in g.weak
                    and not h.surface.startswith("Indian")
                ):
                    h.chosen = r  # fast path: one unambiguous country-level reading
                    continue
            if h.readings:
                rest.append(h)
        if not rest:
            return
        evidence: dict[str, int] = {}  # anchors: names, demonyms, capitals, big places
        states: set[str] = set()  # US states named in the article
        places: dict[str, set[str]] = {}  # iso3 -> distinct place surfaces that may support it
        contrib: dict[tuple[str, str], int] = {}  # evidence given by each surface
        weak = g.weak
        for h in hits:
            if h.fast:  # one reading: an anchor, or a region or state (a strong place)
                rc = h.chosen
                if rc is None:
                    continue
                low = h.surface.lower()
                evidence[rc.iso3] = evidence.get(rc.iso3, 0) + 1
                key = (low, rc.iso3)
                contrib[key] = contrib.get(key, 0) + 1
                if rc.kind == "place":
                    places.setdefault(rc.iso3, set()).add(low)
                    if "s" in rc.flags:
                        states.add(low)
                continue
            readings = h.readings
            if not readings:
                continue
            low = h.surface.lower()
            if len(readings) == 1:  # (most hits: no set comprehension needed)
                isos = {readings[0].iso3} if readings[0].iso3 else set()
            else:
                isos = {r.iso3 for r in readings if r.iso3}
            if len(isos) == 1:
                (iso,) = isos
                for r in readings:
                    if r.kind in _ANCHOR_KINDS or _strong_place(r, g, _dl(h)):
                        evidence[iso] = evidence.get(iso, 0) + 1
                        key = (low, iso)
                        contrib[key] = contrib.get(key, 0) + 1
                        break
            for r in readings:
                if (
                    r.kind == "place"
                    and r.iso3
                    and "u" not in r.flags
                    and "t" not in r.flags
                    and r.surface not in weak
                    and "person" not in h.notes
                    and (len(isos) == 1 or "s" in r.flags)
                ):
                    places.setdefault(r.iso3, set()).add(low)
                    if "s" in r.flags:
                        states.add(low)
        # Local-news style (phone numbers, street addresses, sheriffs...) points to a US town.
        us_style_cache: list[int] = []

        def us_style() -> int:
            if not us_style_cache:
                us_style_cache.append(_us_style(text))
            return us_style_cache[0]

        def other_evidence(iso: str, surface: str) -> int:
            """Anchors for ``iso`` elsewhere in the article, plus other places in it."""
            low = surface.lower()
            n = evidence.get(iso, 0) - contrib.get((low, iso), 0)
            ps = places.get(iso)
            if ps:
                n += len(ps) - (low in ps)
            return n

        # One sense per article: a name once used like a US town's is that town throughout.
        # (Hits that lost their readings count too: "the Jordan middle school" read as a name.)
        town_used = {h.surface.lower() for h in hits if "town-use" in h.notes}
        if town_used:
            for h in rest:
                if h.surface.lower() in town_used:
                    h.notes.add("town-use")
        for h in rest:
            if "located" in h.notes or any("o" in r.flags for r in h.readings):
                h.chosen = h.readings[0]
                continue
            isos = {r.iso3 for r in h.readings}
            if (
                h.surface.startswith("Indian")
                and (places.get("USA") or us_style())
                and other_evidence("IND", h.surface) <= 0
            ):
                continue  # in US local news, "Indian" is Native American
            if len(h.readings) == 1 and h.readings[0].kind in _ANCHOR_KINDS:
                r = h.readings[0]
                if r.iso3 and not (
                    r.surface in g.weak and ("initial" in h.notes or r.kind == "capital")
                ):
                    h.chosen = r  # fast path: one unambiguous country-level reading
                    continue
            if "person" in h.notes and any("t" in r.flags for r in h.readings):
                # A small US town's name next to a capitalised word reads as a name:
                # "Jim Harrison of the Chamber", "Manufacturers Hanover said".
                continue
            best: tuple[float, Entry] | None = None
            # A dateline at the head of a line is no common word ("VANCOUVER, March 6 -").
            hit_weak = g.weak if "full-dateline" not in h.notes else frozenset()
            for r in h.readings:
                if not r.iso3:
                    continue
                other = other_evidence(r.iso3, h.surface)  # never negative
                # Local-news style counts as evidence for a US place that has none; below, only
                # other > 0 matters, so it cannot flip the answer. It is looked for only where
                # it is used: not for a lone strong reading (a state, chosen whatever its
                # score), and for a US town's reading only once the town is chosen.
                style = (
                    r.iso3 == "USA"
                    and r.kind == "place"
                    and other == 0
                    and ("s" in r.flags or not _strong_place(r, g))
                    and not (len(h.readings) == 1 and "c" not in r.flags
                             and _strong_place(r, g, _dl(h)))
                )
                score = 10.0 - _KIND_RANK.get(r.kind, 5)
                if r.kind == "capital" and len(isos) > 1:
                    score += 4  # a capital outranks a same-named city found by mere evidence
                us_town = (
                    r.iso3 == "USA"
                    and r.kind == "place"
                    and ("u" in r.flags or "s" in r.flags or "t" in r.flags)
                )
                if us_town and len(isos) > 1 and "s" not in r.flags and "town-use" not in h.notes:
                    if any("r" in x.flags for x in h.readings):
                        continue  # Ontario the province, not Ontario, California
                town = (
                    us_town
                    and len(isos) > 1
                    and (
                        "s" not in r.flags
                        or any(x.kind in ("name", "capital") for x in h.readings if x.iso3 != "USA")
                    )
                )
                if style and not town:
                    other += us_style()
                if town:
                    # US state/town reading of a foreign name: needs US local evidence and
                    # no sign of the foreign country elsewhere. A country's name needs US places.
                    if (
                        "dateline" in h.notes
                        and "town-use" not in h.notes
                        and "s" not in r.flags
                        and r.population < _US_CITY  # Birmingham, Alabama is a city too
                        and any(
                            x.iso3 != "USA"
                            and (x.kind == "capital" or x.population >= g.standalone_population)
                            for x in h.readings
                        )
                    ):
                        continue  # "TORONTO, April 27 -": a dateline names the big city
                    foreign = max(
                        (other_evidence(i, h.surface) for i in isos if i != "USA"), default=0
                    )
                    # A US state elsewhere in the article is enough for a town ("Athens ...
                    # Georgia"); otherwise two signs of US local news are needed.
                    need = 1 if "s" in r.flags or states - {h.surface.lower()} else 2
                    # Only local signs count: US states, towns, counties, local-news style;
                    # "U.S." or "American" in an article say nothing about which Paris.
                    support = len(places.get("USA", set()) - {h.surface.lower()})
                    if any(x.kind == "capital" for x in h.readings):
                        # A capital (Paris, London) needs local news style as well as two
                        # US places: international news names US states next to capitals.
                        need = 2
                        if support >= need and not (us_style() or _counties_in(places) >= 2):
                            support = 0  # (with too few places, style can't help)
                    elif support < need:
                        support += us_style()
                    if "town-use" in h.notes or ("resident" in h.notes and support):
                        # "a Lebanon woman", "City of Paris"; "Galen Miller of Palestine" with
                        # a US place in the article
                        support = need
                    elif "s" not in r.flags and any(x.kind == "name" for x in h.readings):
                        # A country's name is a US town only where used like one (above).
                        continue
                    if support >= need and foreign <= 0:
                        score += 20
                        if style:
                            other += us_style()
                    else:
                        continue
                elif "c" in r.flags:  # "X County": US unless the article is about elsewhere
                    if other <= 0 and any(n > 0 for i, n in evidence.items() if i != "USA"):
                        continue
                elif r.kind == "place" and not _strong_place(
                    r, g, _dl(h), hit_weak is not g.weak
                ):
                    if other <= 0 or "u" in r.flags or "person" in h.notes:
                        continue
                    if (
                        r.surface in hit_weak
                        and evidence.get(r.iso3, 0) - contrib.get((h.surface.lower(), r.iso3), 0)
                        <= 0
                    ):
                        continue
                    score -= 1
                elif r.kind == "capital" and r.surface in hit_weak and other <= 0:
                    continue
                if r.surface in hit_weak and "initial" in h.notes:
                    continue
                if other > 0:
                    score += 5
                if r.kind == "place" and ("r" in r.flags or "s" in r.flags) and len(isos) > 1:
                    score += 6  # a region or state outranks a same-named city elsewhere
                score += min(r.population, 10**7) / 10**8
                if best is None or score > best[0]:
                    best = (score, r)
            if best is None:
                continue
            if (
                hit_weak is not g.weak
                and best[1].surface in g.weak
                and best[1].kind != "capital"
                and other_evidence(best[1].iso3, h.surface) <= 0
                and any(
                    3 * x.population > best[1].population
                    for x in h.readings
                    if x.iso3 != best[1].iso3
                )
            ):
                continue  # "RICHMOND, April 9 -": Virginia's or British Columbia's, unknown
            h.chosen = best[1]
            if len(isos) > 1:
                h.confidence *= 0.85
            if "initial" in h.notes and h.surface in g.person_names:
                h.confidence *= 0.9
            if "c" in h.chosen.flags or "t" in h.chosen.flags:
                h.confidence *= 0.8


# US local-news cues. Each pattern starts with a literal so that the regex engine skips fast;
# the characters before a hit are checked afterwards.
_PHONE = re.compile(r"-\d{4}\b")
_PHONE_BEFORE = re.compile(r"(?:\(\d{3}\) ?|(?<!\d)\d{3}[-.])\d{3}\Z")
_ADDRESS_WORD = re.compile(r"(?:St|Ave|Rd|Blvd|Dr|Ln|Hwy)\b")
_ADDRESS_BEFORE = re.compile(r"\b\d{2,5} (?:[NSEW]\. )?[A-Z][a-z]+\Z")
_PARTY = re.compile(r"\b[RD]-[A-Z][a-z]")
_US_LOCAL_WORDS = (
    "School District",
    "Police Department",
    "Fire Department",
    "Township",
    "City Council",
    "County Commission",
    "school board",
    "Board of Supervisors",
    "Chamber of Commerce",
)


def _us_style(text: str) -> int:
    """0, 1 or 2: how strongly the article reads like US local news (distinct cue types)."""
    # Each cue type counts once and the answer stops at 2: cheap cues first, stop at 2.
    n = ("state Sen." in text or "state Rep." in text or "Gov. " in text) + ("heriff" in text)
    if n < 2 and any(w in text for w in _US_LOCAL_WORDS):
        n += 1
    if n < 2 and "-" in text:
        if ("R-" in text or "D-" in text) and _PARTY.search(text):
            n += 1
        if n < 2 and any(
            _PHONE_BEFORE.search(text, max(0, m.start() - 9), m.start())
            for m in _PHONE.finditer(text)
        ):
            n += 1
    if n < 2:
        # " St", " Ave" ...: the word is sought (the engine skips to its capital), then the space.
        for m in _ADDRESS_WORD.finditer(text):
            i = m.start() - 1
            if i >= 0 and text[i] == " " and _ADDRESS_BEFORE.search(text, max(0, i - 30), i):
                n += 1
                break
    return min(n, 2)


def _dl(h: _Hit) -> bool | str:
    """``_strong_place``'s ``dateline``: "line" for a dateline at a line's head, True for
    another dateline ("trial . WINDSOR -"), else False."""
    return "line" if "line-dateline" in h.notes else "dateline" in h.notes


def _strong_place(
    r: Entry, g: Gazetteer, dateline: bool | str = False, weak_ok: bool = False
) -> bool:
    """A place that counts without support: curated regions, US states, big non-weak cities.

    ``dateline``: the hit opens a dateline ("HOUSTON, March 5 -"), so a big city that is also
    a family name (Houston) is the city, and a US city of 100,000 counts; "line" when the
    dateline heads a line, where a city of 100,000 elsewhere counts too ("ROTTERDAM, March 3
    -"). ``weak_ok``: a full dateline at a line's head, so a city named like a common word
    counts too ("VANCOUVER, March 6 -")."""
    f = r.flags
    if r.kind != "place" or "u" in f or "t" in f or "c" in f:
        return False
    if r.surface in g.weak and not weak_ok:
        return False
    if "s" in f or "r" in f:
        return True
    if r.surface in g.person_names and r.population > 0 and not dateline:
        return False
    if r.population == 0:
        return True
    if dateline and r.population >= _US_CITY and (r.iso3 == "USA" or dateline == "line"):
        return True  # "ST. LOUIS, March 5 -", "STAMFORD, March 11 -": a dateline's city
    if r.iso3 == "USA" and "u" not in r.flags:
        return r.population >= _US_STANDALONE
    return r.population >= g.standalone_population


_WORD_MAX = 40  # context scans look at most this far: a word is never longer


def _prev_word(text: str, s: int) -> tuple[str, str]:
    """The word before offset ``s`` and the characters between it and ``s`` (bounded scan)."""
    # (Conditional expressions rather than max(), and one index per character: this runs
    # for most hits.)
    i = s
    stop = s - _WORD_MAX if s > _WORD_MAX else 0
    while i > stop and text[i - 1] in " \t":
        i -= 1
    j = i
    stop = i - _WORD_MAX if i > _WORD_MAX else 0
    while j > stop:
        c = text[j - 1]
        if c.isalnum() or c in ".-'’":
            j -= 1
        else:
            break
    return text[j:i], text[i:s]


_NEXT_WORD = re.compile(rf"([ \t]{{0,{_WORD_MAX}}})([\w.\-'’]{{0,{_WORD_MAX}}})")


def _next_word(text: str, e: int) -> tuple[str, str]:
    """The word after offset ``e`` and the characters between ``e`` and it (bounded scan)."""
    gap, word = _NEXT_WORD.match(text, e).groups()  # type: ignore[union-attr]
    if not gap and word[:1] == "-":
        return word, ""
    return word.rstrip(".,'’"), gap


def _has_lower(text: str, s: int, e: int) -> bool:
    """Any lower-case letter within 40 characters of the hit (i.e. not an all-caps line)."""
    window = text[max(0, s - 40) : e + 40]
    return window.upper() != window


def _caps_line(text: str, s: int, e: int) -> bool:
    """True when the line holding the hit has no lower-case letter (an all-caps headline)."""
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", e)
    line = text[a : b if b >= 0 else len(text)]
    return line.upper() == line


def _sentence_initial(text: str, s: int) -> bool:
    i = s
    stop = s - _WORD_MAX if s > _WORD_MAX else 0
    while i > stop and text[i - 1] in " \t\"'“‘(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:"


# School subjects listed with a language: "math, science and English".
_SUBJECTS = frozenset(
    "math maths mathematics science sciences history geography art arts music reading writing "
    "algebra geometry biology chemistry physics literature spelling".split()
)


def _language_two_back(text: str, end: int, prev_word: str) -> bool:
    """True when the two words before a demonym show a language: "spoke only French",
    "science and English". ``end`` is where ``prev_word`` starts.

    >>> t = "She spoke only French."
    >>> _language_two_back(t, t.index("only"), "only")
    True
    """
    pw = prev_word.lower()
    if pw in _LANGUAGE_BETWEEN:
        return _prev_word(text, end)[0].lower() in _LANGUAGE_PREV
    if pw in ("and", "or"):
        return _prev_word(text, end)[0].lower().rstrip(",") in _SUBJECTS
    return False


# A school grade before a demonym makes it a subject: "eighth-grade French students".
_SCHOOL_GRADE = re.compile(
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|\d{1,2}(?:st|nd|rd|th))-grade"
)


# Titles before "Name of Country": a ruler or an official, not a resident ("King Abdullah of
# Jordan", "the Foreign Minister of Lebanon").
_TITLES = frozenset(
    "King Queen Prince Princess Crown Sheikh Emir Sultan Shah Pope President Minister "
    "Ambassador Secretary Chancellor Premier Leader Governor Mayor General Admiral Envoy "
    "Speaker Chairman Consul Foreign Prime Vice Deputy".split()
)


def _resident(text: str, s: int) -> bool:
    """True when a person's name and "of" come before offset ``s`` ("Galen Miller of"), not an
    organisation's ("Finance and Credit Corp of")."""
    m = _RESIDENT_OF.search(text, max(0, s - 40), s)
    if m is None or m.group(1) in _ORG_SUFFIX or m.group(1) in _STATE_BODY:
        return False
    words = m.group().replace(",", " ").replace("(", " ").split()
    return not any(w in _TITLES for w in words[-4:-1])


def _is_language(prev_word: str, next_word: str, next_gap: str, after: str) -> bool:
    if next_word.lower() in _LANGUAGE_NEXT:
        return True
    pw = prev_word.lower()
    if pw in _LANGUAGE_PREV or (pw.endswith("-grade") and _SCHOOL_GRADE.fullmatch(pw)):
        return True
    if pw in ("in", "into", "from") and (
        not next_gap or after in ",.;:)" or next_word in ("and", "or")
    ):
        return after in ',.;:)"' or next_word in ("and", "or")
    return False


def _org_after(text: str, e: int, any_org: bool = True) -> str | None:
    """ "state" or "org" when capitalised words after offset ``e`` end in an institution or an
    organisation noun ("... Department of Agriculture", "... Diabetes Association")."""
    m = _CAP_RUN.match(text, e, e + 160)
    if not m:
        return None
    run = m.group()
    if _ORG_WORDS_HAVE_LOWER and run.isupper():
        # All-caps words ("... COCOA REVIEW") are none of the nouns below; a headline's company
        # ends in its legal form ("DONEGAL GROUP INC <DGIC>").
        words = _SPACE_DASH.split(run)[1:]
        return "org" if any(w.rstrip(".,") in _CAPS_COMPANY for w in words) else None
    for w in _SPACE_DASH.split(run)[1:]:
        w = w.rstrip(".,'’")
        if w.endswith(("’s", "'s")):
            w = w[:-2]  # "Italian Grill’s booth"
        if w in _STATE_BODY:
            return "state"
        if w in (_ORG_SUFFIX if any_org else _COMPANY_SUFFIX):
            return "org"
        if w and not w[:1].isupper() and w not in ("of", "and", "for", "the", "&"):
            return None
    return None


def _placeish(g: Gazetteer, word: str) -> bool:
    """True when ``word`` is itself a country-level name or a well-known place."""
    for e in g.lookup(word):
        if e.kind == "place":
            if _strong_place(e, g):
                return True
        elif e.kind != "stop":
            return True
    return False


def _capitalised_name(prev_word: str, prev_gap: str, g: Gazetteer) -> bool:
    """True when ``prev_word`` looks like a given name right before the hit ("Michael Jordan")."""
    return (
        prev_gap == " "
        and prev_word[:1].isupper()
        and prev_word.isalpha()
        and prev_word not in _PRE_OK
        and not prev_word.isupper()
        and not _placeish(g, prev_word)
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
        and not _placeish(g, next_word)
    ):
        return True
    return _capitalised_name(prev_word, prev_gap, g)


@functools.lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The shared detector over the committed gazetteer (built once per process)."""
    return Detector()
