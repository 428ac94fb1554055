"""The command line against hostile batches and hostile database paths (issue 7), end to end:
``python -m pressmap.cli`` in a subprocess on a real database file.

Each bad input gets one line on stderr naming it (never a traceback), the batch goes on, the
summary counts it; the database stays consistent and a second run changes nothing. A database
path that is a folder, random bytes, a damaged file, another program's SQLite file, a newer
schema or an unwritable file gets a one-line error, exit 1, and the file is left as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import tests.test_hostile_inputs as hostile_inputs
from pressmap.cli import main
from pressmap.store import Store

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
# file names that would break a one-line report or drive a terminal if printed raw
EVIL_NAMES = {"two\nlines.txt": "two\\nlines.txt", "esc\x1b[2Jclear.txt": "esc\\x1b[2Jclear.txt",
              "rtl\u202etxt.exe.txt": "rtl\\u202etxt.exe.txt"}


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PRESSMAP_DB"}
    return subprocess.run([sys.executable, "-m", "pressmap.cli", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, env=env)


def no_traceback(p: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr[-3000:]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The hostile inputs of tests/test_hostile_inputs.py (zip bomb made smaller: it still
    exceeds the cap, but takes no time to build), good files beside them, hostile file names.
    Returns (folder, sources, expected {shown path: reason start}, good article count)."""
    root = tmp_path_factory.mktemp("cli")
    real_bomb = hostile_inputs._zip_bomb
    hostile_inputs._zip_bomb = lambda p: real_bomb(p, 48 * MB)
    try:
        expected = hostile_inputs.make_hostile(root / "h")
    finally:
        hostile_inputs._zip_bomb = real_bomb
    expected["zipbomb.zip!bomb.txt"] = "member too large: 48.0 MB uncompressed"
    good = hostile_inputs.good_files(root / "good")
    (root / "good" / "wire.jsonl").write_text(
        "".join(json.dumps({"id": f"w{i}", "title": f"Wire {i}", "source": "Wire",
                            "text": f"Officials in Baku met Israeli envoys; France and Peru watched. {i}"})
                + "\n" for i in range(3)), encoding="utf-8")
    # readable, but hostile inside: lone surrogates (JSON escapes), an impossible date, a title
    # that would drive a terminal
    (root / "good" / "tricky.jsonl").write_bytes(
        b'{"id": "t1", "title": "\\udfff", "text": "Talks in Baku \\ud800 today."}\n'
        b'{"id": "t2", "title": "\\u001b[2Jclear", "published": "2024-13-45", "text": "Talks in Lima."}\n')
    evil = root / "evil"
    evil.mkdir()
    for name in EVIL_NAMES:
        (evil / name).write_bytes(b"")
    want: dict[str, str] = {}
    for name, start in expected.items():
        if name == "missing.txt":
            want["missing.txt"] = start
        elif name == "emptydir":
            want["h/emptydir"] = start
        else:
            want[f"h/{name}"] = start
    for shown in EVIL_NAMES.values():
        want[f"evil/{shown}"] = "empty file"
    sources = ["h", "h/emptydir", "good", "evil", "missing.txt"]
    return root, sources, want, len(good) + 3 + 2


def failure_lines(stderr: str, prefix: str) -> dict[str, str]:
    out = {}
    for line in stderr.splitlines():
        if line.startswith(prefix):
            path, _, reason = line[len(prefix):].partition(": ")
            assert path not in out, f"two lines for {path}"
            out[path] = reason
    return out


def check_reasons(lines: dict[str, str], want: dict[str, str]) -> None:
    assert set(lines) == set(want), (sorted(set(lines) ^ set(want)))
    for path, start in want.items():
        assert lines[path].startswith(start), (path, lines[path])
        assert 0 < len(lines[path]) <= 300


def snapshot(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()
                for t in ("articles", "mentions", "article_country",
                          "country_totals", "country_pairs")}
    finally:
        conn.close()


