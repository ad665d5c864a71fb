"""The read-only modules through each API: container_info, offer_library_info (every page, filters, order, limit, by
name and by id, an export fed back to the modules, ids without resolve_names) and ims_token's cache.

Moved down from tests/integration/test_info_modules.py, which ran them through xcore only; what needs a playbook
(ims_token's token hidden by no_log at -vvv, used as access_token through module_defaults) stays there.
"""

import math

from conftest import ORG
from test_objects import PREFIX, full_setup

# A filter, an order and the channel of a placement in each API's names (README: "Two APIs").
QUERIES = {"xcore": {"email": "_instance.xdm:channel==https://ns.adobe.com/xdm/channel-types/email",
                     "by_name_descending": "-_instance.xdm:name"},
           "dps": {"email": "channel==https://ns.adobe.com/xdm/channel-types/email", "by_name_descending": "-name"}}
PAGE = 100


def test_container_info_lists_the_sandbox_container_or_says_the_api_has_none(sandbox):
    found = sandbox.run("container_info")
    assert found["changed"] is False and found["api"] == sandbox.api
    if sandbox.api == "dps":
        assert found["containers"] == [] and "has no containers" in found["msg"]
        return
    [container] = found["containers"]
    assert container["container_id"] == sandbox.emulator.container_id("prod", ORG)
    assert container["container_type"] == "decisioning"
    assert set(container) == {"container_id", "name", "sandbox", "container_type", "product_contexts"}


def test_container_info_answers_an_empty_list_for_a_sandbox_without_one(sandbox):
    sandbox.emulator.add_sandbox("empty", container=False)
    assert sandbox.run("container_info", sandbox="empty")["containers"] == []


def test_offer_library_info_follows_every_page(sandbox):
    count = 2 * PAGE + 5
    made = sandbox.run("offer_library", parallel=8, placements=[{"name": "P%03d" % i, "channel": "web", "component_type": "html",
                                                                 "content_types": ["text/html"]} for i in range(count)])
    ids = set(r["id"] for r in made["results"])
    with sandbox.counting() as sent:
        found = sandbox.run("offer_library_info", kind="placement")
    assert found["count"] == count and set(o["id"] for o in found["objects"]) == ids
    assert sent.reads == math.ceil(count / PAGE) + (1 if sandbox.api == "xcore" else 0) and sent.writes == 0
    first = found["objects"][0]
    assert set(first) == {"instance_id", "id", "etag", "options"}
    assert first["options"] == {"name": first["options"]["name"], "channel": "web", "component_type": "html",
                                "content_types": ["text/html"]}


def test_offer_library_info_filters_orders_limits_and_finds_by_name_or_id(sandbox):
    sandbox.run("offer_library", placements=[{"name": "F%d" % i, "channel": "email" if i % 2 else "web", "component_type": "html"}
                                             for i in range(5)])
    query = QUERIES[sandbox.api]
    email = sandbox.run("offer_library_info", kind="placement", filters=[query["email"]])["objects"]
    assert sorted(o["options"]["name"] for o in email) == ["F1", "F3"]
    last = sandbox.run("offer_library_info", kind="placement", order_by=query["by_name_descending"], limit=3)["objects"]
    assert [o["options"]["name"] for o in last] == ["F4", "F3", "F2"]
    [by_name] = sandbox.run("offer_library_info", kind="placement", name="F2")["objects"]
    assert by_name["options"]["name"] == "F2"
    by_id = sandbox.run("offer_library_info", kind="placement", id=by_name["id"])["objects"]
    assert [o["instance_id"] for o in by_id] == [by_name["instance_id"]]


# Every option of every module, so each exported object is applied exactly as exported.
MODULES = {"placement": "placement", "collection_qualifier": "collection_qualifier", "decision_rule": "decision_rule",
           "offer": "offer_instance", "fallback_offer": "fallback_offer", "offer_collection": "offer_collection",
           "decision": "decision"}


def test_an_export_fed_back_to_the_modules_changes_nothing(sandbox):
    full_setup(sandbox)
    exported = dict((kind, sandbox.info(kind, resolve_names=True)) for kind in MODULES)
    assert dict((kind, len(objects)) for kind, objects in exported.items()) == {
        "placement": 2, "collection_qualifier": 2, "decision_rule": 1, "offer": 2, "fallback_offer": 1,
        "offer_collection": 2, "decision": 1}
    with sandbox.counting() as sent:
        for kind, objects in exported.items():
            for found in objects:
                assert sandbox.run(MODULES[kind], **found["options"])["changed"] is False, (kind, found["options"])
    assert sent.writes == 0

    offers = dict((o["options"]["name"], o["options"]) for o in exported["offer"])
    summer = offers["Summer sale"]
    assert summer["eligibility_rule"] == "Gold members" and summer["tags"] == ["Summer"] and summer["priority"] == 10
    assert summer["representations"] == [{"placement": "Web banner", "channel": "web", "components": [
        {"type": "html", "format": "text/html", "language": ["en"], "content": "Summer is here"}]}]
    decision = exported["decision"][0]["options"]
    assert decision["fallback"] == "Default banner"
    assert decision["criteria"][0] == {"placements": ["Web banner"], "collection": "Summer offers"}
    collections = dict((o["options"]["name"], o["options"]) for o in exported["offer_collection"])
    assert collections["Hand picked"]["filter_type"] == "offers"
    assert sorted(collections["Hand picked"]["offers"]) == ["Loyal summer", "Summer sale"]
    assert collections["Summer offers"] == {"name": "Summer offers", "filter_type": "anyTags", "qualifiers": ["Summer"]}


def test_an_export_without_resolve_names_keeps_ids(sandbox):
    full_setup(sandbox)
    options = sandbox.info("decision")[0]["options"]
    assert options["fallback"].startswith(PREFIX[sandbox.api] + "fallback-offer:")
    assert all(p.startswith(PREFIX[sandbox.api] + "offer-placement:") for c in options["criteria"] for p in c["placements"])


def test_ims_token_reuses_the_cached_token(sandbox):
    before = sandbox.emulator.stats()["token_requests"]
    first = sandbox.run("ims_token")
    second = sandbox.run("ims_token")
    assert first["changed"] is False and first["cached"] is False and "expires_in" in first
    assert second["cached"] is True and "expires_in" not in second and second["access_token"] == first["access_token"]
    assert sandbox.emulator.stats()["token_requests"] - before == 1
