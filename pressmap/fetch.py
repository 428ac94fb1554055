"""Fetch one http(s) URL safely: timeouts, a size cap, no private addresses, a clear user agent.

Only ``http`` and ``https``. The host is resolved first and every address checked; the
connection then goes to a checked address (no second lookup), so DNS tricks cannot reach
loopback, private or link-local hosts unless ``allow_private=True``. Redirects are followed
by hand (at most ``Limits.max_redirects``), each hop checked again.

>>> try:
...     check_url("file:///etc/passwd")
... except FetchError as e:
...     print(e)
unsupported URL scheme 'file' (only http and https are fetched)
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from pressmap.readers import Limits, human_size, one_line

USER_AGENT = "pressmap/0.1 (+news mapping)"
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is a one-line reason."""


@dataclass
class Fetched:
    """A downloaded page: the URL asked for, where it ended up, its type and bytes."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes


def check_url(url: str) -> SplitResult:
    """Parse ``url`` and refuse anything but plain http(s) URLs with a host.

    >>> check_url("https://example.org/a").hostname
    'example.org'
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as e:
        raise FetchError(one_line(f"malformed URL: {e}")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "none"
        raise FetchError(f"unsupported URL scheme '{shown}' (only http and https are fetched)")
    if not parts.hostname:
        raise FetchError("URL has no host")
    if parts.username or parts.password:
        raise FetchError("URL with user name or password refused")
    return parts


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64, compatible).

    >>> str(embedded_ipv4(ipaddress.ip_address("64:ff9b::a9fe:a9fe")))
    '169.254.169.254'
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    n = int(ip)
    if ip in _NAT64 or ip in _NAT64_LOCAL or (n >> 32 == 0 and n > 1):  # not :: or ::1
        return ipaddress.IPv4Address(n & 0xFFFFFFFF)  # NAT64, or deprecated ::a.b.c.d
    return ip


def is_public(address: str) -> bool:
    """True for globally routable unicast addresses.

    >>> is_public("8.8.8.8"), is_public("127.0.0.1"), is_public("10.1.2.3"), is_public("::ffff:192.168.0.1")
    (True, False, False, False)
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    ip = embedded_ipv4(ip)
    return bool(ip.is_global) and not ip.is_multicast and not ip.is_loopback and not ip.is_link_local


def address_kind(address: str) -> str:
    """Why an address is not public, in a word or two.

    >>> address_kind("127.0.0.1"), address_kind("169.254.1.1"), address_kind("10.0.0.1")
    ('loopback', 'link-local', 'private')
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "invalid"
    ip = embedded_ipv4(ip)
    for attr, word in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                       ("is_multicast", "multicast"), ("is_unspecified", "unspecified"),
                       ("is_private", "private")):
        if getattr(ip, attr):
            return word
    return "non-public"


def resolve(host: str, port: int, *, allow_private: bool = False) -> list[str]:
    """Addresses of ``host``; refuses the host if any address is not public (unless allowed)."""
    try:  # the system resolver's own timeout applies (getaddrinfo takes none)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (UnicodeError, OSError) as e:
        why = getattr(e, "strerror", None) or e
        raise FetchError(one_line(f"cannot resolve host '{host}': {why}")) from None
    addresses: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise FetchError(f"cannot resolve host '{host}'")
    if not allow_private:
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            where = "is" if bad[0] == host.strip("[]") else f"resolves to {bad[0]}, which is"
            raise FetchError(f"refused: '{host}' {where} a {address_kind(bad[0])} address"
                             " (private fetching not allowed)")
    return addresses


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP connection to a fixed, already-checked address (Host header keeps the name)."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS connection to a fixed address, verifying the certificate for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _read_body(resp: http.client.HTTPResponse, cap: int) -> bytes:
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > cap:
        raise FetchError(f"page too large: {human_size(int(length))} (cap {human_size(cap)})")
    encoding = (resp.getheader("Content-Encoding") or "identity").strip().lower()
    inflate = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflate = zlib.decompressobj(31 if "gzip" in encoding else zlib.MAX_WBITS)
    elif encoding not in ("identity", ""):
        raise FetchError(f"unsupported content encoding '{encoding}'")
    out = bytearray()
    raw_total = 0
    while True:
        chunk = resp.read1(65536)  # returns what has arrived: no waiting for a full 64 KB
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > cap:
            raise FetchError(f"page larger than the {human_size(cap)} cap")
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, cap + 1 - len(out))
            except zlib.error as e:
                raise FetchError(one_line(f"corrupt {encoding} body: {e}")) from None
        out += chunk
        if len(out) > cap:
            raise FetchError(f"page larger than the {human_size(cap)} cap once decompressed")
    return bytes(out)


