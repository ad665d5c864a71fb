"""What the collection sends through dps is what Adobe's pages show, through the modules' tasks: caps as
frequencyCappingConstraints, the placement's settings, component types, definedOn in its documented shapes; reruns
write nothing; lookups by id of rules whose GET shows exdRule false; writes answered without a body; a library copied
from xcore to dps with its caps."""

import pytest

from aep_emulator.testing import ApiClient
from conftest import CATALOG, ORG, Sandbox

COMPONENTS = [{"type": "text", "format": "text/plain", "language": ["en-us"], "content": "Hi"},
              {"type": "json", "format": "application/json", "content": '{"discount": 20}'}]
PLACEMENTS = [{"name": "Web banner", "channel": "web", "component_type": "text", "item_count": 3,
               "allow_duplicate_placements": False, "return_content": True,
               "return_metadata": {"offer_name": True, "offer_priority": True, "decision_name": False}},
              {"name": "Email hero", "channel": "email", "component_type": "json"}]
CAPS = [{"limit": 1, "scope": "profile", "start_date": "2026-12-01T00:00:00Z", "end_date": "2027-01-31T23:59:59Z",
         "repeat": {"unit": "week", "unit_count": 1}},
        {"limit": 50000},  # scope global and enabled true by default
        {"limit": 0, "enabled": False}]
OFFERS = [{"name": "Capped", "status": "approved", "capping": {"global": 100, "profile": 3},
           "representations": [{"placement": "Web banner", "channel": "web", "components": COMPONENTS}]},
          {"name": "Frequency capped", "status": "approved", "frequency_capping": CAPS,
           "representations": [{"placement": "Email hero", "channel": "email", "components": COMPONENTS[1:]}]}]
CAP = {"entity": "offer", "enabled": True}


def stored(sandbox, path):
    """One dps object as the emulator stores and shows it, read beside the collection."""
    return ApiClient(sandbox.emulator, org=ORG, sandbox=sandbox.name).dps.obj(path)


def named(sandbox, collection, name, query=""):
    everything = ApiClient(sandbox.emulator, org=ORG, sandbox=sandbox.name).dps.all(collection + query)
    return [document for document in everything if document.get("name") == name]


def offer_path(offer_id):
    return "/offers/%s?offer-type=personalized" % offer_id


# Decision Management through dps: caps and the placement's settings -----------------------------------------------

def test_caps_and_placement_settings_as_the_pages_show_them_and_a_rerun_writes_nothing(dps):
    with dps.counting() as sent:
        done = dps.run("offer_library", placements=PLACEMENTS, offers=OFFERS)
    assert done["summary"]["create"] == 4 and sent.writes == 4
    ids = dict((r["name"], r["id"]) for r in done["results"])
    banner = stored(dps, "/placements/" + ids["Web banner"])
    assert {k: banner[k] for k in ("componentType", "itemCount", "allowDuplicatePlacements", "returnContent",
                                   "returnMetaData")} == {
        "componentType": "component-text", "itemCount": 3, "allowDuplicatePlacements": False, "returnContent": True,
        "returnMetaData": {"offerName": True, "offerPriority": True, "decisionName": False}}
    assert stored(dps, "/placements/" + ids["Email hero"])["componentType"] == "component-json"
    capped = stored(dps, offer_path(ids["Capped"]))
    assert capped["frequencyCappingConstraints"] == [dict(CAP, scope="global", limit=100), dict(CAP, scope="profile", limit=3)]
    assert capped["cappingConstraint"] == {}
    assert [c["type"] for c in capped["representations"][0]["components"]] == ["component-text", "component-json"]
    frequency = stored(dps, offer_path(ids["Frequency capped"]))
    assert frequency["frequencyCappingConstraints"] == [
        dict(CAP, limit=1, scope="profile", startDate="2026-12-01T00:00:00Z", endDate="2027-01-31T23:59:59Z",
             repeat={"enabled": True, "unit": "week", "unitCount": 1}),
        dict(CAP, limit=50000, scope="global"), dict(CAP, limit=0, scope="global", enabled=False)]

    with dps.counting() as sent:  # the same library again
        again = dps.run("offer_library", placements=PLACEMENTS, offers=OFFERS)
    assert again["summary"]["none"] == 4 and again["changed"] is False and sent.writes == 0
    with dps.counting() as sent:  # each object's own module, whose options Ansible completes with their defaults
        for placement in PLACEMENTS:
            assert dps.run("placement", **placement)["changed"] is False
        for offer in OFFERS:
            assert dps.run("offer_instance", **offer)["changed"] is False
    assert sent.writes == 0

    # Read back as options: caps capping can write come back as capping, the others as frequency_capping.
    assert dps.options("offer", "Capped")["capping"] == {"global": 100, "profile": 3}
    read = dps.options("offer", "Frequency capped")
    assert "capping" not in read and read["frequency_capping"] == [
        {"limit": 1, "scope": "profile", "enabled": True, "start_date": "2026-12-01T00:00:00Z",
         "end_date": "2027-01-31T23:59:59Z", "repeat": {"unit": "week", "unit_count": 1}},
        {"limit": 50000, "scope": "global", "enabled": True}, {"limit": 0, "scope": "global", "enabled": False}]
    placement = dps.options("placement", "Web banner")
    assert {k: placement[k] for k in ("component_type", "item_count", "return_metadata")} == {
        "component_type": "text", "item_count": 3, "return_metadata": {"offer_name": True, "offer_priority": True,
                                                                         "decision_name": False}}
    assert [c["type"] for c in dps.options("offer", "Capped")["representations"][0]["components"]] == ["text", "json"]


