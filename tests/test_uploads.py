"""Uploads staged for ingest (dashboard/uploads.py has no Streamlit in it)."""

from __future__ import annotations

from dashboard.uploads import MAX_FILE_MB, discard, parse_urls, safe_filename, stage_upload
from pressmap.ingest import ingest
from pressmap.store import Store


def test_safe_filename() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\news.html") == "news.html"
    assert safe_filename("<script>.txt") == "script_.txt"
    assert safe_filename("") == "upload" and safe_filename("...") == "upload"
    long = safe_filename("a" * 500 + ".jsonl")
    assert len(long) <= 120 and long.endswith(".jsonl")


def test_stage_and_reingest_is_unchanged(tmp_path) -> None:
    data = b"Talks in Baku went on.\n"
    a = stage_upload("my note.txt", data, root=tmp_path)
    assert a.source and a.source.endswith("/my_note.txt") and a.reason == ""
    store = Store(":memory:")
    assert ingest([a.source], store).new == 1
    discard(a.source, root=tmp_path)
    assert not list(tmp_path.iterdir())
    b = stage_upload("my note.txt", data, root=tmp_path)
    assert b.source == a.source and ingest([b.source], store).unchanged == 1


def test_refusals(tmp_path) -> None:
    assert stage_upload("x.exe", b"MZ", root=tmp_path).source is None
    big = stage_upload("x.txt", b"a" * (MAX_FILE_MB * 1024 * 1024 + 1), root=tmp_path)
    assert big.source is None and "MB" in big.reason
    urls = parse_urls("https://example.org/feed.xml\n\n# note\njavascript:alert(1)\nfile:///etc/passwd")
    assert [(u.source, bool(u.reason)) for u in urls] == [
        ("https://example.org/feed.xml", False), (None, True), (None, True)]


def test_pasted_urls_are_capped() -> None:
    from dashboard import uploads

    lines = "\n".join(f"https://example.org/{i}" for i in range(uploads.MAX_URLS + 5))
    staged = uploads.parse_urls(lines)
    assert sum(1 for s in staged if s.source) == uploads.MAX_URLS
    assert all("limit" in s.reason for s in staged[uploads.MAX_URLS:])


def test_upload_root_is_private(tmp_path) -> None:
    import os

    from dashboard import uploads

    root = uploads.private_root(tmp_path / "up")
    assert root == tmp_path / "up" and (os.stat(root).st_mode & 0o077) == 0
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    other = uploads.private_root(tmp_path / "link")  # a planted symlink is not used
    assert other != tmp_path / "link" and other.is_dir()
