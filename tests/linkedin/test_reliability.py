"""Reliability of the LinkedIn data flows on the real services: the sandbox process, PostgreSQL,
Redis and real Celery worker processes (issue 7): a worker killed mid-drain, a fault mix, two beat
ticks at once, forged and replayed export pushes over HTTP, a pull killed between two windows.

Skipped on a laptop without the services; CI sets ATTRACT_REQUIRE_SERVICES=1 so that they fail.
"""

import time
from datetime import UTC, datetime

import pytest
import redis
import requests
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attract.models import Organisation
from attract.selectors import organisation_get
from candidates.models import Application, Candidate, CandidateSource
from candidates.services.applications import application_create
from jobs.choices import StageKind
from jobs.services import job_activate
from linkedin import client, services_outbox, services_prospects
from linkedin.models_prospects import InMailEvent, MailStub, ProspectNote, ProspectWatermark
from linkedin.models_rsc import WebhookEvent
from linkedin.models_sync import OutboxRow
from linkedin.tasks_prospects import pull_prospects
from linkedin.tasks_sync import drain_outbox
from tests.conftest import service_missing
from tests.factories import CandidateFactory
from tests.linkedin.reliability_support import (
    connect,
    handled,
    key_id,
    link_seat,
    lock_is_free,
    requests_log,
    wait_for,
    workers,
)
from tests.linkedin.test_export import MEMBER, list_on_linkedin
from tests.linkedin.test_webhooks import sign

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LONG = "<p>" + "A description long enough for LinkedIn's job postings. " * 3 + "</p>"
CANDIDATES = "/v2/atsCandidates"
APPLICATIONS = "/v2/atsApplications"
EVENTS = "/v2/conversationEvents"
PROSPECT_FINDERS = [EVENTS, "/v2/prospectNotes", "/v2/mailStubs"]
HOUR_MS = 3600 * 1000
DRAIN = "linkedin.outbox_drain"
PULL = "linkedin.prospects_pull"


@pytest.fixture
def redis_url(settings) -> str:
    url = settings.REDIS_URL
    if not url:
        service_missing("REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()  # this suite's own database
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        service_missing("DATABASE_URL does not point at PostgreSQL")
    return connection


@pytest.fixture
def rsc(postgres, redis_url, admin_user, linkedin_sandbox, settings):
    settings.LINKEDIN_BACKOFF_BASE = 0.01
    settings.LINKEDIN_BACKOFF_MAX = 0.02
    Organisation.objects.update_or_create(
        pk=organisation_get().pk, defaults={"public_site_url": "https://jobs.example.com"}
    )
    return connect(admin_user, linkedin_sandbox)


@pytest.fixture
def start_worker(rsc, linkedin_sandbox, redis_url):
    with workers(linkedin_sandbox, redis_url) as start:
        yield start


@pytest.fixture
def listed_job(rsc, make_job, recruiter):
    """An active job already on LinkedIn (its own outbox row drained)."""
    job = make_job(description=LONG)
    job_activate(job=job, by=recruiter)
    result = services_outbox.outbox_drain()
    assert result is not None and result.sent == 1
    return job


def bulk_applications(job, count: int) -> list[Application]:
    """Candidates past Prospect with their applications, written in bulk (no outbox rows)."""
    stage = job.stages.get(kind=StageKind.APPLICATION)
    candidates = Candidate.objects.bulk_create(
        Candidate(first_name=f"Bulk{i}", last_name="Version1", source=CandidateSource.IMPORT)
        for i in range(count)
    )
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            candidate=c, job=job, stage=stage, source=CandidateSource.IMPORT, stage_entered_at=now
        )
        for c in candidates
    )


def outbox_rows(entity_type: str, ids) -> list[OutboxRow]:
    return OutboxRow.objects.bulk_create(
        OutboxRow(entity_type=entity_type, entity_id=str(pk), operation="upsert") for pk in ids
    )


def pending() -> int:
    return OutboxRow.objects.filter(status=OutboxRow.Status.PENDING).count()


