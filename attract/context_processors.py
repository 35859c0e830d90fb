from django.http import HttpRequest

from attract.selectors import organisation_get


def organisation(request: HttpRequest) -> dict:
    return {"organisation": organisation_get()}
