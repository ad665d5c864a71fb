"""The emulator against Adobe's own dps examples (tests/adobe_examples): every documented request
answered with the documented status, every documented field known, nothing else accepted but the
undocumented paths docs/emulator.md lists."""

import copy

import pytest

import adobe_examples
from adobe_examples import TENANT, TENANT_PLACEHOLDERS, documented_paths, load, paths_of, pointer_path, real
from aep_emulator.dps_kinds import BY_NAME, COMPONENT_TYPES, FILTER_TYPES, UNDOCUMENTED, UNDOCUMENTED_VALUES, WILDCARDS
from aep_emulator.dps_schema import path_matches
from dps_samples import SCHEMA_ID, body, create

EMULATOR_KIND = dict(zip(adobe_examples.KINDS, [
    "personalized-offer", "fallback-offer", "placement", "collection", "tag", "decision-rule", "decision",
    "decision-item", "item-collection", "selection-strategy", "ranking-formula", "eligibility-rule", "exd-placement"]))
# The pages name a decision item's custom-attribute object `_<imsOrg>` (once `YOUR_CUSTOM_ATTRIBUTES`):
# placeholders for the `_<tenant>` key a client sends.
MATCH = dict(WILDCARDS, **{"<tenant>": lambda key: key in TENANT_PLACEHOLDERS or WILDCARDS["<tenant>"](key)})
# Our statuses where a page gives none (docs/emulator.md): create 201, the rest 200.
DECIDED = {"create": 201, "lookup": 200, "list": 200, "update": 200, "delete": 200}
STAMPS = {"created", "modified", "etag", "schemas", "createdBy", "lastModifiedBy", "id"}
# Stored but not echoed by GET (docs/emulator.md): a decision rule's and a ranking formula's definedOn.
NOT_ECHOED = {"decision_rule": ("definedOn",), "ranking_formula": ("definedOn",)}


def known(kind, path):
    return any(path_matches(pattern, path, MATCH) for pattern in BY_NAME[EMULATOR_KIND[kind]].paths())


def headers_of(example):
    return {name: SCHEMA_ID if value == "{SCHEMA_ID}" else value for name, value in example["headers"].items()}


def with_id(path, object_id):
    """A documented one-object path (/offers/personalizedOffer1234?offer-type=...) for a real object."""
    endpoint, rest = path[1:].split("/", 1)
    placeholder = rest.split("?", 1)[0]
    return "/" + endpoint + "/" + rest.replace(placeholder, object_id, 1)


def expect(response, example, operation):
    wanted = example["status"] if example["status"] is not None else DECIDED[operation]
    assert 200 <= response.status_code < 300 and response.status_code == wanted, (operation, response.text)


@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_every_kind_holds_the_pages_examples(kind):
    data = load(kind)
    assert data["kind"] == kind and data["notes"]
    for operation in adobe_examples.OPERATIONS:
        example = data["examples"][operation]
        if example is None:
            assert (kind, operation) == ("decisioning_placement", "delete")  # no delete page exists
            continue
        assert example["source"]["repo"] == "AdobeDocs/journey-optimizer.en"
        assert example["source"]["path"].startswith("help/using/") and len(example["source"]["commit"]) == 40
        assert example["path"].startswith(data["endpoint"].split("?")[0])
        assert ("request" in example) == (operation in ("create", "update"))
    assert data["examples"]["list"]["results"] == data["examples"]["list"]["response"]["results"]


