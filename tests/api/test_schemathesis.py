"""Schemathesis over the whole OpenAPI schema, in-process: no 5xx, every answer as documented.

The schema is loaded from the app itself (/api/schema/ through WSGI). Every operation runs its
examples, coverage and fuzzing phases (positive and negative data) with a fixed seed and at most
5 fuzzed cases, authenticated as rita (a recruiter) with an API token, against a database holding
a job, candidates, an application, notes, feedback and a pool. Each case is sent as generated
(mostly unknown ids: the 404 paths), then again with its path parameters pointing at those real
rows, so the bodies reach the serializers and services.

Checks on every answer: no server error; status code, content type, headers and body as the
schema documents them. On the as-generated request also `negative_data_rejection` (schema-
violating input is refused with a 4xx); not on the real-id copy, which may have made a case valid.
Not run: `positive_data_acceptance` (valid input may still be refused by a business rule, e.g.
activating an active job: a 400 by design) and the stateful checks (`use_after_free`,
`ensure_resource_availability`), which need schemathesis' stateful links.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from attract.services import api_token_create
from attract.wsgi import application as wsgi_application
from candidates.models import NoteVisibility
from candidates.services import feedback_submit, note_add
from talentpools.services import pool_create
from tests.factories import CandidateFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application)
schema.config.seed = 20261123

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
STATS: dict = {"operations": set(), "cases": 0, "requests": 0, "failures": 0}
STATUSES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not STATS["operations"]:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nschemathesis: {len(STATS['operations'])} operations, {STATS['cases']} cases, "
            f"{STATS['requests']} requests, {STATS['failures']} failures; answers by status: "
            + ", ".join(f"{code}: {n}" for code, n in sorted(STATUSES.items()))
        )


@pytest.fixture
def rows(job, application, candidate, recruiter, interviewer, manager):
    """The rows the real-id requests reach, and rita's token."""
    note = note_add(candidate=candidate, by=recruiter, body="Strong on Django.")
    note_add(
        candidate=candidate,
        by=recruiter,
        body="For the team",
        visibility=NoteVisibility.HIRING_TEAM,
        application=application,
    )
    feedback = feedback_submit(application=application, by=interviewer, recommendation=4)
    newcomer = CandidateFactory()  # not on the job yet: the schema's examples may add them
    pool = pool_create(by=recruiter, name="Backend people", members=[candidate, newcomer])
    _, token = api_token_create(user=recruiter, name="schemathesis")
    member = job.team.get(user=interviewer)
    return {
        "token": token,
        "number": job.number,
        "ids": {
            "applications": application.pk,
            "candidates": candidate.pk,
            "notes": note.pk,
            "feedback": feedback.pk,
            "pools": pool.pk,
            "users": manager.pk,
        },
        "member_id": member.pk,
        "candidate_id": candidate.pk,
    }


@pytest.fixture
def _in_process(settings):
    """Requests go through Django's WSGI handler in this thread: keep the test's connection open
    (Django's test client does the same). No throttling: thousands of requests run in a minute."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _real_path_parameters(case, rows) -> dict:
    resource = case.path.split("/")[3]
    real = {}
    for name in case.path_parameters or {}:
        if name == "number":
            real[name] = rows["number"]
        elif name == "id":
            real[name] = rows["ids"][resource]
        else:
            real[name] = rows[name]
    return real


def _call(case, token: str, checks: list) -> None:
    # rita's token replaces whatever Authorization header was generated: the case is then
    # judged on the rest of what it sends.
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    STATS["requests"] += 1
    response = case.call()
    STATUSES[response.status_code] += 1
    try:
        case.validate_response(response, checks=checks)
    except BaseException:
        STATS["failures"] += 1
        raise


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@pytest.mark.django_db
@pytest.mark.usefixtures("_in_process")
def test_api_conforms_to_its_schema(case, rows):
    STATS["operations"].add(case.operation.label)
    STATS["cases"] += 1
    _call(case, rows["token"], [*CHECKS, negative_data_rejection])
    if case.path_parameters:
        # Real ids make a case that was invalid only in its path valid: no negative check then.
        case.path_parameters = {**case.path_parameters, **_real_path_parameters(case, rows)}
        _call(case, rows["token"], CHECKS)
