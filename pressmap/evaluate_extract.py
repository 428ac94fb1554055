"""Score the extractors on ``../shared/eval/extract`` (word 4-gram shingles, as the Zyte benchmark).

Three summaries per path: ``bench`` = the benchmark's own figure (per page, tp/fp/fn normalised;
P and R averaged over pages; F1 of those means), ``pooled`` = micro over raw shingle counts, and
``page-F1`` = mean of per-page F1. An empty extraction has no precision to average (as in the
benchmark) and zero recall.

Metadata: ``date right (URL date)`` = same day as the date in the page's URL path, where there is
one (an instant may sit up to 14 h off for time zones); for the txt path, ``title right`` and
``date = HTML metadata`` compare with what the HTML path finds in the page's own markup.

    python -m pressmap.evaluate_extract [--path html|txt|both] [--worst 10] [--baseline] [--site-lines]

>>> prf(*match("a b c d e", "a b c d e f"))
(1.0, 0.6666666666666666, 0.8)
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pressmap import htmlpage, textdump
from pressmap.metadata import same_day, titles_match
from pressmap.model import Extracted

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extract"
_TOKEN = re.compile(r"\w+")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-grams (``\\w+`` tokens, case kept) with counts.

    >>> len(shingles("one two three four five"))
    2
    """
    tok = _TOKEN.findall(text or "")
    return Counter(tuple(tok[i : i + n]) for i in range(max(1, len(tok) - n + 1)) if tok[i : i + n])


def match(pred: str, true: str) -> tuple[int, int, int]:
    """Raw ``(tp, fp, fn)`` shingle counts of a prediction against the true text."""
    p, t = shingles(pred), shingles(true)
    tp = sum((p & t).values())
    return tp, sum(p.values()) - tp, sum(t.values()) - tp


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall, F1 (empty vs empty scores 1, as the benchmark does)."""
    if fp == fn == 0:
        return 1.0, 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    """Scores of one extractor over all pages."""

    name: str
    rows: list[dict] = field(default_factory=list)  # id, tp, fp, fn, p, r, f1, title/date flags

    def add(self, pid: str, pred: str, true: str, **extra: object) -> None:
        tp, fp, fn = match(pred, true)
        p, r, f = prf(tp, fp, fn)
        self.rows.append(
            {"id": pid, "tp": tp, "fp": fp, "fn": fn, "p": p, "r": r, "f1": f, **extra}
        )

    def bench(self) -> tuple[float, float, float]:
        """The benchmark's figure: mean per-page P and R, F1 of the means."""
        ps = [row["p"] for row in self.rows if row["tp"] + row["fp"] > 0 or row["fn"] == 0]
        rs = [row["r"] for row in self.rows if row["tp"] + row["fn"] > 0 or row["fp"] == 0]
        p = sum(ps) / len(ps) if ps else 0.0
        r = sum(rs) / len(rs) if rs else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def pooled(self) -> tuple[float, float, float]:
        """Micro average over raw shingle counts."""
        return prf(*(sum(row[k] for row in self.rows) for k in ("tp", "fp", "fn")))

    def page_f1(self) -> float:
        return sum(row["f1"] for row in self.rows) / len(self.rows) if self.rows else 0.0

    def share(self, key: str) -> tuple[int, int]:
        """(hits, measurable) for a boolean/None column."""
        vals = [row[key] for row in self.rows if row.get(key) is not None]
        return sum(1 for v in vals if v), len(vals)

    def summary(self) -> str:
        bp, br, bf = self.bench()
        pp, pr, pf = self.pooled()
        out = [
            f"{self.name:<12} pages={len(self.rows)}",
            f"  bench  (mean per-page P/R, F1 of means)  P={bp:.4f} R={br:.4f} F1={bf:.4f}",
            f"  pooled (micro over shingles)             P={pp:.4f} R={pr:.4f} F1={pf:.4f}",
            f"  page-F1 (mean of per-page F1)            F1={self.page_f1():.4f}",
        ]
        for key, label in (
            ("title_ok", "title right"),
            ("date_ok", "date right (URL date)"),
            ("date_meta_ok", "date = HTML metadata"),
            ("title_found", "title found"),
            ("date_found", "date found"),
        ):
            hit, n = self.share(key)
            if n:
                out.append(f"  {label:<22} {hit}/{n} = {hit / n:.3f}")
        return "\n".join(out)

    def worst(self, k: int) -> str:
        rows = sorted(self.rows, key=lambda row: row["f1"])[:k]
        return "\n".join(
            f"  {r['id']}  F1={r['f1']:.3f} P={r['p']:.3f} R={r['r']:.3f}" for r in rows
        )


