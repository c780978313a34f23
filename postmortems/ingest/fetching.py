"""Download outage write-ups from user-supplied URLs without becoming an SSRF proxy.

The importer takes a URL from a user and fetches it from inside our network, so every
hop is treated as hostile:

* only ``http`` and ``https``; URLs carrying a user name or password are refused, because
  the credentials would be replayed to wherever a redirect leads and end up in logs;
* the host is resolved once per hop and *every* address must be globally routable
  (loopback, private, link-local/metadata, CGNAT, multicast, reserved, IPv4-mapped,
  6to4 and NAT64 forms of those...); IP literals in any legacy spelling (``2130706433``,
  ``0177.0.0.1``, ``0x7f.1``, ``127.1``, full-width digits) are parsed the way the C
  resolver would parse them and checked without asking DNS at all;
* the TCP connection goes to the exact address that was checked (no second lookup, so
  DNS rebinding has nothing to race), while ``Host`` and TLS SNI/certificate checks use
  the original name;
* redirects are followed by hand, each one checked from scratch;
* connect, per-read and whole-fetch timeouts, so a server dripping a byte a second
  cannot hold a worker past ``total_timeout``;
* a byte cap on the wire and after gzip/deflate decoding (decompression bombs);
* only text-like content types; a response without a Content-Type is refused rather
  than sniffed, because every server worth importing from names its type and sniffing
  would let binary blobs through as "text". Callers that want other text formats (feeds:
  JSON, Atom, RSS) name them in ``accepted_types``.

Conditional GET: a caller that sends ``If-None-Match`` / ``If-Modified-Since`` in
``conditional_headers`` gets ``304 Not Modified`` back as a document with ``status`` 304
and an empty body, and every response carries the server's ``ETag`` and
``Last-Modified`` for the next request.

Known limit: the default resolver (``socket.getaddrinfo``) blocks outside the deadline;
the OS resolver's own timeout applies there.

This is a plain module on purpose: no Django imports, settings come in as arguments.
"""

from __future__ import annotations

import http.client
import io
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchError",
    "FetchErrorCode",
    "FetchedDocument",
    "fetch_document",
]

DEFAULT_USER_AGENT = "CascadeBot/1.0 (+postmortem importer)"

ACCEPTED_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9"
# The only request headers a caller may add: validators for a conditional GET.
CONDITIONAL_HEADERS = frozenset({"If-None-Match", "If-Modified-Since"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

FetchErrorCode = Literal[
    "bad_url",
    "bad_scheme",
    "blocked_address",
    "dns_failure",
    "connection_failed",
    "tls_error",
    "timeout",
    "too_many_redirects",
    "http_error",
    "bad_response",
    "bad_content_type",
    "bad_content_encoding",
    "too_large",
]

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], list[str]]
_Refuse = Callable[..., "FetchError"]

_READ_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A-labels only: anything else (percent signs, backslashes, spaces...) is a host that
# browsers and resolvers disagree about, which is exactly where SSRF filters get bypassed.
_HOST_NAME = re.compile(r"^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*\.?$")
# WHATWG's "ends in a number" rule: such hosts are IPv4 addresses, never DNS names.
_NUMERIC_LAST_LABEL = re.compile(r"^(\d+|0x[0-9a-f]*)$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:(?://)?)[^/?#]*@")

# ipaddress's own tables vary between Python patch releases (CVE-2024-4032 reshuffled
# is_private/is_global); these are refused whatever the running Python thinks.
_NOT_GLOBAL_NETWORKS = tuple(
    ip_network(network)
    for network in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # CGNAT shared space: is_private is False for it
        "192.0.0.0/24",
        "192.0.2.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "3fff::/20",
        "5f00::/16",
        "fc00::/7",
        "fec0::/10",
    )
)
_NAT64_WELL_KNOWN = ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class FetchedDocument:
    """A successfully downloaded text document."""

    url: str  # as requested by the caller
    final_url: str  # after redirects
    status: int
    content_type: str  # mime type only, lowercased: "text/html"
    charset: str | None  # from the Content-Type header, lowercased; not validated
    body: bytes  # decoded from gzip/deflate if the server insisted on compressing
    etag: str = ""  # the server's validators, to send back on the next conditional GET
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """Return True when the server answered a conditional GET with 304 Not Modified."""
        return self.status == 304


