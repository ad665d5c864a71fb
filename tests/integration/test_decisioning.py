"""The Decisioning modules against the emulator's persistence API: each module's life, a whole setup by
names alone, uiModel compared as JSON, write-only definedOn, the x-schema-id header, api ignored."""

import json

import pytest
import requests

from aep_emulator.testing import ApiClient, run_emulator
from conftest import ORG, Aep

SCHEMA = "https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c"
CATALOG = "0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d"
PQL = {"type": "PQL", "format": "pql/text"}
DEFINED_ON = {"offer": {"schema": {"altId": "_experience.offer-management.personalized-offer", "version": "0"}}}
ENDPOINTS = {"eligibility_rule": "/offer-rules", "ranking_formula": "/ranking-formulas", "item_collection": "/item-collections",
             "decisioning_placement": "/exd-placements", "decision_item": "/offer-items", "selection_strategy": "/selection-strategies"}
ITEM_HEADERS = {"x-schema-id": SCHEMA}
# Decision items take their schema and tenant from the environment here; module_defaults and options work too.
ITEM_ENV = {"AEP_ITEM_SCHEMA_ID": SCHEMA, "AEP_TENANT": "acme", "AEP_ITEM_CATALOG_ID": CATALOG}


def api_writes(stats, api="dps"):
    return sum(stats["apis"][api]["requests"].get(m, 0) for m in ("POST", "PATCH", "PUT", "DELETE"))


def api_requests(stats, api):
    return sum(stats["apis"][api]["requests"].values())


def _arrange(direct):
    """Objects to refer to by name: an eligibility rule, a ranking formula, an item collection."""
    direct.dps.created("/offer-rules", {"name": "Existing rule", "exdRule": True, "condition": dict(PQL, value="true")})
    direct.dps.created("/ranking-formulas", {"name": "Existing formula", "exdFunction": True, "returnType": {"type": "integer"},
                                             "expression": dict(PQL, value="1")})
    direct.dps.created("/item-collections", {"name": "Existing collection", "constraints": []})


CASES = {
    "decision_item": ({"status": "approved", "priority": 1, "eligibility_rule": "Existing rule", "start_date": "2026-01-01T00:00:00Z",
                       "attributes": {"colour": "gold", "fee": 95}},
                      {"priority": 7, "eligibility_rule": "Existing rule"}, "itemPriority"),
}


def _run(aep, aep_emulator, module, args, **kwargs):
    task = "- name: task\n  aep.offers.%s: %s\n" % (module, json.dumps(args))
    before = aep_emulator.stats()
    result = aep.playbook(aep.tasks(task), env=dict(ITEM_ENV, AEP_OFFERS_API="xcore"), **kwargs)
    after = aep_emulator.stats()
    assert api_requests(after, "xcore") == api_requests(before, "xcore")  # api: xcore is ignored
    return result, api_writes(after) - api_writes(before)


# Every Decisioning kind's life is proven in-process (tests/contract/test_life.py, the formula's write-only definedOn
# and the placement that dps cannot delete included); here, through ansible-playbook, an item: its schema from
# AEP_ITEM_SCHEMA_ID, with --diff. (test_write_only_defined_on_is_sent_but_never_a_change_on_its_own is a formula's.)
@pytest.mark.parametrize("module", sorted(CASES))
def test_decisioning_module_life(aep, direct, aep_emulator, module):
    _arrange(direct)
    create, change, shown = CASES[module]
    name = "Managed %s" % module

    def run(args, **kwargs):
        result, wrote = _run(aep, aep_emulator, module, args, **kwargs)
        assert result.rc == 0, result.output
        return result.result("task"), wrote, result

    first, wrote, _ = run(dict(create, name=name))
    assert first["changed"] is True and first["action"] == "create" and wrote == 1
    instance_id = first["instance_id"]
    assert instance_id.startswith("dps:")
    again, wrote, _ = run(dict(create, name=name))
    assert again["changed"] is False and wrote == 0, again
    target = dict(change, instance_id=instance_id)
    plan, wrote, run_output = run(target, check=True, diff=True)
    assert plan["changed"] is True and plan["patch"] and wrote == 0
    assert shown in run_output.stdout  # the diff shows the change
    done, wrote, _ = run(target)
    assert done["changed"] is True and wrote == 1
    assert done["etag"] == first["etag"] + 1
    assert direct.dps.obj("%s/%s" % (ENDPOINTS[module], instance_id), **ITEM_HEADERS)["etag"] == done["etag"]
    steady, wrote, _ = run(target)
    assert steady["changed"] is False and wrote == 0
    gone, wrote, _ = run({"instance_id": instance_id, "state": "absent", "confirm": "prod"})
    assert gone["changed"] is True and wrote == 1
    assert direct.dps.get("%s/%s" % (ENDPOINTS[module], instance_id), **ITEM_HEADERS).status_code == 404
    again, wrote, _ = run({"instance_id": instance_id, "state": "absent", "confirm": "prod"})
    assert again["changed"] is False and wrote == 0


