"""offer_library: one task for a whole library: plan, apply in order, no-op, prune, failures, conflicts."""

import copy
import json

import pytest

from conftest import OFFER_SCHEMA
from test_offer_instance import writes

REP = [{"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hello"}]}]


def declaration(offers=3):
    return {
        "placements": [{"name": "Web banner", "channel": "web", "component_type": "text", "content_types": ["text/plain"]},
                       {"name": "Email hero", "channel": "email", "component_type": "html"}],
        "collection_qualifiers": [{"name": "Summer"}, {"name": "Loyalty"}],
        "decision_rules": [{"name": "Gold", "condition": 'profile.tier = "gold"'}],
        "offers": [{"name": "Offer %d" % i, "status": "approved", "priority": i, "tags": ["Summer"],
                    "eligibility_rule": "Gold", "representations": REP} for i in range(offers)],
        "fallback_offers": [{"name": "Fallback", "status": "approved", "representations": REP}],
        "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]},
                        {"name": "Picked", "offers": ["Offer 0", "Offer 1"]}],
        "decisions": [{"name": "Home", "status": "live", "fallback": "Fallback",
                       "criteria": [{"placements": ["Web banner"], "collection": "Summer offers", "eligibility_rule": "Gold"}]}],
    }


def run(aep, library, **kwargs):
    path = aep.tmp_path / ("library-%d.json" % aep.runs)
    extra = dict(kwargs.pop("extra", {}), library=library)
    path.write_text(json.dumps(extra))
    return aep.playbook("offer_library.yml", "-e", "@%s" % path, **kwargs)


@pytest.mark.smoke
def test_plan_apply_noop_in_dependency_order(aep, aep_emulator):
    library = declaration()
    before = aep_emulator.stats()
    plan = run(aep, library, check=True)
    assert plan.rc == 0, plan.output
    planned = plan.result("library")
    assert writes(aep_emulator.stats()) == writes(before)  # check mode: reads only
    assert planned["summary"] == {"create": 12, "update": 0, "delete": 0, "none": 0, "keep": 0, "failed": 0}
    decision = [r for r in planned["results"] if r["kind"] == "decisions"][0]
    assert decision["action"] == "create"

    applied = run(aep, library)
    result = applied.result("library")
    assert applied.rc == 0 and result["changed"] is True, applied.output
    kinds = [r["kind"] for r in result["results"]]
    order = ["placements", "collection_qualifiers", "decision_rules", "offers", "fallback_offers", "collections", "decisions"]
    assert kinds == sorted(kinds, key=order.index)  # placements, qualifiers, rules < offers < collections < decisions
    assert result["summary"]["create"] == 12 and writes(aep_emulator.stats()) - writes(before) == 12

    before = aep_emulator.stats()
    again = run(aep, library)
    after = aep_emulator.stats()
    assert again.rc == 0 and again.result("library")["changed"] is False, again.output
    assert again.result("library")["summary"]["none"] == 12
    assert writes(after) == writes(before)
    # One discovery plus one page per kind: no read per object.
    assert after["requests"]["GET"] - before["requests"]["GET"] == 8

    library["offers"][0]["priority"] = 50
    plan = run(aep, library, check=True)
    offer = [r for r in plan.result("library")["results"] if r["name"] == "Offer 0"][0]
    assert offer["action"] == "update"
    assert offer["patch"] == [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 50}]


def test_prune_off_and_on(aep, aep_emulator, direct):
    library = declaration()
    assert run(aep, library).rc == 0
    smaller = copy.deepcopy(library)
    smaller["offers"] = smaller["offers"][:2]
    smaller["collections"] = [c for c in smaller["collections"] if c["name"] != "Picked"]
    kept = run(aep, smaller)
    assert kept.rc == 0 and kept.result("library")["summary"]["delete"] == 0, kept.output
    assert len(direct.by_name(OFFER_SCHEMA, "Offer 2")) == 1

    before = aep_emulator.stats()
    plan = run(aep, smaller, extra={"prune": True}, check=True)
    gone = sorted(r["name"] for r in plan.result("library")["results"] if r["action"] == "delete")
    assert gone == ["Offer 2", "Picked"] and writes(aep_emulator.stats()) == writes(before)
    pruned = run(aep, smaller, extra={"prune": True})
    assert pruned.rc == 0, pruned.output
    deleted = [r for r in pruned.result("library")["results"] if r["action"] == "delete"]
    assert [r["kind"] for r in deleted] == ["collections", "offers"]  # references first
    assert direct.by_name(OFFER_SCHEMA, "Offer 2") == []
    # Kinds the task does not declare are never pruned.
    only_tags = run(aep, {"collection_qualifiers": [{"name": "Summer"}]}, extra={"prune": True})
    assert [r["name"] for r in only_tags.result("library")["results"] if r["action"] == "delete"] == ["Loyalty"]


