"""dps: create, read and delete every kind with the pages' examples; receipts, GET shapes, ids,
offer-type, bodies refused, sandboxes."""

import re

import pytest

from aep_emulator.testing import ApiClient

from dps_samples import ITEM_HEADERS, KINDS, body, create, create_item

RECEIPT_KEYS = {"etag", "createdBy", "lastModifiedBy", "id", "sandboxId", "createdDate", "lastModifiedDate",
                "createdByClientId", "lastModifiedByClientId"}
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PROBLEM = {"type", "title", "status", "detail"}
# Fields a GET shows differently from what was sent (see the kind-specific tests below).
NOT_ECHOED = {"decision-rule": {"definedOn"}, "ranking-formula": {"definedOn", "returnType"},
              "eligibility-rule": {"exdRule"}}


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    answer = response.json()
    assert set(answer) == PROBLEM and answer["status"] == status
    return answer


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_create_read_delete_every_kind(api, kind):
    path, query, sample, slug, schema = KINDS[kind]
    response = api.dps.create(path + query, sample)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == RECEIPT_KEYS
    assert re.fullmatch(rf"dps:{re.escape(slug)}:[0-9a-f]{{16}}", receipt["id"]), receipt["id"]
    assert receipt["etag"] == 1 and UUID.match(receipt["sandboxId"])
    assert STAMP.match(receipt["createdDate"]) and receipt["createdDate"] == receipt["lastModifiedDate"]
    assert receipt["createdBy"] == receipt["lastModifiedBy"] == f"{api.emulator.client_id}@techacct.adobe.com"
    assert receipt["createdByClientId"] == receipt["lastModifiedByClientId"] == api.emulator.client_id

    one = f"{path}/{receipt['id']}{query}"
    got = api.dps.obj(one)
    assert list(got)[:7] == ["created", "modified", "etag", "schemas", "createdBy", "lastModifiedBy", "id"]
    assert got["schemas"] == [schema] and got["etag"] == 1 and got["id"] == receipt["id"]
    assert got["created"] == got["modified"] == receipt["createdDate"]
    for field, value in sample.items():
        if field not in NOT_ECHOED.get(kind, ()):
            assert got[field] == value, field
    assert not set(got) & {"sandboxId", "createdByClientId", "fields"}

    if kind == "exd-placement":  # no delete page: decided 405
        refused = api.dps.delete(one)
        problem(refused, 405)
        assert set(refused.headers["Allow"].split(", ")) == {"GET", "HEAD", "PUT"}
        assert api.dps.get(one).status_code == 200
        return
    deleted = api.dps.delete(one, **{"Content-Type": "application/json"})  # as the examples send it
    assert deleted.status_code == 200 and deleted.content == b""
    problem(api.dps.get(one), 404)
    problem(api.dps.delete(one), 404)


def test_decision_rule_keeps_defined_on_but_does_not_echo_it(api):
    rule_id, one = create(api, "decision-rule")
    got = api.dps.obj(one)
    assert "definedOn" not in got and got["condition"] == body("decision-rule")["condition"]
    # It is stored: a patch can read it (copy) and a test op on it passes.
    patched = api.dps.patch(one, [{"op": "test", "path": "/definedOn/profile/referencePaths/0",
                                   "value": "person.name.firstName"},
                                  {"op": "copy", "from": "/definedOn/profile/referencePaths/0", "path": "/description"}])
    assert patched.status_code == 200, patched.text
    assert api.dps.obj(one)["description"] == "person.name.firstName"


def test_ranking_formula_shows_its_type_upper_case_and_hides_defined_on(api):
    _, one = create(api, "ranking-formula")
    got = api.dps.obj(one)
    assert got["returnType"] == {"type": "INTEGER"} and "definedOn" not in got and got["exdFunction"] is True