def test_a_changed_cap_is_one_patch_and_entry_fields_not_given_stay(dps):
    dps.run("offer_library", placements=PLACEMENTS, offers=OFFERS)
    with dps.counting() as sent:
        changed = dps.run("offer_instance", name="Frequency capped",
                          frequency_capping=[{"limit": 2, "scope": "profile"}, {"limit": 50000}, {"limit": 0, "enabled": False}])
    assert changed["changed"] is True and sent.writes == 1
    assert changed["patch"] == [{"op": "replace", "path": "/frequencyCappingConstraints/0/limit", "value": 2}]
    kept = stored(dps, offer_path(changed["id"]))["frequencyCappingConstraints"][0]
    assert kept["startDate"] == "2026-12-01T00:00:00Z" and kept["repeat"]["unit"] == "week"  # not given: not managed
    with dps.counting() as sent:
        gone = dps.run("offer_instance", name="Frequency capped", frequency_capping=[])
    assert gone["patch"] == [{"op": "remove", "path": "/frequencyCappingConstraints/%d" % i} for i in (2, 1, 0)]
    assert sent.writes == 1 and stored(dps, offer_path(changed["id"]))["frequencyCappingConstraints"] == []


def test_capping_and_frequency_capping_together_are_refused_before_any_request(sandbox):
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_instance", name="Both", capping={"global": 1}, frequency_capping=[{"limit": 1}])
    assert "mutually exclusive: capping|frequency_capping" in failed["msg"]
    with sandbox.counting() as in_library:
        library = sandbox.fails("offer_library", offers=[{"name": "Both", "capping": {"profile": 1},
                                                          "frequency_capping": [{"limit": 1}]}])
    assert "offers[0]" in library["msg"] and "capping|frequency_capping" in library["msg"]
    assert not any(sent.by_method.values())
    assert not any(in_library.by_method.values())


@pytest.mark.parametrize("module, options, option", [
    ("offer_instance", {"frequency_capping": [{"limit": 1}]}, "frequency_capping"),
    ("placement", {"item_count": 2}, "item_count"),
    ("placement", {"allow_duplicate_placements": True}, "allow_duplicate_placements"),
    ("placement", {"return_content": False}, "return_content"),
    ("placement", {"return_metadata": {"offer_name": True}}, "return_metadata"),
])
def test_what_only_dps_holds_fails_through_xcore_before_any_request_naming_api_dps(aep_emulator, tmp_path, module, options,
                                                                                   option):
    xcore = Sandbox(aep_emulator, "xcore", tmp_path)
    with xcore.counting() as sent:
        failed = xcore.fails(module, name="Only dps", **options)
        section = "offers" if module == "offer_instance" else "placements"
        library = xcore.fails("offer_library", **{section: [dict(options, name="Only dps")]})
    assert failed["msg"] == "%s: needs api: dps (the xcore API has no field for it); set api: dps or leave %s out" % (
        option, option)
    assert library["msg"].startswith("%s[0].%s: needs api: dps" % (section, option))
    assert not any(sent.by_method.values())


