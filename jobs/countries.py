"""ISO 3166-1 alpha-2 country codes, validated against pycountry's tables."""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError


@cache
def _countries() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


def country_choices() -> list[tuple[str, str]]:
    return sorted(_countries().items(), key=lambda item: item[1])


def country_name(code: str) -> str:
    return _countries().get(code.upper(), "")


def validate_country_code(value: str) -> None:
    if value not in _countries():
        raise ValidationError(
            "%(value)s is not an ISO 3166 two-letter country code (e.g. GB, US, NO).",
            code="invalid_country",
            params={"value": value},
        )
