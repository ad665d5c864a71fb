"""One object through its module, through each API: no-op reads, precise patches, representations, raw fields,
retries, lost answers, tokens, refused deletes, unknown names, a whole setup one task per object, check mode of every
module, and JSON Pointer characters in keys.

Moved down from the playbook tests (tests/integration: test_each_module.py, test_offer_instance.py,
test_library_modules.py, test_check_mode_reads_only.py, test_pointer_keys.py), which ran them through xcore only.
"""

import json

import pytest

from test_life import CASES

HTML = "<p>Here is your first sale offer!</p>"
PLACEMENTS = [{"name": "Web banner", "channel": "web", "component_type": "html", "content_types": ["text/html"]},
              {"name": "Email hero", "channel": "email", "component_type": "html", "content_types": ["text/html"]}]
# The same field in each API's names: patch paths, and the keys of a diff.
PATHS = {"xcore": {"content": "/_instance/xdm:representations/0/xdm:components/0/xdm:content",
                   "priority": "/_instance/xdm:rank/xdm:priority", "representations": "/_instance/xdm:representations/-",
                   "status": "/_instance/xdm:status", "characteristics": "/_instance/xdm:characteristics/",
                   "rank": "xdm:rank", "rank_priority": "xdm:priority", "name": "xdm:name"},
         "dps": {"content": "/representations/0/components/0/content", "priority": "/rank/priority",
                 "representations": "/representations/-", "status": "/status", "characteristics": "/characteristics/",
                 "rank": "rank", "rank_priority": "priority", "name": "name"}}
PREFIX = {"xcore": "xcore:", "dps": "dps:"}


def component(content=HTML):
    return {"type": "html", "format": "text/html", "language": ["en"], "content": content}


def offer(placement="Web banner", content=HTML, **extra):
    return dict({"name": "Summer sale", "status": "approved", "priority": 5, "tags": [],
                 "representations": [{"placement": placement, "channel": "web", "components": [component(content)]}]}, **extra)


def placements(sandbox):
    """The two placements, made; their ids by name."""
    done = sandbox.run("offer_library", placements=PLACEMENTS)
    return dict((r["name"], r["id"]) for r in done["results"])


def container_reads(sandbox):
    return 1 if sandbox.api == "xcore" else 0  # xcore finds the sandbox's container first


# Reads, patches, representations ------------------------------------------------------------------

def test_a_rerun_with_nothing_to_change_reads_the_object_once_and_writes_nothing(sandbox):
    web = placements(sandbox)["Web banner"]
    created = sandbox.run("offer_instance", **offer(web))
    assert created["changed"] is True and created["id"].startswith(PREFIX[sandbox.api] + "personalized-offer:")
    stored = sandbox.info("offer")[0]
    assert created["etag"] == stored["etag"] and stored["options"]["status"] == "approved"
    assert stored["options"]["representations"][0]["components"][0]["content"] == HTML
    with sandbox.counting() as sent:
        again = sandbox.run("offer_instance", **offer(web))
    assert again["changed"] is False and again["patch"] == [] and sent.writes == 0
    assert sent.reads == 1 + container_reads(sandbox)  # the offer's look-up: a reference given as an id costs nothing


def test_an_update_is_one_patch_at_the_precise_path_and_check_mode_shows_it(sandbox):
    web = placements(sandbox)["Web banner"]
    created = sandbox.run("offer_instance", **offer(web))
    with sandbox.counting() as sent:
        updated = sandbox.run("offer_instance", **offer(web, content="<p>Now 25% off!</p>"))
    assert sent.writes == 1 and updated["etag"] != created["etag"]
    assert updated["patch"] == [{"op": "replace", "path": PATHS[sandbox.api]["content"], "value": "<p>Now 25% off!</p>"}]
    assert sandbox.info("offer")[0]["etag"] == updated["etag"]

    plan = sandbox.run("offer_instance", check=True, diff=True, **offer(web, content="<p>Maybe 30%?</p>", priority=9))
    assert plan["changed"] is True
    assert {op["path"] for op in plan["patch"]} == {PATHS[sandbox.api]["content"], PATHS[sandbox.api]["priority"]}
    rank, priority = PATHS[sandbox.api]["rank"], PATHS[sandbox.api]["rank_priority"]
    assert plan["diff"]["before"][rank] == {priority: 5} and plan["diff"]["after"][rank] == {priority: 9}
    assert sandbox.options("offer", "Summer sale")["priority"] == 5  # check mode stored nothing