def test_eligibility_rule_gets_a_segment_model_in_the_pages_shape(api):
    rule_id, one = create(api, "eligibility-rule")
    got = api.dps.obj(one)
    model = got["segmentModel"]
    assert model["lifecycleState"] == "published" and model["namespace"] == "ups"
    assert model["name"] == got["name"] and model["description"] == got["description"]
    assert model["expression"]["itemType"] == "segmentDefinition"
    assert model["expression"]["profileAttributesContainer"]["itemType"] == "segmentContainer"
    assert UUID.match(model["mergePolicyId"])
    # The lookup page shows exdRule false for a rule its list shows with exdRule true.
    assert got["exdRule"] is False
    listed = api.dps.obj("/offer-rules?property=exdRule%3D%3Dtrue")["results"]
    assert [(r["id"], r["exdRule"]) for r in listed] == [(rule_id, True)]
    assert api.dps.obj("/offer-rules?property=exdRule%3D%3Dfalse")["results"] == []


def test_offer_type_is_required_on_every_offers_call(api):
    offer_id, _ = create(api, "personalized-offer")
    bare = f"/offers/{offer_id}"
    for response in (api.dps.get("/offers"), api.dps.get(bare), api.dps.create("/offers", body("personalized-offer")),
                     api.dps.patch(bare, [{"op": "replace", "path": "/name", "value": "x"}]), api.dps.delete(bare)):
        assert "offer-type" in problem(response, 400)["detail"]
    problem(api.dps.get(f"{bare}?offer-type=coupon"), 400)
    # Upper case, as the pages' pagination example writes it, is the same type.
    assert api.dps.obj(f"{bare}?offer-type=PERSONALIZED")["id"] == offer_id
    # A personalized offer is not a fallback offer.
    problem(api.dps.get(f"{bare}?offer-type=fallback"), 404)
    problem(api.dps.delete(f"{bare}?offer-type=fallback"), 404)
    listed = api.dps.obj("/offers?offer-type=fallback")
    assert listed["total"] == 0 and listed["results"] == []
    assert api.dps.obj(f"{bare}?offer-type=personalized")["etag"] == 1  # nothing changed


def test_offer_rules_holds_both_rule_families(api):
    decision_rule, _ = create(api, "decision-rule")
    eligibility_rule, _ = create(api, "eligibility-rule")
    assert decision_rule.startswith("dps:eligibility-rule:") and eligibility_rule.startswith("dps:eligibility-rule:")
    assert api.dps.obj(f"/offer-rules/{decision_rule}")["schemas"] == [KINDS["decision-rule"][4]]
    assert api.dps.obj(f"/offer-rules/{eligibility_rule}")["schemas"] == [KINDS["eligibility-rule"][4]]
    # An id lives under its own endpoint only.
    problem(api.dps.get(f"/tags/{decision_rule}"), 404)


@pytest.mark.parametrize("sent, slug", [
    ({"name": "x", "unknown": 1}, "schema-validation"),
    ({"description": "no name"}, "schema-validation"),
    ({"name": ""}, "schema-validation"),
    ({"name": 5}, "schema-validation"),
    ({"name": "x", "id": "dps:tag:0000000000000000"}, "read-only"),
    ({"name": "x", "etag": 1}, "read-only"),
    ({"name": "x", "schemas": []}, "read-only"),
    (["not", "an", "object"], "invalid-body"),
])
def test_create_refuses_bad_bodies(api, sent, slug):
    answer = problem(api.dps.create("/tags", sent), 400)
    assert answer["type"].endswith(slug)
    assert api.dps.obj("/tags")["total"] == 0


@pytest.mark.parametrize("path, sent", [
    ("/placements", dict(body("placement"), itemCount="1")),
    ("/placements", dict(body("placement"), returnContent="yes")),
    ("/offers?offer-type=personalized", dict(body("personalized-offer"), rank={"priority": -1})),
    ("/offers?offer-type=personalized", dict(body("personalized-offer"), selectionConstraint={"startDate": "today"})),
    ("/offers?offer-type=fallback", dict(body("fallback-offer"), frequencyCappingConstraints=[])),
    ("/offer-rules", dict(body("decision-rule"), condition={"type": "SQL", "format": "pql/text", "value": "x"})),
    ("/offer-rules", dict(body("decision-rule"), condition={"type": "PQL", "format": "pql/text", "value": "x" * 15361})),
    ("/ranking-formulas", dict(body("ranking-formula"), exdFunction="true")),
    ("/item-collections", dict(body("item-collection"), constraints=[{"uiModel": "{not json"}])),
    ("/item-collections", dict(body("item-collection"), constraints=[{"uiModel": {"operator": "equals"}}])),
    ("/offer-decisions", dict(body("decision"), criteria={"placements": []})),
])
def test_create_checks_field_types(api, path, sent):
    problem(api.dps.create(path, sent), 400)
    assert api.dps.obj(path.split("?")[0] + ("?offer-type=personalized" if path.startswith("/offers") else ""))["total"] == 0


