"""The library modules together: a full setup by names, idempotence, check mode, diff and absent."""

import pytest

from test_offer_instance import writes


def test_full_setup_by_names_then_rerun_check_and_teardown(aep, aep_emulator):
    first = aep.playbook("full_setup.yml")
    assert first.rc == 0, first.output
    assert first.totals("changed") == 8, first.output  # 8 tasks, each creating something
    decision = first.result("decision")["decision"]["_instance"]
    hand_picked = first.result("collection by offers")["collection"]["_instance"]
    assert all(i.startswith("xcore:personalized-offer:") for i in hand_picked["xdm:ids"])
    assert decision["xdm:fallback"].startswith("xcore:fallback-offer:")
    assert len(decision["xdm:criteria"]) == 2
    rule = first.result("rule")["decision_rule"]["_instance"]
    assert "{{not templated}}" in rule["xdm:condition"]["xdm:value"]

    before = aep_emulator.stats()
    rerun = aep.playbook("full_setup.yml")
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    print("\n".join(["first run:"] + first.recap_lines() + ["rerun:"] + rerun.recap_lines()))

    before = aep_emulator.stats()
    plan = aep.playbook("full_setup.yml", extra_vars={"summer_priority": 11, "decision_status": "draft"}, check=True, diff=True)
    assert plan.rc == 0 and plan.totals("changed") == 2, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert plan.result("decision")["patch"] == [{"op": "replace", "path": "/_instance/xdm:status", "value": "draft"}]
    assert '+    "xdm:status": "draft"' in plan.stdout

    update = aep.playbook("full_setup.yml", extra_vars={"summer_priority": 11})
    assert update.rc == 0 and update.totals("changed") == 1, update.output

    # An offer a collection still lists cannot be deleted: the API says so, the module names the user.
    in_use = aep.playbook(aep.tasks("- name: task\n  aep.offers.offer_instance: {name: Summer sale, state: absent}\n"))
    assert in_use.rc != 0 and "HTTP 409" in in_use.result("task")["msg"], in_use.output
    assert "still used by: collection 'Hand picked'" in in_use.result("task")["msg"], in_use.output

    teardown_vars = {"setup_state": "absent"}
    gone = aep.playbook("full_setup.yml", extra_vars=teardown_vars)
    assert gone.rc == 0, gone.output
    assert gone.totals("changed") == 5, gone.output  # decision, two collections, fallback, offers
    again = aep.playbook("full_setup.yml", extra_vars=teardown_vars)
    assert again.rc == 0 and again.totals("changed") == 0, again.output


@pytest.mark.parametrize("module, args, option", [
    ("decision", {"name": "D", "criteria": [{"placements": ["Nowhere"], "collection": "xcore:offer-filter:abc123"}]},
     "criteria[].placements"),
    ("offer_collection", {"name": "C", "offers": ["No offer"]}, "offers[]"),
    ("offer_collection", {"name": "C", "qualifiers": ["No tag"]}, "qualifiers[]"),
    ("fallback_offer", {"name": "F", "tags": ["No tag"]}, "tags[]"),
    ("decision", {"name": "D", "fallback": "No fallback"}, "fallback"),
])
def test_unknown_names_fail_before_any_write(aep, aep_emulator, module, args, option):
    before = aep_emulator.stats()
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.%s: %s\n" % (module, __import__("json").dumps(args))))
    assert run.rc != 0
    message = run.result("task")["msg"]
    assert option in message, message
    assert writes(aep_emulator.stats()) == writes(before)