def test_a_representation_for_a_new_placement_is_one_add_and_order_alone_is_no_change(sandbox):
    ids = placements(sandbox)
    created = sandbox.run("offer_instance", **offer(ids["Web banner"]))
    both = offer(ids["Web banner"])
    both["representations"].insert(0, {"placement": ids["Email hero"], "channel": "email", "components": [component()]})
    with sandbox.counting() as sent:
        added = sandbox.run("offer_instance", **both)
    assert sent.writes == 1 and added["changed"] is True and added["etag"] != created["etag"]
    [op] = added["patch"]
    assert op["op"] == "add" and op["path"] == PATHS[sandbox.api]["representations"], op
    assert ids["Email hero"] in json.dumps(op["value"]) and HTML in json.dumps(op["value"])
    both["representations"].reverse()
    with sandbox.counting() as sent:
        again = sandbox.run("offer_instance", **both)
    assert again["changed"] is False and sent.writes == 0


def test_references_given_by_name_are_stored_as_ids(sandbox):
    placements(sandbox)
    sandbox.run("offer_instance", **offer("Web banner"))
    stored = sandbox.info("offer")[0]["options"]
    assert stored["representations"][0]["placement"].startswith(PREFIX[sandbox.api] + "offer-placement:")


def test_a_raw_instance_field_is_managed_like_an_option(sandbox):
    made = sandbox.run("collection_qualifier", name="Managed collection_qualifier")
    target = dict(instance_id=made["instance_id"], instance={PATHS[sandbox.api]["name"]: "Renamed"})
    plan = sandbox.run("collection_qualifier", check=True, diff=True, **target)
    assert plan["changed"] is True and plan["diff"]["after"][PATHS[sandbox.api]["name"]] == "Renamed"
    with sandbox.counting() as sent:
        done = sandbox.run("collection_qualifier", **target)
    assert done["changed"] is True and sent.writes == 1
    assert [o["options"]["name"] for o in sandbox.info("collection_qualifier")] == ["Renamed"]
    with sandbox.counting() as sent:
        result = sandbox.run("collection_qualifier", **target)
    assert result["changed"] is False and sent.writes == 0


def test_a_decision_rule_condition_is_kept_as_written(sandbox):
    condition = 'profile.loyalty.tier.equals("gold", false) and {{not templated}} = null'
    sandbox.run("decision_rule", name="Gold members", description="Loyalty tier gold", condition=condition)
    assert sandbox.options("decision_rule", "Gold members")["condition"] == condition


# Retries, lost answers, tokens --------------------------------------------------------------------

def test_throttled_and_unavailable_answers_are_retried_and_counted(sandbox):
    web = placements(sandbox)["Web banner"]
    sandbox.run("offer_instance", **offer(web))
    sandbox.emulator.faults(fail_next=[{"status": 429, "retry_after": 1}, {"status": 503}, {"status": 503, "retry_after": 1}])
    done = sandbox.run("offer_instance", **offer(web, content="<p>After the storm</p>"))
    assert done["changed"] is True and done["retries"] == 3
    assert sandbox.options("offer", "Summer sale")["representations"][0]["components"][0]["content"] == "<p>After the storm</p>"


def test_an_update_whose_answer_was_lost_is_not_applied_twice(sandbox):
    ids = placements(sandbox)
    created = sandbox.run("offer_instance", **offer(ids["Web banner"]))
    both = offer(ids["Web banner"])
    both["representations"].append({"placement": ids["Email hero"], "components": [component("<p>x</p>")]})
    sandbox.emulator.faults(drop_after_commit_next=1)
    before = sandbox.emulator.stats()["writes"]
    done = sandbox.run("offer_instance", **both)
    assert done["changed"] is True and sandbox.emulator.stats()["writes"] - before == 1  # applied once
    stored = sandbox.info("offer")[0]
    assert [r["placement"] for r in stored["options"]["representations"]] == [ids["Web banner"], ids["Email hero"]]
    assert stored["etag"] != created["etag"]
    with sandbox.counting() as sent:
        result = sandbox.run("offer_instance", **both)
    assert result["changed"] is False and sent.writes == 0


