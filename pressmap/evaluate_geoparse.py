"""Document-level evaluation of a country detector on a JSONL corpus.

Each line holds ``text``, ``countries`` (every country referred to) and ``explicit`` (referred to
by a country-level name or demonym). Scores are micro P/R/F1 over (article, country) pairs.

Run:  python -m pressmap.evaluate_geoparse ../shared/eval/geoparse/geovirus.jsonl [more.jsonl]

>>> _prf(8, 2, 2)
(0.8, 0.8, 0.8)
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from pressmap.detect import Detector, default_detector
from pressmap.model import EXPLICIT_KINDS


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def evaluate(path: str | Path, detector: Detector | None = None, worst: int = 25) -> dict:
    """Score ``detector`` on the corpus at ``path``.

    Returns ``{"articles", "countries": {p, r, f1, tp, fp, fn}, "explicit": {...}, "errors",
    "explicit_fp_kinds", "seconds"}``; ``errors`` lists the most frequent false positives (with the surfaces that
    caused them) and false negatives, each ``{"type", "iso3", "count", "surfaces", "ids"}``.
    """
    det = detector or default_detector()
    counts = {"countries": [0, 0, 0], "explicit": [0, 0, 0]}
    fp_by: Counter[str] = Counter()
    fn_by: Counter[str] = Counter()
    fp_kinds: Counter[str] = Counter()  # explicit false positives by the kinds that found them
    surfaces: dict[tuple[str, str], Counter[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    n = 0
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            n += 1
            mentions = det.detect(row["text"], row.get("language"))
            found = {m.iso3 for m in mentions}
            found_explicit = {m.iso3 for m in mentions if m.kind in EXPLICIT_KINDS}
            for key, got in (("countries", found), ("explicit", found_explicit)):
                gold = set(row.get(key, []))
                c = counts[key]
                c[0] += len(got & gold)
                c[1] += len(got - gold)
                c[2] += len(gold - got)
            for iso in found_explicit - set(row.get("explicit", [])):
                fp_kinds["+".join(sorted({m.kind for m in mentions
                                          if m.iso3 == iso and m.kind in EXPLICIT_KINDS}))] += 1
            gold_all = set(row.get("countries", []))
            for iso in found - gold_all:
                fp_by[iso] += 1
                surfaces.setdefault(("FP", iso), Counter()).update(
                    m.surface for m in mentions if m.iso3 == iso
                )
                ids.setdefault(("FP", iso), []).append(row.get("id", str(n)))
            for iso in gold_all - found:
                fn_by[iso] += 1
                gold_surf = [m["surface"] for m in row.get("mentions", []) if m.get("iso3") == iso]
                surfaces.setdefault(("FN", iso), Counter()).update(gold_surf)
                ids.setdefault(("FN", iso), []).append(row.get("id", str(n)))
    seconds = time.perf_counter() - t0
    result: dict = {"articles": n, "seconds": round(seconds, 3)}
    for key, (tp, fp, fn) in counts.items():
        p, r, f1 = _prf(tp, fp, fn)
        result[key] = {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    result["explicit_fp_kinds"] = dict(fp_kinds.most_common())
    errors = [("FP", iso, c) for iso, c in fp_by.items()] + [
        ("FN", iso, c) for iso, c in fn_by.items()
    ]
    errors.sort(key=lambda x: -x[2])
    result["errors"] = [
        {
            "type": typ,
            "iso3": iso,
            "count": c,
            "surfaces": dict(surfaces.get((typ, iso), Counter()).most_common(5)),
            "ids": ids.get((typ, iso), [])[:5],
        }
        for typ, iso, c in errors[:worst]
    ]
    return result


def format_table(name: str, res: dict) -> str:
    """A plain-text table of one corpus' scores and worst errors."""
    lines = [f"{name}: {res['articles']} articles in {res['seconds']:.2f}s"]
    lines.append(f"  {'':10} {'P':>7} {'R':>7} {'F1':>7} {'tp':>5} {'fp':>5} {'fn':>5}")
    for key in ("countries", "explicit"):
        s = res[key]
        lines.append(
            f"  {key:10} {s['p']:7.4f} {s['r']:7.4f} {s['f1']:7.4f} {s['tp']:5} {s['fp']:5} {s['fn']:5}"
        )
    kinds = res.get("explicit_fp_kinds") or {}
    if kinds:
        lines.append("  explicit false positives by the kinds that found them: "
                     + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    lines.append("  worst errors:")
    for e in res["errors"]:
        surf = ", ".join(f"{k}×{v}" for k, v in e["surfaces"].items())
        lines.append(
            f"    {e['type']} {e['iso3']} ×{e['count']}: {surf}  [{' '.join(e['ids'][:3])}]"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m pressmap.evaluate_geoparse",
        description="Document-level P/R/F1 of the country detector on JSONL gold corpora.",
    )
    ap.add_argument("corpora", nargs="+", metavar="CORPUS.jsonl")
    ap.add_argument("--worst", type=int, default=25, help="errors listed per corpus")
    args = ap.parse_args(argv)
    missing = [c for c in args.corpora if not Path(c).is_file()]
    if missing:
        ap.error(f"no such corpus file: {', '.join(missing)}")
    det = default_detector()
    for a in args.corpora:
        print(format_table(Path(a).name, evaluate(a, det, worst=args.worst)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
