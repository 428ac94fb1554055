"""Country sets found in Reuters-21578 against its editors' place tags (``places_raw``).

    python benchmarks/eval_reuters_tags.py [--tsv FILE] [--data FILE] [--worst 15]

The tags list the countries a story is *about*; a story may name others in passing, so precision
here is only indicative, and recall (tagged countries that the detector misses) is the useful
figure. Without ``--tsv`` the detector runs in this process; with it, the output of
``pressmap analyze --format tsv`` (of any version) is scored instead. The data are read from
``../shared/bench/`` and never copied: without them the script says so and stops.

Example:

    pressmap analyze --jobs 2 --format tsv ../shared/bench/reuters21578.jsonl > now.tsv
    python benchmarks/eval_reuters_tags.py --tsv now.tsv
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "bench" / "reuters21578.jsonl"

# Reuters' place codes that are not a country's name in the gazetteer, lower-cased with dashes.
CODES = {
    "usa": "USA", "uk": "GBR", "ussr": "RUS", "west-germany": "DEU", "east-germany": "DEU",
    "south-korea": "KOR", "north-korea": "PRK", "uae": "ARE", "ivory-coast": "CIV",
    "zaire": "COD", "burma": "MMR", "czechoslovakia": "CZE", "yugoslavia": "SRB",
    "yemen-arab-republic": "YEM", "yemen-demo-republic": "YEM", "kampuchea": "KHM",
    "netherlands-antilles": "CUW", "us-virgin-islands": "VIR", "antigua": "ATG",
    "swaziland": "SWZ", "trinidad-tobago": "TTO", "st-lucia": "LCA",
}


def tag_countries(codes: list[str], names: dict[str, str]) -> set[str]:
    """ISO3 codes of Reuters place tags ("west-germany" -> DEU); unknown tags are dropped.

    >>> sorted(tag_countries(["usa", "west-germany", "atlantis"], {"france": "FRA"}))
    ['DEU', 'USA']
    """
    out = set()
    for c in codes:
        iso = CODES.get(c) or names.get(c)
        if iso:
            out.add(iso)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tsv", help="score this `pressmap analyze --format tsv` output")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--worst", type=int, default=15, help="most frequent misses listed")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.exists():
        print(f"skipped: {data} is not here (../shared holds the evaluation data)")
        return
    from pressmap.gazetteer import load_gazetteer

    g = load_gazetteer()
    names = {c["name"].lower().replace(" ", "-"): iso for iso, c in g.countries.items()}
    tags: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    with data.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            t = tag_countries(row.get("places_raw") or [], names)
            if t:
                tags[row["id"]] = t
                texts[row["id"]] = row["text"]
    found: dict[str, set[str]] = {}
    if args.tsv:
        with open(args.tsv, encoding="utf-8") as f:
            for line in f:
                cells = line.rstrip("\n").split("\t")
                found[cells[0]] = {p.split(":")[0] for p in cells[3].split()}
    else:
        from pressmap.detect import default_detector

        det = default_detector()
        for i, text in texts.items():
            found[i] = {m.iso3 for m in det.detect(text)}
    tp = fp = fn = 0
    missed: collections.Counter[str] = collections.Counter()
    for i, want in tags.items():
        got = found.get(i, set())
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        missed.update(want - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{len(tags)} tagged stories: P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  "
          f"(tp {tp}, found but not tagged {fp}, tagged but missed {fn})")
    print("most missed:", ", ".join(f"{k} {v}" for k, v in missed.most_common(args.worst)))


if __name__ == "__main__":
    main()