SETUP = """
- name: rule
  aep.offers.eligibility_rule: {name: Gold members, condition: !unsafe 'profile.loyalty.tier = "gold"'}
- name: formula
  aep.offers.ranking_formula:
    name: Boosted priority
    expression: offer.rank.priority * 2
    defined_on: %(defined_on)s
- name: placement
  aep.offers.decisioning_placement: {name: Email hero, channel: email, status: active}
- name: items
  aep.offers.decision_item:
    name: "{{ item.name }}"
    priority: "{{ item.priority }}"
    status: approved
    eligibility_rule: Gold members
    attributes: "{{ item.attributes }}"
  loop:
    - {name: Gold card, priority: 10, attributes: {colour: gold, fee: 95}}
    - {name: Silver card, priority: 5, attributes: {colour: silver, fee: 0}}
  module_defaults:
    aep.offers.decision_item: {schema_id: %(schema)s, catalog_id: %(catalog)s, tenant: acme}
- name: collection
  aep.offers.item_collection:
    name: Gold items
    catalog_id: %(catalog)s
    constraints:
      - {attribute: _acme.colour, operator: equals, value: gold}
      - {attribute: _experience.decisioning.decisionitem.itemPriority, operator: greater than, value: 5}
- name: strategy
  aep.offers.selection_strategy:
    name: Gold for gold members
    collection: Gold items
    eligibility_rule: Gold members
    ranking_formula: Boosted priority
    priority: 1
""" % dict(defined_on=json.dumps(DEFINED_ON), schema=SCHEMA, catalog=CATALOG)


def test_a_whole_decisioning_setup_by_names_then_a_rerun_writes_nothing(aep, direct, aep_emulator):
    play = aep.tasks(SETUP)
    first = aep.playbook(play)
    assert first.rc == 0, first.output
    assert first.totals("changed") == 6, first.output  # a loop counts once
    [strategy] = direct.dps.all("/selection-strategies")
    [rule] = [r for r in direct.dps.all("/offer-rules") if r.get("exdRule")]
    [formula] = direct.dps.all("/ranking-formulas")
    [collection] = direct.dps.all("/item-collections")
    assert strategy["optionSelection"] == {"filter": collection["id"]}
    assert strategy["profileConstraint"] == {"profileConstraintType": "eligibilityRule", "eligibilityRule": rule["id"]}
    assert strategy["rank"] == {"priority": 1, "order": {"orderEvaluationType": "scoringFunction", "function": formula["id"]}}
    items = dict((i["_experience"]["decisioning"]["decisionitem"]["itemName"], i) for i in direct.dps.all("/offer-items", **ITEM_HEADERS))
    assert items["Gold card"]["_acme"] == {"colour": "gold", "fee": 95}
    assert items["Gold card"]["_experience"]["decisioning"]["decisionitem"]["itemConstraints"] == {
        "profileConstraintType": "eligibilityRule", "eligibilityRule": rule["id"]}
    assert items["Silver card"]["_experience"]["decisioning"]["decisionitem"]["itemCatalogID"] == CATALOG
    before = aep_emulator.stats()
    again = aep.playbook(play)
    assert again.rc == 0 and again.totals("changed") == 0, again.output
    assert api_writes(aep_emulator.stats()) == api_writes(before)


def test_a_reserialized_ui_model_is_no_change(tmp_path):
    with run_emulator(reserialize_ui_model=True) as emulator:
        aep = Aep(emulator, tmp_path)
        task = ("- name: task\n  aep.offers.item_collection:\n    name: Gold items\n    catalog_id: %s\n"
                "    constraints: [{attribute: _acme.colour, operator: equals, value: gold}]\n" % CATALOG)
        play = aep.tasks(task)
        first = aep.playbook(play)
        assert first.rc == 0 and first.result("task")["changed"] is True, first.output
        [stored] = ApiClient(emulator, org=ORG).dps.all("/item-collections")
        sent = json.dumps({"operator": "equals", "value": {"left": "_acme.colour", "right": "gold"}}, sort_keys=True, separators=(",", ":"))
        assert stored["constraints"][0]["uiModel"] != sent  # the server wrote it its own way
        assert json.loads(stored["constraints"][0]["uiModel"]) == json.loads(sent)
        before = emulator.stats()
        again = aep.playbook(play, "--diff")
        assert again.rc == 0 and again.result("task")["changed"] is False, again.output
        assert api_writes(emulator.stats()) == api_writes(before)


