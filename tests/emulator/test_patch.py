"""PATCH: the seed page's request byte for byte, content types, op and path rules, atomicity."""

import http.client
import json

import pytest

from emulator_helpers import offer, schema

# The body of the seed page's curl request (update-personalized-offers.md), exactly as curl sends
# it with -d: the literal text, newlines and indentation included.
SEED_BODY = b'''[
        {
            "op": "add",
            "path": "/_instance/xdm:representations/-",
            "value": {
                "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
                "xdm:components": [
                    {
                        "@type": "https://ns.adobe.com/experience/offer-management/content-component-text",
                        "dc:format": "text/plain",
                        "dc:language": ["en"],
                        "xdm:content": "Here is your first sale offer!"
                    }
                ]
            }
        }
    ]'''


def send_like_curl(api, path, body):
    """The request curl builds for `curl -X PATCH URL -H ... -d BODY`, written raw to a socket."""
    host = api.emulator.url.removeprefix("http://")
    head = (f"PATCH {path} HTTP/1.1\r\n"
            f"Host: {host}\r\n"
            "User-Agent: curl/7.88.1\r\n"
            "Accept: */*\r\n"
            f"Authorization: Bearer {api.token}\r\n"
            f"x-api-key: {api.emulator.client_id}\r\n"
            f"x-gw-ims-org-id: {api.org}\r\n"
            f"x-sandbox-name: {api.sandbox}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n").encode()
    conn = http.client.HTTPConnection(*host.split(":"), timeout=10)
    conn.connect()
    conn.sock.sendall(head + body)
    response = http.client.HTTPResponse(conn.sock, method="PATCH")
    response.begin()
    data = response.read()
    conn.close()
    return response.status, json.loads(data)


def test_seed_request_byte_for_byte(api):
    created = api.created("personalized-offer", offer())
    iid = created["instanceId"]
    status, receipt = send_like_curl(api, f"/data/core/xcore/{api.cid}/instances/{iid}", SEED_BODY)
    assert status == 200, receipt
    assert set(receipt) == {"instanceId", "@id", "repo:etag", "repo:createdDate", "repo:lastModifiedDate",
                            "repo:createdBy", "repo:lastModifiedBy", "repo:createdByClientId",
                            "repo:lastModifiedByClientId"}
    assert receipt["instanceId"] == iid and receipt["@id"] == created["@id"]
    assert receipt["repo:etag"] == created["repo:etag"] + 1
    assert receipt["repo:createdDate"] == created["repo:createdDate"]
    representations = api.doc(iid)["_instance"]["xdm:representations"]
    assert len(representations) == 2
    assert representations[-1] == json.loads(SEED_BODY)[0]["value"]


def test_seed_append_fails_when_the_array_does_not_exist(api):
    iid = api.created("personalized-offer", {"xdm:name": "no representations"})["instanceId"]
    status, problem = send_like_curl(api, f"/data/core/xcore/{api.cid}/instances/{iid}", SEED_BODY)
    assert status == 422 and problem["status"] == 422
    assert api.doc(iid)["repo:etag"] == 1


@pytest.mark.parametrize("content_type, status", [
    ('application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{}"', 200),
    ("application/vnd.adobe.platform.xcore.patch.hal+json", 200),
    ("application/json-patch+json", 200),
    ("application/json", 200),
    ("application/json; charset=utf-8", 200),
    ("application/x-www-form-urlencoded", 200),
    ("text/plain", 415),
    ("application/merge-patch+json", 415),
    ("application/schema-instance+json", 415),
    ('application/vnd.adobe.platform.xcore.patch.hal+json; schema="https://ns.adobe.com/experience/offer-management/tag;version=0.1"', 400),
])
def test_patch_content_types(api, content_type, status):
    iid = api.created("personalized-offer", offer())["instanceId"]
    ops = [{"op": "replace", "path": "/_instance/xdm:name", "value": "renamed"}]
    response = api.patch(iid, ops, content_type=content_type.format(schema("personalized-offer")))
    assert response.status_code == status, response.text
    assert api.doc(iid)["repo:etag"] == (2 if status == 200 else 1)


