"""Decision items (x-schema-id on every call, what GET adds, custom attributes) and item collections'
uiModel strings, including the --reserialize-ui-model option."""

import json

import pytest

from aep_emulator.testing import ApiClient, run_emulator

from dps_samples import ITEM_HEADERS, SCHEMA_ID, body, create, create_item

NAME = [{"op": "replace", "path": "/_experience/decisioning/decisionitem/itemName", "value": "Renamed"}]


def test_x_schema_id_is_required_on_every_items_call(aep_emulator, api):
    item_id, one = create_item(api)
    calls = {
        "create": lambda **h: api.dps.create("/offer-items", body("decision-item"), **h),
        "list": lambda **h: api.dps.get("/offer-items", **h),
        "lookup": lambda **h: api.dps.get(one, **h),
        "update": lambda **h: api.dps.patch(one, NAME, **h),
        "delete": lambda **h: api.dps.delete(one, **h),
    }
    before = aep_emulator.stats()["apis"]["dps"]["writes"]
    for name, call in calls.items():
        for missing in ({}, {"x-schema-id": ""}):
            response = call(**missing)
            assert response.status_code == 400, (name, response.text)
            answer = response.json()
            assert set(answer) == {"type", "title", "status", "detail"} and "x-schema-id" in answer["detail"], name
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == before
    assert api.dps.obj(one, **ITEM_HEADERS)["etag"] == 1
    assert api.dps.obj("/offer-items", **ITEM_HEADERS)["total"] == 1
    # No other kind needs it, and one sent there is ignored.
    assert api.dps.get("/tags").status_code == 200
    assert api.dps.get("/tags", **ITEM_HEADERS).status_code == 200


def test_an_item_belongs_to_its_schema(api):
    item_id, one = create_item(api)
    other = {"x-schema-id": "https://ns.adobe.com/aeptenant/schemas/other"}
    assert api.dps.get(one, **other).status_code == 404
    assert api.dps.patch(one, NAME, **other).status_code == 404
    assert api.dps.delete(one, **other).status_code == 404
    assert api.dps.obj("/offer-items", **other)["total"] == 0
    assert api.dps.delete(one, **ITEM_HEADERS).status_code == 200


def test_get_adds_the_server_fields_and_keeps_custom_attributes(api):
    item_id, one = create_item(api)
    got = api.dps.obj(one, **ITEM_HEADERS)
    assert "schemas" not in got and "name" not in got
    assert list(got)[:6] == ["created", "modified", "etag", "createdBy", "lastModifiedBy", "id"]
    decisioning = got["_experience"]["decisioning"]
    sent = body("decision-item")["_experience"]["decisioning"]
    assert decisioning["decisionitem"] == dict(sent["decisionitem"], itemID=item_id, itemLabels=[], itemTags=[])
    assert decisioning["offeritem"] == dict(sent["offeritem"], fCapConstraintsLastIndex=0, frequencyCappingConstraints=[])
    assert got["_aeptenant"] == {"foo": "bar"}
    # The server's fields are not the client's to write.
    for op in ({"op": "add", "path": "/_experience/decisioning/decisionitem/itemID", "value": item_id},
               {"op": "add", "path": "/_experience/decisioning/offeritem/frequencyCappingConstraints", "value": []},
               {"op": "add", "path": "/name", "value": "top-level"}):
        assert api.dps.patch(one, [op], **ITEM_HEADERS).status_code == 400, op
    custom = api.dps.patch(one, [{"op": "add", "path": "/_aeptenant/size", "value": "XL"}], **ITEM_HEADERS)
    assert custom.status_code == 200
    assert api.dps.obj(one, **ITEM_HEADERS)["_aeptenant"] == {"foo": "bar", "size": "XL"}


@pytest.mark.parametrize("item, status", [
    ({"_experience": {"decisioning": {"decisionitem": {"itemDescription": "no name"}}}}, 400),
    ({"_experience": {"decisioning": {"decisionitem": {"itemName": "x", "itemPriority": -1}}}}, 400),
    ({"_experience": {"decisioning": {"decisionitem": {"itemName": "x", "colour": "red"}}}}, 400),
    ({"_experience": {"decisioning": {"decisionitem": {"itemName": "x"}}}, "name": "x"}, 400),
    ({"_experience": {"decisioning": {"decisionitem": {"itemName": "x"}}}, "_aeptenant": "not an object"}, 400),
    ({"_experience": {"decisioning": {"decisionitem": {"itemName": "x"}}}, "_aeptenant": {"any": ["thing"]}}, 201),
])
def test_item_bodies(api, item, status):
    assert api.dps.create("/offer-items", item, **ITEM_HEADERS).status_code == status


def test_ui_model_is_stored_as_sent_by_default(api):
    _, one = create(api, "item-collection")
    got = api.dps.obj(one)
    assert got["constraints"] == body("item-collection")["constraints"] and got["tags"] == []


def test_reserialize_ui_model_option_changes_the_text_not_the_json():
    with run_emulator(reserialize_ui_model=True) as emulator:
        api = ApiClient(emulator)
        _, one = create(api, "item-collection")
        sent = body("item-collection")["constraints"][0]["uiModel"]
        stored = api.dps.obj(one)["constraints"][0]["uiModel"]
        assert stored != sent and json.loads(stored) == json.loads(sent)
        changed = json.dumps({"operator": "greater than", "value": {"left": "a", "right": 1}})
        assert api.dps.patch(one, [{"op": "replace", "path": "/constraints/0/uiModel", "value": changed}]).status_code == 200
        stored = api.dps.obj(one)["constraints"][0]["uiModel"]
        assert stored != changed and json.loads(stored) == json.loads(changed)
        assert api.dps.obj(one)["constraints"][0]["itemCatalogId"] == "itemCatalog1234"


def test_items_are_listed_per_schema_in_sandboxes(aep_emulator, api):
    create_item(api)
    dev = ApiClient(aep_emulator, sandbox="dev")
    assert dev.dps.obj("/offer-items", **{"x-schema-id": SCHEMA_ID})["total"] == 0
