"""Readers: every input type turned into Articles or one-line ReadErrors."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import tarfile
import types
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pressmap.model import Article, Extracted, ReadError
from pressmap.readers import (
    FieldMap,
    Limits,
    decode_bytes,
    iter_articles,
    kind_of,
    read_path,
    sniff_kind,
)
from pressmap.rows import field_value

STORY = (
    "Leaders from Côte d'Ivoire met officials in Accra on Friday to discuss trade, the ministry said.\n\n"
    "The talks will continue next week in Abuja, according to a statement from the government."
)
HTML = (
    "<html><head><title>Trade talks</title></head><body><article><h1>Trade talks</h1>"
    "<p>Leaders from Côte d'Ivoire met officials in Accra on Friday to discuss trade, the ministry "
    "said in a long statement issued after the meeting.</p><p>The talks will continue next week in "
    "Abuja, according to a statement from the government of Nigeria, officials said.</p>"
    "</article></body></html>"
)


def read(*sources, **kw) -> tuple[list[Article], list[ReadError]]:
    items = list(iter_articles(list(sources), **kw))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# ------------------------------------------------------------------ plain text and HTML


def test_txt_one_article_with_resolved_id_and_given_path(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    arts, errs = read("a.txt")
    assert errs == []
    [a] = arts
    assert a.id == str((tmp_path / "a.txt").resolve())
    assert a.path == "a.txt"
    assert "Côte d'Ivoire" in a.text and "Abuja" in a.text


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16", "utf-16-le",
                                      "utf-16-be", "utf-32"])
def test_txt_encodings_come_through_intact(tmp_path, encoding):
    data = STORY.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with a byte-order mark in that order
        data = ("\ufeff" + STORY).encode(encoding)
    (tmp_path / "a.txt").write_bytes(data)
    arts, errs = read(tmp_path / "a.txt")
    assert errs == []
    assert "Côte d'Ivoire" in arts[0].text
    assert "\ufeff" not in arts[0].text


def test_cp1252_specific_characters(tmp_path):
    text = "Côte d’Ivoire signed a €5m deal — officials said “yes”.\n\n" + STORY
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    arts, errs = read(tmp_path / "a.txt")
    assert errs == [] and "Côte d’Ivoire signed a €5m deal — officials said “yes”." in arts[0].text


def test_mostly_utf8_with_stray_cp1252_bytes(tmp_path):
    data = STORY.encode("utf-8") + b"\n\nThe minister\x92s visit cost \x80 5m."
    (tmp_path / "a.txt").write_bytes(data)
    [a], errs = read(tmp_path / "a.txt")
    assert errs == [] and "Côte d'Ivoire" in a.text and "minister’s visit cost € 5m." in a.text


def test_truncated_utf16_keeps_the_rest(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY.encode("utf-16")[:-1])
    [a], errs = read(tmp_path / "a.txt")
    assert errs == [] and "Côte d'Ivoire" in a.text


def test_bomless_utf16_is_detected(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY.encode("utf-16-le"))
    arts, errs = read(tmp_path / "a.txt")
    assert errs == [] and "Côte d'Ivoire" in arts[0].text


def test_decode_bytes_rejects_binary_and_undecodable():
    from pressmap.readers import ReadFailure

    with pytest.raises(ReadFailure, match="binary"):
        decode_bytes(b"abc\x00def" * 100)
    with pytest.raises(ReadFailure, match="PDF"):
        decode_bytes(b"%PDF-1.7\n...")
    with pytest.raises(ReadFailure, match="undecodable"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 200)
    assert decode_bytes("naïve café".encode()) == "naïve café"


def test_textdump_is_used_for_txt(tmp_path, monkeypatch):
    fake = types.ModuleType("pressmap.textdump")
    fake.extract = lambda text: Extracted(text="CLEANED " + text[:5], title="T", source="S")
    monkeypatch.setitem(sys.modules, "pressmap.textdump", fake)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    [a], _ = read(tmp_path / "a.txt")
    assert a.text == "CLEANED Leade" and a.title == "T" and a.source == "S"


def test_txt_without_textdump_uses_raw_text(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pressmap.textdump", None)  # import raises ImportError
    (tmp_path / "a.txt").write_text("  Short note on Chad.  ", encoding="utf-8")
    [a], errs = read(tmp_path / "a.txt")
    assert errs == [] and a.text == "Short note on Chad."


def test_html_article_via_htmlpage(tmp_path):
    (tmp_path / "p.html").write_bytes(HTML.encode("cp1252").replace(
        b"<head>", b"<head><meta charset='windows-1252'>"))
    arts, errs = read(tmp_path / "p.html")
    assert errs == []
    assert "Côte d'Ivoire" in arts[0].text
    assert arts[0].id == str((tmp_path / "p.html").resolve())


def test_htmlpage_gets_bytes_and_its_failures_become_reasons(tmp_path, monkeypatch):
    seen = []

    def boom(html, url=None):
        seen.append(type(html))
        raise ValueError("bad\nthing")

    fake = types.ModuleType("pressmap.htmlpage")
    fake.extract = boom
    monkeypatch.setitem(sys.modules, "pressmap.htmlpage", fake)
    (tmp_path / "p.htm").write_text(HTML, encoding="utf-8")
    arts, [err] = read(tmp_path / "p.htm")
    assert seen == [bytes]
    assert err.reason == "could not extract HTML: ValueError: bad thing"


def test_language_set_from_language_module(tmp_path, monkeypatch):
    fake = types.ModuleType("pressmap.language")
    fake.detect_language = lambda text: "fr"
    monkeypatch.setitem(sys.modules, "pressmap.language", fake)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    write_jsonl(tmp_path / "r.jsonl", [{"text": "x", "language": "de"}, {"text": "y"}])
    arts, _ = read(tmp_path)
    assert [a.language for a in arts] == ["fr", "de", "fr"]


def test_language_module_missing_or_broken_is_ignored(tmp_path, monkeypatch):
    fake = types.ModuleType("pressmap.language")
    fake.detect_language = lambda text: 1 / 0
    monkeypatch.setitem(sys.modules, "pressmap.language", fake)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    [a], errs = read(tmp_path / "a.txt")
    assert errs == [] and a.language is None
    monkeypatch.setitem(sys.modules, "pressmap.language", None)
    [a], errs = read(tmp_path / "a.txt")
    assert errs == [] and a.language is None


# ------------------------------------------------------------------ JSON Lines


def test_jsonl_fields_ids_and_paths(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [
        {"id": 7, "text": "Talks in Baku.", "headline": "H", "seendate": "20250101T000000Z",
         "link": "https://x.org/1", "domain": "x.org", "byline": "Ann", "lang": "en"},
        {"URL": "https://x.org/2", "Body": "Talks in Paris."},
        {"content": ["Para one.", "Para two."], "authors": ["A", "B"],
         "source": {"id": None, "name": "Wire"}},
    ])
    arts, errs = read(f)
    assert errs == []
    a, b, c = arts
    assert (a.id, a.title, a.published, a.url, a.source, a.author, a.language) == (
        "7", "H", "20250101T000000Z", "https://x.org/1", "x.org", "Ann", "en")
    assert a.path == f"{f}#1"
    assert (b.id, b.text) == ("https://x.org/2", "Talks in Paris.")
    assert c.id == f"{f.resolve()}#3" and c.path == f"{f}#3"
    assert c.text == "Para one.\n\nPara two." and c.author == "A, B" and c.source == "Wire"


def test_jsonl_broken_line_between_good_ones(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [{"text": "one"}, '{"text": "tw', "", {"text": "three"},
                                          "[1, 2]", {"title": "no text here"}])
    arts, errs = read(f)
    assert [a.text for a in arts] == ["one", "three"]
    assert [e.path for e in errs] == [f"{f}#2", f"{f}#5", f"{f}#6"]
    assert errs[0].reason.startswith("invalid JSON")
    assert errs[1].reason == "row is a JSON list, not an object"
    assert errs[2].reason.startswith("no text (looked for text/body/content")
    assert "keys: title" in errs[2].reason


def test_jsonl_fieldmap_override_and_dotted(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [
        {"story": "Talks in Baku.", "meta": {"outlet": {"name": "Wire"}, "ts": "2025"}, "text": "no"},
    ])
    fields = FieldMap(text="story", source="meta.outlet.name", published="meta.ts")
    [a], errs = read(f, fields=fields)
    assert errs == [] and (a.text, a.source, a.published) == ("Talks in Baku.", "Wire", "2025")
    _, [err] = read(f, fields=FieldMap(text="missing"))
    assert "looked for missing" in err.reason


def test_jsonl_cp1252_line_and_crlf(tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_bytes('{"text": "Côte d\'Ivoire"}\r\n'.encode("cp1252") + b'{"text": "ok"}\r\n')
    arts, errs = read(f)
    assert errs == [] and [a.text for a in arts] == ["Côte d'Ivoire", "ok"]


def test_jsonl_utf16(tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_bytes('{"text": "Côte"}\n{"text": "two"}\n'.encode("utf-16"))
    arts, errs = read(f)
    assert errs == [] and [a.text for a in arts] == ["Côte", "two"]
    assert arts[1].path == f"{f}#2"


def test_jsonl_line_over_cap(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [{"text": "x" * 5000}, {"text": "ok"}])
    arts, errs = read(f, limits=Limits(max_line_bytes=1000))
    assert [a.text for a in arts] == ["ok"]
    assert errs == [ReadError(f"{f}#1", "line longer than the 1000 bytes cap")]


def test_many_bad_rows_are_summarised(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", ["{bad"] * 30 + [{"text": "ok"}])
    arts, errs = read(f, limits=Limits(max_errors_per_file=5))
    assert len(arts) == 1 and len(errs) == 6
    assert errs[-1] == ReadError(str(f), "25 more bad rows not reported")


# ------------------------------------------------------------------ JSON


@pytest.mark.parametrize("doc", [
    [{"text": "A"}, {"text": "B"}],
    {"articles": [{"text": "A"}, {"text": "B"}]},
    {"status": "ok", "Results": [{"text": "A"}, {"text": "B"}]},
    {"hits": {"total": 2, "hits": [{"text": "A"}, {"text": "B"}]}},
])
def test_json_lists(tmp_path, doc):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    arts, errs = read(f)
    assert errs == [] and [a.text for a in arts] == ["A", "B"]
    assert [a.id for a in arts] == [f"{f.resolve()}#1", f"{f.resolve()}#2"]


def test_json_single_object_and_failures(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "T", "maintext": "Talks."}), encoding="utf-8")
    [a], errs = read(one)
    assert errs == [] and a.id == str(one.resolve()) and a.path == str(one)
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": ', encoding="utf-8")
    nothing = tmp_path / "nothing.json"
    nothing.write_text('{"a": 1, "b": 2}', encoding="utf-8")
    scalar = tmp_path / "scalar.json"
    scalar.write_text("42", encoding="utf-8")
    _, errs = read(bad, nothing, scalar)
    assert [e.path for e in errs] == [str(bad), str(nothing), str(scalar)]
    assert errs[0].reason.startswith("invalid JSON: Expecting value at line 1")
    assert errs[1].reason == "no list of articles and no text field (top-level keys: a, b)"
    assert errs[2].reason == "JSON holds a int, not articles"


def test_jsonl_saved_as_json(tmp_path):
    f = write_jsonl(tmp_path / "a.json", [{"text": "A"}, {"text": "B"}])
    arts, errs = read(f)
    assert errs == [] and [a.path for a in arts] == [f"{f}#1", f"{f}#2"]


# ------------------------------------------------------------------ CSV


def test_csv_rows_with_aliases_and_multiline(tmp_path):
    f = tmp_path / "a.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["stories_id", "Headline", "full_text", "publish_date", "media_name", "url"])
        w.writerow(["11", "H1", "Line one\nline two about Peru", "2025-01-01", "Wire", "https://x/1"])
        w.writerow(["", "H2", "Mali", "", "", ""])
        w.writerow([])
        w.writerow(["", "H3", "", "", "", ""])
    arts, errs = read(f)
    assert [(a.id, a.title, a.text) for a in arts] == [
        ("11", "H1", "Line one\nline two about Peru"), (f"{f.resolve()}#4", "H2", "Mali")]
    assert arts[0].published == "2025-01-01" and arts[0].source == "Wire"
    assert arts[1].path == f"{f}#4"
    assert [e.path for e in errs] == [f"{f}#6"]


def test_csv_without_text_column_lists_columns(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("title,date,url\nA,2025,https://x\n", encoding="utf-8")
    arts, [err] = read(f)
    assert arts == []
    assert err.path == str(f)
    assert err.reason == ("no text column (looked for text, body, content, article, full_text, "
                          "maintext; columns found: 'title', 'date', 'url')")


def test_csv_text_field_override_tsv_and_semicolons(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("titre;corps\nT;Talks in Dakar\n", encoding="cp1252")
    b = tmp_path / "b.tsv"
    b.write_text("title\ttext\nT\tTalks\tin Lomé\n", encoding="utf-8")
    arts, errs = read(a, fields=FieldMap(text="corps", title="titre"))
    assert errs == [] and (arts[0].title, arts[0].text) == ("T", "Talks in Dakar")
    arts, errs = read(b)
    assert arts == [] and errs[0].reason == "row has 3 fields, header has 2"


def test_csv_empty_and_header_only(tmp_path):
    e = tmp_path / "e.csv"
    e.write_text("", encoding="utf-8")
    h = tmp_path / "h.csv"
    h.write_text("text,title\n", encoding="utf-8")
    _, errs = read(e, h)
    assert [(x.path, x.reason) for x in errs] == [(str(e), "empty file"), (str(h), "no data rows")]


# ------------------------------------------------------------------ folders and dispatch


def test_folder_recursive_sorted_skips_hidden_db_unknown(tmp_path):
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a").mkdir()
    write_jsonl(tmp_path / "a" / "z.jsonl", [{"text": "Z1"}, {"text": "Z2"}])
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".x.txt").write_text(STORY, encoding="utf-8")
    for name in ("pressmap.db", "pressmap.db-wal", "pressmap.db-shm", "x.sqlite", "pic.png"):
        (tmp_path / name).write_bytes(b"\x00\x01")
    arts, errs = read(tmp_path)
    assert errs == []
    assert [a.path for a in arts] == [
        str(tmp_path / "a" / "z.jsonl") + "#1", str(tmp_path / "a" / "z.jsonl") + "#2",
        str(tmp_path / "b.txt")]


def test_folder_symlink_loop_and_duplicate_links(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(STORY, encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    os.symlink(tmp_path / "d" / "a.txt", tmp_path / "d" / "b.txt")  # same file twice
    os.symlink(tmp_path / "d" / "self.txt", tmp_path / "d" / "self.txt")  # points at itself
    arts, errs = read(tmp_path)
    assert len(arts) == 1
    assert sorted((Path(e.path).name, e.reason.split(" (")[0]) for e in errs) == [
        ("loop", "symlink loop"), ("self.txt", "symlink loop")]


def test_empty_folder_and_missing_path(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.bin").write_bytes(b"1")
    _, errs = read(tmp_path / "empty", tmp_path / "junk", tmp_path / "nope.txt", "")
    assert [e.reason for e in errs] == [
        "no readable files in folder", "no readable files in folder (1 files of unknown type skipped)",
        "no such file or directory", "empty path"]


def test_unknown_extension_given_directly_is_sniffed(tmp_path):
    (tmp_path / "a.dat").write_text(STORY, encoding="utf-8")
    (tmp_path / "b").write_text(HTML, encoding="utf-8")
    (tmp_path / "c.log").write_text(json.dumps([{"text": "Chad"}]), encoding="utf-8")
    arts, errs = read(tmp_path / "a.dat", tmp_path / "b", tmp_path / "c.log")
    assert errs == [] and len(arts) == 3 and arts[2].text == "Chad"


def test_same_input_same_ids(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    write_jsonl(tmp_path / "r.jsonl", [{"text": "A"}, {"text": "B", "id": "x"}])
    (tmp_path / "c.csv").write_text("text\nA\nB\n", encoding="utf-8")
    first = [(a.id, a.path) for a in read(tmp_path)[0]]
    second = [(a.id, a.path) for a in read_path(tmp_path) if isinstance(a, Article)]
    assert first == second and len(first) == 5 and len({i for i, _ in first}) == 5


def test_kind_and_sniffing():
    assert kind_of("x.HTM") == "html" and kind_of("x.ndjson") == "jsonl" and kind_of("x.rss") == "feed"
    assert sniff_kind(b"\xef\xbb\xbf<html>") == "html"
    assert sniff_kind(b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    assert sniff_kind(b'{"a": 1}\n{"a": 2}\n') == "jsonl"
    assert sniff_kind(b"[]") == "json"
    assert sniff_kind(b"", "application/rss+xml; charset=utf-8") == "feed"


def test_field_value_prefers_first_nonempty_alias():
    assert field_value({"text": "", "body": "B"}, "text", FieldMap()) == "B"
    assert field_value({"published_at": 1735689600}, "published", FieldMap()) == "1735689600"
    assert field_value({"a": {"b": ["x", "y"]}}, "author", FieldMap(author="a.b")) == "x, y"


# ------------------------------------------------------------------ archives


def test_zip_members_ids_and_unsafe_names(tmp_path):
    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("news/one.txt", STORY)
        zf.writestr("rows.jsonl", '{"text": "Chad"}\n{"text": "Peru"}\n')
        zf.writestr("../evil.txt", STORY)
        zf.writestr("/abs.txt", STORY)
        zf.writestr("__MACOSX/news/._one.txt", "junk")
        zf.writestr("inner.zip", b"PK")
        zf.writestr("pic.png", b"\x89PNG")
    arts, errs = read(z)
    assert [a.id for a in arts] == [f"{z.resolve()}!news/one.txt", f"{z.resolve()}!rows.jsonl#1",
                                    f"{z.resolve()}!rows.jsonl#2"]
    assert arts[1].path == f"{z}!rows.jsonl#1"
    assert sorted((e.path, e.reason) for e in errs) == [
        (f"{z}!../evil.txt", "unsafe member path (absolute or '..'); not read"),
        (f"{z}!/abs.txt", "unsafe member path (absolute or '..'); not read"),
        (f"{z}!inner.zip", "archive inside an archive is not opened"),
    ]
    assert not (tmp_path.parent / "evil.txt").exists()


def test_gz_and_tar_gz(tmp_path):
    g = tmp_path / "r.jsonl.gz"
    g.write_bytes(gzip.compress(b'{"text": "Chad"}\n{"text": "Peru"}\n'))
    t = tmp_path / "b.tar.gz"
    with tarfile.open(t, "w:gz") as tf:
        data = STORY.encode()
        info = tarfile.TarInfo("x/story.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        evil = tarfile.TarInfo("../../evil.txt")
        evil.size = len(data)
        tf.addfile(evil, io.BytesIO(data))
    arts, errs = read(g, t)
    assert [a.id for a in arts] == [f"{g.resolve()}#1", f"{g.resolve()}#2", f"{t.resolve()}!x/story.txt"]
    assert [(e.path, e.reason) for e in errs] == [
        (f"{t}!../../evil.txt", "unsafe member path (absolute or '..'); not read")]


def test_corrupt_archives(tmp_path):
    z = tmp_path / "bad.zip"
    z.write_bytes(b"PK\x03\x04 not really a zip")
    g = tmp_path / "bad.txt.gz"
    g.write_bytes(gzip.compress(STORY.encode())[:-12])
    _, errs = read(z, g)
    assert [e.path for e in errs] == [str(z), str(g)]
    assert errs[0].reason.startswith("not a valid zip archive")
    assert "gzip" in errs[1].reason or "Compressed file ended" in errs[1].reason


def test_xhtml_saved_as_xml_is_read_as_html(tmp_path):
    f = tmp_path / "page.xml"
    f.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + HTML.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'),
                 encoding="utf-8")
    [a], errs = read(f)
    assert errs == [] and "Côte d'Ivoire" in a.text


def test_deeply_nested_row_value_fails_only_that_row(tmp_path):
    deep = "[" * 900 + '"x"' + "]" * 900
    f = write_jsonl(tmp_path / "r.jsonl", ['{"text": ' + deep + "}", {"text": "ok"}])
    arts, errs = read(f)
    assert [a.text for a in arts] == ["ok"]
    assert [e.path for e in errs] == [f"{f}#1"]


def test_single_source_not_in_a_list(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    arts, errs = read(str(tmp_path / "a.txt"))
    assert errs == [] and len(arts) == 1
    assert len([x for x in iter_articles(tmp_path / "a.txt")]) == 1


def test_literal_dotted_key_and_special_files(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [{"body.text": "Talks in Chad."}])
    [a], _ = read(f, fields=FieldMap(text="body.text"))
    assert a.text == "Talks in Chad."
    os.mkfifo(tmp_path / "pipe.txt")
    _, [err] = read(tmp_path / "pipe.txt")
    assert err.reason == "not a regular file or folder"


def test_newsapi_and_guardian_shapes(tmp_path):
    news = tmp_path / "newsapi.json"
    news.write_text(json.dumps({"status": "ok", "totalResults": 1, "articles": [{
        "source": {"id": None, "name": "BBC News"}, "author": "A", "title": "T",
        "url": "https://bbc.example/1", "publishedAt": "2025-01-02T03:04:05Z",
        "content": "Talks in Kyiv."}]}), encoding="utf-8")
    guardian = tmp_path / "guardian.json"
    guardian.write_text(json.dumps({"response": {"results": [{
        "id": "world/2025/x", "webTitle": "W", "webUrl": "https://g.example/x",
        "webPublicationDate": "2025-01-03", "fields": {"bodyText": "Talks in Kigali."}}]}}),
        encoding="utf-8")
    [a], errs = read(news)
    assert errs == [] and (a.id, a.source, a.published, a.title) == (
        "https://bbc.example/1", "BBC News", "2025-01-02T03:04:05Z", "T")
    _, [err] = read(guardian)  # list found one level down; the text is nested deeper still
    assert err.path == f"{guardian}#1" and err.reason.endswith(
        "keys: id, webTitle, webUrl, webPublicationDate, fields)")
    [g], errs = read(guardian, fields=FieldMap(text="fields.bodyText"))
    assert errs == [] and (g.id, g.title, g.url, g.published, g.text) == (
        "world/2025/x", "W", "https://g.example/x", "2025-01-03", "Talks in Kigali.")


def test_excel_unicode_text_export(tmp_path):
    f = tmp_path / "export.tsv"
    f.write_bytes("title\ttext\r\nT\tTalks in Lomé\r\n".encode("utf-16"))
    [a], errs = read(f)
    assert errs == [] and (a.title, a.text) == ("T", "Talks in Lomé")


def test_utf16_html_json_and_feed(tmp_path):
    (tmp_path / "a.html").write_bytes(HTML.encode("utf-16"))
    (tmp_path / "b.json").write_bytes('[{"text": "Côte"}]'.encode("utf-16"))
    (tmp_path / "c.rss").write_bytes('<?xml version="1.0" encoding="utf-16"?><rss><channel><item>'
                                     "<description>Côte</description></item></channel></rss>".encode("utf-16"))
    arts, errs = read(tmp_path, limits=Limits(fetch_links=False))
    assert errs == [] and len(arts) == 3 and all("Côte" in a.text for a in arts)


def test_a_bare_one_line_txt_is_an_article(tmp_path) -> None:
    (tmp_path / "note.txt").write_text("Kenya and Uganda signed a trade deal\n", encoding="utf-8")
    (tmp_path / "menu.txt").write_text("Home\n", encoding="utf-8")
    items = {Path(i.path).name: i for i in iter_articles([tmp_path])}
    assert items["note.txt"].text == "Kenya and Uganda signed a trade deal"
    assert isinstance(items["menu.txt"], ReadError)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
@example(2**70)
@example(1.0000000000000002)
@example({"a": 1, "a2": [None, True, "\ud800"]})
def test_row_decoding_gives_what_json_loads_gives(value) -> None:
    """The orjson path of ``_loads_row`` must build exactly what ``json.loads`` builds."""
    from pressmap.rows import _loads_row

    line = json.dumps(value)
    got = _loads_row(line)
    want = json.loads(line)
    assert json.dumps(got) == json.dumps(want)
    assert type(got) is type(want)


@pytest.mark.parametrize("line", ['{"a": 1,}', "[1, 2", '{"a": NaN}', '{"x": "\\ud800"}', "{" * 60 + "}" * 60])
def test_row_decoding_errors_and_oddities_match_json_loads(line: str) -> None:
    from pressmap.rows import _loads_row

    try:
        want = json.loads(line)
    except ValueError as exc:
        with pytest.raises(type(exc)) as got:
            _loads_row(line)
        assert str(got.value) == str(exc)
    else:
        assert json.dumps(_loads_row(line)) == json.dumps(want)
