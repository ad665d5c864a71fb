"""The /data/core/dps kinds (dps-api.md §3-§5): endpoints, id slugs, schemas, fields, references,
how each is updated, and what a GET adds or hides.

Fields are those the pages show; an unknown field is refused, as in xcore, so that a misspelt
field never looks managed. The pages document no required field, enumeration or default; the
emulator requires only a name (a decision item's itemName) on create and PATCH, and checks types.
"""

import copy
import json
import re
import uuid

from .errors import ApiError, bad_request
from .kinds import any_object, array, date_time, enum, integer, obj, string
from .references import ANY

OM = "https://ns.adobe.com/experience/offer-management/"
PQL = {"type": enum("PQL"), "format": enum("pql/text")}
# Set by the server; never accepted in a body (except `id` on PUT, equal to the path's).
SERVER_FIELDS = ("id", "etag", "created", "modified", "createdBy", "lastModifiedBy", "schemas",
                 "sandboxId", "createdDate", "lastModifiedDate", "createdByClientId",
                 "lastModifiedByClientId")


def boolean(value, where):
    if not isinstance(value, bool):
        raise bad_request(f"{where}: must be true or false", "schema-validation")


def pql(max_bytes):
    return obj(dict(PQL, value=string(max_bytes=max_bytes, nonempty=True)), required=("type", "format", "value"))


def ui_model(value, where):
    """An item collection constraint's uiModel: a JSON object, written as a string."""
    string()(value, where)
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise bad_request(f"{where}: must be a JSON object written as a string", "schema-validation")


_SELECTION_CONSTRAINT = obj({
    "startDate": date_time, "endDate": date_time, "profileConstraintType": string(),
    # Decision: the dps pages show no rule field on offers, but list profileConstraintType
    # "eligibilityRule"; the rule it names is held here, as xcore's xdm:eligibilityRule.
    "eligibilityRule": string(),
})
_REPRESENTATION = obj({
    "channel": string(nonempty=True), "placement": string(nonempty=True),
    "components": array(obj({
        "type": string(), "format": string(), "language": array(string()),
        "content": string(), "deliveryURL": string(), "linkURL": string(),
    })),
}, required=("placement",))
_PROFILE_CONSTRAINT = obj({"profileConstraintType": string(), "eligibilityRule": string()})
_OFFER_FIELDS = {
    "name": string(nonempty=True), "description": string(), "status": string(nonempty=True),
    "representations": array(_REPRESENTATION), "selectionConstraint": _SELECTION_CONSTRAINT,
    "rank": obj({"priority": integer(0)}), "labels": array(string()),
    # Decision: the tag page says its ids are used "to create ... personalized offers".
    "tags": array(string()),
    # Decision: the pages show no field for xcore's xdm:characteristics (string key/value pairs); held here.
    "characteristics": obj(values=string()),
}
_OFFER_REFS = (("representations", ANY, "placement"), ("tags", ANY),
               ("selectionConstraint", "eligibilityRule"))
_RULE_FIELDS = {"name": string(nonempty=True), "description": string(), "exdRule": boolean,
                "condition": pql(15 * 1024), "definedOn": any_object}


class DpsKind:
    """One dps kind. `flag` tells two kinds at one endpoint apart: (field, value) on the body."""

    def __init__(self, name, endpoint, slug, schema, fields, update="PATCH", references=(),
                 hidden=(), deletable=True, offer_type=None, flag=None, name_path=("name",),
                 check=None):
        self.name, self.endpoint, self.slug, self.schema = name, endpoint, slug, schema
        self.update = update  # PATCH (JSON Patch) or PUT (the whole object)
        self.references = references
        self.hidden = hidden  # stored, never echoed by GET
        self.deletable = deletable
        self.offer_type = offer_type
        self.flag = flag
        self.name_path = name_path
        self._check = check or obj(fields)

    @property
    def methods(self):
        """The methods of one object, for 405's Allow."""
        return ("GET", self.update) + (("DELETE",) if self.deletable else ())

    def validate(self, fields, named=True):
        """Type-check a body; dps refuses bad bodies with 400 (the pages show no other status).
        `named`: the name must be there (on create and after a PATCH; not on PUT, whose
        exd-placement example sends none)."""
        try:
            self._check(fields, "")
        except ApiError as exc:
            raise bad_request(exc.detail, "schema-validation") from None
        if named and not _has_text(fields, self.name_path):
            raise bad_request(f"/{'/'.join(self.name_path)}: is required", "schema-validation")

    def view(self, doc):
        """The object as GET shows it: server stamps, schemas, then the fields minus hidden ones."""
        shown = {"created": doc["created"], "modified": doc["modified"], "etag": doc["etag"]}
        if self.schema:
            shown["schemas"] = [self.schema]
        shown.update(createdBy=doc["createdBy"], lastModifiedBy=doc["lastModifiedBy"], id=doc["id"])
        fields = {k: copy.deepcopy(v) for k, v in doc["fields"].items() if k not in self.hidden}
        shown.update(self.decorate(fields, doc))
        return shown

    def decorate(self, fields, doc):
        return fields