def drain_until_empty(worker, runs: int = 20) -> list[dict]:
    """Beat ticks on the worker until nothing is pending (rows retried later made due: the
    ticks after their backoff)."""
    outcomes: list[dict] = []
    for _ in range(runs):
        if not pending():
            break
        OutboxRow.objects.filter(status=OutboxRow.Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
        done = len(worker.results(DRAIN))
        worker.send(drain_outbox)
        outcomes.append(worker.wait_results(DRAIN, done + 1, timeout=90)[-1][1])
    assert not pending(), f"the outbox did not drain: {outcomes}"
    return outcomes


def on_linkedin(sandbox, kind: str, client_id: str) -> list[dict]:
    return [r for r in sandbox.state().get(kind, []) if r["clientId"] == client_id]


def sent_ids(log: list[dict], path: str) -> list[str]:
    return [key_id(k) for e in handled(log, path) if e["status"] == 200 for k in e["keys"]]


# --- (a) A worker killed with SIGKILL in the middle of draining 5,000 outbox rows --------------


def test_a_worker_killed_mid_drain_loses_and_duplicates_nothing(
    listed_job, rsc, linkedin_sandbox, start_worker
):
    started = time.monotonic()
    applications = bulk_applications(listed_job, 2250)
    outbox_rows("application", [a.pk for a in applications])
    outbox_rows("candidate", [a.candidate_id for a in applications])
    # every request takes a while, so the kill lands in the middle of a drain
    linkedin_sandbox.control({"mode": "slow", "delay": 0.15, "path_prefix": "/v2/ats"})
    first = start_worker("first", pool="prefork")
    for _ in range(6):  # beat ticks queued while the worker is busy
        first.send(drain_outbox)

    def application_batches() -> int:
        return len(handled(requests_log(linkedin_sandbox), APPLICATIONS))

    assert wait_for(lambda: pending() < 4500, timeout=90, every=0.05)  # a drain is done
    into_the_next = application_batches() + 5
    assert wait_for(lambda: application_batches() >= into_the_next, timeout=60, every=0.05)
    first.kill()
    assert first.process.poll() is not None
    left = pending()
    assert 0 < left < 4500, "the kill did not land in the middle of the drain"
    killed_at = len(requests_log(linkedin_sandbox))
    # while the worker is down, 500 candidates already on LinkedIn change: a later version
    renamed = [a.candidate_id for a in applications[:500]]
    Candidate.objects.filter(pk__in=renamed).update(last_name="Version2")
    outbox_rows("candidate", renamed)
    assert OutboxRow.objects.exclude(entity_type="job").count() == 5000
    linkedin_sandbox.control({"mode": "off"})

    second = start_worker("second")
    outcomes = drain_until_empty(second)

    assert lock_is_free(services_outbox.LOCK_KEY)
    assert not OutboxRow.objects.exclude(status=OutboxRow.Status.DONE).exists()
    expected_candidates = {str(a.candidate_id) for a in applications}
    candidates = on_linkedin(linkedin_sandbox, "ats_candidate", rsc.client_id)
    ids = [r["key"]["atsCandidateId"] for r in candidates]
    assert len(ids) == len(set(ids)) and set(ids) == expected_candidates  # each once, none lost
    versions = {r["key"]["atsCandidateId"]: r["entity"]["lastName"] for r in candidates}
    assert {versions[str(pk)] for pk in renamed} == {"Version2"}  # the latest version
    assert sum(v == "Version1" for v in versions.values()) == 2250 - 500
    expected_applications = {str(a.pk) for a in applications}
    records = on_linkedin(linkedin_sandbox, "ats_application", rsc.client_id)
    ids = [r["key"]["atsJobApplicationId"] for r in records]
    assert len(ids) == len(set(ids)) and set(ids) == expected_applications
    by_application = {str(a.pk): str(a.candidate_id) for a in applications}
    assert all(r["entity"]["atsCandidateId"] == by_application[r["key"]["atsJobApplicationId"]]
               for r in records)  # fmt: skip
    log = requests_log(linkedin_sandbox)
    batches = [e for e in log if e["path"] in (CANDIDATES, APPLICATIONS) and e["method"] == "PUT"]
    assert max(len(e["keys"]) for e in batches) <= 100
    sent = sent_ids(log, APPLICATIONS)
    resent = len(sent) - len(set(sent))
    assert resent > 0  # the drain the kill interrupted was rolled back and sent again
    print(
        f"\n(a) rows=5000 pending_at_kill={left} requests={len(batches)} "
        f"requests_after_restart={len(log) - killed_at} applications_resent={resent} "
        f"drains_after_restart={len(outcomes)} seconds={time.monotonic() - started:.1f}"
    )


# --- (b) 20 % 5xx, 429 with Retry-After and timeouts over a whole run --------------------------


def test_a_fault_mix_delivers_everything_honours_retry_after_and_never_retries_a_4xx(
    listed_job, rsc, recruiter, linkedin_sandbox, start_worker
):
    started = time.monotonic()
    applications = [
        application_create(candidate=CandidateFactory(), job=listed_job, by=recruiter)
        for _ in range(60)
    ]
    # one candidate LinkedIn refuses: a record imported with a date before 1970
    bad = application_create(candidate=CandidateFactory(), job=listed_job, by=recruiter)
    Candidate.objects.filter(pk=bad.candidate_id).update(
        created_at=datetime(1969, 12, 31, tzinfo=UTC)
    )
    worker = start_worker(
        "faults",
        LINKEDIN_REQUEST_TIMEOUT="1",
        LINKEDIN_MAX_ATTEMPTS="8",
        LINKEDIN_RETRY_BUDGET="60",
    )
    mix = [
        {"mode": "5xx", "rate": 0.2, "status": 503},
        {"mode": "429", "rate": 0.05, "retry_after": 1},
        {"mode": "timeout", "rate": 0.04, "delay": 1.5},
    ]
    linkedin_sandbox.control({"mode": "mix", "path_prefix": "/v2/ats", "faults": mix})
    outcomes = drain_until_empty(worker)
    linkedin_sandbox.control({"mode": "off"})
    log = requests_log(linkedin_sandbox)

    # everything arrives
    good = applications
    synced = {r["key"]["atsJobApplicationId"]
              for r in on_linkedin(linkedin_sandbox, "ats_application", rsc.client_id)}  # fmt: skip
    assert synced == {str(a.pk) for a in good}
    stages = on_linkedin(linkedin_sandbox, "ats_application_stage", rsc.client_id)
    assert len({r["parent"] for r in stages}) == len(good)
    # the refused element is parked with LinkedIn's reason, and was seen once, never retried
    row = OutboxRow.objects.get(entity_type="application", entity_id=str(bad.pk))
    assert row.status == OutboxRow.Status.PARKED and "422" in row.last_error
    assert sent_ids(log, CANDIDATES).count(str(bad.candidate_id)) == 1
    assert str(bad.pk) not in sent_ids(log, APPLICATIONS)
    assert not [e for e in log if 400 <= (e["status"] or 0) < 500 and e["status"] != 429]
    # Retry-After honoured: after a 429, nothing from that client before the wait is over
    ours = [e for e in log if e["client"] == rsc.client_id]
    limited = [(i, e) for i, e in enumerate(ours) if e["status"] == 429]
    for i, entry in limited:
        later = ours[i + 1 : i + 2]
        assert not later or later[0]["at"] >= entry["at"] + float(entry["retry_after"]), entry
    faults = {mode: sum(e["fault"] == mode for e in log) for mode in ("5xx", "429", "timeout")}
    assert faults["5xx"] > 0 and limited
    print(
        f"\n(b) applications={len(good) + 1} requests={len(ours)} faults={faults} "
        f"drains={len(outcomes)} retried_later={sum(o.get('retried', 0) for o in outcomes)} "
        f"seconds={time.monotonic() - started:.1f}"
    )


def test_an_element_refused_before_an_outage_stays_parked(
    listed_job, rsc, recruiter, linkedin_sandbox, settings
):
    settings.LINKEDIN_MAX_ATTEMPTS = 2
    good = application_create(candidate=CandidateFactory(), job=listed_job, by=recruiter)
    bad = application_create(candidate=CandidateFactory(), job=listed_job, by=recruiter)
    Candidate.objects.filter(pk=bad.candidate_id).update(
        created_at=datetime(1969, 12, 31, tzinfo=UTC)
    )
    # candidates are taken (one refused), then the applications request meets an outage
    linkedin_sandbox.control({"mode": "5xx", "status": 503, "path_prefix": APPLICATIONS})
    result = services_outbox.outbox_drain()
    assert result is not None and (result.parked, result.retried) == (1, 1)
    linkedin_sandbox.control({"mode": "off"})
    drain_due_now = OutboxRow.objects.filter(status=OutboxRow.Status.PENDING)
    drain_due_now.update(next_attempt_at=timezone.now())
    result = services_outbox.outbox_drain()
    assert result is not None and result.sent == 1
    log = requests_log(linkedin_sandbox)
    assert sent_ids(log, CANDIDATES).count(str(bad.candidate_id)) == 1
    assert sent_ids(log, APPLICATIONS) == [str(good.pk)]
    row = OutboxRow.objects.get(entity_type="application", entity_id=str(bad.pk))
    assert row.status == OutboxRow.Status.PARKED


# --- (c) Two beat ticks at once ---------------------------------------------------------------


def sandbox_now(sandbox) -> int:
    return int(sandbox.state()["_meta"]["now_ms"]) + 1


def stored_until(seat_urn: str, until_ms: int) -> None:
    """The earlier runs stored everything of the seat before `until_ms`."""
    for flow in ("events", "notes", "stubs"):
        ProspectWatermark.objects.create(seat_urn=seat_urn, flow=flow, until_ms=until_ms)


def test_two_beat_ticks_at_once_one_run_works_the_other_exits(
    listed_job, rsc, recruiter, linkedin_sandbox, start_worker
):
    seat = link_seat(linkedin_sandbox, recruiter)
    stored_until(seat.seat_urn, sandbox_now(linkedin_sandbox) - HOUR_MS)
    inmail = linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, body="Hi")
    linkedin_sandbox.activity("note", seat=seat.seat_urn, member=MEMBER, note="Strong")
    linkedin_sandbox.activity("note", seat=seat.seat_urn, member=MEMBER, note="Mine")
    linkedin_sandbox.activity("share", member=MEMBER, conversation=inmail["conversation"])
    now = sandbox_now(linkedin_sandbox)
    one, two = start_worker("tick-1"), start_worker("tick-2")

    # prospect pulls: the first holds the lock while LinkedIn is slow to answer
    linkedin_sandbox.control({"mode": "slow", "delay": 2.0, "count": 1, "path_prefix": EVENTS})
    one.send(pull_prospects, now)
    assert wait_for(lambda: any(e["path"] == EVENTS for e in requests_log(linkedin_sandbox)))
    two.send(pull_prospects, now)
    [(seconds, busy)] = two.wait_results(PULL, 1)
    [(_, done)] = one.wait_results(PULL, 1)
    assert busy["status"] == "busy" and seconds < 1.0
    assert done["status"] == "ok" and done["windows"] == 3
    log = requests_log(linkedin_sandbox)
    finders = [e["path"] for e in log if e["path"] in PROSPECT_FINDERS]
    assert sorted(finders) == sorted(PROSPECT_FINDERS)  # one run's worth, each window once
    assert InMailEvent.objects.count() == 2 and ProspectNote.objects.count() == 2
    assert MailStub.objects.count() == 1
    assert set(ProspectWatermark.objects.values_list("until_ms", flat=True)) == {now}

    # outbox drains: the same
    applications = bulk_applications(listed_job, 250)
    outbox_rows("application", [a.pk for a in applications])
    mark = len(log) and log[-1]["seq"]
    linkedin_sandbox.control({"mode": "slow", "delay": 2.0, "count": 1, "path_prefix": CANDIDATES})
    one.send(drain_outbox)
    assert wait_for(
        lambda: any(e["path"] == CANDIDATES for e in requests_log(linkedin_sandbox, mark))
    )
    two.send(drain_outbox)
    [(seconds, skipped)] = two.wait_results(DRAIN, 1)
    [(_, drained)] = one.wait_results(DRAIN, 1)
    assert skipped == {"status": "skipped"} and seconds < 1.0
    assert drained["status"] == "ok" and drained["sent"] == 250
    log = requests_log(linkedin_sandbox, mark)
    sent = sent_ids(log, APPLICATIONS)
    assert sorted(sent) == sorted(str(a.pk) for a in applications)  # each once
    print(
        f"\n(c) busy pull in {seconds:.3f}s; finder requests={len(finders)}; drain keys={len(sent)}"
    )


