"""A whole library in one task (offer_library), through each API: plan before the first write, apply in dependency
order, rerun with no write, prune, planned names, paging, files and directories as src."""

import json

import pytest

from conftest import CATALOG, SCHEMA

TEXT = [{"type": "text", "format": "text/plain", "language": ["en-us"], "content": "Hi"}]


def representations(placement="Web banner"):
    return [{"placement": placement, "channel": "web", "components": TEXT}]


LIBRARY = {
    "placements": [{"name": "Web banner", "channel": "web", "component_type": "text"},
                   {"name": "Email hero", "channel": "email", "component_type": "html"}],
    "collection_qualifiers": [{"name": "Summer"}, {"name": "Winter"}],
    "decision_rules": [{"name": "Adults", "condition": "profile.person.age > 18"}],
    "offers": [{"name": "Sale", "status": "approved", "representations": representations(), "tags": ["Summer"],
                "eligibility_rule": "Adults", "priority": 2},
               {"name": "Clearance", "status": "draft", "representations": representations("Email hero"), "tags": ["Winter"]}],
    "fallback_offers": [{"name": "Default", "status": "approved", "representations": representations()}],
    "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]}, {"name": "Picked", "offers": ["Sale", "Clearance"]}],
    "decisions": [{"name": "Home page", "status": "draft", "fallback": "Default",
                   "criteria": [{"placements": ["Web banner"], "collection": "Summer offers", "eligibility_rule": "Adults"}]}],
}
DECISIONING = {
    "eligibility_rules": [{"name": "Gold members", "condition": 'profile.loyalty.tier = "gold"'}, {"name": "Everyone", "condition": "true"}],
    "ranking_formulas": [{"name": "Boosted", "expression": "offer.rank.priority * 2"}],
    "item_collections": [{"name": "Gold items", "catalog_id": CATALOG,
                          "constraints": [{"attribute": "_acme.colour", "operator": "equals", "value": "gold"}]}],
    "decision_items": [{"name": "Gold card", "schema_id": SCHEMA, "catalog_id": CATALOG, "status": "approved", "priority": 10,
                        "eligibility_rule": "Gold members", "tenant": "acme", "attributes": {"colour": "gold"}}],
    "selection_strategies": [{"name": "Gold for gold", "collection": "Gold items", "eligibility_rule": "Gold members",
                              "ranking_formula": "Boosted"}],
}
COUNT = sum(len(items) for items in LIBRARY.values())


def test_plan_apply_rerun(sandbox):
    with sandbox.counting() as sent:
        plan = sandbox.run("offer_library", check=True, diff=True, **LIBRARY)
    assert plan["summary"]["create"] == COUNT and plan["changed"] is True
    # what is created later shows as known after apply: the plan is whole before anything exists
    decision = [r for r in plan["results"] if r["name"] == "Home page"][0]
    assert decision["action"] == "create"
    assert sum(1 for d in plan["diff"] if "(known after apply: collection Summer offers)" in json.dumps(d)) == 1
    with sandbox.counting() as sent:
        done = sandbox.run("offer_library", **LIBRARY)
    assert done["summary"]["create"] == COUNT and sent.writes == COUNT
    with sandbox.counting() as sent:
        again = sandbox.run("offer_library", **LIBRARY)
    assert again["summary"]["none"] == COUNT and again["changed"] is False and sent.writes == 0
    # one paged read per kind (and xcore's container), never one per object
    assert sent.reads == len(LIBRARY) + (1 if sandbox.api == "xcore" else 0)
    options = sandbox.options("decision", "Home page")
    assert options["criteria"] == [{"placements": ["Web banner"], "collection": "Summer offers", "eligibility_rule": "Adults"}]


def test_decisioning_library_plan_apply_rerun(dps):
    plan = dps.run("offer_library", check=True, **DECISIONING)
    assert plan["summary"]["create"] == 6
    done = dps.run("offer_library", **DECISIONING)
    assert done["summary"]["create"] == 6
    with dps.counting() as sent:
        again = dps.run("offer_library", **DECISIONING)
    assert again["summary"]["none"] == 6 and sent.writes == 0, again
    assert dps.options("selection_strategy", "Gold for gold")["ranking_formula"] == "Boosted"


def test_every_object_is_planned_before_the_first_write(sandbox):
    broken = dict(LIBRARY, offers=LIBRARY["offers"] + [{"name": "Lost", "representations": representations("No such placement")}],
                  decisions=[dict(LIBRARY["decisions"][0], criteria=[{"placements": ["Nowhere"], "collection": "Summer offers"}])])
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_library", **broken)
    assert failed["msg"].startswith("2 of %d objects cannot be planned, so nothing was written: " % (COUNT + 1)), failed["msg"]
    assert "offers[2].representations[].placement: no placement is named 'No such placement'" in failed["msg"]
    assert "decisions[0].criteria[].placements: no placement is named 'Nowhere'" in failed["msg"]
    assert sent.writes == 0 and len(failed["problems"]) == 2


