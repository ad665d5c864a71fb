"""The create bodies of Adobe's create.md examples (tests/adobe_examples), keyed by kind, with the path
each is posted to. References are the pages' placeholders unless a test swaps in real ids; the decision
item's custom attributes go under `_aeptenant` (the pages' `_<imsOrg>` placeholder)."""

import copy

from adobe_examples import load

SCHEMA_ID = "https://ns.adobe.com/aeptenant/schemas/4a3c8f0e1b2d4e5f"


def _created(kind):
    return load(kind)["examples"]["create"]["request"]


PERSONALIZED = _created("personalized_offer")
FALLBACK = _created("fallback_offer")
PLACEMENT = _created("placement")
COLLECTION = _created("collection")
TAG = _created("collection_qualifier")
DECISION_RULE = _created("decision_rule")
DECISION = _created("decision")
DECISION_ITEM = _created("decision_item")
DECISION_ITEM["_aeptenant"] = DECISION_ITEM.pop("_<imsOrg>")
ITEM_COLLECTION = _created("item_collection")
SELECTION_STRATEGY = _created("selection_strategy")
RANKING_FORMULA = _created("ranking_formula")
ELIGIBILITY_RULE = _created("eligibility_rule")
EXD_PLACEMENT = _created("decisioning_placement")

OM = "https://ns.adobe.com/experience/offer-management/"
# kind: (collection path, query for one object, body, id slug, schemas[0] on GET)
KINDS = {
    "personalized-offer": ("/offers", "?offer-type=personalized", PERSONALIZED, "personalized-offer",
                           OM + "personalized-offer;version=0.15"),
    "fallback-offer": ("/offers", "?offer-type=fallback", FALLBACK, "fallback-offer", OM + "fallback-offer;version=0.8"),
    "placement": ("/placements", "", PLACEMENT, "offer-placement", OM + "offer-placement;version=0.5"),
    "collection": ("/offer-collections", "", COLLECTION, "offer-filter", OM + "offer-filter;version=0.4"),
    "tag": ("/tags", "", TAG, "tag", OM + "tag;version=0.1"),
    "decision-rule": ("/offer-rules", "", DECISION_RULE, "eligibility-rule", OM + "eligibility-rule;version=0.3"),
    "decision": ("/offer-decisions", "", DECISION, "offer-activity", OM + "offer-activity;version=0.8"),
    "item-collection": ("/item-collections", "", ITEM_COLLECTION, "item-collection",
                        "https://ns.adobe.com/experience/decisioning/item-collection;version=1.2"),
    "selection-strategy": ("/selection-strategies", "", SELECTION_STRATEGY, "selection-strategy",
                           OM + "selection-strategy;version=0.2"),
    "ranking-formula": ("/ranking-formulas", "", RANKING_FORMULA, "ranking-function", OM + "ranking-function"),
    "eligibility-rule": ("/offer-rules", "", ELIGIBILITY_RULE, "eligibility-rule", OM + "eligibility-rule"),
    "exd-placement": ("/exd-placements", "", EXD_PLACEMENT, "exd-placement", "exd-placement"),
}
ITEM_HEADERS = {"x-schema-id": SCHEMA_ID}


def body(kind, **changes):
    """A deep copy of the kind's sample, with top-level changes."""
    return dict(copy.deepcopy(KINDS[kind][2] if kind in KINDS else DECISION_ITEM), **changes)


def create(api, kind, **changes):
    """Create a sample; (id, path of the object with its query)."""
    path, query = KINDS[kind][0], KINDS[kind][1]
    receipt = api.dps.created(path + query, body(kind, **changes))
    return receipt["id"], f"{path}/{receipt['id']}{query}"


def create_item(api, name="Offer Item One", schema_id=SCHEMA_ID, **decisionitem):
    item = body("decision-item")
    item["_experience"]["decisioning"]["decisionitem"].update(itemName=name, **decisionitem)
    receipt = api.dps.created("/offer-items", item, **{"x-schema-id": schema_id})
    return receipt["id"], f"/offer-items/{receipt['id']}"
