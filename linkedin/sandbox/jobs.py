"""Job Posting API: simpleJobPostings (batch_create, asynchronous tasks) and simpleJobPostingTasks
(LINKEDIN.md 3.1-3.3), with the RSC extension fields of 2.5 on the unversioned API.

Schema problems (missing or unknown fields, bad enums, wrong types, lengths) answer 422 per
element at once; business failures (description length, unknown or duplicate job, location,
company, poster email) come back later as a FAILED task, as LinkedIn documents."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from linkedin.sandbox import auth
from linkedin.sandbox.api import (
    MAX_BATCH,
    VERSIONED_BASE,
    ElementError,
    batch_keys,
    check_epoch,
    check_fields,
    check_type,
    guard,
    require_method,
)
from linkedin.sandbox.core import Sandbox
from linkedin.sandbox.restli import ApiError, encode_key, error_body
from linkedin.sandbox.storage import Record
from linkedin.sandbox.web import Request, Response, Router, json_response

OPERATIONS = {"CREATE", "UPDATE", "RENEW", "CLOSE"}
WORKPLACE_TYPES = {"On-site", "Hybrid", "Remote"}
EMPLOYMENT = {"FULL_TIME", "PART_TIME", "CONTRACT", "INTERNSHIP", "TEMPORARY", "VOLUNTEER", "OTHER"}
EXPERIENCE = {
    "ENTRY_LEVEL", "MID_SENIOR_LEVEL", "DIRECTOR", "EXECUTIVE", "INTERNSHIP", "ASSOCIATE",
    "NOT_APPLICABLE",
}  # fmt: skip
AVAILABILITY = {"PUBLIC", "PRIVATE_TO_ATS_INTEGRATION"}
RSC_FIELDS = {
    "availability", "accessRestricted", "requisitionOwnerEmail", "requisitionOwnerFirstName",
    "requisitionOwnerLastName",
}  # fmt: skip
FIELDS = RSC_FIELDS | {
    "integrationContext", "companyName", "companyPageUrl", "companyApplyUrl",
    "externalJobPostingId", "jobPostingOperationType", "title", "description", "listedAt",
    "location", "alternateLocations", "categories", "skillsDescription", "companyJobCode",
    "workplaceTypes", "workRemoteAllowed", "industries", "employmentStatus", "experienceLevel",
    "trackingPixelUrl", "compensation", "expireAt", "listingType", "contract", "posterEmail",
    "showPosterInfo", "state", "onsiteApplyConfiguration",
}  # fmt: skip
REQUIRED = {
    "companyApplyUrl",
    "externalJobPostingId",
    "title",
    "description",
    "listedAt",
    "location",
}
# Guess: task processing time; LinkedIn says creation normally completes within 5 minutes.
TASK_SECONDS = 120
TASK_LIFETIME_MS = 30 * 24 * 3600 * 1000  # Reference: task ids live 30 days (2025 docs)
DAY_MS = 24 * 3600 * 1000


def register(router: Router, sb: Sandbox) -> None:
    router.add("POST", VERSIONED_BASE + "/simpleJobPostings", lambda r: create(sb, r))
    router.add("GET", VERSIONED_BASE + "/simpleJobPostingTasks", lambda r: tasks(sb, r))


# Submitting ---------------------------------------------------------------------------------------


def create(sb: Sandbox, request: Request) -> Response:
    """POST batch_create `{"elements": [...]}` → one task per job (or a 422 per element)."""
    require_method(request, "batch_create")
    body = request.json()
    elements = body.get("elements") if isinstance(body, dict) else None
    if not isinstance(elements, list) or not elements:
        raise ApiError(400, 'The request body must be {"elements": [...]} with at least one job')
    if len(elements) > MAX_BATCH:
        raise ApiError(400, f"A batch may hold at most {MAX_BATCH} elements, got {len(elements)}")
    token = guard(sb, request, "customer", "jobs", len(elements))
    versioned = request.params.get("base") == "/rest"
    answers = []
    with sb.storage.transaction():
        for element in elements:
            try:
                _validate(sb, token, element, versioned)
            except ElementError as exc:
                answers.append({"status": exc.status, "error": error_body(exc.status, exc.message)})
                continue
            answers.extend(_submit(sb, token, element))
    return json_response(200, {"elements": answers})


def _operation(element: dict[str, Any]) -> str:
    if "jobPostingOperationType" in element:
        return str(element["jobPostingOperationType"])
    # Reference [C-old]: the RSC postman sample sends "state": LISTED | CLOSED instead.
    return "CLOSE" if element.get("state") == "CLOSED" else "CREATE_OR_UPDATE"


def _validate(sb: Sandbox, token: auth.TokenInfo, element: Any, versioned: bool) -> None:
    check_fields(element, FIELDS, REQUIRED)
    if versioned and RSC_FIELDS & set(element):
        raise ElementError(
            422, "The Recruiter extension fields are not supported on the versioned API"
        )
    if "jobPostingOperationType" not in element and element.get("state") not in (
        "LISTED",
        "CLOSED",
    ):
        raise ElementError(422, "Missing required field(s): jobPostingOperationType")
    checks = [
        ("jobPostingOperationType", OPERATIONS), ("employmentStatus", EMPLOYMENT),
        ("experienceLevel", EXPERIENCE), ("availability", AVAILABILITY),
        ("listingType", {"BASIC", "PREMIUM"}),
    ]  # fmt: skip
    for name, values in checks:
        if name in element and element[name] not in values:
            raise ElementError(422, f"Field {name} has an invalid value {element[name]!r}")
    for name in (
        "title",
        "description",
        "location",
        "externalJobPostingId",
        "companyJobCode",
        "skillsDescription",
        "companyApplyUrl",
        "integrationContext",
        "posterEmail",
    ):
        check_type(element, name, str)
    check_type(element, "accessRestricted", bool)
    _validate_limits(element)
    _validate_urls_and_dates(sb, element)
    context = element.get("integrationContext")
    if not context and not (element.get("companyName") or element.get("companyPageUrl")):
        raise ElementError(422, "Give integrationContext, companyName or companyPageUrl")
    if (
        context
        and context.startswith("urn:li:organization:")
        and token.app.get("authorizedContexts")
        and context not in sb.authorized_orgs(token.app)
    ):
        raise ElementError(403, "The application is not authorized for this integrationContext")


def _validate_limits(element: dict[str, Any]) -> None:
    for name, most in (("title", 200), ("externalJobPostingId", 200), ("skillsDescription", 4000)):
        if len(str(element.get(name) or "")) > most:
            raise ElementError(422, f"Field {name} is longer than {most} characters")
    if not str(element["externalJobPostingId"]).strip():
        raise ElementError(422, "externalJobPostingId must not be empty")
    if len(element.get("categories") or []) > 3:
        raise ElementError(422, "At most 3 categories")
    alternates = element.get("alternateLocations") or []
    if not isinstance(alternates, list) or len(alternates) > 7:
        raise ElementError(422, "alternateLocations holds at most 7 locations")
    if alternates and "availability" in element:
        raise ElementError(
            422, "alternateLocations are not supported for Recruiter System Connect jobs"
        )
    workplace = element.get("workplaceTypes")
    if workplace is not None and (
        not isinstance(workplace, list)
        or len(workplace) != 1
        or workplace[0] not in WORKPLACE_TYPES
    ):
        raise ElementError(
            422, "workplaceTypes is a single-element array: On-site, Hybrid or Remote"
        )
    industries = element.get("industries") or []
    if not all(isinstance(i, str) and i.startswith("urn:li:industry:") for i in industries):
        raise ElementError(422, "industries are urn:li:industry:{id} URNs")


def _validate_urls_and_dates(sb: Sandbox, element: dict[str, Any]) -> None:
    url = urlsplit(str(element["companyApplyUrl"]))
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ElementError(422, "companyApplyUrl must be an absolute http(s) URL")
    check_epoch(element, "listedAt", required=True)
    check_epoch(element, "expireAt")
    if element["listedAt"] > sb.clock.now_ms() + 60_000:
        raise ElementError(422, "listedAt must not be in the future")


def _submit(sb: Sandbox, token: auth.TokenInfo, element: dict[str, Any]) -> list[dict[str, Any]]:
    """One task per location (alternate locations multiplex)."""
    locations = [element["location"], *(element.get("alternateLocations") or [])]
    out = []
    for location in locations:
        urn = f"urn:li:simpleJobPostingTask:{uuid.uuid4()}"
        sb.storage.put(
            "job_task",
            urn,
            {
                "id": urn,
                "clientId": token.app["clientId"],
                "element": element,
                "location": location,
                "status": "IN_PROGRESS",
                "submittedAt": sb.clock.now_ms(),
            },
        )
        out.append({"id": urn, "status": 202, "location": location})
    return out


# Processing and polling ---------------------------------------------------------------------------


def resolve_due(sb: Sandbox) -> None:
    """Finish the tasks whose processing time has passed, in submission order."""
    due = sb.clock.now_ms() - TASK_SECONDS * 1000
    with sb.storage.transaction():
        for task in sb.storage.all("job_task", lambda t: t["status"] == "IN_PROGRESS"):
            if task["submittedAt"] <= due:
                _process(sb, task)


def _process(sb: Sandbox, task: Record) -> None:
    try:
        job = _apply(sb, task)
    except ElementError as exc:
        task.update({"status": "FAILED", "errorMessage": exc.message})
    else:
        task.update({"status": "SUCCEEDED", "jobPosting": job["jobPosting"]})
    sb.storage.put("job_task", task["id"], task)


def _job_key(client_id: str, element: dict[str, Any], location: str) -> str:
    return f"{client_id}|{element['externalJobPostingId']}|{location}"


def _apply(sb: Sandbox, task: Record) -> Record:
    element, client_id, location = task["element"], task["clientId"], task["location"]
    key = _job_key(client_id, element, location)
    existing = sb.storage.get("job", key)
    operation = _operation(element)
    if operation == "CREATE_OR_UPDATE":
        operation = "UPDATE" if existing else "CREATE"
    if operation == "CREATE" and existing and existing["state"] != "CLOSED":
        raise ElementError(
            409,
            f"Duplicate externalJobPostingId {element['externalJobPostingId']} (ErrorCode 2009)",
        )
    if operation in ("UPDATE", "RENEW", "CLOSE") and not existing:
        raise ElementError(404, f"{operation} for an unknown externalJobPostingId")
    if operation == "CLOSE":
        assert existing is not None
        existing.update({"state": "CLOSED", "closedAt": sb.clock.now_ms()})
        return sb.storage.put("job", key, existing)
    _business_checks(sb, element, location)
    return _store_job(sb, task, key, existing, operation)


def _business_checks(sb: Sandbox, element: dict[str, Any], location: str) -> None:
    if not 100 <= len(element["description"]) <= 25_000:
        raise ElementError(422, "The description must be 100 to 25,000 characters long")
    remote = element.get("workplaceTypes") == ["Remote"]
    if "," not in location and not remote:
        raise ElementError(422, f"The location {location!r} could not be standardized")
    context = element.get("integrationContext")
    if context and sb.storage.get("organization", context) is None:
        raise ElementError(422, f"Invalid company: {context} is not a LinkedIn organization")
    if not (element.get("posterEmail") or element.get("requisitionOwnerEmail")):
        # Guess (LINKEDIN.md 3.2, field UNCONFIRMED): since June 2025 a poster email is required;
        # the sandbox accepts posterEmail or, for RSC jobs, requisitionOwnerEmail.
        raise ElementError(422, "A job poster email is required (posterEmail)")


def _store_job(
    sb: Sandbox, task: Record, key: str, existing: Record | None, operation: str
) -> Record:
    element = task["element"]
    now = sb.clock.now_ms()
    number = (
        existing["jobPosting"]
        if existing
        else f"urn:li:jobPosting:{3_900_000_000 + sb.storage.next_id('job')}"
    )
    expire = element.get("expireAt") or now + 180 * DAY_MS
    if operation == "RENEW" and existing:
        expire = max(existing["expireAt"], now) + 30 * DAY_MS
    job = {
        **(existing or {}),
        "storageKey": key,
        "clientId": task["clientId"],
        "organization": element.get("integrationContext"),
        "externalJobPostingId": element["externalJobPostingId"],
        "companyJobCode": element.get("companyJobCode"),
        "title": element["title"],
        "location": task["location"],
        "availability": element.get("availability", "PUBLIC"),
        "accessRestricted": bool(element.get("accessRestricted", False)),
        "state": "LISTED",
        "jobPosting": number,
        "expireAt": expire,
        "updatedAt": now,
        "element": element,
    }
    return sb.storage.put("job", key, job)


def tasks(sb: Sandbox, request: Request) -> Response:
    """GET simpleJobPostingTasks?ids={taskUrn}&ids=... → `results` keyed by task URN."""
    require_method(request, "", "batch_get")
    ids = batch_keys(request, compound=False)
    token = guard(sb, request, "customer", "job_tasks")
    resolve_due(sb)
    results: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    now = sb.clock.now_ms()
    for task_id in ids:
        encoded = encode_key(task_id, request.protocol)
        task = sb.storage.get("job_task", str(task_id))
        if (
            task is None
            or task["clientId"] != token.app["clientId"]
            or now - task["submittedAt"] > TASK_LIFETIME_MS
        ):
            errors[encoded] = error_body(404, f"Unknown task {task_id}")
            continue
        results[encoded] = _task_view(task)
    return json_response(200, {"results": results, "errors": errors})


def _task_view(task: Record) -> dict[str, Any]:
    view = {
        "id": task["id"],
        "status": task["status"],
        "externalJobPostingId": task["element"]["externalJobPostingId"],
        "location": task["location"],
    }
    if task.get("jobPosting"):
        view["jobPosting"] = task["jobPosting"]
    if task.get("errorMessage"):
        view["errorMessage"] = task["errorMessage"]
    return view