def test_an_object_that_cannot_be_planned_stops_the_run_before_any_write(aep, aep_emulator):
    library = declaration()
    library["offers"][1]["eligibility_rule"] = "No such rule"
    library["decisions"][0]["criteria"][0]["placements"] = ["No such placement"]
    before = aep_emulator.stats()
    stopped = run(aep, library)
    assert stopped.rc != 0
    result = stopped.result("library")
    assert result["msg"].startswith("2 of 12 objects cannot be planned, so nothing was written: "), result["msg"]
    assert "offers[1].eligibility_rule: no decision rule is named 'No such rule'" in result["msg"]
    assert "decisions[0].criteria[].placements: no placement is named 'No such placement'" in result["msg"]
    assert len(result["problems"]) == 2
    assert writes(aep_emulator.stats()) == writes(before)  # every problem listed, nothing applied
    plan = run(aep, library, check=True)
    assert plan.rc != 0 and plan.result("library")["msg"] == result["msg"]  # the plan says the same

    going_on = run(aep, library, extra={"continue_on_error": True})
    by_name = dict((r["name"], r) for r in going_on.result("library")["results"])
    assert going_on.rc != 0
    assert by_name["Offer 0"]["action"] == "create" and by_name["Offer 2"]["action"] == "create"
    assert by_name["Offer 1"]["action"] == "failed"
    assert by_name["Offer 1"]["msg"].startswith("skipped: offers[1].eligibility_rule: no decision rule"), by_name["Offer 1"]
    assert by_name["Home"]["msg"].startswith("skipped: decisions[0].criteria[].placements")
    assert by_name["Picked"]["action"] == "failed"  # it names the offer that could not be created
    assert by_name["Summer offers"]["action"] == "create"


def test_concurrent_edits_under_if_match_all_survive(aep, aep_emulator, direct):
    library = declaration(offers=6)
    first = run(aep, library)
    assert first.rc == 0, first.output
    offers = [r for r in first.result("library")["results"] if r["kind"] == "offers"]
    for offer in offers:
        aep_emulator.mutate(direct.cid, offer["instance_id"], [
            {"op": "replace", "path": "/_instance/xdm:characteristics", "value": {"edited": offer["name"]}}],
            when="before_next_write")
    for item in library["offers"]:
        item["priority"] += 100
    second = run(aep, library, extra={"parallel": 3})
    assert second.rc == 0, second.output
    assert "changed since it was read (409)" in second.output
    survived = 0
    for offer in offers:
        stored = direct.get(offer["instance_id"]).json()["_instance"]
        number = int(offer["name"].split()[-1])
        if stored["xdm:characteristics"] == {"edited": offer["name"]} and stored["xdm:rank"]["xdm:priority"] == number + 100:
            survived += 1
    assert survived == len(offers)


def test_declaration_from_a_file_is_not_templated(aep, aep_emulator, direct):
    library = declaration()
    greeting = "Hi {{profile.person.name.firstName}}, {% if profile.tier %}gold{% endif %}"
    library["offers"][0]["representations"] = [
        {"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": greeting}]}]
    library["offers"][0]["end_date"] = "2027-01-31T23:59:59Z"
    in_file = dict((k, v) for k, v in library.items() if k != "placements")
    src = aep.tmp_path / "library.json"
    src.write_text(json.dumps(in_file))
    # Placements in the task, the rest from the file: both are converged, in dependency order.
    first = run(aep, {"placements": library["placements"]}, extra={"src": str(src)})
    assert first.rc == 0 and first.result("library")["summary"]["create"] == 12, first.output
    stored = direct.by_name(OFFER_SCHEMA, "Offer 0")[0]["_instance"]
    assert stored["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == greeting
    assert stored["xdm:selectionConstraint"]["xdm:endDate"] == "2027-01-31T23:59:59Z"

    # The same declaration as YAML (dates unquoted, !unsafe accepted): nothing to do, no write.
    yaml_src = aep.tmp_path / "library.yml"
    yaml_src.write_text(json.dumps(in_file).replace('"2027-01-31T23:59:59Z"', "2027-01-31T23:59:59Z")
                        .replace(json.dumps(greeting), "!unsafe " + json.dumps(greeting)))
    before = aep_emulator.stats()
    again = run(aep, {"placements": library["placements"]}, extra={"src": str(yaml_src)})
    assert again.rc == 0 and again.result("library")["summary"]["none"] == 12, again.output
    assert writes(aep_emulator.stats()) == writes(before)

    # A list given in both places, and an item the file gets wrong, fail before anything is written.
    both = run(aep, {"offers": declaration()["offers"]}, extra={"src": str(src)})
    assert both.rc != 0 and both.result("library")["msg"] == "offers: is given both in the task and in src %s; give it in one place" % src
    in_file["offers"][1]["priority"] = "high"
    src.write_text(json.dumps(in_file))
    wrong = run(aep, {}, extra={"src": str(src)})
    assert wrong.rc != 0 and "offers[1]" in wrong.result("library")["msg"] and "priority" in wrong.result("library")["msg"]
    assert "Traceback" not in wrong.output
    assert writes(aep_emulator.stats()) == writes(before)