def assert_consistent(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        per_article = conn.execute(
            "SELECT a.rid, (SELECT COUNT(*) FROM mentions m WHERE m.article = a.rid),"
            " (SELECT COALESCE(SUM(n), 0) FROM article_country c WHERE c.article = a.rid)"
            " FROM articles a").fetchall()
        assert per_article and all(m == c for _, m, c in per_article), per_article
        assert sum(m for _, m, _ in per_article) > 0
        n = len(per_article)
    finally:
        conn.close()
    with Store(db) as s:
        assert s.check() == []
    return n


def test_ingest_hostile_batch_twice(batch):
    root, sources, want, n_good = batch
    db = root / "ingest.db"
    first = run("ingest", *sources, "--db", str(db), cwd=root)
    no_traceback(first)
    assert first.returncode == 0, first.stderr[-2000:]
    check_reasons(failure_lines(first.stderr, "failed "), want)
    # nothing on stderr but the one line per failure
    assert all(line.startswith("failed ") for line in first.stderr.splitlines()), first.stderr
    assert first.stdout.strip() == (f"{db}: read {n_good + 2}, new {n_good + 2}, updated 0, "
                                    f"unchanged 0, failed {len(want)}")
    assert assert_consistent(db) == n_good + 2  # + the two good rows of broken.jsonl
    conn = sqlite3.connect(db)
    (t1,) = conn.execute("SELECT text FROM articles WHERE id = 't1'").fetchone()
    (d2,) = conn.execute("SELECT published FROM articles WHERE id = 't2'").fetchone()
    conn.close()
    assert t1.startswith("Talks in Baku") and t1.encode("utf-8")
    assert d2 is None or date.fromisoformat(d2[:10])
    before = snapshot(db)

    again = run("ingest", *sources, "--db", str(db), "--json", cwd=root)
    no_traceback(again)
    assert again.returncode == 0, again.stderr[-2000:]
    summary = json.loads(again.stdout)
    assert (summary["read"], summary["new"], summary["updated"], summary["unchanged"],
            summary["failed"]) == (n_good + 2, 0, 0, n_good + 2, len(want))
    assert snapshot(db) == before  # not one row rewritten
    assert not (root.parent / "escaped.txt").exists()


def test_analyze_hostile_batch(batch):
    root, sources, want, n_good = batch
    p = run("analyze", *sources, "--format", "jsonl", cwd=root)
    no_traceback(p)
    assert p.returncode == 0, p.stderr[-2000:]
    check_reasons(failure_lines(p.stderr, "skipped "), want)
    assert p.stderr.splitlines()[-1] == f"{n_good + 2} analysed, {len(want)} failed"
    recs = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(recs) == n_good + 2
    found = set()
    for r in recs:
        for c in r["countries"]:
            found.add(c["iso3"])
            for m in c["mentions"]:
                assert r["text"][m["start"]:m["end"]] == m["surface"]
    assert {"AZE", "ISR", "FRA", "PER", "CIV"} <= found


def test_analyze_nothing_readable_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nul.html").write_bytes(b"\x00" * 100)
    p = run("analyze", "empty.txt", "nul.html", "gone.txt", cwd=tmp_path)
    no_traceback(p)
    assert p.returncode == 1
    assert p.stderr.splitlines() == ["skipped empty.txt: empty file",
                                     "skipped nul.html: binary file (contains NUL bytes), not text",
                                     "skipped gone.txt: no such file or directory",
                                     "0 analysed, 3 failed"]
    assert p.stdout == ""


def test_analysis_bug_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    """A detector that raises on one article: that article gets a line, the others are printed."""
    import pressmap.analysis

    real = pressmap.analysis.analyze_article

    def flaky(article, detector=None):
        if "BOOM" in article.text:
            raise ValueError("bad\nstate")
        return real(article, detector)

    monkeypatch.setattr(pressmap.analysis, "analyze_article", flaky)
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "1", "text": "Talks in Baku."}\n{"id": "2", "text": "BOOM in Chad."}\n'
                 '{"id": "3", "text": "Talks in Lima."}\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["analyze", str(f), "--format", "tsv"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 0
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["1", "3"]
    assert r.stderr.splitlines() == [f"failed {f}#2: analysis failed: ValueError: bad state",
                                     "2 analysed, 1 failed"]


# ------------------------------------------------------------------ hostile database paths

COMMANDS = [("ingest", "in.jsonl"), ("stats",), ("countries",)]


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def work(tmp_path):
    (tmp_path / "in.jsonl").write_text('{"id": "n1", "text": "Talks in Nairobi, Kenya."}\n',
                                       encoding="utf-8")
    return tmp_path


def _one_line_error(p: subprocess.CompletedProcess, db: str, *words: str) -> str:
    no_traceback(p)
    assert p.returncode == 1, (p.returncode, p.stderr)
    lines = p.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {db}: "), lines
    for w in words:
        assert w in lines[0], lines
    assert p.stdout == ""
    return lines[0]


def test_db_path_is_a_directory(work):
    (work / "adir").mkdir()
    for cmd in COMMANDS:
        p = run(cmd[0], *cmd[1:], "--db", "adir", cwd=work)
        no_traceback(p)
        assert p.returncode == 2
        assert "Error: Invalid value for '--db': File 'adir' is a directory." in p.stderr.splitlines()
    assert list((work / "adir").iterdir()) == []


