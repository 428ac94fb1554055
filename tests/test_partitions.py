"""Partitions read by workers give what the local reader gives, however a file is cut."""

from __future__ import annotations

import json
from pathlib import Path

from pressmap.model import ReadError
from pressmap.partitions import (
    Local,
    Split,
    context,
    count_newlines,
    plan,
    read_range,
    read_whole,
    split,
)
from pressmap.readers import Limits, iter_articles

ROWS = [
    {"text": "Zürich und München: Gespräche über die Schweiz."},
    {"id": "a2", "text": "São Paulo recebe ministros do Brasil e de Portugal."},
    {"url": "https://example.org/x", "text": "Кремль ответил Киеву. Russia and Ukraine."},
    {"text": "北京与东京举行会谈。China and Japan met in Beijing. 🇨🇳🇯🇵"},
    {"id": "a2", "text": "São Paulo: a second version of a2, about Argentina."},
]


def write_corpus(p: Path) -> Path:
    """JSONL whose reading depends on where lines are: rows without ids (numbered by line),
    multibyte text, blank and CRLF lines, bad JSON, a NUL byte, a line over the cap, a line
    starting with a byte-order mark (an error except on line 1), no final newline."""
    lines = [("\ufeff" + json.dumps(ROWS[0], ensure_ascii=False)).encode()]
    for i in range(40):
        r = dict(ROWS[i % len(ROWS)])
        r["title"] = f"T{i} ñ"
        lines.append(json.dumps(r, ensure_ascii=False).encode())
        if i % 9 == 3:
            lines.append(b"")
        if i % 11 == 5:
            lines.append(b'{"text": "broken ')
        if i == 17:
            lines.append(b'{"text": "nul \x00 byte"}')
        if i == 23:
            lines.append(b'{"text": "' + "é".encode() * 400 + b'"}')  # over the 600-byte cap
        if i == 29:
            lines.append(b"\xef\xbb\xbf" + json.dumps(ROWS[1]).encode())
        if i == 31:
            lines.append(json.dumps(ROWS[2], ensure_ascii=False).encode() + b"\r")
    p.write_bytes(b"\n".join(lines))  # no final newline
    return p


def by_ranges(p: Path, size: int, ctx) -> list:
    sp = split(plan_ref(p), size)
    items, before = [], 0
    for r in sp.ranges:
        items.extend(read_range(r, before, ctx))
        before += count_newlines(str(p), r.start, r.end)
    return items


def plan_ref(p: Path):
    (whole,) = plan([p], size=10**9)
    return whole.files[0]


def test_ranges_read_like_the_whole_file(tmp_path) -> None:
    p = write_corpus(tmp_path / "c.jsonl")
    limits = Limits(max_line_bytes=600, max_errors_per_file=1000)
    ctx = context(limits=limits)
    whole = [x for x in iter_articles([p], limits=limits)]
    assert sum(isinstance(x, ReadError) for x in whole) >= 6
    assert any(x.id == f"{p.resolve()}#1" for x in whole if not isinstance(x, ReadError))
    size = p.stat().st_size
    # every cut: mid-line, mid-character (multibyte), at line starts, one range per byte
    for part in (1, 2, 3, 5, 7, 13, 64, 100, 333, 1000, size - 1, size, size + 1):
        assert by_ranges(p, part, ctx) == whole, part


def test_range_starting_on_a_bom_line(tmp_path) -> None:
    """Only line 1 drops a byte-order mark: a range starting on a later BOM line keeps it."""
    p = tmp_path / "b.jsonl"
    first = json.dumps(ROWS[1]).encode() + b"\n"
    p.write_bytes(first + b"\xef\xbb\xbf" + json.dumps(ROWS[0]).encode() + b"\n")
    whole = list(iter_articles([p]))
    assert isinstance(whole[1], ReadError) and whole[1].path.endswith("#2")
    assert by_ranges(p, len(first), context()) == whole


def test_plan_splits_large_utf8_jsonl_only(tmp_path) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    write_corpus(d / "a.jsonl")
    (d / "b.csv").write_text('id,text\n1,"Paris\nand Berlin"\n' * 200)
    (d / "c.txt").write_text("Talks in Baku between Azerbaijan and Armenia.")
    (d / "d.jsonl").write_bytes("\ufeff".encode("utf-16-le") + '{"text": "x"}\n'.encode("utf-16-le") * 300)
    (d / "sub" / "e.html").write_text("<p>Hi</p>")
    (d / "zz.bin").write_bytes(b"\x00")  # unknown type: skipped, as locally
    got = list(plan([d, tmp_path / "missing", "https://example.org/feed"], size=500))
    kinds = [type(x).__name__ for x in got]
    assert kinds[0] == "Split" and kinds[-2:] == ["Local", "Local"], kinds
    assert set(kinds[1:-2]) == {"Whole"}  # grouped up to 500 bytes a group
    sp, wholes = got[0], got[1:-2]
    assert isinstance(sp, Split) and len(sp.ranges) > 3
    files = [f for w in wholes for f in w.files]
    assert [f.display for f in files] == [str(d / n) for n in ("b.csv", "c.txt", "d.jsonl",
                                                               "sub/e.html")]
    assert files[0].size > 500  # the CSV is not cut (quoted newlines), the UTF-16 JSONL neither
    assert got[-2] == Local(tmp_path / "missing")
    # whole files read as the local reader reads them (CSV with quoted newlines, UTF-16 JSONL)
    local = [x for x in iter_articles([d]) if x.path and not x.path.startswith(str(d / "a.jsonl"))]
    assert [x for w in wholes for x in read_whole(w, context())] == local
    assert len(local) > 400


def test_empty_folder_is_left_to_the_local_reader(tmp_path) -> None:
    (tmp_path / "e").mkdir()
    assert list(plan([tmp_path / "e"])) == [Local(tmp_path / "e")]