class FetchError(Exception):
    """Why a URL could not be imported.

    ``code`` is a stable slug for programs, ``message`` a sentence for people (it names
    the URL and the reason), ``transient`` tells the Celery task whether retrying later
    could help.
    """

    def __init__(
        self,
        code: FetchErrorCode,
        message: str,
        *,
        transient: bool = False,
        url: str = "",
        status: int | None = None,
    ) -> None:
        # args = (code, message) so pickle and Celery's exception serialisers, which call
        # cls(*args), rebuild a working FetchError.
        super().__init__(code, message)
        self.code: FetchErrorCode = code
        self.message = message
        self.transient = transient
        self.url = url  # credentials stripped, safe to log
        self.status = status  # HTTP status when code == "http_error"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r}, transient={self.transient})"


def fetch_document(
    url: str,
    *,
    allowed_hosts: Collection[str] = (),
    max_bytes: int = 5 * 1024 * 1024,
    connect_timeout: float = 5.0,
    read_timeout: float = 10.0,
    total_timeout: float = 30.0,
    max_redirects: int = 5,
    resolver: Resolver | None = None,
    user_agent: str = DEFAULT_USER_AGENT,
    accepted_types: Collection[str] = ACCEPTED_CONTENT_TYPES,
    accept: str = DEFAULT_ACCEPT,
    conditional_headers: dict[str, str] | None = None,
) -> FetchedDocument:
    """Download ``url`` if it is a public, text-like document; raise FetchError otherwise.

    ``allowed_hosts`` are exact host names (case-insensitive) exempt from the address
    check, for tests and intranet deployments. The exemption is per hop: a redirect from
    an allowed host to anything else is checked as usual.

    ``resolver(host, port)`` returns the host's IP addresses as strings; it is called once
    per hop and never for IP literals. Defaults to ``socket.getaddrinfo``.

    ``conditional_headers`` may hold only ``If-None-Match`` and ``If-Modified-Since``;
    they are sent on every hop, and a 304 answer comes back as a document (see above).
    """
    if isinstance(allowed_hosts, str):
        # A bare string would be iterated letter by letter and allow hosts named "l", "o"...
        raise TypeError("allowed_hosts must be a collection of host names, not a string")
    if max_bytes <= 0 or max_redirects < 0:
        raise ValueError("max_bytes must be positive and max_redirects not negative")
    if min(connect_timeout, read_timeout, total_timeout) <= 0:
        raise ValueError("timeouts must be positive")
    extra_headers = {name: value for name, value in (conditional_headers or {}).items() if value}
    if not set(extra_headers) <= CONDITIONAL_HEADERS:
        raise ValueError(f"only {sorted(CONDITIONAL_HEADERS)} may be added to the request")
    if any(_CONTROL_CHARACTERS.search(value) for value in extra_headers.values()):
        raise ValueError("header values must not contain control characters")

    settings = _Settings(
        allowed_hosts=frozenset(_normalise_allowed_host(host) for host in allowed_hosts),
        max_bytes=max_bytes,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        resolver=resolver or _resolve_with_getaddrinfo,
        user_agent=user_agent,
        deadline=_Deadline(expires_at=time.monotonic() + total_timeout, total=total_timeout),
        accepted_types=frozenset(accepted_types),
        accept=accept,
        extra_headers=tuple(extra_headers.items()),
    )
    current_url = url
    redirects_followed = 0
    while True:
        target = _check_target(current_url, settings)
        outcome = _exchange(target, settings)
        if isinstance(outcome, _Response):
            return FetchedDocument(
                url=url,
                final_url=current_url,
                status=outcome.status,
                content_type=outcome.content_type,
                charset=outcome.charset,
                body=outcome.body,
                etag=outcome.etag,
                last_modified=outcome.last_modified,
            )
        if redirects_followed >= max_redirects:
            raise FetchError(
                "too_many_redirects",
                f"Gave up on {_display(url)}: more than {max_redirects} redirects "
                f"(the last one pointed to {_display(outcome.location)}).",
                url=_display(url),
            )
        redirects_followed += 1
        current_url = urljoin(current_url, outcome.location)


