"""Uploaded files and pasted URLs, made ready for :func:`pressmap.ingest.ingest` (no Streamlit).

Uploads are written under their original names, sanitised, into a folder named by the hash of
their content, so uploading the same file again finds the same article ids ("unchanged").

>>> safe_filename("../../etc/passwd"), safe_filename("Ma rapport (1).TXT"), safe_filename(".env")
('passwd', 'Ma_rapport_1_.TXT', 'env')
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pressmap.render import safe_url

MAX_FILE_MB = 50
MAX_FILES = 200
MAX_TOTAL_MB = 500  # all files of one upload together
MAX_URLS = 50  # pasted URLs per submission (each is fetched in turn)
ACCEPTED = ("txt", "text", "html", "htm", "jsonl", "ndjson", "json", "csv", "zip", "gz", "xml",
            "rss", "atom")
UPLOAD_ROOT = Path(tempfile.gettempdir()) / f"pressmap-uploads-{os.getuid()}"


def private_root(root: Path = UPLOAD_ROOT) -> Path:
    """``root``, created 0700 and checked to be our own real folder (not a planted symlink)."""
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(root)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077:
            return root
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="pressmap-uploads-"))


def safe_filename(name: str, limit: int = 120) -> str:
    """The last path component of ``name`` with anything but letters, digits, ``._-`` replaced."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-") or "upload"
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) < 10 else base[:limit]
    return base


@dataclass
class Staged:
    name: str  # as shown to the user (sanitised)
    source: str | None  # path or URL to ingest; None when refused
    reason: str = ""  # why it was refused


def stage_upload(name: str, data: bytes, root: Path | None = None) -> Staged:
    """Write one upload to ``root/<content hash>/<safe name>``; refuse oversize or odd types."""
    clean = safe_filename(name)
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        return Staged(clean, None, f"larger than {MAX_FILE_MB} MB")
    ext = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if ext not in ACCEPTED:
        return Staged(clean, None, f"unsupported file type .{ext}" if ext else "no file extension")
    root = private_root() if root is None else root
    folder = root / hashlib.sha256(data).hexdigest()[:20]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / clean
    path.write_bytes(data)
    return Staged(clean, str(path))


def parse_urls(text: str) -> list[Staged]:
    """One URL per line (blank lines and ``#`` comments skipped); only http(s) URLs are kept."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = safe_url(line)
        reason = "" if url else "not an http(s) URL"
        if url and sum(1 for o in out if o.source) >= MAX_URLS:
            url, reason = None, f"over the {MAX_URLS}-URL limit per submission"
        out.append(Staged(line[:200], url, reason))
    return out


def looks_remote(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def discard(path: str, root: Path | None = None) -> None:
    """Delete a staged upload (its article ids keep the path, so re-uploads still match)."""
    p = Path(path)
    root = UPLOAD_ROOT if root is None else root
    try:
        if p.parent.parent == root or p.parent.parent.name.startswith("pressmap-uploads-"):
            shutil.rmtree(p.parent, ignore_errors=True)
    except OSError:
        pass
