"""Shared helpers for page metadata: dates, titles and source names.

>>> parse_date("August 2, 2025, 00:44:00 IST")
'2025-08-02T00:44:00+05:30'
>>> parse_date("Updated: 12 Mar 2024 10:05 am")
'2024-03-12T10:05:00'
>>> clean_title("Trump pushes to expand Abraham Accords | Firstpost", "Firstpost")
'Trump pushes to expand Abraham Accords'
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
TZ = {
    "ist": "+05:30",
    "utc": "+00:00",
    "gmt": "+00:00",
    "z": "+00:00",
    "bst": "+01:00",
    "cet": "+01:00",
    "cest": "+02:00",
    "eet": "+02:00",
    "eest": "+03:00",
    "msk": "+03:00",
    "et": "-05:00",
    "est": "-05:00",
    "edt": "-04:00",
    "ct": "-06:00",
    "cst": "-06:00",
    "cdt": "-05:00",
    "mt": "-07:00",
    "mst": "-07:00",
    "mdt": "-06:00",
    "pt": "-08:00",
    "pst": "-08:00",
    "pdt": "-07:00",
    "jst": "+09:00",
    "kst": "+09:00",
    "aest": "+10:00",
    "aedt": "+11:00",
    "sgt": "+08:00",
    "hkt": "+08:00",
    "pkt": "+05:00",
    "wib": "+07:00",
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = (
    r"(?:(?:\s*,\s*|\s+(?:at\s+)?|\s*[-–|•]\s*|T)"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?"
    r"(?:\s*(?:GMT|UTC)\s?(?P<goff>[+-]\d{1,2}(?::?\d{2})?)\b|\s*(?P<off>[+-]\d{2}:?\d{2}|Z\b)"
    r"|\s*\(?(?P<tz>[A-Z]{1,4})\b\)?)?)?"
)
_PATTERNS = [
    # 2024-03-12, 2024-03-12T10:05:00+01:00, 2024/03/12
    re.compile(
        r"\b(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)" + _TIME, re.I
    ),
    # August 2, 2025  /  Aug. 2 2025
    re.compile(
        r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME,
        re.I,
    ),
    # 12 Mar 2024 / 12 March, 2024
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MON
        + r",?\s+(?P<y>(?:19|20)\d{2})\b"
        + _TIME,
        re.I,
    ),
    # 12.03.2024 / 12/03/2024 (day first; month first when the day is > 12)
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d{2})\b" + _TIME, re.I),
]


def _offset(m: re.Match[str]) -> str:
    goff = m.group("goff")
    if goff:  # GMT+1, UTC+05:30
        sign, rest = goff[0], goff[1:].replace(":", "")
        hours, mins = (rest[:-2], rest[-2:]) if len(rest) > 2 else (rest, "00")
        return f"{sign}{int(hours):02d}:{mins}"
    off = m.group("off")
    if off:
        if off.upper() == "Z":
            return "+00:00"
        return off if ":" in off else off[:3] + ":" + off[3:]
    tz = m.group("tz")
    return TZ.get(tz.lower(), "") if tz else ""


def _iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    try:
        y, d = int(g["y"]), int(g["d"])
        mon = MONTHS[g["mon"].lower().rstrip(".")] if g.get("mon") else int(g["m"])
        if not g.get("mon") and g.get("m") and m.re is _PATTERNS[3] and d <= 12 < mon:
            d, mon = mon, d
        day = date(y, mon, d)
    except (ValueError, KeyError, TypeError):
        return None
    if not 1990 <= y <= 2100:
        return None
    if g.get("h") is None:
        return day.isoformat()
    h, mi, s = int(g["h"]), int(g["mi"]), int(g["s"] or 0)
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    try:
        stamp = datetime(y, mon, d, h, mi, s).isoformat()
    except ValueError:
        return day.isoformat()
    return stamp + _offset(m)


_FUSED_YEAR = re.compile(r"\b((?:19|20)\d{2})(\d{1,2}:\d{2})")


def find_date(text: str) -> tuple[str, int, int] | None:
    """First date in ``text`` as ``(iso, start, end)``, or None.

    >>> find_date("FP News Desk • August 2, 2025, 00:44:00 IST")[0]
    '2025-08-02T00:44:00+05:30'
    """
    best: tuple[str, int, int] | None = None
    if _FUSED_YEAR.search(text):  # "Nov 20 20194:29 AM" (year run into the time by a text dump)
        text = _FUSED_YEAR.sub(r"\1 \2", text)
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            iso = _iso(m)
            if iso and (best is None or m.start() < best[1]):
                best = (iso, m.start(), m.end())
                break
    return best


def parse_date(text: str | None) -> str | None:
    """ISO 8601 form of the first date in ``text`` (date, or datetime when a time is given).

    >>> parse_date("2024-03-12")
    '2024-03-12'
    """
    if not text:
        return None
    found = find_date(text[:400])
    return found[0] if found else None


def same_day(a: str | None, b: str | None) -> bool:
    """True when two ISO strings name the same day (or instants within 14 h: time zones differ).

    >>> same_day("2025-08-02T00:44:00+05:30", "2025-08-02")
    True
    >>> same_day("2019-11-19T07:03:25+00:00", "2019-11-18T23:03:00")
    True
    >>> same_day("2019-11-20T01:50:59", "2019-11-19"), same_day("2019-11-21", "2019-11-19")
    (True, False)
    """
    if not (a and b):
        return False
    if a[:10] == b[:10]:
        return True
    try:
        x, y = (datetime.fromisoformat(v[:19]) for v in (a, b))
    except ValueError:
        return False
    if len(a) <= 10 and len(b) <= 10:
        return False
    if len(a) <= 10 or len(b) <= 10:  # a day against an instant: allow the instant's time zone
        day, when = (x, y) if len(a) <= 10 else (y, x)
        return -14 * 3600 <= (when - day).total_seconds() < (24 + 14) * 3600
    return abs((x - y).total_seconds()) <= 14 * 3600


_SEP = re.compile(r"\s+[|–—•:-]\s+|\s*\|\s*|\s+::\s+")


def clean_title(title: str | None, source: str | None = None) -> str | None:
    """Strip a trailing/leading site name (``"Story | Site"``) from a page title.

    >>> clean_title("Site - A long story about things", "Site")
    'A long story about things'
    """
    if not title:
        return None
    title = " ".join(title.split())
    parts = _SEP.split(title)
    if len(parts) > 1:
        src = norm(source or "")
        kept = [
            p for p in parts if not src or norm(p) != src and src not in norm(p)[: len(src) + 4]
        ]
        if src and len(kept) < len(parts) and kept:
            return " - ".join(kept) if len(kept) > 1 else kept[0]
        # no known source: drop a short last/first segment that looks like a site name
        if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 4:
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title or None


def norm(text: str) -> str:
    """Lower-case, punctuation-free, single-spaced form for comparisons.

    >>> norm("Trump’s  Plan!")
    'trump s plan'
    """
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def titles_match(a: str | None, b: str | None) -> bool:
    """Loose equality of two titles: equal after :func:`norm`, or one contains the other.

    >>> titles_match("Big News | Site", "Big news")
    True
    """
    if not a or not b:
        return False
    x, y = norm(a), norm(b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 0.5 * len(long_) and short in long_:
        return True
    sx, sy = set(x.split()), set(y.split())
    return len(sx & sy) >= 0.8 * max(len(sx), len(sy))


_COPY = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:@\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4})?)?[\s.,]*(?P<name>[^.|©]{2,60}?)"
    r"(?:\s*[-–,.|]\s*|\s+)(?:all rights reserved|\d{4}|$)",
    re.I,
)


def source_from_copyright(line: str) -> str | None:
    """Outlet name out of a copyright line.

    >>> source_from_copyright("Copyright @ 2024. Firstpost - All Rights Reserved")
    'Firstpost'
    """
    m = _COPY.search(line)
    if not m:
        return None
    name = m.group("name").strip(" .,;:-–@")
    name = re.sub(r"^(?:by|the\s+copyright\s+of)\s+", "", name, flags=re.I)
    name = re.sub(
        r"[\s,]*\b(?:(?:pvt|private) )?(?:inc|ltd|llc|plc|gmbh|limited|corporation)\b\.?$",
        "",
        name,
        flags=re.I,
    )
    name = name.strip(" .,;:-–")
    if not name or len(name.split()) > 6 or not name[0].isalnum() or name[0].isdigit():
        return None
    return name
