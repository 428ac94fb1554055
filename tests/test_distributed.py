"""The Dask path gives what a single-process ingest gives (same articles, same mentions), both
when workers read their own partitions and when this process ships the text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from tests.test_partitions import write_corpus  # noqa: E402

TEXTS = [
    "Officials in Baku met Israeli envoys on Monday.",
    "France and Germany signed a deal in Paris; the Kremlin objected.",
    "Nothing about any country here.",
    "Talks between Japan and South Korea resumed in Tokyo. Chinese officials watched.",
    "Turkish troops crossed into Syria, Ankara said. Damascus protested to the UN.",
]
EXAMPLE = Path(__file__).resolve().parents[1] / "articles" / "firstpost-abraham-accords-2025-08-02.txt"


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def corpus(tmp_path, n=60):
    p = tmp_path / "in.jsonl"
    with p.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"d{i}", "text": TEXTS[i % len(TEXTS)] + f" Item {i}.",
                                "title": f"T{i}", "source": ["AP", "Reuters"][i % 2],
                                "published": f"2024-01-{1 + i % 28:02d}"}) + "\n")
        f.write("{broken json\n")
    return p


def big_corpus(root: Path) -> Path:
    """Folder of every kind of input: a JSONL to cut into ranges (multibyte text, rows numbered
    by line, bad rows), CSV with quoted newlines, text, HTML, and bad files."""
    d = root / "in"
    (d / "sub").mkdir(parents=True)
    write_corpus(d / "a.jsonl")
    with (d / "b.csv").open("w", newline="") as f:
        f.write("title,text,published\n")
        for i in range(30):
            f.write(f'"T{i}","{TEXTS[i % 5]}\nSecond line, ""quoted"", {i}.",2024-02-{1 + i % 28}\n')
    (d / "c.txt").write_text("Kenya and Uganda signed a trade deal in Nairobi on Friday.")
    (d / "sub" / "d.html").write_text("<html><body><article><h1>Summit</h1><p>"
                                      + "Leaders of Ghana and Nigeria met in Accra. " * 5
                                      + "</p></article></body></html>")
    (d / "sub" / "e.txt").write_bytes(EXAMPLE.read_bytes())
    (d / "sub" / "f.json").write_text('{"articles": [{"text": "Oslo and')  # truncated JSON
    (d / "sub" / "g.txt").write_bytes(b"%PDF-1.4 binary")
    (d / "sub" / "h.jsonl").write_text("")
    (d / "sub" / "i.jsonl").write_text("\n" * 2000)  # cut into ranges, yet an empty file
    (d / "sub" / "j.jsonl").write_text('{"text": "Lima\n' * 150 + json.dumps({"text": TEXTS[1]}))
    return d


def dump(db) -> tuple[list, list, list]:
    c = sqlite3.connect(db)
    arts = c.execute("SELECT id, content_hash, path, title, published, source, url, author,"
                     " language, text, analyzer FROM articles ORDER BY id").fetchall()
    ms = c.execute('SELECT a.id, m.iso3, m.start, m."end", m.surface, m.kind, m.confidence,'
                   " m.sent_start, m.sent_end FROM mentions m JOIN articles a ON a.rid = m.article"
                   " ORDER BY 1, 3, 2").fetchall()
    ac = c.execute("SELECT a.id, x.iso3, x.n, x.kinds, x.published, x.source FROM article_country x"
                   " JOIN articles a ON a.rid = x.article ORDER BY 1, 2").fetchall()
    c.close()
    return arts, ms, ac


def raw_dump(db) -> list:
    """Every row of every table, rowids and ingest times included: what "nothing changed" means."""
    c = sqlite3.connect(db)
    tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite_%' ORDER BY 1")]
    out = [(t, c.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()) for t in tables]
    c.close()
    return out


def same(a, b) -> tuple:
    return (a.read, a.new, a.updated, a.unchanged, sorted(map(str, a.failed))) == (
        b.read, b.new, b.updated, b.unchanged, sorted(map(str, b.failed)))


def test_partitioned_equals_single_process(tmp_path, client, monkeypatch) -> None:
    from distributed import get_task_stream

    from pressmap.distributed import ingest_distributed, parts
    from pressmap.ingest import ingest
    from pressmap.partitions import Split, plan
    from pressmap.readers import Limits
    from pressmap.store import Store

    monkeypatch.chdir(tmp_path)  # relative paths: Article.path as given, ids from resolved paths
    big_corpus(tmp_path)
    # a 600-byte line cap and 3 reported bad rows per file, both checked across ranges
    opts = {"limits": Limits(max_line_bytes=600, max_errors_per_file=3)}
    with Store(tmp_path / "local.db") as s:
        local = ingest(["in", "missing.txt"], s, jobs=1, **opts)
    sp = [p for p in plan(["in"], size=700) if isinstance(p, Split)]
    assert [len(p.ranges) >= 2 for p in sp] == [True] * 3  # a, i, j.jsonl: b.csv is never cut
    starts = {0} | {i + 1 for i, b in enumerate(Path("in/a.jsonl").read_bytes()) if b == 10}
    assert any(r.start not in starts for r in sp[0].ranges)  # ranges start mid-line
    with Store(tmp_path / "dask.db") as s, get_task_stream(client) as ts:
        remote = ingest_distributed(["in", "missing.txt"], s, scheduler=client,
                                    parquet_dir="pq", part_bytes=700, **opts)
        assert s.check() == []
    assert same(remote, local), (remote, local)
    assert {"4 more bad rows not reported", "147 more bad rows not reported", "empty file"} <= {e.reason for e in local.failed}
    for e in local.failed:  # one line, naming the file
        assert "\n" not in e.reason and e.path.startswith(("in/", "missing.txt")), e
    a, b = dump(tmp_path / "local.db"), dump(tmp_path / "dask.db")
    assert len(a[0]) > 40 and len(a[1]) > 80, (len(a[0]), len(a[1]))
    assert a == b
    # several parts, read on both workers
    assert len(parts("pq")) >= 6
    workers = {t["worker"] for t in ts.data if t["key"].startswith("run_partition")}
    assert len(workers) == 2

    # what DuckDB or Spark would read: the Parquet alone holds every stored mention
    import pyarrow.parquet as pq

    arts = pq.read_table(tmp_path / "pq" / "articles").to_pylist()
    assert len(arts) == remote.new + remote.updated  # a2 twice: stored, then replaced
    assert {r["id"] for r in arts} == {r[0] for r in a[0]}
    assert pq.read_table(tmp_path / "pq" / "mentions").num_rows >= len(a[1])

    # re-ingest: as a local re-ingest, except for the ids that repeat in the input with other
    # content (a2 and the url row). A local ingest stores their last copy again (a copy whose
    # id is still in flight is never skipped); the workers skip a copy equal to what the
    # database held when the run began, so the cluster keeps an earlier copy (a known limit).
    with Store(tmp_path / "local.db") as s:
        local2 = ingest(["in", "missing.txt"], s, jobs=1, **opts)
    with Store(tmp_path / "dask.db") as s:
        again = ingest_distributed(["in", "missing.txt"], s, scheduler=client,
                                   parquet_dir="pq2", part_bytes=700, **opts)
    assert (again.read, again.new, sorted(map(str, again.failed))) == (
        local2.read, local2.new, sorted(map(str, local2.failed)))
    assert again.unchanged > again.updated > 0
    assert again.updated + again.unchanged == local2.updated + local2.unchanged
    from collections import Counter

    from pressmap.readers import iter_articles

    ids = Counter(x.id for x in iter_articles(["in"], **opts) if not hasattr(x, "reason"))
    repeated = {i for i, n in ids.items() if n > 1}
    assert len(repeated) == 2

    def without(d):
        return [[row for row in t if row[0] not in repeated] for t in d]

    assert without(dump(tmp_path / "dask.db")) == without(dump(tmp_path / "local.db"))
    assert dump(tmp_path / "local.db") == a  # locally, re-ingesting changed nothing
    # unchanged input: nothing analysed, no Parquet written, nothing in the database changes
    before = raw_dump(tmp_path / "dask.db")
    unchanged = ["in/b.csv", "in/c.txt", "in/sub"]
    with Store(tmp_path / "dask.db") as s:
        again = ingest_distributed(unchanged, s, scheduler=client, parquet_dir="pq3",
                                   part_bytes=700, **opts)
        assert (again.new, again.updated, again.unchanged) == (0, 0, again.read)
        assert again.read > 30 and parts("pq3") == []
        # the same when left to the load step (workers analyse, the loader skips)
        late = ingest_distributed(unchanged, s, scheduler=client, parquet_dir="pq4",
                                  part_bytes=700, skip_known=False, **opts)
        assert (late.new, late.updated, late.unchanged) == (0, 0, again.read)
        assert parts("pq4")
    assert raw_dump(tmp_path / "dask.db") == before


def test_ship_text_equals_single_process(tmp_path, client) -> None:
    from pressmap.distributed import ingest_distributed, load_parquet
    from pressmap.ingest import ingest
    from pressmap.store import Store

    src = corpus(tmp_path)
    with Store(tmp_path / "local.db") as s:
        local = ingest([src], s, jobs=1)
    with Store(tmp_path / "dask.db") as s:
        out = tmp_path / "pq"
        remote = ingest_distributed([src], s, scheduler=client, parquet_dir=out,
                                    partition=7, ship_text=True)
        assert s.check() == []
        # a second run skips everything, on the client, before the cluster
        again = ingest_distributed([src], s, scheduler=client, ship_text=True)
        assert (again.unchanged, again.new) == (60, 0)
    # the work was spread: several partitions, analysed on both workers (each has loaded
    # the detector), none in this process
    assert len(list((out / "articles").glob("part-*.parquet"))) == 9
    loaded = client.run(lambda: __import__("pressmap.detect").detect
                        .default_detector.cache_info().currsize)
    assert list(loaded.values()) == [1, 1]
    assert same(remote, local)
    a, b = dump(tmp_path / "local.db"), dump(tmp_path / "dask.db")
    assert len(a[1]) > 60  # the corpus does name countries
    assert a == b
    # the Parquet is plain: another store loads it to the same content
    with Store(tmp_path / "again.db") as s:
        load_parquet(out, s)
    assert dump(tmp_path / "again.db") == a

    import pyarrow.parquet as pq

    m = pq.read_table(out / "mentions").to_pylist()
    assert {r["article_id"] for r in m} <= {r[0] for r in a[0]}
    assert len(m) == len(a[1])


def test_cli(tmp_path, client, monkeypatch) -> None:
    import dask
    from click.testing import CliRunner

    from pressmap.cli import main

    monkeypatch.chdir(tmp_path)
    big_corpus(tmp_path)
    addr = client.scheduler.address
    run = CliRunner().invoke
    local = run(main, ["ingest", "in", "--db", "local.db", "--json"])
    res = run(main, ["ingest", "in", "--db", "cli.db", "--scheduler", addr, "--json"])
    assert res.exit_code == local.exit_code == 0, res.output
    assert json.loads(res.output.splitlines()[-1]) == json.loads(local.output.splitlines()[-1])
    assert not list(tmp_path.glob("pressmap-parquet-*"))  # its temporary Parquet is gone
    assert dump("cli.db") == dump("local.db")
    for db, args in (("pq.db", ["--parquet", "pq"]), ("ship.db", ["--ship-text"])):
        res = run(main, ["ingest", "in", "--db", db, "--scheduler", addr, *args])
        assert res.exit_code == 0, res.output
        assert dump(db) == dump("local.db")
    # errors are one line, never a traceback
    res = run(main, ["ingest", "in", "--db", "pq.db", "--scheduler", addr, "--parquet", "pq"])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"error: {tmp_path / 'pq'} already holds Parquet parts of an earlier run: give an empty"
        " or new folder, or remove them"]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = run(main, ["ingest", "in", "--db", "x.db", "--scheduler", "tcp://127.0.0.1:9"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(res.output.strip().splitlines()) == 1


def test_a_failing_partition_leaves_no_part(tmp_path) -> None:
    from pressmap.distributed import check_worker, parts, run_partition
    from pressmap.partitions import plan

    d = big_corpus(tmp_path)
    (part,) = [p for p in plan([d / "c.txt"])]
    (tmp_path / "pq").mkdir()
    (tmp_path / "pq" / "mentions").write_text("not a folder")
    res = run_partition(part, 0, str(tmp_path / "pq"), "pressmap-0.1.0", {})
    assert res.written == 0 and res.read == 1
    (e,) = res.failed
    assert e.path == str(d / "c.txt") and "\n" not in e.reason
    assert e.reason.startswith("partition failed on ")
    assert parts(tmp_path / "pq") == [] and list((tmp_path / "pq" / "articles").iterdir()) == []
    # what the client asks every worker first
    token = tmp_path / "pq" / ".token"
    token.write_text("t")
    assert check_worker(str(token), "t", [str(d)], "pressmap-0.1.0") == []
    assert check_worker(str(token), "u", [str(d / "nope"), "/x"], "pressmap-9") == [
        "runs pressmap-0.1.0, not pressmap-9 as this machine",
        f"cannot see or write the Parquet folder {tmp_path / 'pq'}",
        f"cannot see the input {d / 'nope'} (and 1 more)"]
