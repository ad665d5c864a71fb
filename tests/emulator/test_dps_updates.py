"""dps writes: JSON Patch on un-prefixed paths, PUT for the three Decisioning kinds, If-Match and 412,
and every refused patch leaving the object as it was."""

import pytest

from dps_samples import ITEM_HEADERS, body, create, create_item

RENAME = [{"op": "replace", "path": "/name", "value": "Updated"},
          {"op": "replace", "path": "/description", "value": "Updated description"}]


@pytest.mark.parametrize("kind", ["personalized-offer", "fallback-offer", "placement", "collection", "tag",
                                  "decision-rule", "decision", "item-collection", "selection-strategy"])
def test_the_pages_patch_on_every_patch_kind(api, kind):
    # The update pages replace /description; RFC 6902's replace needs the field to be there, and
    # two create examples have none, so every object here starts with one.
    object_id, one = create(api, kind, description="Before")
    before = api.dps.obj(one)
    response = api.dps.patch(one, RENAME)
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["etag"] == 2 and receipt["id"] == object_id
    assert receipt["createdDate"] == before["created"] and receipt["lastModifiedDate"] > receipt["createdDate"]
    after = api.dps.obj(one)
    assert after["name"] == "Updated" and after["description"] == "Updated description"
    assert after["etag"] == 2 and after["modified"] == receipt["lastModifiedDate"] and after["created"] == before["created"]


def test_the_pages_patch_of_a_decision_item(api):
    _, one = create_item(api)
    response = api.dps.patch(one, [
        {"op": "replace", "path": "/_experience/decisioning/decisionitem/itemName", "value": "Updated offer item"},
        {"op": "replace", "path": "/_experience/decisioning/decisionitem/itemDescription",
         "value": "Updated offer item description"}], **ITEM_HEADERS)
    assert response.status_code == 200, response.text
    item = api.dps.obj(one, **ITEM_HEADERS)["_experience"]["decisioning"]["decisionitem"]
    assert item["itemName"] == "Updated offer item" and item["itemDescription"] == "Updated offer item description"


def test_replace_needs_the_field_add_does_not(api):
    _, one = create(api, "personalized-offer")  # the page's example: no description
    assert api.dps.patch(one, [{"op": "replace", "path": "/description", "value": "x"}]).status_code == 400
    assert api.dps.patch(one, [{"op": "add", "path": "/description", "value": "x"}]).status_code == 200
    assert api.dps.obj(one)["description"] == "x"


def test_every_documented_op(api):
    _, one = create(api, "personalized-offer")
    response = api.dps.patch(one, [
        {"op": "test", "path": "/status", "value": "draft"},
        {"op": "add", "path": "/description", "value": "new"},
        {"op": "copy", "from": "/description", "path": "/representations/0/components/0/content"},
        {"op": "add", "path": "/representations/0/components/-", "value": {"type": "html", "content": "two"}},
        {"op": "remove", "path": "/cappingConstraint"},
        {"op": "replace", "path": "/rank/priority", "value": 4},
    ])
    assert response.status_code == 200, response.text
    got = api.dps.obj(one)
    assert got["description"] == "new" and got["rank"] == {"priority": 4} and "cappingConstraint" not in got
    assert [c["content"] for c in got["representations"][0]["components"]] == ["new", "two"]


REFUSED = [
    {"op": "replace", "path": "/name", "value": "not an array"},
    [],
    ["replace"],
    [{"op": "move", "from": "/name", "path": "/description"}],  # not a documented op
    [{"op": "REPLACE", "path": "/name", "value": "x"}],
    [{"path": "/name", "value": "x"}],
    [{"op": "replace", "value": "x"}],
    [{"op": "replace", "path": "/name"}],
    [{"op": "test", "path": "/name"}],
    [{"op": "copy", "path": "/description"}],
    [{"op": "copy", "from": 3, "path": "/description"}],
    [{"op": "add", "path": "/a~2b", "value": "x"}],
    [{"op": "add", "path": "name", "value": "x"}],
    # server fields
    [{"op": "replace", "path": "/id", "value": "dps:tag:0000000000000000"}],
    [{"op": "replace", "path": "/etag", "value": 9}],
    [{"op": "remove", "path": "/created"}],
    [{"op": "add", "path": "/schemas", "value": []}],
    [{"op": "replace", "path": "", "value": {}}],
    # cannot be applied
    [{"op": "test", "path": "/name", "value": "another name"}],
    [{"op": "replace", "path": "/nothing", "value": "x"}],
    [{"op": "remove", "path": "/labels/0"}],
    [{"op": "add", "path": "/tags/-", "value": "x"}],
    [{"op": "copy", "from": "/nothing", "path": "/description"}],
    # valid patch, invalid object
    [{"op": "replace", "path": "/rank/priority", "value": "1"}],
    [{"op": "add", "path": "/colour", "value": "red"}],
    [{"op": "replace", "path": "/name", "value": ""}],
    [{"op": "remove", "path": "/name"}],  # a name is kept by every PATCH
    [{"op": "add", "path": "/selectionConstraint/startDate", "value": "tomorrow"}],
    # all or nothing
    [{"op": "replace", "path": "/name", "value": "half"}, {"op": "replace", "path": "/rank", "value": 7}],
]


@pytest.mark.parametrize("ops", REFUSED)
def test_refused_patches_are_400_and_change_nothing(aep_emulator, api, ops):
    _, one = create(api, "personalized-offer")
    before = api.dps.obj(one)
    writes = aep_emulator.stats()["apis"]["dps"]["writes"]
    response = api.dps.patch(one, ops)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"type", "title", "status", "detail"} and response.json()["status"] == 400
    assert api.dps.obj(one) == before
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == writes


