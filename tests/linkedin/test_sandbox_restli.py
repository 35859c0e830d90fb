"""Rest.li 1.0 and 2.0 encodings of the sandbox round-trip (no server needed)."""

import pytest

from linkedin.sandbox.restli import (
    PROTOCOL_1,
    PROTOCOL_2,
    Query,
    RestliError,
    decode_key,
    encode_key,
    encode_value,
    ids_query,
    parse_value,
)

COMPOUND = {
    "atsCandidateId": "c,1 (x)",
    "dataProvider": "ATS",
    "integrationContext": "urn:li:organization:5",
}


@pytest.mark.parametrize("protocol", [PROTOCOL_1, PROTOCOL_2])
def test_compound_key_round_trip(protocol):
    assert decode_key(encode_key(COMPOUND, protocol), protocol, compound=True) == COMPOUND


@pytest.mark.parametrize("protocol", [PROTOCOL_1, PROTOCOL_2])
def test_simple_key_round_trip(protocol):
    urn = "urn:li:simpleJobPostingTask:8f0c-1"
    assert decode_key(encode_key(urn, protocol), protocol, compound=False) == urn


def test_protocol_2_encodings():
    assert encode_key("urn:li:seat:1", PROTOCOL_2) == "urn%3Ali%3Aseat%3A1"
    assert encode_key({"a": "x:y", "b": "z"}, PROTOCOL_2) == "(a:x%3Ay,b:z)"
    assert encode_value(["urn:li:contract:1", "b"]) == "List(urn%3Ali%3Acontract%3A1,b)"
    assert encode_value({"start": 1, "end": 2}) == "(start:1,end:2)"


def test_protocol_1_entity_key_keeps_urns_readable():
    key = {"integrationContext": "urn:li:organization:1", "integrationType": "ONE_CLICK_EXPORT"}
    assert (
        encode_key(key, PROTOCOL_1)
        == "integrationContext=urn:li:organization:1&integrationType=ONE_CLICK_EXPORT"
    )
    escaped = "integrationContext=urn%3Ali%3Aorganization%3A1&integrationType=ONE_CLICK_EXPORT"
    assert decode_key(escaped, PROTOCOL_1, compound=True) == key


def test_parse_nested_values():
    assert parse_value("List((a:1,b:List(x,y)),())") == [{"a": "1", "b": ["x", "y"]}, {}]
    assert parse_value("List()") == []


@pytest.mark.parametrize("raw", ["List(a,b", "(a:1", "(a)", "List(a))", "(a:1,b)"])
def test_malformed_values(raw):
    with pytest.raises(RestliError):
        parse_value(raw)


@pytest.mark.parametrize("protocol", [PROTOCOL_1, PROTOCOL_2])
def test_batch_ids_round_trip(protocol):
    keys = [COMPOUND, {**COMPOUND, "atsCandidateId": "c2"}]
    query = Query.parse(ids_query(keys, protocol), protocol)
    assert query.batch_ids(compound=True) == keys
    simple = ["urn:li:x:1", "urn:li:x:2"]
    assert Query.parse(ids_query(simple, protocol), protocol).batch_ids(compound=False) == simple


def test_protocol_2_refuses_protocol_1_ids():
    query = Query.parse("ids[0].a=1&ids[0].b=2", PROTOCOL_2)
    with pytest.raises(RestliError):
        query.batch_ids(compound=True)
    encoded_structure = Query.parse("ids=List%28a%29", PROTOCOL_2)
    with pytest.raises(RestliError):
        encoded_structure.batch_ids(compound=False)


def test_protocol_1_refuses_gaps_and_flat_ids_for_compound_keys():
    with pytest.raises(RestliError):
        Query.parse("ids[0].a=1&ids[2].a=2", PROTOCOL_1).batch_ids(compound=True)
    with pytest.raises(RestliError):
        Query.parse("ids=a", PROTOCOL_1).batch_ids(compound=True)


def test_query_lists_and_records():
    one = Query.parse(
        "contracts=urn%3Ali%3Acontract%3A1&contracts=x&timeRange.start=1&timeRange.end=2",
        PROTOCOL_1,
    )
    assert one.values("contracts") == ["urn:li:contract:1", "x"]
    assert one.record("timeRange") == {"start": "1", "end": "2"}
    two = Query.parse(
        "contracts=List(urn%3Ali%3Acontract%3A1,x)&timeRange=(start:1,end:2)", PROTOCOL_2
    )
    assert two.values("contracts") == ["urn:li:contract:1", "x"]
    assert two.record("timeRange") == {"start": "1", "end": "2"}
