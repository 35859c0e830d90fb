"""InMail history, notes history and InMail stubs pulled from the sandbox (LINKEDIN.md 2.9)."""

import itertools
import time
import uuid

import pytest
import redis
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate, CandidateSource
from linkedin import client, services_prospects, services_rsc
from linkedin.models_prospects import (
    InMailEvent,
    MailStub,
    ProspectFlow,
    ProspectNote,
    ProspectWatermark,
)
from linkedin.models_rsc import RecruiterConnection, RecruiterSeat
from linkedin.selectors_rsc import linkedin_tasks_allowed
from linkedin.services_export import candidate_entity, candidate_key
from linkedin.tasks_prospects import pull_prospects
from talentpools.services import linkedin_pool
from tests.conftest import service_missing
from tests.factories import CandidateFactory
from tests.linkedin.reliability_support import held_elsewhere, lock_is_free
from tests.linkedin.test_rsc_views import connect_partner_ready

pytestmark = pytest.mark.django_db

MEMBER = "eBakker03"  # Emma Bakker in the sandbox's member directory
MEMBER_URN = f"urn:li:person:{MEMBER}"
MEMBER_EMAIL = "emma.bakker@nordlys.example"
HOUR_MS = 3600 * 1000


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.LINKEDIN_BACKOFF_BASE = 0.01
    settings.LINKEDIN_BACKOFF_MAX = 0.02
    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = 1


@pytest.fixture
def seat(admin_user, recruiter, linkedin_sandbox) -> RecruiterSeat:
    """Recruiter System Connect enabled at contract level; Ingrid's Recruiter seat is rita's."""
    admin = Client()
    admin.force_login(admin_user)
    connection = connect_partner_ready(admin, linkedin_sandbox)
    [push] = linkedin_sandbox.enable_integration(deliver=False)["pushes"]
    event, _ = services_rsc.push_record(
        connection=connection, raw=push["body"].encode(), payload=push["payload"]
    )
    services_rsc.push_handle(event_id=event.pk)
    assert linkedin_tasks_allowed()
    contract = RecruiterConnection.objects.get().contract_urn
    return RecruiterSeat.objects.create(
        seat_urn=linkedin_sandbox.recruiter_seat, contract_urn=contract, user=recruiter
    )


def sandbox_now(sandbox) -> int:
    return int(sandbox.state()["_meta"]["now_ms"]) + 1


def activity(sandbox, seat_urn: str) -> dict:
    """An InMail, a public and a private note, and Emma agreeing to share her email."""
    inmail = sandbox.activity("inmail", seat=seat_urn, member=MEMBER, subject="Role", body="Hi")
    sandbox.activity("note", seat=seat_urn, member=MEMBER, note="Strong", visibility="PUBLIC")
    sandbox.activity("note", seat=seat_urn, member=MEMBER, note="Mine", visibility="PRIVATE")
    sandbox.activity("share", member=MEMBER, conversation=inmail["conversation"], share_email=True)
    return inmail


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, dict]]:
    """Every finder call the pull makes: (resource, params)."""
    seen: list[tuple[str, dict]] = []
    real = client.finder

    def spy(creds, resource, params, **kwargs):
        seen.append((resource, dict(params)))
        return real(creds, resource, params, **kwargs)

    monkeypatch.setattr(client, "finder", spy)
    return seen


def window_of(params: dict) -> tuple[int, int]:
    for start, end in (
        ("timeRange.start", "timeRange.end"),
        ("cutoffDate", "beforeDate"),
        ("createdDateStart", "createdDateEnd"),
    ):
        if start in params:
            return int(params[start]), int(params[end])
    raise AssertionError(params)


def test_one_run_stores_events_notes_and_stubs_and_a_second_pulls_nothing_twice(
    linkedin_sandbox, seat
):
    activity(linkedin_sandbox, seat.seat_urn)
    now = sandbox_now(linkedin_sandbox)
    outcome = services_prospects.prospects_pull(now_ms=now)
    assert outcome.status == "ok"
    assert outcome.stored == {"events": 2, "notes": 2, "stubs": 1}
    sent = InMailEvent.objects.get(direction="SENT")
    assert (sent.member_urn, sent.seat_urn, sent.subject, sent.body) == (
        MEMBER_URN,
        seat.seat_urn,
        "Role",
        "Hi",
    )
    assert InMailEvent.objects.get(direction="RECEIVED").member_urn == MEMBER_URN
    assert set(ProspectNote.objects.values_list("text", "visibility")) == {
        ("Strong", "PUBLIC"),
        ("Mine", "PRIVATE"),
    }
    candidate = Candidate.objects.get(linkedin_member_urn=MEMBER_URN)
    assert candidate.source == CandidateSource.LINKEDIN_STUB
    assert candidate.emails.get().email == MEMBER_EMAIL
    assert linkedin_pool().memberships.filter(candidate=candidate).exists()
    # Forget every watermark: the same windows come back, and nothing is stored twice.
    ProspectWatermark.objects.all().delete()
    again = services_prospects.prospects_pull(now_ms=now)
    assert again.stored == {"events": 0, "notes": 0, "stubs": 0}
    assert (InMailEvent.objects.count(), ProspectNote.objects.count()) == (2, 2)
    assert (MailStub.objects.count(), Candidate.objects.count()) == (1, 1)


