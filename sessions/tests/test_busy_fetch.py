"""Reading a calendar link is reading hostile input: only http(s), only public addresses (after
DNS, on every redirect, and the address checked is the one connected to), a timeout, a size cap,
and a malformed file is a plain error on the mentor's page — never a crash."""

import datetime
import socket
import time

import pytest
from django.utils import timezone

from demo.factories import make_busy_calendar, make_busy_interval
from sessions.busy import fetch as fetching
from sessions.busy.fetch import FetchError, fetch, is_public_address, normalise_url, url_hint
from sessions.busy.services import refresh_calendar
from sessions.models import BusyCalendar, BusyInterval

pytestmark = pytest.mark.django_db

SMALL_CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nEND:VCALENDAR\r\n"
MB = 1024 * 1024


def code_of(url: str) -> str:
    with pytest.raises(FetchError) as refused:
        fetch(url)
    return refused.value.code


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything connects anywhere."""

    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def public_stand_in(monkeypatch):
    """127.0.0.2 plays a public server; every other address keeps the real rule."""
    real = fetching.is_public_address
    monkeypatch.setattr(fetching, "is_public_address", lambda address: address == "127.0.0.2" or real(address))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2a00:1450:4001:80b::200e", True),
        ("127.0.0.1", False),
        ("127.0.0.2", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 inside IPv6
        ("ff02::1", False),
    ],
)
def test_only_public_addresses_count_as_public(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/calendar.ics",
        "http://10.0.0.8/calendar.ics",
        "https://192.168.1.1/calendar.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/calendar.ics",
        "http://0.0.0.0/calendar.ics",
        "http://localhost/calendar.ics",
    ],
)
def test_a_link_to_a_private_address_is_refused_without_connecting(settings, no_connections, url):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    assert code_of(url) == "not_public"


def test_a_name_that_resolves_to_a_private_address_is_refused(settings, no_connections, monkeypatch):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443)))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    # One public and one private answer: refused, whichever would have been picked.
    assert code_of("https://calendar.example.net/cal.ics") == "not_public"


def test_the_local_server_itself_is_refused_when_private_addresses_are_not_allowed(calendar_server, settings):
    url = calendar_server.serve_ics("/cal.ics", SMALL_CALENDAR)
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    assert code_of(url) == "not_public"
    assert calendar_server.requests == []


def test_a_redirect_to_127_0_0_1_is_refused(calendar_servers, settings, public_stand_in):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    inside = calendar_servers("127.0.0.1")
    inside.serve_ics("/secret.ics", SMALL_CALENDAR)
    outside = calendar_servers("127.0.0.2")
    url = outside.redirect("/cal.ics", inside.url("/secret.ics"))
    assert code_of(url) == "not_public"
    assert outside.requests == [("/cal.ics", f"127.0.0.2:{outside.port}")]
    assert inside.requests == []  # never reached


def test_a_redirect_to_a_public_address_is_followed(calendar_servers, settings, public_stand_in):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    server = calendar_servers("127.0.0.2")
    server.serve_ics("/moved.ics", SMALL_CALENDAR)
    assert fetch(server.redirect("/cal.ics", "/moved.ics")) == SMALL_CALENDAR.encode()


def test_redirects_are_limited(calendar_server):
    calendar_server.redirect("/loop.ics", "/loop.ics")
    assert code_of(calendar_server.url("/loop.ics")) == "too_many_redirects"
    assert len(calendar_server.requests) == fetching.MAX_REDIRECTS + 1


def test_the_connection_goes_to_the_address_that_was_checked(calendar_servers, settings, monkeypatch, public_stand_in):
    """The name is resolved once, checked, and that address is connected to (no second lookup
    that a DNS server could answer differently); the Host header keeps the name."""
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    server = calendar_servers("127.0.0.2")
    server.serve_ics("/cal.ics", SMALL_CALENDAR)
    lookups = []

    def resolve(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert fetch(f"http://calendar.example.net:{server.port}/cal.ics") == SMALL_CALENDAR.encode()
    assert [host for host in lookups if host != "127.0.0.2"] == ["calendar.example.net"]  # the rest: the literal
    assert server.requests == [("/cal.ics", f"calendar.example.net:{server.port}")]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.net/cal.ics", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/", "no link", "http:///x"],
)
def test_only_http_and_https_links_are_read(url, no_connections):
    assert code_of(url) == "invalid_address"
    with pytest.raises(FetchError):
        normalise_url(url)


def test_a_webcal_link_is_read_over_https():
    assert normalise_url("  webcal://calendar.example.net/a/b.ics ") == "https://calendar.example.net/a/b.ics"


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://outlook.example.net/owa/calendar/0123456789abcdef/reachcalendar.ics", "outlook.example.net …cdef"),
        (
            "https://calendar.example.com/calendar/ical/x%40example.com/private-9f8e7d/basic.ics",
            "calendar.example.com …8e7d",
        ),
        ("https://cal.example.net/feed?token=abcdef123456", "cal.example.net …3456"),
        ("https://cal.example.net/work.ics", "cal.example.net …work"),
        ("https://cal.example.net/feeds/a1b2c3d4e5.ics", "cal.example.net …d4e5"),
        ("https://cal.example.net/u/4f2a9c", "cal.example.net …2a9c"),
    ],
)
def test_the_hint_shows_the_host_and_last_four_characters_of_the_secret_only(url, hint):
    assert url_hint(url) == hint


def test_a_20_mb_file_is_refused_by_the_size_cap(calendar_server):
    calendar_server.serve_ics("/huge.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * (20 * MB))
    assert code_of(calendar_server.url("/huge.ics")) == "too_large"


def test_a_20_mb_file_without_a_length_is_cut_off_while_streaming(calendar_server):
    sent = []

    def stream(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
        for _chunk in range(20 * 16):
            handler.wfile.write(b"X" * (64 * 1024))
            sent.append(64 * 1024)

    calendar_server.routes["/stream.ics"] = stream
    assert code_of(calendar_server.url("/stream.ics")) == "too_large"


def test_a_server_that_does_not_answer_times_out(calendar_server, settings):
    settings.CALENDAR_FETCH_TIMEOUT_SECONDS = 0.3

    def hang(handler):
        time.sleep(1.5)

    calendar_server.routes["/slow.ics"] = hang
    started = time.monotonic()
    assert code_of(calendar_server.url("/slow.ics")) == "timeout"
    assert time.monotonic() - started < 1.4


def test_an_error_status_is_an_http_error(calendar_server):
    assert code_of(calendar_server.url("/missing.ics")) == "http_error"


def test_a_closed_port_is_unreachable(settings):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = True
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert code_of(f"http://127.0.0.1:{port}/cal.ics") == "unreachable"


# What the mentor's calendar row records ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<html><body>Sign in to Outlook</body></html>", "malformed"),
        (b"", "malformed"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:not-a-date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "malformed"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026\xff\xfe\r\n", "malformed"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T090001Z\r\n"
            b"RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "too_many_events",
        ),
    ],
    ids=["html", "empty", "bad-date", "broken-bytes", "secondly"],
)
def test_a_calendar_that_cannot_be_read_keeps_its_old_busy_times_and_records_why(calendar_server, mentor, body, code):
    calendar = make_busy_calendar(mentor=mentor, url=calendar_server.serve_ics("/cal.ics", body))
    soon = timezone.now() + datetime.timedelta(days=2)
    old = make_busy_interval(calendar=calendar, start=soon, end=soon + datetime.timedelta(hours=1))
    assert refresh_calendar(calendar.pk) == code
    calendar.refresh_from_db()
    assert calendar.error == code
    assert calendar.attempted_at is not None
    assert calendar.read_at is None
    assert list(BusyInterval.objects.filter(calendar=calendar)) == [old]


def test_a_private_address_is_recorded_as_an_error(mentor, settings, no_connections):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = False
    calendar = make_busy_calendar(mentor=mentor, url="http://192.168.0.10/calendar.ics")
    assert refresh_calendar(calendar.pk) == "not_public"
    assert BusyCalendar.objects.get(pk=calendar.pk).error == "not_public"


def test_a_removed_calendar_is_gone():
    assert refresh_calendar(987654) == "gone"


# HTTPS: the certificate is checked against the link's host name, not the address connected to ---


@pytest.fixture
def https_server(calendar_servers, settings, monkeypatch, tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for calendar.example.net that the fetcher
    trusts; calendar.example.net and wrong.example.net both resolve to 127.0.0.1."""
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "calendar.example.net")])
    now = datetime.datetime.now(datetime.UTC)  # the test's clock; OpenSSL checks against the real one
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=3650))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("calendar.example.net")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    real_default_context = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: real_default_context(cafile=str(cert_file)))
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in ("calendar.example.net", "wrong.example.net"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    settings.CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = True
    return calendar_servers("127.0.0.1", tls_context=server_context)


def test_an_https_link_is_read_with_the_certificate_checked_against_its_host(https_server):
    https_server.serve_ics("/cal.ics", SMALL_CALENDAR)
    assert fetch(f"https://calendar.example.net:{https_server.port}/cal.ics") == SMALL_CALENDAR.encode()
    assert https_server.requests == [("/cal.ics", f"calendar.example.net:{https_server.port}")]


def test_an_https_server_whose_certificate_names_another_host_is_not_read(https_server):
    https_server.serve_ics("/cal.ics", SMALL_CALENDAR)
    assert code_of(f"https://wrong.example.net:{https_server.port}/cal.ics") == "unreachable"
    assert https_server.requests == []