# --- plumbing -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Deadline:
    expires_at: float
    total: float

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.expires_at

    def cap(self, limit: float) -> float:
        """Return ``limit`` shortened to what is left of the fetch, or raise if nothing is."""
        remaining = self.expires_at - time.monotonic()
        if remaining <= 0:
            raise _DeadlineExceeded()
        return min(limit, remaining)


class _DeadlineExceeded(TimeoutError):
    pass


@dataclass(frozen=True)
class _Settings:
    allowed_hosts: frozenset[str]
    max_bytes: int
    connect_timeout: float
    read_timeout: float
    resolver: Resolver
    user_agent: str
    deadline: _Deadline
    accepted_types: frozenset[str] = ACCEPTED_CONTENT_TYPES
    accept: str = DEFAULT_ACCEPT
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Target:
    """One hop, after its URL and addresses passed every check."""

    url: str
    scheme: str
    host: str  # IDNA, lowercase: sent as Host and used for SNI and certificate checks
    port: int
    request_target: str  # path and query, percent-encoded
    addresses: tuple[str, ...]  # the checked addresses; the only ones ever connected to


@dataclass(frozen=True)
class _Redirect:
    location: str


@dataclass(frozen=True)
class _Response:
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str = ""
    last_modified: str = ""


def _display(url: str) -> str:
    """Return ``url`` fit for a message: no credentials, no control characters, not huge."""
    shown = _USERINFO.sub(r"\1", url)
    shown = _CONTROL_CHARACTERS.sub(lambda match: repr(match.group())[1:-1], shown)
    return shown if len(shown) <= 200 else shown[:199] + "…"


def _normalise_allowed_host(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".")


def _resolve_with_getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# --- URL and address checks -----------------------------------------------------------


def _check_target(url: str, settings: _Settings) -> _Target:
    shown = _display(url)

    def refuse(code: FetchErrorCode, why: str, *, transient: bool = False) -> FetchError:
        return FetchError(code, f"Refused to fetch {shown}: {why}.", transient=transient, url=shown)

    if _CONTROL_CHARACTERS.search(url):
        # urlsplit silently drops tabs and newlines; what we check must be what we fetch.
        raise refuse("bad_url", "the URL contains control characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise refuse("bad_url", f"the URL cannot be parsed ({error})") from None

    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        why = f"{scheme}: URLs are not supported" if scheme else "the URL has no scheme"
        raise refuse("bad_scheme", f"{why}; only http:// and https:// are")
    if "@" in parts.netloc:
        raise refuse("bad_url", "URLs with a user name or password are not accepted")
    if not parts.hostname:
        raise refuse("bad_url", "the URL has no host")
    if port == 0:
        raise refuse("bad_url", "port 0 is not a valid port")
    port = port or _DEFAULT_PORTS[scheme]

    bracketed = parts.netloc.startswith("[")
    host = _normalise_host(parts.hostname, bracketed=bracketed, refuse=refuse)
    bare_host = host.rstrip(".")
    allowed = bare_host in settings.allowed_hosts

    literal = _parse_ip_literal(bare_host, bracketed=bracketed, refuse=refuse)
    if literal is not None:
        addresses = [literal]
    elif (bare_host == "localhost" or bare_host.endswith(".localhost")) and not allowed:
        # RFC 6761: these names are loopback whatever DNS says; no need to ask it.
        raise refuse("blocked_address", f"{host} is a loopback host name")
    else:
        addresses = _resolve(host, port, settings, refuse)
        if settings.deadline.expired:
            raise _timeout_error(settings, host, "resolving the host name", shown)

    if not allowed:
        for address in addresses:
            reason = _why_not_public(address)
            if reason is None:
                continue
            if literal is None:
                raise refuse("blocked_address", f"{host} resolves to {address}, {reason}")
            if str(address) == bare_host:
                raise refuse("blocked_address", f"{host} is {reason}")
            raise refuse("blocked_address", f"{host} is {address}, {reason}")

    request_target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        request_target += "?" + quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return _Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        request_target=request_target,
        addresses=tuple(str(address) for address in addresses),
    )