# --- (d) Forged, unsigned and replayed export pushes over real HTTP ----------------------------


def test_forged_unsigned_and_replayed_exports_over_http_create_nothing(
    live_server, listed_job, rsc, recruiter, linkedin_sandbox
):
    link_seat(linkedin_sandbox, recruiter)
    list_on_linkedin(linkedin_sandbox, rsc, listed_job.number)
    push = linkedin_sandbox.push(
        "EXPORT_CANDIDATE_PROFILE",
        deliver=False,
        member=MEMBER,
        job=listed_job.number,
        seat=linkedin_sandbox.recruiter_seat,
    )
    body, signature = push["body"].encode(), push["headers"]["X-LI-Signature"]
    url = live_server.url + reverse("linkedin:callback", args=[rsc.callback_token])
    mark = requests_log(linkedin_sandbox)[-1]["seq"]
    people = Candidate.objects.count()

    def post(data: bytes, signature: str | None) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-LI-Signature"] = signature
        return requests.post(url, data=data, headers=headers, timeout=30)

    tampered = body.replace(push["requestId"].encode(), b"another-request")
    refused = [
        post(body, sign("not-the-secret", body)),  # forged
        post(body, None),  # unsigned
        post(body, ""),  # empty signature
        post(tampered, signature),  # a replayed signature on another body
    ]
    assert [r.status_code for r in refused] == [401, 401, 401, 401]
    assert not WebhookEvent.objects.filter(kind="EXPORT_CANDIDATE_PROFILE").exists()
    assert Candidate.objects.count() == people and not Application.objects.exists()
    assert requests_log(linkedin_sandbox, mark) == []  # no call to LinkedIn

    first, again = post(body, signature), post(body, signature)
    assert (first.status_code, first.json()["duplicate"]) == (200, False)
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    [application] = Application.objects.all()
    assert application.stage.kind == StageKind.PROSPECT
    assert application.source == CandidateSource.LINKEDIN_EXPORT
    assert Candidate.objects.count() == people + 1
    fetched = [e for e in requests_log(linkedin_sandbox, mark) if "exportedCandidates" in e["path"]]
    assert len(fetched) == 1