@pytest.mark.parametrize("kind", ["random", "truncated", "damaged"])
def test_corrupt_db_is_refused_and_not_overwritten(work, kind):
    db = work / "c.db"
    if kind == "random":
        db.write_bytes(random.Random(3).randbytes(64 * 1024))
        words = ["not an SQLite database", "left untouched"]
    else:
        src = work / "good.db"
        rows = "".join(json.dumps({"id": f"g{i}", "text": f"Talks in Baku and Paris, item {i}."}) + "\n"
                       for i in range(400))
        (work / "many.jsonl").write_text(rows, encoding="utf-8")
        assert run("ingest", "many.jsonl", "--db", str(src), "--jobs", "1", cwd=work).returncode == 0
        shutil.copy(src, db)
        data = bytearray(db.read_bytes())
        if kind == "truncated":
            del data[len(data) // 2:]
        else:  # pages in the middle overwritten with noise
            data[3 * 4096: 7 * 4096] = random.Random(4).randbytes(4 * 4096)
        db.write_bytes(bytes(data))
        words = ["damaged"]
    before = _digest(db)
    p = run("ingest", "in.jsonl", "--db", "c.db", cwd=work)
    _one_line_error(p, "c.db", *words)
    assert _digest(db) == before
    if kind != "damaged":  # a damaged middle page may not be on the path a read query takes
        for cmd in COMMANDS[1:]:
            _one_line_error(run(*cmd, "--db", "c.db", cwd=work), "c.db", *words)
    assert _digest(db) == before


def _foreign_db(db, table: str) -> None:
    """Another program's SQLite file: one table of its own holding one row."""
    conn = sqlite3.connect(db)
    conn.execute(f"CREATE TABLE {table} (x)")
    conn.execute(f"INSERT INTO {table} VALUES ('keep me')")
    conn.commit()
    conn.close()


def test_another_programs_sqlite_file_is_left_as_it_was(work):
    db = work / "other.db"
    _foreign_db(db, "articles")
    p = run("ingest", "in.jsonl", "--db", "other.db", cwd=work)
    _one_line_error(p, "other.db", "not a pressmap database")
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["articles"]
    assert conn.execute("SELECT * FROM articles").fetchall() == [("keep me",)]
    conn.close()


def test_newer_schema_is_refused(work):
    db = work / "new.db"
    assert run("ingest", "in.jsonl", "--db", "new.db", cwd=work).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = snapshot(db)
    for cmd in COMMANDS:
        _one_line_error(run(*cmd, "--db", "new.db", cwd=work), "new.db", "newer", "upgrade pressmap")
    assert snapshot(db) == before


def test_db_in_missing_folder_or_under_a_file(work):
    (work / "afile").write_text("x")
    for db in ("nowhere/p.db", "afile/p.db"):
        _one_line_error(run("ingest", "in.jsonl", "--db", db, cwd=work), db, "cannot open or create")
    assert (work / "afile").read_text() == "x" and not (work / "nowhere").exists()


def test_unwritable_db(work):
    db = work / "ro.db"
    assert run("ingest", "in.jsonl", "--db", "ro.db", cwd=work).returncode == 0
    (work / "more.jsonl").write_text('{"id": "m1", "text": "Talks in Lima."}\n', encoding="utf-8")
    before = _digest(db)
    if os.geteuid() != 0:
        db.chmod(0o444)
        undo = None
    else:  # root ignores permission bits; an immutable file still refuses writes
        if shutil.which("chattr") is None or \
                subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
            pytest.skip("running as root and chattr +i is not available: cannot make a file unwritable")
        undo = ["chattr", "-i", str(db)]
    try:
        p = run("ingest", "more.jsonl", "--db", "ro.db", cwd=work)
        _one_line_error(p, "ro.db", "readonly")
        assert _digest(db) == before
        # reading an unwritable database still works
        s = run("stats", "--db", "ro.db", "--format", "json", cwd=work)
        assert s.returncode == 0 and json.loads(s.stdout)["articles"] == 1, s.stderr
    finally:
        if undo:
            subprocess.run(undo, check=True)
        db.chmod(0o644)


def test_tsv_output_cannot_drive_the_terminal(tmp_path):
    """Titles and paths are untrusted: TSV output shows control characters escaped, one row each."""
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"id": "x\ry", "title": "\x1b[2Jclear\x07\u202e", "text": "Talks in Lima."})
                 + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["analyze", str(f), "--format", "tsv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.count("\n") == 1
    assert not any(c in r.stdout for c in "\x1b\x07\r\u202e")
    assert r.stdout.split("\t")[2] == "\\x1b[2Jclear\\x07\\u202e"


def test_foreign_sqlite_file_without_clashing_tables_is_byte_identical(work):
    """A file holding only its own tables gains no pressmap tables and is not switched to WAL."""
    db = work / "notes.db"
    _foreign_db(db, "notes")
    before = _digest(db)
    for cmd in COMMANDS:
        _one_line_error(run(*cmd, "--db", "notes.db", cwd=work), "notes.db", "not a pressmap database")
    assert _digest(db) == before
    assert not (work / "notes.db-wal").exists()
