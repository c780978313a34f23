"""Tests for the SSRF-hardened fetcher.

Nothing here leaves 127.0.0.1: a threaded http.server plays every kind of server, names
are resolved by injected resolvers, and the tests that must name public addresses swap
socket.create_connection for a recorder that refuses every connection.
"""

from __future__ import annotations

import contextlib
import gzip
import pickle
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.fetching import FetchError, fetch_document

ARTICLE = b"<html><head><title>Outage</title></head><body><p>It was DNS.</p></body></html>"
PLAIN = b"Timeline\n09:00 deploy\n09:05 pager\n"
BIG_SIZE = 50_000
SMALL_CAP = 10_000
GZIP_BOMB = gzip.compress(b"\0" * 2_000_000)
REDIRECT_CODES = (302, 301, 303, 307, 308)


# --- a local server playing every kind of web server -----------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []  # (path, Host header) per request seen
        self.stopping = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-body is the point of several tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.close_connection = True
        self.server.requests.append((self.path, self.headers.get("Host", "")))
        # The fetcher hanging up on us mid-body is what several tests are about.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/article":
            self._send(200, ARTICLE)
        elif path == "/plain":
            self._send(200, PLAIN, content_type="text/plain")
        elif path == "/echo-host":
            self._send(200, self.headers["Host"].encode(), content_type="text/plain")
        elif path.startswith("/redirect/"):
            remaining = int(path.rsplit("/", 1)[1])
            if remaining == 0:
                self._send(200, ARTICLE)
                return
            # Alternate relative and absolute Locations and every redirect status.
            location = f"/redirect/{remaining - 1}"
            if remaining % 2 == 0:
                location = f"http://{self.headers['Host']}{location}"
            self._send(REDIRECT_CODES[remaining % 5], b"", headers={"Location": location})
        elif path == "/redirect-to":
            self._send(302, b"", headers={"Location": query["location"][0]})
        elif path == "/to-loopback":
            location = f"http://127.0.0.1:{self.server.port}/article"
            self._send(302, b"", headers={"Location": location})
        elif path == "/no-location":
            self._send(302, b"")
        elif path == "/big":
            self._send(200, b"x" * BIG_SIZE, content_type="text/plain")
        elif path == "/big-chunked":
            self._send_chunked(b"x" * BIG_SIZE)
        elif path == "/big-unannounced":
            self._send_headers(200, {"Content-Type": "text/plain", "Connection": "close"})
            self.wfile.write(b"x" * BIG_SIZE)
        elif path == "/big-lying-length":
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "100"})
            self.wfile.write(b"x" * BIG_SIZE)
        elif path == "/short":
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "1000"})
            self.wfile.write(b"only ten b")
        elif path == "/slow":
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "100"})
            self._drip(b"x" * 100)
        elif path == "/slow-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 100)
        elif path == "/stall":
            self._send_headers(200, {"Content-Type": "text/plain", "Content-Length": "100"})
            self.server.stopping.wait(5)
        elif path == "/typed":
            content_type = query["type"][0]
            headers = {} if content_type == "none" else {"Content-Type": content_type}
            self._send_headers(200, {**headers, "Content-Length": str(len(PLAIN))})
            self.wfile.write(PLAIN)
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"<p>status page</p>")
        elif path == "/gzip":
            self._send(200, gzip.compress(ARTICLE), headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-bomb":
            self._send(200, GZIP_BOMB, headers={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self._send(200, b"\x8b\x02\x80", headers={"Content-Encoding": "br"})
        else:
            self._send(404, b"not here")

    def _send_headers(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = "text/html; charset=UTF-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        all_headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        self._send_headers(status, {**all_headers, **(headers or {})})
        self.wfile.write(body)

    def _send_chunked(self, body: bytes) -> None:
        self._send_headers(200, {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"})
        for start in range(0, len(body), 4096):
            chunk = body[start : start + 4096]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def _drip(self, data: bytes) -> None:
        # Each byte arrives well within any read timeout; only a deadline stops this.
        for byte in data:
            if self.server.stopping.wait(0.1):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()


def _start(server: _Server) -> Iterator[_Server]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def _module_server() -> Iterator[_Server]:
    yield from _start(_Server())


@pytest.fixture
def server(_module_server: _Server) -> _Server:
    _module_server.requests.clear()
    return _module_server


@dataclass
class RecordingResolver:
    """A resolver backed by a table, remembering every question it was asked."""

    table: dict[str, list[str]]
    calls: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.table[host]


@pytest.fixture
def resolver() -> RecordingResolver:
    return RecordingResolver({"localhost": ["127.0.0.1"], "article.test": ["127.0.0.1"]})


@dataclass
class ConnectionRecorder:
    """Stands in for socket.create_connection: records the address, never connects."""

    addresses: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, address: tuple[str, int], *args: object, **kwargs: object) -> None:
        self.addresses.append(address)
        raise ConnectionRefusedError(111, "Connection refused (test recorder)")


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> ConnectionRecorder:
    recorder = ConnectionRecorder()
    monkeypatch.setattr(socket, "create_connection", recorder)
    return recorder


def fetch_error(url: str, **options: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_document(url, **options)  # type: ignore[arg-type]
    return caught.value


# --- the happy paths -------------------------------------------------------------------


def test_allowed_host_html_article_is_fetched(server: _Server, resolver: RecordingResolver) -> None:
    url = f"http://localhost:{server.port}/article"

    document = fetch_document(url, allowed_hosts={"localhost"}, resolver=resolver)

    assert document.url == url
    assert document.final_url == url
    assert document.status == 200
    assert document.content_type == "text/html"
    assert document.charset == "utf-8"
    assert document.body == ARTICLE


def test_allowed_hosts_match_case_insensitively(
    server: _Server, resolver: RecordingResolver
) -> None:
    document = fetch_document(
        f"HTTP://LocalHost:{server.port}/plain", allowed_hosts=["LOCALHOST"], resolver=resolver
    )

    assert document.content_type == "text/plain"
    assert document.charset is None
    assert document.body == PLAIN


def test_allowed_ip_literal_is_fetched_without_resolving(server: _Server) -> None:
    resolver = RecordingResolver({})

    document = fetch_document(
        f"http://127.0.0.1:{server.port}/article", allowed_hosts={"127.0.0.1"}, resolver=resolver
    )

    assert document.body == ARTICLE
    assert resolver.calls == []


def test_default_resolver_is_getaddrinfo(server: _Server) -> None:
    document = fetch_document(f"http://localhost:{server.port}/plain", allowed_hosts={"localhost"})

    assert document.body == PLAIN


def test_connection_goes_to_resolved_address_with_original_host_header(
    server: _Server, resolver: RecordingResolver
) -> None:
    document = fetch_document(
        f"http://article.test:{server.port}/echo-host",
        allowed_hosts={"article.test"},
        resolver=resolver,
    )

    assert document.body == f"article.test:{server.port}".encode()


def test_sends_identifying_user_agent_and_asks_for_uncompressed_text(
    server: _Server, resolver: RecordingResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}
    original = _Handler.do_GET

    def remember_headers(handler: _Handler) -> None:
        seen.update(handler.headers.items())
        original(handler)

    monkeypatch.setattr(_Handler, "do_GET", remember_headers)

    fetch_document(
        f"http://localhost:{server.port}/article",
        allowed_hosts={"localhost"},
        resolver=resolver,
        user_agent="CascadeTest/2",
    )

    assert seen["User-Agent"] == "CascadeTest/2"
    assert seen["Accept-Encoding"] == "identity"


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html",
        "application/xhtml+xml",
        "text/plain; charset=iso-8859-1",
        "text/markdown",
        "text/x-markdown",
        'TEXT/HTML ; Charset="UTF-8"',
    ],
)
def test_text_like_content_types_are_accepted(
    server: _Server, resolver: RecordingResolver, content_type: str
) -> None:
    document = fetch_document(
        f"http://localhost:{server.port}/typed?type={quote(content_type)}",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert document.content_type == content_type.split(";")[0].strip().lower()
    assert document.body == PLAIN


def test_gzip_body_sent_despite_identity_request_is_decoded(
    server: _Server, resolver: RecordingResolver
) -> None:
    document = fetch_document(
        f"http://localhost:{server.port}/gzip", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert document.body == ARTICLE


# --- redirects -------------------------------------------------------------------------


def test_redirect_chain_of_three_is_followed_to_final_url(
    server: _Server, resolver: RecordingResolver
) -> None:
    url = f"http://localhost:{server.port}/redirect/3"

    document = fetch_document(url, allowed_hosts={"localhost"}, resolver=resolver)

    assert document.url == url
    assert document.final_url == f"http://localhost:{server.port}/redirect/0"
    assert document.body == ARTICLE
    assert [path for path, _ in server.requests] == [f"/redirect/{n}" for n in (3, 2, 1, 0)]


def test_exactly_max_redirects_is_still_followed(
    server: _Server, resolver: RecordingResolver
) -> None:
    document = fetch_document(
        f"http://localhost:{server.port}/redirect/5", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert document.final_url.endswith("/redirect/0")


def test_six_redirects_are_refused(server: _Server, resolver: RecordingResolver) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/redirect/6", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert error.code == "too_many_redirects"
    assert not error.transient
    assert "more than 5 redirects" in error.message
    assert len(server.requests) == 6  # the sixth Location is never requested


def test_max_redirects_zero_refuses_any_redirect(
    server: _Server, resolver: RecordingResolver
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/redirect/1",
        allowed_hosts={"localhost"},
        resolver=resolver,
        max_redirects=0,
    )

    assert error.code == "too_many_redirects"


def test_redirect_from_allowed_host_to_loopback_literal_is_refused(
    server: _Server, resolver: RecordingResolver
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/to-loopback",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert error.code == "blocked_address"
    assert error.message == (
        f"Refused to fetch http://127.0.0.1:{server.port}/article: 127.0.0.1 is a loopback address."
    )
    assert [path for path, _ in server.requests] == ["/to-loopback"]


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("file:///etc/passwd", "bad_scheme"),
        ("gopher://localhost:70/", "bad_scheme"),
        ("http://169.254.169.254/latest/meta-data/", "blocked_address"),
        ("http://[::1]/", "blocked_address"),
        ("http://internal.localhost/", "blocked_address"),
    ],
)
def test_every_redirect_target_is_checked_from_scratch(
    server: _Server, resolver: RecordingResolver, location: str, code: str
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/redirect-to?location={location}",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert error.code == code
    assert len(server.requests) == 1


def test_resolver_is_consulted_once_per_hop(server: _Server, resolver: RecordingResolver) -> None:
    fetch_document(
        f"http://article.test:{server.port}/redirect/2",
        allowed_hosts={"article.test"},
        resolver=resolver,
    )

    assert resolver.calls == [("article.test", server.port)] * 3


def test_redirect_without_location_is_an_http_error(
    server: _Server, resolver: RecordingResolver
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/no-location",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert error.code == "http_error"
    assert error.status == 302


# --- size limits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/big",  # honest Content-Length above the cap: refused before reading
        "/big-chunked",  # no Content-Length at all: stopped while streaming
        "/big-unannounced",  # no length, body delimited by closing the connection
    ],
)
def test_body_over_the_cap_is_refused(
    server: _Server, resolver: RecordingResolver, path: str
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}{path}",
        allowed_hosts={"localhost"},
        resolver=resolver,
        max_bytes=SMALL_CAP,
    )

    assert error.code == "too_large"
    assert not error.transient
    assert str(SMALL_CAP) in error.message


def test_body_is_cut_at_its_declared_length(server: _Server, resolver: RecordingResolver) -> None:
    document = fetch_document(
        f"http://localhost:{server.port}/big-lying-length",
        allowed_hosts={"localhost"},
        resolver=resolver,
        max_bytes=SMALL_CAP,
    )

    assert document.body == b"x" * 100


def test_body_shorter_than_its_declared_length_is_a_transient_failure(
    server: _Server, resolver: RecordingResolver
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/short", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert error.code == "connection_failed"
    assert error.transient


def test_gzip_bomb_is_refused_once_decoded_size_passes_the_cap(
    server: _Server, resolver: RecordingResolver
) -> None:
    assert len(GZIP_BOMB) < SMALL_CAP  # small on the wire, 2 MB once inflated

    error = fetch_error(
        f"http://localhost:{server.port}/gzip-bomb",
        allowed_hosts={"localhost"},
        resolver=resolver,
        max_bytes=SMALL_CAP,
    )

    assert error.code == "too_large"


def test_unsupported_content_encoding_is_refused(
    server: _Server, resolver: RecordingResolver
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/brotli", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert error.code == "bad_content_encoding"


# --- timeouts --------------------------------------------------------------------------


def test_slow_drip_body_hits_the_overall_deadline(
    server: _Server, resolver: RecordingResolver
) -> None:
    started = time.monotonic()

    error = fetch_error(
        f"http://localhost:{server.port}/slow",
        allowed_hosts={"localhost"},
        resolver=resolver,
        read_timeout=0.5,
        total_timeout=1.0,
    )

    elapsed = time.monotonic() - started
    assert error.code == "timeout"
    assert error.transient
    assert "longer than 1 s in total" in error.message
    assert 0.9 <= elapsed < 1.8


def test_slow_drip_headers_hit_the_overall_deadline(
    server: _Server, resolver: RecordingResolver
) -> None:
    started = time.monotonic()

    error = fetch_error(
        f"http://localhost:{server.port}/slow-headers",
        allowed_hosts={"localhost"},
        resolver=resolver,
        read_timeout=0.5,
        total_timeout=0.8,
    )

    assert error.code == "timeout"
    assert time.monotonic() - started < 1.5


def test_silent_server_hits_the_read_timeout(server: _Server, resolver: RecordingResolver) -> None:
    started = time.monotonic()

    error = fetch_error(
        f"http://localhost:{server.port}/stall",
        allowed_hosts={"localhost"},
        resolver=resolver,
        read_timeout=0.3,
    )

    assert error.code == "timeout"
    assert "sent nothing for 0.3 s" in error.message
    assert time.monotonic() - started < 1.0


# --- content types and statuses --------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/png", "application/octet-stream", "application/json", "none"],
)
def test_non_text_content_type_is_refused(
    server: _Server, resolver: RecordingResolver, content_type: str
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/typed?type={quote(content_type)}",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert error.code == "bad_content_type"
    assert not error.transient


@pytest.mark.parametrize(
    ("status", "transient"), [(503, True), (500, True), (429, True), (404, False), (403, False)]
)
def test_error_status_is_transient_only_for_server_trouble_and_rate_limits(
    server: _Server, resolver: RecordingResolver, status: int, transient: bool
) -> None:
    error = fetch_error(
        f"http://localhost:{server.port}/status/{status}",
        allowed_hosts={"localhost"},
        resolver=resolver,
    )

    assert error.code == "http_error"
    assert error.status == status
    assert error.transient is transient
    assert str(status) in error.message


def test_refused_connection_is_a_transient_failure(resolver: RecordingResolver) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        closed_port = placeholder.getsockname()[1]

    error = fetch_error(
        f"http://localhost:{closed_port}/", allowed_hosts={"localhost"}, resolver=resolver
    )

    assert error.code == "connection_failed"
    assert error.transient


# --- address checks --------------------------------------------------------------------


def test_loopback_literal_message_names_url_and_reason() -> None:
    error = fetch_error("http://127.0.0.1:8000/")

    assert error.code == "blocked_address"
    assert str(error) == "Refused to fetch http://127.0.0.1:8000/: 127.0.0.1 is a loopback address."


@pytest.mark.parametrize(
    ("host", "addresses", "named"),
    [
        ("intranet.example", ["10.0.0.5"], "10.0.0.5, a private address"),
        ("metadata.example", ["169.254.169.254"], "169.254.169.254, a link-local address"),
        ("mixed.example", ["93.184.216.34", "10.1.2.3"], "10.1.2.3, a private address"),
        ("docs.example", ["192.0.2.10"], "192.0.2.10"),  # TEST-NET is not routable either
        ("v6.example", ["2606:4700::1111", "fd00::1"], "fd00::1"),
        ("mapped.example", ["::ffff:10.0.0.1"], "::ffff:a00:1, the IPv4-mapped form of 10.0.0.1"),
    ],
)
def test_host_resolving_to_any_non_public_address_is_refused(
    no_connections: ConnectionRecorder, host: str, addresses: list[str], named: str
) -> None:
    resolver = RecordingResolver({host: addresses})

    error = fetch_error(f"https://{host}/postmortem", resolver=resolver)

    assert error.code == "blocked_address"
    assert not error.transient
    assert f"{host} resolves to {named}" in error.message
    assert resolver.calls == [(host, 443)]
    assert no_connections.addresses == []


BLOCKED_LITERALS = [
    "http://2130706433/",  # decimal 127.0.0.1
    "http://0177.0.0.1/",  # octal
    "http://0x7f.1/",  # hex, two parts
    "http://0x7f000001/",  # hex, one part
    "http://0x7F.0x0.0x0.0x1/",
    "http://127.1/",  # short form
    "http://127.0.0.1./",  # trailing dot
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # full-width digits, folded by IDNA
    "http://[::ffff:7f00:1]/",  # IPv4-mapped IPv6, hex
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6, dotted
    "http://[::ffff:a9fe:a9fe]/",  # IPv4-mapped metadata address
    "http://[::127.0.0.1]/",  # deprecated IPv4-compatible IPv6
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 wrapping 169.254.169.254
    "http://[::1]:8080/",
    "http://[::]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://100.64.0.1/",  # CGNAT
    "http://198.18.0.1/",  # benchmarking
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fc00::1]/",  # unique local
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",  # link-local
    "http://[fe80::1%25eth0]/",  # link-local with a zone
    "http://[fec0::1]/",  # site-local
    "http://[ff02::1]/",  # multicast
    "https://localhost/",
    "http://LOCALHOST./",
    "http://admin.localhost/",
]


@pytest.mark.parametrize("url", BLOCKED_LITERALS)
def test_non_public_literal_in_any_spelling_is_refused_before_resolving_or_connecting(
    no_connections: ConnectionRecorder, url: str
) -> None:
    resolver = RecordingResolver({})

    error = fetch_error(url, resolver=resolver)

    assert error.code == "blocked_address", error.message
    assert resolver.calls == []
    assert no_connections.addresses == []


def _spellings_of(address: int) -> st.SearchStrategy[str]:
    """Every form inet_aton accepts: 1 to 4 parts, each decimal, octal or hex."""

    def render(part: int, base: str) -> str:
        return {"dec": str(part), "oct": f"0{part:o}", "hex": f"0x{part:x}"}[base]

    def spell(parts_and_bases: tuple[int, list[str]]) -> str:
        part_count, bases = parts_and_bases
        octets = address.to_bytes(4, "big")
        parts = [*octets[: part_count - 1], int.from_bytes(octets[part_count - 1 :])]
        return ".".join(render(part, base) for part, base in zip(parts, bases, strict=False))

    bases = st.lists(st.sampled_from(["dec", "oct", "hex"]), min_size=4, max_size=4)
    return st.tuples(st.integers(1, 4), bases).map(spell)


NON_PUBLIC_V4 = [IPv4Network(n) for n in ("127.0.0.0/8", "10.0.0.0/8", "169.254.0.0/16")]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(NON_PUBLIC_V4)
    .flatmap(lambda net: st.integers(int(net.network_address), int(net.broadcast_address)))
    .flatmap(_spellings_of)
)
def test_any_inet_aton_spelling_of_a_non_public_address_is_refused(spelling: str) -> None:
    assert any(IPv4Address(socket.inet_aton(spelling)) in net for net in NON_PUBLIC_V4)
    resolver = RecordingResolver({})

    error = fetch_error(f"http://{spelling}/", resolver=resolver)

    assert error.code == "blocked_address", spelling
    assert resolver.calls == []


@pytest.mark.parametrize(
    ("url", "connected_to"),
    [
        ("http://93.184.216.34/", ("93.184.216.34", 80)),
        ("https://[2606:4700::1111]/", ("2606:4700::1111", 443)),
        ("http://[::ffff:5db8:d822]:8080/", ("::ffff:5db8:d822", 8080)),  # mapped public
        ("http://[64:ff9b::5db8:d822]/", ("64:ff9b::5db8:d822", 80)),  # NAT64 of a public v4
        ("http://1572395042/", ("93.184.216.34", 80)),  # decimal spelling of a public v4
    ],
)
def test_public_literal_passes_the_check_and_is_connected_to_directly(
    no_connections: ConnectionRecorder, url: str, connected_to: tuple[str, int]
) -> None:
    resolver = RecordingResolver({})

    error = fetch_error(url, resolver=resolver)

    assert error.code == "connection_failed"
    assert no_connections.addresses == [connected_to]
    assert resolver.calls == []


def test_dns_rebinding_cannot_redirect_the_connection_to_loopback(
    server: _Server, no_connections: ConnectionRecorder
) -> None:
    answers = iter([["93.184.216.34"]])
    calls: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers, ["127.0.0.1"])  # public when checked, loopback afterwards

    error = fetch_error(
        f"http://rebind.example:{server.port}/article",
        resolver=rebinding_resolver,
        connect_timeout=0.5,
    )

    assert error.code == "connection_failed"
    assert calls == ["rebind.example"]
    assert no_connections.addresses == [("93.184.216.34", server.port)]
    assert server.requests == []


def test_unknown_host_is_a_permanent_dns_failure() -> None:
    error = fetch_error("http://nowhere.example/", resolver=RecordingResolver({}))

    assert error.code == "dns_failure"
    assert not error.transient
    assert "nowhere.example" in error.message


def test_resolver_answering_nothing_is_a_dns_failure() -> None:
    error = fetch_error("http://empty.example/", resolver=RecordingResolver({"empty.example": []}))

    assert error.code == "dns_failure"


# --- URL checks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/postmortem.txt",
        "gopher://example.com:70/_GET",
        "javascript:alert(1)",
        "data:text/html,<h1>hi</h1>",
        "dict://example.com:11211/stats",
        "example.com/postmortem",
    ],
)
def test_non_http_scheme_is_refused(no_connections: ConnectionRecorder, url: str) -> None:
    error = fetch_error(url)

    assert error.code == "bad_scheme"
    assert not error.transient
    assert no_connections.addresses == []


@pytest.mark.parametrize(
    "url",
    [
        "http:///path-only",
        "http://",
        "http://example.com:99999/",
        "http://example.com:0/",
        "http://example.com:http/",
        "http://exa mple.com/",
        "http://example.com/\r\nX-Injected: 1",
        "http://exam\tple.com/",
        "http://%31%32%37.0.0.1/",  # percent-encoded host, decoded by some clients
        "http://999.0.0.1/",
        "http://[::1/",
        "http://[127.0.0.1]/",
    ],
)
def test_malformed_url_is_refused(no_connections: ConnectionRecorder, url: str) -> None:
    error = fetch_error(url, resolver=RecordingResolver({}))

    assert error.code == "bad_url"
    assert no_connections.addresses == []


def test_url_with_credentials_is_refused_without_repeating_the_password(
    no_connections: ConnectionRecorder,
) -> None:
    error = fetch_error("https://alice:hunter2@example.com/incident")

    assert error.code == "bad_url"
    assert "hunter2" not in error.message
    assert "hunter2" not in error.url
    assert "https://example.com/incident" in error.message


def test_fetch_error_survives_pickling_for_celery() -> None:
    error = FetchError("http_error", "Could not fetch x: 503.", transient=True, url="x", status=503)

    restored = pickle.loads(pickle.dumps(error))

    assert (restored.code, restored.message, restored.transient, restored.status) == (
        "http_error",
        "Could not fetch x: 503.",
        True,
        503,
    )
    assert str(restored) == "Could not fetch x: 503."


def test_string_allowed_hosts_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        fetch_document("http://localhost/", allowed_hosts="localhost")


# --- TLS -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Certificates:
    ca: Path
    chain: Path
    key: Path


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> _Certificates:
    """A throwaway CA and a certificate for article.test, made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    directory = tmp_path_factory.mktemp("tls")

    def openssl(*arguments: str) -> None:
        subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)

    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        *("req", "-x509", *new_key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2"),
        *("-subj", "/CN=Cascade test CA"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    (directory / "leaf.ext").write_text(
        "subjectAltName=DNS:article.test\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
        "subjectKeyIdentifier=hash\n"
    )
    openssl("req", *new_key, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=article.test")
    openssl(
        *("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext"),
    )
    return _Certificates(
        ca=directory / "ca.pem", chain=directory / "leaf.pem", key=directory / "leaf.key"
    )


@pytest.fixture(scope="module")
def tls_server(certificates: _Certificates) -> Iterator[_Server]:
    server = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.chain, certificates.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    yield from _start(server)


def test_https_verifies_the_original_host_name_while_connecting_to_the_pinned_address(
    tls_server: _Server,
    certificates: _Certificates,
    resolver: RecordingResolver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))

    document = fetch_document(
        f"https://article.test:{tls_server.port}/echo-host",
        allowed_hosts={"article.test"},
        resolver=resolver,
    )

    assert document.body == f"article.test:{tls_server.port}".encode()


def test_https_certificate_for_another_name_is_refused(
    tls_server: _Server, certificates: _Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    resolver = RecordingResolver({"other.test": ["127.0.0.1"]})

    error = fetch_error(
        f"https://other.test:{tls_server.port}/article",
        allowed_hosts={"other.test"},
        resolver=resolver,
    )

    assert error.code == "tls_error"
    assert not error.transient


def test_https_certificate_from_unknown_authority_is_refused(
    tls_server: _Server, resolver: RecordingResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)

    error = fetch_error(
        f"https://article.test:{tls_server.port}/article",
        allowed_hosts={"article.test"},
        resolver=resolver,
    )

    assert error.code == "tls_error"
    assert "certificate" in error.message