@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_the_emulator_answers_every_documented_request(api, kind):
    examples = load(kind)["examples"]
    create_example = examples["create"]
    sent = real(create_example["request"])
    created = api.dps.request("POST", create_example["path"], headers=headers_of(create_example), json=sent)
    expect(created, create_example, "create")
    receipt = created.json()
    assert set(create_example["response"]) <= set(receipt), receipt  # exd-placement's shows fewer
    object_id = receipt["id"]

    lookup_example = examples["lookup"]
    one = with_id(lookup_example["path"], object_id)
    looked_up = api.dps.request("GET", one, headers=headers_of(lookup_example))
    expect(looked_up, lookup_example, "lookup")
    got = looked_up.json()
    shown = paths_of(got)
    assert all(known(kind, path) for path in shown), sorted(p for p in shown if not known(kind, p))
    # The stamps the page's lookup shows, and every field the create sent (but what GET never echoes).
    hidden = NOT_ECHOED.get(kind, ())
    wanted = {p for p in paths_of(lookup_example["response"]) if p in STAMPS} | {
        p for p in paths_of(sent) if p.split(".")[0] not in hidden}
    assert wanted <= shown, sorted(wanted - shown)

    list_example = examples["list"]
    listed = api.dps.request("GET", list_example["path"], headers=headers_of(list_example))
    expect(listed, list_example, "list")
    page = listed.json()
    assert set(page) == set(list_example["response"]) == {"results", "count", "total", "_links"}
    assert page["_links"]["self"]["type"] == "application/json"
    assert object_id in [result["id"] for result in page["results"]]
    for result in page["results"]:
        assert all(known(kind, path) for path in paths_of(result))

    update_example = examples["update"]
    target = with_id(update_example["path"], object_id)
    if update_example["method"] == "PATCH":
        # RFC 6902's replace needs the member (the pages link jsonpatch.com); a create example
        # without a description gets one first, with the documented add.
        for op in update_example["request"]:
            path = pointer_path(op["path"])
            if op["op"] == "replace" and path not in paths_of(api.dps.obj(one, **headers_of(lookup_example))):
                seeded = api.dps.patch(target, [dict(op, op="add", value="before")], **headers_of(update_example))
                assert seeded.status_code == 200, seeded.text
        update = api.dps.request("PATCH", target, headers=headers_of(update_example), json=update_example["request"])
    else:
        sent = real(update_example["request"])
        if "id" in sent:
            sent["id"] = object_id  # the exd-placement PUT sends the object's id
        update = api.dps.request("PUT", target, headers=headers_of(update_example), json=sent)
    expect(update, update_example, "update")
    assert set(update_example["response"]) - {"createdByClientId"} <= set(update.json())
    after = api.dps.obj(one, **headers_of(lookup_example))
    if update_example["method"] == "PATCH":
        for op in update_example["request"]:
            value = after
            for part in op["path"].split("/")[1:]:
                value = value[part]
            assert value == op["value"]
    else:
        assert {k: after[k] for k in ("description", "status", "name") if k in sent} == {
            k: sent[k] for k in ("description", "status", "name") if k in sent}

    delete_example = examples["delete"]
    if delete_example is None:  # exd placements: no delete page; docs/emulator.md decides 405
        assert api.dps.request("DELETE", one).status_code == 405
        return
    deleted = api.dps.request("DELETE", with_id(delete_example["path"], object_id), headers=headers_of(delete_example))
    expect(deleted, delete_example, "delete")
    assert deleted.content == b""
    assert api.dps.request("GET", one, headers=headers_of(lookup_example)).status_code == 404


@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_known_paths_are_the_documented_ones_plus_the_listed_undocumented(kind):
    """Fails when either side grows alone: a documented path the emulator does not know, or a path
    the emulator knows that no page shows and UNDOCUMENTED does not list."""
    emulator_kind = BY_NAME[EMULATOR_KIND[kind]]
    documented = documented_paths(kind)
    patterns = emulator_kind.paths()
    unknown = sorted(path for path in documented if not known(kind, path))
    assert not unknown, f"documented but refused: {unknown}"
    undocumented = emulator_kind.undocumented
    assert set(undocumented) <= set(patterns)
    invented = sorted(pattern for pattern in patterns if pattern not in undocumented
                      and not any(path_matches(pattern, path, MATCH) for path in documented))
    assert not invented, f"known but neither documented nor listed as undocumented: {invented}"
    # An entry of the list goes once a page shows the path.
    shown = sorted(pattern for pattern in undocumented if any(path_matches(pattern, path, MATCH) for path in documented))
    assert not shown, f"listed as undocumented but documented: {shown}"
    assert all(reason.strip() for reason in undocumented.values())


def test_the_undocumented_lists_are_the_issues_and_ours():
    assert {kind: sorted(paths) for kind, paths in UNDOCUMENTED.items()} == {
        "personalized-offer": ["characteristics", "characteristics.<key>", "representations[].components[].deliveryURL",
                               "representations[].components[].linkURL", "selectionConstraint.eligibilityRule", "tags"],
        "fallback-offer": ["characteristics", "characteristics.<key>", "representations[].components[].language",
                           "representations[].components[].linkURL", "tags"],
        "placement": ["contentTypes"],
        "decision": ["criteria[].profileConstraint.eligibilityRule"],
    }
    assert {kind: {path: sorted(values) for path, values in paths.items()} for kind, paths in UNDOCUMENTED_VALUES.items()} == {
        "collection": {"filterType": ["all-tags"]},
        "personalized-offer": {"representations[].components[].type": ["component-json"]},
        "fallback-offer": {"representations[].components[].type": ["component-json"]},
    }


