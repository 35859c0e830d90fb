"""Payloads every page must render inert (escaped text, never markup or script)."""

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "{{ 7*7 }}{% now 'Y' %}",
    "</textarea><script>alert(2)</script>",
    '<a href="javascript:alert(3)">click</a>',
]
# What must never appear unescaped in a page that shows one of the payloads.
FORBIDDEN = [
    "<script>alert",
    "<img src=x onerror",
    "<svg/onload",
    'href="javascript:',
    "onmouseover='",
]


def assert_inert(html: str) -> None:
    for marker in FORBIDDEN:
        assert marker not in html, f"unescaped payload {marker!r} in page"
