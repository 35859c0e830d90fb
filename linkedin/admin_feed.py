"""The job-posting section of the admin LinkedIn integration tab."""

from django.http import HttpRequest


def admin_context(request: HttpRequest) -> dict:
    return {}