def test_one_token_serves_many_tasks_and_an_expired_token_is_replaced_once(sandbox, tmp_path):
    web = placements(sandbox)["Web banner"]
    before = sandbox.emulator.stats()["token_requests"]
    for number in range(3):
        sandbox.run("offer_instance", **offer(web, name="Offer %d" % number))
    assert sandbox.emulator.stats()["token_requests"] - before == 0  # the cached token (placements made it)
    sandbox.emulator.expire_tokens()
    before = sandbox.emulator.stats()["token_requests"]
    for number in range(3):
        assert sandbox.run("offer_instance", **offer(web, name="Offer %d" % number))["changed"] is False
    assert sandbox.emulator.stats()["token_requests"] - before == 1  # refused once (401), replaced once, then cached
    cache_files = list((tmp_path / "tokens").glob("*.json"))
    assert len(cache_files) == 1 and cache_files[0].stat().st_mode & 0o777 == 0o600


# Deletes that the API refuses, names that match nothing ---------------------------------------------

REFUSED = {
    # the object deleted, the one that uses it (offer_library lists), how to stop using it
    "qualifier used by a fallback offer": (
        ("collection_qualifier", "Summer", "collection qualifier"),
        {"collection_qualifiers": [{"name": "Summer"}],
         "fallback_offers": [{"name": "Tagged fallback", "status": "approved", "tags": ["Summer"],
                              "representations": [{"placement": "Web banner", "components": [component()]}]}]},
        ("fallback_offer", "Tagged fallback", "fallback offer", {"tags": []})),
    "offer used by a collection": (
        ("offer_instance", "Summer sale", "personalized offer"),
        {"offers": [offer()], "collections": [{"name": "Hand picked", "offers": ["Summer sale"]}]},
        ("offer_collection", "Hand picked", "collection", {"state": "absent", "confirm": "prod"})),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_delete_names_its_users_leaves_the_object_and_works_once_unused(sandbox, case):
    (module, name, title), library, (user_module, user, user_title, release) = REFUSED[case]
    placements(sandbox)
    made = sandbox.run("offer_library", **library)
    user_id = [r["id"] for r in made["results"] if r["name"] == user][0]
    with sandbox.counting() as sent:
        refused = sandbox.fails(module, name=name, state="absent", confirm="prod")
    message = refused["msg"]
    assert "refused to delete %s '%s'" % (title, name) in message and "HTTP 409" in message, message
    assert "still used by: %s '%s'" % (user_title, user) in message and user_id in message, message
    assert sent.by_method.get("DELETE") == 1
    assert [o["options"]["name"] for o in sandbox.info(module.replace("_instance", ""))] == [name]
    sandbox.run(user_module, name=user, **release)
    gone = sandbox.run(module, name=name, state="absent", confirm="prod")
    assert gone["changed"] is True and sandbox.info(module.replace("_instance", "")) == []


UNKNOWN = [
    ("decision", {"name": "D", "criteria": [{"placements": ["Nowhere"], "collection": "Summer offers"}]},
     "criteria[].placements"),
    ("offer_collection", {"name": "C", "offers": ["No offer"]}, "offers[]"),
    ("offer_collection", {"name": "C", "qualifiers": ["No tag"]}, "qualifiers[]"),
    ("fallback_offer", {"name": "F", "tags": ["No tag"]}, "tags[]"),
    ("decision", {"name": "D", "fallback": "No fallback"}, "fallback"),
]


@pytest.mark.parametrize("module, args, option", UNKNOWN, ids=["%s-%s" % (m, o) for m, a, o in UNKNOWN])
def test_unknown_names_fail_naming_the_option_before_any_write(sandbox, module, args, option):
    sandbox.run("offer_library", placements=PLACEMENTS, collection_qualifiers=[{"name": "Summer"}],
                collections=[{"name": "Summer offers", "qualifiers": ["Summer"]}])
    with sandbox.counting() as sent:
        failed = sandbox.fails(module, **args)
    assert failed["msg"].startswith(option + ": "), failed["msg"]
    assert sent.writes == 0


# A whole setup, one task per object (the single modules by names) ------------------------------------

def full_setup(sandbox, summer_priority=10, decision_status="live", check=False, diff=False):
    """What a playbook of single tasks declares: placements, qualifiers, a rule, offers, a fallback, two collections,
    a decision, every reference by name. The results by name."""
    rep = [{"placement": "Web banner", "channel": "web", "components": [component("Summer is here")]}]
    tasks = [("placement", dict(p)) for p in PLACEMENTS] + [
        ("collection_qualifier", {"name": "Summer"}), ("collection_qualifier", {"name": "Loyalty"}),
        ("decision_rule", {"name": "Gold members", "description": "Loyalty tier gold",
                           "condition": 'profile.loyalty.tier.equals("gold", false)'}),
        ("offer_instance", dict(offer(priority=summer_priority, tags=["Summer"], eligibility_rule="Gold members"),
                                representations=rep)),
        ("offer_instance", dict(offer(name="Loyal summer", tags=["Summer", "Loyalty"], eligibility_rule="Gold members"),
                                representations=rep)),
        ("fallback_offer", {"name": "Default banner", "status": "approved", "tags": ["Loyalty"], "representations": rep}),
        ("offer_collection", {"name": "Summer offers", "qualifiers": ["Summer"], "filter_type": "anyTags"}),
        ("offer_collection", {"name": "Hand picked", "offers": ["Summer sale", "Loyal summer"]}),
        ("decision", {"name": "Home page", "status": decision_status, "start_date": "2026-06-01T00:00:00Z",
                      "end_date": "2026-12-31T23:59:59Z", "fallback": "Default banner",
                      "criteria": [{"placements": ["Web banner"], "collection": "Summer offers"},
                                   {"placements": ["Email hero", "Web banner"], "collection": "Hand picked",
                                    "eligibility_rule": "Gold members"}]}),
    ]
    return dict((args["name"], sandbox.run(module, check=check, diff=diff, **args)) for module, args in tasks)


def by_id_options(sandbox, kind, name):
    """What the sandbox holds for one object, references as ids (no resolve_names)."""
    [found] = [o["options"] for o in sandbox.info(kind) if o["options"].get("name") == name]
    return found


def test_a_whole_setup_by_names_one_task_per_object(sandbox):
    first = full_setup(sandbox)
    assert all(r["changed"] for r in first.values()) and len(first) == 11
    decision = by_id_options(sandbox, "decision", "Home page")
    prefix = PREFIX[sandbox.api]
    assert decision["fallback"].startswith(prefix + "fallback-offer:") and len(decision["criteria"]) == 2
    hand_picked = by_id_options(sandbox, "offer_collection", "Hand picked")
    assert len(hand_picked["offers"]) == 2 and all(i.startswith(prefix + "personalized-offer:") for i in hand_picked["offers"])

    with sandbox.counting() as sent:
        rerun = full_setup(sandbox)
    assert not any(r["changed"] for r in rerun.values()) and sent.writes == 0

    plan = full_setup(sandbox, summer_priority=11, decision_status="draft", check=True, diff=True)
    assert sorted(name for name, r in plan.items() if r["changed"]) == ["Home page", "Summer sale"]
    assert plan["Home page"]["patch"] == [{"op": "replace", "path": PATHS[sandbox.api]["status"], "value": "draft"}]
    with sandbox.counting() as sent:
        update = full_setup(sandbox, summer_priority=11)
    assert [name for name, r in update.items() if r["changed"]] == ["Summer sale"] and sent.writes == 1

    # References first: what still uses an object keeps it; the decision, collections, fallback and offers go.
    in_use = sandbox.fails("offer_instance", name="Summer sale", state="absent", confirm="prod")
    assert "HTTP 409" in in_use["msg"] and "still used by: collection 'Hand picked'" in in_use["msg"], in_use["msg"]
    teardown = [("decision", "Home page"), ("offer_collection", "Hand picked"), ("offer_collection", "Summer offers"),
                ("fallback_offer", "Default banner"), ("offer_instance", "Summer sale"), ("offer_instance", "Loyal summer")]
    for module, name in teardown:
        assert sandbox.run(module, name=name, state="absent", confirm="prod")["changed"] is True, name
    with sandbox.counting() as sent:
        again = [sandbox.run(m, name=n, state="absent", confirm="prod") for m, n in teardown]
    assert not any(r["changed"] for r in again) and sent.writes == 0


# Check mode: every module plans creates, updates and deletes with reads only ----------------------------

def test_every_module_plans_creates_updates_and_deletes_with_reads_only(sandbox):
    """Sandbox.run(check=True) proves each task sent only reads; the etags prove nothing changed."""
    for module in sorted(CASES):
        needs, create, change = CASES[module]
        if needs:
            sandbox.run("offer_library", **needs)
        applied = sandbox.run(module, name="Managed %s" % module, **create)
        planned = {
            "create": sandbox.run(module, check=True, diff=True, name="Planned %s" % module, **create),
            "update": sandbox.run(module, check=True, diff=True, instance_id=applied["instance_id"],
                                  **dict(create, **(change or {"instance": {PATHS[sandbox.api]["name"]: "Renamed"}}))),
            "delete": sandbox.run(module, check=True, name="Managed %s" % module, state="absent"),  # no confirm in check mode
        }
        for verb, result in planned.items():
            assert result["changed"] is True and result["action"] == verb, (module, verb, result)
        assert planned["update"]["etag"] == applied["etag"], module
    assert sandbox.run("container_info", check=True)["changed"] is False
    assert sandbox.run("offer_library_info", check=True, kind="offer", resolve_names=True)["count"] == 1
    assert sandbox.run("ims_token", check=True)["changed"] is False


# JSON Pointer characters in keys are data ---------------------------------------------------------

KEYS = {"a/b": "slash", "c~d": "tilde", "~1": "escaped-looking", "e~0/f": "both", "/": "root-looking",
        "ключ ✓": "unicode", "x y": "space"}


@pytest.mark.parametrize("module", ["offer_instance", "fallback_offer"])
def test_slash_and_tilde_keys_round_trip(sandbox, module):
    """A key with / or ~ is a JSON Patch path segment (~1 and ~0, RFC 6901): it round-trips exactly, an update of one
    touches only that key, and a rerun writes nothing."""
    web = placements(sandbox)["Web banner"]
    args = offer(web, characteristics=dict(KEYS))
    if module == "fallback_offer":
        del args["priority"]
    kind = "offer" if module == "offer_instance" else module
    with sandbox.counting() as sent:
        created = sandbox.run(module, **args)
    assert created["changed"] is True and sent.writes == 1
    assert sandbox.options(kind, "Summer sale")["characteristics"] == KEYS
    with sandbox.counting() as sent:
        result = sandbox.run(module, **args)
    assert result["changed"] is False and sent.writes == 0

    changed = dict(KEYS, **{"a/b": "slash 2", "c~d": "tilde 2"})
    changed.pop("~1")
    plan = sandbox.run(module, check=True, diff=True, **dict(args, characteristics=changed))
    base = PATHS[sandbox.api]["characteristics"]
    assert sorted(op["path"] for op in plan["patch"]) == [base + "a~1b", base + "c~0d", base + "~01"], plan["patch"]
    with sandbox.counting() as sent:
        result = sandbox.run(module, **dict(args, characteristics=changed))
    assert result["changed"] is True and sent.writes == 1
    assert sandbox.options(kind, "Summer sale")["characteristics"] == changed
    with sandbox.counting() as sent:
        result = sandbox.run(module, **dict(args, characteristics=changed))
    assert result["changed"] is False and sent.writes == 0
