"""Issue 16 items 1, 2 and 9: the fetcher against hostile redirects, trickling servers and
IPv6 wrappings of an allow-listed address."""

from __future__ import annotations

import time

import pytest

from tests.factories import FeedFactory
from timeline.ingestion import errors
from timeline.ingestion.errors import Stop
from timeline.ingestion.feeds import feed_poll
from timeline.ingestion.safe_fetch import address_refusal, check_url, fetch

BACKSLASH_LOCATIONS = [
    "http:\\\\host/",
    "https:\\\\host/",
    "http:\\\\127.0.0.1/",
    "http://[::1/",
    "http://[v1.x]/",
]


@pytest.mark.parametrize("location", BACKSLASH_LOCATIONS)
def test_fetch_refuses_a_redirect_to_an_unparsable_location(raw_server, location):
    raw_server.script = [
        (
            f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode(),
            0,
        )
    ]

    with pytest.raises(Stop) as caught:
        fetch(raw_server.url("/start"))

    assert (caught.value.reason_code, caught.value.transient) == (errors.INVALID_URL, False)


@pytest.mark.django_db
def test_feed_poll_records_a_redirect_to_a_backslash_location_as_a_failure(raw_server):
    raw_server.script = [
        (b"HTTP/1.1 302 Found\r\nLocation: http:\\\\host/\r\nContent-Length: 0\r\n\r\n", 0)
    ]
    feed = FeedFactory(url=raw_server.url("/feed.xml"))

    result = feed_poll(feed)

    feed.refresh_from_db()
    assert result.error == errors.INVALID_URL
    assert feed.consecutive_failures == 1
    assert feed.last_error.startswith("invalid_url:")


def _trickle(data: bytes, pause: float) -> list[tuple[bytes, float]]:
    return [(data[i : i + 1], pause) for i in range(len(data))]


def test_fetch_gives_up_on_headers_trickling_past_the_total_deadline(raw_server, settings):
    # Each byte comes well within the read timeout; only a total deadline can stop this.
    settings.INGESTION_READ_TIMEOUT = 5
    settings.INGESTION_TOTAL_TIMEOUT = 2
    headers = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 200
    raw_server.script = _trickle(headers, 0.2)
    started = time.monotonic()

    with pytest.raises(Stop) as caught:
        fetch(raw_server.url("/trickle-headers"))

    elapsed = time.monotonic() - started
    assert (caught.value.reason_code, caught.value.transient) == (errors.TIMEOUT, True)
    assert elapsed < 3.5


def test_fetch_gives_up_on_a_body_trickling_past_the_total_deadline(raw_server, settings):
    settings.INGESTION_READ_TIMEOUT = 5
    settings.INGESTION_TOTAL_TIMEOUT = 2
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<p>"
    raw_server.script = [(head, 0), *_trickle(b"x" * 1000, 0.3)]
    started = time.monotonic()

    with pytest.raises(Stop) as caught:
        fetch(raw_server.url("/trickle-body"))

    assert caught.value.reason_code == errors.TIMEOUT
    assert time.monotonic() - started < 3.5


def test_fetch_within_the_deadline_still_reads_the_page(raw_server, settings):
    settings.INGESTION_TOTAL_TIMEOUT = 5
    body = b"<html><body><p>on time</p></body></html>"
    raw_server.script = [
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode(),
            0.2,
        ),
        (body, 0),
    ]

    result = fetch(raw_server.url("/ok"))

    assert result.content == body


WRAPPED_LOOPBACK = [
    "64:ff9b::7f00:1",  # NAT64
    "2002:7f00:1::",  # 6to4
    "::127.0.0.1",  # IPv4-compatible
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
]


@pytest.mark.parametrize("address", WRAPPED_LOOPBACK)
def test_allow_list_does_not_admit_ipv6_wrappings_of_an_allowed_address(address, settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    with pytest.raises(Stop) as caught:
        check_url(f"http://[{address}]/")

    assert caught.value.reason_code == errors.BLOCKED_ADDRESS
    assert "wraps the allowed address 127.0.0.1" in caught.value.message


def test_ipv4_mapped_form_of_an_allowed_address_connects_to_the_ipv4_address(
    local_server, settings
):
    # The corpus server listens on IPv4 only: the page arrives only if the socket went to
    # 127.0.0.1, the address that was checked, not to the IPv6 form.
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]

    _parsed, ip = check_url(f"http://[::ffff:127.0.0.1]:{local_server.port}/echo-host")
    result = fetch(f"http://[::ffff:127.0.0.1]:{local_server.port}/echo-host")

    assert str(ip) == "127.0.0.1"
    assert result.status_code == 200


def test_wrapped_public_address_is_still_judged_by_the_address_inside(settings):
    settings.INGESTION_ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    import ipaddress

    assert address_refusal(ipaddress.ip_address("64:ff9b::a9fe:a9fe")) == (
        "64:ff9b::a9fe:a9fe embeds 169.254.169.254: 169.254.169.254 is a link-local address"
    )