def test_an_inactive_note_deletes_the_local_copy(linkedin_sandbox, seat):
    note = linkedin_sandbox.activity(
        "note", seat=seat.seat_urn, member=MEMBER, note="Gone soon", visibility="PUBLIC"
    )
    services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    assert ProspectNote.objects.filter(note_id=note["id"]).exists()
    linkedin_sandbox.advance_clock(60)
    linkedin_sandbox.activity("note_delete", id=note["id"])
    services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    assert not ProspectNote.objects.filter(note_id=note["id"]).exists()


def test_a_stub_matches_an_existing_candidate_by_email_and_joins_the_linkedin_pool(
    linkedin_sandbox, seat
):
    known = CandidateFactory(email=MEMBER_EMAIL)
    activity(linkedin_sandbox, seat.seat_urn)
    services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    assert Candidate.objects.count() == 1
    known.refresh_from_db()
    assert known.linkedin_member_urn == MEMBER_URN
    assert linkedin_pool().memberships.filter(candidate=known).exists()


def test_a_stub_matches_an_existing_candidate_by_member_urn(linkedin_sandbox, seat):
    known = CandidateFactory(linkedin_member_urn=MEMBER_URN)
    activity(linkedin_sandbox, seat.seat_urn)
    services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    assert list(Candidate.objects.all()) == [known]
    assert linkedin_pool().memberships.filter(candidate=known).exists()


def test_windows_never_exceed_twelve_hours_and_the_watermark_steps(
    linkedin_sandbox, seat, calls, settings
):
    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = 12
    first = sandbox_now(linkedin_sandbox)
    services_prospects.prospects_pull(now_ms=first)
    assert len(calls) == 3  # one 12-hour window per flow
    linkedin_sandbox.advance_clock(2 * 24 * 3600)
    linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, subject="S", body="B")
    calls.clear()
    second = sandbox_now(linkedin_sandbox)
    outcome = services_prospects.prospects_pull(now_ms=second)
    assert outcome.windows == 3 * 5  # 48 hours and a bit: four full windows and a short one
    assert len(calls) == 15
    for _, params in calls:
        start, end = window_of(params)
        assert 0 < end - start <= 12 * HOUR_MS
    event_windows = [window_of(p) for r, p in calls if r == "/v2/conversationEvents"]
    assert event_windows[0][0] == first and event_windows[-1][1] == second
    assert all(a[1] == b[0] for a, b in itertools.pairwise(event_windows))
    assert set(ProspectWatermark.objects.values_list("until_ms", flat=True)) == {second}
    assert InMailEvent.objects.count() == 1


def test_a_concurrent_run_exits_at_once(linkedin_sandbox, seat, calls):
    activity(linkedin_sandbox, seat.seat_urn)
    with held_elsewhere(services_prospects.LOCK_KEY):
        outcome = services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
        assert outcome.status == "busy"
        assert calls == []
        assert not InMailEvent.objects.exists() and not ProspectWatermark.objects.exists()


def test_a_crash_between_two_windows_resumes_from_the_watermark(
    linkedin_sandbox, seat, calls, settings, monkeypatch
):
    settings.LINKEDIN_PROSPECTS_LOOKBACK_HOURS = 36
    linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, subject="S", body="B")
    now = sandbox_now(linkedin_sandbox)
    real = services_prospects.STORE[ProspectFlow.EVENTS]
    stored_windows: list[int] = []

    def crash_after_first(seat_urn, elements):
        if stored_windows:
            raise RuntimeError("worker killed")
        stored_windows.append(len(elements))
        return real(seat_urn, elements)

    monkeypatch.setitem(services_prospects.STORE, ProspectFlow.EVENTS, crash_after_first)
    with pytest.raises(RuntimeError):
        services_prospects.prospects_pull(now_ms=now)
    mark = ProspectWatermark.objects.get(flow=ProspectFlow.EVENTS)
    assert mark.until_ms == now - 36 * HOUR_MS + 12 * HOUR_MS  # the first window only
    assert lock_is_free(services_prospects.LOCK_KEY)  # the lock went with the crash
    monkeypatch.setitem(services_prospects.STORE, ProspectFlow.EVENTS, real)
    calls.clear()
    services_prospects.prospects_pull(now_ms=now)
    event_windows = [window_of(p) for r, p in calls if r == "/v2/conversationEvents"]
    assert event_windows[0][0] == mark.until_ms and len(event_windows) == 2
    assert InMailEvent.objects.count() == 1
    assert ProspectWatermark.objects.get(flow=ProspectFlow.EVENTS).until_ms == now


