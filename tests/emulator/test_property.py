"""Property test: random patch documents and headers never get a 5xx, and an error changes nothing."""

import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aep_emulator.dps_kinds import BY_NAME as DPS_KINDS, SERVER_FIELDS
from aep_emulator.kinds import BY_NAME
from aep_emulator.testing import ApiClient

from emulator_helpers import offer, schema

PATHS = ["/_instance/xdm:name", "/_instance/xdm:status", "/_instance/xdm:tags/-", "/_instance/xdm:tags/0",
         "/_instance/xdm:rank/xdm:priority", "/_instance/xdm:rank", "/_instance/xdm:characteristics/k",
         "/_instance/xdm:characteristics/a~1b", "/_instance/@id", "/_instance", "/_instance/", "/repo:etag",
         "", "/", "/_instance/xdm:representations/0/xdm:components/0/dc:language/-",
         "/_instance/xdm:representations/-", "/_instance/xdm:representations/0/xdm:placement",
         "/_instance/xdm:selectionConstraint", "/_instance/xdm:selectionConstraint/xdm:startDate",
         "/_instance/xdm:cappingConstraint/xdm:globalCap", "/_instance/~2", "/_instance/xdm:tags/01"]
SEGMENTS = ["_instance", "xdm:name", "xdm:tags", "-", "0", "1", "@id", "xdm:rank", "~0", "~1", "~", ""]
VALUES = ["approved", "draft", "live", 0, 5, -1, "xcore:tag:abc123", "xcore:offer-placement:124e0be5699743d3",
          "2024-01-01T00:00:00Z", "en", {"xdm:priority": 3}, [], {}]

# one_of picks a branch uniformly, so weights come from repeating a strategy inside a sampled_from.
path = st.sampled_from(["known"] * 4 + ["segments", "text"]).flatmap(lambda how: {
    "known": st.sampled_from(PATHS),
    "segments": st.lists(st.one_of(st.sampled_from(SEGMENTS), st.text(max_size=6)), max_size=4).map(lambda p: "/" + "/".join(p)),
    "text": st.text(max_size=20)}[how])
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10**12), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=12), st.sampled_from(VALUES)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.one_of(st.sampled_from(["xdm:priority", "@type", "op"]),
                                                         st.text(max_size=8)), children, max_size=3)),
    max_leaves=8)
operation = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove"] * 5 + ["move", "copy", "test", "ADD", "", "x"]),
     "path": path,
     "value": st.sampled_from(["known"] * 2 + ["random"]).flatmap(
         lambda how: st.sampled_from(VALUES) if how == "known" else json_value)},
    optional={"from": path})
patch_document = st.sampled_from(["ops"] * 6 + ["mixed", "value"]).flatmap(lambda how: {
    "ops": st.lists(operation, min_size=1, max_size=3),
    "mixed": st.lists(st.one_of(operation, json_value), max_size=4),
    "value": json_value}[how])
header_text = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=24)
GOOD_PATCH_TYPES = ['application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{}"'.format(
                        schema("personalized-offer")),
                    "application/json-patch+json", "application/json", "application/x-www-form-urlencoded"]
OTHER_TYPES = ['application/vnd.adobe.platform.xcore.patch.hal+json; schema="{}"'.format(schema("tag")),
               "text/plain", "application/merge-patch+json", "", "application/schema-instance+json"]
# Mostly the headers a client sends, sometimes one of them broken, missing or odd.
content_type = st.sampled_from(["good"] * 4 + ["other", "text"]).flatmap(lambda how: {
    "good": st.sampled_from(GOOD_PATCH_TYPES), "other": st.sampled_from(OTHER_TYPES), "text": header_text}[how])
if_match = st.sampled_from(["none"] * 3 + ["known", "text"]).flatmap(lambda how: {
    "none": st.none(), "known": st.sampled_from(["1", '"1"', "*", 'W/"1"', '"0"', "abc", '"2", "3"']),
    "text": header_text}[how])
broken_headers = st.dictionaries(
    st.sampled_from(["x-api-key", "x-sandbox-name", "x-gw-ims-org-id", "Authorization", "Accept", "x-request-id"]),
    st.one_of(st.just(None), st.sampled_from(["dev", "nosuch", "Bearer", "Bearer x"]), header_text), max_size=2)
breakage = st.sampled_from([False] * 4 + [True]).flatmap(lambda broken: broken_headers if broken else st.just({}))
body = st.sampled_from([True] * 6 + [False]).flatmap(
    lambda as_json: patch_document.map(lambda d: json.dumps(d).encode()) if as_json else st.binary(max_size=64))
instance_body = st.one_of(
    st.dictionaries(st.sampled_from(["xdm:name", "xdm:status", "xdm:rank", "xdm:tags", "@id", "xdm:other"]),
                    json_value, max_size=4),
    st.builds(lambda extra: offer(**extra), st.dictionaries(
        st.sampled_from(["xdm:status", "xdm:rank", "xdm:tags", "xdm:characteristics", "xdm:name"]),
        json_value, max_size=2)),
    json_value)


def check_answer(response, before, after):
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert after == before, response.text  # an error never changes the store
        answer = response.json()
        assert set(answer) in ({"type", "title", "status", "detail"}, {"error_code", "message"}), answer
        if "status" in answer:
            assert answer["status"] == response.status_code
    else:
        assert response.status_code == 200, response.text
        assert after["repo:etag"] == before["repo:etag"] + 1
        BY_NAME["personalized-offer"].validate(after["_instance"])  # what is stored is valid