def test_continue_on_error_applies_the_rest_and_says_what_it_skipped(sandbox):
    broken = dict(LIBRARY, offers=LIBRARY["offers"] + [{"name": "Lost", "representations": representations("Nowhere")}])
    failed = sandbox.fails("offer_library", continue_on_error=True, **broken)
    lost = [r for r in failed["results"] if r["name"] == "Lost"][0]
    assert lost["failed"] and lost["msg"].startswith("skipped: offers[2].representations[].placement")
    assert failed["summary"]["create"] == COUNT and failed["summary"]["failed"] == 1


def test_a_failed_create_fails_what_refers_to_it(sandbox):
    sandbox.emulator.faults(fail_next=[{"status": 400, "method": "POST"}])  # the first create: a placement
    failed = sandbox.fails("offer_library", continue_on_error=True, placements=LIBRARY["placements"][:1],
                           offers=[{"name": "Sale", "representations": representations()}])
    by_name = dict((r["name"], r) for r in failed["results"])
    assert by_name["Web banner"]["failed"] and by_name["Sale"]["failed"]
    assert "the placement 'Web banner' it refers to was not created" in by_name["Sale"]["msg"]


def test_a_name_declared_twice_is_refused_before_any_request(sandbox):
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_library", collection_qualifiers=[{"name": "Summer"}, {"name": "Summer"}])
    assert failed["msg"] == "collection_qualifiers[1].name: 'Summer' is declared twice" and sent.reads == 0


def test_prune_deletes_what_the_declared_kinds_do_not_name_references_first(sandbox):
    sandbox.run("offer_library", **LIBRARY)
    kept = dict(LIBRARY, collections=LIBRARY["collections"][:1], offers=LIBRARY["offers"][:1])
    plan = sandbox.run("offer_library", check=True, prune=True, **kept)
    assert sorted(r["name"] for r in plan["results"] if r["action"] == "delete") == ["Clearance", "Picked"]
    with sandbox.counting() as sent:
        done = sandbox.run("offer_library", prune=True, confirm="prod", **kept)
    deleted = [r["name"] for r in done["results"] if r["action"] == "delete"]
    assert deleted == ["Picked", "Clearance"] and sent.by_method["DELETE"] == 2  # the collection that uses the offer first
    # a kind the task does not declare is left alone
    sandbox.run("offer_library", prune=True, confirm="prod", collection_qualifiers=LIBRARY["collection_qualifiers"] + [{"name": "Autumn"}])
    assert len(sandbox.info("offer")) == 1 and len(sandbox.info("collection_qualifier")) == 3


def test_prune_of_an_empty_list_empties_that_kind(sandbox):
    sandbox.run("offer_library", collection_qualifiers=[{"name": "A"}, {"name": "B"}])
    done = sandbox.run("offer_library", prune=True, confirm="prod", collection_qualifiers=[])
    assert done["summary"]["delete"] == 2 and sandbox.info("collection_qualifier") == []


def test_prune_leaves_what_the_api_cannot_delete(dps):
    dps.run("offer_library", decisioning_placements=[{"name": "Hero", "channel": "email", "status": "active",
                                                      "channel_configuration": "530b76f9-dcd6-4fd5-8c52-38e29b04a60a"}])
    done = dps.run("offer_library", prune=True, confirm="prod", decisioning_placements=[])
    assert done["summary"]["delete"] == 0 and len(dps.info("decisioning_placement")) == 1


def test_planned_names_are_references_known_after_apply_in_check_mode(sandbox):
    offers = [{"name": "Sale", "representations": representations("Planned placement"), "tags": ["Planned tag"]}]
    plan = sandbox.run("offer_library", check=True, diff=True, offers=offers, planned_names=["Planned placement", "Planned tag"])
    assert plan["summary"]["create"] == 1
    assert "(known after apply: placement Planned placement)" in json.dumps(plan["diff"])
    # outside check mode a planned name is not a licence: it must exist
    failed = sandbox.fails("offer_library", offers=offers, planned_names=["Planned placement", "Planned tag"])
    assert "is named 'Planned" in failed["msg"] and "cannot be planned, so nothing was written" in failed["msg"]


def test_many_pages_are_read_whole(sandbox):
    qualifiers = [{"name": "Q%03d" % n} for n in range(130)]
    sandbox.run("offer_library", collection_qualifiers=qualifiers, parallel=8)
    with sandbox.counting() as sent:
        again = sandbox.run("offer_library", collection_qualifiers=qualifiers)
    assert again["summary"]["none"] == 130 and sent.writes == 0
    assert sent.reads == 2 + (1 if sandbox.api == "xcore" else 0)  # 100 a page
    assert len(sandbox.info("collection_qualifier")) == 130


