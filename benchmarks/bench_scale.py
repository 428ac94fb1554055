"""How pressmap's cost grows with the corpus: analysis and ingest throughput, dashboard query
latency, peak memory and database size, at 10k, 100k and 1M articles.

The corpora are ../shared/bench/reuters21578.jsonl (18,398 stories) replicated to N articles by
``benchmarks/make_corpus.py`` (distinct ids, synthetic dates and sources; see there), written to
``benchmarks/out/`` (gitignored) with the databases. Figures are printed and saved as
``benchmarks/out/scale-N.json``; ``--plot`` draws ``benchmarks/scale.png`` from them.

    python benchmarks/bench_scale.py                                # = --analyse --sizes 10000
    python benchmarks/bench_scale.py --sizes 10000 100000          # ingest + queries per size
    python benchmarks/bench_scale.py --sizes 1000000 --keep-db      # the long one
    python benchmarks/bench_scale.py --analyse                      # analysis alone, 1 and all cores
    python benchmarks/bench_scale.py --queries-only DB              # query latency of a database
    python benchmarks/bench_scale.py --requery 10000 100000          # queries again, kept DBs
    python benchmarks/bench_scale.py --plot

Not a test: nothing is asserted. Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
REPEAT = 15


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = int(next(ln for ln in open("/proc/meminfo") if ln.startswith("MemTotal")).split()[1])
        ram_s = f"{ram / 1024 / 1024:.1f} GiB"
    except OSError:
        ram_s = "?"
    return (f"nproc {os.cpu_count()}, CPU {cpu}, RAM {ram_s}, Python {platform.python_version()},"
            f" SQLite {__import__('sqlite3').sqlite_version}, load average"
            f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


# -- analysis ---------------------------------------------------------------------------------
def analyse(limit: int | None = None) -> dict:
    """Articles/s and MB/s of analysis alone (no database): one core, then every core."""
    from concurrent.futures import ProcessPoolExecutor

    from pressmap.analysis import analyze_article
    from pressmap.detect import default_detector
    from pressmap.ingest import analyze_chunk, default_jobs
    from pressmap.readers import iter_articles

    out = {}
    for name, paths in (("reuters", [make_corpus.SOURCE]), ("sample", [ROOT / "articles"])):
        arts = [a for a in iter_articles([str(p) for p in paths]) if hasattr(a, "text")]
        arts = arts[:limit] if limit else arts
        mb = sum(len(a.text.encode()) for a in arts) / 1e6
        det = default_detector()
        analyze_article(arts[0], det)  # tables compiled once, outside the timing
        reps = max(1, 200 // len(arts))
        t = time.perf_counter()
        for _ in range(reps):
            for a in arts:
                analyze_article(a, det)
        one = (time.perf_counter() - t) / reps
        row = {"articles": len(arts), "MB": round(mb, 3),
               "one_core_articles_s": round(len(arts) / one), "one_core_MB_s": round(mb / one, 2)}
        if len(arts) >= 1000:
            jobs = default_jobs()
            chunks = [[(a, "")] for a in arts]
            chunks = [[(a, "") for a in arts[i:i + 64]] for i in range(0, len(arts), 64)]
            with ProcessPoolExecutor(jobs) as pool:
                list(pool.map(analyze_chunk, chunks[:jobs]))  # workers started and warm
                t = time.perf_counter()
                list(pool.map(analyze_chunk, chunks))
                dt = time.perf_counter() - t
            row.update({"jobs": jobs, "all_cores_articles_s": round(len(arts) / dt),
                        "all_cores_MB_s": round(mb / dt, 2)})
        out[name] = row
        print(f"analyse {name}: {row}", flush=True)
    out["writer"] = writer()
    print(f"writer alone: {out['writer']}", flush=True)
    return out


def writer(n: int = 18000) -> dict:
    """Articles/s of the single writer alone (results analysed beforehand, stored by
    ``Store.put_rows`` in transactions of 500, as ingest does), into a fresh file."""
    import tempfile

    from pressmap.ingest import BATCH, analyze_chunk
    from pressmap.readers import iter_articles
    from pressmap.store import Store, content_hash

    arts = [a for a in iter_articles([str(make_corpus.SOURCE)]) if hasattr(a, "text")][:n]
    rows = analyze_chunk([(a, "") for a in arts])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as d:
        s = Store(Path(d) / "w.db")
        t = time.perf_counter()
        for i in range(0, len(arts), BATCH):
            with s.conn:
                s.conn.execute("BEGIN IMMEDIATE")
                for a, r in zip(arts[i:i + BATCH], rows[i:i + BATCH], strict=True):
                    s.put_rows(a, r, hash_=content_hash(a))
        s.index_text()  # the text index, in bulk, as ingest does
        dt = time.perf_counter() - t
        s.close()
    return {"articles": len(arts), "articles_s": round(len(arts) / dt)}


# -- ingest -----------------------------------------------------------------------------------
def ingest(jsonl: Path, db: Path, jobs: int | None) -> dict:
    """``pressmap ingest`` in a subprocess; peak RSS summed over it and its workers."""
    import psutil

    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pressmap.cli", "ingest", str(jsonl), "--db", str(db), "--quiet",
           "--json"] + (["--jobs", str(jobs)] if jobs else [])
    print("$", " ".join(cmd), flush=True)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    ps = psutil.Process(proc.pid)
    peak = peak_writer = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            rss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    ct = p.cpu_times()
                    cpu[p.pid] = ct.user + ct.system
                except psutil.NoSuchProcess:
                    pass
            peak = max(peak, rss)
            peak_writer = max(peak_writer, ps.memory_info().rss)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.25)
    wall = time.perf_counter() - t
    summary = json.loads(proc.stdout.read().splitlines()[-1])
    mb = jsonl.stat().st_size / 1e6
    return {"wall_s": round(wall, 1), "articles_s": round(summary["new"] / wall),
            "input_MB_s": round(mb / wall, 2), "peak_rss_MB_all_processes": round(peak / 1e6),
            "peak_rss_MB_writer": round(peak_writer / 1e6), "cpu_s": round(sum(cpu.values()), 1),
            "summary": {k: summary[k] for k in ("read", "new", "unchanged", "failed")},
            "command": " ".join(cmd)}


# -- queries ----------------------------------------------------------------------------------
def query_plan(conn) -> list[tuple[str, object]]:
    """(name, callable) for every query the dashboard makes, with realistic parameters."""
    from dataclasses import replace

    from pressmap import queries as q

    F = q.Filters
    top = q.country_counts(conn)
    iso = top[0]["iso3"] if top else "USA"
    mid = top[min(20, len(top) - 1)]["iso3"] if top else "FRA"
    srcs = q.sources(conn)[:3]
    year = F(date_from="2021-01-01", date_to="2021-12-31")
    month = F(date_from="2022-03-01", date_to="2022-03-31")
    plan = [
        ("map: whole corpus", lambda: q.country_counts(conn)),
        ("map: one year", lambda: q.country_counts(conn, year)),
        ("map: one month", lambda: q.country_counts(conn, month)),
        ("map: 3 sources", lambda: q.country_counts(conn, F(sources=tuple(srcs)))),
        ("map: language en", lambda: q.country_counts(conn, F(languages=("en",)))),
        ("map: kinds name+demonym", lambda: q.country_counts(conn, F(kinds=("name", "demonym")))),
        ("map: min 2 mentions", lambda: q.country_counts(conn, F(min_mentions=2))),
        ("map: search 'coffee'", lambda: q.country_counts(conn, F(search="coffee"))),
        ("map: search 'said' (most articles)", lambda: q.country_counts(conn, F(search="said"))),
        ("map: search 'the company' (a fifth)",
         lambda: q.country_counts(conn, F(search="the company"))),
        ("map: year+sources+kinds+min2", lambda: q.country_counts(conn, F(
            date_from="2021-01-01", date_to="2021-12-31", sources=tuple(srcs),
            kinds=("name", "capital"), min_mentions=2))),
        ("matching articles: one year", lambda: q.matching_articles(conn, year)),
        ("matching articles: search", lambda: q.matching_articles(conn, F(search="coffee"))),
        ("matching articles: search 'said'", lambda: q.matching_articles(conn, F(search="said"))),
        ("snippets: top country, page 1", lambda: q.snippets(conn, iso, limit=20)),
        ("snippets: top country, page 50", lambda: q.snippets(conn, iso, limit=20, offset=980)),
        ("snippets: 21st country, one month", lambda: q.snippets(conn, mid, month, limit=20)),
        ("snippets: top country, search", lambda: q.snippets(conn, iso, F(search="coffee"), limit=20)),
        ("snippets: top country, search 'said'",
         lambda: q.snippets(conn, iso, F(search="said"), limit=20)),
        ("stats", lambda: q.stats(conn)),
        ("sources", lambda: q.sources(conn)),
    ]
    if hasattr(q, "time_series"):
        plan.append(("time series: top country, by month", lambda: q.time_series(conn, iso, F(), "month")))
        plan.append(("time series: 21st country, one year by day", lambda: q.time_series(conn, mid, year, "day")))
    if hasattr(q, "co_mentions"):
        plan.append(("co-mentions of the top country", lambda: q.co_mentions(conn, F(), iso)))
        plan.append(("co-mention pairs, one month", lambda: q.co_mentions(conn, month)))
        plan.append(("co-mention pairs, whole corpus", lambda: q.co_mentions(conn, F())))
    if "main_only" in getattr(F, "__dataclass_fields__", {}):
        plan.append(("map: main country only, one month",
                     lambda: q.country_counts(conn, F(main_only=True, date_from="2022-03-01",
                                                      date_to="2022-03-31"))))
        plan.append(("map: main country only, whole corpus",
                     lambda: q.country_counts(conn, F(main_only=True))))
        plan.append(("map: main country only, kinds name+demonym",
                     lambda: q.country_counts(conn, F(main_only=True, kinds=("name", "demonym")))))
    # the other views with a search for a string in most articles (the complement plan)
    said = F(search="said")
    plan.append(("matching articles: search 'said', one year",
                 lambda: q.matching_articles(conn, replace(year, search="said"))))
    if hasattr(q, "time_series"):
        plan.append(("time series: top country, search 'said'",
                     lambda: q.time_series(conn, iso, said, "month")))
    if hasattr(q, "co_mentions"):
        plan.append(("co-mentions of the top country, search 'said'",
                     lambda: q.co_mentions(conn, said, iso)))
        plan.append(("co-mention pairs, search 'said'", lambda: q.co_mentions(conn, said)))
    if hasattr(q, "articles_table"):
        plan.append(("articles table, search 'said'", lambda: q.articles_table(conn, said)))
        plan.append(("articles table, whole corpus", lambda: q.articles_table(conn)))
    if "main_only" in getattr(F, "__dataclass_fields__", {}):
        plan.append(("map: main country only, search 'said'",
                     lambda: q.country_counts(conn, F(main_only=True, search="said"))))
        plan.append(("map: main country only, kinds name+demonym, search 'said'",
                     lambda: q.country_counts(conn, F(main_only=True, kinds=("name", "demonym"),
                                                      search="said"))))
    return plan


def serve(db: Path, repeat: int = REPEAT) -> dict:
    """Run in its own process (what the dashboard process does): latency per query, peak RSS."""
    from pressmap.store import connect

    conn = connect(db, readonly=True)
    out = {}
    for name, fn in query_plan(conn):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
            if times[-1] > 20_000:  # a query this slow is measured a couple of times only
                break
        times.sort()
        out[name] = {"median_ms": round(statistics.median(times), 2),
                     "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2),
                     "runs": len(times)}
        print(f"  {name:40s} median {out[name]['median_ms']:9.2f} ms   p95 "
              f"{out[name]['p95_ms']:9.2f} ms", flush=True)
    out["_peak_rss_MB"] = peak_rss_mb()
    return out


def peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM: unlike ru_maxrss it is not inherited across exec from
    the parent that started it)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def queries(db: Path) -> dict:
    cmd = [sys.executable, __file__, "--serve", str(db)]
    print("$", " ".join(cmd), flush=True)
    res = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True, cwd=ROOT)
    lines = res.stdout.splitlines()
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def db_size(db: Path) -> dict:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    m = conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    per_table = {}
    try:
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            per_table[name] = size
    except sqlite3.OperationalError:
        pass
    conn.close()
    size = db.stat().st_size
    return {"articles": n, "mentions": m, "bytes": size, "bytes_per_article": round(size / n),
            "by_object_MB": {k: round(v / 1e6, 1) for k, v in
                             sorted(per_table.items(), key=lambda kv: -kv[1])[:12]}}


def run_size(n: int, jobs: int | None, keep: bool) -> dict:
    jsonl = make_corpus.make(n, OUT)
    db = OUT / f"scale-{n}.db"
    res = {"n": n, "machine": machine(), "corpus": f"{jsonl.name}: Reuters-21578 replicated to {n}"}
    res["ingest"] = ingest(jsonl, db, jobs)
    print(f"ingest {n}: {res['ingest']}", flush=True)
    # re-ingest: every article unchanged (hash check only)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pressmap.cli", "ingest", str(jsonl), "--db", str(db),
                    "--quiet"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    res["reingest_unchanged_articles_s"] = round(n / (time.perf_counter() - t))
    res["db"] = db_size(db)
    print(f"db {n}: {res['db']}", flush=True)
    res["queries"] = queries(db)
    (OUT / f"scale-{n}.json").write_text(json.dumps(res, indent=1))
    if not keep:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
    return res


def plot() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted((json.loads(p.read_text()) for p in OUT.glob("scale-*.json")),
                  key=lambda r: r["n"])
    if not runs:
        print("nothing to plot: run the sizes first")
        return
    ns = [r["n"] for r in runs]
    # Query latency across the top (its legend to the right: one line per query), the rest below.
    fig = plt.figure(figsize=(15, 11))
    grid = fig.add_gridspec(2, 3, height_ratios=[1.3, 1])
    a = fig.add_subplot(grid[0, :])
    names = [k for k in runs[-1]["queries"] if not k.startswith("_")]
    markers = "os^vD<>p*"
    for i, k in enumerate(names):
        ys = [r["queries"].get(k, {}).get("median_ms") for r in runs]
        a.plot(ns, ys, markers[i % len(markers)] + "-", label=k, lw=1)
    a.axhline(100, color="grey", ls=":", label="100 ms")
    a.axhline(500, color="grey", ls="--", label="500 ms")
    a.set(xscale="log", yscale="log", title="dashboard query latency, median (ms)",
          xlabel="articles")
    a.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    a = fig.add_subplot(grid[1, 0])
    a.plot(ns, [r["ingest"]["articles_s"] for r in runs], "o-", label="ingest (2 cores)")
    a.plot(ns, [r["reingest_unchanged_articles_s"] for r in runs], "s--",
           label="re-ingest, all unchanged")
    a.set(xscale="log", yscale="log", title="ingest throughput (articles/s)", xlabel="articles")
    a.legend(fontsize=8)
    a = fig.add_subplot(grid[1, 1])
    a.plot(ns, [r["db"]["bytes_per_article"] for r in runs], "o-")
    a.set(xscale="log", title="database bytes per article", xlabel="articles", ylim=(0, None))
    a = fig.add_subplot(grid[1, 2])
    a.plot(ns, [r["ingest"]["peak_rss_MB_all_processes"] for r in runs], "o-",
           label="ingest, writer + workers")
    a.plot(ns, [r["ingest"]["peak_rss_MB_writer"] for r in runs], "^-", label="ingest, writer")
    a.plot(ns, [r["queries"]["_peak_rss_MB"] for r in runs], "s-",
           label="process serving the queries")
    a.set(xscale="log", title="peak memory (MB)", xlabel="articles", ylim=(0, None))
    a.legend(fontsize=8)
    fig.suptitle("pressmap at scale: Reuters-21578 replicated; " + runs[-1]["machine"][:110],
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(ROOT / "benchmarks" / "scale.png", dpi=110, bbox_inches="tight")
    print(ROOT / "benchmarks" / "scale.png")


def table() -> None:
    """The figures of every size as Markdown tables (for benchmarks/README.md)."""
    runs = sorted((json.loads(p.read_text()) for p in OUT.glob("scale-*.json")),
                  key=lambda r: r["n"])
    if not runs:
        return
    head = "| | " + " | ".join(f"{r['n']:,} articles" for r in runs) + " |"
    sep = "| --- |" + " --- |" * len(runs)
    print(head)
    print(sep)
    rows = [
        ("ingest, articles/s (wall)", lambda r: f"{r['ingest']['articles_s']:,}"),
        ("ingest, input MB/s", lambda r: f"{r['ingest']['input_MB_s']}"),
        ("ingest, CPU s per 1,000 articles (all processes)",
         lambda r: f"{1000 * r['ingest']['cpu_s'] / r['n']:.2f}"),
        ("re-ingest, all unchanged, articles/s", lambda r: f"{r['reingest_unchanged_articles_s']:,}"),
        ("ingest peak RSS, writer + workers (MB)",
         lambda r: f"{r['ingest']['peak_rss_MB_all_processes']}"),
        ("ingest peak RSS, writer (MB)", lambda r: f"{r['ingest']['peak_rss_MB_writer']}"),
        ("query process peak RSS (MB)", lambda r: f"{r['queries']['_peak_rss_MB']}"),
        ("database size (MB)", lambda r: f"{r['db']['bytes'] / 1e6:,.0f}"),
        ("database bytes per article", lambda r: f"{r['db']['bytes_per_article']:,}"),
        ("mentions stored", lambda r: f"{r['db']['mentions']:,}"),
    ]
    for name, fn in rows:
        print(f"| {name} | " + " | ".join(fn(r) for r in runs) + " |")
    print()
    print("Query latency, median / 95th percentile, ms (15 runs each, warm page cache):")
    print()
    print(head)
    print(sep)
    names = [k for k in runs[-1]["queries"] if not k.startswith("_")]
    for k in names:
        cells = []
        for r in runs:
            q = r["queries"].get(k)
            cells.append(f"{q['median_ms']:.1f} / {q['p95_ms']:.1f}" if q else "-")
        print(f"| {k} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[])
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--keep-db", action="store_true")
    ap.add_argument("--analyse", action="store_true")
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--queries-only", type=Path)
    ap.add_argument("--plot", action="store_true")
    ap.add_argument("--table", action="store_true", help="print the figures as Markdown")
    ap.add_argument("--requery", type=int, nargs="*", default=[],
                    help="measure the queries again on the kept databases of these sizes")
    args = ap.parse_args()
    if args.table:
        table()
        return
    if not (args.sizes or args.analyse or args.serve or args.queries_only or args.plot
            or args.requery):  # `make bench`: the quick part
        args.analyse, args.sizes = True, [10000]
    if args.serve:
        res = serve(args.serve)
        print(json.dumps(res))
        return
    print(machine())
    print("$", " ".join([Path(sys.executable).name, *sys.argv]), flush=True)
    if args.queries_only:
        print(json.dumps(queries(args.queries_only), indent=1))
        return
    if (args.sizes or args.analyse) and not make_corpus.have_source():
        return
    if args.analyse:
        res = analyse()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "analyse.json").write_text(json.dumps({"machine": machine(), **res}, indent=1))
    for n in args.sizes:
        run_size(n, args.jobs, args.keep_db)
    for n in args.requery:
        path = OUT / f"scale-{n}.json"
        res = json.loads(path.read_text())
        res["db"] = db_size(OUT / f"scale-{n}.db")
        res["queries"] = queries(OUT / f"scale-{n}.db")
        res["queries_machine"] = machine()
        path.write_text(json.dumps(res, indent=1))
    if args.plot:
        plot()


if __name__ == "__main__":
    main()
