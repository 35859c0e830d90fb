"""Rest.li helpers of the LinkedIn client (LINKEDIN.md 2.4): keys, URN encoding, batches."""

from urllib.parse import unquote

from linkedin import restli

ORG = "urn:li:organization:5551234"
KEY = {"integrationContext": ORG, "integrationType": "ONE_CLICK_EXPORT"}


def test_urns_are_encoded_in_query_strings():
    assert restli.encode(ORG) == "urn%3Ali%3Aorganization%3A5551234"
    assert restli.urn("seat", 7) == "urn:li:seat:7"
    assert restli.urn_id("urn:li:seat:7") == "7"


def test_compound_keys_in_bodies_paths_and_queries():
    assert restli.key_string(KEY) == f"integrationContext={ORG}&integrationType=ONE_CLICK_EXPORT"
    assert restli.key_path({"atsCandidateId": "a&b/c", "integrationContext": ORG}) == (
        f"atsCandidateId=a%26b%2Fc&integrationContext={ORG}"
    )
    query = restli.ids_query([KEY, {**KEY, "integrationType": "PROFILE_PLUGIN"}])
    assert unquote(query) == (
        f"ids[0].integrationContext={ORG}&ids[0].integrationType=ONE_CLICK_EXPORT&"
        f"ids[1].integrationContext={ORG}&ids[1].integrationType=PROFILE_PLUGIN"
    )
    assert "urn%3Ali%3Aorganization" in query
    assert restli.simple_ids_query(["CALLBACK_URL", "a b"]) == "ids=CALLBACK_URL&ids=a%20b"


def test_response_keys_are_matched_whether_escaped_or_not():
    escaped = (
        "integrationContext=urn%3Ali%3Aorganization%3A5551234&integrationType=ONE_CLICK_EXPORT"
    )
    assert restli.parse_key(escaped) == KEY
    assert restli.same_key(escaped, dict(reversed(list(KEY.items()))))


def test_groups_hold_at_most_100_and_stay_under_4_kb():
    simple = [{"id": str(n)} for n in range(250)]
    assert [len(g) for g in restli.key_chunks(simple)] == [100, 100, 50]
    compound = [{"atsCandidateId": f"c-{n}", "integrationContext": ORG} for n in range(100)]
    groups = list(restli.key_chunks(compound))
    assert sum(map(len, groups)) == 100 and len(groups) > 1
    assert all(len(restli.ids_query(g)) <= restli.MAX_QUERY_BYTES for g in groups)


def test_batch_answers_separate_results_and_element_errors():
    answer = restli.parse_batch(
        {
            "results": {
                restli.key_string(KEY): {"status": "ENABLED", "integrationName": "x"},
                "b": {"status": 204},
                "c": {"status": 422, "message": "bad enum", "serviceErrorCode": 100},
            },
            "errors": {"d": {"status": 404, "message": "No such integration"}},
        }
    )
    assert answer.get(KEY)["status"] == "ENABLED"
    assert answer.results["b"] == {"status": 204}
    assert [(e.key, e.status, e.message) for e in answer.errors] == [
        ("c", 422, "bad enum"),
        ("d", 404, "No such integration"),
    ]
    assert not answer.ok


def test_batch_create_answers_keep_request_order():
    answer = restli.parse_batch(
        {"elements": [{"status": 201, "id": "t1"}, {"status": 422, "error": {"message": "short"}}]}
    )
    assert answer.elements[0]["id"] == "t1"
    assert [(e.key, e.status, e.message) for e in answer.errors] == [("1", 422, "short")]


def test_a_partial_update_body():
    assert restli.patch_set({"integrationName": "N"}) == {
        "patch": {"$set": {"integrationName": "N"}}
    }
