"""Reading a calendar link: hostile input, fetched with care.

A mentor's calendar link can point anywhere, so the fetcher refuses what would let it be used
against us or our network:

- http and https only (a `webcal://` link, as calendar apps hand out, is read over https);
- the host name is resolved here, every address it resolves to must be public (no private,
  loopback, link-local, multicast, reserved or unspecified address), and the connection goes to
  that checked address, so a second DNS answer cannot swap in another one;
- each redirect is checked the same way, at most MAX_REDIRECTS of them;
- a timeout on connecting and on every read, and a deadline for the whole download;
- a size cap, counted while streaming, that aborts the download as soon as it is passed.

Errors carry a code only (`BusyCalendarError`). Nothing here logs or raises the link itself: it
is a secret that opens the mentor's whole calendar.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from sessions.models import BusyCalendarError

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
# The whole download, however slowly the server drips it.
DEADLINE_FACTOR = 3
USER_AGENT = "MentorshipBusyTimes/1.0 (+calendar subscription reader)"


class FetchError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_url(url: str) -> str:
    """The link as it will be fetched: trimmed, `webcal://` read as `https://`. Raises FetchError
    (invalid_address) for anything that is not an http(s) link with a host."""
    url = (url or "").strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    _parts(url)
    return url


def url_hint(url: str) -> str:
    """What may be shown of a link: its host and the last four characters — of the secret part,
    not of a file name every link ends with (Outlook's ".../calendar.ics", Google's
    ".../basic.ics")."""
    parts = urlsplit(url)
    head, _slash, last = parts.path.rstrip("/").rpartition("/")
    stem = last[:-4] if last.lower().endswith(".ics") else last
    if parts.query:
        secret = parts.query
    elif stem != last and not any(char.isdigit() for char in stem) and head.strip("/"):
        secret = head  # a plain file name such as calendar.ics: the secret is before it
    else:
        secret = stem or url
    return f"{parts.hostname or '?'} …{secret[-4:]}"


def _parts(url: str):
    if len(url) > 2000 or any(ord(char) < 33 for char in url):
        raise FetchError(BusyCalendarError.INVALID_ADDRESS)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(BusyCalendarError.INVALID_ADDRESS) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(BusyCalendarError.INVALID_ADDRESS)
    return parts, port or (443 if parts.scheme == "https" else 80)


def is_public_address(address: str) -> bool:
    """True for an address on the public internet; False for private, loopback, link-local,
    multicast, reserved, unspecified and shared (carrier-grade NAT) ones, IPv4 inside IPv6 too."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour):
        ip = ip.ipv4_mapped or ip.sixtofour
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def _resolve(host: str, port: int) -> str:
    """One address to connect to. Every address the name resolves to must be allowed: a name
    with one public and one private address is refused, whichever would be picked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(BusyCalendarError.UNREACHABLE) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(BusyCalendarError.UNREACHABLE)
    if not settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES:
        try:
            allowed = all(is_public_address(address) for address in addresses)
        except ValueError:
            allowed = False
        if not allowed:
            raise FetchError(BusyCalendarError.NOT_PUBLIC)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address checked, whatever the host name would resolve to now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address checked; the certificate is still checked against the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str) -> bytes:
    """The body the link gives, or FetchError with the reason's code."""
    timeout = settings.CALENDAR_FETCH_TIMEOUT_SECONDS
    limit = settings.CALENDAR_FETCH_MAX_BYTES
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    for _hop in range(MAX_REDIRECTS + 1):
        parts, port = _parts(url)
        address = _resolve(parts.hostname, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(BusyCalendarError.TIMEOUT)
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address=address, timeout=min(timeout, remaining))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                target,
                headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5", "Accept-Encoding": "identity"},
            )
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(BusyCalendarError.HTTP_ERROR)
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(BusyCalendarError.HTTP_ERROR)
            return _read_capped(response, limit=limit, deadline=deadline)
        except TimeoutError:
            raise FetchError(BusyCalendarError.TIMEOUT) from None
        except (OSError, http.client.HTTPException, ValueError):
            # Connection refused or reset, TLS failures, a malformed response: the error's text
            # may contain the address, so only the code leaves.
            raise FetchError(BusyCalendarError.UNREACHABLE) from None
        finally:
            connection.close()
    raise FetchError(BusyCalendarError.TOO_MANY_REDIRECTS)


def _read_capped(response: http.client.HTTPResponse, *, limit: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise FetchError(BusyCalendarError.TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchError(BusyCalendarError.TOO_LARGE)
        if time.monotonic() > deadline:
            raise FetchError(BusyCalendarError.TIMEOUT)
        chunks.append(chunk)
    return b"".join(chunks)
