"""The roles and playbooks: set a sandbox up from variables, export it, promote it, check mode, prune, teardown."""

import re
from pathlib import Path

import pytest
import yaml

from aep_emulator.testing import ApiClient
from conftest import ORG, REPO
from test_offer_instance import writes

LIBRARY = Path(__file__).resolve().parent / "vars" / "roles_library.yml"
PLAYBOOKS = REPO / "playbooks"
KIND_FILES = ["collection_qualifiers.yml", "collections.yml", "decision_rules.yml", "decisions.yml",
              "fallback_offers.yml", "offers.yml", "placements.yml"]
DECISIONING = Path(__file__).resolve().parent / "vars" / "roles_decisioning.yml"
DECISIONING_FILES = sorted(KIND_FILES + ["decision_items.yml", "decisioning_placements.yml", "eligibility_rules.yml",
                                         "item_collections.yml", "ranking_formulas.yml", "selection_strategies.yml"])
SCHEMA = "https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c"  # the source's, in roles_decisioning.yml
CATALOG = "0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d"


class _UnsafeLoader(yaml.SafeLoader):
    """Reads exported files: a !unsafe string is kept, with a marker, so tests see which strings were tagged."""


_UnsafeLoader.add_constructor("!unsafe", lambda loader, node: "<unsafe>" + loader.construct_scalar(node))


def load_export(directory, expected=KIND_FILES):
    """{file name: content} of an export, the header comments (which name the sandbox) left out."""
    files = sorted(p.name for p in Path(directory).iterdir())
    assert files == expected, files
    return {name: "\n".join(line for line in (Path(directory) / name).read_text().splitlines() if not line.startswith("#"))
            for name in files}


def result(run, task):
    """The result of the (last) role task named ``task`` (the callback names it ``role : task``)."""
    found = [dict(r["result"], _status=r["status"]) for r in run.results if r["task"].split(" : ", 1)[-1] == task]
    assert found, "no task named %r ran; tasks: %s\n%s" % (task, [r["task"] for r in run.results], run.output)
    return found[-1]


def apply(aep, sandbox="dev", library=LIBRARY, **kwargs):
    extra_vars = dict(kwargs.pop("extra_vars", {}), aep_sandbox=sandbox, library=str(library))
    return aep.playbook("roles_apply.yml", extra_vars=extra_vars, **kwargs)


def export(aep, sandbox, directory, expected=KIND_FILES, **extra_vars):
    run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", extra_vars=dict(extra_vars, sandbox=sandbox, export_dir=str(directory)))
    assert run.rc == 0, run.output
    return load_export(directory, expected)


