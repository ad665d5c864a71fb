"""The roles and playbooks over the collection's one library format: set a sandbox up from a library file, export it
(the files are library files), promote it, check mode, prune (every listed kind, confirmed), teardown (named and
confirmed), bad variables, xcore to dps, Decisioning."""

import re
from pathlib import Path

import pytest
import yaml

from aep_emulator.testing import ApiClient
from conftest import ORG, REPO
from test_offer_instance import writes

LIBRARY = Path(__file__).resolve().parent / "vars" / "roles_library.yml"
DECISIONING = Path(__file__).resolve().parent / "vars" / "roles_decisioning.yml"
PLAYBOOKS = REPO / "playbooks"
KIND_FILES = ["collection_qualifiers.yml", "collections.yml", "decision_rules.yml", "decisions.yml",
              "fallback_offers.yml", "offers.yml", "placements.yml"]
DECISIONING_FILES = sorted(KIND_FILES + ["decision_items.yml", "decisioning_placements.yml", "eligibility_rules.yml",
                                         "item_collections.yml", "ranking_formulas.yml", "selection_strategies.yml"])
SCHEMA = "https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c"  # the source's, in roles_decisioning.yml
CATALOG = "0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d"
OBJECTS = 11  # in roles_library.yml: 5 that sandbox_setup converges (placements, qualifiers, rule), 6 for offer_catalog
PLAN = re.compile(r'"msg": "(Plan: \d+ to create, \d+ to update, \d+ to delete in sandbox \S+ through [\w ]+)"')


class _UnsafeLoader(yaml.SafeLoader):
    """Reads exported files: a !unsafe string is kept, with a marker, so tests see which strings were tagged."""


_UnsafeLoader.add_constructor("!unsafe", lambda loader, node: "<unsafe>" + loader.construct_scalar(node))


def load_export(directory, expected=KIND_FILES):
    """{file name: content} of an export, the header comments (which name the sandbox) left out."""
    files = sorted(p.name for p in Path(directory).iterdir())
    assert files == expected, files
    return {name: "\n".join(line for line in (Path(directory) / name).read_text().splitlines() if not line.startswith("#"))
            for name in files}


def parse(export):
    """{file name: its library} of an export; each file holds the one list it is named after."""
    parsed = {name: yaml.load(text, Loader=_UnsafeLoader) for name, text in export.items()}
    for name, library in parsed.items():
        assert list(library) == [name[:-len(".yml")]], (name, library)
    return parsed


def results(run, task):
    """The results of every run of the role task named ``task`` (the callback names it ``role : task``)."""
    return [dict(r["result"], _status=r["status"]) for r in run.results if r["task"].split(" : ", 1)[-1] == task]


def result(run, task):
    """The result of the (last) role task named ``task``."""
    found = results(run, task)
    assert found, "no task named %r ran; tasks: %s\n%s" % (task, [r["task"] for r in run.results], run.output)
    return found[-1]


def plan_lines(run):
    return PLAN.findall(run.stdout)


def shown_before(run, line, task):
    """``line`` is in the output before the first run of the role task ``task``, which wrote."""
    header = re.search(r"^TASK \[[^\]]*: %s\]" % re.escape(task), run.stdout, re.M)
    assert header, "task %r did not run:\n%s" % (task, run.stdout)
    assert line in run.stdout[:header.start()], "%r is not shown before %r:\n%s" % (line, task, run.stdout)


def plain_library(directory):
    """roles_library.yml as a file offer_library reads itself (src), which Ansible never templates: no {{ }} to render."""
    path = Path(directory) / "plain_library.yml"
    path.write_text(LIBRARY.read_text().replace('"{{ summer_priority | default(10) }}"', "10"))
    return path


def apply(aep, sandbox="dev", library=LIBRARY, **kwargs):
    extra_vars = dict(kwargs.pop("extra_vars", {}), aep_sandbox=sandbox, library=str(library))
    return aep.playbook("roles_apply.yml", extra_vars=extra_vars, **kwargs)


