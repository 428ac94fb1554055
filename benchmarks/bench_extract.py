"""Extraction speed on ../shared/eval/extract: pages per CPU-second (one core) of the text-dump
path, the HTML path and trafilatura alone.

    python benchmarks/bench_extract.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from pressmap import htmlpage, textdump  # noqa: E402
from pressmap.evaluate_extract import DATA  # noqa: E402


def rate(fn: Callable[[object], object], items: list, repeat: int) -> float:
    """Best pages per CPU-second of this process over ``repeat`` passes (caches cleared first).

    CPU time, not wall time: other jobs on a shared machine do not skew the figure.
    """
    best = 0.0
    for _ in range(repeat):
        textdump.find_date.cache_clear()
        t0 = time.process_time()
        for it in items:
            fn(it)
        best = max(best, len(items) / max(time.process_time() - t0, 1e-9))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    pages = sorted((args.data / "pages").glob("*.html"))
    if not pages:
        raise SystemExit(f"no pages under {args.data}: evaluation data lives in ../shared")
    txts = [p.with_suffix(".txt").read_text(encoding="utf-8") for p in pages]
    htmls = [p.read_bytes() for p in pages]
    mb_t = sum(len(t) for t in txts) / 1e6
    mb_h = sum(len(h) for h in htmls) / 1e6
    t = rate(textdump.extract, txts, args.repeat)
    print(f"text-dump path   {t:8.1f} pages/s  ({len(txts)} pages, {mb_t:.1f} MB of text)")
    h_repeat = max(1, args.repeat - 1)
    tr = rate(trafilatura.extract, htmls, h_repeat)
    trm = rate(lambda h: trafilatura.bare_extraction(h, with_metadata=True), htmls, h_repeat)
    h = rate(htmlpage.extract, htmls, h_repeat)
    print(f"trafilatura      {tr:8.1f} pages/s  (extract(), defaults; {mb_h:.1f} MB of HTML)")
    print(f"trafilatura+meta {trm:8.1f} pages/s  (bare_extraction(with_metadata=True))")
    print(f"HTML path        {h:8.1f} pages/s  = {tr / h:.2f}x the time of trafilatura alone, "
          f"{trm / h:.2f}x with its metadata")


if __name__ == "__main__":
    main()
