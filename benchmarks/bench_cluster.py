"""The Dask path: the client reads and ships the text, or the workers read their partitions.

On a LocalCluster of 2 single-threaded worker processes (started here), for each mode, a fresh
client process (its peak RSS is the client's memory, without the scheduler or workers) runs:
analysis to Parquet, load into a new database, then a re-ingest of the unchanged corpus (workers
mode: skipping known articles on the workers, and leaving it to the load step). Also times the
newline count that numbers lines of JSONL ranges.

    .venv/bin/python benchmarks/bench_cluster.py                 # quick: 10,000 articles (make bench)
    .venv/bin/python benchmarks/bench_cluster.py --sizes 100000 --modes workers ship workers ship
    .venv/bin/python benchmarks/bench_cluster.py --sizes 1000000 --analyse-only --modes workers ship

Corpus: ``make_corpus.py`` (replicated ``../shared/bench/reuters21578.jsonl``); skips with a
message when ``../shared`` is absent. Work files go to ``benchmarks/out/cluster/`` and are removed;
the figures to ``benchmarks/out/cluster-<sizes>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
WORK = ROOT / "benchmarks" / "out" / "cluster"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def client_run(mode: str, scheduler: str, corpus: Path, work: Path, analyse_only: bool) -> dict:
    """One mode, in this (fresh) process: seconds per step, the client's CPU seconds while the
    cluster analyses (what bounds the throughput whatever the number of workers), peak RSS."""
    from distributed import Client

    from pressmap.distributed import analyze_to_parquet, load_parquet
    from pressmap.store import Store

    ship = mode == "ship"
    out: dict = {"mode": mode, "articles": 0}
    with Client(scheduler) as client:
        out["rss_start_mb"] = round(rss_mb(), 1)
        with Store(work / "db.sqlite") as store:
            t, cpu = time.perf_counter(), cpu_s()
            s = analyze_to_parquet([corpus], work / "pq", scheduler=client, ship_text=ship,
                                   store=store)
            out["analyse_s"] = round(time.perf_counter() - t, 2)
            out["analyse_client_cpu_s"] = round(cpu_s() - cpu, 2)
            out["articles"] = s.new
            out["rss_after_analyse_mb"] = round(rss_mb(), 1)
            if not analyse_only:
                t = time.perf_counter()
                load_parquet(work / "pq", store)
                out["load_s"] = round(time.perf_counter() - t, 2)
                for name, kw in (("reingest_s", {}), ("reingest_load_filter_s", {"skip_known": False})):
                    if ship and kw:
                        continue
                    pq = work / f"pq-{name}"
                    t = time.perf_counter()
                    r = analyze_to_parquet([corpus], pq, scheduler=client, ship_text=ship,
                                           store=store, **kw)
                    loaded = load_parquet(pq, store)
                    out[name] = round(time.perf_counter() - t, 2)
                    assert loaded.new == loaded.updated == 0 and r.read == s.read
    out["client_peak_rss_mb"] = round(rss_mb(), 1)
    return out


def count_seconds(corpus: Path) -> float:
    from pressmap.partitions import count_newlines

    t = time.perf_counter()
    count_newlines(str(corpus), 0, corpus.stat().st_size)
    return round(time.perf_counter() - t, 3)


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo")
                if ln.startswith("model name")), platform.processor())
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import distributed

    return (f"nproc {os.cpu_count()}, {cpu}, RAM {mem:.1f} GiB, Python {platform.python_version()},"
            f" dask.distributed {distributed.__version__}, load average"
            f" {' '.join(f'{x:.1f}' for x in os.getloadavg())} at start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000])
    ap.add_argument("--modes", nargs="+", default=["ship", "workers"])
    ap.add_argument("--analyse-only", action="store_true")
    ap.add_argument("--client", help=argparse.SUPPRESS)  # internal: run one mode
    ap.add_argument("--scheduler", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        print(json.dumps(client_run(args.client, args.scheduler, args.corpus, args.work,
                                    args.analyse_only)))
        return
    import make_corpus

    if not make_corpus.have_source():
        return
    from distributed import LocalCluster

    print("machine:", machine())
    print("command:", " ".join([".venv/bin/python", "benchmarks/bench_cluster.py", *sys.argv[1:]]))
    results = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        for n in args.sizes:
            corpus = make_corpus.make(n)
            print(f"{corpus.name}: {corpus.stat().st_size / 2**20:.0f} MB,"
                  f" newline count {count_seconds(corpus)} s")
            for mode in args.modes:
                work = WORK / f"{mode}-{n}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                cmd = [sys.executable, __file__, "--client", mode, "--scheduler",
                       cluster.scheduler_address, "--corpus", str(corpus), "--work", str(work)]
                cmd += ["--analyse-only"] if args.analyse_only else []
                r = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                              text=True).stdout.splitlines()[-1])
                r["n"] = n
                results.append(r)
                print(json.dumps(r))
                shutil.rmtree(work, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    name = "-".join(map(str, args.sizes)) + ("-analyse" if args.analyse_only else "")
    (WORK.parent / f"cluster-{name}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
