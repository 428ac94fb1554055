"""``pressmap analyze --jobs``: several processes, the same output byte for byte, a bounded window."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from pressmap import analyze_many as am
from pressmap.cli import main
from pressmap.model import Article, ReadError

SENTENCES = [
    "Officials in Baku met Israeli envoys in Jerusalem.",
    "France and Germany agreed. Paris said so.",
    "The U.S. and China traded barbs over Taiwan.",
    "Georgia's governor spoke in Atlanta about jobs.",
    "NEW YORK, March 3 - Brazilian coffee prices rose.",
    "Michael Jordan visited the gym; nothing about countries here.",
]


def _corpus(tmp_path, n: int = 400):
    rows = [
        {"id": f"a{i}", "title": f"T{i}", "text": " ".join(SENTENCES[j % 6] for j in range(i, i + 3))}
        for i in range(n)
    ]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "unterminated\n', encoding="utf-8")
    (tmp_path / "c.txt").write_text("Kenya and Uganda signed a deal in Nairobi on Monday.\n")
    return tmp_path


def test_parallel_output_is_the_serial_output(tmp_path) -> None:
    corpus = _corpus(tmp_path)
    for fmt in ("jsonl", "json", "tsv"):
        runs = [
            CliRunner().invoke(main, ["analyze", str(corpus), "--format", fmt, "--jobs", j])
            for j in ("1", "2")
        ]
        assert runs[0].exit_code == runs[1].exit_code == 0, runs[1].output
        assert runs[0].stdout == runs[1].stdout
        assert runs[0].stderr == runs[1].stderr
        assert "b.jsonl" in runs[1].stderr  # the bad file is named, in its place
    lines = runs[1].stdout.splitlines()
    assert len(lines) == 401 and lines[0].startswith("a0\t")


def test_workers_do_the_analysis() -> None:
    items = [Article(id=str(i), text="Talks in Baku.") for i in range(300)]
    out = list(am.analyze_many(items, render=lambda r: f"{r.article.id}:{os.getpid()}", jobs=2))
    assert [o.split(":")[0] for _, o in out] == [str(i) for i in range(300)]
    pids = {o.split(":")[1] for _, o in out}
    assert str(os.getpid()) not in pids and len(pids) == 2


class _Fragile:
    """A detector that fails on one article."""

    def detect(self, text: str, language=None):
        if "BOOM" in text:
            raise RuntimeError("bad\nthing")
        return []


def test_a_failure_in_a_worker_names_the_article_and_the_rest_goes_on() -> None:
    items: list = [Article(id=str(i), text="BOOM" if i == 70 else "calm") for i in range(200)]
    items.insert(5, ReadError("bad.txt", "no article text found"))
    out = list(am.analyze_many(items, render=lambda r: "ok", detector=_Fragile(), jobs=2))
    assert len(out) == 201
    assert out[5][1] == ReadError("bad.txt", "no article text found")
    failed = [(item.id, o) for item, o in out if isinstance(o, am.AnalysisFailed)]
    assert failed == [("70", "analysis failed: RuntimeError: bad thing")]
    assert sum(o == "ok" for _, o in out) == 199


def test_input_is_read_as_results_are_wanted() -> None:
    pulled = 0

    def items():
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield Article(id=str(i), text="calm")

    stream = am.analyze_many(items(), render=lambda r: "ok", detector=_Fragile(), jobs=2)
    next(stream)
    assert pulled <= am.CHUNK * (2 * am.IN_FLIGHT + 3)
    stream.close()


def test_a_full_disk_is_one_line_not_a_traceback(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    corpus = _corpus(tmp_path)
    for jobs in ("1", "2"):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "pressmap.cli", "analyze", "--jobs", jobs, str(corpus)],
                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
            )
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        assert "error: cannot write the output: No space left on device" in proc.stderr


KILLER = """
import os, signal, sys
from pressmap.analyze_many import analyze_many
from pressmap.model import Article

class Killer:
    def detect(self, text, language=None):
        if text == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        return []

items = [Article(id=str(i), text="die" if i == 150 else "calm") for i in range(400)]
try:
    for _ in analyze_many(items, render=lambda r: "ok", detector=Killer(), jobs=2):
        pass
except Exception as exc:
    print(type(exc).__name__, exc)
    sys.exit(3)
"""


def test_a_killed_worker_ends_the_run_with_a_reason_not_a_hang() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", KILLER], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.startswith("WorkerDied an analysing process died")