SETTINGS = settings(deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def send(api, method, data, headers):
    before = api.doc(api.iid)
    response = api.http.request(method, f"{api.base}/{api.cid}/instances/{api.iid}", data=data,
                                headers=api.headers(**headers), timeout=30)
    event(f"{method} {response.status_code}")  # shown by --hypothesis-show-statistics
    check_answer(response, before, api.doc(api.iid))


@settings(SETTINGS, max_examples=400)
@given(data=body, ctype=content_type, match=if_match, broken=breakage)
def test_random_patches_and_headers(aep_emulator_server, data, ctype, match, broken):
    headers = dict({"Content-Type": ctype, "If-Match": match}, **broken)
    send(_fixture(aep_emulator_server), "PATCH", data, headers)


@settings(SETTINGS, max_examples=150)
@given(document=instance_body, match=if_match, broken=breakage)
def test_random_replacements_and_headers(aep_emulator_server, document, match, broken):
    ctype = 'application/schema-instance+json; version=1; schema="{}"'.format(schema("personalized-offer"))
    headers = dict({"Content-Type": ctype, "If-Match": match}, **broken)
    send(_fixture(aep_emulator_server), "PUT", json.dumps(document).encode(), headers)


_STATE = {}


def _fixture(server):
    """One offer on the session server, shared by the examples (hypothesis runs a test body many
    times); made again if another test's reset removed it in between."""
    api = _STATE.get("api")
    if api is None or api.emulator is not server or api.get(api.iid).status_code != 200:
        api = ApiClient(server)
        api.iid = api.created("personalized-offer", offer())["instanceId"]
        _STATE["api"] = api
    return api


# -- dps: the same fuzzing on /data/core/dps PATCH bodies ------------------------------------------

DPS_PATHS = ["/name", "/description", "/status", "/tags/-", "/tags/0", "/rank/priority", "/rank", "/id", "/etag",
             "/created", "/schemas", "", "/", "/representations/0/components/0/language/-", "/representations/-",
             "/representations/0/placement", "/selectionConstraint", "/selectionConstraint/startDate",
             "/cappingConstraint", "/frequencyCappingConstraints/0/limit", "/~2", "/tags/01", "/labels"]
DPS_SEGMENTS = ["name", "tags", "-", "0", "1", "id", "rank", "priority", "~0", "~1", "~", ""]
DPS_VALUES = ["approved", "draft", 0, 5, -1, "dps:tag:0123456789abcdef", "2024-01-01T00:00:00Z",
              {"priority": 3}, [], {}, ["en-us"], {"placement": "p", "components": []}]
dps_path = st.sampled_from(["known"] * 4 + ["segments", "text"]).flatmap(lambda how: {
    "known": st.sampled_from(DPS_PATHS),
    "segments": st.lists(st.one_of(st.sampled_from(DPS_SEGMENTS), st.text(max_size=6)), max_size=4).map(
        lambda p: "/" + "/".join(p)),
    "text": st.text(max_size=20)}[how])
dps_operation = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove", "copy", "test"] * 4 + ["move", "ADD", "", "x"]),
     "path": dps_path,
     "value": st.sampled_from(["known"] * 2 + ["random"]).flatmap(
         lambda how: st.sampled_from(DPS_VALUES) if how == "known" else json_value)},
    optional={"from": dps_path})
dps_patch_document = st.sampled_from(["ops"] * 6 + ["mixed", "value"]).flatmap(lambda how: {
    "ops": st.lists(dps_operation, min_size=1, max_size=3),
    "mixed": st.lists(st.one_of(dps_operation, json_value), max_size=4),
    "value": json_value}[how])
dps_body = st.sampled_from([True] * 6 + [False]).flatmap(
    lambda as_json: dps_patch_document.map(lambda d: json.dumps(d).encode()) if as_json else st.binary(max_size=64))
dps_content_type = st.sampled_from(["good"] * 5 + ["other"]).flatmap(lambda how: {
    "good": st.sampled_from(["application/json", "application/json; charset=utf-8"]),
    "other": st.sampled_from(["application/json-patch+json", "text/plain", "", "application/merge-patch+json"])}[how])


@settings(SETTINGS, max_examples=400)
@given(data=dps_body, ctype=dps_content_type, match=if_match, broken=breakage)
def test_random_dps_patches_leave_the_store_unchanged_on_error(aep_emulator_server, data, ctype, match, broken):
    api, one = _dps_fixture(aep_emulator_server)
    before = api.dps.obj(one)
    response = api.dps.request("PATCH", one, data=data,
                               headers=dict({"Content-Type": ctype, "If-Match": match}, **broken))
    event(f"PATCH {response.status_code}")
    after = api.dps.obj(one)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert after == before, response.text  # an error never changes the store
        answer = response.json()
        assert set(answer) in ({"type", "title", "status", "detail"}, {"error_code", "message"}), answer
        if "status" in answer:
            assert answer["status"] == response.status_code
    else:
        assert response.status_code == 200, response.text
        assert response.json()["etag"] == after["etag"] == before["etag"] + 1
        fields = {k: v for k, v in after.items() if k not in SERVER_FIELDS}
        DPS_KINDS["personalized-offer"].validate(fields)  # what is stored is valid


def _dps_fixture(server):
    """One dps offer on the session server, shared by the examples, made again after a reset."""
    api, one = _STATE.get("dps", (None, None))
    if api is None or api.emulator is not server or api.dps.get(one).status_code != 200:
        api = ApiClient(server)
        receipt = api.dps.created("/offers?offer-type=personalized", {
            "name": "Fuzzed", "status": "draft", "tags": [], "rank": {"priority": 1},
            "representations": [{"placement": "p", "components": [{"type": "html", "language": ["en-us"]}]}]})
        one = f"/offers/{receipt['id']}?offer-type=personalized"
        _STATE["dps"] = (api, one)
    return api, one
