"""Create, read, replace and delete for every kind; etags, If-Match, If-None-Match, defaults."""

import re

import pytest

from emulator_helpers import CREATE_CT, HAL_CT, offer, schema

RECEIPT_KEYS = {"instanceId", "@id", "repo:etag", "repo:createdDate", "repo:lastModifiedDate",
                "repo:createdBy", "repo:lastModifiedBy", "repo:createdByClientId",
                "repo:lastModifiedByClientId"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

SAMPLES = {
    "personalized-offer": offer(
        **{"xdm:status": "approved",
           "xdm:selectionConstraint": {"xdm:startDate": "2023-10-01T16:00:00Z",
                                       "xdm:endDate": "2021-12-13T16:00:00Z",
                                       "xdm:eligibilityRule": "xcore:eligibility-rule:124e0faf5b8ee89b"},
           "xdm:rank": {"xdm:priority": 1}, "xdm:cappingConstraint": {"xdm:globalCap": 150},
           "xdm:tags": ["xcore:tag:124e147572cd7866"], "xdm:characteristics": {"k": "v"}}),
    "fallback-offer": {k: v for k, v in offer("Fallback").items()},
    "offer-placement": {"xdm:name": "Web banner", "xdm:description": "top",
                        "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
                        "xdm:componentType": "https://ns.adobe.com/experience/offer-management/content-component-html",
                        "xdm:contentTypes": ["text/html"]},
    "offer-filter": {"xdm:name": "Collection", "xdm:filterType": "anyTags",
                     "xdm:ids": ["xcore:tag:124e147572cd7866"]},
    "tag": {"xdm:name": "Holiday"},
    "eligibility-rule": {"xdm:name": "Gold", "description": "gold members",
                         "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text",
                                           "xdm:value": "profile.tier = \"gold\""},
                         "xdm:definedOn": {"profile": {"xdm:schema": {"$ref": "x"}}}},
    "offer-activity": {"xdm:name": "Decision", "xdm:status": "draft",
                       "xdm:startDate": "2024-01-01T00:00:00Z", "xdm:endDate": "2024-12-31T23:59:59.5+01:00",
                       "xdm:criteria": [{"xdm:placements": ["xcore:offer-placement:124e0be5699743d3"],
                                         "xdm:rank": {"xdm:orderEvaluationType": "static"},
                                         "xdm:optionSelection": {"xdm:filter": "xcore:offer-filter:124e0be5699743d4"}}],
                       "xdm:fallback": "xcore:fallback-offer:124e0be5699743d5"},
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_create_and_read_every_kind(api, kind):
    response = api.create(kind, SAMPLES[kind])
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == RECEIPT_KEYS
    assert UUID.match(receipt["instanceId"])
    assert re.match(r"^xcore:" + re.escape(kind) + r":[0-9a-f]{16}$", receipt["@id"])
    assert receipt["repo:etag"] == 1
    assert DATE.match(receipt["repo:createdDate"]) and receipt["repo:createdDate"] == receipt["repo:lastModifiedDate"]
    assert receipt["repo:createdByClientId"] == api.emulator.client_id
    assert response.headers["Location"].endswith(f"/data/core/xcore/{api.cid}/instances/{receipt['instanceId']}")

    doc = api.doc(receipt["instanceId"])
    assert doc["instanceId"] == receipt["instanceId"]
    assert doc["schemas"][0].split(";")[0] == schema(kind).split(";")[0]
    assert doc["productContexts"] == ["acp"]
    assert doc["_instance"]["@id"] == receipt["@id"]
    for key, value in SAMPLES[kind].items():
        assert doc["_instance"][key] == value
    assert doc["_links"]["self"] == {"name": f"{doc['schemas'][0]}#{doc['instanceId']}",
                                     "href": f"/{api.cid}/instances/{doc['instanceId']}"}
    assert {k: doc[k] for k in RECEIPT_KEYS - {"@id"}} == {k: receipt[k] for k in RECEIPT_KEYS - {"@id"}}


def test_fallback_offer_comes_back_as_a_newer_schema_version(api):
    iid = api.created("fallback-offer", SAMPLES["fallback-offer"])["instanceId"]
    assert api.doc(iid)["schemas"] == ["https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.5"]


def test_create_hal_shape(api):
    response = api.create("tag", {"_instance": {"xdm:name": "Hal"}, "_links": {}},
                          content_type=HAL_CT.format(schema("tag")))
    assert response.status_code == 201, response.text
    assert api.doc(response.json()["instanceId"])["_instance"]["xdm:name"] == "Hal"


def test_server_defaults_on_create(api):
    iid = api.created("personalized-offer", {"xdm:name": "Bare"})["instanceId"]
    assert api.doc(iid)["_instance"] == {
        "@id": api.doc(iid)["_instance"]["@id"], "xdm:name": "Bare", "xdm:status": "draft",
        "xdm:rank": {"xdm:priority": 0}, "xdm:tags": [], "xdm:characteristics": {}}
    # Given values are kept, and other kinds get no defaults.
    kept = api.created("personalized-offer", offer(**{"xdm:status": "approved", "xdm:rank": {"xdm:priority": 7}}))
    assert api.doc(kept["instanceId"])["_instance"]["xdm:rank"] == {"xdm:priority": 7}
    tag = api.created("tag", {"xdm:name": "t"})
    assert set(api.doc(tag["instanceId"])["_instance"]) == {"@id", "xdm:name"}


@pytest.mark.parametrize("content_type, body, status", [
    ("application/json", {"xdm:name": "x"}, 415),
    (None, {"xdm:name": "x"}, 415),
    ("application/schema-instance+json; version=1", {"xdm:name": "x"}, 400),  # no schema
    (CREATE_CT.format("https://ns.adobe.com/experience/offer-management/coupon;version=1"), {"xdm:name": "x"}, 400),
    (CREATE_CT.format(schema("tag")), ["not", "an", "object"], 400),
    (HAL_CT.format(schema("tag")), {"xdm:name": "not wrapped"}, 400),
    (CREATE_CT.format(schema("tag")), {"xdm:name": "x", "@id": "xcore:tag:0123456789abcdef"}, 422),
    (CREATE_CT.format(schema("tag")), {"xdm:name": "x", "xdm:unknown": 1}, 422),
    (CREATE_CT.format(schema("tag")), {}, 422),  # name is required
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:status": "live"}), 422),
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:rank": {"xdm:priority": -1}}), 422),
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:rank": {"xdm:priority": 1.5}}), 422),
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:rank": {"xdm:priority": True}}), 422),
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:tags": ["holiday"]}), 422),
    (CREATE_CT.format(schema("personalized-offer")), offer(**{"xdm:characteristics": {"a": 1}}), 422),
    (CREATE_CT.format(schema("personalized-offer")),
     offer(**{"xdm:selectionConstraint": {"xdm:startDate": "2024-13-01T00:00:00Z"}}), 422),
    (CREATE_CT.format(schema("personalized-offer")),
     offer(**{"xdm:selectionConstraint": {"xdm:startDate": "2024-01-01"}}), 422),
    (CREATE_CT.format(schema("personalized-offer")),
     offer(**{"xdm:representations": [{"xdm:placement": "xcore:offer-placement:1", "xdm:components": [
         {"@type": "https://ns.adobe.com/experience/offer-management/content-component-video"}]}]}), 422),
    (CREATE_CT.format(schema("fallback-offer")), offer(**{"xdm:rank": {"xdm:priority": 1}}), 422),
    (CREATE_CT.format(schema("offer-filter")),
     {"xdm:name": "f", "xdm:filterType": "offers", "xdm:ids": ["xcore:tag:1234"]}, 422),
    (CREATE_CT.format(schema("eligibility-rule")),
     {"xdm:name": "r", "xdm:condition": {"xdm:type": "SQL", "xdm:format": "pql/text", "xdm:value": "x"}}, 422),
    (CREATE_CT.format(schema("eligibility-rule")),
     {"xdm:name": "r", "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": "x" * 15361}}, 422),
    (CREATE_CT.format(schema("offer-activity")), {"xdm:name": "a", "xdm:status": "approved"}, 422),
])
def test_create_rejects(api, content_type, body, status):
    headers = {"Content-Type": content_type}
    response = api.request("POST", f"/{api.cid}/instances", headers=headers, json=body)
    if content_type is None:  # requests would add application/json; send raw bytes instead
        response = api.request("POST", f"/{api.cid}/instances", data=b'{"xdm:name": "x"}')
    assert response.status_code == status, response.text
    problem = response.json()
    assert set(problem) == {"type", "title", "status", "detail"} and problem["status"] == status
    assert api.list().json()["_embedded"]["total"] == 0  # nothing was stored