def test_documented_values_are_accepted_and_the_rest_are_ours():
    seen = {"filterType": set(), "type": set()}
    for kind in adobe_examples.KINDS:
        examples = load(kind)["examples"]
        for value in [examples["create"]["request"], examples["lookup"]["response"]] + examples["list"]["results"]:
            if kind == "collection":
                seen["filterType"].add(value["filterType"])
            for representation in value.get("representations", []) if isinstance(value, dict) else []:
                seen["type"] |= {component["type"] for component in representation["components"]}
    assert seen["filterType"] == set(FILTER_TYPES) - {"all-tags"}
    assert seen["type"] == set(COMPONENT_TYPES) - {"component-json"}


# -- one undocumented field is a 400 that names it, for every kind ----------------------------------

def _nested_object(value, pointer=""):
    """The pointer of the first object inside a body (depth first), or None."""
    for key, element in value.items():
        if isinstance(element, dict) and key != TENANT:
            return _nested_object(element, f"{pointer}/{key}") or f"{pointer}/{key}"
        if isinstance(element, list) and element and isinstance(element[0], dict):
            return _nested_object(element[0], f"{pointer}/{key}/0") or f"{pointer}/{key}/0"
    return None


def _add(value, pointer, name):
    value = copy.deepcopy(value)
    target = value
    for part in pointer.split("/")[1:]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[name] = "x"
    return value


@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_one_undocumented_field_is_refused_naming_it(api, kind):
    create_example = load(kind)["examples"]["create"]
    headers = headers_of(create_example)
    sent = real(create_example["request"])
    nested = _nested_object(sent)
    for pointer in [""] + ([nested] if nested else []):
        refused = api.dps.request("POST", create_example["path"], headers=headers,
                                  json=_add(sent, pointer, "undocumentedField"))
        assert refused.status_code == 400, (pointer, refused.text)
        answer = refused.json()
        assert answer["type"].endswith(":schema-validation")
        assert f"{pointer}/undocumentedField" in answer["detail"], answer
    receipt = api.dps.request("POST", create_example["path"], headers=headers, json=sent).json()
    one = with_id(load(kind)["examples"]["lookup"]["path"], receipt["id"])
    before = api.dps.obj(one, **headers)
    if BY_NAME[EMULATOR_KIND[kind]].update == "PATCH":
        refused = api.dps.request("PATCH", one, headers=dict(headers, **{"Content-Type": "application/json"}),
                                  json=[{"op": "add", "path": "/undocumentedField", "value": 1}])
    else:
        refused = api.dps.request("PUT", one, headers=dict(headers, **{"Content-Type": "application/json"}),
                                  json=dict(sent, undocumentedField=1))
    assert refused.status_code == 400 and "/undocumentedField" in refused.json()["detail"], refused.text
    assert api.dps.obj(one, **headers) == before


# -- the undocumented paths and values that are accepted -------------------------------------------

UNDOCUMENTED_SAMPLES = {
    "personalized-offer": {
        "tags": ["dps:tag:0123456789abcdef"], "characteristics": {"tier": "gold"},
        "selectionConstraint": {"startDate": "2022-07-27T05:00:00.000+00:00", "profileConstraintType": "eligibilityRule",
                                "eligibilityRule": "dps:eligibility-rule:0123456789abcdef"},
        "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web", "placement": "offerPlacement1234",
                             "components": [{"type": "imagelink", "format": "image/png", "deliveryURL": "https://x/a.png",
                                             "linkURL": "https://x/"},
                                            {"type": "component-json", "format": "application/json", "content": "{}"}]}]},
    "fallback-offer": {
        "tags": ["dps:tag:0123456789abcdef"], "characteristics": {"tier": "gold"},
        "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web", "placement": "offerPlacement1234",
                             "components": [{"type": "component-text", "format": "text/plain", "language": ["en-us"],
                                             "content": "Hi"},
                                            {"type": "imagelink", "deliveryURL": "https://x/a.png", "linkURL": "https://x/"},
                                            {"type": "component-json", "content": "{}"}]}]},
    "placement": {"contentTypes": ["text/html"]},
    "collection": {"filterType": "all-tags"},
    "decision": {"criteria": [{"placements": ["offerPlacement1234"], "rank": {"priority": 0},
                               "profileConstraint": {"profileConstraintType": "eligibilityRule",
                                                     "eligibilityRule": "dps:eligibility-rule:0123456789abcdef"},
                               "optionSelection": {"filter": "offerCollection1234"}}]},
}


