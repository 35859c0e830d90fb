"""ATS sync APIs: atsCandidates (+ notes, matches), atsApplications (+ notes, feedback, stages),
deletes, simpleJobPostings with tasks, batch limits and both Rest.li protocol versions."""

from urllib.parse import quote

import pytest
import requests

from linkedin.sandbox.restli import PROTOCOL_2, encode_key, encode_value

ORG = "urn:li:organization:5551234"


class Api:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        customer = sandbox.provision_customer()
        self.token = sandbox.app_token(customer["client_id"], customer["client_secret"])

    def call(self, method, path, restli=None, protocol2=False, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"}
        if restli:
            headers["x-restli-method"] = restli
        if protocol2:
            headers["X-Restli-Protocol-Version"] = "2.0.0"
        return requests.request(
            method, f"{self.sandbox.url}{path}", headers=headers, timeout=10, **kwargs
        )


@pytest.fixture
def api(linkedin_sandbox):
    return Api(linkedin_sandbox)


def cand_key(cid, org=ORG):
    return {"atsCandidateId": cid, "dataProvider": "ATS", "integrationContext": org}


def app_key(aid):
    return {"atsJobApplicationId": aid, "dataProvider": "ATS", "integrationContext": ORG}


def ids(keys):
    return "&".join(
        f"ids[{i}].{k}={quote(v, safe='')}" for i, key in enumerate(keys) for k, v in key.items()
    )


def ek(key):
    return "&".join(f"{k}={v}" for k, v in key.items())


CANDIDATE = {
    "addresses": [{"city": "Copenhagen", "country": "DK"}],
    "atsCreatedAt": 1_700_000_000_000,
    "firstName": "Kenji",
    "lastName": "Nakamura",
    "emailAddresses": ["kenji.nakamura@mail.example"],
    "phoneNumbers": [{"number": "+45 20 00 00 05"}],
}


def put_candidates(api, entities, protocol2=False):
    keys = [key for key, _ in entities]
    if protocol2:
        query = "ids=" + encode_value(keys)
        body = {"entities": {encode_key(k, PROTOCOL_2): e for k, e in entities}}
    else:
        query = ids(keys)
        body = {"entities": {ek(k): e for k, e in entities}}
    return api.call("PUT", f"/v2/atsCandidates?{query}", "batch_update", protocol2, json=body)


# Candidates ---------------------------------------------------------------------------------------


def test_candidate_upsert_read_and_algorithmic_match(api):
    answer = put_candidates(api, [(cand_key("c1"), CANDIDATE)])
    assert answer.status_code == 200
    assert answer.json() == {"results": {ek(cand_key("c1")): {"status": 204}}, "errors": {}}
    got = api.call(
        "GET",
        f"/v2/atsCandidates?{ids([cand_key('c1')])}&fields=matchedMembers,manualMatchedMember",
    ).json()
    assert got["results"][ek(cand_key("c1"))] == {"matchedMembers": ["urn:li:person:kNakamu05"]}
    full = api.call("GET", f"/v2/atsCandidates?{ids([cand_key('c1')])}").json()
    assert full["results"][ek(cand_key("c1"))]["firstName"] == "Kenji"
    assert full["statuses"][ek(cand_key("c1"))] == 200


def test_candidate_validation_is_per_element(api):
    good = (cand_key("ok"), CANDIDATE)
    no_addresses = (cand_key("a"), {k: v for k, v in CANDIDATE.items() if k != "addresses"})
    bad_created = (cand_key("b"), {**CANDIDATE, "atsCreatedAt": 0})
    unknown = (cand_key("c"), {**CANDIDATE, "shoeSize": 44})
    bad_phone = (cand_key("d"), {**CANDIDATE, "phoneNumbers": ["+45"]})
    foreign = (cand_key("e", "urn:li:organization:1"), CANDIDATE)
    answer = put_candidates(
        api, [good, no_addresses, bad_created, unknown, bad_phone, foreign]
    ).json()
    assert list(answer["results"]) == [ek(cand_key("ok"))]
    statuses = {k: v["status"] for k, v in answer["errors"].items()}
    assert statuses == {
        ek(cand_key("a")): 422,
        ek(cand_key("b")): 422,
        ek(cand_key("c")): 422,
        ek(cand_key("d")): 422,
        ek(cand_key("e", "urn:li:organization:1")): 403,
    }
    assert all(
        set(v) == {"status", "serviceErrorCode", "message"} for v in answer["errors"].values()
    )


def test_batch_of_more_than_100_is_400(api):
    entities = [(cand_key(f"c{i}"), CANDIDATE) for i in range(101)]
    keys_query = "&".join(
        f"ids[{i}].atsCandidateId=c{i}&ids[{i}].dataProvider=ATS" for i in range(101)
    )
    answer = api.call(
        "PUT", f"/v2/atsCandidates?{keys_query}", "batch_update", json={"entities": {}}
    )
    assert answer.status_code in (400, 414)
    answer = api.call(
        "PUT",
        "/v2/atsCandidates?ids[0].atsCandidateId=c0&ids[0].dataProvider=ATS&ids[0].integrationContext=x",
        "batch_update",
        json={"entities": {ek(k): e for k, e in entities}},
    )
    assert answer.status_code == 400


def test_batch_update_needs_the_header(api):
    answer = api.call(
        "PUT",
        f"/v2/atsCandidates?{ids([cand_key('c1')])}",
        json={"entities": {ek(cand_key("c1")): CANDIDATE}},
    )
    assert answer.status_code == 400
    assert "x-restli-method" in answer.json()["message"]


def test_malformed_batch_keys_are_400(api):
    answer = api.call(
        "PUT", "/v2/atsCandidates?ids=c1", "batch_update", json={"entities": {"c1": CANDIDATE}}
    )
    assert answer.status_code == 400
    gap = api.call("GET", "/v2/atsCandidates?ids[0].atsCandidateId=a&ids[2].atsCandidateId=b")
    assert gap.status_code == 400


def test_protocol_2_keys_round_trip(api):
    key = cand_key("c 2,(x)")
    answer = put_candidates(api, [(key, CANDIDATE)], protocol2=True)
    assert answer.status_code == 200, answer.text
    encoded = encode_key(key, PROTOCOL_2)
    assert (
        encoded == "(atsCandidateId:c%202%2C%28x%29,dataProvider:ATS,"
        "integrationContext:urn%3Ali%3Aorganization%3A5551234)"
    )
    assert answer.json()["results"] == {encoded: {"status": 204}}
    got = api.call("GET", f"/v2/atsCandidates?ids={encode_value([key])}", protocol2=True).json()
    assert got["results"][encoded]["lastName"] == "Nakamura"
    old_style = api.call("GET", f"/v2/atsCandidates?{ids([key])}", protocol2=True)
    assert old_style.status_code == 400


def test_manual_match_and_unlink(api):
    put_candidates(api, [(cand_key("c1"), {**CANDIDATE, "emailAddresses": []})])
    patch = {
        "entities": {
            ek(cand_key("c1")): {
                "patch": {"$set": {"manualMatchedMember": "urn:li:person:hJensen12"}}
            }
        }
    }
    answer = api.call(
        "POST", f"/v2/atsCandidates?{ids([cand_key('c1')])}", "batch_partial_update", json=patch
    )
    assert answer.json()["results"] == {ek(cand_key("c1")): {"status": 204}}
    got = api.call(
        "GET", f"/v2/atsCandidates?{ids([cand_key('c1')])}&fields=manualMatchedMember"
    ).json()
    assert got["results"][ek(cand_key("c1"))] == {"manualMatchedMember": "urn:li:person:hJensen12"}
    put_candidates(api, [(cand_key("c1"), CANDIDATE)])  # a re-sync keeps the manual match
    got = api.call(
        "GET", f"/v2/atsCandidates?{ids([cand_key('c1')])}&fields=manualMatchedMember"
    ).json()
    assert got["results"][ek(cand_key("c1"))] == {"manualMatchedMember": "urn:li:person:hJensen12"}
    unlink = {"entities": {ek(cand_key("c1")): {"patch": {"$delete": ["manualMatchedMember"]}}}}
    api.call(
        "POST", f"/v2/atsCandidates?{ids([cand_key('c1')])}", "batch_partial_update", json=unlink
    )
    got = api.call(
        "GET", f"/v2/atsCandidates?{ids([cand_key('c1')])}&fields=manualMatchedMember"
    ).json()
    assert got["results"][ek(cand_key("c1"))] == {}


def test_manual_match_validation(api):
    put_candidates(api, [(cand_key("c1"), CANDIDATE)])
    keys = [cand_key("c1"), cand_key("nobody")]
    body = {
        "entities": {
            ek(cand_key("c1")): {"patch": {"$set": {"manualMatchedMember": "urn:li:person:ghost"}}},
            ek(cand_key("nobody")): {
                "patch": {"$set": {"manualMatchedMember": "urn:li:person:hJensen12"}}
            },
        }
    }
    answer = api.call(
        "POST", f"/v2/atsCandidates?{ids(keys)}", "batch_partial_update", json=body
    ).json()
    assert answer["errors"][ek(cand_key("c1"))]["status"] == 422
    assert answer["errors"][ek(cand_key("nobody"))]["status"] == 404


def test_candidate_notes_and_cascading_delete(api, linkedin_sandbox):
    put_candidates(api, [(cand_key("c1"), CANDIDATE)])
    notes_path = f"/v2/atsCandidates/{ek(cand_key('c1'))}/notes"
    note = {
        "atsCreatedAt": 1_700_000_000_000,
        "note": "Strong Python",
        "author": {"firstName": "Ingrid", "lastName": "Haugen"},
    }
    answer = api.call(
        "PUT",
        f"{notes_path}?ids=n1&ids=n2",
        "batch_update",
        json={"entities": {"n1": note, "n2": {"note": "no date"}}},
    ).json()
    assert answer["results"] == {"n1": {"status": 204}}
    assert answer["errors"]["n2"]["status"] == 422
    got = api.call("GET", f"{notes_path}?ids=n1&ids=n9").json()
    assert got["results"]["n1"]["note"] == "Strong Python"
    assert got["errors"]["n9"]["status"] == 404
    deleted = api.call(
        "DELETE", f"/v2/atsCandidates?{ids([cand_key('c1'), cand_key('c9')])}", "batch_delete"
    ).json()
    assert deleted["results"] == {ek(cand_key("c1")): {"status": 204}}
    assert deleted["errors"][ek(cand_key("c9"))]["status"] == 404
    state = linkedin_sandbox.state()
    assert "ats_candidate" not in state and "ats_candidate_note" not in state
    assert api.call("GET", f"{notes_path}?ids=n1").status_code == 404


# Applications -------------------------------------------------------------------------------------

APPLICATION = {
    "atsCandidateId": "c1",
    "atsCreatedAt": 1_700_000_000_000,
    "atsJobPostingId": "J-000012",
    "atsJobPostingName": "Backend engineer",
    "candidateEmail": "kenji.nakamura@mail.example",
    "firstName": "Kenji",
    "lastName": "Nakamura",
    "source": "Referral",
}


def test_application_with_notes_feedback_stages_and_cascade(api, linkedin_sandbox):
    key = app_key("a1")
    answer = api.call(
        "PUT",
        f"/v2/atsApplications?{ids([key])}",
        "batch_update",
        json={"entities": {ek(key): APPLICATION}},
    )
    assert answer.json()["results"] == {ek(key): {"status": 204}}
    base = f"/v2/atsApplications/{ek(key)}"
    note = {
        "atsCreatedAt": 1,
        "note": "Great call",
        "author": {"firstName": "Lars", "lastName": "Eriksen"},
    }
    feedback = {
        "atsCreatedAt": 2,
        "feedback": "Hire",
        "evaluations": [{"attribute": "Verbal Communication", "result": "4/5"}],
        "interviewer": {"firstName": "Sofie", "lastName": "Lindqvist"},
    }
    stages = {
        "S1": {"atsCreatedAt": 3, "stage": "New"},
        "S2": {"atsCreatedAt": 4, "stage": "Phone Interview"},
    }
    assert (
        api.call(
            "PUT", f"{base}/notes?ids=n1", "batch_update", json={"entities": {"n1": note}}
        ).json()["errors"]
        == {}
    )
    assert (
        api.call(
            "PUT",
            f"{base}/interviewFeedback?ids=f1",
            "batch_update",
            json={"entities": {"f1": feedback}},
        ).json()["errors"]
        == {}
    )
    assert (
        api.call(
            "PUT", f"{base}/stages?ids=S1&ids=S2", "batch_update", json={"entities": stages}
        ).json()["errors"]
        == {}
    )
    bad_stage = api.call(
        "PUT",
        f"{base}/stages?ids=S3",
        "batch_update",
        json={"entities": {"S3": {"atsCreatedAt": 5}}},
    ).json()
    assert bad_stage["errors"]["S3"]["status"] == 422
    bad_eval = {**feedback, "evaluations": [{"attribute": "x", "score": 5}]}
    assert (
        api.call(
            "PUT",
            f"{base}/interviewFeedback?ids=f2",
            "batch_update",
            json={"entities": {"f2": bad_eval}},
        ).json()["errors"]["f2"]["status"]
        == 422
    )
    state = linkedin_sandbox.state()
    assert len(state["ats_application_stage"]) == 2 and len(state["ats_interview_feedback"]) == 1
    assert api.call("DELETE", f"{base}/stages?ids=S2", "batch_delete").json()["results"] == {
        "S2": {"status": 204}
    }
    api.call("DELETE", f"/v2/atsApplications?{ids([key])}", "batch_delete")
    state = linkedin_sandbox.state()
    for kind in (
        "ats_application",
        "ats_application_note",
        "ats_interview_feedback",
        "ats_application_stage",
    ):
        assert kind not in state


def test_application_update_replaces_every_field(api):
    key = app_key("a1")
    api.call(
        "PUT",
        f"/v2/atsApplications?{ids([key])}",
        "batch_update",
        json={"entities": {ek(key): APPLICATION}},
    )
    smaller = {"atsCreatedAt": 1_700_000_000_000, "dispositionReason": "Withdrew"}
    api.call(
        "PUT",
        f"/v2/atsApplications?{ids([key])}",
        "batch_update",
        json={"entities": {ek(key): smaller}},
    )
    got = api.call("GET", f"/v2/atsApplications?{ids([key])}").json()["results"][ek(key)]
    assert got == smaller


def test_sub_resource_of_unknown_parent_is_404(api):
    answer = api.call(
        "PUT",
        f"/v2/atsApplications/{ek(app_key('nope'))}/notes?ids=n1",
        "batch_update",
        json={"entities": {"n1": {"atsCreatedAt": 1, "note": "x"}}},
    )
    assert answer.status_code == 404


# Jobs ---------------------------------------------------------------------------------------------

DESCRIPTION = "<p>" + "Build the hiring product with Python and Django. " * 4 + "</p>"


def job(external_id="J-000012", **extra):
    return {
        "integrationContext": ORG,
        "companyApplyUrl": f"https://jobs.nordlys.example/jobs/{external_id}/",
        "externalJobPostingId": external_id,
        "jobPostingOperationType": "CREATE",
        "title": "Backend engineer",
        "description": DESCRIPTION,
        "listedAt": 1_700_000_000_000,
        "location": "Oslo, Norway",
        "companyJobCode": external_id,
        "availability": "PRIVATE_TO_ATS_INTEGRATION",
        "posterEmail": "ingrid.haugen@nordlys.example",
        **extra,
    }


def post_jobs(api, elements, base="/v2", headers=None):
    extra = headers or {}
    return requests.post(
        f"{api.sandbox.url}{base}/simpleJobPostings",
        json={"elements": elements},
        headers={
            "Authorization": f"Bearer {api.token}",
            "x-restli-method": "batch_create",
            **extra,
        },
        timeout=10,
    )


def poll(api, task_ids):
    query = "&".join(f"ids={quote(t, safe='')}" for t in task_ids)
    return api.call("GET", f"/v2/simpleJobPostingTasks?{query}").json()


def test_job_task_lifecycle(api, linkedin_sandbox):
    answer = post_jobs(
        api, [job(), job("J-2", description="too short"), job("J-3", workplaceTypes=["Moon"])]
    )
    assert answer.status_code == 200
    first, second, third = answer.json()["elements"]
    assert first["status"] == 202 and first["id"].startswith("urn:li:simpleJobPostingTask:")
    assert second["status"] == 202  # the description is checked when the task runs
    assert third["status"] == 422 and third["error"]["message"]
    tasks = poll(api, [first["id"], second["id"]])
    assert {t["status"] for t in tasks["results"].values()} == {"IN_PROGRESS"}
    linkedin_sandbox.advance_clock(300)
    tasks = poll(api, [first["id"], second["id"]])["results"]
    assert tasks[first["id"]]["status"] == "SUCCEEDED"
    assert tasks[first["id"]]["jobPosting"].startswith("urn:li:jobPosting:")
    assert tasks[first["id"]]["externalJobPostingId"] == "J-000012"
    assert (
        tasks[second["id"]]["status"] == "FAILED" and "100" in tasks[second["id"]]["errorMessage"]
    )


def test_job_operations_fail_like_linkedin(api, linkedin_sandbox):
    created = post_jobs(api, [job()]).json()["elements"][0]["id"]
    update_unknown = post_jobs(api, [job("J-404", jobPostingOperationType="UPDATE")]).json()[
        "elements"
    ][0]["id"]
    no_poster = post_jobs(api, [job("J-5", posterEmail=None)]).json()["elements"][0]["id"]
    bad_place = post_jobs(api, [job("J-6", location="Atlantis")]).json()["elements"][0]["id"]
    linkedin_sandbox.advance_clock(300)
    duplicate = post_jobs(api, [job()]).json()["elements"][0]["id"]
    close = post_jobs(api, [job(jobPostingOperationType="CLOSE")]).json()["elements"][0]["id"]
    linkedin_sandbox.advance_clock(300)
    results = poll(api, [created, update_unknown, no_poster, bad_place, duplicate, close])[
        "results"
    ]
    assert [
        results[t]["status"]
        for t in (created, update_unknown, no_poster, bad_place, duplicate, close)
    ] == [
        "SUCCEEDED",
        "FAILED",
        "FAILED",
        "FAILED",
        "FAILED",
        "SUCCEEDED",
    ]
    assert "2009" in results[duplicate]["errorMessage"]
    jobs = linkedin_sandbox.state()["job"]
    assert [(j["externalJobPostingId"], j["state"]) for j in jobs] == [("J-000012", "CLOSED")]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "x" * 201},
        {"jobPostingOperationType": "DELETE"},
        {"companyApplyUrl": "jobs/1"},
        {"listedAt": 99_999_999_999_999},
        {"categories": ["eng", "it", "acct", "sale"]},
        {"colour": "blue"},
        {"externalJobPostingId": ""},
        {"accessRestricted": "yes"},
        {"integrationContext": "urn:li:organization:1"},
    ],
)
def test_job_schema_errors_are_422_per_element(api, change):
    element = {**job(), **change}
    answer = post_jobs(api, [element, job("J-ok")]).json()["elements"]
    assert answer[0]["status"] in (422, 403)
    assert answer[1]["status"] == 202


