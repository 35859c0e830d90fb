"""Control endpoints and cross-cutting behaviour: faults, 414, rate limits, versions, tunneling."""

import time
from urllib.parse import quote

import pytest
import requests

CONTRACT = "urn:li:contract:8800101"


def token_call(sandbox, timeout=10):
    return requests.post(
        f"{sandbox.url}/oauth/v2/accessToken",
        data={
            "grant_type": "client_credentials",
            "client_id": "attract-partner",
            "client_secret": "attract-partner-secret",
        },
        timeout=timeout,
    )


def seats_url(sandbox):
    return f"{sandbox.url}/v2/seats?q=seatsByAttributes&contracts={quote(CONTRACT, safe='')}"


# Faults -------------------------------------------------------------------------------------------


def test_5xx_fault_for_count_requests(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "5xx", "count": 2})
    first, second, third = (token_call(linkedin_sandbox) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (500, 500, 200)
    assert first.json() == {
        "status": 500,
        "serviceErrorCode": 500,
        "message": first.json()["message"],
    }


def test_5xx_fault_with_another_status_and_path_prefix(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "5xx", "status": 503, "path_prefix": "/v2/seats"})
    assert token_call(linkedin_sandbox).status_code == 200
    assert requests.get(seats_url(linkedin_sandbox), timeout=10).status_code == 503


def test_429_fault_with_retry_after(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "429", "retry_after": 7, "count": 1})
    answer = token_call(linkedin_sandbox)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"
    assert answer.json()["status"] == 429
    assert token_call(linkedin_sandbox).status_code == 200


def test_429_fault_without_retry_after(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "429", "count": 1})
    answer = token_call(linkedin_sandbox)
    assert answer.status_code == 429 and "Retry-After" not in answer.headers


def test_rate_zero_affects_nothing(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "5xx", "rate": 0.0})
    assert all(token_call(linkedin_sandbox).ok for _ in range(5))


def test_slow_fault(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "slow", "delay": 0.5, "count": 1})
    started = time.monotonic()
    assert token_call(linkedin_sandbox).status_code == 200
    assert time.monotonic() - started >= 0.5


def test_timeout_fault_outlasts_the_client(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "timeout", "delay": 1.0, "count": 1})
    with pytest.raises(requests.exceptions.ReadTimeout):
        token_call(linkedin_sandbox, timeout=0.3)
    assert token_call(linkedin_sandbox).status_code == 200


def test_timeout_fault_then_closes_without_answer(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "timeout", "delay": 0.2, "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        token_call(linkedin_sandbox, timeout=5)


def test_malformed_fault(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "malformed", "count": 1})
    answer = token_call(linkedin_sandbox)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    with pytest.raises(requests.JSONDecodeError):
        answer.json()


def test_off_and_control_paths_are_never_faulted(linkedin_sandbox):
    linkedin_sandbox.control({"mode": "5xx"})
    assert linkedin_sandbox.state()["_meta"]["fault"]["mode"] == "5xx"
    assert token_call(linkedin_sandbox).status_code == 500
    linkedin_sandbox.control({"mode": "off"})
    assert token_call(linkedin_sandbox).status_code == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"mode": "explode"},
        {"mode": "5xx", "rate": 2},
        {"mode": "5xx", "count": -1},
        {"mode": "5xx", "status": 404},
        {"mode": "slow", "colour": "red"},
        {"mode": "slow", "delay": "x"},
    ],
)
def test_bad_fault_is_400(linkedin_sandbox, fault):
    answer = requests.post(f"{linkedin_sandbox.url}/_sandbox/faults", json=fault, timeout=10)
    assert answer.status_code == 400


def test_reset_clears_faults_and_data(linkedin_sandbox):
    linkedin_sandbox.provision_customer()
    linkedin_sandbox.control({"mode": "5xx"})
    linkedin_sandbox.reset()
    state = linkedin_sandbox.state()
    assert "fault" not in state["_meta"]
    assert [a["clientId"] for a in state["application"]] == ["attract-partner"]
    assert len(state["member"]) == 12 and len(state["seat"]) == 5 and len(state["contract"]) == 2


def test_clock_control_validates(linkedin_sandbox):
    assert (
        requests.post(
            f"{linkedin_sandbox.url}/_sandbox/clock", json={"advance_seconds": -1}, timeout=10
        ).status_code
        == 400
    )
    before = linkedin_sandbox.state()["_meta"]["now_ms"]
    linkedin_sandbox.advance_clock(3600)
    assert linkedin_sandbox.state()["_meta"]["now_ms"] >= before + 3_600_000


# Size limits and protocol -------------------------------------------------------------------------


def test_overlong_url_is_414(linkedin_sandbox):
    long_query = "&".join(f"ids={'x' * 90}{i}" for i in range(100))  # ~9 KB
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/simpleJobPostingTasks?{long_query}", timeout=10
    )
    assert answer.status_code == 414
    assert answer.json()["status"] == 414


