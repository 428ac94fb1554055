"""Fetching: a local http.server on 127.0.0.1 only, never the network."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pressmap import fetch as fetch_mod
from pressmap.fetch import USER_AGENT, FetchError, check_url, fetch, is_public, resolve
from pressmap.model import Article, ReadError
from pressmap.readers import Limits, iter_articles

PAGE = (
    "<html><head><title>Trade talks</title></head><body><article><h1>Trade talks</h1>"
    "<p>Leaders from Côte d'Ivoire met officials in Accra on Friday to discuss trade, the ministry "
    "said in a long statement issued after the meeting.</p><p>The talks will continue next week in "
    "Abuja, according to a statement from the government of Nigeria, officials said.</p>"
    "</article></body></html>"
).encode()
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>One</title><link>%(base)s/page.html</link><guid>g-1</guid></item>
<item><title>Two</title><link>%(base)s/missing</link><description>Talks in Lima.</description></item>
</channel></rss>"""
SEEN_HEADERS: list[dict] = []


pytestmark = pytest.mark.usefixtures("no_network")  # see tests/conftest.py


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
             extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        SEEN_HEADERS.append(dict(self.headers))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        p = self.path
        if p == "/page.html":
            self.send(PAGE)
        elif p == "/feed":
            self.send(FEED % {b"base": base.encode()}, "application/rss+xml")
        elif p == "/feed-to-rows":
            self.send(b"<rss><channel><item><link>%s/rows</link></item></channel></rss>" % base.encode(),
                      "application/rss+xml")
        elif p == "/feed-many":
            items = b"".join(b"<item><guid>g%d</guid><link>%s/slowish?n=%d</link></item>" % (i, base.encode(), i)
                             for i in range(8))
            self.send(b"<rss><channel>" + items + b"</channel></rss>", "application/rss+xml")
        elif p.startswith("/slowish"):
            time.sleep(0.3)
            self.send(PAGE)
        elif p == "/rows":
            self.send(b'{"text": "Chad"}\n{"text": "Peru"}\n', "application/x-ndjson")
        elif p == "/redirect":
            self.send(b"", status=302, extra={"Location": "/page.html"})
        elif p == "/loop":
            self.send(b"", status=301, extra={"Location": "/loop"})
        elif p == "/to-file":
            self.send(b"", status=302, extra={"Location": "file:///etc/passwd"})
        elif p == "/big":
            self.send(b"x" * 200_000, "text/plain")
        elif p == "/big-no-length":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"y" * 10_000)
        elif p == "/gzip":
            self.send(gzip.compress(PAGE), extra={"Content-Encoding": "gzip"})
        elif p == "/gzip-bomb":
            self.send(gzip.compress(b"\0" * 5_000_000), "text/plain", extra={"Content-Encoding": "gzip"})
        elif p == "/slow":
            time.sleep(1.5)
            self.send(PAGE)
        elif p == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
                time.sleep(0.1)
        elif p == "/empty":
            self.send(b"<html><body></body></html>")
        else:
            self.send(b"not here", "text/plain", status=404)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # clients hang up on purpose
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def read(*sources, **kw):
    items = list(iter_articles(list(sources), **kw))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)])


def test_fetch_page_with_user_agent(server):
    page = fetch(f"{server}/page.html", allow_private=True)
    assert page.status == 200 and page.body == PAGE and page.content_type.startswith("text/html")
    assert SEEN_HEADERS[-1]["User-Agent"] == USER_AGENT == "pressmap/0.1 (+news mapping)"


def test_loopback_refused_without_allow_private(server):
    with pytest.raises(FetchError, match=r"refused: '127.0.0.1' is a loopback address"):
        fetch(f"{server}/page.html")
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="resolves to 127.0.0.1, which is a loopback address"):
        fetch(f"http://localhost:{port}/page.html")
    _, [err] = read(f"{server}/page.html")
    assert err.path == f"{server}/page.html" and err.reason.startswith("refused:")


@pytest.mark.parametrize("url,scheme", [
    ("file:///etc/passwd", "file"), ("javascript:alert(1)", "javascript"),
    ("ftp://example.org/x", "ftp"), ("data:text/html,<p>hi</p>", "data"),
    ("gopher://127.0.0.1:70/", "gopher"),
])
def test_non_http_schemes_refused(url, scheme):
    with pytest.raises(FetchError, match=f"unsupported URL scheme '{scheme}'"):
        check_url(url)
    _, [err] = read(url, allow_private=True)
    assert err == ReadError(url, f"unsupported URL scheme '{scheme}' (only http and https are fetched)")


def test_check_url_rejects_credentials_and_missing_host():
    with pytest.raises(FetchError, match="user name or password"):
        check_url("http://user:pw@example.org/")
    with pytest.raises(FetchError, match="no host"):
        check_url("http:///path")
    with pytest.raises(FetchError, match="malformed"):
        check_url("http://example.org:99999/")


@pytest.mark.parametrize("addr,public", [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False), ("::1", False),
    ("10.0.0.1", False), ("172.16.5.4", False), ("192.168.1.1", False), ("169.254.169.254", False),
    ("fe80::1", False), ("fc00::1", False), ("0.0.0.0", False), ("100.64.0.1", False),
    ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("not-an-ip", False),
])
def test_is_public(addr, public):
    assert is_public(addr) is public


