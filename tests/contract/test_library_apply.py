"""offer_library applying a library through each API: dependency order, precise updates, prune off, plans that stop
before the first write, concurrent edits under parallel writes, declarations read from files, and faults.

Moved down from tests/integration (test_offer_library.py, test_soak_small.py), which ran them through a playbook.
"""

import copy
import json

from conftest import ORG
from test_objects import PATHS

ORDER = ["placements", "collection_qualifiers", "decision_rules", "offers", "fallback_offers", "collections", "decisions"]


def representations(text="Hello"):
    return [{"placement": "Web banner", "channel": "web",
             "components": [{"type": "html", "format": "text/html", "language": ["en"], "content": text}]}]


def declaration(offers=3):
    return {
        "placements": [{"name": "Web banner", "channel": "web", "component_type": "html", "content_types": ["text/html"]},
                       {"name": "Email hero", "channel": "email", "component_type": "html"}],
        "collection_qualifiers": [{"name": "Summer"}, {"name": "Loyalty"}],
        "decision_rules": [{"name": "Gold", "condition": 'profile.tier = "gold"'}],
        "offers": [{"name": "Offer %d" % i, "status": "approved", "priority": i, "tags": ["Summer"],
                    "eligibility_rule": "Gold", "representations": representations()} for i in range(offers)],
        "fallback_offers": [{"name": "Fallback", "status": "approved", "representations": representations()}],
        "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]},
                        {"name": "Picked", "offers": ["Offer 0", "Offer 1"]}],
        "decisions": [{"name": "Home", "status": "live", "fallback": "Fallback",
                       "criteria": [{"placements": ["Web banner"], "collection": "Summer offers", "eligibility_rule": "Gold"}]}],
    }


def other_user(sandbox, result, characteristics):
    """Someone else replaces the characteristics of the object ``result`` describes, just before our next write."""
    path = "/_instance/xdm:characteristics" if sandbox.api == "xcore" else "/characteristics"
    op = [{"op": "add", "path": path, "value": characteristics}]
    if sandbox.api == "xcore":
        container = sandbox.emulator.container_id(sandbox.name, ORG)
        sandbox.emulator.mutate(container, result["instance_id"], op, when="before_next_write")
    else:
        sandbox.emulator.dps_mutate(result["id"], op, when="before_next_write")


def test_apply_goes_in_dependency_order_and_a_change_is_planned_precisely(sandbox):
    library = declaration()
    plan = sandbox.run("offer_library", check=True, **library)
    assert plan["summary"] == {"create": 12, "update": 0, "delete": 0, "none": 0, "keep": 0, "failed": 0}
    assert plan["plan"] == {"create": 12, "update": 0, "delete": 0, "unchanged": 0}
    applied = sandbox.run("offer_library", **library)
    kinds = [r["kind"] for r in applied["results"]]
    assert kinds == sorted(kinds, key=ORDER.index)  # placements, qualifiers, rules < offers < collections < decisions

    library["offers"][0]["priority"] = 50
    plan = sandbox.run("offer_library", check=True, **library)
    [offer] = [r for r in plan["results"] if r["name"] == "Offer 0"]
    assert offer["action"] == "update"
    assert offer["patch"] == [{"op": "replace", "path": PATHS[sandbox.api]["priority"], "value": 50}]
    assert plan["summary"]["update"] == 1 and plan["summary"]["none"] == 11


def test_without_prune_what_the_library_does_not_name_stays(sandbox):
    library = declaration()
    sandbox.run("offer_library", **library)
    smaller = copy.deepcopy(library)
    smaller["offers"] = smaller["offers"][:2]
    smaller["collections"] = [c for c in smaller["collections"] if c["name"] != "Picked"]
    with sandbox.counting() as sent:
        kept = sandbox.run("offer_library", **smaller)
    assert kept["summary"]["delete"] == 0 and sent.writes == 0
    assert len(sandbox.info("offer")) == 3 and len(sandbox.info("offer_collection")) == 2


def test_a_library_that_cannot_be_planned_fails_the_same_in_check_mode_and_continue_on_error_skips_what_depends(sandbox):
    library = declaration()
    library["offers"][1]["eligibility_rule"] = "No such rule"
    library["decisions"][0]["criteria"][0]["placements"] = ["No such placement"]
    stopped = sandbox.fails("offer_library", **library)
    assert stopped["msg"].startswith("2 of 12 objects cannot be planned, so nothing was written: ")
    assert "offers[1].eligibility_rule: no decision rule is named 'No such rule'" in stopped["msg"]
    assert sandbox.attempt("offer_library", check=True, **library)["msg"] == stopped["msg"]  # the plan says the same

    going_on = sandbox.fails("offer_library", continue_on_error=True, **library)
    by_name = dict((r["name"], r) for r in going_on["results"])
    assert by_name["Offer 0"]["action"] == "create" and by_name["Offer 2"]["action"] == "create"
    assert by_name["Offer 1"]["msg"].startswith("skipped: offers[1].eligibility_rule: no decision rule")
    assert by_name["Home"]["msg"].startswith("skipped: decisions[0].criteria[].placements")
    assert by_name["Picked"]["action"] == "failed"  # it names the offer that could not be created
    assert by_name["Summer offers"]["action"] == "create"
    assert sorted(o["options"]["name"] for o in sandbox.info("offer")) == ["Offer 0", "Offer 2"]