def _normalise_host(hostname: str, *, bracketed: bool, refuse: _Refuse) -> str:
    if bracketed:
        return hostname  # an IPv6 literal, validated by _parse_ip_literal
    if not hostname.isascii():
        try:
            # Also folds full-width digits (U+FF11 U+FF12 U+FF17...) into "127.0.0.1".
            hostname = hostname.encode("idna").decode("ascii")
        except UnicodeError:
            raise refuse("bad_url", f"{hostname} is not a valid host name") from None
    hostname = hostname.lower()
    if len(hostname.rstrip(".")) > 253 or not _HOST_NAME.match(hostname):
        raise refuse("bad_url", f"{hostname} is not a valid host name")
    return hostname


def _parse_ip_literal(host: str, *, bracketed: bool, refuse: _Refuse) -> IPAddress | None:
    if bracketed:
        try:
            return IPv6Address(host)
        except ValueError:
            raise refuse("bad_url", f"[{host}] is not a valid IPv6 address") from None
    try:
        return IPv4Address(host)
    except ValueError:
        pass
    if not _NUMERIC_LAST_LABEL.match(host.rsplit(".", 1)[-1]):
        return None
    # inet_aton is the parser getaddrinfo and browsers fall back to, so it understands
    # every legacy form: 2130706433, 0177.0.0.1, 0x7f.1, 127.1.
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:
        raise refuse("bad_url", f"{host} looks like an IP address but is not a valid one") from None


def _resolve(
    host: str,
    port: int,
    settings: _Settings,
    refuse: _Refuse,
) -> list[IPAddress]:
    try:
        resolved = settings.resolver(host, port)
    except socket.gaierror as error:
        # "No such host" will not fix itself; a resolver hiccup (EAI_AGAIN) may.
        raise refuse(
            "dns_failure",
            f"{host} could not be resolved ({error.strerror})",
            transient=error.errno == socket.EAI_AGAIN,
        ) from None
    except (OSError, UnicodeError) as error:
        raise refuse(
            "dns_failure", f"{host} could not be resolved ({error})", transient=True
        ) from None
    if isinstance(resolved, str):
        resolved = [resolved]
    if not resolved:
        raise refuse("dns_failure", f"{host} has no addresses")
    addresses = []
    for text in resolved:
        try:
            addresses.append(ip_address(text))
        except ValueError:
            raise refuse("dns_failure", f"{host} resolved to {text!r}, not an address") from None
    return addresses


def _why_not_public(address: IPAddress) -> str | None:
    """Return why ``address`` must not be fetched from, or None when it is public."""
    if isinstance(address, IPv6Address):
        embedded, form = _embedded_ipv4(address)
        if embedded is not None:
            reason = _why_not_public(embedded)
            if reason is not None:
                return f"the {form} form of {embedded}, {reason}"
            if form != "6to4":
                # The packets go to the embedded IPv4 address, which is public.
                return None
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, IPv6Address) and address.is_site_local:
        return "a site-local address"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global or any(address in network for network in _NOT_GLOBAL_NETWORKS):
        return "not a globally routable address"
    return None


def _embedded_ipv4(address: IPv6Address) -> tuple[IPv4Address | None, str]:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, "IPv4-mapped"
    if address.sixtofour is not None:
        return address.sixtofour, "6to4"
    if address in _NAT64_WELL_KNOWN:
        return IPv4Address(int(address) & 0xFFFFFFFF), "NAT64"
    return None, ""


# --- the HTTP exchange ----------------------------------------------------------------


class _DeadlineReader(io.RawIOBase):
    """Socket reads that honour both the per-read timeout and the fetch deadline.

    http.client reads status and headers line by line on its own; routing every recv
    through here is what stops a server dripping header bytes from outliving the deadline.
    """

    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        return self._owner.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.file_closed()
        super().close()