def test_malformed_json_bodies(api):
    ct = CREATE_CT.format(schema("tag"))
    for raw in (b"{", b'{"xdm:name": NaN}', b"\xff\xfe", b'{"xdm:name": "a"} trailing', b"[" * 100000):
        response = api.request("POST", f"/{api.cid}/instances", headers={"Content-Type": ct}, data=raw)
        assert response.status_code == 400, (raw[:20], response.text)
        assert response.json()["status"] == 400
    assert api.list().json()["_embedded"]["total"] == 0


def test_if_none_match_and_etag_header(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    first = api.get(iid)
    assert first.headers["ETag"] == '"1"'
    for value in ('"1"', "1", "*", 'W/"1"', '"0", "1"'):
        response = api.get(iid, **{"If-None-Match": value})
        assert response.status_code == 304 and response.content == b""
    assert api.get(iid, **{"If-None-Match": '"2"'}).status_code == 200


def test_replace(api):
    receipt = api.created("tag", {"xdm:name": "old"})
    iid = receipt["instanceId"]
    ct = CREATE_CT.format(schema("tag"))
    response = api.request("PUT", f"/{api.cid}/instances/{iid}", headers={"Content-Type": ct, "If-Match": "1"},
                           json={"xdm:name": "new"})
    assert response.status_code == 200, response.text
    assert response.json()["repo:etag"] == 2 and response.json()["@id"] == receipt["@id"]
    assert api.doc(iid)["_instance"] == {"@id": receipt["@id"], "xdm:name": "new"}
    # stale If-Match, another @id, a different kind, bad content: all refused, nothing changed
    for headers, body, status in (
            ({"If-Match": '"1"'}, {"xdm:name": "x"}, 409),
            ({}, {"xdm:name": "x", "@id": "xcore:tag:0000000000000000"}, 422),
            ({"Content-Type": CREATE_CT.format(schema("personalized-offer"))}, offer(), 400),
            ({}, {"xdm:name": 5}, 422),
            ({"Content-Type": "text/plain"}, {"xdm:name": "x"}, 415)):
        headers = {"Content-Type": ct, **headers}
        bad = api.request("PUT", f"/{api.cid}/instances/{iid}", headers=headers, json=body)
        assert bad.status_code == status, bad.text
    assert api.doc(iid)["repo:etag"] == 2 and api.doc(iid)["_instance"]["xdm:name"] == "new"
    assert api.request("PUT", f"/{api.cid}/instances/{iid}", headers={"Content-Type": ct},
                       json={"xdm:name": "same @id", "@id": receipt["@id"]}).status_code == 200


def test_delete(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    assert api.request("DELETE", f"/{api.cid}/instances/{iid}", headers={"If-Match": "7"}).status_code == 409
    response = api.request("DELETE", f"/{api.cid}/instances/{iid}", headers={"If-Match": '"1"'})
    assert response.status_code == 202 and response.content == b""
    assert api.get(iid).status_code == 404
    assert api.get(iid).json()["status"] == 404
    assert api.request("DELETE", f"/{api.cid}/instances/{iid}").status_code == 404


def test_etag_rises_by_one_on_every_write(api):
    iid = api.created("tag", {"xdm:name": "t0"})["instanceId"]
    for n in range(1, 6):
        response = api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": f"t{n}"}],
                             kind="tag", **{"If-Match": str(n)})
        assert response.status_code == 200 and response.json()["repo:etag"] == n + 1
    doc = api.doc(iid)
    assert doc["repo:etag"] == 6 and doc["repo:lastModifiedDate"] > doc["repo:createdDate"]


def test_unknown_instance_and_container(api):
    assert api.get("0f4bc230-13df-11eb-bc55-c11be7252432").status_code == 404
    other = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
    for method, path in (("GET", f"/{other}/instances"), ("POST", f"/{other}/instances"),
                         ("GET", f"/{other}/queries/core/search"),
                         ("PATCH", f"/{other}/instances/x"), ("DELETE", f"/{other}/instances/x")):
        response = api.request(method, path)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["status"] == 404