def _has_text(fields, path):
    for key in path:
        if not isinstance(fields, dict) or key not in fields:
            return False
        fields = fields[key]
    return isinstance(fields, str) and bool(fields.strip())


class RankingFormula(DpsKind):
    def decorate(self, fields, doc):
        # The lookup page shows the return type upper-cased ("integer" is sent, "INTEGER" read).
        return_type = fields.get("returnType")
        if isinstance(return_type, dict) and isinstance(return_type.get("type"), str):
            return_type["type"] = return_type["type"].upper()
        return fields


class EligibilityRule(DpsKind):
    def decorate(self, fields, doc):
        # A server-built segment model (the lookup page's segmentModel); its details are ours.
        condition = fields.get("condition") or {}
        fields["segmentModel"] = {
            "name": fields.get("name"), "lifecycleState": "published",
            "expression": {"type": condition.get("type"), "format": condition.get("format"),
                           "value": condition.get("value")},
            "mergePolicyId": str(uuid.uuid5(uuid.UUID(doc["sandboxId"]), "default merge policy")),
        }
        return fields


class DecisionItem(DpsKind):
    def decorate(self, fields, doc):
        decisioning = fields.setdefault("_experience", {}).setdefault("decisioning", {})
        item = decisioning.setdefault("decisionitem", {})
        item["itemID"] = doc["id"]
        item.setdefault("itemLabels", [])
        item.setdefault("itemTags", [])
        offer_item = decisioning.setdefault("offeritem", {})
        offer_item["fCapConstraintsLastIndex"] = 0  # as every lookup example shows
        offer_item.setdefault("frequencyCappingConstraints", [])
        return fields


class ItemCollection(DpsKind):
    def decorate(self, fields, doc):
        fields.setdefault("tags", [])
        return fields


_CUSTOM_KEY = re.compile(r"^_[A-Za-z0-9][A-Za-z0-9_]*$")
_DECISION_ITEM_EXPERIENCE = obj({"decisioning": obj({
    "offeritem": obj({"lifecycleStatus": string(nonempty=True)}),
    "decisionitem": obj({
        "itemCalendarConstraints": obj({"startDate": date_time, "endDate": date_time}),
        "itemCatalogID": string(), "itemConstraints": _PROFILE_CONSTRAINT,
        "itemDescription": string(), "itemName": string(nonempty=True), "itemPriority": integer(0),
    }),
})})


def _decision_item(value, where):
    """_experience as the pages show it, plus custom attributes under one `_<tenant>` object each."""
    if not isinstance(value, dict):
        raise bad_request(f"{where or '/'}: must be an object", "schema-validation")
    for key, element in value.items():
        if key == "_experience":
            _DECISION_ITEM_EXPERIENCE(element, f"{where}/_experience")
        elif _CUSTOM_KEY.match(key):
            any_object(element, f"{where}/{key}")
        else:
            raise bad_request(f"{where}/{key}: is not a property of a decision item; custom attributes "
                              "go under a `_<tenant>` object", "schema-validation")


ITEM_NAME = ("_experience", "decisioning", "decisionitem", "itemName")

