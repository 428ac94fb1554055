"""Bytes to text, bounded: encodings, binary sniffing, capped reads, one-line reasons.

>>> decode_bytes("Côte d’Ivoire".encode("cp1252"))
'Côte d’Ivoire'
>>> one_line("a\\nb")
'a b'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import IO

MB = 1024 * 1024


class ReadFailure(Exception):
    """Raised inside readers; turned into a :class:`ReadError` at the edge."""


def one_line(reason: str, limit: int = 300) -> str:
    """Collapse whitespace so a reason fits on one line.

    >>> one_line("bad\\n  thing")
    'bad thing'
    """
    s = " ".join(str(reason).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def describe_exception(e: BaseException) -> str:
    """A short one-line description of an unexpected exception."""
    if isinstance(e, RecursionError):
        return "input nested too deeply (RecursionError)"
    if isinstance(e, MemoryError):
        return "out of memory while reading"
    if isinstance(e, OSError) and e.strerror:
        return one_line(e.strerror.lower())
    msg = one_line(str(e), 200)
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


def human_size(n: int) -> str:
    """Size for messages.

    >>> human_size(30 * MB)
    '30.0 MB'
    """
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 10_000 else f"{n} bytes"


_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "zip archive"), (b"\x1f\x8b", "gzip data"), (b"SQLite format 3", "SQLite database"),
    (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"BZh", "bzip2 data"), (b"\xfd7zXZ", "xz data"), (b"7z\xbc\xaf", "7z archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """Encoding named by a byte-order mark, if any.

    >>> bom_encoding(b"\\xff\\xfeh\\x00")
    'utf-16'
    """
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """Guess BOM-less UTF-16 from NULs in every other byte (mostly-ASCII text)."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff_binary(head: bytes) -> str | None:
    """Reason why ``head`` is not text, or None when it may be text.

    >>> sniff_binary(b"%PDF-1.4 ...")
    'binary file (looks like PDF), not text'
    >>> sniff_binary(b"Hello") is None
    True
    """
    if bom_encoding(head) or utf16_without_bom(head):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file (looks like {what}), not text"
    if b"\x00" in head[:65536]:
        return "binary file (contains NUL bytes), not text"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) in ("Cc", "Cs", "Co"))
    return bad / len(sample)


def _byte_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable bytes one by one as cp1252, else Latin-1."""
    assert isinstance(err, UnicodeDecodeError)
    out = []
    for b in err.object[err.start:err.end]:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), err.end


codecs.register_error("pressmap-cp1252", _byte_fallback)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_8bit(data: bytes) -> tuple[str, str]:
    """Decode BOM-less 8-bit text: ``(text, encoding)``. Never fails.

    UTF-8 when valid; UTF-8 with stray bytes taken as cp1252 when it holds real UTF-8
    sequences; else cp1252 (Latin-1 for the five bytes cp1252 leaves undefined).

    >>> decode_8bit("Côte d’Ivoire".encode("cp1252"))
    ('Côte d’Ivoire', 'cp1252')
    >>> decode_8bit("Côte".encode() + b" \\x92s")
    ('Côte ’s', 'utf-8')
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data[: 1 << 20]):
        return data.decode("utf-8", errors="pressmap-cp1252"), "utf-8"
    return data.decode("cp1252", errors="pressmap-cp1252"), "cp1252"


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: BOMs (UTF-8/16/32), UTF-8, else cp1252 (see :func:`decode_8bit`).

    Raises :class:`ReadFailure` for binary or undecodable data.

    >>> decode_bytes("Côte d'Ivoire".encode("cp1252"))
    "Côte d'Ivoire"
    >>> decode_bytes("Côte".encode("utf-16"))
    'Côte'
    """
    why = sniff_binary(data)
    if why:
        raise ReadFailure(why)
    enc = bom_encoding(data) or utf16_without_bom(data)
    if enc:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            if e.start < len(data) - 4:
                raise ReadFailure(f"undecodable: broken {enc} text at byte {e.start}") from None
            text = data.decode(enc, errors="replace")  # truncated last character only
    else:
        text, enc = decode_8bit(data)
    ratio = _control_ratio(text)
    if ratio > 0.05:
        if enc in ("utf-8", "utf-8-sig"):
            raise ReadFailure(f"binary file ({ratio:.0%} control characters), not text")
        raise ReadFailure(
            f"undecodable: not UTF-8, UTF-16 or cp1252 text ({ratio:.0%} control characters)"
        )
    return text


def decode_line(data: bytes) -> str:
    """Decode one line of a row file (see :func:`decode_8bit`)."""
    return decode_8bit(data)[0]


def read_capped(stream: IO[bytes], cap: int, what: str = "file") -> bytes:
    """Read at most ``cap`` bytes in chunks; raise :class:`ReadFailure` beyond it.

    >>> import io
    >>> read_capped(io.BytesIO(b"abc"), 10)
    b'abc'
    """
    buf = bytearray()
    while True:
        chunk = stream.read(min(1 << 20, cap + 1 - len(buf)))
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > cap:
            raise ReadFailure(f"{what} larger than the {human_size(cap)} cap")