@pytest.mark.parametrize("caps, option, words", [
    ([{"limit": -1}], "frequency_capping[0].limit", "must be 0 or more"),
    ([{"limit": 1, "start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}],
     "frequency_capping[0].end_date", "is before start_date"),
    ([{"limit": 1, "start_date": "soon"}], "frequency_capping[0].start_date", "is not an RFC 3339 date-time"),
    ([{"limit": 1, "repeat": {"unit": "day", "unit_count": 0}}], "frequency_capping[0].repeat.unit_count", "1 or more"),
])
def test_bad_caps_are_refused_before_any_request(dps, caps, option, words):
    with dps.counting() as sent:
        failed = dps.fails("offer_instance", name="Bad", frequency_capping=caps)
    assert failed["msg"].startswith(option + ": ") and words in failed["msg"], failed["msg"]
    assert not any(sent.by_method.values())


def test_a_placement_item_count_is_1_to_30_before_any_request(dps):
    with dps.counting() as sent:
        failed = dps.fails("placement", name="Too many", item_count=31)
    assert failed["msg"] == "item_count: must be 1 to 30, got 31" and not any(sent.by_method.values())


# Decisioning through dps: definedOn in the documented shapes -----------------------------------------------------

RULE_DEFINED_ON = {"": {"schema": {"altId": "_xdm.context.profile", "version": "1"}, "referencePaths": ["homeAddress.stateProvince"]},
                   "xEvent": {"schema": {"altId": "_xdm.context.experienceevent", "version": "1"},
                              "referencePaths": ["eventType", "commerce.order.priceTotal"]}}
FORMULA_DEFINED_ON = {"offer": {"schema": {"altId": "_experience.offer-management.personalized-offer", "version": "0"}},
                      "boosted": {"schema": {"altId": "_xdm.context.foo", "version": "0"}}}
DECISIONING = {
    "eligibility_rules": [{"name": "Californian buyers", "defined_on": RULE_DEFINED_ON,
                           "condition": 'homeAddress.stateProvince.equals("CA", false) and (select var1 from xEvent where '
                                        'var1.eventType.equals("purchase", true) and var1.commerce.order.priceTotal = 1000.0)'}],
    "ranking_formulas": [{"name": "Boosted", "return_type": "integer", "defined_on": FORMULA_DEFINED_ON,
                          "expression": "if(offer.rank.priority.isNotNull(), offer.rank.priority, 0) * "
                                        "if(offer.tags.intersects(boosted.tags), 2, 1)"}],
}
DECISION_RULES = [{"name": "Joes", "condition": 'profile.person.name.firstName.equals("Joe", false)',
                   "defined_on": {"profile": {"schema": {"ref": "https://ns.adobe.com/xdm/context/profile_union", "version": "1"},
                                              "referencePaths": ["person.name.firstName"]}}}]


def test_defined_on_in_the_documented_shapes_and_a_rerun_writes_nothing(dps):
    with dps.counting() as sent:
        done = dps.run("offer_library", decision_rules=DECISION_RULES, **DECISIONING)
    assert done["summary"]["create"] == 3 and sent.writes == 3 and not done.get("warnings")
    with dps.counting() as sent:
        again = dps.run("offer_library", decision_rules=DECISION_RULES, **DECISIONING)
    assert again["summary"]["none"] == 3 and sent.writes == 0
    with dps.counting() as sent:
        for rule in DECISIONING["eligibility_rules"]:
            assert dps.run("eligibility_rule", **rule)["changed"] is False
        for formula in DECISIONING["ranking_formulas"]:
            assert dps.run("ranking_formula", **formula)["changed"] is False
        assert dps.run("decision_rule", **DECISION_RULES[0])["changed"] is False
    assert sent.writes == 0


@pytest.mark.parametrize("module, section, change", [
    ("eligibility_rule", "eligibility_rules", {"description": "Bought 1000 USD in California"}),
    ("ranking_formula", "ranking_formulas", {"description": "Boosted twice"}),
])
def test_a_put_sends_defined_on_when_declared_and_warns_when_not(dps, module, section, change):
    [declared] = DECISIONING[section]
    dps.run("offer_library", **{section: [declared]})
    with dps.counting() as sent:
        kept = dps.run(module, **dict(declared, **change))  # declared: sent along with the change, no warning
    assert kept["changed"] is True and sent.by_method.get("PUT") == 1 and kept["warnings"] == []
    assert {"op": "add", "path": "/definedOn", "value": declared["defined_on"]} in kept["patch"]
    without = dict((k, v) for k, v in declared.items() if k != "defined_on")
    dropped = dps.run(module, **dict(without, description="Not declared"))
    assert dropped["changed"] is True and len(dropped["warnings"]) == 1
    assert "declares no defined_on, so none is sent" in dropped["warnings"][0]


# Lookups by id of an eligibility rule whose GET shows exdRule false ----------------------------------------------

def test_an_eligibility_rule_found_by_its_id_is_the_task_s_rule_whatever_its_get_shows(dps):
    made = dps.run("eligibility_rule", name="Gold", condition='profile.loyalty.tier = "gold"')
    assert stored(dps, "/offer-rules/" + made["id"])["exdRule"] is False  # as Adobe's lookup page shows
    with dps.counting() as sent:
        same = dps.run("eligibility_rule", instance_id=made["id"], condition='profile.loyalty.tier = "gold"')
    assert same["changed"] is False and same["id"] == made["id"] and sent.writes == 0
    with dps.counting() as sent:
        renamed = dps.run("eligibility_rule", instance_id=made["id"], description="Gold tier")
    assert renamed["changed"] is True and renamed["action"] == "update" and sent.by_method.get("PUT") == 1
    assert sent.by_method.get("POST", 0) == 0  # no duplicate
    rules = ApiClient(dps.emulator, org=ORG, sandbox=dps.name).dps.all("/offer-rules")
    assert [(r["id"], r["exdRule"]) for r in rules] == [(made["id"], True)]  # one rule, still a Decisioning rule
    dps.run("offer_library", item_collections=[{"name": "All items", "catalog_id": CATALOG}])
    strategy = dps.run("selection_strategy", name="Gold first", collection="All items", eligibility_rule=made["id"])
    assert strategy["changed"] is True
    assert dps.options("selection_strategy", "Gold first")["eligibility_rule"] == "Gold"
    [listed] = dps.info("eligibility_rule", id=made["id"])
    assert listed["options"]["description"] == "Gold tier"


def test_an_id_of_the_other_rule_family_is_not_the_task_s_object(dps):
    """Decision rules and eligibility rules share /offer-rules: by id, each module finds only its own family, although
    a Decisioning rule's GET shows exdRule false (a list, which shows the flag as it is, says whose it is)."""
    exd = dps.run("eligibility_rule", name="Gold", condition="true")["id"]
    legacy = dps.run("decision_rule", name="Adults", condition="profile.person.age > 18")["id"]
    with dps.counting() as sent:
        wrong = dps.fails("eligibility_rule", instance_id=legacy, description="x")
        other = dps.fails("decision_rule", instance_id=exd, description="x")
    assert "no eligibility rule has instance_id %s" % legacy in wrong["msg"]
    assert "no decision rule has instance_id %s" % exd in other["msg"]
    assert sent.writes == 0


# Writes answered without a body (dps-api.md section 9) ---------------------------------------------------------

@pytest.mark.parametrize("module, create, change", [
    ("placement", {"channel": "web", "component_type": "html"}, {"description": "Answered 204"}),
    ("ranking_formula", {"expression": "offer.rank.priority"}, {"expression": "offer.rank.priority * 2"}),
])
def test_a_write_answered_204_is_done_and_reports_the_stored_etag(dps, module, create, change):
    made = dps.run(module, name="No body", **create)
    dps.emulator.faults(no_body_next=1)
    updated = dps.run(module, name="No body", **dict(create, **change))
    assert updated["changed"] is True and updated["action"] == "update"
    path = {"placement": "/placements/", "ranking_formula": "/ranking-formulas/"}[module] + made["id"]
    assert updated["etag"] == stored(dps, path)["etag"] == made["etag"] + 1
    assert dps.emulator._control("GET", "faults")["no_body_next"] == 0  # the write took the 204


def test_a_create_answered_200_and_a_delete_answered_204_are_done(dps):
    dps.emulator.faults(no_body_next=2)
    made = dps.run("collection_qualifier", name="Answered 200")
    assert made["changed"] is True and made["etag"] == stored(dps, "/tags/" + made["id"])["etag"]
    gone = dps.run("collection_qualifier", name="Answered 200", state="absent", confirm=dps.name)
    assert gone["changed"] is True and named(dps, "/tags", "Answered 200") == []


# An offer with caps copied from xcore to dps, references by name ------------------------------------------------

def test_an_offer_with_caps_copied_from_xcore_to_dps(aep_emulator, tmp_path):
    xcore, dps = Sandbox(aep_emulator, "xcore", tmp_path), Sandbox(aep_emulator, "dps", tmp_path)
    xcore.run("offer_library", placements=[{"name": "Web banner", "channel": "web", "component_type": "text"}],
              collection_qualifiers=[{"name": "Summer"}],
              offers=[{"name": "Sale", "status": "approved", "priority": 2, "tags": ["Summer"],
                       "capping": {"global": 100, "profile": 3},
                       "representations": [{"placement": "Web banner", "channel": "web", "components": COMPONENTS}]}])
    library = {}
    for kind, section in (("placement", "placements"), ("collection_qualifier", "collection_qualifiers"), ("offer", "offers")):
        library[section] = [found["options"] for found in xcore.info(kind, resolve_names=True)]
    [offer] = library["offers"]
    assert offer["capping"] == {"global": 100, "profile": 3} and offer["representations"][0]["placement"] == "Web banner"

    with dps.counting() as sent:
        copied = dps.run("offer_library", **library)
    assert copied["summary"]["create"] == 3 and sent.writes == 3
    with dps.counting() as sent:
        again = dps.run("offer_library", **library)
    assert again["summary"]["none"] == 3 and sent.writes == 0
    [made] = [r for r in copied["results"] if r["name"] == "Sale"]
    held = stored(dps, offer_path(made["id"]))
    assert held["frequencyCappingConstraints"] == [dict(CAP, scope="global", limit=100), dict(CAP, scope="profile", limit=3)]
    assert held["cappingConstraint"] == {} and "globalCap" not in str(held)
    # and back: the dps export applies through xcore with nothing to change
    back = dict((section, [found["options"] for found in dps.info(kind, resolve_names=True)])
                for kind, section in (("placement", "placements"), ("collection_qualifier", "collection_qualifiers"),
                                      ("offer", "offers")))
    assert back["offers"][0]["capping"] == {"global": 100, "profile": 3}
    with xcore.counting() as sent:
        assert xcore.run("offer_library", **back)["summary"]["none"] == 3
    assert sent.writes == 0


# Each kind's change through dps is the minimal JSON Patch on the object's own paths (moved here from the playbook runs
# of tests/integration/test_dps.py, which keep two kinds). module: (create options, a change, the patch, the dps path)
REPRESENTATION = [{"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hi"}]}]
PATCHES = {
    "placement": ({"channel": "web", "component_type": "text", "content_types": ["text/plain"]},
                  {"description": "Top of the page"}, [{"op": "add", "path": "/description", "value": "Top of the page"}],
                  "/placements"),
    "collection_qualifier": ({}, {"instance": {"name": "Renamed"}}, [{"op": "replace", "path": "/name", "value": "Renamed"}],
                             "/tags"),
    "decision_rule": ({"condition": "profile.age > 18", "description": "Adults"}, {"condition": "profile.age > 21"},
                      [{"op": "replace", "path": "/condition/value", "value": "profile.age > 21"}], "/offer-rules"),
    "fallback_offer": ({"status": "approved", "representations": REPRESENTATION, "tags": ["Summer"]},
                       {"tags": []}, [{"op": "remove", "path": "/tags/0"}], "/offers?offer-type=fallback"),
    "offer_collection": ({"qualifiers": ["Summer"]}, {"filter_type": "allTags"},
                         [{"op": "replace", "path": "/filterType", "value": "all-tags"}], "/offer-collections"),
    "decision": ({"status": "draft", "criteria": [{"placements": ["Web banner"], "collection": "Existing collection"}],
                  "fallback": "Existing fallback"}, {"status": "live"},
                 [{"op": "replace", "path": "/status", "value": "live"}], "/offer-decisions"),
    "offer_instance": ({"status": "approved", "representations": REPRESENTATION, "tags": ["Summer"]},
                       {"priority": 3}, [{"op": "add", "path": "/rank", "value": {"priority": 3}}],
                       "/offers?offer-type=personalized"),
}


