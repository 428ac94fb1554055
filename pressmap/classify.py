"""Class breaks and colours for the choropleth.

>>> c = classify({"USA": 10, "AZE": 2, "ISR": 5}, method="quantiles", k=3)
>>> c.colour_of("USA") != c.colour_of("AZE")
True
>>> c.colour_of("FRA") == NOT_MENTIONED
True
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

# ColorBrewer YlOrRd, light to dark; one palette per class count.
PALETTE = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
NOT_MENTIONED = "#e4e4e4"
METHODS = ("quantiles", "log", "equal")


@dataclass
class Classes:
    bounds: list[float]  # upper bound of each class
    colours: list[str]
    values: dict[str, float]
    lowest: float
    integer: bool = False  # every value is a whole number: bounds are too, labels never overlap

    def class_of(self, iso3: str) -> int | None:
        v = self.values.get(iso3)
        if not v:
            return None
        for i, b in enumerate(self.bounds):
            if v <= b + 1e-9:
                return i
        return len(self.bounds) - 1

    def colour_of(self, iso3: str) -> str:
        i = self.class_of(iso3)
        return NOT_MENTIONED if i is None else self.colours[i]

    def legend(self) -> list[tuple[str, str]]:
        """``[(colour, label)]`` from the lowest class up, plus "not mentioned"."""
        out, lo = [], self.lowest
        for b, c in zip(self.bounds, self.colours, strict=True):
            out.append((c, _fmt(lo) if _fmt(lo) == _fmt(b) else f"{_fmt(lo)} – {_fmt(b)}"))
            lo = b + 1 if self.integer else b
        out.append((NOT_MENTIONED, "not mentioned"))
        return out


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2g}" if v < 1 else f"{v:.1f}"


def classify(values: dict[str, float], method: str = "quantiles", k: int = 5) -> Classes:
    """Split positive ``values`` into at most ``k`` classes by ``method`` (mapclassify)."""
    vals = {key: float(v) for key, v in values.items() if v and v > 0}
    if not vals:
        return Classes([], [], {}, 0)
    arr = np.array(sorted(vals.values()))
    uniq = np.unique(arr)
    k = max(1, min(k, len(uniq), len(PALETTE)))
    if k == 1:
        bounds = [float(arr.max())]
    elif method == "log":
        lo, hi = math.log(arr.min()), math.log(arr.max())
        bounds = [float(math.exp(lo + (hi - lo) * (i + 1) / k)) for i in range(k)]
    else:
        import mapclassify

        with warnings.catch_warnings():  # "not enough unique values": we dedupe bounds below
            warnings.simplefilter("ignore")
            scheme = mapclassify.Quantiles(arr, k=k) if method == "quantiles" else (
                mapclassify.EqualInterval(arr, k=k))
        bounds = sorted({float(b) for b in scheme.bins})
    integer = bool(np.all(arr == np.floor(arr)))
    if integer:  # a bound of 2.6 on whole numbers means "up to 2"
        bounds = sorted({float(math.floor(b)) for b in bounds if b >= arr.min()})
    bounds[-1] = float(arr.max())
    colours = _spread(len(bounds))
    return Classes(bounds, colours, vals, float(arr.min()), integer)


def _spread(n: int) -> list[str]:
    if n >= len(PALETTE):
        return PALETTE[:n]
    idx = np.linspace(0, len(PALETTE) - 1, n).round().astype(int)
    return [PALETTE[i] for i in idx]