def test_every_resolved_address_is_checked(monkeypatch):
    def fake_getaddrinfo(host, port, *a, **k):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(FetchError, match="resolves to 10.0.0.7, which is a private address"):
        resolve("mixed.example", 80)
    assert resolve("mixed.example", 80, allow_private=True) == ["93.184.215.14", "10.0.0.7"]


def test_connection_goes_to_the_checked_address(server, monkeypatch):
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    calls = []

    def fake_getaddrinfo(host, p, *a, **k):
        calls.append(host)
        return real("127.0.0.1", p, *a, **k) if host == "news.test" else real(host, p, *a, **k)

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", fake_getaddrinfo)
    page = fetch(f"http://news.test:{port}/page.html", allow_private=True)
    assert page.body == PAGE and calls.count("news.test") == 1  # resolved once, then pinned
    assert SEEN_HEADERS[-1]["Host"] == f"news.test:{port}"


def test_redirects(server):
    page = fetch(f"{server}/redirect", allow_private=True)
    assert page.final_url == f"{server}/page.html" and page.url == f"{server}/redirect"
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        fetch(f"{server}/loop", allow_private=True)
    with pytest.raises(FetchError, match="unsupported URL scheme 'file'"):
        fetch(f"{server}/to-file", allow_private=True)


def test_size_caps(server):
    small = Limits(max_file_bytes=100_000)
    with pytest.raises(FetchError, match=r"page too large: 195.3 KB \(cap 97.7 KB\)"):
        fetch(f"{server}/big", allow_private=True, limits=small)
    with pytest.raises(FetchError, match=r"page larger than the 97.7 KB cap"):
        fetch(f"{server}/big-no-length", allow_private=True, limits=small)
    with pytest.raises(FetchError, match="cap once decompressed"):
        fetch(f"{server}/gzip-bomb", allow_private=True, limits=Limits(max_file_bytes=1_000_000))
    assert fetch(f"{server}/gzip", allow_private=True).body == PAGE


def test_timeout(server):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.3 s"):
        fetch(f"{server}/slow", allow_private=True, limits=Limits(fetch_timeout=0.3))
    assert time.monotonic() - start < 1.4


def test_http_errors_and_refused_connection(server, monkeypatch):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/nope", allow_private=True)
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        fetch(f"http://127.0.0.1:{port}/", allow_private=True)


    def no_dns(host, *a, **k):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", no_dns)  # no real DNS query in tests
    with pytest.raises(FetchError, match="cannot resolve host 'no-such-host.invalid': Name or service"):
        fetch("http://no-such-host.invalid/", allow_private=True)


def test_urls_through_iter_articles(server):
    arts, errs = read(f"{server}/page.html", f"{server}/rows", f"{server}/empty", f"{server}/nope",
                      allow_private=True)
    assert [a.id for a in arts] == [f"{server}/page.html", f"{server}/rows#1", f"{server}/rows#2"]
    assert "Côte d'Ivoire" in arts[0].text and arts[0].url == f"{server}/page.html"
    assert arts[1].path == f"{server}/rows#1"
    assert [(e.path, e.reason) for e in errs] == [
        (f"{server}/empty", "no article text found"), (f"{server}/nope", "HTTP 404 Not Found")]


def test_feed_url_fetches_item_links(server):
    arts, errs = read(f"{server}/feed", allow_private=True)
    assert errs == []
    one, two = arts
    assert one.id == "g-1" and "Côte d'Ivoire" in one.text and one.title == "One"
    assert one.source and one.path == f"{server}/feed#1"
    assert two.text == "Talks in Lima." and two.id == f"{server}/missing"  # link 404: description
    assert two.source == "Local Wire"


def test_feed_link_fetching_stops_when_its_time_is_up(server):
    arts, errs = read(f"{server}/feed", allow_private=True, limits=Limits(feed_fetch_seconds=0))
    assert [a.text for a in arts] == ["Talks in Lima."]  # item 1 has no description
    assert errs == [ReadError(f"{server}/feed#1", "no article text found (link: time for fetching "
                                                  "this feed's links ran out; no description)")]


def test_feed_link_that_is_not_a_page(server):
    _, [err] = read(f"{server}/feed-to-rows", allow_private=True)
    assert err == ReadError(f"{server}/feed-to-rows#1", "no article text found (link: link is not a "
                                                        "web page (application/x-ndjson); no description)")


def test_whole_download_deadline_stops_a_dripping_server(server):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"download took too long \(over 0.8 s\)"):
        fetch(f"{server}/drip", allow_private=True, limits=Limits(fetch_timeout=0.5, fetch_deadline=0.8))
    assert time.monotonic() - start < 2


def test_feed_links_fetched_in_parallel_kept_in_order(server):
    start = time.monotonic()
    arts, errs = read(f"{server}/feed-many", allow_private=True)
    elapsed = time.monotonic() - start
    assert errs == [] and [a.id for a in arts] == [f"g{i}" for i in range(8)]
    assert all("Côte d'Ivoire" in a.text for a in arts)
    assert elapsed < 8 * 0.3  # four at a time, not one after another
