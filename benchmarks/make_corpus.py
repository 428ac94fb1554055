"""Replicate ../shared/bench/reuters21578.jsonl (18,398 Reuters-21578 stories) to N articles.

Copy k of story ``reuters-123`` gets the id ``reuters-123~k`` (every id distinct); every article
gets a synthetic publication date (2019-01-01 .. 2024-12-31), one of 20 synthetic sources,
language "en" and its first line as title. The texts repeat: a replicated corpus measures cost, not coverage.

    python benchmarks/make_corpus.py 100000 [--out benchmarks/out]   # -> out/reuters-100000.jsonl

Skips with a message (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "bench" / "reuters21578.jsonl"
OUT = ROOT / "benchmarks" / "out"
SOURCES = [f"Synthetic Wire {c}" for c in "ABCDEFGHIJKLMNOPQRST"]
DAY0 = date(2019, 1, 1)
DAYS = (date(2024, 12, 31) - DAY0).days + 1


def have_source() -> bool:
    if not SOURCE.exists():
        print(f"skipped: {SOURCE} is absent (benchmark data lives in ../shared)")
        return False
    return True


def make(n: int, out_dir: Path = OUT, seed: int = 1) -> Path:
    """Write ``reuters-<n>.jsonl`` (reused when it is already there); returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"reuters-{n}.jsonl"
    if out.exists():
        return out
    stories = []
    with SOURCE.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if (r.get("text") or "").strip():
                stories.append((r["id"], r["text"]))
    rnd = random.Random(seed)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for i in range(n):
            sid, text = stories[i % len(stories)]
            copy = i // len(stories)
            f.write(json.dumps({
                "id": sid if copy == 0 else f"{sid}~{copy}",
                "title": text.strip().splitlines()[0][:200],
                "text": text,
                "published": (DAY0 + timedelta(days=rnd.randrange(DAYS))).isoformat(),
                "source": rnd.choice(SOURCES),
                "language": "en",
            }, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not have_source():
        sys.exit(0)
    print(make(args.n, args.out))


if __name__ == "__main__":
    main()
