"""The fixed-window limiter behind the career site's apply rate (attract.ratelimit)."""

import pytest
from django.test import RequestFactory

from attract import ratelimit
from attract.ratelimit import Rate, hit, parse_rate


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/hour", Rate(10, 3600)),
        ("10/h", Rate(10, 3600)),
        ("5/minutes", Rate(5, 60)),
        ("100/15m", Rate(100, 900)),
        (" 3 / day ", Rate(3, 86400)),
        ("1/s", Rate(1, 1)),
    ],
)
def test_rates_are_read_from_text(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "ten/hour", "10", "10/fortnight", "10/0h"])
def test_a_bad_rate_is_refused(text):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


def test_the_limit_counts_per_key_within_a_window(monkeypatch):
    rate = Rate(limit=2, seconds=60)
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6000.0)

    verdicts = [hit("a", rate) for _ in range(3)]

    assert [v.allowed for v in verdicts] == [True, True, False]
    assert [v.count for v in verdicts] == [1, 2, 3]
    assert verdicts[-1].retry_after == 60
    assert hit("b", rate).allowed  # another key counts on its own

    # the next window starts afresh
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6060.0)
    assert hit("a", rate).allowed


def test_the_client_address_is_the_remote_address_unless_behind_a_proxy(monkeypatch):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert ratelimit.client_ip(request) == "10.0.0.1"
    monkeypatch.setattr(ratelimit, "BEHIND_PROXY", True)
    # the proxy appends the real client: an address the client sent itself comes before it
    assert ratelimit.client_ip(request) == "203.0.113.9"
