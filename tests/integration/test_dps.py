"""The same modules through the persistence API (api: dps), as playbooks: two object modules' lives, offer_library,
paging, a concurrent edit (412), a lost create answer, names the API cannot filter, refused deletes."""

import json

import pytest

from test_offer_library import declaration, run as run_library

DPS = {"AEP_OFFERS_API": "dps"}
OFFERS = "/offers?offer-type=personalized"


def dps_writes(stats):
    return stats["apis"]["dps"]["writes"]


def dps_requests(stats, method):
    return stats["apis"]["dps"]["requests"].get(method, 0)


def _arrange(direct):
    """Objects to refer to by name, made directly through dps: a placement, a qualifier, an offer, a collection, a fallback."""
    dps = direct.dps
    web = dps.created("/placements", {"name": "Web banner", "channel": "https://ns.adobe.com/xdm/channel-types/web",
                                      "componentType": "component-text"})["id"]
    dps.created("/tags", {"name": "Summer"})
    rep = [{"placement": web, "components": [{"type": "component-text", "content": "x"}]}]
    offer = dps.created(OFFERS, {"name": "Existing offer", "status": "draft", "representations": rep})["id"]
    dps.created("/offer-collections", {"name": "Existing collection", "filterType": "offers", "ids": [offer]})
    dps.created("/offers?offer-type=fallback", {"name": "Existing fallback", "status": "draft", "representations": rep})
    return web


REPRESENTATIONS = [{"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hi"}]}]
# module: (create options, a change, the JSON Patch the change must be, and the dps path of the object); every kind's
# patch is checked in-process by tests/contract/test_dps_bodies.py
CASES = {
    "offer_instance": ({"status": "approved", "representations": REPRESENTATIONS, "tags": ["Summer"]},
                       {"priority": 3}, [{"op": "add", "path": "/rank", "value": {"priority": 3}}], OFFERS),
}


def _path(collection, object_id):
    base, _, query = collection.partition("?")
    return "%s/%s%s" % (base, object_id, "?" + query if query else "")


# Every kind's life is proven in-process on both APIs (tests/contract/test_life.py); here an offer shows it through
# ansible-playbook, the API chosen by AEP_OFFERS_API and the emulator's own objects checked after each run.
@pytest.mark.parametrize("module", sorted(CASES))
def test_module_life_through_dps(aep, direct, aep_emulator, module):
    _arrange(direct)
    create, change, patch, collection = CASES[module]
    name = "Managed %s" % module

    def run(args, **kwargs):
        task = "- name: task\n  aep.offers.%s: %s\n" % (module, json.dumps(args))
        before = aep_emulator.stats()
        result = aep.playbook(aep.tasks(task), env=DPS, **kwargs)
        assert result.rc == 0, result.output
        after = aep_emulator.stats()
        assert after["apis"]["xcore"] == before["apis"]["xcore"]  # nothing goes to xcore
        return result, dps_writes(after) - dps_writes(before), after, before

    first, wrote, after, before = run(dict(create, name=name))
    assert first.result("task")["action"] == "create" and wrote == 1
    object_id = first.result("task")["id"]
    assert object_id.startswith("dps:") and first.result("task")["instance_id"] == object_id
    again, wrote, after, before = run(dict(create, name=name))
    assert again.result("task")["changed"] is False and wrote == 0, again.output
    target = dict(change, instance_id=object_id)
    plan, wrote, after, before = run(target, check=True, diff=True)
    assert plan.result("task")["changed"] is True and wrote == 0 and plan.result("task")["patch"] == patch
    done, wrote, after, before = run(target)
    assert done.result("task")["patch"] == patch and wrote == 1
    assert dps_requests(after, "PATCH") - dps_requests(before, "PATCH") == 1
    assert done.result("task")["etag"] == first.result("task")["etag"] + 1
    assert direct.dps.obj(_path(collection, object_id))["etag"] == done.result("task")["etag"]
    steady, wrote, after, before = run(target)
    assert steady.result("task")["changed"] is False and wrote == 0
    gone, wrote, after, before = run({"instance_id": object_id, "state": "absent", "confirm": "prod"})
    assert gone.result("task")["changed"] is True and wrote == 1
    assert direct.dps.get(_path(collection, object_id)).status_code == 404
    again, wrote, after, before = run({"instance_id": object_id, "state": "absent", "confirm": "prod"})
    assert again.result("task")["changed"] is False and wrote == 0


def test_container_info_says_dps_has_no_container(aep):
    run = aep.playbook(aep.tasks("- name: containers\n  aep.offers.container_info:\n"), env=DPS)
    assert run.rc == 0, run.output
    result = run.result("containers")
    assert result["containers"] == [] and "dps API has no containers" in result["msg"]


