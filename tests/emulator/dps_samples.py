"""The create bodies of dps-api.md §5 (Adobe's create.md examples), keyed by kind, with the path each
is posted to. References are the pages' placeholders unless a test swaps in real ids."""

import copy

SCHEMA_ID = "https://ns.adobe.com/aeptenant/schemas/4a3c8f0e1b2d4e5f"
WEB = "https://ns.adobe.com/xdm/channel-types/web"

PERSONALIZED = {
    "name": "Test personalized offer with frequency constraint", "status": "draft",
    "representations": [{"channel": WEB, "placement": "offerPlacement1234",
                         "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                                         "content": "Hello You qualify for our Discount of 60%"}]}],
    "selectionConstraint": {"startDate": "2022-07-27T05:00:00.000+00:00", "endDate": "2023-07-29T05:00:00.000+00:00",
                            "profileConstraintType": "none"},
    "rank": {"priority": 0}, "cappingConstraint": {},
    "frequencyCappingConstraints": [{"enabled": False, "limit": 1, "startDate": "2023-05-15T14:25:49.622+00:00",
                                     "endDate": "2023-05-25T14:25:49.622+00:00", "scope": "global", "entity": "offer",
                                     "repeat": {"enabled": False, "unit": "month", "unitCount": 1}}]}
FALLBACK = {
    "name": "Test Fallback Offer DPS", "description": "Fallback Offer description", "status": "approved",
    "selectionConstraint": {"startDate": "2022-06-10T00:30:00.000+00:00", "endDate": "2032-06-06T23:29:21.402+00:00",
                            "profileConstraintType": "none"},
    "representations": [{"components": [{"deliveryURL": "https://mysite.com", "type": "imagelink", "format": "image/png"}],
                         "channel": WEB, "placement": "offerPlacement1234"}],
    "rank": {"priority": 1}}
PLACEMENT = {
    "name": "New placement", "description": "Placement description", "componentType": "html",
    "channel": "https://ns.adobe.com/xdm/channel-types/email", "itemCount": 1, "allowDuplicatePlacements": False,
    "returnContent": True, "returnMetaData": {"decisionName": False, "offerName": False, "offerAttributes": False,
                                              "offerPriority": False, "placementName": False, "channelType": False,
                                              "contentType": False}}
COLLECTION = {"name": "Test Collection with tags", "filterType": "any-tags", "ids": ["tag1234"],
              "labels": ["core/C5", "custom/myLabel"]}
TAG = {"name": "Black Friday", "description": "Tag for black friday"}
DECISION_RULE = {
    "name": "Sales rule", "description": "Decisioning rule for sales",
    "condition": {"type": "PQL", "format": "pql/text", "value": "profile.person.name.firstName.equals(\"Joe\", false)"},
    "definedOn": {"profile": {"schema": {"ref": "https://ns.adobe.com/xdm/context/profile_union", "version": "1"},
                              "referencePaths": ["person.name.firstName"]}}}
DECISION = {
    "name": "Test Offer Decision", "description": "Offer Decision description", "status": "live",
    "startDate": "2021-08-23T07:00:00.000+00:00", "endDate": "2021-08-25T07:00:00.000+00:00",
    "fallback": "fallbackOffer1234",
    "criteria": [{"placements": ["offerPlacement1234", "offerPlacement5678"],
                  "rank": {"priority": 0, "order": {"orderEvaluationType": "ranking-strategy",
                                                    "rankingStrategy": "123456789123"}},
                  "profileConstraint": {"profileConstraintType": "none"},
                  "optionSelection": {"filter": "offerCollection1234"}}]}
DECISION_ITEM = {
    "_experience": {"decisioning": {
        "offeritem": {"lifecycleStatus": "approved"},
        "decisionitem": {"itemCalendarConstraints": {"endDate": "2030-12-31T08:00:00.000Z",
                                                     "startDate": "2024-06-10T04:00:00.000Z"},
                         "itemCatalogID": "itemCatalong1234",
                         "itemConstraints": {"eligibilityRule": "rule1234", "profileConstraintType": "eligibilityRule"},
                         "itemDescription": "Offer item description", "itemName": "Offer Item One", "itemPriority": 1}}},
    "_aeptenant": {"foo": "bar"}}
ITEM_COLLECTION = {
    "name": "Item collection One", "description": "Item collection",
    "constraints": [{"itemCatalogId": "itemCatalog1234",
                     "uiModel": "{\"operator\":\"equals\",\"value\":{\"left\":\"_experience.decisioning.decisionitem."
                                "itemName\",\"right\":\"Some offer item\"}}"}]}
SELECTION_STRATEGY = {
    "name": "Selection Strategy One", "description": "Selection Strategy",
    "rank": {"priority": 1, "order": {"orderEvaluationType": "static"}},
    "profileConstraint": {"profileConstraintType": "eligibilityRule", "eligibilityRule": "offerRule1234"},
    "optionSelection": {"filter": "itemCollection1234"}}
RANKING_FORMULA = {
    "name": "Test Ranking Function DPS", "description": "Ranking  function description", "exdFunction": True,
    "returnType": {"type": "integer"},
    "expression": {"type": "PQL", "format": "pql/text",
                   "value": "if(offer.rank.priority.isNotNull(), offer.rank.priority, 0) * "
                            "if(offer.tags.intersects(boosted.tags), 2, 1)"},
    "definedOn": {"offer": {"schema": {"altId": "_experience.offer-management.personalized-offer", "version": "0"}},
                  "boosted": {"schema": {"altId": "_xdm.context.foo", "version": "0"}}}}
ELIGIBILITY_RULE = {
    "name": "test dule", "description": "xxxxxx", "exdRule": True,
    "condition": {"type": "PQL", "format": "pql/text",
                  "value": "inSegment(\"849807b6-0a76-4895-96d9-89996477f23b\") and "
                           "billingAddress.city.equals(\"san jose\", false)"}}
EXD_PLACEMENT = {
    "name": "Test Exd Placement1 Pants", "channel": "https://ns.adobe.com/xdm/channel-types/email",
    "tags": ["3d75b849-b344-402b-9d9e-5d750bd46884"], "channelConfiguration": "530b76f9-dcd6-4fd5-8c52-38e29b04a60a",
    "description": "compressing alarm", "status": "active"}

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