def test_concurrent_edits_under_parallel_writes_are_read_again_and_all_survive(sandbox):
    library = declaration(offers=6)
    first = sandbox.run("offer_library", **library)
    offers = [r for r in first["results"] if r["kind"] == "offers"]
    for found in offers:
        other_user(sandbox, found, {"edited": found["name"]})
    for item in library["offers"]:
        item["priority"] += 100
    second = sandbox.run("offer_library", parallel=3, **library)
    status = 409 if sandbox.api == "xcore" else 412
    assert any("changed since it was read (%d)" % status in w for w in second["warnings"]), second["warnings"]
    stored = dict((o["options"]["name"], o["options"]) for o in sandbox.info("offer"))
    for found in offers:
        number = int(found["name"].split()[-1])
        assert stored[found["name"]]["characteristics"] == {"edited": found["name"]}
        assert stored[found["name"]]["priority"] == number + 100


# Declarations read from files (src) --------------------------------------------------------------

def test_a_library_file_adds_to_the_task_and_arrives_as_written(sandbox, tmp_path):
    library = declaration()
    greeting = "Hi {{profile.person.name.firstName}}, {% if profile.tier %}gold{% endif %}"
    library["offers"][0]["representations"] = representations(greeting)
    library["offers"][0]["end_date"] = "2027-01-31T23:59:59Z"
    in_file = dict((k, v) for k, v in library.items() if k != "placements")
    src = tmp_path / "library.json"
    src.write_text(json.dumps(in_file))
    # Placements in the task, the rest from the file: both are converged, in dependency order.
    first = sandbox.run("offer_library", src=str(src), placements=library["placements"])
    assert first["summary"]["create"] == 12
    stored = sandbox.options("offer", "Offer 0")
    assert stored["representations"][0]["components"][0]["content"] == greeting
    assert stored["end_date"] == "2027-01-31T23:59:59Z"

    # The same declaration as YAML (dates unquoted, !unsafe accepted): nothing to do, no write.
    yaml_src = tmp_path / "library.yml"
    yaml_src.write_text(json.dumps(in_file).replace('"2027-01-31T23:59:59Z"', "2027-01-31T23:59:59Z")
                        .replace(json.dumps(greeting), "!unsafe " + json.dumps(greeting)))
    with sandbox.counting() as sent:
        again = sandbox.run("offer_library", src=str(yaml_src), placements=library["placements"])
        # A list given in both places, and an item the file gets wrong, fail before anything is written.
        both = sandbox.fails("offer_library", src=str(src), offers=library["offers"])
        in_file["offers"][1]["priority"] = "high"
        src.write_text(json.dumps(in_file))
        wrong = sandbox.fails("offer_library", src=str(src))
    assert again["summary"]["none"] == 12 and sent.writes == 0
    assert both["msg"] == "offers: is given both in the task and in src %s; give it in one place" % src
    assert "offers[1]" in wrong["msg"] and "priority" in wrong["msg"] and "exception" not in wrong


# Faults: nothing lost, nothing doubled (benchmarks/soak.py runs the large soak) ---------------------

def soak(shift):
    return {
        "placements": [{"name": "P%d" % i, "channel": "web", "component_type": "html"} for i in range(2)],
        "collection_qualifiers": [{"name": "Q%d" % i} for i in range(2)],
        "decision_rules": [{"name": "R0", "condition": "profile.age > 18"}],
        "offers": [{"name": "Soak %02d" % i, "priority": (i + shift) % 100, "tags": ["Q%d" % (i % 2)], "eligibility_rule": "R0",
                    "representations": [{"placement": "P%d" % (i % 2), "components": [{"type": "html", "content": "s%d" % i}]}]}
                   for i in range(15)],
    }


def test_under_faults_nothing_is_lost_and_nothing_doubled(sandbox):
    seed = {"xcore": 3, "dps": 5}[sandbox.api]
    sandbox.emulator.faults(fail_rate=0.2, fail_statuses=[429, 500, 502, 503], retry_after=0, drop_rate=0.1, seed=seed)
    first = sandbox.run("offer_library", retries=8, **soak(0))
    update = sandbox.run("offer_library", retries=8, **soak(1))
    sandbox.emulator.faults()
    assert first["retries"] + update["retries"] > 0  # the faults did bite
    offers = sandbox.info("offer")
    stored = dict((o["options"]["name"], o["options"]) for o in offers)
    assert len(offers) == len(stored) == 15  # no duplicates
    assert all(stored["Soak %02d" % i]["priority"] == (i + 1) % 100 for i in range(15))  # no lost update
    for kind in ("placement", "collection_qualifier", "decision_rule"):
        names = [o["options"]["name"] for o in sandbox.info(kind)]
        assert len(names) == len(set(names)), (kind, names)
    with sandbox.counting() as sent:
        rerun = sandbox.run("offer_library", **soak(1))
    assert rerun["changed"] is False and sent.writes == 0