@pytest.mark.smoke
def test_setup_export_promote_rerun_and_plan(aep, aep_emulator):
    setup = apply(aep, "dev")
    assert setup.rc == 0, setup.output
    assert setup.totals("changed") == 5, setup.output  # sandbox_setup: a task per kind; offer_catalog: one offer_library task
    ids = result(setup, "Publish the @ids of the objects by name")["ansible_facts"]["sandbox_setup_ids"]
    assert set(ids["placements"]) == {"Web banner", "Email hero"}
    assert all(v.startswith("xcore:offer-placement:") for v in ids["placements"].values())

    source = export(aep, "dev", aep.tmp_path / "dev")
    parsed = {name: yaml.load(text, Loader=_UnsafeLoader) for name, text in source.items()}
    offers = parsed["offers.yml"]["offer_catalog_offers"]
    assert [o["name"] for o in offers] == ["Loyal summer", "Summer sale"]  # sorted by name
    summer = offers[1]
    assert summer["eligibility_rule"] == "Gold members" and summer["tags"] == ["Loyalty", "Summer"]
    assert summer["representations"][0]["components"][0]["content"] == "<unsafe>Hi {{profile.person.name.firstName}}, 20% off!"
    assert summer["representations"][1]["components"][0]["content"] == "<h1>Summer sale</h1>"  # no braces, not tagged
    rule = parsed["decision_rules.yml"]["sandbox_setup_rules"][0]
    assert rule["condition"] == '<unsafe>profile.loyalty.tier.equals("gold", false) and {{not templated}} = null'
    decision = parsed["decisions.yml"]["offer_catalog_decisions"][0]
    assert decision["fallback"] == "Default banner" and decision["criteria"][1]["collection"] == "Hand picked"
    assert "xcore:" not in "".join(source.values())  # names, not ids

    promote_vars = {"source_sandbox": "dev", "target_sandbox": "stage", "promote_dir": str(aep.tmp_path / "promote")}
    before = aep_emulator.stats()
    plan = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars, check=True)
    assert plan.rc == 0, plan.output
    assert plan.totals("changed") > 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    planned = result(plan, "Converge the catalog")
    assert planned["changed"] is True, planned
    assert [r["action"] for r in planned["results"] if r["kind"] == "decisions"] == ["create"]

    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert promote.rc == 0, promote.output
    assert promote.totals("changed") > 0, promote.output
    target = export(aep, "stage", aep.tmp_path / "stage")
    assert target == source  # equal apart from ids

    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert rerun.rc == 0, rerun.output
    assert rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    print("\n".join(["promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))


def test_check_mode_on_a_changed_variable_file_writes_nothing(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    changed = tmp_path / "changed.yml"
    text = LIBRARY.read_text().replace("content: Thanks for staying", "content: Thanks for staying with us")
    changed.write_text(text + "\n")
    before = aep_emulator.stats()
    plan = apply(aep, "dev", library=changed, check=True, diff=True, extra_vars={"summer_priority": 11})
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert plan.totals("changed") == 1, plan.output  # the offers task
    offers = {r["name"]: r for r in result(plan, "Converge the catalog")["results"] if r["kind"] == "offers"}
    assert offers["Summer sale"]["patch"] == [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 11}]
    assert offers["Loyal summer"]["changed"] is True and offers["Loyal summer"]["action"] == "update"
    assert "Thanks for staying with us" in plan.stdout  # the diff


def test_check_mode_on_an_empty_sandbox_plans_everything(aep, aep_emulator):
    before = aep_emulator.stats()
    plan = apply(aep, "stage", check=True)
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    # Every task with items plans a change, even those whose references would only be created by this run.
    for task in ("Converge the placements", "Converge the fallback offers", "Converge the catalog"):
        assert result(plan, task)["changed"] is True, task
    catalog = result(plan, "Converge the catalog")["results"]
    assert {r["kind"] for r in catalog} == {"offers", "collections", "decisions"}
    assert all(r["action"] == "create" for r in catalog), catalog
    assert result(plan, "Publish the @ids of the objects by name")["ansible_facts"]["sandbox_setup_ids"]["placements"] == {
        "Web banner": None, "Email hero": None}


def test_prune_deletes_offers_the_catalog_does_not_name(aep, aep_emulator):
    setup = apply(aep, "dev")
    assert setup.rc == 0, setup.output
    assert result(setup, "Delete the offers the catalog does not name")["_status"] == "skipped"  # prune is off by default
    fewer = aep.tmp_path / "fewer.yml"
    data = LIBRARY.read_text().replace("offer_catalog_collections:\n  - {name: Summer offers, filter_type: anyTags, qualifiers: [Summer]}\n"
                                       "  - {name: Hand picked, filter_type: offers, offers: [Summer sale, Loyal summer]}",
                                       "offer_catalog_collections:\n  - {name: Summer offers, filter_type: anyTags, qualifiers: [Summer]}\n"
                                       "  - {name: Hand picked, filter_type: offers, offers: [Summer sale]}")
    data = re.sub(r"  - name: Loyal summer\n(    .*\n|      .*\n)*", "", data)
    fewer.write_text(data)
    assert "Loyal summer" not in data.split("offer_catalog_collections")[0]

    before = aep_emulator.stats()
    plan = apply(aep, "dev", library=fewer, check=True, extra_vars={"offer_catalog_prune": True})
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert result(plan, "List the offers that prune deletes")["msg"] == "Would delete 1 offer(s): Loyal summer"
    assert result(plan, "Delete the offers the catalog does not name")["changed"] is True

    pruned = apply(aep, "dev", library=fewer, extra_vars={"offer_catalog_prune": True})
    assert pruned.rc == 0, pruned.output
    assert result(pruned, "Delete the offers the catalog does not name")["changed"] is True
    again = apply(aep, "dev", library=fewer, extra_vars={"offer_catalog_prune": True})
    assert again.rc == 0 and again.totals("changed") == 0, again.output


def test_teardown_removes_the_managed_objects_and_keeps_the_rest(aep, aep_emulator):
    assert apply(aep, "dev").rc == 0
    other = ApiClient(aep_emulator, org=ORG, sandbox="dev")
    other.placement("Kiosk screen")
    plan_before = aep_emulator.stats()
    plan = apply(aep, "dev", check=True, extra_vars={"roles_teardown": True})
    assert plan.rc == 0 and plan.totals("changed") == 7, plan.output
    assert writes(aep_emulator.stats()) == writes(plan_before)

    gone = apply(aep, "dev", extra_vars={"roles_teardown": True})
    assert gone.rc == 0, gone.output
    assert [r["task"].split(" : ", 1)[-1] for r in gone.results if r["result"].get("changed")] == [
        "Delete the decisions", "Delete the collections", "Delete the offers", "Delete the fallback offers",
        "Delete the decision rules", "Delete the collection qualifiers", "Delete the placements"]
    left = export(aep, "dev", aep.tmp_path / "left")
    placements = yaml.safe_load(left["placements.yml"])["sandbox_setup_placements"]
    assert [p["name"] for p in placements] == ["Kiosk screen"]
    for name, text in left.items():
        if name != "placements.yml":
            assert list(yaml.safe_load(text).values()) == [[]], (name, text)
    assert placements[0]["channel"] == "web"


@pytest.mark.parametrize("text, misspelt, setup", [
    ("sandbox_setup_placements:\n  - {name: Web banner, chanel: web}\noffer_catalog_prune: maybe\n", "chanel", True),
    ("offer_catalog_decision_items:\n  - {name: Gold card, priorty: 3}\n", "priorty", False),
])
def test_bad_variables_fail_before_any_call(aep, aep_emulator, tmp_path, text, misspelt, setup):
    bad = tmp_path / "bad.yml"
    bad.write_text(text)
    before = aep_emulator.stats()
    run = apply(aep, "dev", library=bad, extra_vars={"roles_setup": setup})
    assert run.rc != 0
    assert misspelt in run.output and "argument" in run.output.lower(), run.output
    after = aep_emulator.stats()
    assert sum(after["requests"].values()) == sum(before["requests"].values())
    assert after["token_requests"] == before["token_requests"]


def test_promote_from_a_sandbox_on_xcore_to_one_on_dps(aep, aep_emulator):
    """export_sandbox.yml through xcore, promote.yml into a sandbox managed through dps: equal exports by name,
    and the rerun writes nothing (issue: the dps API)."""
    assert apply(aep, "dev").rc == 0
    source = export(aep, "dev", aep.tmp_path / "dev-xcore")
    promote_vars = {"source_sandbox": "dev", "source_api": "xcore", "target_sandbox": "stage", "target_api": "dps",
                    "promote_dir": str(aep.tmp_path / "promote")}
    before = aep_emulator.stats()
    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert promote.rc == 0, promote.output
    after = aep_emulator.stats()
    assert after["apis"]["xcore"]["writes"] == before["apis"]["xcore"]["writes"]  # the source is only read
    objects = sum(len(items) for text in source.values() for items in yaml.load(text, Loader=_UnsafeLoader).values())
    assert after["apis"]["dps"]["writes"] - before["apis"]["dps"]["writes"] == objects == 11, promote.output  # one create each
    target_run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", env={"AEP_OFFERS_API": "dps"},
                              extra_vars={"sandbox": "stage", "export_dir": str(aep.tmp_path / "stage-dps")})
    assert target_run.rc == 0, target_run.output
    target = load_export(aep.tmp_path / "stage-dps")
    assert target == source  # equal by name, apart from ids
    assert "dps:" not in "".join(target.values())

    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert rerun.rc == 0, rerun.output
    assert rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    print("\n".join(["xcore -> dps promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))


@pytest.mark.smoke
def test_export_and_promote_a_decisioning_sandbox_then_rerun_writes_nothing(aep, aep_emulator):
    """offer_catalog sets a Decisioning sandbox up by names; export_sandbox.yml and promote.yml carry it to another
    sandbox (through dps whatever api says), onto the target's item catalog; a rerun writes nothing."""
    setup = apply(aep, "dev", library=DECISIONING)
    assert setup.rc == 0, setup.output
    ids = result(setup, "Publish the ids of the objects by name")["ansible_facts"]["offer_catalog_ids"]
    assert set(ids["decision_items"]) == {"Gold card", "Silver card"} and ids["offers"] == {}
    assert len(ids["selection_strategies"]) == 2 and all(ids["selection_strategies"].values())
    assert setup.totals("changed") == 1, setup.output  # one offer_library task

    missing = aep.playbook(PLAYBOOKS / "export_sandbox.yml", env={"AEP_ITEM_SCHEMA_ID": ""},
                           extra_vars={"sandbox": "dev", "export_dir": str(aep.tmp_path / "nothing"), "decisioning": True})
    assert missing.rc != 0 and "set sandbox_export_item_schema_id or AEP_ITEM_SCHEMA_ID" in missing.output, missing.output
    source = export(aep, "dev", aep.tmp_path / "dev", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA)
    parsed = {name: yaml.load(text, Loader=_UnsafeLoader) for name, text in source.items()}
    items = parsed["decision_items.yml"]["offer_catalog_decision_items"]
    assert [i["name"] for i in items] == ["Gold card", "Silver card"]
    assert items[0]["eligibility_rule"] == "Gold members" and items[0]["schema_id"] == SCHEMA and items[0]["tenant"] == "acme"
    assert items[0]["attributes"]["headline"] == "<unsafe>Hi {{profile.person.name.firstName}}, go gold"
    strategies = parsed["selection_strategies.yml"]["offer_catalog_selection_strategies"]
    assert strategies[1] == {"name": "Gold for gold members", "collection": "Gold items", "eligibility_rule": "Gold members",
                             "ranking_formula": "Boosted priority", "priority": 1}
    assert parsed["offers.yml"] == {"offer_catalog_offers": []}
    assert "dps:" not in "".join(source.values())  # names, not ids
    assert export(aep, "dev", aep.tmp_path / "dev-only-library") == {name: source[name] for name in KIND_FILES}

    target_schema, target_catalog = SCHEMA.replace("2b0c", "9f9f"), CATALOG.replace("0c6a", "7777")
    promote_vars = {"source_sandbox": "dev", "target_sandbox": "stage", "promote_dir": str(aep.tmp_path / "promote"),
                    "promote_decisioning": True, "source_item_schema_id": SCHEMA,
                    "target_item_schema_id": target_schema, "target_item_catalog_id": target_catalog}
    before = aep_emulator.stats()
    plan = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars, check=True)
    assert plan.rc == 0, plan.output
    after = aep_emulator.stats()
    assert writes(after) == writes(before) and after["apis"]["dps"]["writes"] == before["apis"]["dps"]["writes"]
    planned = result(plan, "Converge the catalog")
    assert planned["summary"]["create"] == 9 and planned["changed"] is True, planned

    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert promote.rc == 0, promote.output
    assert aep_emulator.stats()["apis"]["dps"]["writes"] - before["apis"]["dps"]["writes"] == 9, promote.output  # one create each
    target = export(aep, "stage", aep.tmp_path / "stage", DECISIONING_FILES, decisioning=True, item_schema_id=target_schema)
    onto_target = dict(source, **{
        name: source[name].replace(SCHEMA, target_schema).replace(CATALOG, target_catalog)
        for name in ("decision_items.yml", "item_collections.yml")})
    assert target["decision_items.yml"] != source["decision_items.yml"]
    assert target == onto_target  # equal by name, on the target's catalog

    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert rerun.rc == 0, rerun.output
    assert rerun.totals("changed") == 0, rerun.output
    after = aep_emulator.stats()
    assert writes(after) == writes(before) and after["apis"]["dps"]["writes"] == before["apis"]["dps"]["writes"]
    print("\n".join(["Decisioning promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))

    # The same variable file tears the source down; Decisioning placements stay (the API cannot delete them).
    teardown = apply(aep, "dev", library=DECISIONING, extra_vars={"roles_teardown": True})
    assert teardown.rc == 0, teardown.output
    left = export(aep, "dev", aep.tmp_path / "dev-after", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA)
    assert [name for name, text in left.items() if "name" in text] == ["decisioning_placements.yml"]