@pytest.mark.parametrize("kind", sorted(UNDOCUMENTED_SAMPLES))
def test_the_listed_undocumented_paths_are_accepted_and_shown(api, kind):
    changes = UNDOCUMENTED_SAMPLES[kind]
    _, one = create(api, kind, **changes)
    got = api.dps.obj(one)
    assert {k: got[k] for k in changes} == changes
    covered = {pattern for pattern in BY_NAME[kind].undocumented if any(
        path_matches(pattern, path, MATCH) for path in paths_of(changes))}
    assert covered == set(BY_NAME[kind].undocumented)  # a sample for every listed path


@pytest.mark.parametrize("kind, field, value", [
    ("personalized-offer", "/representations/0/components/0/type", "text"),  # older clients' bare type
    ("personalized-offer", "/representations/0/components/0/type", "json"),
    ("fallback-offer", "/representations/0/components/0/type", "text"),
    ("personalized-offer", "/cappingConstraint/globalCap", 5),  # deprecated: caps are frequencyCappingConstraints
    ("personalized-offer", "/cappingConstraint/profileCap", 1),
    ("personalized-offer", "/labels", ["core/C1"]),  # shown for fallback offers only
    ("fallback-offer", "/selectionConstraint/eligibilityRule", "dps:eligibility-rule:0123456789abcdef"),
    ("fallback-offer", "/frequencyCappingConstraints", []),
    ("collection", "/filterType", "anyTags"),
    ("decision-rule", "/exdRule", False),
    ("decision-rule", "/definedOn/profile/schema/altId", "_xdm.context.profile"),
    ("ranking-formula", "/definedOn/offer/referencePaths", ["x"]),
    ("decision", "/criteria/0/rank/order/function", "dps:ranking-function:0123456789abcdef"),
])
def test_undocumented_fields_and_values_are_refused(api, kind, field, value):
    sample = body(kind)
    target, *parts = field.split("/")[1:]
    nested = sample
    path = [target] + parts
    for part in path[:-1]:
        nested = nested[int(part)] if isinstance(nested, list) else nested[part]
    nested[path[-1]] = value
    response = api.dps.create(KINDS_PATH[kind], sample)
    assert response.status_code == 400, response.text
    assert field in response.json()["detail"]


KINDS_PATH = {"personalized-offer": "/offers?offer-type=personalized", "fallback-offer": "/offers?offer-type=fallback",
              "collection": "/offer-collections", "decision-rule": "/offer-rules", "ranking-formula": "/ranking-formulas",
              "decision": "/offer-decisions", "placement": "/placements"}


# -- the new documented fields, with their types ---------------------------------------------------

CAP = {"enabled": True, "limit": 3, "startDate": "2023-05-15T14:25:49.622+00:00", "endDate": "2023-05-25T14:25:49.622Z",
       "scope": "profile", "entity": "offer", "repeat": {"enabled": True, "unit": "week", "unitCount": 2}}


@pytest.mark.parametrize("change, status", [
    ({}, 201),
    ({"scope": "global"}, 201), ({"limit": 0}, 201), ({"repeat": {"enabled": False, "unit": "day", "unitCount": 1}}, 201),
    ({"scope": "team"}, 400), ({"entity": "item"}, 400), ({"limit": -1}, 400), ({"limit": "3"}, 400),
    ({"enabled": "yes"}, 400), ({"startDate": "today"}, 400), ({"repeat": {"unit": "year"}}, 400),
    ({"repeat": {"unitCount": 0}}, 400), ({"repeat": {"every": 1}}, 400), ({"cap": 1}, 400),
])
def test_frequency_capping_constraints(api, change, status):
    cap = dict(CAP, **change)
    response = api.dps.create("/offers?offer-type=personalized", body("personalized-offer", frequencyCappingConstraints=[cap]))
    assert response.status_code == status, response.text
    if status == 201:
        one = f"/offers/{response.json()['id']}?offer-type=personalized"
        assert api.dps.obj(one)["frequencyCappingConstraints"] == [cap]