def test_write_only_defined_on_is_sent_but_never_a_change_on_its_own(aep, direct, aep_emulator):
    module, args = "ranking_formula", {"expression": "1"}
    name = "Write-only %s" % module
    first, wrote = _run(aep, aep_emulator, module, dict(args, name=name, defined_on=DEFINED_ON))
    assert first.rc == 0 and wrote == 1, first.output
    instance_id = first.result("task")["id"]
    assert "definedOn" not in direct.dps.obj("%s/%s" % (ENDPOINTS[module], instance_id))  # the API does not show it
    # Another definedOn alone: nothing to write, as the server's cannot be compared.
    other = {"offer": {"schema": {"altId": "_xdm.context.other", "version": "1"}}}
    steady, wrote = _run(aep, aep_emulator, module, dict(args, name=name, defined_on=other))
    assert steady.rc == 0 and steady.result("task")["changed"] is False and wrote == 0, steady.output
    # Along with another change it is sent (PUT replaces the whole object, so it is kept).
    changed, wrote = _run(aep, aep_emulator, module, dict(args, name=name, description="now", defined_on=other))
    assert changed.rc == 0 and wrote == 1
    assert {"op": "add", "path": "/definedOn", "value": other} in changed.result("task")["patch"]
    # The emulator keeps what it does not show: a test op of another user's patch finds the new definedOn.
    aep_emulator.dps_mutate(instance_id, [{"op": "test", "path": "/definedOn", "value": other}])
    with pytest.raises(requests.HTTPError):
        aep_emulator.dps_mutate(instance_id, [{"op": "test", "path": "/definedOn", "value": DEFINED_ON}])


def test_a_missing_schema_id_fails_naming_it_before_any_request(aep, aep_emulator):
    before = aep_emulator.stats()
    for state in ("present", "absent"):
        task = "- name: task\n  aep.offers.decision_item: {name: Gold card, state: %s, confirm: prod}\n" % state
        run = aep.playbook(aep.tasks(task), env={"AEP_ITEM_SCHEMA_ID": ""})
        assert run.rc != 0 and "schema_id" in run.result("task")["msg"], run.output
        assert "Traceback" not in run.output
    assert api_requests(aep_emulator.stats(), "dps") == api_requests(before, "dps")


def test_rule_families_do_not_see_each_other(aep, direct, aep_emulator):
    legacy = direct.dps.created("/offer-rules", {"name": "Shared name", "condition": dict(PQL, value="true")})["id"]
    exd = direct.dps.created("/offer-rules", {"name": "Shared name", "exdRule": True, "condition": dict(PQL, value="true")})["id"]
    tasks = aep.tasks(
        "- name: exd\n  aep.offers.eligibility_rule: {name: Shared name, condition: 'true'}",
        "- name: legacy\n  aep.offers.decision_rule: {name: Shared name, condition: 'true', api: dps}",
        "- name: exd by legacy id\n  aep.offers.eligibility_rule: {instance_id: %s, description: x}\n  ignore_errors: true" % legacy,
    )
    run = aep.playbook(tasks)
    assert run.result("exd")["id"] == exd and run.result("exd")["changed"] is False, run.output
    assert run.result("legacy")["id"] == legacy and run.result("legacy")["changed"] is False
    assert "no eligibility rule has instance_id" in run.result("exd by legacy id")["msg"]