def test_jobs_batch_limits(api):
    assert post_jobs(api, []).status_code == 400
    assert post_jobs(api, [job(f"J-{i}") for i in range(101)]).status_code == 400
    no_header = requests.post(
        f"{api.sandbox.url}/v2/simpleJobPostings",
        json={"elements": [job()]},
        headers={"Authorization": f"Bearer {api.token}"},
        timeout=10,
    )
    assert no_header.status_code == 400


def test_versioned_api_refuses_rsc_fields(api):
    headers = {"LinkedIn-Version": "202604", "X-Restli-Protocol-Version": "2.0.0"}
    plain = {k: v for k, v in job("J-basic").items() if k != "availability"}
    answer = post_jobs(api, [job(), plain], base="/rest", headers=headers)
    assert [e["status"] for e in answer.json()["elements"]] == [422, 202]


def test_unknown_or_foreign_task_is_404(api, linkedin_sandbox):
    answer = poll(api, ["urn:li:simpleJobPostingTask:nope"])
    assert answer["errors"]["urn:li:simpleJobPostingTask:nope"]["status"] == 404


def test_alternate_locations_multiplex(api):
    element = {k: v for k, v in job().items() if k != "availability"}
    answer = post_jobs(
        api, [{**element, "alternateLocations": ["Bergen, Norway", "Trondheim, Norway"]}]
    ).json()
    assert [e["location"] for e in answer["elements"]] == [
        "Oslo, Norway",
        "Bergen, Norway",
        "Trondheim, Norway",
    ]