def test_writes_need_application_json(api):
    for content_type in ("text/plain", "application/json-patch+json", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = api.dps.request("POST", "/tags", headers=headers, data=b'{"name": "x"}')
        problem(response, 415)
    assert api.dps.request("POST", "/tags", headers={"Content-Type": "application/json; charset=utf-8"},
                           data=b'{"name": "x"}').status_code == 201
    problem(api.dps.request("POST", "/tags", headers={"Content-Type": "application/json"}, data=b'{"name": NaN}'), 400)


def test_unknown_paths_params_and_methods(api):
    tag_id, one = create(api, "tag")
    problem(api.dps.get("/coupons"), 404)
    problem(api.dps.get(f"{one}?verbose=1"), 400)
    problem(api.dps.get("/tags?href=/tags"), 400)  # the pages' {SELF_HREF} placeholder is not a parameter
    problem(api.dps.get("/tags?orderBy=name"), 400)  # the tables' spelling; examples and hrefs say orderby
    refused = api.dps.put(one, {"name": "x"})
    assert problem(refused, 405) and "PATCH" in refused.headers["Allow"]
    problem(api.dps.request("DELETE", "/tags"), 405)


def test_sandboxes_are_separate_stores(aep_emulator, api):
    tag_id, one = create(api, "tag")
    dev = ApiClient(aep_emulator, sandbox="dev")
    assert dev.dps.obj("/tags")["total"] == 0
    problem(dev.dps.get(one), 404)
    problem(dev.dps.delete(one), 404)
    other_org = ApiClient(aep_emulator, org="OTHER0RG@AdobeOrg")
    problem(other_org.dps.get(one), 404)
    dev_receipt = dev.dps.created("/tags", body("tag"))
    prod_receipt = api.dps.created("/tags", body("tag"))
    assert dev_receipt["sandboxId"] != prod_receipt["sandboxId"]
    assert api.dps.created("/tags", body("tag"))["sandboxId"] == prod_receipt["sandboxId"]
    assert dev.dps.obj("/tags")["total"] == 1 and api.dps.obj("/tags")["total"] == 3
    unknown = ApiClient(aep_emulator, sandbox="nosuchsandbox")
    assert "nosuchsandbox" in problem(unknown.dps.get("/tags"), 404)["detail"]
    aep_emulator.add_sandbox("nocontainer", container=False)  # xcore containers do not matter to dps
    assert ApiClient(aep_emulator, sandbox="nocontainer").dps.obj("/tags")["total"] == 0


def test_gateway_guards_dps_as_xcore(api):
    for headers, status, code in (({"Authorization": None}, 403, "403010"), ({"x-api-key": None}, 403, "403000"),
                                  ({"Authorization": "Bearer nope"}, 401, "401013"),
                                  ({"x-gw-ims-org-id": None}, 400, "400003")):
        response = api.dps.get("/tags", **headers)
        assert response.status_code == status and response.json()["error_code"] == code
    assert api.dps.get("/tags", **{"x-sandbox-name": None}).json()["status"] == 400
    assert api.dps.get("/no/such/thing", Authorization=None).status_code == 403  # the gateway first


def test_decision_item_ids_and_catalogs(api):
    item_id, _ = create_item(api)
    assert re.fullmatch(r"dps:offer-item:[0-9a-f]{16}", item_id), item_id  # dps-api.md §9's form
    create_item(api, "Two")
    create_item(api, "Three", schema_id="https://ns.adobe.com/aeptenant/schemas/other")
    assert api.dps.obj("/offer-items", **ITEM_HEADERS)["total"] == 2
