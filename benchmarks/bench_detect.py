"""Country-detection speed on ../shared/bench/reuters21578.jsonl: articles/s of pressmap's
detector (with and without language detection) against geotext (one core, this process).

    python benchmarks/bench_detect.py [--repeat 3] [--limit N]

geotext is optional (``pip install geotext==0.4.0``, in requirements-dev.txt); without it its
row is skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pressmap.detect import Detector  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "reuters21578.jsonl"


def rate(fn: Callable[[str], object], texts: list[str], repeat: int) -> float:
    """Best articles per CPU-second over ``repeat`` passes (CPU time: other jobs on a shared
    machine do not skew it)."""
    best = 0.0
    for _ in range(repeat):
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = max(best, len(texts) / max(time.process_time() - t0, 1e-9))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    if not args.data.exists():
        print(f"{args.data} is absent: the benchmark corpus lives in ../shared")
        return 0
    with open(args.data, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    if args.limit:
        texts = texts[: args.limit]
    mb = sum(len(t) for t in texts) / 1e6

    t0 = time.process_time()
    det = Detector()
    det.detect("Warm-up in Baku. PARIS, Feb 26 -")  # builds the main and the all-caps patterns
    startup = time.process_time() - t0
    rows = [
        ("pressmap Detector (language guessed)", rate(det.detect, texts, args.repeat)),
        (
            "pressmap Detector (language='en')",
            rate(lambda t: det.detect(t, "en"), texts, args.repeat),
        ),
    ]
    try:
        from geotext import GeoText

        GeoText("Warm-up in Paris.")
        rows.append(("geotext 0.4.0 GeoText(text)", rate(GeoText, texts, args.repeat)))
    except ImportError:
        print("geotext not installed: its row is skipped")
    print(f"{len(texts)} articles, {mb:.1f} MB; detector start-up {startup:.3f}s CPU"
          " (compiled patterns from the cache, see pressmap.detect.cache_dir)")
    for name, r in rows:
        print(f"  {name:40} {r:9.0f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