@pytest.mark.parametrize("module", sorted(PATCHES))
def test_a_change_through_dps_is_the_minimal_patch_and_moves_the_etag(dps, module):
    create, change, patch, collection = PATCHES[module]
    dps.run("offer_library", placements=[{"name": "Web banner", "channel": "web", "component_type": "text"}],
            collection_qualifiers=[{"name": "Summer"}],
            offers=[{"name": "Existing offer", "status": "draft", "representations": REPRESENTATION}],
            fallback_offers=[{"name": "Existing fallback", "status": "draft", "representations": REPRESENTATION}],
            collections=[{"name": "Existing collection", "offers": ["Existing offer"]}])
    first = dps.run(module, name="Managed %s" % module, **create)
    target = dict(change, instance_id=first["instance_id"])
    plan = dps.run(module, check=True, diff=True, **target)
    assert plan["patch"] == patch, plan["patch"]
    with dps.counting() as sent:
        done = dps.run(module, **target)
    assert done["patch"] == patch and sent.by_method.get("PATCH") == 1 and sent.writes == 1
    base, _, query = collection.partition("?")
    assert stored(dps, "%s/%s%s" % (base, first["instance_id"], "?" + query if query else ""))["etag"] == done["etag"]
    assert done["etag"] == first["etag"] + 1