class Watchdog:
    """Shuts a connection's socket down at a deadline, ending any read that still blocks.

    Per-operation socket timeouts do not stop a server that drips one byte at a time;
    this bounds the whole request.
    """

    def __init__(self, conn: http.client.HTTPConnection, deadline: float):
        self.fired = False
        self._sock = conn.sock  # kept: http.client hands the socket to the response and forgets it
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


def _connect(parts: SplitResult, limits: Limits, allow_private: bool) -> http.client.HTTPConnection:
    """An open connection to the first reachable checked address of the URL's host."""
    host = parts.hostname or ""
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    addresses = resolve(host, port, allow_private=allow_private)
    last: Exception | None = None
    for address in addresses[:4]:
        cls = _PinnedHTTPS if https else _PinnedHTTP
        conn = cls(host, port, address, limits.fetch_timeout)
        try:
            conn.connect()
            return conn
        except OSError as e:
            conn.close()
            last = e
            if isinstance(e, ssl.SSLError):
                break
    assert last is not None
    raise last


def _get(conn: http.client.HTTPConnection, parts: SplitResult) -> http.client.HTTPResponse:
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn.request("GET", target, headers={
        "User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, identity",
    })
    return conn.getresponse()


def _network_error(e: BaseException, limits: Limits, stage: str) -> FetchError:
    if isinstance(e, ssl.SSLError):
        return FetchError(one_line(f"TLS error: {e.reason or e}"))
    if isinstance(e, TimeoutError):
        return FetchError(f"timed out after {limits.fetch_timeout:g} s")
    if isinstance(e, ConnectionRefusedError):
        return FetchError("connection refused")
    return FetchError(one_line(f"{stage} failed: {type(e).__name__}: {e}"))


def fetch(url: str, *, limits: Limits | None = None, allow_private: bool = False) -> Fetched:
    """Download ``url`` (http/https only) within the caps of ``limits``.

    Raises :class:`FetchError` with a one-line reason on any failure.
    """
    limits = limits or Limits()
    deadline = time.monotonic() + limits.fetch_deadline
    too_slow = f"download took too long (over {limits.fetch_deadline:g} s)"
    current = url
    for _hop in range(limits.max_redirects + 1):
        parts = check_url(current)
        if time.monotonic() > deadline:
            raise FetchError(too_slow)
        try:
            conn = _connect(parts, limits, allow_private)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException) as e:
            raise _network_error(e, limits, "connection") from None
        watchdog = Watchdog(conn, deadline)
        try:
            resp = _get(conn, parts)
            if resp.status in REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {resp.status} redirect without a Location")
                current = urljoin(current, location.strip())
                continue
            if resp.status >= 400:
                raise FetchError(one_line(f"HTTP {resp.status} {resp.reason}"))
            body = _read_body(resp, limits.max_file_bytes)
            if watchdog.fired:  # the socket was shut down: what arrived is cut short
                raise FetchError(too_slow)
            return Fetched(url=url, final_url=current, status=resp.status,
                           content_type=resp.getheader("Content-Type"), body=body)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as e:
            if watchdog.fired:
                raise FetchError(too_slow) from None
            raise _network_error(e, limits, "download") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"too many redirects (more than {limits.max_redirects})")