def test_offer_library_converges_decisioning_lists_through_dps_even_with_api_xcore(aep, direct, aep_emulator):
    library = {
        "eligibility_rules": [{"name": "Gold members", "condition": "profile.tier = 'gold'"}],
        "ranking_formulas": [{"name": "Boosted priority", "expression": "offer.rank.priority * 2", "defined_on": DEFINED_ON}],
        "decisioning_placements": [{"name": "Email hero", "channel": "email", "status": "active"}],
        "decision_items": [{"name": "Gold card", "schema_id": SCHEMA, "tenant": "acme", "priority": 3, "eligibility_rule": "Gold members",
                            "attributes": {"colour": "gold"}}],
        "item_collections": [{"name": "Gold items", "catalog_id": CATALOG,
                              "constraints": [{"attribute": "_acme.colour", "operator": "equals", "value": "gold"}]}],
        "selection_strategies": [{"name": "Gold first", "collection": "Gold items", "eligibility_rule": "Gold members",
                                  "ranking_formula": "Boosted priority"}],
        "collection_qualifiers": [{"name": "Summer"}],
    }
    task = "- name: task\n  aep.offers.offer_library: %s\n" % json.dumps(dict(library, api="xcore"))
    plan = aep.playbook(aep.tasks(task), check=True)
    assert plan.rc == 0, plan.output
    planned = plan.result("task")
    assert planned["summary"]["create"] == 7
    strategy = [r for r in planned["results"] if r["kind"] == "selection_strategies"][0]
    assert strategy["action"] == "create"
    applied = aep.playbook(aep.tasks(task))
    assert applied.rc == 0 and applied.result("task")["summary"]["create"] == 7, applied.output
    stats = aep_emulator.stats()
    assert api_writes(stats, "xcore") == 1 and api_writes(stats, "dps") == 6  # the qualifier through xcore
    [strategy] = direct.dps.all("/selection-strategies")
    assert strategy["rank"]["order"]["orderEvaluationType"] == "scoringFunction"
    again = aep.playbook(aep.tasks(task))
    assert again.rc == 0 and again.result("task")["summary"]["none"] == 7 and again.result("task")["changed"] is False
    assert api_writes(aep_emulator.stats(), "dps") == 6
    # prune deletes what the declaration no longer names, references first; placements cannot be deleted and stay
    pruned = dict(library, selection_strategies=[], item_collections=[], decision_items=[], decisioning_placements=[], prune=True,
                  confirm="prod")
    pruned.pop("collection_qualifiers")
    gone = aep.playbook(aep.tasks("- name: task\n  aep.offers.offer_library: %s\n" % json.dumps(pruned)),
                        env={"AEP_ITEM_SCHEMA_ID": SCHEMA})  # no item names a schema: the environment's is listed
    assert gone.rc == 0 and gone.result("task")["summary"]["delete"] == 3, gone.output
    assert direct.dps.all("/offer-items", **ITEM_HEADERS) == [] and len(direct.dps.all("/exd-placements")) == 1


def test_info_lists_decisioning_kinds_as_module_options(aep, direct, aep_emulator):
    run = aep.playbook(aep.tasks(SETUP))
    assert run.rc == 0, run.output
    tasks = aep.tasks(
        "- name: strategies\n  aep.offers.offer_library_info: {kind: selection_strategy, resolve_names: true, api: xcore}",
        "- name: items\n  aep.offers.offer_library_info: {kind: decision_item, schema_id: %s, name: Gold card}" % SCHEMA,
        "- name: rules\n  aep.offers.offer_library_info: {kind: eligibility_rule}",
        "- name: collections\n  aep.offers.offer_library_info: {kind: item_collection}",
        "- name: no schema\n  aep.offers.offer_library_info: {kind: decision_item}\n  ignore_errors: true",
    )
    info = aep.playbook(tasks, env={"AEP_ITEM_SCHEMA_ID": ""})
    [strategy] = info.result("strategies")["objects"]
    assert strategy["options"] == {"name": "Gold for gold members", "collection": "Gold items", "eligibility_rule": "Gold members",
                                   "ranking_formula": "Boosted priority", "priority": 1}
    [item] = info.result("items")["objects"]
    assert item["options"]["schema_id"] == SCHEMA and item["options"]["tenant"] == "acme"
    assert item["options"]["attributes"] == {"colour": "gold", "fee": 95}
    assert [r["options"]["name"] for r in info.result("rules")["objects"]] == ["Gold members"]
    [collection] = info.result("collections")["objects"]
    assert collection["options"]["constraints"][0] == {"attribute": "_acme.colour", "operator": "equals", "value": "gold"}
    assert "schema_id" in info.result("no schema")["msg"]


def test_a_rule_still_in_use_is_not_deleted_and_its_users_are_named(aep, direct, aep_emulator):
    run = aep.playbook(aep.tasks(SETUP))
    assert run.rc == 0, run.output
    refused = aep.playbook(aep.tasks("- name: task\n  aep.offers.eligibility_rule: {name: Gold members, state: absent, confirm: prod}\n"))
    assert refused.rc != 0
    message = refused.result("task")["msg"]
    assert "refused to delete eligibility rule 'Gold members'" in message and "412" not in message, message
    # Items cannot be listed without a schema here, but the API's own detail names every referrer.
    items = [i["id"] for i in direct.dps.all("/offer-items", **ITEM_HEADERS)]
    assert len(items) == 2 and all(item in message for item in items), message
    assert "selection strategy 'Gold for gold members'" in message, message
    assert [r for r in direct.dps.all("/offer-rules") if r.get("exdRule")]