def load(data: Path = DATA) -> list[dict]:
    """The expectation rows (``id``, ``url``, ``body``, ``html_lang``)."""
    with open(data / "expectations.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def url_date(url: str | None) -> str | None:
    """``YYYY-MM-DD`` when the URL carries a date path (an independent reference)."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _trafilatura_alone(html: bytes, url: str | None) -> Extracted:
    import trafilatura

    return Extracted(text=trafilatura.extract(html, url=url) or "")


def run(
    path: str,
    data: Path = DATA,
    rows: list[dict] | None = None,
    html_meta: dict[str, Extracted] | None = None,
) -> Report:
    """Score one path: ``html`` (htmlpage), ``txt`` (textdump), ``txt+site`` (textdump given the
    lines of the other pages of the same host) or ``trafilatura`` (baseline)."""
    rows = rows if rows is not None else load(data)
    report = Report(path)
    fn: Callable[[dict], Extracted]
    if path == "html":

        def fn(row: dict) -> Extracted:
            return htmlpage.extract((data / "pages" / f"{row['id']}.html").read_bytes(), row["url"])
    elif path == "trafilatura":

        def fn(row: dict) -> Extracted:
            return _trafilatura_alone(
                (data / "pages" / f"{row['id']}.html").read_bytes(), row["url"]
            )
    elif path == "txt+site":
        site = _site_lines(data, rows)

        def fn(row: dict) -> Extracted:
            text = (data / "pages" / f"{row['id']}.txt").read_text(encoding="utf-8")
            return textdump.extract(text, site_lines=site.get(row["id"]))
    else:

        def fn(row: dict) -> Extracted:
            return textdump.extract(
                (data / "pages" / f"{row['id']}.txt").read_text(encoding="utf-8")
            )

    for row in rows:
        ex = fn(row)
        ref_date = url_date(row.get("url"))
        extra: dict[str, object] = {
            "title_found": bool(ex.title) if path != "trafilatura" else None,
            "date_found": bool(ex.published) if path != "trafilatura" else None,
            "date_ok": same_day(ex.published, ref_date)
            if ref_date and path != "trafilatura"
            else None,
        }
        if html_meta is not None and row["id"] in html_meta:
            ref = html_meta[row["id"]]
            extra["title_ok"] = titles_match(ex.title, ref.title) if ref.title else None
            extra["date_meta_ok"] = same_day(ex.published, ref.published) if ref.published else None
        report.add(row["id"], ex.text, row["body"], **extra)
    return report


def _site_lines(data: Path, rows: list[dict]) -> dict[str, set[str]]:
    """Per page: the lines of the *other* pages from the same host (the ``site_lines`` hook)."""
    by_host: dict[str, list[str]] = {}
    for row in rows:
        by_host.setdefault(urlsplit(row.get("url") or "").netloc.lower(), []).append(row["id"])
    lines = {
        row["id"]: textdump.page_lines(
            (data / "pages" / f"{row['id']}.txt").read_text(encoding="utf-8")
        )
        for row in rows
    }
    out: dict[str, set[str]] = {}
    for ids in by_host.values():
        for pid in ids:
            out[pid] = set().union(*(lines[o] for o in ids if o != pid))
    return out


def html_metadata(data: Path = DATA, rows: list[dict] | None = None) -> dict[str, Extracted]:
    """The HTML path's metadata per page: the reference for titles/dates of the txt path."""
    rows = rows if rows is not None else load(data)
    return {
        row["id"]: htmlpage.extract((data / "pages" / f"{row['id']}.html").read_bytes(), row["url"])
        for row in rows
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--path", choices=["html", "txt", "both"], default="both")
    ap.add_argument(
        "--site-lines",
        action="store_true",
        help="also score the txt path given lines of other pages of the same site",
    )
    ap.add_argument("--worst", type=int, default=10, help="list the N worst pages")
    ap.add_argument("--baseline", action="store_true", help="also score trafilatura.extract alone")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    if not (args.data / "expectations.jsonl").exists():
        raise SystemExit(f"{args.data} is absent: evaluation data lives in ../shared")
    rows = load(args.data)
    paths = ["html", "txt"] if args.path == "both" else [args.path]
    meta = html_metadata(args.data, rows) if "txt" in paths else None
    if args.baseline:
        print(run("trafilatura", args.data, rows).summary())
    if args.site_lines and "txt" in paths:
        paths.append("txt+site")
    for p in paths:
        rep = run(p, args.data, rows, html_meta=meta if p.startswith("txt") else None)
        print(rep.summary())
        if args.worst:
            print(f"  worst {args.worst}:")
            print(rep.worst(args.worst))


if __name__ == "__main__":
    main()