def test_nothing_is_pulled_while_recruiter_system_connect_is_off(linkedin_sandbox, seat, calls):
    RecruiterConnection.objects.update(tasks_enabled=False)
    assert services_prospects.prospects_pull().status == "disabled"
    assert pull_prospects.apply().get()["status"] == "disabled"
    assert calls == []


def test_company_level_access_pulls_nothing(linkedin_sandbox, seat, calls):
    RecruiterConnection.objects.update(access_level="company")
    assert services_prospects.prospects_pull().status == "disabled"
    assert calls == []


# --- The LinkedIn tab against the sandbox: LinkedIn's matches, and the manual match pushed ------


def sync_candidate(candidate: Candidate) -> None:
    """What the In-ATS sync does for the candidate (LINKEDIN.md 2.5)."""
    connection = RecruiterConnection.objects.get()
    creds = client.Credentials(connection.client_id, connection.client_secret)
    key = candidate_key(connection, candidate.pk)
    assert client.batch_update(creds, "/v2/atsCandidates", [(key, candidate_entity(candidate))]).ok


def manual_match(sandbox, candidate: Candidate) -> str | None:
    records = sandbox.state()["ats_candidate"]
    [record] = [r for r in records if r["key"]["atsCandidateId"] == str(candidate.pk)]
    return record.get("manualMatchedMember")


def test_the_tab_offers_linkedins_matches_and_linking_pushes_the_manual_match(
    linkedin_sandbox, seat, recruiter
):
    candidate = CandidateFactory(first_name="Emma", last_name="Bakker")
    web = Client()
    web.force_login(recruiter)
    tab = reverse("candidates:linkedin", args=[candidate.pk])
    assert "has not been synced to LinkedIn yet" in web.get(tab).content.decode()
    sync_candidate(candidate)
    html = web.get(tab).content.decode()
    assert f"Link {MEMBER_URN}" in html
    link = reverse("linkedin:candidate_link", args=[candidate.pk])
    page = web.post(link, {"member_urn": MEMBER_URN}, follow=True).content.decode()
    assert "is linked to the LinkedIn member." in page and "not told" not in page
    candidate.refresh_from_db()
    assert candidate.linkedin_member_urn == MEMBER_URN
    assert manual_match(linkedin_sandbox, candidate) == MEMBER_URN
    web.post(reverse("linkedin:candidate_unlink", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.linkedin_member_urn == ""
    assert manual_match(linkedin_sandbox, candidate) is None


def test_history_pulled_from_the_sandbox_shows_on_the_tab(linkedin_sandbox, seat, recruiter):
    activity(linkedin_sandbox, seat.seat_urn)
    services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    candidate = Candidate.objects.get(linkedin_member_urn=MEMBER_URN)
    web = Client()
    web.force_login(recruiter)
    html = web.get(reverse("candidates:linkedin", args=[candidate.pk])).content.decode()
    assert "Role" in html and "Hi" in html  # rita's own InMail, with its body
    assert "Thanks, happy to share my profile." in html
    assert "Strong" in html and "Mine" in html  # rita's public and private notes


def test_the_beat_task_stops_five_minutes_short_of_now(linkedin_sandbox, seat):
    linkedin_sandbox.activity("inmail", seat=seat.seat_urn, member=MEMBER, subject="S", body="B")
    before = int(time.time() * 1000)
    result = pull_prospects.apply().get()
    assert result["status"] == "ok" and result["windows"] == 3
    assert InMailEvent.objects.count() == 0  # a moment ago: left for the next run
    [mark] = set(ProspectWatermark.objects.values_list("until_ms", flat=True))
    assert before - services_prospects.SETTLE_MS <= mark <= before - 4 * 60 * 1000


@pytest.fixture
def redis_url(settings) -> str:
    url = settings.REDIS_URL
    if not url:
        service_missing("REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.mark.services
def test_two_beat_ticks_on_one_redis_the_second_exits_at_once(
    linkedin_sandbox, seat, calls, settings, redis_url
):
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {"default": backend}
    # another worker process, with its own connections, is in the middle of a run
    activity(linkedin_sandbox, seat.seat_urn)
    with held_elsewhere(services_prospects.LOCK_KEY):
        now = sandbox_now(linkedin_sandbox)
        assert services_prospects.prospects_pull(now_ms=now).status == "busy"
        assert calls == [] and not InMailEvent.objects.exists()
    outcome = services_prospects.prospects_pull(now_ms=sandbox_now(linkedin_sandbox))
    assert outcome.status == "ok" and outcome.stored["events"] == 2
    assert lock_is_free(services_prospects.LOCK_KEY)  # released after the run