def test_overlong_query_string_is_414(linkedin_sandbox):
    answer = requests.get(
        f"{linkedin_sandbox.url}/v2/seats?q=seatsByAttributes&pad={'x' * 4200}", timeout=10
    )
    assert answer.status_code == 414


def test_query_tunneling_gets_around_414(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    query = f"q=seatsByAttributes&contracts={quote(CONTRACT, safe='')}&pad={'x' * 4200}"
    answer = requests.post(
        f"{linkedin_sandbox.url}/v2/seats",
        data=query,
        headers={
            "Authorization": f"Bearer {token}",
            "X-HTTP-Method-Override": "GET",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["paging"]["total"] == 3


def test_unknown_path_and_method(linkedin_sandbox):
    assert requests.get(f"{linkedin_sandbox.url}/v2/nothingHere", timeout=10).status_code == 404
    answer = requests.patch(f"{linkedin_sandbox.url}/v2/seats", timeout=10)
    assert answer.status_code == 405
    assert answer.json()["status"] == 405


def test_bad_protocol_version_header(linkedin_sandbox):
    answer = requests.get(
        seats_url(linkedin_sandbox), headers={"X-Restli-Protocol-Version": "3.0.0"}, timeout=10
    )
    assert answer.status_code == 400


# Versioned API ------------------------------------------------------------------------------------


def versioned_post(sandbox, token, headers):
    return requests.post(
        f"{sandbox.url}/rest/simpleJobPostings",
        json={"elements": []},
        headers={
            "Authorization": f"Bearer {token}",
            "x-restli-method": "batch_create",
            "X-Restli-Protocol-Version": "2.0.0",
            **headers,
        },
        timeout=10,
    )


def test_versioned_api_needs_linkedin_version(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    missing = versioned_post(linkedin_sandbox, token, {})
    assert missing.status_code == 400
    assert missing.json()["code"] == "VERSION_MISSING"
    for stale in ("202001", "209912", "2025-01", "202513"):
        answer = versioned_post(linkedin_sandbox, token, {"LinkedIn-Version": stale})
        assert answer.status_code == 426, stale
        assert answer.json()["code"] == "NONEXISTENT_VERSION"
    state_now = linkedin_sandbox.state()["_meta"]["now_ms"] / 1000
    current = time.strftime("%Y%m", time.gmtime(state_now))
    ok = versioned_post(linkedin_sandbox, token, {"LinkedIn-Version": current})
    assert ok.status_code == 400  # past the version check: the empty batch is refused
    assert "elements" in ok.json()["message"]


# Rate limits --------------------------------------------------------------------------------------


def test_daily_limit_scaled_down_answers_429(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()  # 2 atsIntegrations calls
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    linkedin_sandbox.set_rate_scale(0.001)  # atsIntegrations: 5 calls a day
    url = f"{linkedin_sandbox.url}/v2/atsIntegrations?q=request&requestId=none"
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [requests.get(url, headers=headers, timeout=10).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    throttled = requests.get(url, headers=headers, timeout=10)
    assert throttled.json()["status"] == 429 and "DAY" in throttled.json()["message"]
    linkedin_sandbox.advance_clock(24 * 3600)
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    assert (
        requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code
        == 404
    )


def test_records_per_minute_limit(linkedin_sandbox):
    customer = linkedin_sandbox.provision_customer()
    token = linkedin_sandbox.app_token(customer["client_id"], customer["client_secret"])
    linkedin_sandbox.set_rate_scale(0.001)  # sync: 10 records a minute
    org = "urn:li:organization:5551234"

    def put(first, count):
        keys = [
            {"atsCandidateId": f"c{i}", "dataProvider": "ATS", "integrationContext": org}
            for i in range(first, first + count)
        ]
        query = "&".join(
            f"ids[{n}].{k}={quote(v, safe='')}"
            for n, key in enumerate(keys)
            for k, v in key.items()
        )
        entities = {
            "&".join(f"{k}={v}" for k, v in key.items()): {"addresses": [], "atsCreatedAt": 1}
            for key in keys
        }
        return requests.put(
            f"{linkedin_sandbox.url}/v2/atsCandidates?{query}",
            json={"entities": entities},
            headers={"Authorization": f"Bearer {token}", "x-restli-method": "batch_update"},
            timeout=10,
        )

    assert put(0, 10).status_code == 200
    limited = put(10, 1)
    assert limited.status_code == 429 and "MINUTE" in limited.json()["message"]
    linkedin_sandbox.advance_clock(60)
    assert put(10, 1).status_code == 200


def test_rate_scale_control_validates(linkedin_sandbox):
    answer = requests.post(
        f"{linkedin_sandbox.url}/_sandbox/ratelimits", json={"scale": 0}, timeout=10
    )
    assert answer.status_code == 400
