"""Every object module through the same life: create, rerun, check+diff, update, absent twice."""

import json

import pytest

from test_offer_instance import writes

TAG = "https://ns.adobe.com/experience/offer-management/tag;version=0.1"
OFFER = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
FILTER = "https://ns.adobe.com/experience/offer-management/offer-filter;version=0.1"
FALLBACK = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"


def _arrange(direct):
    """Objects to refer to by name: a placement, a qualifier, an offer, a collection, a fallback."""
    web = direct.placement("Web banner")
    direct.created(TAG, {"xdm:name": "Summer"})
    rep = [{"xdm:placement": web, "xdm:components": [
        {"@type": "https://ns.adobe.com/experience/offer-management/content-component-text", "xdm:content": "x"}]}]
    offer = direct.created(OFFER, {"xdm:name": "Existing offer", "xdm:representations": rep})["@id"]
    direct.created(FILTER, {"xdm:name": "Existing collection", "xdm:filterType": "offers", "xdm:ids": [offer]})
    direct.created(FALLBACK, {"xdm:name": "Existing fallback", "xdm:representations": rep})


REPRESENTATIONS = [{"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hi"}]}]
CASES = {
    "placement": ({"channel": "web", "component_type": "text", "content_types": ["text/plain"]},
                  {"description": "Top of the page"}, "xdm:description"),
    "collection_qualifier": ({}, {"instance": {"xdm:name": "Renamed"}}, "xdm:name"),
    "decision_rule": ({"condition": "profile.age > 18", "description": "Adults"},
                      {"condition": "profile.age > 21"}, "xdm:value"),
    "fallback_offer": ({"status": "approved", "representations": REPRESENTATIONS, "tags": ["Summer"]},
                       {"tags": []}, "xdm:tags"),
    "offer_collection": ({"qualifiers": ["Summer"]}, {"filter_type": "allTags"}, "xdm:filterType"),
    "decision": ({"status": "draft", "criteria": [{"placements": ["Web banner"], "collection": "Existing collection"}],
                  "fallback": "Existing fallback"}, {"status": "live"}, "xdm:status"),
    "offer_instance": ({"status": "approved", "representations": REPRESENTATIONS, "tags": ["Summer"]},
                       {"priority": 3}, "xdm:priority"),
}


# make oldest runs one kind's life on the oldest core: decision, whose references (placements, collection,
# fallback) go by name; offer_instance's has its own smoke test.
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.smoke) if m == "decision" else m for m in sorted(CASES)])
def test_module_life(aep, direct, aep_emulator, module):
    _arrange(direct)
    create, change, changed_field = CASES[module]
    name = "Managed %s" % module

    def run(args, **kwargs):
        task = "- name: task\n  aep.offers.%s: %s\n" % (module, json.dumps(args))
        before = aep_emulator.stats()
        result = aep.playbook(aep.tasks(task), **kwargs)
        assert result.rc == 0, result.output
        return result, writes(aep_emulator.stats()) - writes(before)

    first, wrote = run(dict(create, name=name))
    assert first.result("task")["changed"] is True and first.result("task")["action"] == "create"
    instance_id = first.result("task")["instance_id"]
    again, wrote = run(dict(create, name=name))
    assert again.result("task")["changed"] is False and wrote == 0, again.output
    target = dict(change, instance_id=instance_id)
    plan, wrote = run(target, check=True, diff=True)
    assert plan.result("task")["changed"] is True and wrote == 0
    assert plan.result("task")["patch"] and changed_field in plan.stdout  # the diff shows the field
    done, wrote = run(target)
    assert done.result("task")["changed"] is True and wrote == 1
    assert done.result("task")["etag"] == first.result("task")["etag"] + 1
    steady, wrote = run(target)
    assert steady.result("task")["changed"] is False and wrote == 0
    gone, wrote = run({"instance_id": instance_id, "state": "absent"})
    assert gone.result("task")["changed"] is True and wrote == 1
    assert direct.get(instance_id).status_code == 404
    again, wrote = run({"instance_id": instance_id, "state": "absent"})
    assert again.result("task")["changed"] is False and wrote == 0


def test_refused_delete_of_a_qualifier_in_use_names_its_users(aep, direct, aep_emulator):
    """The API refuses to delete a qualifier an object still uses (409, naming the referrer); the module
    says so and names the users."""
    _arrange(direct)
    tagged = dict(CASES["fallback_offer"][0], name="Tagged fallback")
    first = aep.playbook(aep.tasks("- name: tag it\n  aep.offers.fallback_offer: %s\n" % json.dumps(tagged)))
    assert first.rc == 0, first.output
    fallback_id = first.result("tag it")["id"]
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.collection_qualifier: {name: Summer, state: absent}\n"))
    assert run.rc != 0
    result = run.result("task")
    message = result["msg"]
    assert "refused to delete collection qualifier 'Summer'" in message and "HTTP 409" in message, message
    assert fallback_id in message  # the API's own detail names the referrer
    assert "still used by: fallback offer 'Tagged fallback'" in message, message
    assert len(direct.by_name(TAG, "Summer")) == 1
    # Once nothing refers to it, the same task deletes it.
    untag = aep.playbook(aep.tasks("- name: untag\n  aep.offers.fallback_offer: %s\n" % json.dumps(dict(tagged, tags=[]))))
    assert untag.rc == 0, untag.output
    gone = aep.playbook(aep.tasks("- name: task\n  aep.offers.collection_qualifier: {name: Summer, state: absent}\n"))
    assert gone.rc == 0 and gone.result("task")["changed"] is True, gone.output
    assert direct.by_name(TAG, "Summer") == []