def test_src_is_a_file_or_a_directory_of_files(sandbox, tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "placements.yml").write_text("placements:\n  - {name: Web banner, channel: web, component_type: text}\n")
    (folder / "offers.json").write_text(json.dumps({"offers": [{"name": "Sale", "representations": representations()}]}))
    (folder / "README.md").write_text("not a declaration")
    done = sandbox.run("offer_library", src=str(folder))
    assert done["summary"]["create"] == 2
    assert sandbox.run("offer_library", src=str(folder / "placements.yml"))["summary"]["none"] == 1
    (folder / "more.yml").write_text("placements: []\n")
    failed = sandbox.fails("offer_library", src=str(folder))
    assert "placements is given both by" in failed["msg"]


@pytest.mark.parametrize("text, message", [("- a\n", "must hold a mapping of lists"), ("widgets: []\n", "unknown key(s) widgets"),
                                           ("offers: {}\n", "offers must be a list"), ("offers: [\n", "is not valid YAML")])
def test_a_bad_src_is_refused_naming_the_file(sandbox, tmp_path, text, message):
    path = tmp_path / "library.yml"
    path.write_text(text)
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_library", src=str(path))
    assert message in failed["msg"] and str(path) in failed["msg"] and sent.reads == 0


# Removing a library, and what deleting asks for ------------------------------------------------------

def test_state_absent_removes_the_library_references_first_then_changes_nothing(sandbox):
    sandbox.run("offer_library", **LIBRARY)
    sandbox.run("collection_qualifier", name="Not declared")
    plan = sandbox.run("offer_library", check=True, state="absent", **LIBRARY)
    assert plan["plan"] == {"create": 0, "update": 0, "delete": COUNT, "unchanged": 0}
    assert plan["plan_text"] == "Plan: 0 to create, 0 to update, %d to delete in sandbox prod through %s" % (COUNT, sandbox.api)
    with sandbox.counting() as sent:
        gone = sandbox.run("offer_library", state="absent", confirm="prod", **LIBRARY)
    assert sent.by_method["DELETE"] == COUNT and gone["summary"]["delete"] == COUNT
    order = [r["kind"] for r in gone["results"]]
    assert order.index("decisions") < order.index("collections") < order.index("offers") < order.index("placements")
    assert [o["options"]["name"] for o in sandbox.info("collection_qualifier")] == ["Not declared"]
    with sandbox.counting() as sent:
        again = sandbox.run("offer_library", state="absent", confirm="prod", **LIBRARY)
    assert again["changed"] is False and again["plan"]["unchanged"] == COUNT and sent.writes == 0


def test_state_absent_keeps_what_the_api_cannot_delete_and_says_why(dps):
    library = dict(DECISIONING, decisioning_placements=[{"name": "Hero", "channel": "email", "status": "active",
                                                         "channel_configuration": "530b76f9-dcd6-4fd5-8c52-38e29b04a60a"}])
    dps.run("offer_library", **library)
    gone = dps.run("offer_library", state="absent", confirm="prod", **library)
    kept = [r for r in gone["results"] if r["action"] == "keep"]
    assert [r["name"] for r in kept] == ["Hero"] and "cannot delete" in kept[0]["msg"]
    assert gone["summary"]["delete"] == 6 and gone["plan"]["unchanged"] == 1
    assert [o["options"]["name"] for o in dps.info("decisioning_placement")] == ["Hero"]


@pytest.mark.parametrize("task", [dict(module="offer_library", state="absent", collection_qualifiers=[{"name": "Summer"}]),
                                  dict(module="offer_library", prune=True, collection_qualifiers=[]),
                                  dict(module="collection_qualifier", name="Summer", state="absent")])
def test_a_delete_needs_its_sandbox_named_and_confirmed(sandbox, task):
    task = dict(task)
    module = task.pop("module")
    sandbox.run("collection_qualifier", name="Summer")
    with sandbox.counting() as sent:
        failed = sandbox.fails(module, **dict(task, sandbox=None))
    assert failed["msg"].startswith("sandbox: this task deletes, so it must name its sandbox") and sent.reads == 0
    for confirm, expected in ((None, "set confirm: prod to go ahead"), ("dev", "'dev' is not the sandbox")):
        with sandbox.counting() as sent:
            failed = sandbox.fails(module, **dict(task, confirm=confirm))
        assert failed["msg"].startswith("confirm: ") and expected in failed["msg"] and sent.reads == 0
    plan = sandbox.run(module, check=True, **task)  # check mode needs no confirmation
    assert plan["changed"] is True
    done = sandbox.run(module, confirm="prod", **task)
    assert done["changed"] is True and sandbox.info("collection_qualifier") == []


def test_a_task_that_only_writes_keeps_its_default_sandbox(sandbox):
    made = sandbox.run("collection_qualifier", name="Summer", sandbox=None)
    assert made["changed"] is True
    assert [o["options"]["name"] for o in sandbox.info("collection_qualifier")] == ["Summer"]  # prod, the default


def test_prune_and_state_absent_are_one_or_the_other(sandbox):
    failed = sandbox.fails("offer_library", state="absent", prune=True, confirm="prod", collection_qualifiers=[])
    assert failed["msg"].startswith("prune: ")
