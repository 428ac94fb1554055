"""The Dask path gives what a single-process ingest gives (same articles, same mentions)."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

TEXTS = [
    "Officials in Baku met Israeli envoys on Monday.",
    "France and Germany signed a deal in Paris; the Kremlin objected.",
    "Nothing about any country here.",
    "Talks between Japan and South Korea resumed in Tokyo. Chinese officials watched.",
    "Turkish troops crossed into Syria, Ankara said. Damascus protested to the UN.",
]


def corpus(tmp_path, n=60):
    p = tmp_path / "in.jsonl"
    with p.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"d{i}", "text": TEXTS[i % len(TEXTS)] + f" Item {i}.",
                                "title": f"T{i}", "source": ["AP", "Reuters"][i % 2],
                                "published": f"2024-01-{1 + i % 28:02d}"}) + "\n")
        f.write("{broken json\n")
    return p


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


def test_dask_cluster_equals_single_process(tmp_path) -> None:
    from distributed import Client, LocalCluster

    from pressmap.distributed import ingest_distributed, load_parquet
    from pressmap.ingest import ingest
    from pressmap.store import Store

    src = corpus(tmp_path)
    with Store(tmp_path / "local.db") as s:
        local = ingest([src], s, jobs=1)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        with Store(tmp_path / "dask.db") as s:
            out = tmp_path / "pq"
            remote = ingest_distributed([src], s, scheduler=client, parquet_dir=out,
                                        partition=7)
            assert s.check() == []
            # a second run skips everything, on the client, before the cluster
            again = ingest_distributed([src], s, scheduler=client)
            assert (again.unchanged, again.new) == (60, 0)
        # the work was spread: several partitions, analysed on both workers (each has loaded
        # the detector), none in this process
        assert len(list((out / "articles").glob("part-*.parquet"))) == 9
        loaded = client.run(lambda: __import__("pressmap.detect").detect
                            .default_detector.cache_info().currsize)
        assert list(loaded.values()) == [1, 1]
        # the command line, given the scheduler's address
        from click.testing import CliRunner

        from pressmap.cli import main

        res = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "cli.db"),
                                        "--scheduler", cluster.scheduler_address, "--json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.output.splitlines()[-1])["new"] == 60
        assert not list(tmp_path.glob("pressmap-parquet-*"))  # its temporary Parquet is gone
    assert (remote.read, remote.new, len(remote.failed)) == (local.read, local.new,
                                                             len(local.failed)) == (60, 60, 1)
    a, b = dump(tmp_path / "local.db"), dump(tmp_path / "dask.db")
    assert len(a[1]) > 60  # the corpus does name countries
    assert a == b
    assert dump(tmp_path / "cli.db") == a
    # the Parquet is plain: another store loads it to the same content
    with Store(tmp_path / "again.db") as s:
        load_parquet(out, s)
    assert dump(tmp_path / "again.db") == a

    import pyarrow.parquet as pq

    m = pq.read_table(out / "mentions").to_pylist()
    assert {r["article_id"] for r in m} <= {r[0] for r in a[0]}
    assert len(m) == len(a[1])
