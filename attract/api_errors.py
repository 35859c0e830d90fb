"""One error format for every 4xx answer of the REST API, and its description in the schema.

Every refusal answers `{"error": {"status", "code", "message", "fields"}}`:
- `code` is `validation_error` for malformed input, the service's own code when a service refused
  (`illegal_transition`, `duplicate_application`, ...), else DRF's (`not_authenticated`,
  `permission_denied`, `not_found`, `method_not_allowed`, `throttled`, ...);
- `fields` maps an input field (dotted for nested input: `stages.2.kind`) to its messages.
Services raise Django's ValidationError, PermissionDenied and Http404; they become 400, 403, 404.
"""

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

VALIDATION_CODE = "validation_error"


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: any 4xx as the one error body; None lets 5xx raise."""
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return None
    headers = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header
    if getattr(api_exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(api_exc.wait))
    set_rollback()
    body = error_body(api_exc.status_code, *_describe(exc, api_exc))
    return Response(body, status=api_exc.status_code, headers=headers)


def error_body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError()
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return None


def _describe(exc: Exception, api_exc: exceptions.APIException) -> tuple[str, str, dict]:
    """(code, message, fields) of a refusal."""
    if isinstance(exc, DjangoValidationError):
        return _service_validation(exc)
    if isinstance(api_exc, exceptions.ValidationError):
        fields = _flatten(api_exc.detail)
        general = fields.pop("", []) + fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
        return VALIDATION_CODE, _message(general, fields), fields
    detail = api_exc.detail
    code = getattr(detail, "code", None) or api_exc.default_code
    return str(code), str(detail), {}


def _service_validation(exc: DjangoValidationError) -> tuple[str, str, dict]:
    """A service's ValidationError: its first code (non-field first), messages by field."""
    if hasattr(exc, "error_dict"):
        errors = dict(exc.error_dict)
        general_errors = errors.pop("__all__", [])
        fields = {name: _messages(items) for name, items in errors.items()}
        coded = [*general_errors, *(e for items in errors.values() for e in items)]
    else:
        general_errors, fields, coded = exc.error_list, {}, exc.error_list
    general = _messages(general_errors)
    code = next((e.code for e in coded if getattr(e, "code", None)), VALIDATION_CODE)
    return str(code), _message(general, fields), fields


def _messages(errors: list) -> list[str]:
    return [message for error in errors for message in error.messages]


def _message(general: list[str], fields: dict[str, list[str]]) -> str:
    if general:
        return " ".join(general)
    if fields:
        return " ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return "Invalid input."


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"stages.1.name": ["..."]}; "" holds top-level messages."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        out[prefix] = [str(item) for item in detail]
    else:
        out[prefix] = [str(detail)]
    return out


# --- The schema: a shared Error component on every operation's 4xx responses.

ERROR_SCHEMA = {
    "type": "object",
    "description": "The one body of every 4xx answer.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated."},
                "code": {
                    "type": "string",
                    "description": (
                        "`validation_error` for malformed input; the service's code when a "
                        "business rule refused (e.g. `illegal_transition`); else "
                        "`not_authenticated`, `authentication_failed`, `permission_denied`, "
                        "`not_found`, `method_not_allowed`, `throttled`, ..."
                    ),
                },
                "message": {"type": "string", "description": "A sentence for people."},
                "fields": {
                    "type": "object",
                    "description": "Messages by input field; nested ones dotted: stages.1.kind.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["status", "code", "message", "fields"],
        }
    },
    "required": ["error"],
}
ERROR_RESPONSES = {
    "400": "Invalid input, or a business rule refused the request (see `code`).",
    "401": "No valid credentials: send `Authorization: Bearer <token>`.",
    "403": "Signed in, but not allowed to do this (or the CSRF check failed for a session).",
    "404": "No such object, or not one you may see.",
    "429": "Too many requests: retry after the `Retry-After` seconds.",
}
BODY_ERROR_RESPONSES = {"415": "The body must be JSON (`Content-Type: application/json`)."}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def add_error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Postprocessing hook: declare the Error component and the 4xx answers of every operation."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            errors = dict(ERROR_RESPONSES)
            if "requestBody" in operation:
                errors.update(BODY_ERROR_RESPONSES)
            for status, description in errors.items():
                responses.setdefault(status, _error_response(description, status))
    return result


def _error_response(description: str, status: str) -> dict:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == "401":
        response["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}
        }
    if status == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response
