"""The LinkedIn rate limiter every process shares (LINKEDIN.md 2.11)."""

import threading
import uuid

import pytest
import redis
from django.conf import settings

from linkedin import client, ratelimit
from linkedin.client import LinkedInRateLimited
from linkedin.ratelimit import DAY, MINUTE, RateLimiter, Window
from tests.conftest import service_missing


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    if not url:
        service_missing("REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def prefix():
    return f"test:rl:{uuid.uuid4().hex}"


def hammer(limiter: RateLimiter, calls: int, granted: list[int]) -> None:
    for _ in range(calls):
        if limiter.try_acquire("sync", "child-app", records=1) == 0:
            granted.append(1)


@pytest.mark.services
def test_two_processes_on_one_redis_never_pass_the_limit_together(redis_url, prefix):
    limits = {"sync": (Window(MINUTE, 1_000, "records"), Window(DAY, 50))}
    # given two limiters with their own Redis connections, as two worker processes have
    first = RateLimiter(redis_url=redis_url, limits=limits, prefix=prefix)
    second = RateLimiter(redis_url=redis_url, limits=limits, prefix=prefix)
    granted: list[int] = []
    # when both race for 80 calls each
    threads = [
        threading.Thread(target=hammer, args=(limiter, 80, granted))
        for limiter in (first, second, first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly the daily limit went through, and both see the same count
    assert len(granted) == 50
    assert first.used("sync", "child-app") == second.used("sync", "child-app") == [50, 50]


@pytest.mark.services
def test_a_refused_call_takes_nothing_from_any_window(redis_url, prefix):
    limits = {"sync": (Window(DAY, 100), Window(MINUTE, 150, "records"))}
    limiter = RateLimiter(redis_url=redis_url, limits=limits, prefix=prefix)
    assert limiter.try_acquire("sync", "app", records=100) == 0
    wait = limiter.try_acquire("sync", "app", records=100)
    assert 0 < wait <= 60.01
    assert limiter.used("sync", "app") == [1, 100]
    assert limiter.try_acquire("sync", "app", records=50) == 0


@pytest.mark.services
def test_each_application_has_its_own_budget(redis_url, prefix):
    limiter = RateLimiter(redis_url=redis_url, limits={"default": (Window(DAY, 1),)}, prefix=prefix)
    assert limiter.try_acquire("default", "customer-a") == 0
    assert limiter.try_acquire("default", "customer-b") == 0
    assert limiter.try_acquire("default", "customer-a") > 0


def test_without_redis_the_cache_counts(prefix):
    limiter = RateLimiter(limits={"default": (Window(DAY, 3),)}, prefix=prefix)
    results = [limiter.try_acquire("default", "app") for _ in range(5)]
    assert results[:3] == [0, 0, 0]
    # the day window reopens at midnight UTC
    assert all(0 < wait <= DAY for wait in results[3:])
    assert limiter.used("default", "app") == [3]


def test_buckets_follow_linkedin_published_throttles():
    assert ratelimit.bucket_for("/v2/atsCandidates") == "sync"
    assert ratelimit.bucket_for("/v2/atsApplications/atsJobApplicationId=1&x=y/notes") == "sync"
    assert ratelimit.bucket_for("/v2/conversationEvents") == "prospect"
    assert ratelimit.bucket_for("/v2/seats") == "prospect"
    assert ratelimit.bucket_for("/v2/atsIntegrations") == "integrations"
    assert ratelimit.bucket_for("/rest/simpleJobPostings") == "jobs"
    assert ratelimit.bucket_for("/v2/simpleJobPostingTasks") == "job-tasks"
    assert ratelimit.bucket_for("/oauth/v2/accessToken") == "default"
    assert ratelimit.LIMITS["integrations"] == (Window(DAY, 5_000),)
    assert Window(MINUTE, 10_000, "records") in ratelimit.LIMITS["sync"]


def test_a_call_over_our_own_budget_is_refused_before_reaching_linkedin(settings, monkeypatch):
    # Nothing listens on port 9: reaching it would be a LinkedInTemporaryError, not a 429.
    settings.LINKEDIN_API_BASE_URL = "http://127.0.0.1:9"
    settings.LINKEDIN_RETRY_BUDGET = 1
    monkeypatch.setitem(ratelimit.LIMITS, "integrations", (Window(DAY, 0),))
    creds = client.Credentials(f"budget-{uuid.uuid4().hex}", "unused")
    with pytest.raises(LinkedInRateLimited) as caught:
        client.call("GET", "/v2/atsIntegrations", creds=creds)
    assert caught.value.retry_after > 1


def test_the_rate_scale_multiplies_linkedins_limits(settings):
    limiter = RateLimiter(prefix=f"test-rl-{uuid.uuid4().hex}")
    settings.LINKEDIN_RATE_SCALE = 1
    assert Window(MINUTE, 10_000, "records", paced=True) in limiter._windows("sync")
    assert ratelimit.member_limit("conversationEvents").limit == 12
    settings.LINKEDIN_RATE_SCALE = 0.5
    assert Window(MINUTE, 5_000, "records", paced=True) in limiter._windows("sync")
    assert ratelimit.member_limit("conversationEvents").limit == 6
