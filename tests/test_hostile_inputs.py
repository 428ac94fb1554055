"""Hostile input (issue 7): each bad input gives exactly one one-line ReadError naming it,
good inputs beside it still come through, and memory and time stay bounded.

Every input is generated in tmp_path at test time.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressmap.model import Article, ReadError
from pressmap.readers import Limits, iter_articles

MB = 1024 * 1024
STORY = (
    "Leaders from Côte d'Ivoire met officials in Accra on Friday to discuss trade, the ministry said.\n\n"
    "The talks will continue next week in Abuja, according to a statement from the government."
)
NO_FETCH = Limits(fetch_links=False)


def _zip_bomb(path: Path, size: int = 1024 * MB) -> None:
    """One .txt member of ``size`` zero bytes (about 1 MB compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("bomb.txt", "w", force_zip64=True) as m:
        chunk = b"A" * MB
        for _ in range(size // MB):
            m.write(chunk)


def _lying_zip_bomb(path: Path) -> None:
    """A member whose headers claim 100 bytes but which inflates to 64 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("liar.txt", b"A" * 64 * MB)
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)  # local header: uncompressed size
    struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size
    path.write_bytes(bytes(data))


def make_hostile(d: Path) -> dict[str, str | None]:
    """Write every hostile input under ``d``; map name -> expected reason start (None: any)."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\t\n")
    rng = random.Random(7)
    (d / "binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(20000)) + b"\x00")
    (d / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(5000)))
    (d / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d\x81\x8d" * 500)
    with open(d / "huge.txt", "wb") as f:  # 30 MB of real text
        line = (STORY.replace("\n", " ") + "\n").encode()
        f.write(line * (30 * MB // len(line) + 1))
    (d / "deep.html").write_text("<html><body>" + "<div>" * 20000 + "Deep in Chad." + "</div>" * 20000
                                 + "</body></html>", encoding="utf-8")
    (d / "noarticle.html").write_text("<html><head><title>x</title><script>var a = 1;</script>"
                                      "</head><body></body></html>", encoding="utf-8")
    (d / "broken.jsonl").write_text(json.dumps({"text": "Good one about Peru."}) + "\n{\"text\": \"bro\n"
                                    + json.dumps({"text": "Good two about Mali."}) + "\n", encoding="utf-8")
    (d / "notext.csv").write_text("title,date,url\nA,2025-01-01,https://x.example/a\n", encoding="utf-8")
    (d / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a0 "lol">\n'
            + b"".join(b'<!ENTITY a%d "%s">\n' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
            + b"]>\n<rss><channel><item><description>&a9;</description></item></channel></rss>")
    (d / "bomb.rss").write_bytes(bomb)
    (d / "xxe.xml").write_bytes(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                b"<rss><channel><item><description>&x;</description></item></channel></rss>")
    _zip_bomb(d / "zipbomb.zip")
    _lying_zip_bomb(d / "liar.zip")
    with gzip.open(d / "gzbomb.txt.gz", "wb", compresslevel=9) as g:
        for _ in range(64):
            g.write(b"\x00" * MB)
    with zipfile.ZipFile(d / "traversal.zip", "w") as zf:
        zf.writestr("../../escaped.txt", STORY)
    loop = d / "loopdir"
    loop.mkdir()
    os.symlink(loop, loop / "again")
    (d / "emptydir").mkdir()
    return {
        "empty.txt": "empty file", "blank.txt": "empty file", "binary.txt": "binary file",
        "image.html": "binary file (looks like PNG image)", "undecodable.txt": "undecodable",
        "huge.txt": "file too large: 30.0 MB (cap 20.0 MB)", "deep.html": "no article text found",
        "noarticle.html": "no article text found", "broken.jsonl#2": "invalid JSON",
        "notext.csv": "no text column", "deep.json": "JSON nested too deeply",
        "bomb.rss": "feed declares XML entities", "xxe.xml": "feed declares XML entities",
        "zipbomb.zip!bomb.txt": "member too large: 1024.0 MB uncompressed",
        "liar.zip!liar.txt": "corrupt archive member: Bad CRC-32",
        "gzbomb.txt.gz": "decompressed data larger than the 20.0 MB cap",
        "traversal.zip!../../escaped.txt": "unsafe member path",
        "loopdir/again": "symlink loop", "emptydir": "no readable files in folder",
        "missing.txt": "no such file or directory",
    }


def good_files(d: Path) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    (d / "good.txt").write_text(STORY, encoding="utf-8")
    (d / "good-cp1252.txt").write_bytes(STORY.encode("cp1252"))
    (d / "good-utf16.txt").write_bytes(STORY.encode("utf-16"))
    (d / "good-latin1.txt").write_bytes(STORY.encode("latin-1"))
    (d / "good.csv").write_text("title,text\nT,Talks in Lomé\n", encoding="utf-8")
    return sorted(d.iterdir())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str | None]]:
    d = tmp_path_factory.mktemp("hostile")
    return d, make_hostile(d)


def _one_line(e: ReadError) -> bool:
    return bool(e.reason) and "\n" not in e.reason and "\r" not in e.reason and len(e.reason) <= 300


def _check_alone(d: Path, name: str, expected: str | None) -> None:
    base = name.split("!")[0].split("#")[0]
    source = d / base.split("/")[0] if "/" in base else d / base
    items = list(iter_articles([source], limits=NO_FETCH))
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1, (name, errors)
    [err] = errors
    assert err.path == str(d / name), (name, err)
    assert _one_line(err), err
    if expected is not None:
        assert err.reason.startswith(expected), (name, err.reason)
    if name == "broken.jsonl#2":
        assert [a.text for a in items if isinstance(a, Article)] == ["Good one about Peru.", "Good two about Mali."]
    else:
        assert all(isinstance(i, ReadError) for i in items), items


HOSTILE_NAMES = [
    "empty.txt", "blank.txt", "binary.txt", "image.html", "undecodable.txt", "huge.txt", "deep.html",
    "noarticle.html", "broken.jsonl#2", "notext.csv", "deep.json", "bomb.rss", "xxe.xml",
    "zipbomb.zip!bomb.txt", "liar.zip!liar.txt", "gzbomb.txt.gz", "traversal.zip!../../escaped.txt",
    "loopdir/again", "emptydir", "missing.txt",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_each_hostile_input_alone(hostile, name):
    d, expected = hostile
    assert set(HOSTILE_NAMES) == set(expected)
    start = time.monotonic()
    _check_alone(d, name, expected[name])
    assert time.monotonic() - start < 20, name


def test_reasons_for_specific_inputs(hostile):
    d, _ = hostile
    by_path = {e.path: e.reason for e in iter_articles([d], limits=NO_FETCH) if isinstance(e, ReadError)}
    assert by_path[str(d / "binary.txt")] == "binary file (contains NUL bytes), not text"
    assert by_path[str(d / "notext.csv")] == (
        "no text column (looked for text, body, content, article, full_text, maintext; "
        "columns found: 'title', 'date', 'url')")
    assert by_path[str(d / "bomb.rss")] == ("feed declares XML entities; refused "
                                            "(possible entity-expansion or XXE attack)")
    assert by_path[str(d / "traversal.zip") + "!../../escaped.txt"] == (
        "unsafe member path (absolute or '..'); not read")
    assert by_path[str(d / "loopdir" / "again")].startswith("symlink loop (points back to ")
    assert by_path[str(d / "deep.html")] == (
        "no article text found (HTML nested more than 1000 levels deep)")
    assert by_path[str(d / "undecodable.txt")] == (
        "undecodable: not UTF-8, UTF-16 or cp1252 text (100% control characters)")
    assert not (d.parent / "escaped.txt").exists() and not (d.parent.parent / "escaped.txt").exists()


def test_mixed_batch_bounded_memory_and_time(hostile, tmp_path):
    d, expected = hostile
    good = good_files(tmp_path / "good")
    # an empty subfolder inside a folder is no error; given on its own it is
    sources = [*good[:2], d, tmp_path / "missing.txt", d / "emptydir", *good[2:]]
    tracemalloc.start()
    start = time.monotonic()
    try:
        items = list(iter_articles(sources, limits=NO_FETCH))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - start
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert all(_one_line(e) for e in errs)
    # every hostile input: exactly one error each (missing.txt is given from tmp_path)
    paths = [e.path for e in errs]
    for name in HOSTILE_NAMES:
        want = str(tmp_path / name) if name == "missing.txt" else str(d / name)
        assert paths.count(want) == 1, (name, paths)
    assert len(errs) == len(HOSTILE_NAMES)
    # the good ones come through, in order, with accents intact
    good_texts = {Path(a.path).name: a.text for a in arts if a.path.startswith(str(tmp_path / "good"))}
    assert sorted(good_texts) == ["good-cp1252.txt", "good-latin1.txt", "good-utf16.txt", "good.csv#2",
                                  "good.txt"]
    assert good_texts.pop("good.csv#2") == "Talks in Lomé"
    assert all("Côte d'Ivoire" in t for t in good_texts.values())
    assert sorted(a.text for a in arts if a.path and a.path.startswith(str(d))) == [
        "Good one about Peru.", "Good two about Mali."]
    assert peak < 200 * MB, f"peak Python memory {peak / MB:.0f} MB"
    assert elapsed < 60, f"took {elapsed:.1f} s"


def test_huge_file_is_not_read_into_memory(hostile):
    d, _ = hostile
    tracemalloc.start()
    try:
        [err] = list(iter_articles([d / "huge.txt"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.reason == "file too large: 30.0 MB (cap 20.0 MB)"
    assert peak < 5 * MB


def test_zip_bomb_stops_at_cap_when_headers_lie(tmp_path):
    f = tmp_path / "liar.zip"
    _lying_zip_bomb(f)
    tracemalloc.start()
    try:
        items = list(iter_articles([f], limits=Limits(max_file_bytes=1 * MB)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], ReadError)
    assert items[0].path == f"{f}!liar.txt"
    assert peak < 40 * MB


def test_total_archive_cap(tmp_path):
    f = tmp_path / "many.zip"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(5):
            zf.writestr(f"m{i}.txt", (STORY + "\n\n") * 3000)  # ~600 KB each
    items = list(iter_articles([f], limits=Limits(max_archive_bytes=1 * MB)))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert len(arts) == 1
    assert len(errs) == 1 and errs[0].reason.startswith("archive holds more than the 1.0 MB total")


def test_member_count_cap(tmp_path):
    f = tmp_path / "count.zip"
    with zipfile.ZipFile(f, "w") as zf:
        for i in range(12):
            zf.writestr(f"m{i:02}.txt", STORY)
    items = list(iter_articles([f], limits=Limits(max_members=10)))
    assert sum(isinstance(i, Article) for i in items) == 10
    assert [i.reason for i in items if isinstance(i, ReadError)] == [
        "archive has more than 10 members; the rest are not read"]


# ------------------------------------------------------------------ properties

FORMATS = [".txt", ".html", ".jsonl", ".csv", ".json", ".xml", ".zip", ".gz", ""]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), ext=st.sampled_from(FORMATS))
def test_readers_never_raise_on_arbitrary_bytes(data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"input{ext}"
        f.write_bytes(data)
        items = list(iter_articles([f, Path(tmp)], limits=NO_FETCH))
    assert items
    for item in items:
        assert isinstance(item, (Article, ReadError))
        if isinstance(item, ReadError):
            assert _one_line(item), item
        else:
            assert item.text.strip() and item.id


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
_json_value = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                           lambda c: st.lists(c, max_size=4) | st.dictionaries(_text, c, max_size=4),
                           max_leaves=10)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.one_of(st.dictionaries(st.sampled_from(["text", "title", "id", "url", "body",
                                                                 "authors", "source"]),
                                               _json_value, max_size=5), _json_value), max_size=6))
def test_jsonl_rows_of_any_shape(rows):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "rows.jsonl"
        f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        items = list(iter_articles([f]))
    for item in items:
        assert isinstance(item, (Article, ReadError))
        if isinstance(item, Article):
            assert isinstance(item.text, str) and item.text.strip()
            assert all(v is None or isinstance(v, str) for v in (item.title, item.author, item.source))


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(st.lists(_text, min_size=1, max_size=4), min_size=1, max_size=6))
def test_csv_of_any_text(cells):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["text", "title"], *cells])
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "t.csv"
        f.write_text(buf.getvalue(), encoding="utf-8")
        items = list(iter_articles([f]))
    assert items
    assert all(isinstance(i, (Article, ReadError)) for i in items)


def test_zip_listing_too_many_members_is_not_opened(tmp_path):
    f = tmp_path / "lots.zip"
    with zipfile.ZipFile(f, "w") as zf:
        for i in range(25):
            zf.writestr(f"m{i:02}.txt", "x")
    assert list(iter_articles([f], limits=Limits(max_members=2))) == [
        ReadError(str(f), "zip lists 25 members, more than 20; not opened")]


def test_whole_process_peak_memory(hostile):
    """C allocations (lxml, zlib) too: read the hostile folder in a fresh process, check max RSS."""
    d, _ = hostile
    code = (
        "import resource, sys\n"
        "from pressmap.readers import Limits, iter_articles\n"
        "import pressmap.htmlpage, pressmap.textdump\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "n = sum(1 for _ in iter_articles([sys.argv[1]], limits=Limits(fetch_links=False)))\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(n, base, peak)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(d)], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    n, base, peak = map(int, out.stdout.split())
    assert n >= len(HOSTILE_NAMES)
    assert (peak - base) * 1024 < 300 * MB, f"reading grew the process by {(peak - base) / 1024:.0f} MB"
