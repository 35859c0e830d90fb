"""Validation errors that keep their code, so callers can tell why a service refused."""

from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field; Django drops a dict-level code, so it sits inside."""
    return ValidationError({field: ValidationError(message, code=code)})
