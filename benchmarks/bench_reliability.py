"""The whole attack set, run on this machine, with the figures printed (issue 7).

1. hostile inputs one by one, each through ``pressmap ingest`` in its own process: every input of
   ``tests/test_hostile_inputs.make_hostile`` (bombs, binaries, traversal, loops, 30 MB files ...),
   hostile file names (newline, escape sequence, right-to-left override) and hostile database
   paths (a folder, random bytes, truncated / damaged files, another program's SQLite file, a
   newer schema, a missing folder): did each give one clear line naming it, and no traceback?
   Peak memory (max RSS) and time of each process.
2. all of them mixed with good files in one batch: the same, plus the database checked.
3. N times: SIGKILL an ingest (and its workers) at a random moment, check the database, run the
   ingest again to the end: articles stored at each kill, then duplicates and missing articles
   (must be 0 and 0), and ``Store.check()`` (integrity and every summary table).
4. two ingests of overlapping corpora at once into one file.

    .venv/bin/python benchmarks/bench_reliability.py                 # 10 kills of 3000 articles
    .venv/bin/python benchmarks/bench_reliability.py --kills 25 --articles 6000 --json out.json

Not a test: nothing is asserted; figures are printed (and written as JSON with ``--json``).
Needs no data from ../shared: every input is generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pressmap.store import Store, connect  # noqa: E402
from tests.test_concurrency import corpus, kill_group  # noqa: E402
from tests.test_hostile_inputs import HOSTILE_NAMES, good_files, make_hostile  # noqa: E402

MB = 1024 * 1024
# The CLI, reporting its peak resident memory on exit. VmHWM belongs to the process image and
# starts afresh at exec (getrusage's ru_maxrss would include the forking parent's pages).
_PEAK = """
import atexit, sys
def _peak():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("@@peak_kb " + line.split()[1] + "\\n")
    except OSError:
        pass
atexit.register(_peak)
sys.argv[0] = "pressmap"
from pressmap.cli import main
main()
"""
CLI = [sys.executable, "-c", _PEAK]
EVIL_NAMES = {"two\nlines.txt": "two\\nlines.txt", "esc\x1b[2Jclear.txt": "esc\\x1b[2Jclear.txt",
              "rtl\u202etxt.exe.txt": "rtl\\u202etxt.exe.txt"}


def machine() -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "ram_gb": round(mem / 1024**3, 1), "cpu": cpu,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


def run_cli(args: list[str], cwd: Path, timeout: float = 600) -> dict:
    """Run the CLI; return exit code, stdout, stderr, wall time and the process's peak RSS."""
    env = {k: v for k, v in os.environ.items() if k != "PRESSMAP_DB"}
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    start = time.monotonic()
    p = subprocess.Popen([*CLI, *args], cwd=cwd, env=env, stdout=out, stderr=err)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    elapsed = time.monotonic() - start
    out.seek(0)
    err.seek(0)
    stderr, peak = [], 0.0
    for line in err.read().decode("utf-8", "replace").splitlines(keepends=True):
        if line.startswith("@@peak_kb "):
            peak = int(line.split()[1]) / 1024
        else:
            stderr.append(line)
    return {"rc": p.returncode, "stdout": out.read().decode("utf-8", "replace"),
            "stderr": "".join(stderr), "seconds": elapsed, "max_rss_mb": peak}


def clear_line(r: dict, shown: str, prefix: str = "failed ") -> bool:
    """Exactly one line on stderr naming ``shown`` (with a reason), and no traceback."""
    lines = [ln for ln in r["stderr"].splitlines() if ln.startswith(f"{prefix}{shown}: ")]
    return (len(lines) == 1 and len(lines[0]) > len(prefix) + len(shown) + 2
            and "Traceback" not in r["stderr"])


def db_check(db: Path) -> dict:
    with Store(db) as s:
        problems = s.check()
        ids = [r[0] for r in s.conn.execute("SELECT id FROM articles")]
        bad_sums = s.conn.execute(
            "SELECT COUNT(*) FROM articles a WHERE (SELECT COUNT(*) FROM mentions m WHERE"
            " m.article = a.rid) != (SELECT COALESCE(SUM(n), 0) FROM article_country c"
            " WHERE c.article = a.rid)").fetchone()[0]
    return {"articles": len(ids), "duplicates": len(ids) - len(set(ids)), "ids": set(ids),
            "problems": problems, "mention_sums_differ": bad_sums}


# ---------------------------------------------------------------- 1 and 2: hostile inputs