def test_patch_content_type(api):
    _, one = create(api, "tag")
    for content_type, status in (("application/json-patch+json", 415), ("text/plain", 415),
                                 ("application/json; charset=utf-8", 200)):
        assert api.dps.patch(one, RENAME, **{"Content-Type": content_type}).status_code == status
    assert api.dps.obj(one)["etag"] == 2


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_if_match_quoted_or_bare_and_412_when_stale(api, method):
    _, one = create(api, "tag")
    api.dps.patch(one, RENAME)  # etag 2

    def send(if_match):
        if method == "PATCH":
            return api.dps.patch(one, RENAME, **{"If-Match": if_match})
        return api.dps.delete(one, **{"If-Match": if_match})
    for stale in ("1", '"1"', 'W/"2"', '"3"', "abc"):
        refused = send(stale)
        assert refused.status_code == 412, (stale, refused.text)
        assert refused.json()["status"] == 412 and "etag 2" in refused.json()["detail"]
    assert api.dps.obj(one)["etag"] == 2
    assert send('"2"').status_code == 200
    if method == "PATCH":
        assert send("3").status_code == 200 and send("*").status_code == 200
        assert api.dps.obj(one)["etag"] == 5


def test_mutate_before_next_write_makes_the_clients_etag_stale(aep_emulator, api):
    tag_id, one = create(api, "tag")
    assert aep_emulator.dps_mutate(tag_id, [{"op": "replace", "path": "/description", "value": "theirs"}],
                                   when="before_next_write") == {"scheduled": True}
    assert api.dps.obj(one)["etag"] == 1  # reads do not trigger it
    stale = api.dps.patch(one, RENAME, **{"If-Match": "1"})
    assert stale.status_code == 412
    got = api.dps.obj(one)
    assert got["etag"] == 2 and got["description"] == "theirs" and got["lastModifiedBy"] == "another-user"
    assert api.dps.patch(one, RENAME, **{"If-Match": "2"}).status_code == 200  # applied once only
    now = aep_emulator.dps_mutate(tag_id, [{"op": "remove", "path": "/description"}])
    assert now["etag"] == 4 and now["lastModifiedBy"] == "another-user"
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == 2  # mutate is not an API write
    bad = aep_emulator._http.post(f"{aep_emulator.url}/_emulator/mutate", json={
        "id": tag_id, "patch": [{"op": "replace", "path": "/etag", "value": 1}]})
    assert bad.status_code == 400
    missing = aep_emulator._http.post(f"{aep_emulator.url}/_emulator/mutate", json={
        "id": "dps:tag:0000000000000000", "patch": RENAME})
    assert missing.status_code == 404


@pytest.mark.parametrize("kind, changed", [
    ("ranking-formula", {"name": "[UPDATED] Test Ranking Function DPS", "isPure": True}),
    ("eligibility-rule", {"name": "[UPDATED] Test Offer Rule DPS",
                          "definedOn": {"": {"schema": {"altId": "_xdm.context.profile", "version": "1"},
                                             "referencePaths": ["billingAddress.city"]}}}),
])
def test_put_replaces_the_managed_fields(api, kind, changed):
    object_id, one = create(api, kind)
    response = api.dps.put(one, body(kind, **changed), **{"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["etag"] == 2
    got = api.dps.obj(one)
    assert got["name"] == changed["name"] and got["etag"] == 2
    # A field left out of the PUT is gone: PUT replaces, it does not merge.
    response = api.dps.put(one, {k: v for k, v in body(kind, **changed).items() if k != "description"})
    assert response.status_code == 200 and "description" not in api.dps.obj(one)
    assert api.dps.put(one, body(kind), **{"If-Match": "2"}).status_code == 412
    patched = api.dps.patch(one, RENAME)
    assert patched.status_code == 405 and "PUT" in patched.headers["Allow"]
    assert api.dps.obj(one)["etag"] == 3


def test_exd_placement_put_as_the_page_shows(api):
    placement_id, one = create(api, "exd-placement")
    response = api.dps.put(one, {"id": placement_id, "description": "Keyboard application", "status": "archived"})
    assert response.status_code == 200, response.text
    got = api.dps.obj(one)
    assert got["description"] == "Keyboard application" and got["status"] == "archived" and got["etag"] == 2
    assert "name" not in got  # PUT replaced every managed field with the page's three
    other = api.dps.put(one, {"id": "dps:exd-placement:0000000000000000", "name": "x"})
    assert other.status_code == 400 and "id" in other.json()["detail"]
    assert api.dps.put(one, {"name": "x", "created": "2020-01-01T00:00:00.000Z"}).status_code == 400
    assert api.dps.put(one, {"name": "x", "colour": "red"}).status_code == 400
    assert api.dps.obj(one)["etag"] == 2
    assert api.dps.patch(one, RENAME).status_code == 405


def test_put_on_a_decision_rule_is_405(api):
    _, one = create(api, "decision-rule")
    refused = api.dps.put(one, body("decision-rule"))
    assert refused.status_code == 405 and "PATCH" in refused.headers["Allow"]


def test_unknown_object(api):
    assert api.dps.patch("/tags/dps:tag:0000000000000000", RENAME).status_code == 404
    assert api.dps.put("/ranking-formulas/dps:ranking-function:0000000000000000", body("ranking-formula")).status_code == 404