def test_offer_library_plan_apply_noop_prune_through_dps(aep, aep_emulator, direct):
    library = declaration()
    before = aep_emulator.stats()
    plan = run_library(aep, library, check=True, env=DPS)
    assert plan.rc == 0, plan.output
    assert plan.result("library")["summary"]["create"] == 12 and dps_writes(aep_emulator.stats()) == dps_writes(before)
    applied = run_library(aep, library, env=DPS)
    assert applied.rc == 0 and applied.result("library")["summary"]["create"] == 12, applied.output
    assert dps_writes(aep_emulator.stats()) - dps_writes(before) == 12
    decision = direct.dps.all("/offer-decisions")[0]
    assert decision["criteria"][0]["profileConstraint"]["eligibilityRule"].startswith("dps:")
    before = aep_emulator.stats()
    again = run_library(aep, library, env=DPS)
    after = aep_emulator.stats()
    assert again.rc == 0 and again.result("library")["summary"]["none"] == 12, again.output
    assert dps_writes(after) == dps_writes(before)
    assert dps_requests(after, "GET") - dps_requests(before, "GET") == 7  # one page per kind, no container
    smaller = dict(library, offers=library["offers"][:2],
                   collections=[c for c in library["collections"] if c["name"] != "Picked"])
    pruned = run_library(aep, smaller, extra={"prune": True, "confirm": "prod"}, env=DPS)
    assert pruned.rc == 0, pruned.output
    deleted = [r for r in pruned.result("library")["results"] if r["action"] == "delete"]
    assert [(r["kind"], r["name"]) for r in deleted] == [("collections", "Picked"), ("offers", "Offer 2")]
    assert sorted(o["name"] for o in direct.dps.all(OFFERS)) == ["Offer 0", "Offer 1"]


def test_paging_past_250_objects(aep, aep_emulator, direct):
    for number in range(260):
        direct.dps.created("/tags", {"name": "Tag %03d" % number})
    run = aep.playbook(aep.tasks("- name: all\n  aep.offers.offer_library_info: {kind: collection_qualifier}\n"), env=DPS)
    assert run.rc == 0, run.output
    assert run.result("all")["count"] == 260
    assert len(set(o["options"]["name"] for o in run.result("all")["objects"])) == 260
    library = {"collection_qualifiers": [{"name": "Tag %03d" % n} for n in range(260)]}
    before = aep_emulator.stats()
    again = run_library(aep, library, env=DPS)
    assert again.rc == 0 and again.result("library")["summary"]["none"] == 260, again.output
    assert dps_requests(aep_emulator.stats(), "GET") - dps_requests(before, "GET") == 3  # pages of 100


def test_a_concurrent_edit_between_read_and_write_survives(aep, aep_emulator, direct):
    web = _arrange(direct)
    offer = direct.dps.created(OFFERS, {"name": "Sale", "status": "draft", "rank": {"priority": 1},
                                        "representations": [{"placement": web}]})["id"]
    aep_emulator.dps_mutate(offer, [{"op": "replace", "path": "/status", "value": "approved"}], when="before_next_write")
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.offer_instance: {name: Sale, priority: 7}\n"), env=DPS)
    assert run.rc == 0, run.output
    assert "changed since it was read (412)" in run.output
    stored = direct.dps.obj(_path(OFFERS, offer))
    assert stored["status"] == "approved" and stored["rank"]["priority"] == 7  # both changes kept
    assert stored["etag"] == 3 and run.result("task")["etag"] == 3


def test_a_lost_create_answer_makes_no_duplicate(aep, aep_emulator, direct):
    aep_emulator.faults(drop_after_commit_next=1)
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.collection_qualifier: {name: Lost answer}\n"), env=DPS)
    assert run.rc == 0, run.output
    assert [t["name"] for t in direct.dps.all("/tags")] == ["Lost answer"]
    assert "exists: using it" in run.output


@pytest.mark.parametrize("name", ["Sale, 20% off", "a==b", "Price (USD) [beta]*"])
def test_names_the_api_cannot_filter_exactly(aep, aep_emulator, direct, name):
    direct.dps.created("/tags", {"name": name + " and more"})
    task = "- name: task\n  aep.offers.collection_qualifier: %s\n" % json.dumps({"name": name})
    first = aep.playbook(aep.tasks(task), env=DPS)
    again = aep.playbook(aep.tasks(task), env=DPS)
    assert first.rc == 0 and first.result("task")["action"] == "create", first.output
    assert again.rc == 0 and again.result("task")["changed"] is False, again.output
    assert sorted(t["name"] for t in direct.dps.all("/tags")) == sorted([name, name + " and more"])


def test_a_refused_delete_names_the_users(aep, aep_emulator, direct):
    _arrange(direct)
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.placement: {name: Web banner, state: absent, confirm: prod}\n"), env=DPS)
    assert run.rc != 0
    message = run.result("task")["msg"]
    assert "refused to delete placement 'Web banner'" in message and "HTTP 409" in message, message
    assert "still used by: personalized offer 'Existing offer'" in message and "fallback offer 'Existing fallback'" in message
    assert len(direct.dps.all("/placements")) == 1