# --- (e) A pull killed between two windows -------------------------------------------------------


def window_of(query: str, path: str) -> tuple[int, int]:
    params = dict(p.split("=", 1) for p in query.split("&"))
    names = {
        EVENTS: ("timeRange.start", "timeRange.end"),
        "/v2/prospectNotes": ("cutoffDate", "beforeDate"),
        "/v2/mailStubs": ("createdDateStart", "createdDateEnd"),
    }[path]
    return int(params[names[0]]), int(params[names[1]])


def test_a_pull_killed_between_two_windows_resumes_and_pulls_nothing_twice(
    rsc, recruiter, linkedin_sandbox, start_worker
):
    seat = link_seat(linkedin_sandbox, recruiter)
    start = sandbox_now(linkedin_sandbox) - HOUR_MS
    stored_until(seat.seat_urn, start)
    linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, body="First window")
    linkedin_sandbox.advance_clock(24 * 3600)
    client.forget_app_token(client.Credentials(rsc.client_id, rsc.client_secret))  # a day on
    linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, body="Last window")
    now = sandbox_now(linkedin_sandbox)
    # the first window is answered; the second hangs until the worker is killed
    linkedin_sandbox.control(
        {"mode": "slow", "delay": 30, "after": 1, "count": 1, "path_prefix": EVENTS}
    )
    first = start_worker("pull-1")
    first.send(pull_prospects, now)

    def in_the_second_window() -> bool:  # the first is stored, the next one is asked for
        moved = ProspectWatermark.objects.filter(flow="events", until_ms__gt=start).exists()
        asked = [e for e in requests_log(linkedin_sandbox) if e["path"] == EVENTS]
        return moved and asked[-1]["status"] is None

    assert wait_for(in_the_second_window, timeout=60, every=0.05)
    first.kill()
    mark = ProspectWatermark.objects.get(flow="events")
    assert mark.until_ms == start + 12 * HOUR_MS  # the first window is stored, only it
    assert list(InMailEvent.objects.values_list("body", flat=True)) == ["First window"]
    assert wait_for(lambda: lock_is_free(services_prospects.LOCK_KEY), timeout=10)
    linkedin_sandbox.control({"mode": "off"})
    crash_point = requests_log(linkedin_sandbox)[-1]["seq"]

    second = start_worker("pull-2")
    second.send(pull_prospects, now)
    [(_, outcome)] = second.wait_results(PULL, 1)
    assert outcome["status"] == "ok"
    log = [e for e in requests_log(linkedin_sandbox, crash_point) if "q=" in e["query"]]
    windows = {path: [window_of(e["query"], path) for e in log if e["path"] == path]
               for path in (EVENTS, "/v2/prospectNotes", "/v2/mailStubs")}  # fmt: skip
    twelve = 12 * HOUR_MS
    assert windows[EVENTS] == [(start + twelve, start + 2 * twelve), (start + 2 * twelve, now)]
    for path in ("/v2/prospectNotes", "/v2/mailStubs"):
        assert windows[path] == [
            (start, start + twelve),
            (start + twelve, start + 2 * twelve),
            (start + 2 * twelve, now),
        ]
    bodies = sorted(InMailEvent.objects.values_list("body", flat=True))
    assert bodies == ["First window", "Last window"]  # each once
    assert set(ProspectWatermark.objects.values_list("until_ms", flat=True)) == {now}
    print(f"\n(e) windows after the crash: {sum(len(w) for w in windows.values())}")