KINDS = [
    DpsKind("personalized-offer", "offers", "personalized-offer",
            OM + "personalized-offer;version=0.15",
            dict(_OFFER_FIELDS, cappingConstraint=any_object, frequencyCappingConstraints=array(any_object)),
            references=_OFFER_REFS, offer_type="personalized"),
    DpsKind("fallback-offer", "offers", "fallback-offer", OM + "fallback-offer;version=0.8",
            _OFFER_FIELDS, references=_OFFER_REFS, offer_type="fallback"),
    DpsKind("placement", "placements", "offer-placement", OM + "offer-placement;version=0.5", {
        "name": string(nonempty=True), "description": string(), "componentType": string(),
        "channel": string(), "itemCount": integer(0), "allowDuplicatePlacements": boolean,
        # Decision: the pages show no field for xcore's xdm:contentTypes (the media types a placement takes).
        "contentTypes": array(string()),
        "returnContent": boolean, "returnMetaData": obj(values=boolean)}),
    DpsKind("collection", "offer-collections", "offer-filter", OM + "offer-filter;version=0.4", {
        # description: the update page patches /description on every Decision Management kind.
        "name": string(nonempty=True), "description": string(), "filterType": string(nonempty=True),
        "ids": array(string()), "labels": array(string())}, references=(("ids", ANY),)),
    DpsKind("tag", "tags", "tag", OM + "tag;version=0.1",
            {"name": string(nonempty=True), "description": string()}),
    DpsKind("decision-rule", "offer-rules", "eligibility-rule", OM + "eligibility-rule;version=0.3",
            _RULE_FIELDS, hidden=("definedOn",)),
    DpsKind("decision", "offer-decisions", "offer-activity", OM + "offer-activity;version=0.8", {
        "name": string(nonempty=True), "description": string(), "status": string(nonempty=True),
        "startDate": date_time, "endDate": date_time, "fallback": string(),
        "criteria": array(obj({
            "placements": array(string()), "rank": any_object,
            "profileConstraint": _PROFILE_CONSTRAINT,
            "optionSelection": obj({"filter": string()}),
        }))}, references=(("fallback",), ("criteria", ANY, "placements", ANY),
                          ("criteria", ANY, "optionSelection", "filter"),
                          ("criteria", ANY, "profileConstraint", "eligibilityRule"))),
    # -- Decisioning --
    # Slug: the pages' one real item id has a 48-hex middle part; dps-api.md §9 gives the emulator
    # dps:<kind-slug>:<16 hex> for every kind, so items take their endpoint's name.
    DecisionItem("decision-item", "offer-items", "offer-item", None, None, name_path=ITEM_NAME,
                 check=_decision_item,
                 references=(ITEM_NAME[:-1] + ("itemConstraints", "eligibilityRule"),)),
    ItemCollection("item-collection", "item-collections", "item-collection",
                   "https://ns.adobe.com/experience/decisioning/item-collection;version=1.2", {
                       "name": string(nonempty=True), "description": string(), "tags": array(string()),
                       "constraints": array(obj({"itemCatalogId": string(), "uiModel": ui_model}))}),
    DpsKind("selection-strategy", "selection-strategies", "selection-strategy",
            OM + "selection-strategy;version=0.2", {
                "name": string(nonempty=True), "description": string(),
                "rank": obj({"priority": integer(0), "order": obj({
                    "orderEvaluationType": string(), "function": string()})}),
                "profileConstraint": _PROFILE_CONSTRAINT, "optionSelection": obj({"filter": string()})},
            references=(("profileConstraint", "eligibilityRule"), ("optionSelection", "filter"),
                        ("rank", "order", "function"))),
    RankingFormula("ranking-formula", "ranking-formulas", "ranking-function", OM + "ranking-function", {
        "name": string(nonempty=True), "description": string(), "exdFunction": boolean,
        "isPure": boolean, "returnType": obj({"type": string(nonempty=True)}),
        "expression": pql(8 * 1024), "definedOn": any_object},
        update="PUT", hidden=("definedOn",)),
    EligibilityRule("eligibility-rule", "offer-rules", "eligibility-rule", OM + "eligibility-rule",
                    _RULE_FIELDS, update="PUT", flag=("exdRule", True)),
    DpsKind("exd-placement", "exd-placements", "exd-placement", "exd-placement", {
        "name": string(nonempty=True), "description": string(), "channel": string(),
        "tags": array(string()), "channelConfiguration": string(), "status": string()},
        update="PUT", deletable=False),
]
BY_NAME = {kind.name: kind for kind in KINDS}
ENDPOINTS = {}
for _kind in KINDS:
    ENDPOINTS.setdefault(_kind.endpoint, []).append(_kind)
OFFER_TYPES = {kind.offer_type: kind for kind in KINDS if kind.offer_type}


def kind_for_body(endpoint, body):
    """The kind a POST to `endpoint` creates: at /offer-rules, exdRule: true makes a Decisioning rule."""
    kinds = ENDPOINTS[endpoint]
    for kind in kinds:
        if kind.flag and body.get(kind.flag[0]) is kind.flag[1]:
            return kind
    return next(kind for kind in kinds if not kind.flag)


def endpoint_methods(endpoint):
    """The methods one object of `endpoint` may take (a union where two kinds share it)."""
    methods = []
    for kind in ENDPOINTS[endpoint]:
        methods += [m for m in kind.methods if m not in methods]
    return methods