class _DeadlineSocket:
    """The slice of the socket API http.client uses, with deadlines on every call.

    Like a real socket, closing it while a file made by makefile() is open only takes
    effect once that file closes: http.client hands the connection over to the response
    by closing its own end (HTTPConnection.getresponse when the server says "close").
    """

    def __init__(self, sock: socket.socket, read_timeout: float, deadline: _Deadline) -> None:
        self._sock = sock
        self._read_timeout = read_timeout
        self._deadline = deadline
        self._open_files = 0
        self._close_requested = False

    def sendall(self, data: bytes) -> None:
        # Since Python 3.5 the timeout bounds the whole sendall, not each send.
        self._sock.settimeout(self._deadline.cap(self._read_timeout))
        self._sock.sendall(data)

    def recv_into(self, buffer: bytearray | memoryview) -> int:
        self._sock.settimeout(self._deadline.cap(self._read_timeout))
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        if mode != "rb":
            raise ValueError("only binary reading is supported")
        self._open_files += 1
        return io.BufferedReader(_DeadlineReader(self))

    def file_closed(self) -> None:
        self._open_files -= 1
        if self._close_requested and not self._open_files:
            self._sock.close()

    def close(self) -> None:
        self._close_requested = True
        if not self._open_files:
            self._sock.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the checked addresses only; Host still names the original host."""

    def __init__(self, target: _Target, settings: _Settings) -> None:
        super().__init__(target.host, target.port, timeout=settings.connect_timeout)
        self._target = target
        self._settings = settings

    def connect(self) -> None:
        self.sock = self._wrap(self._connect_to_checked_address())

    def _wrap(self, sock: socket.socket) -> _DeadlineSocket:
        return _DeadlineSocket(sock, self._settings.read_timeout, self._settings.deadline)

    def _connect_to_checked_address(self) -> socket.socket:
        last_error: OSError | None = None
        for address in self._target.addresses:
            timeout = self._settings.deadline.cap(self._settings.connect_timeout)
            try:
                # An IP string: create_connection does no DNS lookup for it.
                return socket.create_connection((address, self._target.port), timeout=timeout)
            except OSError as error:
                last_error = error
        assert last_error is not None  # _check_target never yields an empty address list
        raise last_error


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def connect(self) -> None:
        raw = self._connect_to_checked_address()
        try:
            # The timeout bounds the whole handshake, not each read (Python >= 3.5).
            raw.settimeout(self._settings.deadline.cap(self._settings.connect_timeout))
            # A fresh default context: system CAs, hostname checking, TLS >= 1.2.
            context = ssl.create_default_context()
            tls = context.wrap_socket(raw, server_hostname=self._target.host)
        except BaseException:
            raw.close()
            raise
        self.sock = self._wrap(tls)


def _exchange(target: _Target, settings: _Settings) -> _Response | _Redirect:
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, settings)
    shown = _display(target.url)
    phase = "connecting"
    response: http.client.HTTPResponse | None = None
    try:
        connection.connect()
        phase = "waiting for the response"
        connection.request(
            "GET",
            target.request_target,
            headers={
                "User-Agent": settings.user_agent,
                "Accept": settings.accept,
                **dict(settings.extra_headers),
                # Compressed bodies are decoded with a cap anyway; asking for identity
                # keeps the wire size and the body size the same number.
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        phase = "reading the body"
        return _handle_response(response, target, settings)
    except TimeoutError:
        raise _timeout_error(settings, target.host, phase, shown) from None
    except ssl.SSLCertVerificationError as error:
        raise FetchError(
            "tls_error",
            f"Could not fetch {shown}: the TLS certificate of {target.host} was not accepted ({error.verify_message}).",
            url=shown,
        ) from None
    except ssl.SSLEOFError:
        raise FetchError(
            "connection_failed",
            f"Could not fetch {shown}: {target.host} closed the connection during TLS setup.",
            transient=True,
            url=shown,
        ) from None
    except ssl.SSLError as error:
        raise FetchError(
            "tls_error",
            f"Could not fetch {shown}: TLS with {target.host} failed ({error.reason}).",
            url=shown,
        ) from None
    except (OSError, http.client.IncompleteRead) as error:
        raise FetchError(
            "connection_failed",
            f"Could not fetch {shown}: the connection to {target.host} failed while "
            f"{phase} ({_describe_os_error(error)}).",
            transient=True,
            url=shown,
        ) from None
    except http.client.HTTPException as error:
        raise FetchError(
            "bad_response",
            f"Could not fetch {shown}: {target.host} sent a malformed HTTP response ({type(error).__name__}).",
            url=shown,
        ) from None
    finally:
        if response is not None:
            response.close()
        connection.close()


def _handle_response(
    response: http.client.HTTPResponse, target: _Target, settings: _Settings
) -> _Response | _Redirect:
    shown = _display(target.url)

    def fail(code: FetchErrorCode, why: str, *, transient: bool = False) -> FetchError:
        return FetchError(
            code,
            f"Could not fetch {shown}: {why}.",
            transient=transient,
            url=shown,
            status=response.status,
        )

    status = response.status
    if status in REDIRECT_STATUSES:
        location = response.getheader("Location")
        if not location:
            raise fail("http_error", f"the server answered {status} without a Location")
        return _Redirect(_repair_location(location.strip()))
    validators = {
        "etag": (response.getheader("ETag") or "").strip()[:500],
        "last_modified": (response.getheader("Last-Modified") or "").strip()[:100],
    }
    if status == 304 and settings.extra_headers:
        return _Response(status=status, content_type="", charset=None, body=b"", **validators)
    if not 200 <= status < 300:
        transient = status >= 500 or status in (408, 425, 429)
        raise fail(
            "http_error",
            f"the server answered {status} {response.reason}".rstrip(),
            transient=transient,
        )

    raw_type = response.getheader("Content-Type")
    if not raw_type:
        raise fail("bad_content_type", "the server did not say what type of document it is")
    content_type = raw_type.split(";", 1)[0].strip().lower()
    if content_type not in settings.accepted_types:
        wanted = (
            "an HTML, Markdown or text document"
            if settings.accepted_types == ACCEPTED_CONTENT_TYPES
            else "one of " + ", ".join(sorted(settings.accepted_types))
        )
        raise fail("bad_content_type", f"it is {content_type or 'an unnamed type'}, not {wanted}")

    declared_length = _declared_length(response)
    if declared_length is not None and declared_length > settings.max_bytes:
        raise fail(
            "too_large",
            f"it is {declared_length} bytes, more than the limit of {settings.max_bytes}",
        )
    body = _read_body(response, settings.max_bytes, declared_length, fail)
    return _Response(
        status=status,
        content_type=content_type,
        charset=response.msg.get_content_charset(),
        body=body,
        **validators,
    )


def _read_body(
    response: http.client.HTTPResponse,
    max_bytes: int,
    declared_length: int | None,
    fail: Callable[..., FetchError],
) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        # wbits 32+: accept both gzip and zlib headers, since "deflate" is sent either way.
        decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)
    elif encoding == "identity":
        decoder = None
    else:
        raise fail("bad_content_encoding", f"it is encoded as {encoding!r}, which is not supported")

    too_large = f"it is more than the limit of {max_bytes} bytes"
    body = bytearray()
    received = 0
    while chunk := response.read1(_READ_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise fail("too_large", too_large)
        if decoder is None:
            body += chunk
            continue
        try:
            # max_length bounds memory for a decompression bomb: one byte past the cap is
            # enough to know it is too large.
            body += decoder.decompress(chunk, max_bytes - len(body) + 1)
        except zlib.error:
            raise fail("bad_content_encoding", f"its {encoding} data is corrupt") from None
        if len(body) > max_bytes:
            raise fail("too_large", too_large)
    if declared_length is not None and received < declared_length:
        raise fail(
            "connection_failed",
            f"the server closed the connection after {received} of {declared_length} bytes",
            transient=True,
        )
    if decoder is not None:
        body += decoder.flush(max_bytes - len(body) + 1)
        if len(body) > max_bytes:
            raise fail("too_large", too_large)
    return bytes(body)


def _declared_length(response: http.client.HTTPResponse) -> int | None:
    if response.getheader("Transfer-Encoding"):
        return None  # chunked wins over Content-Length (RFC 9112, 6.3)
    try:
        length = int(response.getheader("Content-Length") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def _repair_location(location: str) -> str:
    # http.client decodes headers as Latin-1; servers that put raw UTF-8 in Location
    # mean UTF-8.
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def _timeout_error(settings: _Settings, host: str, phase: str, shown: str) -> FetchError:
    if settings.deadline.expired:
        why = f"it took longer than {settings.deadline.total:g} s in total (while {phase})"
    elif phase == "connecting":
        why = f"{host} did not complete a connection within {settings.connect_timeout:g} s"
    else:
        why = f"{host} sent nothing for {settings.read_timeout:g} s (while {phase})"
    return FetchError("timeout", f"Gave up on {shown}: {why}.", transient=True, url=shown)


def _describe_os_error(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__