def test_patch_without_content_type_is_415(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    response = api.request("PATCH", f"/{api.cid}/instances/{iid}",
                           data=b'[{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}]')
    assert response.status_code == 415


def test_add_replace_remove(api):
    iid = api.created("personalized-offer", offer())["instanceId"]
    response = api.patch(iid, [
        {"op": "add", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:124e147572cd7866"},
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"},
        {"op": "add", "path": "/_instance/xdm:characteristics/tier~1level", "value": "gold"},
        {"op": "remove", "path": "/_instance/xdm:representations/0/xdm:channel"},
        {"op": "add", "path": "/_instance/xdm:cappingConstraint", "value": {"xdm:profileCap": 3}},
    ])
    assert response.status_code == 200, response.text
    instance = api.doc(iid)["_instance"]
    assert instance["xdm:tags"] == ["xcore:tag:124e147572cd7866"]
    assert instance["xdm:status"] == "approved"
    assert instance["xdm:characteristics"] == {"tier/level": "gold"}
    assert "xdm:channel" not in instance["xdm:representations"][0]
    assert instance["xdm:cappingConstraint"] == {"xdm:profileCap": 3}


REJECTED = [
    # malformed patch documents: 400
    ({"op": "replace", "path": "/_instance/xdm:name", "value": "x"}, 400),  # not an array
    ([], 400),
    (["replace"], 400),
    ([{"op": "move", "from": "/_instance/xdm:name", "path": "/_instance/xdm:status"}], 400),
    ([{"op": "copy", "from": "/_instance/xdm:name", "path": "/_instance/xdm:status"}], 400),
    ([{"op": "test", "path": "/_instance/xdm:name", "value": "x"}], 400),
    ([{"op": "REPLACE", "path": "/_instance/xdm:name", "value": "x"}], 400),
    ([{"path": "/_instance/xdm:name", "value": "x"}], 400),
    ([{"op": "replace", "value": "x"}], 400),
    ([{"op": "replace", "path": 5, "value": "x"}], 400),
    ([{"op": "replace", "path": "/_instance/xdm:name"}], 400),  # no value
    ([{"op": "add", "path": "/_instance/a~2b", "value": "x"}], 400),  # invalid escape
    ([{"op": "add", "path": "_instance/xdm:name", "value": "x"}], 400),  # no leading /
    # read-only paths: 422
    ([{"op": "replace", "path": "/_instance/@id", "value": "xcore:personalized-offer:0000000000000000"}], 422),
    ([{"op": "remove", "path": "/_instance/@id"}], 422),
    ([{"op": "replace", "path": "/repo:etag", "value": 9}], 422),
    ([{"op": "replace", "path": "/instanceId", "value": "x"}], 422),
    ([{"op": "replace", "path": "/_instance", "value": {}}], 422),
    ([{"op": "add", "path": "/schemas/-", "value": "x"}], 422),
    ([{"op": "add", "path": "", "value": {}}], 422),
    # cannot be applied: 422
    ([{"op": "add", "path": "/_instance/xdm:nothing/-", "value": "x"}], 422),
    ([{"op": "replace", "path": "/_instance/xdm:selectionConstraint", "value": {}}], 422),
    ([{"op": "remove", "path": "/_instance/xdm:tags/0"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:tags/5", "value": "xcore:tag:1"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:tags/01", "value": "xcore:tag:1"}], 422),
    ([{"op": "replace", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:1"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:name/0", "value": "x"}], 422),
    # valid patch, invalid result: 422
    ([{"op": "replace", "path": "/_instance/xdm:status", "value": "live"}], 422),
    ([{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": "1"}], 422),
    ([{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": -1}], 422),
    ([{"op": "remove", "path": "/_instance/xdm:name"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:tags/-", "value": "holiday"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:color", "value": "red"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:representations/0/xdm:components/0/@type", "value": "x"}], 422),
    ([{"op": "add", "path": "/_instance/xdm:selectionConstraint", "value": {"xdm:endDate": "tomorrow"}}], 422),
    # atomic: the first op is fine, the second fails, nothing is applied
    ([{"op": "replace", "path": "/_instance/xdm:name", "value": "half"},
      {"op": "replace", "path": "/_instance/xdm:status", "value": "gone"}], 422),
]


@pytest.mark.parametrize("ops, status", REJECTED)
def test_rejected_patches_change_nothing(api, ops, status):
    iid = api.created("personalized-offer", offer())["instanceId"]
    before = api.doc(iid)
    response = api.patch(iid, ops)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail"} and body["status"] == status
    assert api.doc(iid) == before


def test_malformed_patch_json(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    for raw in (b"", b"[", b"not json", b'[{"op": "add", "path": "/_instance/x", "value": Infinity}]'):
        response = api.request("PATCH", f"/{api.cid}/instances/{iid}",
                               headers={"Content-Type": "application/json-patch+json"}, data=raw)
        assert response.status_code == 400, raw
    assert api.doc(iid)["repo:etag"] == 1


def test_if_match_on_patch(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    ops = [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}]
    assert api.patch(iid, ops, kind="tag", **{"If-Match": "2"}).status_code == 409
    assert api.patch(iid, ops, kind="tag", **{"If-Match": 'W/"1"'}).status_code == 409  # strong only
    conflict = api.patch(iid, ops, kind="tag", **{"If-Match": '"0"'})
    assert conflict.status_code == 409 and conflict.json()["status"] == 409
    assert api.patch(iid, ops, kind="tag", **{"If-Match": '"1"'}).status_code == 200
    assert api.patch(iid, ops, kind="tag", **{"If-Match": "2"}).status_code == 200
    assert api.patch(iid, ops, kind="tag", **{"If-Match": "*"}).status_code == 200
    assert api.doc(iid)["repo:etag"] == 4


def test_unknown_instance(api):
    response = api.patch("0f4bc230-13df-11eb-bc55-c11be7252432",
                         [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}])
    assert response.status_code == 404