def hostile_inputs(work: Path) -> dict:
    h = work / "h"
    t0 = time.monotonic()
    make_hostile(h)
    made = time.monotonic() - t0
    good = good_files(work / "good")
    evil = work / "evil"
    evil.mkdir()
    for name in EVIL_NAMES:
        (evil / name).write_bytes(b"")
    trials = []
    # for comparison: the same command on one good file
    clean = run_cli(["ingest", "good/good.txt", "--db", str(work / "base.db"), "--quiet"], work)

    # files, one by one
    for name in HOSTILE_NAMES:
        base = name.split("!")[0].split("#")[0]
        source = "missing.txt" if name == "missing.txt" else f"h/{base.split('/')[0]}"
        shown = "missing.txt" if name == "missing.txt" else f"h/{name}"
        db = work / "one.db"
        r = run_cli(["ingest", source, "--db", str(db), "--quiet"], work)
        trials.append({"input": name, "clear": clear_line(r, shown), "rc": r["rc"],
                       "seconds": r["seconds"], "max_rss_mb": r["max_rss_mb"],
                       "line": next((ln for ln in r["stderr"].splitlines() if shown in ln), "")})
    for name, shown in EVIL_NAMES.items():
        r = run_cli(["ingest", f"evil/{name}", "--db", str(work / "one.db"), "--quiet"], work)
        trials.append({"input": f"file name {shown}", "clear": clear_line(r, f"evil/{shown}"),
                       "rc": r["rc"], "seconds": r["seconds"], "max_rss_mb": r["max_rss_mb"],
                       "line": r["stderr"].strip()})

    # hostile database paths
    (work / "in.jsonl").write_text('{"id": "n1", "text": "Talks in Nairobi, Kenya."}\n')
    (work / "adir").mkdir()
    (work / "random.db").write_bytes(random.Random(1).randbytes(64 * 1024))
    good_db = work / "gooddb.db"
    rows = "".join(json.dumps({"id": f"g{i}", "text": f"Talks in Baku and Paris, item {i}."}) + "\n"
                   for i in range(400))
    (work / "many.jsonl").write_text(rows)
    run_cli(["ingest", "many.jsonl", "--db", str(good_db), "--jobs", "1"], work)
    data = good_db.read_bytes()
    (work / "truncated.db").write_bytes(data[: len(data) // 2])
    damaged = bytearray(data)
    damaged[3 * 4096: 7 * 4096] = random.Random(2).randbytes(4 * 4096)
    (work / "damaged.db").write_bytes(bytes(damaged))
    conn = sqlite3.connect(work / "foreign.db")
    conn.execute("CREATE TABLE articles (x)")
    conn.execute("INSERT INTO articles VALUES ('keep me')")
    conn.commit()
    conn.close()
    newer = work / "newer.db"
    run_cli(["ingest", "in.jsonl", "--db", str(newer)], work)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    (work / "afile").write_text("x")
    for db in ["adir", "random.db", "truncated.db", "damaged.db", "foreign.db", "newer.db",
               "nowhere/p.db", "afile/p.db"]:
        before = (work / db).read_bytes() if (work / db).is_file() else None
        r = run_cli(["ingest", "in.jsonl", "--db", db], work)
        lines = r["stderr"].splitlines()
        err_lines = [ln for ln in lines if db in ln and ("error" in ln.lower())]
        untouched = before is None or (work / db).read_bytes() == before
        if db == "foreign.db":  # another program's file keeps exactly its own table and row
            c = sqlite3.connect(work / db)
            untouched = ([r_[0] for r_ in c.execute("SELECT name FROM sqlite_master")] == ["articles"]
                         and c.execute("SELECT * FROM articles").fetchall() == [("keep me",)])
            c.close()
        trials.append({"input": f"--db {db}", "rc": r["rc"], "seconds": r["seconds"],
                       "max_rss_mb": r["max_rss_mb"], "untouched": untouched,
                       "clear": (r["rc"] != 0 and len(err_lines) == 1 and untouched
                                 and "Traceback" not in r["stderr"]),
                       "line": err_lines[0] if err_lines else r["stderr"].strip()[-200:]})

    # 2: everything mixed with the good files, in one batch, twice
    sources = ["good/good.txt", "h", "h/emptydir", "evil", "missing.txt", "good"]
    db = work / "mixed.db"
    first = run_cli(["ingest", *sources, "--db", str(db), "--json"], work)
    second = run_cli(["ingest", *sources, "--db", str(db), "--json"], work)
    s1 = json.loads(first["stdout"]) if first["rc"] == 0 else {}
    s2 = json.loads(second["stdout"]) if second["rc"] == 0 else {}
    check = db_check(db)
    want = {("missing.txt" if n == "missing.txt" else f"h/{n}") for n in HOSTILE_NAMES}
    want |= {f"evil/{s}" for s in EVIL_NAMES.values()}
    reported = {ln[len("failed "):].split(": ", 1)[0] for ln in first["stderr"].splitlines()
                if ln.startswith("failed ")}
    mixed = {"sources": sources, "good_files": len(good), "rc": first["rc"],
             "seconds": first["seconds"], "max_rss_mb": first["max_rss_mb"],
             "summary": {k: v for k, v in s1.items() if k != "failures"},
             "hostile_reported": len(want & reported), "hostile_total": len(want),
             "traceback": "Traceback" in first["stderr"] + second["stderr"],
             "rerun": {k: v for k, v in s2.items() if k != "failures"},
             "db_problems": check["problems"], "db_mention_sums_differ": check["mention_sums_differ"],
             "db_articles": check["articles"], "db_duplicates": check["duplicates"]}
    return {"made_seconds": made, "trials": trials, "mixed": mixed,
            "baseline": {"seconds": clean["seconds"], "max_rss_mb": clean["max_rss_mb"]}}


# ---------------------------------------------------------------- 3: SIGKILL at random moments

def kills(work: Path, n_kills: int, n_articles: int, jobs: int, seed: int | None) -> dict:
    """``n_kills`` rounds: a fresh database, an ingest SIGKILLed (with its workers) at a random
    moment (even rounds: a random delay within the time a full run takes; odd rounds: once a
    random number of articles is committed, plus up to 0.3 s, so inside a later batch), the
    database checked, then the ingest re-run to the end and checked again (every article once:
    no duplicates, none missing)."""
    src = corpus(work / "kill.jsonl", range(n_articles))
    want = {f"c{i}" for i in range(n_articles)}
    rnd = random.Random(seed)
    ingest = [*CLI, "ingest", str(src), "--jobs", str(jobs), "--quiet", "--json"]
    t = time.monotonic()
    full = subprocess.run([*ingest, "--db", str(work / "timing.db")], capture_output=True, text=True)
    full_seconds = time.monotonic() - t
    events = []
    for i in range(n_kills):
        db = work / f"kill-{i}.db"
        Store(db).close()
        p = subprocess.Popen([*ingest, "--db", str(db)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        t = time.monotonic()
        if i % 2 == 0:  # a random moment of the run (start-up, reading, analysing, writing)
            time.sleep(rnd.uniform(0.0, full_seconds))
        else:  # once a random number of articles is committed, plus up to 0.3 s: mid-batch
            target = rnd.randrange(1, max(2, n_articles - 500))  # a batch (500) still to come
            watch = connect(db, readonly=True)
            while p.poll() is None and \
                    watch.execute("SELECT COUNT(*) FROM articles").fetchone()[0] < target:
                time.sleep(0.01)
            watch.close()
            time.sleep(rnd.uniform(0.0, 0.3))
        delay = time.monotonic() - t
        finished = p.poll() is not None
        kill_group(p)
        killed = db_check(db)
        t = time.monotonic()
        rerun = subprocess.run([*ingest, "--db", str(db)], capture_output=True, text=True)
        rerun_seconds = time.monotonic() - t
        final = db_check(db)
        summary = json.loads(rerun.stdout.splitlines()[-1]) if rerun.returncode == 0 else {}
        events.append({
            "after_s": round(delay, 3), "finished_before_kill": finished,
            "stored_at_kill": killed["articles"],
            "consistent_at_kill": not killed["problems"] and killed["mention_sums_differ"] == 0,
            "problems_at_kill": killed["problems"], "rerun_rc": rerun.returncode,
            "rerun_seconds": round(rerun_seconds, 2),
            "rerun_new": summary.get("new"), "rerun_unchanged": summary.get("unchanged"),
            "rerun_updated": summary.get("updated"),
            "final_articles": final["articles"], "duplicates": final["duplicates"],
            "missing": len(want - final["ids"]), "extra": len(final["ids"] - want),
            "problems_final": final["problems"]})
        (db).unlink()
    return {"articles": n_articles, "jobs": jobs, "full_ingest_seconds": full_seconds,
            "full_ingest_rc": full.returncode, "kills": events}


# ---------------------------------------------------------------- 4: two ingests at once

def two_at_once(work: Path, n: int) -> dict:
    a = corpus(work / "a.jsonl", range(0, n))
    b = corpus(work / "b.jsonl", range(n // 2, n + n // 2))
    db = work / "two.db"
    Store(db).close()
    t = time.monotonic()
    ps = [subprocess.Popen([*CLI, "ingest", str(x), "--db", str(db), "--jobs", "1", "--quiet",
                            "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
          for x in (a, b)]
    outs = [p.communicate(timeout=900) for p in ps]
    c = db_check(db)
    want = {f"c{i}" for i in range(n + n // 2)}
    return {"articles_each": n, "overlap": n // 2, "rcs": [p.returncode for p in ps],
            "seconds": time.monotonic() - t,
            "summaries": [json.loads(o.splitlines()[-1]) if p.returncode == 0 else e.strip()[-300:]
                          for p, (o, e) in zip(ps, outs, strict=True)],
            "final_articles": c["articles"], "duplicates": c["duplicates"],
            "missing": len(want - c["ids"]), "problems": c["problems"]}


# ---------------------------------------------------------------- report

def report(res: dict) -> None:
    m = res["machine"]
    print(f"machine: {m['nproc']} cores, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}, "
          f"SQLite {m['sqlite']}")
    h = res["hostile"]
    trials = h["trials"]
    clear = sum(t["clear"] for t in trials)
    print(f"\n1. hostile inputs one by one (generated in {h['made_seconds']:.1f} s)")
    print(f"   tried {len(trials)}, clear one-line reason {clear}, "
          f"tracebacks {sum('Traceback' in t['line'] for t in trials)}")
    print(f"   peak RSS per process: max {max(t['max_rss_mb'] for t in trials):.0f} MB (one good "
          f"file: {h['baseline']['max_rss_mb']:.0f} MB, {h['baseline']['seconds']:.1f} s); "
          f"time per input: max {max(t['seconds'] for t in trials):.1f} s, "
          f"total {sum(t['seconds'] for t in trials):.1f} s")
    for t in trials:
        flag = "ok " if t["clear"] else "NO "
        print(f"   {flag} rc={t['rc']} {t['seconds']:5.1f}s {t['max_rss_mb']:6.1f}MB  "
              f"{t['input']!s:38.38} {t['line'][:110]!r}")
    x = h["mixed"]
    print("\n2. all mixed with good files in one ingest, then again")
    print(f"   hostile reported {x['hostile_reported']}/{x['hostile_total']}, traceback: "
          f"{x['traceback']}, rc {x['rc']}, {x['seconds']:.1f} s, peak RSS {x['max_rss_mb']:.0f} MB")
    print(f"   first run {x['summary']}")
    print(f"   re-run    {x['rerun']}")
    print(f"   database: {x['db_articles']} articles, {x['db_duplicates']} duplicates, problems "
          f"{x['db_problems'] or 'none'}, articles whose mention sums differ: "
          f"{x['db_mention_sums_differ']}")
    k = res["kills"]
    ev = k["kills"]
    mid = [e for e in ev if not e["finished_before_kill"]]
    print(f"\n3. SIGKILL an ingest of {k['articles']} articles (--jobs {k['jobs']}; a full run takes "
          f"{k['full_ingest_seconds']:.1f} s) at a random moment, then re-run it: {len(ev)} times")
    print(f"   kills that landed before the ingest finished: {len(mid)}")
    print(f"   articles stored at each kill (survived): {[e['stored_at_kill'] for e in ev]}")
    print(f"   consistent right after the kill: {sum(e['consistent_at_kill'] for e in ev)}/{len(ev)}; "
          f"re-runs that exited 0: {sum(e['rerun_rc'] == 0 for e in ev)}/{len(ev)}")
    print(f"   re-runs: updated {sum(e['rerun_updated'] or 0 for e in ev)}, each stored exactly the "
          f"missing ones: {all(e['rerun_new'] == k['articles'] - e['stored_at_kill'] for e in ev)}")
    print(f"   after the re-runs: duplicates {sum(e['duplicates'] for e in ev)}, missing "
          f"{sum(e['missing'] for e in ev)}, extra {sum(e['extra'] for e in ev)}, "
          f"databases with problems {sum(bool(e['problems_final']) for e in ev)}")
    t = res["two"]
    print(f"\n4. two ingests at once ({t['articles_each']} articles each, {t['overlap']} in both)")
    print(f"   exit codes {t['rcs']}, {t['seconds']:.1f} s; final {t['final_articles']} articles, "
          f"duplicates {t['duplicates']}, missing {t['missing']}, problems {t['problems'] or 'none'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--articles", type=int, default=3000, help="corpus size for kills")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of the killed ingests")
    ap.add_argument("--two", type=int, default=1000, help="articles in each of the two ingests")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    t = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pressmap-rel-") as tmp:
        work = Path(tmp)
        for d in ("hostile", "kills", "two"):
            (work / d).mkdir()
        res = {"command": " ".join(["benchmarks/bench_reliability.py", *sys.argv[1:]]),
               "machine": machine(), "hostile": hostile_inputs(work / "hostile"),
               "kills": kills(work / "kills", args.kills, args.articles, args.jobs, args.seed),
               "two": two_at_once(work / "two", args.two)}
    res["total_seconds"] = time.monotonic() - t
    report(res)
    print(f"\ntotal {res['total_seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    main()