@pytest.mark.parametrize("changes, status", [
    ({"itemCount": 30}, 201), ({"itemCount": 1}, 201), ({"itemCount": 0}, 400), ({"itemCount": 31}, 400),
    ({"itemCount": 1.5}, 400), ({"allowDuplicatePlacements": True, "returnContent": False}, 201),
    ({"allowDuplicatePlacements": "no"}, 400), ({"returnMetaData": {"offerName": True}}, 201),
    ({"returnMetaData": {"offerName": "true"}}, 400), ({"returnMetaData": {"offerLabel": True}}, 400),
])
def test_placement_fields(api, changes, status):
    assert api.dps.create("/placements", body("placement", **changes)).status_code == status


def test_capping_constraint_is_an_empty_object(api):
    assert api.dps.create("/offers?offer-type=personalized", body("personalized-offer", cappingConstraint={})).status_code == 201
    refused = api.dps.create("/offers?offer-type=personalized", body("personalized-offer", cappingConstraint=[]))
    assert refused.status_code == 400


# -- family flags ----------------------------------------------------------------------------------

def test_eligibility_rule_exd_rule_false_on_lookup_true_in_lists(api):
    rule_id, one = create(api, "eligibility-rule")
    decision_rule, _ = create(api, "decision-rule")
    assert api.dps.obj(one)["exdRule"] is False  # as the lookup page shows
    listed = api.dps.obj("/offer-rules?property=exdRule%3D%3Dtrue")["results"]
    assert [(r["id"], r["exdRule"]) for r in listed] == [(rule_id, True)]
    everything = {r["id"]: r for r in api.dps.obj("/offer-rules")["results"]}
    assert everything[rule_id]["exdRule"] is True and "exdRule" not in everything[decision_rule]
    # A PUT keeps it an eligibility rule whatever exdRule it carries (the lookup's false, copied back).
    assert api.dps.put(one, body("eligibility-rule", exdRule=False)).status_code == 200
    assert [r["id"] for r in api.dps.obj("/offer-rules?property=exdRule%3D%3Dtrue")["results"]] == [rule_id]


def test_ranking_formula_exd_function_true_on_lookup_and_in_lists(api):
    formula_id, one = create(api, "ranking-formula")
    assert api.dps.obj(one)["exdFunction"] is True  # as its lookup page shows
    listed = api.dps.obj("/ranking-formulas?property=exdFunction%3D%3Dtrue")["results"]
    assert [(r["id"], r["exdFunction"]) for r in listed] == [(formula_id, True)]


# -- writes answered without a body (dps-api.md §9) -------------------------------------------------

def test_no_body_next_answers_204_and_commits(aep_emulator, api):
    tag_id, one = create(api, "tag")
    formula_id, formula = create(api, "ranking-formula")
    aep_emulator.faults(no_body_next=4)
    patched = api.dps.patch(one, [{"op": "replace", "path": "/name", "value": "Renamed"}], **{"If-Match": "1"})
    assert patched.status_code == 204 and patched.content == b""
    assert api.dps.obj(one)["name"] == "Renamed" and api.dps.obj(one)["etag"] == 2  # committed
    put = api.dps.put(formula, body("ranking-formula", name="Replaced"))
    assert put.status_code == 204 and put.content == b"" and api.dps.obj(formula)["name"] == "Replaced"
    created = api.dps.create("/tags", body("tag"))
    assert created.status_code == 200 and created.json()["etag"] == 1  # a create keeps its receipt: the id
    deleted = api.dps.delete(f"/tags/{created.json()['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert api.dps.get(f"/tags/{created.json()['id']}").status_code == 404
    assert aep_emulator._control("GET", "faults")["no_body_next"] == 0
    again = api.dps.patch(one, [{"op": "replace", "path": "/name", "value": "Again"}])
    assert again.status_code == 200 and again.json()["etag"] == 3  # back to receipts


def test_no_body_next_counts_only_committed_dps_writes(aep_emulator, api):
    tag_id, one = create(api, "tag")
    aep_emulator.faults(no_body_next=1)
    assert api.dps.patch(one, [{"op": "replace", "path": "/nope", "value": 1}]).status_code == 400  # refused
    assert api.created("tag", {"xdm:name": "xcore"})["repo:etag"] == 1  # xcore answers as always
    assert api.dps.obj(one)["etag"] == 1
    assert api.dps.patch(one, [{"op": "replace", "path": "/name", "value": "x"}]).status_code == 204
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == 2


@pytest.mark.parametrize("faults", [{"no_body_next": -1}, {"no_body_next": "2"}, {"no_body_next": True}])
def test_no_body_next_is_checked(aep_emulator, faults):
    response = aep_emulator._http.post(f"{aep_emulator.url}/_emulator/faults", json=faults)
    assert response.status_code == 400