def export(aep, sandbox, directory, expected=KIND_FILES, env=None, **extra_vars):
    run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", env=env,
                       extra_vars=dict(extra_vars, sandbox=sandbox, export_dir=str(directory)))
    assert run.rc == 0, run.output
    return load_export(directory, expected)


def test_setup_export_promote_rerun_and_plan(aep, aep_emulator):
    setup = apply(aep, "dev")
    assert setup.rc == 0, setup.output
    # sandbox_setup and offer_catalog each show their plan, then apply it in one offer_library task.
    assert plan_lines(setup) == ["Plan: 5 to create, 0 to update, 0 to delete in sandbox dev through xcore",
                                 "Plan: 6 to create, 0 to update, 0 to delete in sandbox dev through xcore"], setup.output
    assert setup.totals("changed") == 2, setup.output
    assert [r["summary"]["create"] for r in results(setup, "Apply the library to the sandbox")] == [5, 6]
    ids = result(setup, "Publish the container and the ids of the objects by name")["ansible_facts"]["sandbox_setup_ids"]
    assert set(ids["placements"]) == {"Web banner", "Email hero"}
    assert all(v.startswith("xcore:offer-placement:") for v in ids["placements"].values())

    source = export(aep, "dev", aep.tmp_path / "dev")
    parsed = parse(source)  # library files: placements.yml holds placements, ...
    offers = parsed["offers.yml"]["offers"]
    assert [o["name"] for o in offers] == ["Loyal summer", "Summer sale"]  # sorted by name
    summer = offers[1]
    assert summer["eligibility_rule"] == "Gold members" and summer["tags"] == ["Loyalty", "Summer"]
    assert summer["representations"][0]["components"][0]["content"] == "<unsafe>Hi {{profile.person.name.firstName}}, 20% off!"
    assert summer["representations"][1]["components"][0]["content"] == "<h1>Summer sale</h1>"  # no braces, not tagged
    rule = parsed["decision_rules.yml"]["decision_rules"][0]
    assert rule["condition"] == '<unsafe>profile.loyalty.tier.equals("gold", false) and {{not templated}} = null'
    decision = parsed["decisions.yml"]["decisions"][0]
    assert decision["fallback"] == "Default banner" and decision["criteria"][1]["collection"] == "Hand picked"
    assert "xcore:" not in "".join(source.values())  # names, not ids

    promote_vars = {"source_sandbox": "dev", "sandbox": "stage", "promote_dir": str(aep.tmp_path / "promote")}
    before = aep_emulator.stats()
    plan = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars, check=True)
    assert plan.rc == 0 and plan.totals("changed") > 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert plan_lines(plan) == ["Plan: %d to create, 0 to update, 0 to delete in sandbox stage through xcore" % OBJECTS]
    planned = result(plan, "Plan the library of the sandbox")
    assert [r["action"] for r in planned["results"] if r["kind"] == "decisions"] == ["create"]

    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert promote.rc == 0 and promote.totals("changed") > 0, promote.output
    assert load_export(aep.tmp_path / "promote") == source  # promote_dir keeps the export
    target = export(aep, "stage", aep.tmp_path / "stage")
    assert target == source  # equal apart from ids

    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert result(rerun, "Apply the library to the sandbox")["_status"] == "skipped"  # nothing to do
    print("\n".join(["promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))


def test_check_mode_on_a_changed_library_file_writes_nothing(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    changed = tmp_path / "changed.yml"
    changed.write_text(LIBRARY.read_text().replace("content: Thanks for staying", "content: Thanks for staying with us"))
    before = aep_emulator.stats()
    plan = apply(aep, "dev", library=changed, check=True, diff=True, extra_vars={"summer_priority": 11})
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert plan_lines(plan) == ["Plan: 0 to create, 0 to update, 0 to delete in sandbox dev through xcore",
                                "Plan: 0 to create, 2 to update, 0 to delete in sandbox dev through xcore"], plan.output
    assert plan.totals("changed") == 1, plan.output  # the catalog's plan
    offers = {r["name"]: r for r in result(plan, "Plan the library of the sandbox")["results"] if r["kind"] == "offers"}
    assert offers["Summer sale"]["patch"] == [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 11}]
    assert offers["Loyal summer"]["changed"] is True and offers["Loyal summer"]["action"] == "update"
    assert "Thanks for staying with us" in plan.stdout  # the diff


@pytest.mark.smoke
def test_check_mode_on_an_empty_sandbox_plans_everything(aep, aep_emulator):
    before = aep_emulator.stats()
    plan = apply(aep, "stage", check=True)
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    # Every object is planned, even those whose references only this run would create (sandbox_setup's, handed on).
    assert plan_lines(plan) == ["Plan: 5 to create, 0 to update, 0 to delete in sandbox stage through xcore",
                                "Plan: 6 to create, 0 to update, 0 to delete in sandbox stage through xcore"], plan.output
    catalog = result(plan, "Plan the library of the sandbox")["results"]
    assert {r["kind"] for r in catalog} == {"fallback_offers", "offers", "collections", "decisions"}
    assert all(r["action"] == "create" for r in catalog), catalog
    assert all(r["_status"] == "skipped" for r in results(plan, "Apply the library to the sandbox"))
    assert result(plan, "Publish the container and the ids of the objects by name")["ansible_facts"]["sandbox_setup_ids"][
        "placements"] == {"Web banner": None, "Email hero": None}


def test_prune_deletes_what_the_library_does_not_name_in_every_listed_kind_once_confirmed(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    dev = ApiClient(aep_emulator, org=ORG, sandbox="dev")
    dev.created("offer-filter", {"xdm:name": "Stray collection", "xdm:filterType": "anyTags",
                                 "xdm:ids": [dev.by_name("tag", "Summer")[0]["_instance"]["@id"]]})
    dev.placement("Kiosk screen")  # a kind offer_catalog does not list here: never pruned
    fewer = tmp_path / "fewer.yml"
    text = LIBRARY.read_text().replace("offers: [Summer sale, Loyal summer]", "offers: [Summer sale]")
    fewer.write_text(re.sub(r"  - name: Loyal summer\n(    .*\n)*", "", text))
    assert "Loyal summer" not in fewer.read_text()

    before = aep_emulator.stats()
    plan = apply(aep, "dev", library=fewer, check=True, extra_vars={"prune": True})
    assert plan.rc == 0, plan.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert plan_lines(plan)[-1] == "Plan: 0 to create, 1 to update, 2 to delete in sandbox dev through xcore", plan.output
    assert result(plan, "List what prune deletes")["msg"] == "Would delete 2 object(s): Loyal summer, Stray collection"

    unconfirmed = apply(aep, "dev", library=fewer, extra_vars={"prune": True})
    assert unconfirmed.rc != 0
    assert "confirm: this task deletes in sandbox 'dev': set confirm: dev" in unconfirmed.output, unconfirmed.output
    assert writes(aep_emulator.stats()) == writes(before)  # nothing written, not even the update

    pruned = apply(aep, "dev", library=fewer, extra_vars={"prune": True, "confirm": "dev"})
    assert pruned.rc == 0, pruned.output
    assert result(pruned, "List what prune deletes")["msg"] == "Deleted 2 object(s): Loyal summer, Stray collection"
    assert writes(aep_emulator.stats()) - writes(before) == 3
    assert [p["_instance"]["xdm:name"] for p in dev.all("offer-placement") if p["_instance"]["xdm:name"] == "Kiosk screen"]
    again = apply(aep, "dev", library=fewer, extra_vars={"prune": True, "confirm": "dev"})
    assert again.rc == 0 and again.totals("changed") == 0, again.output


def test_teardown_removes_the_library_references_first_and_keeps_the_rest(aep, aep_emulator):
    assert apply(aep, "dev").rc == 0
    ApiClient(aep_emulator, org=ORG, sandbox="dev").placement("Kiosk screen")
    before = aep_emulator.stats()
    plan = apply(aep, "dev", check=True, extra_vars={"roles_teardown": True})  # check mode needs no confirm
    assert plan.rc == 0 and plan.totals("changed") == 1, plan.output
    assert plan_lines(plan) == ["Plan: 0 to create, 0 to update, %d to delete in sandbox dev through xcore" % OBJECTS]
    unconfirmed = apply(aep, "dev", extra_vars={"roles_teardown": True})
    assert unconfirmed.rc != 0 and "set confirm: dev to go ahead" in unconfirmed.output, unconfirmed.output
    assert writes(aep_emulator.stats()) == writes(before)

    gone = apply(aep, "dev", extra_vars={"roles_teardown": True, "confirm": "dev"})
    assert gone.rc == 0, gone.output
    deleted = result(gone, "Delete the library, references first")
    assert deleted["summary"]["delete"] == OBJECTS and writes(aep_emulator.stats()) - writes(before) == OBJECTS
    kinds = [r["kind"] for r in deleted["results"]]
    assert kinds.index("decisions") < kinds.index("collections") < kinds.index("offers") < kinds.index("placements")
    left = parse(export(aep, "dev", aep.tmp_path / "left"))
    assert [p["name"] for p in left["placements.yml"]["placements"]] == ["Kiosk screen"]
    assert all(list(v.values()) == [[]] for k, v in left.items() if k != "placements.yml"), left
    again = apply(aep, "dev", extra_vars={"roles_teardown": True, "confirm": "dev"})
    assert again.rc == 0 and again.totals("changed") == 0, again.output
    assert result(again, "Delete the library, references first")["_status"] == "skipped"


BAD = {
    # what is wrong, where: (library text, extra vars, the misspelt or wrong word)
    "a misspelt option in offer_catalog's library": (
        "decision_items:\n  - {name: Gold card, schema_id: s, priorty: 3}\n", {"roles_setup": False}, "priorty"),
    "a misspelt option in sandbox_setup's library": (
        "placements:\n  - {name: Web banner, chanel: web}\n", {}, "chanel"),
    "offer_catalog_prune that is not a boolean": ("offers: []\n", {"roles_setup": False, "prune": "maybe"}, "maybe"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_variables_fail_before_any_call(aep, aep_emulator, tmp_path, case):
    text, extra_vars, wrong = BAD[case]
    bad = tmp_path / "bad.yml"
    bad.write_text(text)
    before = aep_emulator.stats()
    run = apply(aep, "dev", library=bad, extra_vars=extra_vars)
    assert run.rc != 0
    assert wrong in run.output, run.output
    after = aep_emulator.stats()
    assert sum(after["requests"].values()) == sum(before["requests"].values()), run.output
    assert after["token_requests"] == before["token_requests"]


def test_promote_from_a_sandbox_on_xcore_to_one_on_dps(aep, aep_emulator):
    """export_sandbox.yml through xcore, promote.yml into a sandbox managed through dps: equal exports by name,
    and the rerun writes nothing."""
    assert apply(aep, "dev").rc == 0
    source = export(aep, "dev", aep.tmp_path / "dev-xcore")
    promote_vars = {"source_sandbox": "dev", "source_api": "xcore", "sandbox": "stage", "target_api": "dps",
                    "promote_dir": str(aep.tmp_path / "promote")}
    before = aep_emulator.stats()
    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert promote.rc == 0, promote.output
    after = aep_emulator.stats()
    assert after["apis"]["xcore"]["writes"] == before["apis"]["xcore"]["writes"]  # the source is only read
    assert after["apis"]["dps"]["writes"] - before["apis"]["dps"]["writes"] == OBJECTS, promote.output  # one create each
    shown_before(promote, "Plan: %d to create, 0 to update, 0 to delete in sandbox stage through dps" % OBJECTS,
                 "Apply the library to the sandbox")
    target = export(aep, "stage", aep.tmp_path / "stage-dps", env={"AEP_OFFERS_API": "dps"})
    assert target == source  # equal by name, apart from ids
    assert "dps:" not in "".join(target.values())

    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars)
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    print("\n".join(["xcore -> dps promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))


def test_export_and_promote_a_decisioning_sandbox_then_rerun_writes_nothing(aep, aep_emulator):
    """offer_catalog sets a Decisioning sandbox up by names; export_sandbox.yml and promote.yml carry it to another
    sandbox (through dps whatever api says), onto the target's item catalog; a rerun writes nothing; the same file
    tears the source down, Decisioning placements kept."""
    setup = apply(aep, "dev", library=DECISIONING, extra_vars={"roles_setup": False})
    assert setup.rc == 0, setup.output
    assert plan_lines(setup) == ["Plan: 9 to create, 0 to update, 0 to delete in sandbox dev through dps"], setup.output
    ids = result(setup, "Publish the ids of the objects by name")["ansible_facts"]["offer_catalog_ids"]
    assert set(ids["decision_items"]) == {"Gold card", "Silver card"}
    assert len(ids["selection_strategies"]) == 2 and all(ids["selection_strategies"].values())
    assert setup.totals("changed") == 1, setup.output  # one offer_library task

    missing = aep.playbook(PLAYBOOKS / "export_sandbox.yml", env={"AEP_ITEM_SCHEMA_ID": ""},
                           extra_vars={"sandbox": "dev", "export_dir": str(aep.tmp_path / "nothing"), "decisioning": True})
    assert missing.rc != 0 and "schema_id" in missing.output and "AEP_ITEM_SCHEMA_ID" in missing.output, missing.output
    source = export(aep, "dev", aep.tmp_path / "dev", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA)
    parsed = parse(source)
    items = parsed["decision_items.yml"]["decision_items"]
    assert [i["name"] for i in items] == ["Gold card", "Silver card"]
    assert items[0]["eligibility_rule"] == "Gold members" and items[0]["schema_id"] == SCHEMA and items[0]["tenant"] == "acme"
    assert items[0]["attributes"]["headline"] == "<unsafe>Hi {{profile.person.name.firstName}}, go gold"
    strategies = parsed["selection_strategies.yml"]["selection_strategies"]
    assert strategies[1] == {"name": "Gold for gold members", "collection": "Gold items", "eligibility_rule": "Gold members",
                             "ranking_formula": "Boosted priority", "priority": 1}
    assert parsed["offers.yml"] == {"offers": []}
    assert "dps:" not in "".join(source.values())  # names, not ids
    assert export(aep, "dev", aep.tmp_path / "dev-only-library") == {name: source[name] for name in KIND_FILES}

    target_schema, target_catalog = SCHEMA.replace("2b0c", "9f9f"), CATALOG.replace("0c6a", "7777")
    promote_vars = {"source_sandbox": "dev", "sandbox": "stage", "promote_dir": str(aep.tmp_path / "promote"),
                    "promote_decisioning": True, "source_item_schema_id": SCHEMA,
                    "target_item_schema_id": target_schema, "target_item_catalog_id": target_catalog}
    before = aep_emulator.stats()
    plan = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars=promote_vars, check=True)
    assert plan.rc == 0, plan.output
    after = aep_emulator.stats()
    assert writes(after) == writes(before) and after["apis"]["dps"]["writes"] == before["apis"]["dps"]["writes"]
    planned = result(plan, "Plan the library of the sandbox")
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
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    after = aep_emulator.stats()
    assert writes(after) == writes(before) and after["apis"]["dps"]["writes"] == before["apis"]["dps"]["writes"]
    print("\n".join(["Decisioning promote:"] + promote.recap_lines() + ["rerun:"] + rerun.recap_lines()))

    teardown = apply(aep, "dev", library=DECISIONING, extra_vars={"roles_teardown": True, "confirm": "dev"})
    assert teardown.rc == 0, teardown.output
    kept = [r for r in result(teardown, "Delete the library, references first")["results"] if r["action"] == "keep"]
    assert [r["name"] for r in kept] == ["Email hero"] and "cannot delete" in kept[0]["msg"]
    left = export(aep, "dev", aep.tmp_path / "dev-after", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA)
    assert [name for name, text in left.items() if "name" in text] == ["decisioning_placements.yml"]
