"""Every object module through the same life, through each API that holds its kind: create, rerun with no write,
check-mode plan, update, rerun, absent, absent again. Written once, run on xcore and dps (and the Decisioning kinds)."""

import pytest

from conftest import CATALOG, SCHEMA

TEXT = [{"type": "text", "format": "text/plain", "language": ["en-us"], "content": "Hi"}]
REPRESENTATIONS = [{"placement": "Web banner", "channel": "web", "components": TEXT}]

# module: (the objects it refers to, as offer_library lists; the options it is created with; a change)
CASES = {
    "placement": ({}, {"channel": "web", "component_type": "html", "description": "Top"}, {"description": "Bottom"}),
    "collection_qualifier": ({}, {}, None),
    "decision_rule": ({}, {"description": "Adults", "condition": "profile.person.age > 18"},
                      {"condition": "profile.person.age > 21"}),
    "offer_instance": ({"placements": [{"name": "Web banner", "channel": "web", "component_type": "text"}],
                        "collection_qualifiers": [{"name": "Summer"}]},
                       {"status": "approved", "representations": REPRESENTATIONS, "tags": ["Summer"], "priority": 1,
                        "start_date": "2026-06-01T00:00:00Z", "end_date": "2026-09-01T00:00:00Z"},
                       {"priority": 3, "tags": []}),
    "fallback_offer": ({"placements": [{"name": "Web banner", "channel": "web", "component_type": "text"}]},
                       {"status": "approved", "representations": REPRESENTATIONS}, {"status": "archived"}),
    "offer_collection": ({"collection_qualifiers": [{"name": "Summer"}, {"name": "Winter"}]},
                         {"qualifiers": ["Summer"]}, {"qualifiers": ["Summer", "Winter"], "filter_type": "allTags"}),
    "decision": ({"placements": [{"name": "Web banner", "channel": "web", "component_type": "text"}],
                  "collection_qualifiers": [{"name": "Summer"}],
                  "fallback_offers": [{"name": "Default", "status": "approved", "representations": REPRESENTATIONS}],
                  "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]}]},
                 {"status": "draft", "criteria": [{"placements": ["Web banner"], "collection": "Summer offers"}],
                  "fallback": "Default"},
                 {"status": "live"}),
}

DECISIONING = {
    "eligibility_rule": ({}, {"description": "Gold", "condition": 'profile.loyalty.tier = "gold"'}, {"description": "Gold tier"}),
    "ranking_formula": ({}, {"expression": "offer.rank.priority * 2", "return_type": "integer"},
                        {"expression": "offer.rank.priority * 3"}),
    "item_collection": ({}, {"catalog_id": CATALOG, "constraints": [{"attribute": "_acme.colour", "operator": "equals",
                                                                     "value": "gold"}]},
                        {"description": "Gold items"}),
    "decisioning_placement": ({}, {"channel": "email", "channel_configuration": "530b76f9-dcd6-4fd5-8c52-38e29b04a60a",
                                   "status": "active"}, {"status": "archived"}),
    "decision_item": ({"eligibility_rules": [{"name": "Everyone", "condition": "true"}]},
                      {"schema_id": SCHEMA, "catalog_id": CATALOG, "status": "approved", "priority": 10,
                       "eligibility_rule": "Everyone", "tenant": "acme", "attributes": {"colour": "gold"}},
                      {"priority": 11, "schema_id": SCHEMA}),
    "selection_strategy": ({"item_collections": [{"name": "Gold items", "catalog_id": CATALOG}],
                            "eligibility_rules": [{"name": "Everyone", "condition": "true"}]},
                           {"collection": "Gold items", "eligibility_rule": "Everyone"}, {"priority": 2}),
}


def live(sandbox, module, needs, create, change):
    if needs:
        sandbox.run("offer_library", **needs)
    name = "Managed %s" % module
    with sandbox.counting() as sent:
        first = sandbox.run(module, name=name, **create)
    assert first["changed"] is True and first["action"] == "create" and sent.writes >= 1
    with sandbox.counting() as sent:
        again = sandbox.run(module, name=name, **create)
    assert again["changed"] is False and again["action"] == "none" and sent.writes == 0, again
    assert again["instance_id"] == first["instance_id"] and again["etag"] == first["etag"]
    gone = {"instance_id": first["instance_id"], "state": "absent", "confirm": "prod"}
    if change is not None:
        target = dict(change, instance_id=first["instance_id"])
        plan = sandbox.run(module, check=True, diff=True, **target)
        assert plan["changed"] is True and plan["action"] == "update" and plan["patch"], plan
        assert plan["diff"]["before"] != plan["diff"]["after"]
        with sandbox.counting() as sent:
            done = sandbox.run(module, **target)
        assert done["changed"] is True and sent.writes == 1 and done["etag"] != first["etag"]
        assert done["patch"] == plan["patch"]
        with sandbox.counting() as sent:
            steady = sandbox.run(module, **target)
        assert steady["changed"] is False and sent.writes == 0, steady
    if module == "decisioning_placement":  # the API has no delete for them: refused before any request
        with sandbox.counting() as sent:
            refused = sandbox.fails(module, **gone)
        assert sent.writes == 0 and sent.reads == 0 and "cannot delete" in refused["msg"]
        return
    if module == "decision_item":
        gone["schema_id"] = SCHEMA
    with sandbox.counting() as sent:
        deleted = sandbox.run(module, **gone)
    assert deleted["changed"] is True and deleted["action"] == "delete" and sent.writes == 1
    with sandbox.counting() as sent:
        again = sandbox.run(module, **gone)
    assert again["changed"] is False and again["action"] == "none" and sent.writes == 0


@pytest.mark.parametrize("module", sorted(CASES))
def test_module_life(sandbox, module):
    live(sandbox, module, *CASES[module])


@pytest.mark.parametrize("module", sorted(DECISIONING))
def test_decisioning_module_life(dps, module):
    live(dps, module, *DECISIONING[module])


@pytest.mark.parametrize("module", sorted(DECISIONING))
def test_decisioning_modules_ignore_the_task_api(sandbox, module):
    """A play may keep api: xcore for the whole group: the Decisioning kinds exist only in dps and go there."""
    needs, create, change = DECISIONING[module]
    if needs:
        sandbox.run("offer_library", **needs)
    with sandbox.counting() as sent:
        result = sandbox.run(module, name="Anywhere", **create)
    assert result["changed"] is True and result["id"].startswith("dps:")
    assert sent.by_method.get("POST") == 1
